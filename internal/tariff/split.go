package tariff

import (
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

// splitEnergy returns the whole Wh of each segment. segs must tile
// [s.Start, s.Stop] in order. The register is read at each boundary between
// segments by interpolating linearly between the meter points around it and
// rounding half up to a whole Wh; a segment's energy is the difference of
// the readings at its ends, so the result adds up to MeterStop − MeterStart
// and each segment is within 1 Wh of its exact share.
func splitEnergy(s Session, segs []segment) []int64 {
	out := make([]int64, len(segs))
	if len(segs) == 0 {
		return out
	}
	if len(segs) == 1 || !s.Stop.After(s.Start) {
		out[0] = s.MeterStop - s.MeterStart
		return out
	}
	pts := meterPoints(s)
	i := 0 // pts[i].at <= boundary < pts[i+1].at
	prev := s.MeterStart
	for k := 0; k < len(segs)-1; k++ {
		b := segs[k].to
		for i < len(pts)-2 && !pts[i+1].at.After(b) {
			i++
		}
		reading := interpolate(pts[i], pts[i+1], b)
		out[k] = reading - prev
		prev = reading
	}
	out[len(segs)-1] = s.MeterStop - prev
	return out
}

// interpolate returns the register at instant at between points p and q
// (p.at <= at <= q.at, p.at < q.at, p.wh <= q.wh), assuming constant power
// between them, rounded half up to a whole Wh. The product of energy and
// time is taken in 128 bits, so long intervals cannot overflow.
func interpolate(p, q meterPoint, at time.Time) int64 {
	de := uint64(q.wh - p.wh)
	if de == 0 || !at.After(p.at) {
		return p.wh
	}
	dt := uint64(q.at.Sub(p.at))
	hi, lo := bits.Mul64(de, uint64(at.Sub(p.at)))
	share, rem := bits.Div64(hi, lo, dt)
	if rem >= dt-rem {
		share++
	}
	return p.wh + int64(share)
}
