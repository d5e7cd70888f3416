package clock

import (
	"context"
	"testing"
	"time"
)

func TestFakeClock(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	f := NewFake(t0)
	if got := f.Now(); !got.Equal(t0) || got.Location() != time.UTC {
		t.Errorf("Now = %v, want %v in UTC", got, t0)
	}
	f.Advance(90 * time.Second)
	if got := f.Now(); !got.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("after Advance: %v", got)
	}
}

// TestEvery checks that Every keeps calling until its context ends, then
// returns.
func TestEvery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		Every(ctx, time.Millisecond, func(context.Context) {
			select {
			case calls <- struct{}{}:
			default:
			}
		})
		close(done)
	}()
	for i := range 3 {
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("call %d did not come", i+1)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Every did not return after its context ended")
	}
}
