package dispatch

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlacementShortestCompletion(t *testing.T) {
	tests := []struct {
		name string
		site Site
		ops  []op
		want map[string][]string
	}{{
		name: "empty chargers tie goes to lower id",
		site: fastSite(5, 2, Priority, fc("B", 30), fc("A", 30)),
		ops:  []op{req(0, "c1", Fast, 30000)},
		want: map[string][]string{"A": {"F1*"}},
	}, {
		name: "the less loaded charger wins",
		site: fastSite(5, 2, Priority, fc("A", 30), fc("B", 30)),
		ops:  []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 15000), req(10, "c3", Fast, 15000)},
		// c3 at 10 min: A has 50 min left, B 20 min left.
		want: map[string][]string{"A": {"F1*"}, "B": {"F2*", "F3"}},
	}, {
		name: "a faster charger wins even with a longer queue",
		site: fastSite(5, 3, Priority, fc("A", 30), fc("B", 120)),
		// c1 on B (15 min). c2: A 60 min, B 15+15 = 30 min.
		ops:  []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 30000)},
		want: map[string][]string{"B": {"F1*", "F2"}},
	}, {
		name: "modes are separate and numbered apart",
		site: fastSite(5, 1, Priority, fc("A", 30), sc("S", 7)),
		ops:  []op{req(0, "c1", Slow, 7000), req(0, "c2", Fast, 1000), req(0, "c3", Slow, 7000), req(0, "c4", Fast, 1000)},
		want: map[string][]string{"A": {"F1*"}, "S": {"T1*"}, "waiting": {"T2", "F2"}},
	}, {
		name: "waiting car called by number when a place frees",
		site: fastSite(5, 1, Priority, fc("A", 30)),
		// c1 finishes at 60; F2 changed mode is gone, F3 is earliest fast.
		ops: []op{req(0, "c1", Fast, 30000), req(1, "c2", Fast, 30000), req(2, "c3", Fast, 1000),
			{min: 3, kind: "cancel", id: "c2"}, {min: 60, kind: "advance"}},
		want: map[string][]string{"A": {"F3*"}},
	}, {
		name: "offline charger is never used",
		site: fastSite(5, 1, Priority, Charger{ID: "A", Mode: Fast, PowerW: 30000, Offline: true}, fc("B", 7)),
		ops:  []op{req(0, "c1", Fast, 30000)},
		want: map[string][]string{"B": {"F1*"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := play(t, tt.site, tt.ops)
			if d := cmp.Diff(tt.want, layout(st)); d != "" {
				t.Errorf("layout (-want +got):\n%s", d)
			}
		})
	}
}

func TestPlacedEventTimes(t *testing.T) {
	site := fastSite(5, 3, Priority, fc("A", 30))
	_, ev := play(t, site, []op{req(0, "c1", Fast, 30000), req(15, "c2", Fast, 15000)})
	want := []string{
		"0s placed F1 @A pos0 0s-1h0m0s",
		"15m0s placed F2 @A pos1 1h0m0s-1h30m0s",
	}
	if d := cmp.Diff(want, brief(ev, Placed)); d != "" {
		t.Errorf("placed events (-want +got):\n%s", d)
	}
}

func TestRefusals(t *testing.T) {
	site := fastSite(1, 1, Priority, fc("A", 30))
	tests := []struct {
		name string
		ops  []op
	}{
		{"waiting area full", []op{req(0, "c1", Fast, 1000), req(0, "c2", Fast, 1000), {kind: "request", id: "c3", mode: Fast, wh: 1000, wantIs: ErrWaitingAreaFull}}},
		{"duplicate car", []op{req(0, "c1", Fast, 1000), {kind: "request", id: "c1", mode: Fast, wh: 1000, wantIs: ErrDuplicateCar}}},
		{"no charger of the mode", []op{{kind: "request", id: "c1", mode: Slow, wh: 1000, wantIs: ErrNoCharger}}},
		{"bad energy", []op{{kind: "request", id: "c1", mode: Fast, wh: 0, wantIs: ErrInvalid}}},
		{"change energy after placement", []op{req(0, "c1", Fast, 1000), {kind: "energy", id: "c1", wh: 500, wantIs: ErrAlreadyPlaced}}},
		{"change mode after placement", []op{req(0, "c1", Fast, 1000), {kind: "mode", id: "c1", mode: Slow, wantIs: ErrAlreadyPlaced}}},
		{"change mode to a mode without chargers", []op{req(0, "c1", Fast, 1000), req(0, "c2", Fast, 1000), {kind: "mode", id: "c2", mode: Slow, wantIs: ErrNoCharger}}},
		{"cancel unknown car", []op{{kind: "cancel", id: "nobody", wantIs: ErrUnknownCar}}},
		{"fault unknown charger", []op{{kind: "fault", id: "Z", wantIs: ErrUnknownCharger}}},
		{"fault twice", []op{{kind: "fault", id: "A"}, {kind: "fault", id: "A", wantIs: ErrChargerState}}},
		{"recover a working charger", []op{{kind: "recover", id: "A", wantIs: ErrChargerState}}},
		{"time going backwards", []op{req(10, "c1", Fast, 1000), {min: 5, kind: "advance", wantIs: ErrTimeBackwards}}},
		{"miss hold without a hold window", []op{req(0, "c1", Fast, 1000), {kind: "miss", id: "c1", wantIs: ErrNotCalled}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ev := play(t, site, tt.ops)
			last := tt.ops[len(tt.ops)-1]
			if last.wantIs == ErrTimeBackwards {
				return // nothing is recorded when time is invalid
			}
			if got := ev[len(ev)-1].Kind; got != Refused {
				t.Errorf("got last event %s, want %s", got, Refused)
			}
			if _, _, _, ok := st.Where("c3"); ok && last.wantIs == ErrWaitingAreaFull {
				t.Errorf("got refused car c3 in the state, want it absent")
			}
		})
	}
}

func TestChangesWhileWaiting(t *testing.T) {
	site := fastSite(5, 1, Priority, fc("A", 30), sc("S", 7))
	base := []op{req(0, "c1", Fast, 30000), req(0, "c2", Slow, 7000), req(0, "c3", Fast, 9000), req(0, "c4", Fast, 9000)}
	tests := []struct {
		name       string
		ops        []op
		want       map[string][]string
		wantEnergy int64 // of c3, or 0 if c3 is gone
	}{
		{"change energy keeps the number", []op{{min: 1, kind: "energy", id: "c3", wh: 3000}},
			map[string][]string{"A": {"F1*"}, "S": {"T1*"}, "waiting": {"F2", "F3"}}, 3000},
		{"change mode takes a new number at the end", []op{req(1, "c5", Slow, 1000), {min: 2, kind: "mode", id: "c3", mode: Slow}},
			map[string][]string{"A": {"F1*"}, "S": {"T1*"}, "waiting": {"F3", "T2", "T3"}}, 9000},
		{"cancel while waiting", []op{{min: 1, kind: "cancel", id: "c3"}},
			map[string][]string{"A": {"F1*"}, "S": {"T1*"}, "waiting": {"F3"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := play(t, site, append(append([]op{}, base...), tt.ops...))
			if d := cmp.Diff(tt.want, layout(st)); d != "" {
				t.Errorf("layout (-want +got):\n%s", d)
			}
			var got int64
			for _, c := range st.Waiting {
				if c.ID == "c3" {
					got = c.EnergyWh
				}
			}
			if got != tt.wantEnergy {
				t.Errorf("got c3 energy %d Wh, want %d", got, tt.wantEnergy)
			}
		})
	}
}

func TestAdvanceAndCancel(t *testing.T) {
	site := fastSite(5, 2, Priority, fc("A", 30))
	tests := []struct {
		name string
		ops  []op
		want []string
	}{{
		name: "cars finish in order and the next is called",
		ops:  []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 15000), req(0, "c3", Fast, 15000), {min: 120, kind: "advance"}},
		want: []string{
			"1h0m0s finished F1 @A 30000Wh", "1h0m0s started F2 @A", "1h0m0s placed F3 @A pos1 1h30m0s-2h0m0s",
			"1h30m0s finished F2 @A 15000Wh", "1h30m0s started F3 @A",
			"2h0m0s finished F3 @A 15000Wh",
		},
	}, {
		name: "cancel while charging bills what was delivered",
		ops:  []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 15000), {min: 20, kind: "cancel", id: "c1"}},
		want: []string{"20m0s stopped F1 @A 10000Wh", "20m0s cancelled F1", "20m0s started F2 @A"},
	}, {
		name: "cancel a car waiting on a queue",
		ops:  []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 15000), req(0, "c3", Fast, 15000), {min: 20, kind: "cancel", id: "c2"}},
		want: []string{"20m0s cancelled F2", "20m0s placed F3 @A pos1 1h0m0s-1h30m0s"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := site
			st := NewState(site, t0)
			var ev []Event
			for _, o := range tt.ops {
				var err error
				if st, ev, err = apply(site, st, o); err != nil {
					t.Fatalf("%s: %v", o.kind, err)
				}
			}
			if d := cmp.Diff(tt.want, brief(ev)); d != "" {
				t.Errorf("events of the last step (-want +got):\n%s", d)
			}
		})
	}
}

func TestFaultAndRecover(t *testing.T) {
	// Three fast chargers at 30 kW, M = 2.
	// t=0: F1 30 kWh -> A, F2 30 kWh -> B, F3 60 kWh -> C, F4 10 kWh -> A (tie with B),
	// F5 10 kWh -> B, F6 10 kWh -> C (A and B full), F7 5 kWh waits.
	three := []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 30000), req(0, "c3", Fast, 60000),
		req(0, "c4", Fast, 10000), req(0, "c5", Fast, 10000), req(0, "c6", Fast, 10000), req(0, "c7", Fast, 5000)}
	faultA := op{min: 30, kind: "fault", id: "A"}
	tests := []struct {
		name       string
		strategy   Strategy
		ops        []op
		want       map[string][]string
		wantPaused bool
	}{{
		name:     "priority keeps the others' queues and waits for places",
		strategy: Priority,
		ops:      append(append([]op{}, three...), faultA),
		// F1 stopped at 15 kWh delivered: F1 (15 kWh) and F4 wait for places first.
		want:       map[string][]string{"B": {"F2*", "F5"}, "C": {"F3*", "F6"}, "displaced": {"F1", "F4"}, "waiting": {"F7"}},
		wantPaused: true,
	}, {
		name:     "priority places displaced cars before calling",
		strategy: Priority,
		// B finishes F2 at 60 (F5 starts, F1 placed), F5 at 80 (F1 starts, F4 placed);
		// then nothing displaced, F7 still has no place until 110 when F1 ends.
		ops:  append(append([]op{}, three...), faultA, op{min: 100, kind: "advance"}),
		want: map[string][]string{"B": {"F1*", "F4"}, "C": {"F3*", "F6"}, "waiting": {"F7"}},
	}, {
		name:     "time order merges and re-places by number",
		strategy: TimeOrder,
		// F1 (15 kWh), F4, F5, F6 re-placed: F1 -> B (30+30 min) over C (90+30), F4 -> C, F5 and F6 displaced.
		ops:        append(append([]op{}, three...), faultA),
		want:       map[string][]string{"B": {"F2*", "F1"}, "C": {"F3*", "F4"}, "displaced": {"F5", "F6"}, "waiting": {"F7"}},
		wantPaused: true,
	}, {
		name:     "recovery re-balances by number then calls",
		strategy: TimeOrder,
		// At 40: B has 20 min left, C 80. F1 (30 min) -> A, F4 (20) -> B (40 < A's 50),
		// F5 -> A (50 < C's 100), F6 -> C; F7 still waits.
		ops:  append(append([]op{}, three...), faultA, op{min: 40, kind: "recover", id: "A"}),
		want: map[string][]string{"A": {"F1*", "F5"}, "B": {"F2*", "F4"}, "C": {"F3*", "F6"}, "waiting": {"F7"}},
	}, {
		name:     "priority recovery re-balances not-yet-charging cars",
		strategy: Priority,
		// At 100 (see above) B: F1* (10 min left), F4; C: F3* (20 min left), F6.
		// Recover A: F4 -> A (20 < 10+20), F6 -> B (10+20 < 20+20 = A's 40 = C's 40),
		// then F7 (10 min) -> A (30, tie with C, lower id).
		ops:  append(append([]op{}, three...), faultA, op{min: 100, kind: "recover", id: "A"}),
		want: map[string][]string{"A": {"F4*", "F7"}, "B": {"F1*", "F6"}, "C": {"F3*"}},
	}, {
		name:     "pause holds back only the displaced cars' mode",
		strategy: Priority,
		// A faults with F1 and F4 on it; B and C are full, so both are displaced and F7 waits,
		// while the slow T1 is still called to S.
		ops: []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 30000), req(0, "c3", Fast, 30000), req(0, "c4", Fast, 30000),
			req(0, "c5", Fast, 30000), req(0, "c6", Fast, 30000), req(0, "c7", Fast, 1000), {min: 10, kind: "fault", id: "A"},
			req(11, "c8", Slow, 1000)},
		want:       map[string][]string{"B": {"F2*", "F5"}, "C": {"F3*", "F6"}, "S": {"T1*"}, "displaced": {"F1", "F4"}, "waiting": {"F7"}},
		wantPaused: true,
	}, {
		name:     "fault of an empty queue changes nothing else",
		strategy: Priority,
		ops:      []op{req(0, "c1", Fast, 30000), {min: 1, kind: "fault", id: "C"}, req(2, "c2", Fast, 30000), req(2, "c3", Fast, 30000)},
		want:     map[string][]string{"A": {"F1*", "F3"}, "B": {"F2*"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := fastSite(6, 2, tt.strategy, fc("A", 30), fc("B", 30), fc("C", 30), sc("S", 7))
			st, _ := play(t, site, tt.ops)
			if d := cmp.Diff(tt.want, layout(st)); d != "" {
				t.Errorf("layout (-want +got):\n%s", d)
			}
			if st.Paused != tt.wantPaused {
				t.Errorf("got paused %v, want %v", st.Paused, tt.wantPaused)
			}
		})
	}
}

func TestFaultStopsAndBills(t *testing.T) {
	site := fastSite(6, 2, Priority, fc("A", 30), fc("B", 30))
	_, ev := play(t, site, []op{req(0, "c1", Fast, 30000), req(0, "c2", Fast, 30000), {min: 12, kind: "fault", id: "A"}})
	want := []string{"12m0s faulted  @A", "12m0s stopped F1 @A 6000Wh", "12m0s displaced F1", "12m0s placed F1 @B pos1 1h0m0s-1h48m0s"}
	if d := cmp.Diff(want, brief(ev)[len(brief(ev))-4:]); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}
