package tariff

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// propertyCases is how many random cases each property test tries.
const propertyCases = 3000

// gen makes random but reproducible tariffs and sessions.
type gen struct {
	r     *rand.Rand
	zones []*time.Location
}

func newGen(t testing.TB, seed uint64) gen {
	t.Helper()
	var zones []*time.Location
	for _, name := range []string{"Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"} {
		zones = append(zones, zone(t, name))
	}
	return gen{r: rand.New(rand.NewPCG(seed, 0x7a41ff)), zones: zones}
}

// version returns the default tariff or a random valid one with 1 to 8
// periods, possibly wrapping midnight, prices up to 1 ¥/kWh.
func (g gen) version() Version {
	if g.r.IntN(3) == 0 {
		return Default()
	}
	n := 1 + g.r.IntN(8)
	cuts := map[int]bool{}
	for len(cuts) < n {
		cuts[g.r.IntN(MinutesPerDay)] = true
	}
	var cs []int
	for c := range cuts {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	names := []string{"peak", "flat", "valley", "shoulder"}
	v := Version{}
	for i, c := range cs {
		end := cs[(i+1)%len(cs)]
		if len(cs) == 1 {
			end = c // one period all round the clock, from c back to c
			if c == 0 {
				end = MinutesPerDay
			}
		}
		v.Periods = append(v.Periods, Period{
			Name:         names[g.r.IntN(len(names))],
			StartMinute:  c,
			EndMinute:    end,
			EnergyPrice:  g.r.Int64N(10001),
			ServicePrice: g.r.Int64N(10001),
		})
	}
	if len(cs) == 1 && cs[0] != 0 {
		// Start == End is not allowed; split the day at midnight instead.
		c := cs[0]
		v.Periods[0].EndMinute = MinutesPerDay
		v.Periods = append(v.Periods, Period{Name: "night", StartMinute: 0, EndMinute: c, EnergyPrice: g.r.Int64N(10001), ServicePrice: g.r.Int64N(10001)})
	}
	return v
}

// How messy gen.session makes the samples.
const (
	// clean samples: in time order, inside the session, registers rising.
	clean = iota
	// shuffled samples: also out of order, duplicated and with readings
	// before Start and after Stop; the usable readings are still clean.
	shuffled
	// garbled samples: also readings inside the session whose registers
	// run backwards or beyond MeterStop.
	garbled
)

// session returns a random session in a random zone lasting up to maxDur,
// drawing at most maxW watts between any two true readings, with samples as
// messy as mess says.
func (g gen) session(maxDur time.Duration, maxW int64, mess int) (*time.Location, Session) {
	loc := g.zones[g.r.IntN(len(g.zones))]
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	start := base.Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
	dur := time.Duration(g.r.Int64N(int64(maxDur)))
	if g.r.IntN(4) == 0 {
		dur = dur.Truncate(time.Minute) // land on minute boundaries too
	}
	stop := start.Add(dur)
	meter := g.r.Int64N(1_000_000)
	s := Session{Start: start, Stop: stop, MeterStart: meter}
	// True readings: increasing times, energy at most maxW over each gap.
	n := 0
	if g.r.IntN(4) != 0 {
		n = g.r.IntN(60)
	}
	times := make([]time.Time, n)
	for i := range times {
		times[i] = start.Add(time.Duration(g.r.Int64N(int64(dur) + 1)))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	prevAt, prevWh := start, meter
	step := func(at time.Time) int64 {
		maxWh := maxW * int64(at.Sub(prevAt)) / int64(time.Hour)
		wh := prevWh
		if maxWh > 0 {
			wh += g.r.Int64N(maxWh + 1)
		}
		prevAt, prevWh = at, wh
		return wh
	}
	for _, at := range times {
		s.Samples = append(s.Samples, Sample{At: at, EnergyWh: step(at)})
	}
	s.MeterStop = step(stop)
	if mess == clean {
		return loc, s
	}
	for i := g.r.IntN(5); i > 0 && len(s.Samples) > 0; i-- {
		s.Samples = append(s.Samples, s.Samples[g.r.IntN(len(s.Samples))])
	}
	for i := g.r.IntN(3); i > 0; i-- {
		s.Samples = append(s.Samples,
			Sample{At: start.Add(-time.Duration(g.r.Int64N(int64(time.Hour)))), EnergyWh: g.r.Int64N(2_000_000)},
			Sample{At: stop.Add(time.Duration(1 + g.r.Int64N(int64(time.Hour)))), EnergyWh: g.r.Int64N(2_000_000)})
	}
	for i := g.r.IntN(3); i > 0 && mess == garbled; i-- {
		s.Samples = append(s.Samples, Sample{At: start.Add(time.Duration(g.r.Int64N(int64(dur) + 1))), EnergyWh: g.r.Int64N(2_000_000)})
	}
	g.r.Shuffle(len(s.Samples), func(i, j int) { s.Samples[i], s.Samples[j] = s.Samples[j], s.Samples[i] })
	return loc, s
}

func describe(v Version, loc *time.Location, s Session) string {
	return fmt.Sprintf("zone %s, periods %+v, session %s → %s, meter %d → %d, %d samples",
		loc, v.Periods, s.Start.In(loc), s.Stop.In(loc), s.MeterStart, s.MeterStop, len(s.Samples))
}

// TestPropertyBillAddsUp checks on random, messy sessions that the lines
// tile [Start, Stop], their energy adds up to the metered energy, their fees
// add up to the totals, no amount is negative and each fee is its line's
// energy times price, rounded once.
func TestPropertyBillAddsUp(t *testing.T) {
	g := newGen(t, 1)
	for i := 0; i < propertyCases; i++ {
		v := g.version()
		loc, s := g.session(80*time.Hour, 350_000, garbled)
		b, err := Price(v, loc, s)
		if err != nil {
			t.Fatalf("case %d: Price: %v (%s)", i, err, describe(v, loc, s))
		}
		var wh, ef, sf int64
		at := s.Start
		for k, l := range b.Lines {
			if !l.From.Equal(at) || l.To.Before(l.From) {
				t.Fatalf("case %d line %d: got %s → %s, want it to start at %s (%s)", i, k, l.From, l.To, at, describe(v, loc, s))
			}
			if k > 0 && l.From.Equal(l.To) {
				t.Fatalf("case %d line %d: empty line in a non-empty session", i, k)
			}
			if l.EnergyWh < 0 || l.EnergyFee < 0 || l.ServiceFee < 0 {
				t.Fatalf("case %d line %d: negative amount %+v", i, k, l)
			}
			if wantE := roundHalfUp(l.EnergyWh, l.EnergyPrice); l.EnergyFee != wantE {
				t.Fatalf("case %d line %d: energy fee %d, want %d", i, k, l.EnergyFee, wantE)
			}
			if wantS := roundHalfUp(l.EnergyWh, l.ServicePrice); l.ServiceFee != wantS {
				t.Fatalf("case %d line %d: service fee %d, want %d", i, k, l.ServiceFee, wantS)
			}
			wh, ef, sf = wh+l.EnergyWh, ef+l.EnergyFee, sf+l.ServiceFee
			at = l.To
		}
		if !at.Equal(s.Stop) {
			t.Fatalf("case %d: lines end at %s, want %s (%s)", i, at, s.Stop, describe(v, loc, s))
		}
		if want := s.MeterStop - s.MeterStart; wh != want || b.EnergyWh != want {
			t.Fatalf("case %d: lines hold %d Wh, bill %d Wh, want %d (%s)", i, wh, b.EnergyWh, want, describe(v, loc, s))
		}
		if ef != b.EnergyFee || sf != b.ServiceFee || b.TotalFen != ef+sf+b.IdleFee {
			t.Fatalf("case %d: lines %d+%d fen, bill %+v", i, ef, sf, totalsOf(b))
		}
	}
}

// TestPropertyOrderOfSamplesDoesNotMatter checks that shuffling a messy
// session's samples leaves its bill unchanged.
func TestPropertyOrderOfSamplesDoesNotMatter(t *testing.T) {
	g := newGen(t, 5)
	for i := 0; i < propertyCases; i++ {
		v := g.version()
		loc, s := g.session(30*time.Hour, 350_000, garbled)
		for j := g.r.IntN(4); j > 0 && len(s.Samples) > 0; j-- {
			// Another reading of an existing instant with another register.
			x := s.Samples[g.r.IntN(len(s.Samples))]
			x.EnergyWh += g.r.Int64N(2000) - 1000
			s.Samples = append(s.Samples, x)
		}
		want, err := Price(v, loc, s)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		shuffled := s
		shuffled.Samples = slices.Clone(s.Samples)
		g.r.Shuffle(len(shuffled.Samples), func(a, b int) {
			shuffled.Samples[a], shuffled.Samples[b] = shuffled.Samples[b], shuffled.Samples[a]
		})
		got, err := Price(v, loc, shuffled)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("case %d: shuffled samples changed the bill (-want +got):\n%s", i, diff)
		}
	}
}

// roundHalfUp is the fee rule written independently of fen: a line's fee in
// fen is Wh × price / 100000, rounded half up.
func roundHalfUp(wh, price int64) int64 {
	q, r := wh*price/100000, wh*price%100000
	if 2*r >= 100000 {
		q++
	}
	return q
}

// TestPropertySplitFollowsTime checks on random clean sessions that each
// line's Wh is within 1 Wh of its exact share (energy between readings
// spread evenly over time), computed here in floating point: a line's
// energy is the difference of two register readings each rounded by at
// most ½ Wh.
func TestPropertySplitFollowsTime(t *testing.T) {
	g := newGen(t, 2)
	for i := 0; i < propertyCases; i++ {
		v := g.version()
		loc, s := g.session(80*time.Hour, 350_000, clean)
		b, err := Price(v, loc, s)
		if err != nil {
			t.Fatalf("case %d: Price: %v", i, err)
		}
		if s.Stop.Equal(s.Start) {
			continue
		}
		pts := append([]Sample{{s.Start, s.MeterStart}}, s.Samples...)
		pts = append(pts, Sample{s.Stop, s.MeterStop})
		for k, l := range b.Lines {
			exact := 0.0
			for j := 1; j < len(pts); j++ {
				a, z := pts[j-1].At, pts[j].At
				if !z.After(a) {
					continue
				}
				from, to := later(a, l.From), earlier(z, l.To)
				if to.After(from) {
					exact += float64(pts[j].EnergyWh-pts[j-1].EnergyWh) * float64(to.Sub(from)) / float64(z.Sub(a))
				}
			}
			if math.Abs(float64(l.EnergyWh)-exact) > 1+1e-6 {
				t.Fatalf("case %d line %d: %d Wh, exact share %.3f Wh (%s)", i, k, l.EnergyWh, exact, describe(v, loc, s))
			}
		}
	}
}

// TestPropertyBoundaryContinuity moves one period boundary by one second
// and checks the total moves by at most 2 fen. For sessions under 20 h a
// boundary falls in them at most once, so the move shifts one second's
// energy (at most 30 kW × 1 s ≈ 8.3 Wh, under 1 fen at ≤ 1 ¥/kWh) between
// two lines; each of their two fees then rounds at most 1 fen further, and
// the changes of the gaining and the losing line have opposite signs.
func TestPropertyBoundaryContinuity(t *testing.T) {
	g := newGen(t, 3)
	tried := 0
	for i := 0; i < propertyCases; i++ {
		v := g.version()
		pl := newPlan(v.Periods)
		if len(pl) < 2 {
			continue
		}
		// Garbled registers would break the 30 kW bound, so only shuffle.
		loc, s := g.session(20*time.Hour, 30_000, shuffled)
		if g.r.IntN(3) == 0 {
			s.Samples = nil // constant power
		}
		k := 1 + g.r.IntN(len(pl)-1)
		d := 1
		if g.r.IntN(2) == 0 {
			d = -1
		}
		moved := slices.Clone(pl)
		moved[k-1].to += d
		moved[k].from += d
		before, err := priceWithPlan(v, pl, loc, s)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		after, err := priceWithPlan(v, moved, loc, s)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if diff := after.TotalFen - before.TotalFen; diff > 2 || diff < -2 {
			t.Fatalf("case %d: moving boundary %d by %d s changed the total %d → %d fen, want at most 2 fen (%s)",
				i, pl[k].from, d, before.TotalFen, after.TotalFen, describe(v, loc, s))
		}
		tried++
	}
	if tried < propertyCases/2 {
		t.Fatalf("only %d cases tried, want at least %d", tried, propertyCases/2)
	}
}

// denseSession returns a random clean session lasting up to maxDur with a
// reading every 1 to 59 seconds, as chargers sending MeterValues every
// minute or faster give.
func (g gen) denseSession(maxDur time.Duration) (*time.Location, Session) {
	loc, s := g.session(maxDur, 1, clean)
	s.Samples = s.Samples[:0]
	wh := s.MeterStart
	power := 1 + g.r.Int64N(350_000) // W
	for at := s.Start.Add(time.Duration(1+g.r.IntN(59)) * time.Second); at.Before(s.Stop); at = at.Add(time.Duration(1+g.r.IntN(59)) * time.Second) {
		wh += g.r.Int64N(power*59/3600 + 1)
		s.Samples = append(s.Samples, Sample{At: at, EnergyWh: wh})
	}
	s.MeterStop = wh + g.r.Int64N(power*59/3600+1)
	return loc, s
}

// maxLinesPerInterval returns the most lines any interval between usable
// meter points of s overlaps in bill b.
func maxLinesPerInterval(s Session, b Bill) int {
	pts := meterPoints(s)
	most := 0
	for i := 1; i < len(pts); i++ {
		n := 0
		for _, l := range b.Lines {
			if l.To.After(s.Start.Add(pts[i-1].at)) && l.From.Before(s.Start.Add(pts[i].at)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestPropertyMonotonicInEnergy checks that for a fixed time window and the
// same readings more energy never costs less: either more energy at
// constant power, or extra energy inside one meter interval (every later
// register raised by the same amount).
//
// That is guaranteed when every interval between readings touches at most
// two lines, as with readings at least once a minute: each line's Wh then
// never falls. Across a longer gap spanning several boundaries the readings
// interpolated at those boundaries round independently, so one Wh can move
// between lines and a line may lose 1 Wh (never more); there the test checks
// that weaker bound on every line and its fees.
func TestPropertyMonotonicInEnergy(t *testing.T) {
	g := newGen(t, 4)
	strict, sparse := 0, 0
	for i := 0; i < propertyCases; i++ {
		v := g.version()
		var loc *time.Location
		var s Session
		switch g.r.IntN(3) {
		case 0:
			loc, s = g.denseSession(12 * time.Hour)
		case 1:
			loc, s = g.session(80*time.Hour, 350_000, clean)
		default:
			loc, s = g.session(80*time.Hour, 350_000, clean)
			s.Samples = nil
		}
		more := s
		extra := 1 + g.r.Int64N(50)
		if g.r.IntN(2) == 0 {
			extra = 1 + g.r.Int64N(100_000)
		}
		more.MeterStop += extra
		j := g.r.IntN(len(s.Samples) + 1)
		more.Samples = slices.Clone(s.Samples)
		for k := j; k < len(more.Samples); k++ {
			more.Samples[k].EnergyWh += extra
		}
		b1, err := Price(v, loc, s)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		b2, err := Price(v, loc, more)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if len(b1.Lines) != len(b2.Lines) {
			t.Fatalf("case %d: %d lines became %d for the same window", i, len(b1.Lines), len(b2.Lines))
		}
		// Only the interval that received the extra energy changes.
		changed := Session{Start: s.Start, Stop: s.Stop, MeterStart: 0, MeterStop: 1}
		if j > 0 {
			changed.Start = s.Samples[j-1].At
		}
		if j < len(s.Samples) {
			changed.Stop = s.Samples[j].At
		}
		if maxLinesPerInterval(changed, b1) <= 2 {
			strict++
			if b2.TotalFen < b1.TotalFen {
				t.Fatalf("case %d: %d Wh more costs %d fen, less than %d fen (%s)", i, extra, b2.TotalFen, b1.TotalFen, describe(v, loc, s))
			}
			for k := range b1.Lines {
				if b2.Lines[k].EnergyWh < b1.Lines[k].EnergyWh {
					t.Fatalf("case %d line %d: %d Wh more overall, %d → %d Wh on the line", i, k, extra, b1.Lines[k].EnergyWh, b2.Lines[k].EnergyWh)
				}
			}
			continue
		}
		sparse++
		for k := range b1.Lines {
			l1, l2 := b1.Lines[k], b2.Lines[k]
			if l2.EnergyWh < l1.EnergyWh-1 || l2.EnergyFee < l1.EnergyFee-1 || l2.ServiceFee < l1.ServiceFee-1 {
				t.Fatalf("case %d line %d: %d Wh more overall, line went %+v → %+v, want at most 1 Wh and 1 fen per fee less (%s)",
					i, k, extra, l1, l2, describe(v, loc, s))
			}
		}
	}
	if strict < propertyCases/3 || sparse < propertyCases/10 {
		t.Fatalf("tried %d cases with intervals over at most two lines and %d over more, want at least %d and %d", strict, sparse, propertyCases/3, propertyCases/10)
	}
}
