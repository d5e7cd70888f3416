package tariff

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests' zones must not depend on the host

	"github.com/google/go-cmp/cmp"
)

// zone loads a time zone or fails the test.
func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func TestDefaultIsValidAndMatchesTheBrief(t *testing.T) {
	v := Default()
	if err := v.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
	// Expected from the brief: peak 1.00 ¥/kWh, flat 0.70, valley 0.40,
	// service 0.80 everywhere, in 1/10000 yuan per kWh.
	wantByHour := map[int]string{}
	for h := 0; h < 24; h++ {
		switch {
		case h >= 10 && h < 15, h >= 18 && h < 21:
			wantByHour[h] = "peak 10000 8000"
		case h >= 7 && h < 10, h >= 15 && h < 18, h >= 21 && h < 23:
			wantByHour[h] = "flat 7000 8000"
		default:
			wantByHour[h] = "valley 4000 8000"
		}
	}
	loc := zone(t, "Asia/Shanghai")
	gotByHour := map[int]string{}
	for h := 0; h < 24; h++ {
		p, _ := CurrentPeriod(v, loc, time.Date(2025, 6, 1, h, 30, 0, 0, loc))
		gotByHour[h] = fmt.Sprintf("%s %d %d", p.Name, p.EnergyPrice, p.ServicePrice)
	}
	if diff := cmp.Diff(wantByHour, gotByHour); diff != "" {
		t.Errorf("Default periods by hour (-want +got):\n%s", diff)
	}
}

func TestSelect(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ver := func(id int64, from time.Time) Version {
		return Version{EffectiveFrom: from, ReservationFeeFen: id}
	}
	versions := []Version{
		ver(2, t0.AddDate(0, 3, 0)),
		ver(1, t0),
		ver(3, t0.AddDate(0, 6, 0)),
		ver(4, t0.AddDate(0, 6, 0)), // same instant, later in the slice: wins
	}
	tests := []struct {
		name     string
		versions []Version
		at       time.Time
		wantID   int64
		wantOK   bool
	}{
		{"none", nil, t0, 0, false},
		{"before every version", versions, t0.Add(-time.Second), 0, false},
		{"exactly at the first", versions, t0, 1, true},
		{"between first and second", versions, t0.AddDate(0, 1, 0), 1, true},
		{"exactly at the second", versions, t0.AddDate(0, 3, 0), 2, true},
		{"tie goes to the later entry", versions, t0.AddDate(1, 0, 0), 4, true},
		{"zero time means since always", []Version{ver(9, time.Time{})}, t0, 9, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Select(tt.versions, tt.at)
			if ok != tt.wantOK || got.ReservationFeeFen != tt.wantID {
				t.Errorf("Select = version %d, %v; want version %d, %v", got.ReservationFeeFen, ok, tt.wantID, tt.wantOK)
			}
		})
	}
}

func TestReservationCharge(t *testing.T) {
	v := Version{ReservationFeeFen: 200, NoShowFeeFen: 500}
	tests := []struct {
		name   string
		noShow bool
		want   int64
	}{
		{"driver came", false, 200},
		{"no-show adds its fee", true, 700},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReservationCharge(v, tt.noShow); got != tt.want {
				t.Errorf("ReservationCharge(noShow=%v) = %d, want %d", tt.noShow, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	with := func(edit func(v *Version)) Version {
		v := Default()
		edit(&v)
		return v
	}
	tests := []struct {
		name string
		v    Version
		want []string // substrings the error must contain; nil = valid
	}{
		{"default", Default(), nil},
		{"one all-day period", Version{Periods: []Period{{Name: "flat", StartMinute: 0, EndMinute: 1440, EnergyPrice: 1, ServicePrice: 1}}}, nil},
		{"wrap ending at midnight written as 0", Version{Periods: []Period{
			{Name: "day", StartMinute: 0, EndMinute: 720},
			{Name: "night", StartMinute: 720, EndMinute: 0},
		}}, nil},
		{"no periods", Version{}, []string{"no periods"}},
		{"gap", with(func(v *Version) { v.Periods[0].EndMinute = 9 * 60 }), // flat 07:00–09:00, peak from 10:00
			[]string{"gap 09:00–10:00"}},
		{"overlap", with(func(v *Version) { v.Periods[1].StartMinute = 9*60 + 30 }), // peak from 09:30 while flat runs to 10:00
			[]string{`period 0 "flat" and period 1 "peak" overlap 09:30–10:00`}},
		{"overlap across midnight", with(func(v *Version) { v.Periods[5].EndMinute = 8 * 60 }), // valley to 08:00
			[]string{`period 0 "flat" and period 5 "valley" overlap 07:00–08:00`}},
		{"negative energy price", with(func(v *Version) { v.Periods[2].EnergyPrice = -1 }),
			[]string{`period 2 "flat": energy price -1`}},
		{"negative service price", with(func(v *Version) { v.Periods[3].ServicePrice = -5 }),
			[]string{`period 3 "peak": service price -5`}},
		{"empty name", with(func(v *Version) { v.Periods[4].Name = "" }),
			[]string{`period 4 "": empty name`}},
		{"start minute too big", with(func(v *Version) { v.Periods[1].StartMinute = 1440 }),
			[]string{`period 1 "peak": start minute 1440 out of range`, "gap 10:00–15:00"}},
		{"negative start minute", with(func(v *Version) { v.Periods[1].StartMinute = -1 }),
			[]string{`period 1 "peak": start minute -1 out of range`}},
		{"end minute too big", with(func(v *Version) { v.Periods[1].EndMinute = 1441 }),
			[]string{`period 1 "peak": end minute 1441 out of range`}},
		{"start equals end", with(func(v *Version) { v.Periods[1].EndMinute = 600 }),
			[]string{`period 1 "peak": starts and ends at 10:00`}},
		{"negative idle fee", with(func(v *Version) { v.IdleFeeFenPerMinute = -1 }),
			[]string{"idle fee per minute -1 out of range"}},
		{"several problems at once", with(func(v *Version) {
			v.Periods[0].Name = ""
			v.Periods[5].EnergyPrice = -3
		}), []string{`period 0 "": empty name`, `period 5 "valley": energy price -3`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.v.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tt.want)
			}
			if !errors.Is(err, ErrInvalidTariff) {
				t.Errorf("Validate() = %v, want it to wrap ErrInvalidTariff", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}
