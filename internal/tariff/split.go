package tariff

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// meterPoint is a register reading used for splitting: at, in Wh.
type meterPoint struct {
	at time.Time
	wh int64
}

// meterPoints returns Start, the usable samples and Stop in time order with
// registers that never fall: samples outside (Start, Stop) and repeats of an
// instant are dropped (the first reading of an instant wins, Start and Stop
// win over samples), values are clamped to [MeterStart, MeterStop] and a
// value below an earlier one is raised to it.
func meterPoints(s Session) []meterPoint {
	inside := make([]Sample, 0, len(s.Samples))
	for _, x := range s.Samples {
		if x.At.After(s.Start) && x.At.Before(s.Stop) {
			inside = append(inside, x)
		}
	}
	if !slices.IsSortedFunc(inside, bySampleTime) {
		slices.SortStableFunc(inside, bySampleTime)
	}
	pts := make([]meterPoint, 0, len(inside)+2)
	pts = append(pts, meterPoint{at: s.Start, wh: s.MeterStart})
	for _, x := range inside {
		last := pts[len(pts)-1]
		if x.At.Equal(last.at) {
			continue
		}
		wh := min(max(x.EnergyWh, last.wh), s.MeterStop)
		pts = append(pts, meterPoint{at: x.At, wh: wh})
	}
	return append(pts, meterPoint{at: s.Stop, wh: s.MeterStop})
}

func bySampleTime(a, b Sample) int { return a.At.Compare(b.At) }

// splitEnergy returns the whole Wh of each segment. segs must cover
// [s.Start, s.Stop] in order; the result adds up to MeterStop − MeterStart.
func splitEnergy(s Session, segs []segment) []int64 {
	out := make([]int64, len(segs))
	if len(segs) == 0 {
		return out
	}
	if !s.Stop.After(s.Start) {
		out[0] = s.MeterStop - s.MeterStart
		return out
	}
	pts := meterPoints(s)
	var sp splitter
	j := 0
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1].at, pts[i].at
		de := pts[i].wh - pts[i-1].wh
		if de == 0 {
			continue
		}
		for j < len(segs)-1 && !segs[j].to.After(a) {
			j++
		}
		if !b.After(segs[j].to) || j == len(segs)-1 {
			out[j] += de
			continue
		}
		sp.split(de, a, b, segs[j:], out[j:])
	}
	return out
}

// splitter shares one interval's energy among the segments it spans; its
// buffers are reused between intervals.
type splitter struct {
	rem   []uint64
	order []int
}

// split adds to out[k] the share of de (Wh, > 0) that falls in segs[k] for
// the interval [a, b), in proportion to the time overlapping, rounded to
// whole Wh by largest remainder (ties to the earlier segment). segs[0] must
// contain a.
func (sp *splitter) split(de int64, a, b time.Time, segs []segment, out []int64) {
	dt := uint64(b.Sub(a))
	sp.rem = sp.rem[:0]
	sp.order = sp.order[:0]
	left := de
	for k := 0; k < len(segs) && segs[k].from.Before(b); k++ {
		ov := uint64(earlier(b, segs[k].to).Sub(later(a, segs[k].from)))
		hi, lo := bits.Mul64(uint64(de), ov)
		q, r := bits.Div64(hi, lo, dt)
		out[k] += int64(q)
		left -= int64(q)
		sp.rem = append(sp.rem, r)
		sp.order = append(sp.order, k)
	}
	if left == 0 {
		return
	}
	slices.SortStableFunc(sp.order, func(x, y int) int { return cmp.Compare(sp.rem[y], sp.rem[x]) })
	for _, k := range sp.order[:left] {
		out[k]++
	}
}
