package dispatch

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBatchModes(t *testing.T) {
	tests := []struct {
		name string
		site Site
		ops  []op
		want map[string][]string
	}{{
		name: "without batch, waiting cars are called by number",
		site: Site{WaitingCapacity: 5, QueueLength: 1, Strategy: Priority, Chargers: []Charger{sc("A", 7), Charger{ID: "B", Mode: Slow, PowerW: 3500}}},
		// T1 (1 h on A) and T2 (1 h on B) end together at 60; T3 -> A (3 h < 6 h), T4 -> B.
		ops:  []op{req(0, "c1", Slow, 7000), req(0, "c2", Slow, 3500), req(1, "c3", Slow, 21000), req(2, "c4", Slow, 7000), req(3, "c5", Slow, 3500), {min: 60, kind: "advance"}},
		want: map[string][]string{"A": {"T3*"}, "B": {"T4*"}, "waiting": {"T5"}},
	}, {
		name: "single batch picks the set and placement of least total completion",
		site: Site{WaitingCapacity: 5, QueueLength: 1, Strategy: Priority, Batch: SingleBatch, Chargers: []Charger{sc("A", 7), Charger{ID: "B", Mode: Slow, PowerW: 3500}}},
		// Two places free at 60: the two smallest (T4 7 kWh, T5 3.5 kWh); T4 on A + T5 on B = 1 h + 1 h
		// beats T5 on A + T4 on B = 0.5 h + 2 h.
		ops:  []op{req(0, "c1", Slow, 7000), req(0, "c2", Slow, 3500), req(1, "c3", Slow, 21000), req(2, "c4", Slow, 7000), req(3, "c5", Slow, 3500), {min: 60, kind: "advance"}},
		want: map[string][]string{"A": {"T4*"}, "B": {"T5*"}, "waiting": {"T3"}},
	}, {
		name: "single batch orders one charger's queue shortest first",
		site: Site{WaitingCapacity: 5, QueueLength: 3, Strategy: Priority, Batch: SingleBatch, Chargers: []Charger{sc("A", 7)}},
		ops: []op{{min: 0, kind: "fault", id: "A"}, req(1, "c1", Slow, 14000), req(2, "c2", Slow, 7000), req(3, "c3", Slow, 3500),
			{min: 4, kind: "recover", id: "A"}},
		want: map[string][]string{"A": {"T3*", "T2", "T1"}},
	}, {
		name: "full batch waits until requests fill every place",
		site: Site{WaitingCapacity: 5, QueueLength: 1, Strategy: Priority, Batch: FullBatch, Chargers: []Charger{fc("A", 30), sc("S", 7)}},
		ops:  []op{req(0, "c1", Fast, 30000)},
		want: map[string][]string{"waiting": {"F1"}},
	}, {
		name: "full batch ignores modes to minimise total completion",
		site: Site{WaitingCapacity: 5, QueueLength: 1, Strategy: Priority, Batch: FullBatch, Chargers: []Charger{fc("A", 30), sc("S", 7)}},
		// F1 on A (1 h) + F2 on S (1 h) = 2 h beats F2 on A (14 min) + F1 on S (4 h 17 min).
		ops:  []op{req(0, "c1", Fast, 30000), req(1, "c2", Fast, 7000)},
		want: map[string][]string{"A": {"F1*"}, "S": {"F2*"}},
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

func TestHoldWindow(t *testing.T) {
	site := Site{WaitingCapacity: 5, QueueLength: 3, Strategy: Priority, HoldWindow: 5 * 60e9, Chargers: []Charger{fc("A", 30)}}
	start := []op{req(0, "c1", Fast, 1000), req(0, "c2", Fast, 1000), req(0, "c3", Fast, 1000)}
	tests := []struct {
		name string
		ops  []op
		want map[string][]string
	}{
		{"called car waits to plug in", nil, map[string][]string{"A": {"F1", "F2", "F3"}}},
		{"plug in starts charging", []op{{min: 1, kind: "plug", id: "c1"}}, map[string][]string{"A": {"F1*", "F2", "F3"}}},
		{"first miss goes back one place", []op{{min: 5, kind: "miss", id: "c1"}}, map[string][]string{"A": {"F2", "F1", "F3"}}},
		{"second miss is out", []op{{min: 5, kind: "miss", id: "c1"}, {min: 10, kind: "miss", id: "c2"}, {min: 15, kind: "miss", id: "c1"}},
			map[string][]string{"A": {"F2", "F3"}}},
		{"a car not at the head cannot miss", []op{{min: 5, kind: "miss", id: "c2", wantIs: ErrNotCalled}}, map[string][]string{"A": {"F1", "F2", "F3"}}},
		{"alone, a car is called again", []op{{min: 1, kind: "cancel", id: "c2"}, {min: 1, kind: "cancel", id: "c3"}, {min: 5, kind: "miss", id: "c1"}},
			map[string][]string{"A": {"F1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := play(t, site, append(append([]op{}, start...), tt.ops...))
			if d := cmp.Diff(tt.want, layout(st)); d != "" {
				t.Errorf("layout (-want +got):\n%s", d)
			}
		})
	}
}

func bruteForce(cost [][]int64) int64 {
	n, m := len(cost), len(cost[0])
	used := make([]bool, m)
	best, found := int64(0), false
	var rec func(i int, sum int64)
	rec = func(i int, sum int64) {
		if i == n {
			if !found || sum < best {
				best, found = sum, true
			}
			return
		}
		for j := 0; j < m; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, sum+cost[i][j])
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func TestAssignMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		n := 1 + rng.IntN(7)
		m := n + rng.IntN(8-n)
		cost := make([][]int64, n)
		for i := range cost {
			cost[i] = make([]int64, m)
			for j := range cost[i] {
				cost[i][j] = rng.Int64N(1000) - 200
			}
		}
		cols, total := Assign(cost)
		seen := map[int]bool{}
		var sum int64
		for i, j := range cols {
			if seen[j] {
				t.Fatalf("trial %d: column %d used twice", trial, j)
			}
			seen[j] = true
			sum += cost[i][j]
		}
		if want := bruteForce(cost); total != want || sum != want {
			t.Fatalf("trial %d (%dx%d): got total %d (sum %d), want %d", trial, n, m, total, sum, want)
		}
	}
}
