package events

import (
	"context"
	"testing"
	"time"
)

func TestBusFiltersAndMarksGaps(t *testing.T) {
	b := NewBus()
	ctx, cancel := context.WithCancel(context.Background())
	mine := b.Subscribe(ctx, 2, func(e Event) bool { return e.UserID == "u1" })
	all := b.Subscribe(ctx, 10, nil)
	for i := 0; i < 4; i++ {
		b.Publish(Event{Type: SessionUpdated, UserID: "u1"})
	}
	b.Publish(Event{Type: SessionUpdated, UserID: "u2"})
	// mine holds 2 and missed 2; after draining, the next event is preceded by a gap marker.
	<-mine
	<-mine
	b.Publish(Event{Type: SessionStopped, UserID: "u1"})
	if got := (<-mine).Type; got != Gap {
		t.Fatalf("got %q, want a gap marker", got)
	}
	if got := (<-mine).Type; got != SessionStopped {
		t.Fatalf("got %q, want %q", got, SessionStopped)
	}
	if n := len(all); n != 6 {
		t.Fatalf("unfiltered subscriber got %d events, want 6", n)
	}
	cancel()
	select {
	case _, ok := <-mine:
		for ok {
			_, ok = <-mine
		}
	case <-time.After(2 * time.Second):
		t.Fatal("subscription not closed after cancel")
	}
}
