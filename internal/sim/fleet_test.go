package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

func fleetSpecs(n int) []ChargerSpec {
	specs := make([]ChargerSpec, n)
	for i := range specs {
		id := fmt.Sprintf("F%03d", i)
		specs[i] = ChargerSpec{ID: id, Password: "pw-" + id, Connectors: 1 + i%2, Fast: i%4 == 0}
	}
	return specs
}

func TestFleetBootsAndHeartbeats(t *testing.T) {
	const n = 100
	ctx := testCtx(t)
	cs := newFakeCS(t)
	b := testBehaviour()
	b.TickInterval = 50 * time.Millisecond
	b.MeterInterval = time.Hour
	b.Rand = rand.New(rand.NewPCG(1, 2))
	f := NewFleet(cs.url(), fleetSpecs(n), b, clock.NewFake(t0), nil)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.Run(rctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	for _, c := range f.Chargers() {
		if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Online && s.Heartbeats >= 1 }); err != nil {
			t.Fatalf("charger %s: %v", c.ID(), err)
		}
		if v := c.State().Violations; len(v) > 0 {
			t.Errorf("charger %s saw violations: %v", c.ID(), v)
		}
	}
	for _, spec := range fleetSpecs(n) {
		if got := len(cs.eventsOf(spec.ID, ocpp.ActionBootNotification)); got != 1 {
			t.Errorf("charger %s: got %d BootNotifications, want 1", spec.ID, got)
		}
	}
	st := f.Stats()
	if st.Connected != n || st.Failed != 0 || st.Calls < 3*n || st.P50 <= 0 || st.P99 < st.P50 || st.Max < st.P99 {
		t.Errorf("got stats %+v, want %d connected, no failures, ≥ %d calls and 0 < P50 ≤ P99 ≤ Max", st, n, 3*n)
	}
}

func TestLatencyQuantiles(t *testing.T) {
	var s statsRecorder
	for i := 1; i <= 100; i++ {
		s.record(time.Duration(i)*time.Millisecond, true)
	}
	st := s.snapshot()
	within := func(got, want time.Duration) bool { return got >= want && float64(got) <= float64(want)*histGrowth }
	if !within(st.P50, 50*time.Millisecond) || !within(st.P99, 99*time.Millisecond) || st.Max != 100*time.Millisecond || st.Calls != 100 {
		t.Errorf("got %+v, want P50 ≈ 50ms, P99 ≈ 99ms (one bucket, +12%%), Max 100ms, 100 calls", st)
	}
}

// BenchmarkFleetSession measures a whole session (plug, start, meter, stop)
// across a fleet against the fake central system.
func BenchmarkFleetSession(b *testing.B) {
	cs := newFakeCS(b)
	beh := testBehaviour()
	beh.TickInterval = 50 * time.Millisecond
	beh.MeterInterval = time.Hour
	beh.HeartbeatFallback = time.Hour
	f := NewFleet(cs.url(), fleetSpecs(50), beh, clock.Real{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for _, c := range f.Chargers() {
		if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Online }); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := f.Chargers()[i%len(f.Chargers())]
		if _, err := c.StartLocal(ctx, 1, "BENCH"); err != nil {
			b.Fatal(err)
		}
		if err := c.StopLocal(ctx, 1, ""); err != nil {
			b.Fatal(err)
		}
		if err := c.Unplug(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
	st := f.Stats()
	b.ReportMetric(float64(st.P50.Microseconds()), "p50-µs/call")
	b.ReportMetric(float64(st.P99.Microseconds()), "p99-µs/call")
}
