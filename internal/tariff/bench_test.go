package tariff

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchSession is a 14-hour session across four boundaries and midnight
// with 10,000 meter samples (one every ~5 s) at about 7 kW.
func benchSession(b *testing.B, shuffle bool) (*time.Location, Session) {
	b.Helper()
	loc := zone(b, "Asia/Shanghai")
	start := time.Date(2025, 3, 3, 17, 0, 0, 0, loc)
	const n = 10_000
	step := 14 * time.Hour / (n + 1)
	s := Session{Start: start, Stop: start.Add(14 * time.Hour), MeterStart: 5_000_000}
	wh := s.MeterStart
	r := rand.New(rand.NewPCG(7, 7))
	for i := 1; i <= n; i++ {
		wh += 8 + r.Int64N(4)
		s.Samples = append(s.Samples, Sample{At: start.Add(time.Duration(i) * step), EnergyWh: wh})
	}
	s.MeterStop = wh + 10
	if shuffle {
		r.Shuffle(n, func(i, j int) { s.Samples[i], s.Samples[j] = s.Samples[j], s.Samples[i] })
	}
	return loc, s
}

func BenchmarkPrice10kSamples(b *testing.B) {
	for _, tc := range []struct {
		name    string
		shuffle bool
	}{{"sorted", false}, {"shuffled", true}} {
		b.Run(tc.name, func(b *testing.B) {
			loc, s := benchSession(b, tc.shuffle)
			v := Default()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Price(v, loc, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
