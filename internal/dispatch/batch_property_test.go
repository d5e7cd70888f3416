package dispatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestSingleBatchMatchesBruteForce builds small random sites (up to 4
// chargers of mixed power, queues partly filled with a charging car and
// cars behind it, 2–4 free places, 2–5 waiting cars) and checks that the
// single-batch placement places as many cars as there are places (or cars)
// and that their total completion time equals the minimum found by trying
// every choice of cars and placement.
func TestSingleBatchMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	powers := []int64{3500, 7000, 11000, 22000}
	for trial := range 400 {
		site, st := randomBatchInstance(rng, powers)
		got, _, err := Advance(site, st, st.Now)
		if err != nil {
			t.Fatalf("trial %d: advance: %v", trial, err)
		}
		placed := map[string]bool{}
		for _, c := range st.Waiting {
			if place, _, _, _ := got.Where(c.ID); place == "queue" {
				placed[c.ID] = true
			}
		}
		var total int64
		for i, q := range got.Queues {
			p := site.Chargers[i].PowerW
			var done int64
			for _, c := range q.Cars {
				if c.Charging() {
					done += max(0, c.FinishAt(p).Sub(got.Now).Milliseconds())
				} else {
					done += DurationMs(c.EnergyWh, p)
				}
				if placed[c.ID] {
					total += done
				}
			}
		}
		wantN, want := bruteForceBatch(site, st)
		if len(placed) != wantN || total != want {
			t.Fatalf("trial %d: placed %d cars with total completion %d ms, want %d cars and %d ms\nsite %+v\nstate %+v\nafter %+v",
				trial, len(placed), total, wantN, want, site, st, got)
		}
	}
}

// randomBatchInstance returns a single-batch site of slow chargers and a
// state whose queues leave 2–4 places free and with 2–5 cars waiting.
func randomBatchInstance(rng *rand.Rand, powers []int64) (Site, State) {
	for {
		site := Site{WaitingCapacity: 10, QueueLength: 1 + rng.IntN(3), Strategy: Priority, Batch: SingleBatch}
		for i := range 1 + rng.IntN(4) {
			site.Chargers = append(site.Chargers, Charger{ID: fmt.Sprintf("C%d", i), Mode: Slow, PowerW: powers[rng.IntN(len(powers))]})
		}
		st := NewState(site, t0)
		n, free := 0, 0
		for i := range st.Queues {
			k := rng.IntN(site.QueueLength + 1)
			for j := range k {
				n++
				c := Car{ID: fmt.Sprintf("q%d", n), Mode: Slow, Number: n, EnergyWh: 1000 + rng.Int64N(30000), ArrivedAt: t0.Add(-3 * time.Hour)}
				if j == 0 {
					// Charging for a while, not yet done.
					elapsed := time.Duration(rng.Int64N(DurationMs(c.EnergyWh, site.Chargers[i].PowerW))) * time.Millisecond
					c.CalledAt, c.StartedAt = t0.Add(-elapsed), t0.Add(-elapsed)
				}
				st.Queues[i].Cars = append(st.Queues[i].Cars, c)
			}
			free += site.QueueLength - k
		}
		if free < 2 || free > 4 {
			continue
		}
		for range 2 + rng.IntN(4) {
			n++
			st.Waiting = append(st.Waiting, Car{ID: fmt.Sprintf("w%d", n), Mode: Slow, Number: n, EnergyWh: 1000 + rng.Int64N(30000), ArrivedAt: t0.Add(-time.Hour)})
		}
		st.NextSlow = n + 1
		return site, st
	}
}

// bruteForceBatch tries every way of placing waiting cars on the free
// places (each charger's new cars appended in some order) that places as
// many cars as possible, and returns that number and the least total
// completion time of the placed cars, in ms.
func bruteForceBatch(site Site, st State) (int, int64) {
	type slot struct{ ci, pos int }
	var slots []slot
	backlog := make([]int64, len(site.Chargers))
	for i, q := range st.Queues {
		p := site.Chargers[i].PowerW
		for _, c := range q.Cars {
			if c.Charging() {
				backlog[i] += max(0, c.FinishAt(p).Sub(st.Now).Milliseconds())
			} else {
				backlog[i] += DurationMs(c.EnergyWh, p)
			}
		}
		for k := range site.QueueLength - len(q.Cars) {
			slots = append(slots, slot{i, k})
		}
	}
	cars := st.Waiting
	want := min(len(cars), len(slots))
	choice := make([]int, len(cars)) // slot index, or -1
	used := make([]bool, len(slots))
	best, found := int64(0), false
	var rec func(j, placed int)
	rec = func(j, placed int) {
		if j == len(cars) {
			if placed != want {
				return
			}
			// Each charger's new cars must fill its places from the first.
			at := map[slot]int{}
			for ci, s := range choice {
				if s >= 0 {
					at[slots[s]] = ci
				}
			}
			var total int64
			for i := range site.Chargers {
				done, gap := backlog[i], false
				for pos := range site.QueueLength {
					ci, ok := at[slot{i, pos}]
					if !ok {
						gap = true
						continue
					}
					if gap {
						return
					}
					done += DurationMs(cars[ci].EnergyWh, site.Chargers[i].PowerW)
					total += done
				}
			}
			if !found || total < best {
				best, found = total, true
			}
			return
		}
		choice[j] = -1
		rec(j+1, placed)
		for s := range slots {
			if !used[s] {
				used[s], choice[j] = true, s
				rec(j+1, placed+1)
				used[s] = false
			}
		}
		choice[j] = -1
	}
	rec(0, 0)
	return want, best
}
