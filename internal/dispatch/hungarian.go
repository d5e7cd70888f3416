package dispatch

import (
	"cmp"
	"math"
	"slices"
)

// HungarianMaxSize is the largest number of free places (columns) that batch
// placement solves exactly with Assign; above it, placement falls back to a
// greedy shortest-energy-first rule, because the O(n²·m) cost grows past a
// few milliseconds per decision.
const HungarianMaxSize = 400

// Assign solves the rectangular assignment problem exactly with the
// Hungarian algorithm (shortest augmenting paths with potentials, O(n²·m)):
// cost has n rows of m columns each, n ≤ m, and Assign returns for each row
// the column given to it so that no column is used twice and the sum of
// cost[row][col] over all rows is minimal; total is that sum. Costs must be
// small enough that sums of n of them do not overflow int64.
func Assign(cost [][]int64) (rowCol []int, total int64) {
	n := len(cost)
	if n == 0 {
		return nil, 0
	}
	m := len(cost[0])
	if m < n {
		panic("dispatch.Assign: more rows than columns")
	}
	const inf = math.MaxInt64 / 4
	// 1-based arrays; column 0 is the virtual start of each augmenting path.
	u := make([]int64, n+1)
	v := make([]int64, m+1)
	p := make([]int, m+1) // p[j]: row matched to column j
	way := make([]int, m+1)
	minv := make([]int64, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = inf
			used[j] = false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], int64(inf), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if c := cost[i0-1][j-1] - u[i0] - v[j]; c < minv[j] {
					minv[j], way[j] = c, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rowCol = make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			rowCol[p[j]-1] = j - 1
			total += cost[p[j]-1][j-1]
		}
	}
	return rowCol, total
}

// slot is the k-th place counted from the end among the cars newly added to
// charger index ci.
type slot struct{ ci, k int }

// batch places cars from cand (waiting cars; all of them when mode is "")
// on the free places of available chargers of mode ("" = every mode),
// minimising the total completion time of the placed cars.
//
// Cost minimised: the sum, over the placed cars, of the time from now until
// each finishes, in ms. If m new cars join charger c (power P, backlog B ms
// of cars already queued), the one placed k-th from the end finishes after
// B + the durations of the new cars ahead of it + its own, and summing over
// the m cars counts each new car's duration E/P once for itself and once for
// each car behind it: the total is Σ (B + k·E/P). That makes the cost of car
// i in slot (c, k) exactly B_c + k·E_i/P_c, independent of the other
// choices, so the placement is an assignment problem. Smaller k is always
// cheaper, so an optimal assignment fills each charger's slots from k = 1
// without gaps. When there are more cars than places, every place is used
// and the cheapest set is the cars with the least energy (an exchange
// argument: all coefficients k/P are positive), so only those are offered.
func (r *run) batch(cand []Car, mode Mode) {
	var slots []slot
	base := map[int]int64{}
	for i, ch := range r.site.Chargers {
		if (mode != "" && ch.Mode != mode) || !r.available(i) {
			continue
		}
		base[i] = r.backlogMs(i)
		for k := 1; k <= r.site.QueueLength-len(r.st.Queues[i].Cars); k++ {
			slots = append(slots, slot{i, k})
		}
	}
	if len(slots) == 0 || len(cand) == 0 {
		return
	}
	cars := slices.Clone(cand)
	slices.SortStableFunc(cars, func(a, b Car) int {
		return cmp.Or(cmp.Compare(a.EnergyWh, b.EnergyWh), cmp.Compare(a.Number, b.Number), cmp.Compare(a.Mode, b.Mode))
	})
	if len(cars) > len(slots) {
		cars = cars[:len(slots)]
	}
	type pick struct {
		c Car
		s slot
	}
	var picks []pick
	if len(slots) <= HungarianMaxSize {
		costs := make([][]int64, len(cars))
		for ri, c := range cars {
			row := make([]int64, len(slots))
			for j, s := range slots {
				row[j] = base[s.ci] + int64(s.k)*DurationMs(c.EnergyWh, r.site.Chargers[s.ci].PowerW)
			}
			costs[ri] = row
		}
		cols, _ := Assign(costs)
		for ri, j := range cols {
			picks = append(picks, pick{cars[ri], slots[j]})
		}
	} else {
		// Greedy fallback: least energy first, each to its best charger.
		for _, c := range cars {
			m := mode
			if m == "" {
				m = r.fastestMode(c)
			}
			if ci := r.best(c, m); ci >= 0 {
				r.removeWaiting(c.ID)
				r.place(c, ci)
			}
		}
		return
	}
	// Earliest position first: larger k from the end goes first on a charger.
	slices.SortStableFunc(picks, func(a, b pick) int {
		return cmp.Or(cmp.Compare(a.s.ci, b.s.ci), cmp.Compare(b.s.k, a.s.k))
	})
	for _, p := range picks {
		r.removeWaiting(p.c.ID)
		r.place(p.c, p.s.ci)
	}
}

// fastestMode picks the mode whose best charger finishes c first (greedy
// full-batch fallback).
func (r *run) fastestMode(c Car) Mode {
	f, s := r.best(c, Fast), r.best(c, Slow)
	switch {
	case f < 0:
		return Slow
	case s < 0:
		return Fast
	}
	tf := r.backlogMs(f) + DurationMs(c.EnergyWh, r.site.Chargers[f].PowerW)
	ts := r.backlogMs(s) + DurationMs(c.EnergyWh, r.site.Chargers[s].PowerW)
	if ts < tf {
		return Slow
	}
	return Fast
}

func (r *run) removeWaiting(id string) {
	r.st.Waiting = slices.DeleteFunc(r.st.Waiting, func(c Car) bool { return c.ID == id })
}
