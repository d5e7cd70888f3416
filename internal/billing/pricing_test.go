package billing

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func TestTariffSessionIdle(t *testing.T) {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	sample := func(m int, wh int64, powerW *int64) charging.Sample {
		return charging.Sample{At: at(m), EnergyWh: i64(wh), PowerW: powerW}
	}
	session := charging.Session{ID: "s1", StartedAt: t0, StoppedAt: at(60), MeterStart: 1000, EnergyWh: 3000}
	tests := []struct {
		name      string
		samples   []charging.Sample
		wantFrom  time.Time
		wantUntil time.Time
	}{
		{"no samples: no idle", nil, time.Time{}, time.Time{}},
		{"one sample: no idle", []charging.Sample{sample(10, 2000, i64(0))}, time.Time{}, time.Time{}},
		{"register rises to the end: no idle", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(30, 3000, i64(7000)), sample(50, 4000, i64(7000))}, time.Time{}, time.Time{}},
		{"flat register at zero power: idle from the last rise to the stop", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(20, 4000, i64(7000)), sample(30, 4000, i64(0)), sample(40, 4000, i64(0))}, at(20), at(60)},
		{"a trickle of 100 W still counts as idle", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(20, 4000, i64(7000)), sample(30, 4000, i64(100))}, at(20), at(60)},
		{"101 W is still charging", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(20, 4000, i64(7000)), sample(30, 4000, i64(101))}, time.Time{}, time.Time{}},
		{"no power reported: not idle", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(20, 4000, nil), sample(30, 4000, nil)}, time.Time{}, time.Time{}},
		{"samples out of order are sorted first", []charging.Sample{
			sample(40, 4000, i64(0)), sample(10, 2000, i64(7000)), sample(30, 4000, i64(0)), sample(20, 4000, i64(7000))}, at(20), at(60)},
		{"samples without energy are skipped", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(20, 4000, i64(7000)), {At: at(25), PowerW: i64(9000)}, sample(30, 4000, i64(0))}, at(20), at(60)},
		{"full exactly at the stop: no idle", []charging.Sample{
			sample(10, 2000, i64(7000)), sample(60, 4000, i64(7000))}, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tariffSession(session, tt.samples)
			if !got.IdleFrom.Equal(tt.wantFrom) || !got.IdleUntil.Equal(tt.wantUntil) {
				t.Errorf("got idle %v–%v, want %v–%v", got.IdleFrom, got.IdleUntil, tt.wantFrom, tt.wantUntil)
			}
			if got.MeterStart != 1000 || got.MeterStop != 4000 || !got.Start.Equal(t0) || !got.Stop.Equal(at(60)) {
				t.Errorf("got meter %d→%d over %v–%v, want 1000→4000 over %v–%v", got.MeterStart, got.MeterStop, got.Start, got.Stop, t0, at(60))
			}
			var withEnergy int
			for _, s := range tt.samples {
				if s.EnergyWh != nil {
					withEnergy++
				}
			}
			if len(got.Samples) != withEnergy {
				t.Errorf("got %d tariff samples, want %d (those with energy)", len(got.Samples), withEnergy)
			}
		})
	}
}

func TestTariffPrecedence(t *testing.T) {
	change := t0.Add(24 * time.Hour)
	def := Tariff{ID: "T-default", Default: true, Versions: []TariffVersion{version("V-def-1", "T-default", flat(time.Time{}, 1000)), version("V-def-2", "T-default", flat(change, 2000))}}
	site := Tariff{ID: "T-site", SiteID: "site-1", Versions: []TariffVersion{version("V-site-1", "T-site", flat(time.Time{}, 3000))}}
	own := Tariff{ID: "T-own", Versions: []TariffVersion{version("V-own-1", "T-own", flat(time.Time{}, 4000))}}
	future := Tariff{ID: "T-future", Versions: []TariffVersion{version("V-future-1", "T-future", flat(change, 5000))}}
	all := []Tariff{def, site, own, future}
	tests := []struct {
		name        string
		tariffs     []Tariff
		charger     charging.Charger
		at          time.Time
		wantTariff  string
		wantVersion string
	}{
		{"charger's own beats site and default", all, charging.Charger{ID: "c", SiteID: "site-1", TariffID: "T-own"}, t0, "T-own", "V-own-1"},
		{"site's beats default", all, charging.Charger{ID: "c", SiteID: "site-1"}, t0, "T-site", "V-site-1"},
		{"default for another site", all, charging.Charger{ID: "c", SiteID: "site-2"}, t0, "T-default", "V-def-1"},
		{"default for no site", all, charging.Charger{ID: "c"}, t0, "T-default", "V-def-1"},
		{"default's later version after it takes effect", all, charging.Charger{ID: "c"}, change, "T-default", "V-def-2"},
		{"default's earlier version just before", all, charging.Charger{ID: "c"}, change.Add(-time.Millisecond), "T-default", "V-def-1"},
		{"own tariff not yet in force falls back to the site's", all, charging.Charger{ID: "c", SiteID: "site-1", TariffID: "T-future"}, t0, "T-site", "V-site-1"},
		{"own tariff in force once it starts", all, charging.Charger{ID: "c", SiteID: "site-1", TariffID: "T-future"}, change, "T-future", "V-future-1"},
		{"unknown own tariff falls back to the default", all, charging.Charger{ID: "c", TariffID: "T-gone"}, t0, "T-default", "V-def-1"},
		{"order of the table does not matter", []Tariff{own, site, def}, charging.Charger{ID: "c", SiteID: "site-1"}, t0, "T-site", "V-site-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestService(&memStore{tariffs: tt.tariffs}, memChargers{}, clock.NewFake(t0))
			gotT, gotV, err := s.TariffFor(context.Background(), tt.charger, tt.at)
			if err != nil {
				t.Fatalf("TariffFor: %v", err)
			}
			if gotT.ID != tt.wantTariff || gotV.ID != tt.wantVersion {
				t.Errorf("got %s/%s, want %s/%s", gotT.ID, gotV.ID, tt.wantTariff, tt.wantVersion)
			}
		})
	}
	t.Run("no tariff at all is an internal error", func(t *testing.T) {
		s := newTestService(&memStore{}, memChargers{}, clock.NewFake(t0))
		if _, _, err := s.TariffFor(context.Background(), charging.Charger{ID: "c"}, t0); !apperr.Is(err, apperr.Internal) {
			t.Errorf("got %v, want an internal error", err)
		}
	})
}

// TestBillUsesVersionAtStart: a session is priced wholly by the version in
// force when it started, even when a new version begins mid-session, and
// adding a version never touches bills already made.
func TestBillUsesVersionAtStart(t *testing.T) {
	ctx := context.Background()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{tariffs: []Tariff{{ID: "T-default", Default: true, Versions: []TariffVersion{version("V1", "T-default", flat(time.Time{}, 10000))}}}}
	ch := memChargers{chargers: map[string]charging.Charger{"c1": {ID: "c1", SiteID: "site-1"}}, sites: map[string]charging.Site{"site-1": {ID: "site-1", Timezone: "Asia/Shanghai"}}}
	clk := clock.NewFake(t0)
	s := newTestService(st, ch, clk)

	// 10 kWh from 17:00 to 19:00 UTC: 01:00–03:00 on the next day in Shanghai.
	start := time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC)
	sess := func(id string, from time.Time) charging.Session {
		return charging.Session{ID: id, ChargerID: "c1", SiteID: "site-1", UserID: "u1", ConnectorID: 1, Status: charging.SessionStopped,
			StartedAt: from, StoppedAt: from.Add(2 * time.Hour), MeterStart: 500, MeterStop: 10500, EnergyWh: 10000}
	}
	clk.Set(start.Add(-time.Hour))
	if _, err := s.AddVersion(ctx, staff(), "T-default", flat(start.Add(time.Hour), 20000)); err != nil { // mid-session
		t.Fatalf("AddVersion: %v", err)
	}
	clk.Set(start.Add(2 * time.Hour))
	if ok, err := s.FinishSession(ctx, sess("s1", start), nil); err != nil || !ok {
		t.Fatalf("FinishSession s1: %v, %v", ok, err)
	}
	if ok, err := s.FinishSession(ctx, sess("s1", start), nil); err != nil || ok {
		t.Errorf("FinishSession replayed: got %v, %v; want false (no second bill)", ok, err)
	}
	first := st.bills[0]
	if first.TariffVersion != "V1" || first.TotalFen != 1000 || first.EnergyWh != 10000 {
		t.Errorf("bill across the change: version %s total %d energy %d, want V1 1000 fen 10000 Wh", first.TariffVersion, first.TotalFen, first.EnergyWh)
	}
	if first.LocalDay != 20260302 || first.LocalMonth != 202603 || first.LocalWeek != 202610 {
		t.Errorf("got local day/week/month %d/%d/%d, want 20260302/202610/202603 (Shanghai)", first.LocalDay, first.LocalWeek, first.LocalMonth)
	}
	if first.StartedAt.In(shanghai).Hour() != 1 || first.Status != StatusUnpaid || first.Number != "CC20260302-000001" {
		t.Errorf("bill = %+v", first)
	}

	later := start.Add(3 * time.Hour)
	clk.Set(later.Add(2 * time.Hour))
	if _, err := s.FinishSession(ctx, sess("s2", later), nil); err != nil {
		t.Fatalf("FinishSession s2: %v", err)
	}
	second := st.bills[1]
	if second.TariffVersion == "V1" || second.TotalFen != 2000 {
		t.Errorf("bill after the change: version %s total %d, want the new version, 2000 fen", second.TariffVersion, second.TotalFen)
	}
	if diff := cmp.Diff(first, st.bills[0]); diff != "" {
		t.Errorf("the first bill changed (-before +after):\n%s", diff)
	}

	clk.Set(later)
	if _, err := s.AddVersion(ctx, staff(), "T-default", flat(later.Add(-time.Hour), 1)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("version effective in the past: got %v, want invalid", err)
	}
}

func TestFreeSessionBill(t *testing.T) {
	st := &memStore{tariffs: []Tariff{{ID: "T", Default: true, Versions: []TariffVersion{version("V", "T", flat(time.Time{}, 10000))}}}}
	s := newTestService(st, memChargers{chargers: map[string]charging.Charger{"c1": {ID: "c1"}}}, clock.NewFake(t0))
	x := charging.Session{ID: "s0", ChargerID: "c1", StartedAt: t0, StoppedAt: t0.Add(time.Minute), MeterStart: 100, MeterStop: 100}
	if _, err := s.FinishSession(context.Background(), x, nil); err != nil {
		t.Fatal(err)
	}
	if b := st.bills[0]; b.Status != StatusFree || b.TotalFen != 0 || b.Due() != 0 {
		t.Errorf("got status %s total %d due %d, want free, 0, 0", b.Status, b.TotalFen, b.Due())
	}
}

func TestDue(t *testing.T) {
	tests := []struct {
		name             string
		total, paid, due int64
	}{
		{"unpaid", 9900, 0, 9900},
		{"paid", 9900, 9900, 0},
		{"paid then adjusted down", 9000, 9900, -900},
		{"free", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Bill{TotalFen: tt.total, PaidFen: tt.paid, RefundedFen: 100}
			if got := b.Due(); got != tt.due {
				t.Errorf("got %d, want %d", got, tt.due)
			}
		})
	}
}
