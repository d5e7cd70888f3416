package dispatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkDispatchDecision measures one decision: a car finishes on one of
// 200 chargers and the earliest of 1,000 waiting requests is placed.
func BenchmarkDispatchDecision(b *testing.B) {
	site := Site{WaitingCapacity: 1000, QueueLength: 2, Strategy: Priority}
	for i := range 200 {
		site.Chargers = append(site.Chargers, Charger{ID: fmt.Sprintf("C%03d", i), Mode: Fast, PowerW: 30000 + int64(i)*100})
	}
	st := NewState(site, t0)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 1400 {
		var err error
		if st, _, err = Request(site, st, NewRequest{CarID: fmt.Sprintf("car%d", i), Mode: Fast, EnergyWh: 5000 + rng.Int64N(40000)}, t0); err != nil {
			b.Fatal(err)
		}
	}
	next, _ := NextFinish(site, st)
	if len(st.Waiting) != 1000 {
		b.Fatalf("got %d waiting, want 1000", len(st.Waiting))
	}
	b.ReportAllocs()
	for b.Loop() {
		_, ev, err := Advance(site, st, next)
		if err != nil || len(ev) < 3 {
			b.Fatalf("got %d events, err %v", len(ev), err)
		}
	}
}

// BenchmarkSingleBatch50 measures a single-batch decision: 50 places free
// at once on chargers of mixed power (3.5, 7, 11 and 22 kW) and 50 of 60
// waiting cars are chosen and placed (a 50×50 assignment).
func BenchmarkSingleBatch50(b *testing.B) {
	site := Site{WaitingCapacity: 100, QueueLength: 1, Strategy: Priority, Batch: SingleBatch}
	powers := []int64{3500, 7000, 11000, 22000}
	for i := range 50 {
		site.Chargers = append(site.Chargers, Charger{ID: fmt.Sprintf("S%02d", i), Mode: Slow, PowerW: powers[i%len(powers)]})
	}
	// Every charger has a car that finishes after one hour; 60 wait.
	st := NewState(site, t0)
	for i, ch := range site.Chargers {
		st.Queues[i].Cars = []Car{{ID: fmt.Sprintf("on%d", i), Mode: Slow, Number: i + 1, EnergyWh: ch.PowerW, ArrivedAt: t0, CalledAt: t0, StartedAt: t0}}
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 60 {
		st.Waiting = append(st.Waiting, Car{ID: fmt.Sprintf("car%d", i), Mode: Slow, Number: 51 + i, EnergyWh: 1000 + rng.Int64N(40000), ArrivedAt: t0})
	}
	st.NextSlow = 111
	next, _ := NextFinish(site, st)
	if !next.Equal(t0.Add(time.Hour)) {
		b.Fatalf("next finish at %s, want %s", next, t0.Add(time.Hour))
	}
	b.ReportAllocs()
	for b.Loop() {
		got, _, err := Advance(site, st, next)
		if err != nil || len(got.Waiting) != 10 {
			b.Fatalf("got %d waiting, err %v", len(got.Waiting), err)
		}
	}
}

// BenchmarkAssign50 measures the Hungarian algorithm alone on 50×50.
func BenchmarkAssign50(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	cost := make([][]int64, 50)
	for i := range cost {
		cost[i] = make([]int64, 50)
		for j := range cost[i] {
			cost[i][j] = rng.Int64N(1_000_000)
		}
	}
	for b.Loop() {
		Assign(cost)
	}
}
