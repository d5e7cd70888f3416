package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/stats"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

// TestSummaryEqualsRaw checks that the statistics read from the summary
// tables equal those read from the bills and sessions themselves, on a
// generated month and a half of sessions: bills made one by one through the
// store (the summaries' incremental path), some adjusted afterwards, some
// sessions still open, some longer than the lookback, a charger whose bills
// name another site; then again after the summaries are rebuilt.
func TestSummaryEqualsRaw(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(7, 8))
		first := time.Date(2025, 2, 1, 0, 0, 0, 0, sh)
		now := time.Date(2025, 3, 14, 15, 7, 0, 0, sh)
		var cs []seedCharger
		for i := range 9 {
			kind := []string{"fast", "slow", "slow"}[i%3]
			cs = append(cs, seedCharger{id: fmt.Sprintf("C%d", i), kind: kind, site: fmt.Sprintf("S%d", i%3), online: true,
				statuses: []string{"Available", "Available"}, statusAt: now.Add(-time.Hour)})
		}
		seedChargers(t, db, cs, now)

		// Sessions inserted open, then most of them stopped with a bill.
		type gen struct {
			s    seedSession
			open bool
		}
		var gs []gen
		span := now.Sub(first)
		for i := range 500 {
			c := cs[rng.IntN(len(cs))]
			site := c.site
			if c.id == "C4" && i%2 == 0 {
				site = "S9" // bills of a charger that moved here from another site
			}
			at := first.Add(time.Duration(rng.Int64N(int64(span))))
			dur := time.Duration(rng.IntN(10*60)) * time.Minute
			switch i % 50 {
			case 0:
				dur = time.Duration(80+rng.IntN(40)) * time.Hour // longer than the lookback
			case 1, 2:
				dur = time.Duration(20+rng.IntN(30)) * time.Hour
			}
			open := at.Add(dur).After(now)
			if i%97 == 0 {
				open = true
			}
			if !open && at.Add(dur).After(now) {
				dur = now.Sub(at)
			}
			wh := int64(dur.Minutes()) * 100
			gs = append(gs, gen{s: seedSession{charger: c.id, site: site, start: at.Truncate(time.Second), stop: at.Add(dur).Truncate(time.Second), energyWh: wh,
				totalFen: wh / 8, idleMinutes: int64(rng.IntN(4)) * 15}, open: open})
		}
		var opens []seedSession
		for _, g := range gs {
			x := g.s
			x.stop = time.Time{}
			opens = append(opens, x)
		}
		seedSessions(t, db, opens, 1, sh)
		bills := store.NewBilling(db)
		var made []billing.Bill
		for i, g := range gs {
			if g.open {
				continue
			}
			n := i + 1
			id := fmt.Sprintf("S%025d", n)
			x := charging.Session{ID: id, ChargerID: g.s.charger, SiteID: g.s.site, StoppedAt: g.s.stop, EnergyWh: g.s.energyWh, UpdatedAt: g.s.stop}
			day := g.s.start.In(sh)
			b := billing.Bill{ID: fmt.Sprintf("B%025d", n), Number: fmt.Sprintf("N%d", n), SessionID: id, ChargerID: g.s.charger, SiteID: g.s.site, Connector: 1,
				StartedAt: g.s.start, StoppedAt: g.s.stop, DurationS: int64(g.s.stop.Sub(g.s.start) / time.Second), EnergyWh: g.s.energyWh,
				EnergyFee: g.s.totalFen * 2 / 3, ServiceFee: g.s.totalFen - g.s.totalFen*2/3, IdleMinutes: g.s.idleMinutes, IdleFee: g.s.idleMinutes * 10,
				TotalFen: g.s.totalFen + g.s.idleMinutes*10, Status: billing.StatusUnpaid, LocalDay: day.Year()*10000 + int(day.Month())*100 + day.Day(),
				CreatedAt: g.s.stop, UpdatedAt: g.s.stop}
			if ok, err := bills.StopSessionWithBill(ctx, x, nil, b); err != nil || !ok {
				t.Fatalf("stop session %s with bill: got %v, %v, want true, nil", id, ok, err)
			}
			made = append(made, b)
		}
		for i := 0; i < len(made); i += 17 {
			if _, _, err := bills.ChangeBill(ctx, made[i].ID, billing.BillChange{Apply: func(b *billing.Bill, _ *billing.Payment) error {
				b.AdjustmentFen = -b.TotalFen / 2
				b.TotalFen += b.AdjustmentFen
				b.UpdatedAt = now
				return nil
			}}); err != nil {
				t.Fatal(err)
			}
		}

		clk := clock.NewFake(now)
		fast := stats.NewService(store.NewStats(db), clk, sh)
		raw := stats.NewService(store.NewStatsRaw(db), clk, sh)
		day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, sh) }
		queries := []stats.Query{
			{},
			{From: day(2, 1), To: day(3, 14)},
			{From: day(1, 20), To: day(3, 31)},
			{From: day(2, 10), To: day(2, 10)},
			{From: day(2, 10), To: day(2, 11)},
			{From: day(2, 5), To: day(2, 25)},
			{From: day(2, 5), To: day(2, 25), SiteID: "S1"},
			{From: day(2, 1), To: day(3, 14), SiteID: "S9"},
			{From: day(3, 14), To: day(3, 14)},
		}
		check := func(t *testing.T) {
			for _, q := range queries {
				t.Run(fmt.Sprintf("%s..%s@%s", q.From.Format("0102"), q.To.Format("0102"), q.SiteID), func(t *testing.T) {
					compare(t, "daily", func(svc *stats.Service) (any, error) { d, tot, err := svc.Daily(ctx, q); return []any{d, tot}, err }, fast, raw)
					compare(t, "utilisation", func(svc *stats.Service) (any, error) { return svc.Utilisation(ctx, q) }, fast, raw)
					compare(t, "split", func(svc *stats.Service) (any, error) { return svc.Split(ctx, q) }, fast, raw)
					compare(t, "ranking", func(svc *stats.Service) (any, error) { a, b, err := svc.Ranking(ctx, q, 3); return []any{a, b}, err }, fast, raw)
					compare(t, "heatmap", func(svc *stats.Service) (any, error) { return svc.Heatmap(ctx, q) }, fast, raw)
				})
			}
			compare(t, "dashboard", func(svc *stats.Service) (any, error) { return svc.Dashboard(ctx, "") }, fast, raw)
			// The store on its own, at instants that fall between days and quarter hours.
			fastStore, rawStore := store.NewStats(db), store.NewStatsRaw(db)
			for i := range 12 {
				from := first.Add(time.Duration(rng.Int64N(int64(span))))
				to := from.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
				site := []string{"", "S0", "S9"}[i%3]
				for _, lookback := range []time.Duration{stats.Lookback, 5 * time.Hour} {
					got, err := fastStore.Busy(ctx, from, to, lookback, site)
					want, err2 := rawStore.Busy(ctx, from, to, lookback, site)
					if err != nil || err2 != nil {
						t.Fatalf("busy: %v, %v", err, err2)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("busy %s..%s site %q lookback %s (-raw +summary):\n%s", from, to, site, lookback, diff)
					}
				}
				for _, width := range []time.Duration{15 * time.Minute, time.Hour, 7 * time.Minute} {
					got, err := fastStore.StartBuckets(ctx, from, to, width, site)
					want, err2 := rawStore.StartBuckets(ctx, from, to, width, site)
					if err != nil || err2 != nil {
						t.Fatalf("start buckets: %v, %v", err, err2)
					}
					sortBuckets(got)
					sortBuckets(want)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("start buckets %s..%s per %s site %q (-raw +summary):\n%s", from, to, width, site, diff)
					}
				}
			}
		}
		t.Run("incremental", check)
		if err := store.NewStats(db).RebuildSummary(ctx); err != nil {
			t.Fatal(err)
		}
		t.Run("rebuilt", check)
	})
}

// compare runs one statistic on the summary-based and the raw service and
// reports where they differ.
func compare(t *testing.T, name string, run func(*stats.Service) (any, error), fast, raw *stats.Service) {
	t.Helper()
	got, err := run(fast)
	if err != nil {
		t.Fatalf("%s from the summaries: %v", name, err)
	}
	want, err := run(raw)
	if err != nil {
		t.Fatalf("%s from the raw rows: %v", name, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-raw +summary):\n%s", name, diff)
	}
}

func sortBuckets(bs []stats.Bucket) {
	sort.Slice(bs, func(i, j int) bool { return bs[i].StartMS < bs[j].StartMS })
}
