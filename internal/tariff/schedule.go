package tariff

import (
	"cmp"
	"slices"
	"time"
)

// Segment is a stretch of time spent in one period.
type Segment struct {
	// Period in force during the segment.
	Period Period `json:"period"`
	// From is when the segment starts (inclusive), in UTC.
	From time.Time `json:"from"`
	// To is when the segment ends (exclusive), in UTC.
	To time.Time `json:"to"`
}

// CurrentPeriod returns the period in force at the instant at and when that
// stretch of the period ends, in UTC. A period that wraps midnight counts as
// one stretch (at 23:30 a 23:00–07:00 valley ends at 07:00 the next day), as
// do neighbouring periods with the same name and prices. When the price never
// changes over the next day (a single all-day period) the end is the next
// local midnight. v must be valid (see Version.Validate); for an invalid
// version CurrentPeriod returns the zero Period and at.
func CurrentPeriod(v Version, loc *time.Location, at time.Time) (Period, time.Time) {
	if loc == nil || v.Validate() != nil {
		return Period{}, at
	}
	y, m, d := at.In(loc).Date()
	nextMidnight := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	limit := time.Date(y, m, d+2, 0, 0, 0, 0, loc)
	segs := newPlan(v.Periods).segments(v.Periods, loc, at, limit)
	if len(segs) == 0 {
		return Period{}, at
	}
	first := segs[0]
	if !first.to.Before(limit) {
		return v.Periods[first.period], nextMidnight.UTC()
	}
	return v.Periods[first.period], first.to.UTC()
}

// DayTimeline lists, in order, the periods of the local calendar day (in
// loc) that contains the instant day, from local midnight to the next, with
// neighbouring periods of the same name and prices merged. On a day when the
// clocks change the segments still follow the wall clock, so the day lasts 23
// or 25 hours. v must be valid; for an invalid version DayTimeline returns
// nil.
func DayTimeline(v Version, loc *time.Location, day time.Time) []Segment {
	if loc == nil || v.Validate() != nil {
		return nil
	}
	y, m, d := day.In(loc).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, loc)
	to := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	segs := newPlan(v.Periods).segments(v.Periods, loc, from, to)
	out := make([]Segment, len(segs))
	for i, s := range segs {
		out[i] = Segment{Period: v.Periods[s.period], From: s.from.UTC(), To: s.to.UTC()}
	}
	return out
}

// span is a piece of the day plan: from and to are seconds after local
// midnight, [from, to), and period indexes the version's periods.
type span struct {
	from, to int
	period   int
}

// plan is a day cut into spans, sorted, covering [0, 86400) exactly once.
type plan []span

// newPlan builds the plan of valid periods.
func newPlan(periods []Period) plan {
	pl := make(plan, 0, len(periods)+1)
	for i, p := range periods {
		for _, r := range p.ranges() {
			pl = append(pl, span{from: r[0] * 60, to: r[1] * 60, period: i})
		}
	}
	slices.SortFunc(pl, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	return pl
}

// segment is a contiguous stretch of [from, to) in one period.
type segment struct {
	period   int
	from, to time.Time
}

// sameLine reports whether two periods bill alike, so that neighbouring
// stretches of them make one line.
func sameLine(a, b Period) bool {
	return a.Name == b.Name && a.EnergyPrice == b.EnergyPrice && a.ServicePrice == b.ServicePrice
}

// segments cuts [from, to) into stretches by period, in time order, merging
// neighbours that bill alike. Wall-clock boundaries are placed with time.Date
// in loc, so days with a clock change last 23 or 25 hours. When from equals
// to it returns one empty segment in the period in force at from.
func (pl plan) segments(periods []Period, loc *time.Location, from, to time.Time) []segment {
	if len(pl) == 0 || to.Before(from) {
		return nil
	}
	end := to
	if end.Equal(from) {
		end = from.Add(time.Nanosecond)
	}
	var out []segment
	y, m, d := from.In(loc).Date()
	var prev time.Time
	for day := d; ; day++ {
		for _, sp := range pl {
			a := time.Date(y, m, day, 0, 0, sp.from, 0, loc)
			b := time.Date(y, m, day, 0, 0, sp.to, 0, loc)
			// In a repeated or skipped wall-clock hour time.Date may pick
			// either instant; keep the boundaries in order regardless.
			if a.Before(prev) {
				a = prev
			}
			if b.Before(a) {
				b = a
			}
			prev = b
			if !b.After(a) || !b.After(from) {
				continue
			}
			if !a.Before(end) {
				return finish(out, from, to)
			}
			a, b = later(a, from), earlier(b, end)
			if n := len(out); n > 0 && out[n-1].to.Equal(a) && sameLine(periods[out[n-1].period], periods[sp.period]) {
				out[n-1].to = b
				continue
			}
			out = append(out, segment{period: sp.period, from: a, to: b})
		}
	}
}

// finish trims the nanosecond added for an empty range.
func finish(out []segment, from, to time.Time) []segment {
	if from.Equal(to) && len(out) > 0 {
		out = out[:1]
		out[0].to = to
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
