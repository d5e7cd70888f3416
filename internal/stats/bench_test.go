package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/stats"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// BenchmarkStatsYear times each statistics query on a year of data: about
// 1,000,000 sessions (and bills) on 200 chargers, on SQLite and, when
// CAMPUSCHARGE_TEST_POSTGRES_DSN is set, PostgreSQL (and MySQL when its DSN is
// set). Seeding takes minutes, so it runs only with CAMPUSCHARGE_BENCH_STATS=1:
//
//	CAMPUSCHARGE_BENCH_STATS=1 go test -run '^$' -bench StatsYear -benchtime 5x ./internal/stats
func BenchmarkStatsYear(b *testing.B) {
	if os.Getenv("CAMPUSCHARGE_BENCH_STATS") != "1" {
		b.Skip("set CAMPUSCHARGE_BENCH_STATS=1 to seed a year of sessions and time the statistics")
	}
	sessions := 1_000_000
	if n, err := fmt.Sscan(os.Getenv("CAMPUSCHARGE_BENCH_SESSIONS"), &sessions); n == 0 || err != nil {
		sessions = 1_000_000
	}
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		b.Fatal(err)
	}
	end := time.Date(2025, 1, 1, 0, 0, 0, 0, sh)
	start := end.AddDate(-1, 0, 0)
	for _, e := range testutil.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testutil.NewDB(b, e)
			t0 := time.Now()
			seedYear(b, db, start, end, sessions, sh)
			t1 := time.Now()
			rebuildSummary(b, db)
			b.Logf("%s: summaries rebuilt in %s", e.Name, time.Since(t1).Round(time.Millisecond))
			b.Logf("%s: seeded %d sessions and bills in %s", e.Name, sessions, time.Since(t0).Round(time.Second))
			// Steady state: autovacuum would have set the visibility map that index-only scans need.
			if _, err := db.ExecContext(context.Background(), map[store.Engine]string{store.SQLite: "ANALYZE", store.Postgres: "VACUUM ANALYZE", store.MySQL: "ANALYZE TABLE sessions, bills"}[db.Engine]); err != nil {
				b.Fatal(err)
			}
			svc := stats.NewService(store.NewStats(db), clock.NewFake(end.Add(12*time.Hour)), sh)
			ctx := context.Background()
			year := stats.Query{From: start, To: end.AddDate(0, 0, -1)}
			month := stats.Query{From: end.AddDate(0, -1, 0), To: end.AddDate(0, 0, -1)}
			site := stats.Query{From: start, To: end.AddDate(0, 0, -1), SiteID: "SITE1"}
			cases := []struct {
				name string
				run  func() error
			}{
				{"daily/year", func() error { _, _, err := svc.Daily(ctx, year); return err }},
				{"daily/year-site", func() error { _, _, err := svc.Daily(ctx, site); return err }},
				{"utilisation/month", func() error { _, err := svc.Utilisation(ctx, month); return err }},
				{"utilisation/year", func() error { _, err := svc.Utilisation(ctx, year); return err }},
				{"split/year", func() error { _, err := svc.Split(ctx, year); return err }},
				{"ranking/year", func() error { _, _, err := svc.Ranking(ctx, year, 10); return err }},
				{"heatmap/month", func() error { _, err := svc.Heatmap(ctx, month); return err }},
				{"heatmap/year", func() error { _, err := svc.Heatmap(ctx, year); return err }},
				{"dashboard", func() error { _, err := svc.Dashboard(ctx, ""); return err }},
				{"scheduling/year", func() error { _, err := svc.Scheduling(ctx, year); return err }},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// seedYear inserts 200 chargers on 4 sites and n sessions spread over
// [start, end) with a daily rhythm, each with its bill.
func seedYear(b *testing.B, db *store.DB, start, end time.Time, n int, loc *time.Location) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []seedCharger
	for i := range 200 {
		kind := "slow"
		if i%4 == 0 {
			kind = "fast"
		}
		cs = append(cs, seedCharger{id: fmt.Sprintf("CH%03d", i), kind: kind, site: fmt.Sprintf("SITE%d", i%4), online: i%10 != 0,
			statuses: []string{"Available", "Charging"}, statusAt: end})
	}
	seedCharger := cs
	seedChargers(b, db, seedCharger, end)
	span := end.Sub(start)
	const chunk = 20000
	for first := 0; first < n; first += chunk {
		ss := make([]seedSession, 0, chunk)
		for i := first; i < min(first+chunk, n); i++ {
			c := cs[rng.IntN(len(cs))]
			// Spread evenly over the year, then nudge towards the day's hours.
			at := start.Add(time.Duration(float64(span) * float64(i) / float64(n)))
			at = at.Add(time.Duration(rng.IntN(120)) * time.Minute)
			dur := time.Duration(20+rng.IntN(220)) * time.Minute
			wh := int64(dur.Minutes()) * 120
			ss = append(ss, seedSession{charger: c.id, site: c.site, start: at, stop: at.Add(dur), energyWh: wh, totalFen: wh / 10 * 12, idleMinutes: int64(rng.IntN(3)) * 10})
		}
		seedSessions(b, db, ss, first+1, loc)
	}
}
