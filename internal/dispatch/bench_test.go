package dispatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
// at once and 50 of 60 waiting cars are chosen and placed (a 50×50
// assignment).
func BenchmarkSingleBatch50(b *testing.B) {
	site := Site{WaitingCapacity: 100, QueueLength: 1, Strategy: Priority, Batch: SingleBatch}
	for i := range 50 {
		site.Chargers = append(site.Chargers, Charger{ID: fmt.Sprintf("S%02d", i), Mode: Slow, PowerW: 7000})
	}
	st := NewState(site, t0)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 110 {
		wh := int64(7000)
		if i >= 50 {
			wh = 1000 + rng.Int64N(40000)
		}
		var err error
		if st, _, err = Request(site, st, NewRequest{CarID: fmt.Sprintf("car%d", i), Mode: Slow, EnergyWh: wh}, t0); err != nil {
			b.Fatal(err)
		}
	}
	next, _ := NextFinish(site, st)
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
