package tariff

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCurrentPeriod(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	at := func(d, h, m, s int) time.Time { return time.Date(2025, 6, d, h, m, s, 0, sh) }
	allDay := Version{Periods: []Period{{Name: "flat", StartMinute: 0, EndMinute: 1440, EnergyPrice: 5000}}}
	tests := []struct {
		name     string
		v        Version
		at       time.Time
		wantName string
		wantEnd  time.Time
	}{
		{"valley before midnight runs to 07:00 next day", Default(), at(1, 23, 30, 0), "valley", at(2, 7, 0, 0)},
		{"valley after midnight", Default(), at(2, 0, 0, 0), "valley", at(2, 7, 0, 0)},
		{"last second of valley", Default(), at(2, 6, 59, 59), "valley", at(2, 7, 0, 0)},
		{"flat starts on the boundary", Default(), at(2, 7, 0, 0), "flat", at(2, 10, 0, 0)},
		{"peak at noon", Default(), at(2, 12, 0, 0), "peak", at(2, 15, 0, 0)},
		{"evening peak", Default(), at(2, 20, 59, 59), "peak", at(2, 21, 0, 0)},
		{"single all-day period ends at next midnight", allDay, at(2, 12, 0, 0), "flat", at(3, 0, 0, 0)},
		{"invalid version gives zero period and at", Version{}, at(2, 12, 0, 0), "", at(2, 12, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, end := CurrentPeriod(tt.v, sh, tt.at)
			if p.Name != tt.wantName || !end.Equal(tt.wantEnd) {
				t.Errorf("CurrentPeriod = %q until %s, want %q until %s", p.Name, end.In(sh), tt.wantName, tt.wantEnd.In(sh))
			}
		})
	}
}

// timeline is a compact form of a day timeline for comparison.
type timeline struct {
	Name     string
	From, To string // local wall clock, 15:04 MST
	Hours    float64
}

func compact(segs []Segment, loc *time.Location) []timeline {
	out := make([]timeline, len(segs))
	for i, s := range segs {
		out[i] = timeline{s.Period.Name, s.From.In(loc).Format("15:04 MST"), s.To.In(loc).Format("15:04 MST"), s.To.Sub(s.From).Hours()}
	}
	return out
}

func TestDayTimeline(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	berlin := zone(t, "Europe/Berlin")
	tests := []struct {
		name string
		loc  *time.Location
		day  time.Time
		want []timeline
	}{
		{"ordinary day in Shanghai", sh, time.Date(2025, 6, 1, 15, 0, 0, 0, sh), []timeline{
			{"valley", "00:00 CST", "07:00 CST", 7},
			{"flat", "07:00 CST", "10:00 CST", 3},
			{"peak", "10:00 CST", "15:00 CST", 5},
			{"flat", "15:00 CST", "18:00 CST", 3},
			{"peak", "18:00 CST", "21:00 CST", 3},
			{"flat", "21:00 CST", "23:00 CST", 2},
			{"valley", "23:00 CST", "00:00 CST", 1},
		}},
		// 30 March 2025: clocks jump from 02:00 CET to 03:00 CEST, so the
		// night valley lasts 6 real hours.
		{"spring forward in Berlin", berlin, time.Date(2025, 3, 30, 12, 0, 0, 0, berlin), []timeline{
			{"valley", "00:00 CET", "07:00 CEST", 6},
			{"flat", "07:00 CEST", "10:00 CEST", 3},
			{"peak", "10:00 CEST", "15:00 CEST", 5},
			{"flat", "15:00 CEST", "18:00 CEST", 3},
			{"peak", "18:00 CEST", "21:00 CEST", 3},
			{"flat", "21:00 CEST", "23:00 CEST", 2},
			{"valley", "23:00 CEST", "00:00 CEST", 1},
		}},
		// 26 October 2025: clocks fall back from 03:00 CEST to 02:00 CET,
		// so the night valley lasts 8 real hours.
		{"fall back in Berlin", berlin, time.Date(2025, 10, 26, 12, 0, 0, 0, berlin), []timeline{
			{"valley", "00:00 CEST", "07:00 CET", 8},
			{"flat", "07:00 CET", "10:00 CET", 3},
			{"peak", "10:00 CET", "15:00 CET", 5},
			{"flat", "15:00 CET", "18:00 CET", 3},
			{"peak", "18:00 CET", "21:00 CET", 3},
			{"flat", "21:00 CET", "23:00 CET", 2},
			{"valley", "23:00 CET", "00:00 CET", 1},
		}},
		{"the instant is read in the site zone", sh, time.Date(2025, 6, 1, 20, 0, 0, 0, time.UTC), // 04:00 CST on 2 June
			[]timeline{
				{"valley", "00:00 CST", "07:00 CST", 7},
				{"flat", "07:00 CST", "10:00 CST", 3},
				{"peak", "10:00 CST", "15:00 CST", 5},
				{"flat", "15:00 CST", "18:00 CST", 3},
				{"peak", "18:00 CST", "21:00 CST", 3},
				{"flat", "21:00 CST", "23:00 CST", 2},
				{"valley", "23:00 CST", "00:00 CST", 1},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DayTimeline(Default(), tt.loc, tt.day)
			if diff := cmp.Diff(tt.want, compact(got, tt.loc)); diff != "" {
				t.Errorf("DayTimeline (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDayTimelineBoundaryInsideSkippedHour(t *testing.T) {
	// A custom tariff changes at 02:30, a wall time that does not exist in
	// Berlin on 30 March 2025. Whichever instant time.Date picks, the day
	// must still be covered from midnight to midnight without gap or
	// overlap: 23 real hours.
	berlin := zone(t, "Europe/Berlin")
	v := Version{Periods: []Period{
		{Name: "night", StartMinute: 0, EndMinute: 150, EnergyPrice: 1},
		{Name: "day", StartMinute: 150, EndMinute: 1440, EnergyPrice: 2},
	}}
	day := time.Date(2025, 3, 30, 12, 0, 0, 0, berlin)
	segs := DayTimeline(v, berlin, day)
	if len(segs) != 2 {
		t.Fatalf("got %d segments, want 2: %v", len(segs), compact(segs, berlin))
	}
	wantFrom, wantTo := time.Date(2025, 3, 30, 0, 0, 0, 0, berlin), time.Date(2025, 3, 31, 0, 0, 0, 0, berlin)
	if !segs[0].From.Equal(wantFrom) || !segs[1].To.Equal(wantTo) || !segs[0].To.Equal(segs[1].From) {
		t.Errorf("got %v, want contiguous segments from %s to %s", compact(segs, berlin), wantFrom, wantTo)
	}
	if got := segs[1].To.Sub(segs[0].From); got != 23*time.Hour {
		t.Errorf("day lasts %s, want 23h", got)
	}
}
