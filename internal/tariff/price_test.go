package tariff

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// line is a compact bill line for comparison: wall-clock times in the site
// zone and the numbers.
type line struct {
	Period                    string
	From, To                  string // "2006-01-02 15:04 MST" in the site zone
	Wh                        int64
	EnergyFee, ServiceFee     int64
	EnergyPrice, ServicePrice int64
}

func lines(b Bill, loc *time.Location) []line {
	out := make([]line, len(b.Lines))
	for i, l := range b.Lines {
		out[i] = line{l.Period, l.From.In(loc).Format("2006-01-02 15:04 MST"), l.To.In(loc).Format("2006-01-02 15:04 MST"),
			l.EnergyWh, l.EnergyFee, l.ServiceFee, l.EnergyPrice, l.ServicePrice}
	}
	return out
}

// totals are a bill's totals for comparison.
type totals struct {
	EnergyWh, EnergyFee, ServiceFee, IdleMinutes, IdleFee, TotalFen int64
}

func totalsOf(b Bill) totals {
	return totals{b.EnergyWh, b.EnergyFee, b.ServiceFee, b.IdleMinutes, b.IdleFee, b.TotalFen}
}

// Prices of the default tariff, in 1/10000 yuan per kWh.
const (
	peakP   = 10000
	flatP   = 7000
	valleyP = 4000
	svcP    = 8000
)

func TestPriceWorkedExamples(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	berlin := zone(t, "Europe/Berlin")
	d := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2025, 3, day, h, m, 0, 0, loc) }
	o := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2025, 10, day, h, m, 0, 0, loc) }
	tests := []struct {
		name       string
		loc        *time.Location
		s          Session
		wantLines  []line
		wantTotals totals
	}{
		{
			// 30 kW for 2 h = 60 kWh: 30 kWh flat (09–10) + 30 kWh peak (10–11).
			// Energy 30×0.70 = 21.00 ¥ + 30×1.00 = 30.00 ¥; service 60×0.80 = 48.00 ¥.
			// Total 99.00 ¥ = 9900 fen.
			name: "fast session 09:00-11:00 at 30 kW",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 9, 0), Stop: d(sh, 3, 11, 0), MeterStart: 120000, MeterStop: 180000},
			wantLines: []line{
				{"flat", "2025-03-03 09:00 CST", "2025-03-03 10:00 CST", 30000, 2100, 2400, flatP, svcP},
				{"peak", "2025-03-03 10:00 CST", "2025-03-03 11:00 CST", 30000, 3000, 2400, peakP, svcP},
			},
			wantTotals: totals{60000, 5100, 4800, 0, 0, 9900},
		},
		{
			// 6 kW for 9 h = 54 kWh: flat ½ h = 3 kWh, valley 8 h = 48 kWh,
			// flat ½ h = 3 kWh. Energy: 3×0.70 = 2.10 ¥, 48×0.40 = 19.20 ¥,
			// 2.10 ¥; service 54×0.80 = 43.20 ¥ (2.40 + 38.40 + 2.40).
			// Total 2.10+19.20+2.10+43.20 = 66.60 ¥.
			name: "22:30-07:30 across two boundaries and midnight",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 22, 30), Stop: d(sh, 4, 7, 30), MeterStart: 1000, MeterStop: 55000},
			wantLines: []line{
				{"flat", "2025-03-03 22:30 CST", "2025-03-03 23:00 CST", 3000, 210, 240, flatP, svcP},
				{"valley", "2025-03-03 23:00 CST", "2025-03-04 07:00 CST", 48000, 1920, 3840, valleyP, svcP},
				{"flat", "2025-03-04 07:00 CST", "2025-03-04 07:30 CST", 3000, 210, 240, flatP, svcP},
			},
			wantTotals: totals{54000, 2340, 4320, 0, 0, 6660},
		},
		{
			// Register (MeterStart 5000): 14:00 5000, 14:30 7000, 15:30 25000,
			// 15:45 24000 (backwards: counts 0, held at 25000), 16:00 31000.
			// Ignored: a duplicate of 14:30, readings at 13:00 and 16:30.
			// 14:00–14:30: 2000 Wh peak. 14:30–15:30: 18000 Wh, half each
			// side of 15:00: 9000 peak + 9000 flat. 15:30–15:45: 0.
			// 15:45–16:00: 6000 flat. Peak 11000 Wh: 11×1.00 = 11.00 ¥,
			// service 11×0.80 = 8.80 ¥. Flat 15000 Wh: 15×0.70 = 10.50 ¥,
			// service 12.00 ¥. Total 42.30 ¥.
			name: "uneven, unsorted, duplicated and stray samples",
			loc:  sh,
			s: Session{Start: d(sh, 3, 14, 0), Stop: d(sh, 3, 16, 0), MeterStart: 5000, MeterStop: 31000,
				Samples: []Sample{
					{d(sh, 3, 15, 30), 25000},
					{d(sh, 3, 14, 30), 7000},
					{d(sh, 3, 13, 0), 0},
					{d(sh, 3, 15, 45), 24000},
					{d(sh, 3, 14, 30), 7000},
					{d(sh, 3, 16, 30), 99999},
				}},
			wantLines: []line{
				{"peak", "2025-03-03 14:00 CST", "2025-03-03 15:00 CST", 11000, 1100, 880, peakP, svcP},
				{"flat", "2025-03-03 15:00 CST", "2025-03-03 16:00 CST", 15000, 1050, 1200, flatP, svcP},
			},
			wantTotals: totals{26000, 2150, 2080, 0, 0, 4230},
		},
		{
			// 101 Wh over 09:59–10:01: 50.5 Wh each side; the remainder
			// tie goes to the earlier line: flat 51, peak 50.
			// Flat: 51×7000/1e5 = 3.57 → 4 fen, 51×8000/1e5 = 4.08 → 4.
			// Peak: 50×10000/1e5 = 5, 50×8000/1e5 = 4. Total 17 fen.
			name: "odd Wh split by largest remainder and fees rounded per line",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 9, 59), Stop: d(sh, 3, 10, 1), MeterStart: 0, MeterStop: 101},
			wantLines: []line{
				{"flat", "2025-03-03 09:59 CST", "2025-03-03 10:00 CST", 51, 4, 4, flatP, svcP},
				{"peak", "2025-03-03 10:00 CST", "2025-03-03 10:01 CST", 50, 5, 4, peakP, svcP},
			},
			wantTotals: totals{101, 9, 8, 0, 0, 17},
		},
		{
			// 1 kW for 36 h, Mon 20:00 → Wed 08:00: every line is its hours
			// in kWh. Peak 1+5+3 = 9 kWh → 9.00 ¥; flat 2+3+3+2+1 = 11 kWh →
			// 7.70 ¥; valley 8+8 = 16 kWh → 6.40 ¥; service 36×0.80 = 28.80 ¥.
			// Total 51.90 ¥.
			name: "multi-day session",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 20, 0), Stop: d(sh, 5, 8, 0), MeterStart: 0, MeterStop: 36000},
			wantLines: []line{
				{"peak", "2025-03-03 20:00 CST", "2025-03-03 21:00 CST", 1000, 100, 80, peakP, svcP},
				{"flat", "2025-03-03 21:00 CST", "2025-03-03 23:00 CST", 2000, 140, 160, flatP, svcP},
				{"valley", "2025-03-03 23:00 CST", "2025-03-04 07:00 CST", 8000, 320, 640, valleyP, svcP},
				{"flat", "2025-03-04 07:00 CST", "2025-03-04 10:00 CST", 3000, 210, 240, flatP, svcP},
				{"peak", "2025-03-04 10:00 CST", "2025-03-04 15:00 CST", 5000, 500, 400, peakP, svcP},
				{"flat", "2025-03-04 15:00 CST", "2025-03-04 18:00 CST", 3000, 210, 240, flatP, svcP},
				{"peak", "2025-03-04 18:00 CST", "2025-03-04 21:00 CST", 3000, 300, 240, peakP, svcP},
				{"flat", "2025-03-04 21:00 CST", "2025-03-04 23:00 CST", 2000, 140, 160, flatP, svcP},
				{"valley", "2025-03-04 23:00 CST", "2025-03-05 07:00 CST", 8000, 320, 640, valleyP, svcP},
				{"flat", "2025-03-05 07:00 CST", "2025-03-05 08:00 CST", 1000, 70, 80, flatP, svcP},
			},
			wantTotals: totals{36000, 2310, 2880, 0, 0, 5190},
		},
		{
			// Berlin, night of 29→30 March 2025 (02:00 CET → 03:00 CEST):
			// 22:00 CET to 08:00 CEST is 9 real hours at 1 kW. Flat 1 h,
			// valley 23:00 CET–07:00 CEST = 7 real hours, flat 1 h.
			// Flat 1 kWh: 0.70 + 0.80 ¥ each; valley 7 kWh: 2.80 + 5.60 ¥.
			// Total 1.50×2 + 8.40 = 11.40 ¥.
			name: "DST spring forward in Berlin",
			loc:  berlin,
			s:    Session{Start: d(berlin, 29, 22, 0), Stop: d(berlin, 30, 8, 0), MeterStart: 0, MeterStop: 9000},
			wantLines: []line{
				{"flat", "2025-03-29 22:00 CET", "2025-03-29 23:00 CET", 1000, 70, 80, flatP, svcP},
				{"valley", "2025-03-29 23:00 CET", "2025-03-30 07:00 CEST", 7000, 280, 560, valleyP, svcP},
				{"flat", "2025-03-30 07:00 CEST", "2025-03-30 08:00 CEST", 1000, 70, 80, flatP, svcP},
			},
			wantTotals: totals{9000, 420, 720, 0, 0, 1140},
		},
		{
			// Berlin, night of 25→26 October 2025 (03:00 CEST → 02:00 CET):
			// 22:00 CEST to 08:00 CET is 11 real hours at 1 kW; the valley
			// lasts 9. Flat 1 kWh: 1.50 ¥ each; valley 9 kWh: 3.60 + 7.20 ¥.
			// Total 3.00 + 10.80 = 13.80 ¥.
			name: "DST fall back in Berlin",
			loc:  berlin,
			s:    Session{Start: o(berlin, 25, 22, 0), Stop: o(berlin, 26, 8, 0), MeterStart: 0, MeterStop: 11000},
			wantLines: []line{
				{"flat", "2025-10-25 22:00 CEST", "2025-10-25 23:00 CEST", 1000, 70, 80, flatP, svcP},
				{"valley", "2025-10-25 23:00 CEST", "2025-10-26 07:00 CET", 9000, 360, 720, valleyP, svcP},
				{"flat", "2025-10-26 07:00 CET", "2025-10-26 08:00 CET", 1000, 70, 80, flatP, svcP},
			},
			wantTotals: totals{11000, 500, 880, 0, 0, 1380},
		},
		{
			// Plugged in for 2 h without drawing energy: the bill still
			// shows the stay, at 0 fen.
			name: "zero energy keeps the lines",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 14, 0), Stop: d(sh, 3, 16, 0), MeterStart: 700, MeterStop: 700},
			wantLines: []line{
				{"peak", "2025-03-03 14:00 CST", "2025-03-03 15:00 CST", 0, 0, 0, peakP, svcP},
				{"flat", "2025-03-03 15:00 CST", "2025-03-03 16:00 CST", 0, 0, 0, flatP, svcP},
			},
			wantTotals: totals{},
		},
		{
			// Start = Stop: one empty line in the period of that instant
			// holding all the energy: 10 Wh × 1.00 ¥/kWh = 1 fen;
			// 10 Wh × 0.80 ¥/kWh = 0.8 fen → 1.
			name: "instantaneous session",
			loc:  sh,
			s:    Session{Start: d(sh, 3, 12, 0), Stop: d(sh, 3, 12, 0), MeterStart: 0, MeterStop: 10},
			wantLines: []line{
				{"peak", "2025-03-03 12:00 CST", "2025-03-03 12:00 CST", 10, 1, 1, peakP, svcP},
			},
			wantTotals: totals{10, 1, 1, 0, 0, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Price(Default(), tt.loc, tt.s)
			if err != nil {
				t.Fatalf("Price: %v", err)
			}
			if diff := cmp.Diff(tt.wantLines, lines(b, tt.loc)); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTotals, totalsOf(b)); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPriceIdleFee(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	from := time.Date(2025, 3, 3, 11, 0, 0, 0, sh)
	// 50 fen per minute after 15 free minutes, at most 30.00 ¥.
	v := Default()
	v.IdleFeeFenPerMinute, v.IdleGraceMinutes, v.IdleFeeCapFen = 50, 15, 3000
	uncapped := v
	uncapped.IdleFeeCapFen = 0
	tests := []struct {
		name        string
		v           Version
		from, until time.Time
		wantMinutes int64
		wantFee     int64
	}{
		{"no idle time", v, time.Time{}, time.Time{}, 0, 0},
		{"only one end set counts as none", v, from, time.Time{}, 0, 0},
		{"inside the grace period", v, from, from.Add(10 * time.Minute), 0, 0},
		{"exactly the grace period", v, from, from.Add(15 * time.Minute), 0, 0},
		// 45 min 59 s idle: 45 whole minutes − 15 = 30 → 30 × 50 = 1500.
		{"started minute is not billed", v, from, from.Add(45*time.Minute + 59*time.Second), 30, 1500},
		// 120 − 15 = 105 minutes × 50 = 5250 > cap 3000.
		{"capped", v, from, from.Add(2 * time.Hour), 105, 3000},
		{"no cap", uncapped, from, from.Add(2 * time.Hour), 105, 5250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 1 kWh of peak energy: 100 + 80 fen, plus the idle fee.
			s := Session{Start: from.Add(-time.Hour), Stop: from, MeterStart: 0, MeterStop: 1000, IdleFrom: tt.from, IdleUntil: tt.until}
			b, err := Price(tt.v, sh, s)
			if err != nil {
				t.Fatalf("Price: %v", err)
			}
			want := totals{1000, 100, 80, tt.wantMinutes, tt.wantFee, 180 + tt.wantFee}
			if diff := cmp.Diff(want, totalsOf(b)); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPriceRejects(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	start := time.Date(2025, 3, 3, 11, 0, 0, 0, sh)
	ok := Session{Start: start, Stop: start.Add(time.Hour), MeterStart: 0, MeterStop: 1000}
	tests := []struct {
		name    string
		v       Version
		loc     *time.Location
		edit    func(s *Session)
		wantErr error
	}{
		{"stop before start", Default(), sh, func(s *Session) { s.Stop = s.Start.Add(-time.Second) }, ErrInvalidSession},
		{"session longer than a year", Default(), sh, func(s *Session) { s.Stop = s.Start.Add(MaxSessionDuration + time.Second) }, ErrInvalidSession},
		{"meter runs backwards", Default(), sh, func(s *Session) { s.MeterStop = -1 }, ErrInvalidSession},
		{"energy beyond the limit", Default(), sh, func(s *Session) { s.MeterStop = MaxEnergyWh + 1 }, ErrInvalidSession},
		{"idle ends before it starts", Default(), sh, func(s *Session) { s.IdleFrom, s.IdleUntil = s.Stop.Add(time.Minute), s.Stop }, ErrInvalidSession},
		{"invalid tariff", Version{}, sh, func(*Session) {}, ErrInvalidTariff},
		{"nil zone", Default(), nil, func(*Session) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			_, err := Price(tt.v, tt.loc, s)
			if err == nil {
				t.Fatal("Price: got nil error, want one")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Price: got %v, want it to wrap %v", err, tt.wantErr)
			}
		})
	}
}

func TestFenRoundsHalfUp(t *testing.T) {
	tests := []struct {
		wh, price, want int64
	}{
		{0, 10000, 0},
		{4, 10000, 0},    // 0.4 fen
		{5, 10000, 1},    // 0.5 fen rounds up
		{15, 10000, 2},   // 1.5 fen rounds up
		{14, 10000, 1},   // 1.4 fen
		{1000, 7000, 70}, // 1 kWh at 0.70 ¥
		{1, 50000, 1},    // 0.5 fen
		{MaxEnergyWh, MaxPrice, MaxEnergyWh * (MaxPrice / 100000)}, // no overflow at the limits
	}
	for _, tt := range tests {
		if got := fen(tt.wh, tt.price); got != tt.want {
			t.Errorf("fen(%d Wh, %d) = %d, want %d", tt.wh, tt.price, got, tt.want)
		}
	}
}
