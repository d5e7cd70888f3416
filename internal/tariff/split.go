package tariff

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// meterPoint is a register reading used for splitting: at is the time
// since the session's Start, wh the register in Wh. It holds no pointer,
// so long sample lists cost the garbage collector nothing to scan.
type meterPoint struct {
	at time.Duration
	wh int64
}

// meterPoints returns Start, the usable samples and Stop in time order with
// registers that never fall: samples outside (Start, Stop) are dropped, of
// several readings of one instant only the lowest is kept, values are
// clamped to [MeterStart, MeterStop] and a value below an earlier one is
// raised to it. The result does not depend on the order of s.Samples.
func meterPoints(s Session) []meterPoint {
	total := s.Stop.Sub(s.Start)
	pts := make([]meterPoint, 1, len(s.Samples)+2)
	pts[0] = meterPoint{at: 0, wh: s.MeterStart}
	sorted := true
	for _, x := range s.Samples {
		// Sub saturates, so readings centuries away still fall outside.
		at := x.At.Sub(s.Start)
		if at <= 0 || at >= total {
			continue
		}
		p := meterPoint{at: at, wh: x.EnergyWh}
		if len(pts) > 1 && byTimeThenRegister(p, pts[len(pts)-1]) < 0 {
			sorted = false
		}
		pts = append(pts, p)
	}
	if !sorted {
		slices.SortFunc(pts[1:], byTimeThenRegister)
	}
	// Keep the lowest reading of each instant and make the register
	// monotone, in place.
	n := 1
	for _, p := range pts[1:] {
		last := pts[n-1]
		if p.at == last.at {
			continue
		}
		pts[n] = meterPoint{at: p.at, wh: min(max(p.wh, last.wh), s.MeterStop)}
		n++
	}
	return append(pts[:n], meterPoint{at: total, wh: s.MeterStop})
}

func byTimeThenRegister(a, b meterPoint) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.wh, b.wh)
}

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
		b := segs[k].to.Sub(s.Start)
		for i < len(pts)-2 && pts[i+1].at <= b {
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
func interpolate(p, q meterPoint, at time.Duration) int64 {
	de := uint64(q.wh - p.wh)
	if de == 0 || at <= p.at {
		return p.wh
	}
	dt := uint64(q.at - p.at)
	hi, lo := bits.Mul64(de, uint64(at-p.at))
	share, rem := bits.Div64(hi, lo, dt)
	if rem >= dt-rem {
		share++
	}
	return p.wh + int64(share)
}
