package dispatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// randomSite builds a small site from rng.
func randomSite(rng *rand.Rand) Site {
	s := Site{
		WaitingCapacity: 1 + rng.IntN(6),
		QueueLength:     1 + rng.IntN(3),
		Strategy:        []Strategy{Priority, TimeOrder}[rng.IntN(2)],
		Batch:           []BatchMode{NoBatch, SingleBatch, FullBatch}[rng.IntN(3)],
	}
	for i := range 2 + rng.IntN(4) {
		m := Fast
		if i%2 == 1 {
			m = Slow
		}
		s.Chargers = append(s.Chargers, Charger{ID: fmt.Sprintf("C%d", i), Mode: m, PowerW: 3000 + rng.Int64N(60000)})
	}
	return s
}

// checkInvariants fails if a car is in two places, a queue is too long, a
// car charges anywhere but the head, or a faulted queue holds cars.
func checkInvariants(t *testing.T, site Site, st State) {
	t.Helper()
	seen := map[string]string{}
	note := func(c Car, where string) {
		if prev, ok := seen[c.ID]; ok {
			t.Fatalf("car %s is in %s and %s", c.ID, prev, where)
		}
		seen[c.ID] = where
	}
	for _, c := range st.Waiting {
		note(c, "waiting")
	}
	for _, c := range st.Displaced {
		note(c, "displaced")
	}
	if len(st.Waiting) > site.WaitingCapacity {
		t.Fatalf("got %d waiting, want at most %d", len(st.Waiting), site.WaitingCapacity)
	}
	for _, q := range st.Queues {
		if len(q.Cars) > site.QueueLength {
			t.Fatalf("charger %s: got %d cars, want at most %d", q.ChargerID, len(q.Cars), site.QueueLength)
		}
		if q.Faulted && len(q.Cars) > 0 {
			t.Fatalf("faulted charger %s holds %d cars", q.ChargerID, len(q.Cars))
		}
		for p, c := range q.Cars {
			note(c, q.ChargerID)
			if p > 0 && c.Charging() {
				t.Fatalf("car %s charges at position %d of %s", c.ID, p, q.ChargerID)
			}
		}
	}
	if st.Paused != (len(st.Displaced) > 0) {
		t.Fatalf("got paused %v with %d displaced", st.Paused, len(st.Displaced))
	}
}

func TestDispatchProperties(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 99))
		site := randomSite(rng)
		st := NewState(site, t0)
		now := t0
		lastNumber := map[Mode]int{}
		wanted := map[string]int64{}    // energy the car asked for, Wh
		delivered := map[string]int64{} // over all its sessions, Wh
		finished, gone := map[string]bool{}, map[string]bool{}
		ids := []string{}
		record := func(ev []Event) {
			for _, e := range ev {
				switch e.Kind {
				case EnergyChanged:
					wanted[e.CarID] = e.EnergyWh
				case Queued, ModeChanged:
					if e.Kind == Queued {
						wanted[e.CarID], finished[e.CarID], gone[e.CarID] = e.EnergyWh, false, false
					}
					c := st.findCar(e.CarID)
					if c.Number <= lastNumber[c.Mode] {
						t.Fatalf("seed %d: %s got number %d after %d", seed, e.CarID, c.Number, lastNumber[c.Mode])
					}
					lastNumber[c.Mode] = c.Number
				case Finished:
					if got := delivered[e.CarID] + e.DeliveredWh; got != wanted[e.CarID] {
						t.Fatalf("seed %d: %s finished with %d Wh delivered, want %d", seed, e.CarID, got, wanted[e.CarID])
					}
					delivered[e.CarID], finished[e.CarID] = 0, true
				case Stopped:
					delivered[e.CarID] += e.DeliveredWh
				case Cancelled, Removed:
					delivered[e.CarID], gone[e.CarID] = 0, true
				}
			}
		}
		for step := range 60 {
			now = now.Add(time.Duration(rng.IntN(40)) * time.Minute)
			var ev []Event
			var err error
			id := fmt.Sprintf("car%d", rng.IntN(step+1))
			switch k := rng.IntN(10); {
			case k < 4:
				wh := 1000 + rng.Int64N(40000)
				if st, ev, err = Request(site, st, NewRequest{CarID: id, Mode: []Mode{Fast, Slow}[rng.IntN(2)], EnergyWh: wh}, now); err == nil {
					ids = append(ids, id)
				}
			case k == 4:
				st, ev, err = ChangeEnergy(site, st, id, 1000+rng.Int64N(40000), now)
			case k == 5:
				st, ev, err = ChangeMode(site, st, id, []Mode{Fast, Slow}[rng.IntN(2)], now)
			case k == 6:
				st, ev, err = Cancel(site, st, id, now)
			case k == 7:
				st, ev, err = Fault(site, st, site.Chargers[rng.IntN(len(site.Chargers))].ID, now)
			case k == 8:
				st, ev, err = Recover(site, st, site.Chargers[rng.IntN(len(site.Chargers))].ID, now)
			default:
				st, ev, err = Advance(site, st, now)
			}
			_ = err // refusals are part of the game; the invariants must hold anyway
			record(ev)
			checkInvariants(t, site, st)
		}
		// Recover everything and run to the end.
		for _, q := range st.Queues {
			if q.Faulted {
				var ev []Event
				st, ev, _ = Recover(site, st, q.ChargerID, now)
				record(ev)
			}
		}
		for {
			next, ok := NextFinish(site, st)
			if !ok {
				break
			}
			var ev []Event
			st, ev, _ = Advance(site, st, next)
			record(ev)
			checkInvariants(t, site, st)
		}
		for _, id := range ids {
			_, _, _, present := st.Where(id)
			switch {
			case !finished[id] && !gone[id] && !present:
				t.Fatalf("seed %d: %s is neither finished, cancelled nor present", seed, id)
			case present && site.Batch != FullBatch:
				place, _, _, _ := st.Where(id)
				t.Fatalf("seed %d: %s still in %s after everything ran", seed, id, place)
			case present:
				if place, _, _, _ := st.Where(id); place != "waiting" {
					t.Fatalf("seed %d: %s still in %s after everything ran", seed, id, place)
				}
			}
		}
	}
}

// findCar returns the car wherever it is.
func (st State) findCar(id string) Car {
	place, qi, pos, _ := st.Where(id)
	switch place {
	case "waiting":
		return st.Waiting[pos]
	case "displaced":
		return st.Displaced[pos]
	case "queue":
		return st.Queues[qi].Cars[pos]
	}
	return Car{}
}
