// Package events is the in-process publish/subscribe of domain events
// (charger status changed, session started/updated/stopped, …). Publishers
// never block: a subscriber that falls behind loses events and is told so by
// a gap marker. It holds no global state; the server owns one Bus.
package events

import (
	"context"
	"sync"
	"time"
)

// Event types.
const (
	ChargerStatus  = "charger.status"
	ChargerOnline  = "charger.online"
	ChargerOffline = "charger.offline"
	ChargerBoot    = "charger.boot"
	SessionStarted = "session.started"
	SessionUpdated = "session.updated"
	SessionStopped = "session.stopped"
	CommandFailed  = "command.failed"
	// Gap tells a subscriber it missed events because it was too slow.
	Gap = "gap"
)

// Event is one thing that happened.
type Event struct {
	// Type is one of the constants above.
	Type string `json:"type"`
	// At is when it happened (UTC).
	At        time.Time `json:"at"`
	ChargerID string    `json:"charger_id,omitempty"`
	SiteID    string    `json:"site_id,omitempty"`
	SessionID string    `json:"session_id,omitempty"`
	// UserID is the driver the event concerns, if any (used to filter).
	UserID string `json:"user_id,omitempty"`
	// Data is the event's payload, JSON-encodable.
	Data any `json:"data,omitempty"`
}

// Bus fans events out to subscribers.
type Bus struct {
	mu   sync.Mutex
	subs map[*sub]struct{}
}

type sub struct {
	ch     chan Event
	filter func(Event) bool
	missed bool
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[*sub]struct{}{}} }

// Publish delivers e to every subscriber whose filter accepts it, without
// blocking.
func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.filter != nil && !s.filter(e) {
			continue
		}
		if s.missed {
			select {
			case s.ch <- Event{Type: Gap, At: e.At}:
				s.missed = false
			default:
				continue
			}
		}
		select {
		case s.ch <- e:
		default:
			s.missed = true
		}
	}
}

// Subscribe returns a channel of events accepted by filter (nil = all),
// closed when ctx ends. buffer is how many events may wait.
func (b *Bus) Subscribe(ctx context.Context, buffer int, filter func(Event) bool) <-chan Event {
	s := &sub{ch: make(chan Event, buffer), filter: filter}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, s)
		close(s.ch)
		b.mu.Unlock()
	}()
	return s.ch
}
