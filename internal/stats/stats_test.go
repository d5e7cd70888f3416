package stats_test

import (
	"context"
	"testing"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/stats"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

func TestReportsOnEveryEngine(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Now: Tuesday 2025-03-04 12:00 in Shanghai.
		now := time.Date(2025, 3, 4, 12, 0, 0, 0, sh)
		clk := clock.NewFake(now)
		seedChargers(t, db, []seedCharger{
			{id: "F1", kind: "fast", site: "S1", online: true, statuses: []string{"Charging", "Available"}, statusAt: now.Add(-time.Hour)},
			{id: "L1", kind: "slow", site: "S2", online: true, statuses: []string{"Faulted"}, statusAt: time.Date(2025, 3, 3, 18, 0, 0, 0, sh)},
			{id: "L2", kind: "slow", site: "S2", online: false, statuses: []string{"Available"}, statusAt: now},
		}, now)
		at := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, sh) }
		seedSessions(t, db, []seedSession{
			// Sunday 2 March 09:00–11:00 on F1 (30 idle minutes).
			{charger: "F1", site: "S1", start: at(2, 9, 0), stop: at(2, 11, 0), energyWh: 40000, totalFen: 6000, idleMinutes: 30},
			// Saturday 1 March 23:00 – Sunday 01:00 on L1: one hour falls inside the period.
			{charger: "L1", site: "S2", start: at(1, 23, 0), stop: at(2, 1, 0), energyWh: 7000, totalFen: 1000},
			// Monday 3 March 09:15–10:15 on F1.
			{charger: "F1", site: "S1", start: at(3, 9, 15), stop: at(3, 10, 15), energyWh: 30000, totalFen: 4500},
			// Tuesday: one today, one still open since 11:00.
			{charger: "F1", site: "S1", start: at(4, 8, 0), stop: at(4, 9, 0), energyWh: 20000, totalFen: 3000},
			{charger: "F1", site: "S1", start: at(4, 11, 0), energyWh: 5000},
		}, 1, sh)
		rebuildSummary(t, db)
		svc := stats.NewService(store.NewStats(db), clk, sh)
		period := stats.Query{From: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)}

		t.Run("daily", func(t *testing.T) {
			days, total, err := svc.Daily(ctx, period)
			if err != nil {
				t.Fatal(err)
			}
			want := []stats.Day{{Date: "2025-03-02", Sessions: 2, EnergyWh: 47000, RevenueFen: 7000}, {Date: "2025-03-03", Sessions: 1, EnergyWh: 30000, RevenueFen: 4500},
				{Date: "2025-03-04", Sessions: 1, EnergyWh: 20000, RevenueFen: 3000}}
			if diff := cmp.Diff(want, days); diff != "" {
				t.Errorf("days (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(stats.Totals{Sessions: 4, EnergyWh: 97000, RevenueFen: 14500}, total); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
			site, _, _ := svc.Daily(ctx, stats.Query{From: period.From, To: period.To, SiteID: "S2"})
			if site[0].Sessions != 1 || site[1].Sessions != 0 {
				t.Errorf("site S2: got %+v, want one session on 2 March", site)
			}
		})
		t.Run("utilisation", func(t *testing.T) {
			uses, err := svc.Utilisation(ctx, period)
			if err != nil {
				t.Fatal(err)
			}
			// The period runs from 2 March 00:00 to now (4 March 12:00): 60 h.
			got := map[string][5]int64{}
			for _, u := range uses {
				got[u.ChargerID] = [5]int64{u.CapacityS, u.ChargingS, u.OccupiedS, u.FaultedS, u.IdleS}
			}
			h := int64(3600)
			want := map[string][5]int64{
				// 2 connectors × 60 h; busy 2 h + 1 h + 1 h + 1 h open = 5 h, 30 min of it idle.
				"F1": {120 * h, 5*h - 1800, 1800, 0, 115 * h},
				// 1 connector; busy 1 h inside the period; faulted since 3 March 18:00 = 18 h.
				"L1": {60 * h, h, 0, 18 * h, 41 * h},
				"L2": {60 * h, 0, 0, 0, 60 * h},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("capacity, charging, occupied, faulted, idle (-want +got):\n%s", diff)
			}
			split, err := svc.Split(ctx, period)
			if err != nil {
				t.Fatal(err)
			}
			wantSplit := []stats.KindSplit{{Kind: "fast", Chargers: 1, Sessions: 3, EnergyWh: 90000, RevenueFen: 13500}, {Kind: "slow", Chargers: 2, Sessions: 1, EnergyWh: 7000, RevenueFen: 1000}}
			if diff := cmp.Diff(wantSplit, split); diff != "" {
				t.Errorf("split (-want +got):\n%s", diff)
			}
			top, least, err := svc.Ranking(ctx, period, 1)
			if err != nil || len(top) != 1 || top[0].ChargerID != "F1" || len(least) != 1 || least[0].ChargerID != "L2" {
				t.Errorf("ranking: got top %v least %v (%v), want F1 and L2", top, least, err)
			}
		})
		t.Run("heatmap", func(t *testing.T) {
			h, err := svc.Heatmap(ctx, period)
			if err != nil {
				t.Fatal(err)
			}
			var want stats.Heatmap
			want.Counts[6][9] = 1  // Sunday 09:00
			want.Counts[0][9] = 1  // Monday 09:15
			want.Counts[1][8] = 1  // Tuesday 08:00
			want.Counts[1][11] = 1 // Tuesday 11:00
			want.Max = 1
			if diff := cmp.Diff(want, h); diff != "" {
				t.Errorf("heatmap (-want +got):\n%s", diff)
			}
		})
		t.Run("dashboard", func(t *testing.T) {
			d, err := svc.Dashboard(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			want := stats.Dashboard{At: now.UTC(), Chargers: 3, Online: 2, Offline: 1, Charging: 1, Free: 1, Faulted: 1,
				Connectors: map[string]int{"Charging": 1, "Available": 2, "Faulted": 1}, ActiveSessions: 1, Today: stats.Totals{Sessions: 1, EnergyWh: 20000, RevenueFen: 3000}}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("dashboard (-want +got):\n%s", diff)
			}
		})
		t.Run("scheduling", func(t *testing.T) {
			seedReservations(t, db, []seedReservation{
				// Direct reservations: one used, one no-show.
				{kind: "direct", site: "S1", status: "used", at: at(3, 9, 0)},
				{kind: "direct", site: "S2", status: "expired", at: at(3, 9, 30)},
				// Q1 joined at 10:00, was called at 10:20, missed its window
				// and was called again at 10:50: it waited 20 minutes.
				{kind: "queue", site: "S1", ticket: "Q1", status: "expired", queued: at(3, 10, 0), at: at(3, 10, 20)},
				{kind: "queue", site: "S1", ticket: "Q1", status: "used", queued: at(3, 10, 0), at: at(3, 10, 50)},
				// Q2 waited 5 minutes at S2.
				{kind: "queue", site: "S2", ticket: "Q2", status: "used", queued: at(3, 11, 0), at: at(3, 11, 5)},
				// Q3 joined before the period and was called inside it: 20 minutes.
				{kind: "queue", site: "S1", ticket: "Q3", status: "used", queued: at(1, 23, 50), at: at(2, 0, 10)},
				// Q4 was first called before the period: left out, though
				// called again inside it.
				{kind: "queue", site: "S1", ticket: "Q4", status: "expired", queued: at(1, 23, 0), at: at(1, 23, 30)},
				{kind: "queue", site: "S1", ticket: "Q4", status: "used", queued: at(1, 23, 0), at: at(2, 0, 30)},
				// A hold stored before join times were (queued_at 0): left out.
				{kind: "queue", site: "S2", ticket: "Q5", status: "used", at: at(3, 12, 0)},
			})
			for _, c := range []struct {
				site string
				want stats.Scheduling
			}{
				// (20 + 5 + 20) / 3 minutes = 900 s.
				{"", stats.Scheduling{Available: true, QueueWaitAvailable: true, QueueTickets: 3, AvgQueueWaitS: 900, Reservations: 2, Used: 1, NoShows: 1, NoShowRate: 0.5}},
				{"S1", stats.Scheduling{Available: true, QueueWaitAvailable: true, QueueTickets: 2, AvgQueueWaitS: 1200, Reservations: 1, Used: 1}},
				{"S2", stats.Scheduling{Available: true, QueueWaitAvailable: true, QueueTickets: 1, AvgQueueWaitS: 300, Reservations: 1, NoShows: 1, NoShowRate: 1}},
			} {
				got, err := svc.Scheduling(ctx, stats.Query{From: period.From, To: period.To, SiteID: c.site})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("site %q (-want +got):\n%s", c.site, diff)
				}
			}
		})
		t.Run("bad period", func(t *testing.T) {
			if _, _, err := svc.Daily(ctx, stats.Query{From: period.To, To: period.From}); err == nil {
				t.Error("got no error for a reversed period")
			}
			if _, _, err := svc.Daily(ctx, stats.Query{From: period.From.AddDate(-2, 0, 0), To: period.To}); err == nil {
				t.Error("got no error for a two-year period")
			}
		})
	})
}
