package maintenance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/audit"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
)

// Event types the service publishes (staff see them on the live stream).
const (
	EventAlarmRaised  = "alarm.raised"
	EventAlarmUpdated = "alarm.updated"
	EventTaskUpdated  = "task.updated"
)

// Charging is what the service asks of the charging service.
type Charging interface {
	Charger(ctx context.Context, id string) (charging.Charger, error)
	Sessions(ctx context.Context, f charging.SessionFilter) ([]charging.Session, string, error)
	// Send sends an OCPP command and returns the charger's answer.
	Send(ctx context.Context, c charging.Charger, action string, req any) (json.RawMessage, error)
}

// Users looks up the staff tasks and alarms are assigned to.
type Users interface {
	User(ctx context.Context, id string) (account.User, error)
}

// Options tune the service; zero values take the defaults.
type Options struct {
	// MergeWindow merges an alarm that recurs within this long after its
	// last occurrence (default 30 min).
	MergeWindow time.Duration
	// MeterSilence raises an alarm for a running session without meter
	// values for this long (default 15 min).
	MeterSilence time.Duration
	// PowerTolerancePct is how far above the charger's maximum power a
	// reading may go before it is an anomaly, in percent (default 10).
	PowerTolerancePct int
}

// Service is the maintenance service.
type Service struct {
	store    Store
	charging Charging
	users    Users
	audit    audit.Recorder
	bus      *events.Bus
	clock    clock.Clock
	log      *slog.Logger
	opt      Options
	// mu serialises writes, so a recurrence is merged, never duplicated.
	mu sync.Mutex
	// taskMu serialises task changes and window handling.
	taskMu sync.Mutex
	// lastEnergy remembers each running session's latest energy, in Wh, to
	// notice the meter going backwards.
	lastEnergy map[string]int64
}

// NewService returns the maintenance service.
func NewService(st Store, ch Charging, users Users, rec audit.Recorder, bus *events.Bus, clk clock.Clock, log *slog.Logger, opt Options) *Service {
	if opt.MergeWindow <= 0 {
		opt.MergeWindow = 30 * time.Minute
	}
	if opt.MeterSilence <= 0 {
		opt.MeterSilence = 15 * time.Minute
	}
	if opt.PowerTolerancePct <= 0 {
		opt.PowerTolerancePct = 10
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, charging: ch, users: users, audit: rec, bus: bus, clock: clk, log: log, opt: opt, lastEnergy: map[string]int64{}}
}

func (s *Service) publish(typ string, chargerID, siteID string, data any) {
	if s.bus == nil {
		return
	}
	s.bus.Publish(events.Event{Type: typ, At: s.clock.Now(), ChargerID: chargerID, SiteID: siteID, Data: data})
}

// watched reports whether the service acts on an event.
func watched(e events.Event) bool {
	switch e.Type {
	case events.ChargerStatus, events.ChargerOffline, events.ChargerOnline, events.CommandFailed,
		events.SessionUpdated, events.SessionStopped, events.Gap:
		return true
	}
	return false
}

// Start subscribes to the event bus at once (so nothing published after
// Start returns is missed) and handles events, and runs Tick every
// interval, in the background until ctx ends. The returned channel closes
// when the background work has stopped.
func (s *Service) Start(ctx context.Context, every time.Duration) <-chan struct{} {
	ch := s.bus.Subscribe(ctx, 1024, watched)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-ch:
				if !ok {
					return
				}
				if err := s.HandleEvent(ctx, e); err != nil && ctx.Err() == nil {
					s.log.Error("maintenance: handle event", "type", e.Type, "charger", e.ChargerID, "err", err)
				}
			case <-t.C:
				if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
					s.log.Error("maintenance: tick", "err", err)
				}
			}
		}
	}()
	return done
}

// Tick does the periodic work: it starts task windows that are due (taking
// chargers out of service, or retrying when a charger was offline or in
// use) and raises alarms for running sessions without meter values. It is
// idempotent; all its state is in the database.
func (s *Service) Tick(ctx context.Context) error {
	if err := s.applyWindows(ctx, ""); err != nil {
		return fmt.Errorf("apply task windows: %w", err)
	}
	if err := s.checkMeterSilence(ctx); err != nil {
		return fmt.Errorf("check meter silence: %w", err)
	}
	return nil
}

// HandleEvent acts on one event from the charging service: it raises or
// clears alarms and resumes tasks waiting for a session to end.
func (s *Service) HandleEvent(ctx context.Context, e events.Event) error {
	switch e.Type {
	case events.ChargerStatus:
		return s.onStatus(ctx, e)
	case events.ChargerOffline:
		detail := "connection lost"
		if m, ok := e.Data.(map[string]any); ok && m["reason"] == "silent" {
			detail = "silent for longer than the heartbeat allows"
		}
		_, err := s.raise(ctx, raise{chargerID: e.ChargerID, source: SourceOffline, code: CodeOffline, severity: Major, detail: detail})
		return err
	case events.ChargerOnline:
		return s.clear(ctx, e.ChargerID, func(a Alarm) bool { return a.Code == CodeOffline })
	case events.CommandFailed:
		m, _ := e.Data.(map[string]any)
		action, _ := m["action"].(string)
		msg, _ := m["error"].(string)
		_, err := s.raise(ctx, raise{chargerID: e.ChargerID, source: SourceCommand, code: CodeCommandFailed + ":" + action, severity: Minor, detail: truncate(msg, 255)})
		return err
	case events.SessionUpdated:
		x, ok := e.Data.(charging.Session)
		if !ok {
			return nil
		}
		return s.onMeter(ctx, x)
	case events.SessionStopped:
		x, ok := e.Data.(charging.Session)
		if ok {
			s.mu.Lock()
			delete(s.lastEnergy, x.ID)
			s.mu.Unlock()
			if err := s.clear(ctx, x.ChargerID, func(a Alarm) bool { return a.Source == SourceMeter && a.SessionID == x.ID }); err != nil {
				return err
			}
		}
		return s.applyWindows(ctx, e.ChargerID)
	case events.Gap:
		return s.Tick(ctx)
	}
	return nil
}

func (s *Service) record(ctx context.Context, actor account.User, action, targetType, targetID, summary string, after any) error {
	if err := account.Record(ctx, s.audit, actor, action, targetType, targetID, summary, nil, after); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
