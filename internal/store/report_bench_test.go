package store_test

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"campuscharge/internal/billing"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// Shape of the generated year of bills.
const (
	benchSites    = 5
	benchChargers = 200 // 40 per site
	benchDrivers  = 5000
	benchYear     = 2025
	benchMonth    = 6 // the month the reports cover
)

// benchBills is how many bills the report benchmark generates:
// CAMPUSCHARGE_BENCH_BILLS=1 means 1,000,000, a larger number means that
// many; unset, the benchmark is skipped so `make test` stays fast.
func benchBills(b *testing.B) int {
	v := os.Getenv("CAMPUSCHARGE_BENCH_BILLS")
	if v == "" {
		b.Skip("set CAMPUSCHARGE_BENCH_BILLS=1 (1,000,000 bills) or a count to run the report benchmark")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("CAMPUSCHARGE_BENCH_BILLS=%q: want 1 or a count of bills", v)
	}
	if n == 1 {
		n = 1_000_000
	}
	return n
}

// BenchmarkReport times the month reports over a year of bills on every
// configured engine: by charger per day, by site per month, and one
// driver's bills of the month.
//
//	CAMPUSCHARGE_BENCH_BILLS=1 go test -run '^$' -bench Report -benchtime 20x -timeout 60m ./internal/store/
func BenchmarkReport(b *testing.B) {
	n := benchBills(b)
	for _, e := range testutil.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testutil.NewDB(b, e)
			ctx := context.Background()
			began := time.Now()
			seedBills(b, db, n)
			b.Logf("%s: inserted %d bills in %s (%.0f bills/s)", e.Name, n, time.Since(began).Round(time.Millisecond), float64(n)/time.Since(began).Seconds())
			// Statistics as a live database has them (autovacuum, or
			// ANALYZE after a restore).
			if e.Name == "postgres" {
				if _, err := db.ExecContext(ctx, "VACUUM ANALYZE bills"); err != nil {
					b.Fatal(err)
				}
			} else if e.Name == "sqlite" {
				if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			st := store.NewBilling(db)
			from, to := benchYear*10000+benchMonth*100+1, benchYear*10000+benchMonth*100+30
			b.Run("by-charger-per-day", func(b *testing.B) {
				for b.Loop() {
					rows, err := st.Report(ctx, billing.ReportQuery{By: "charger", Period: "day", FromDay: from, ToDay: to})
					if err != nil {
						b.Fatal(err)
					}
					if len(rows) != benchChargers*30 && n >= 1_000_000 {
						b.Fatalf("got %d rows, want %d", len(rows), benchChargers*30)
					}
				}
			})
			b.Run("by-site-per-month", func(b *testing.B) {
				for b.Loop() {
					rows, err := st.Report(ctx, billing.ReportQuery{By: "site", Period: "month", FromDay: from, ToDay: to})
					if err != nil {
						b.Fatal(err)
					}
					if len(rows) != benchSites {
						b.Fatalf("got %d rows, want %d", len(rows), benchSites)
					}
				}
			})
			b.Run("one-site-by-charger-per-month", func(b *testing.B) {
				for b.Loop() {
					rows, err := st.Report(ctx, billing.ReportQuery{By: "charger", Period: "month", SiteID: siteID(2), FromDay: from, ToDay: to})
					if err != nil {
						b.Fatal(err)
					}
					if len(rows) != benchChargers/benchSites {
						b.Fatalf("got %d rows, want %d", len(rows), benchChargers/benchSites)
					}
				}
			})
			b.Run("driver-month-of-bills", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					bills, err := st.Bills(ctx, billing.BillFilter{UserID: driverID(i % benchDrivers), FromDay: from, ToDay: to, Limit: 51})
					if err != nil {
						b.Fatal(err)
					}
					if len(bills) == 0 && n >= 1_000_000 {
						b.Fatalf("driver %d has no bills in the month", i%benchDrivers)
					}
				}
			})
		})
	}
}

func siteID(i int) string    { return fmt.Sprintf("SITE%02d", i) }
func chargerID(i int) string { return fmt.Sprintf("CHG%04d", i) }
func driverID(i int) string  { return fmt.Sprintf("USR%05d", i) }

// benchLines is a typical two-line bill's line_items JSON.
const benchLines = `[{"period":"flat","from":"2025-06-01T01:00:00Z","to":"2025-06-01T02:00:00Z","energy_wh":15000,"energy_price":7000,"service_price":8000,"energy_fee":1050,"service_fee":1200},` +
	`{"period":"peak","from":"2025-06-01T02:00:00Z","to":"2025-06-01T03:00:00Z","energy_wh":15000,"energy_price":10000,"service_price":8000,"energy_fee":1500,"service_fee":1200}]`

// seedBills inserts n bills spread evenly over benchYear in Shanghai time,
// 500 rows per INSERT and 20,000 per transaction.
func seedBills(b *testing.B, db *store.DB, n int) {
	b.Helper()
	const cols = 29
	const perStmt, perTx = 500, 20_000
	ctx := context.Background()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	yearStart := time.Date(benchYear, 1, 1, 0, 0, 0, 0, shanghai)
	yearMS := time.Date(benchYear+1, 1, 1, 0, 0, 0, 0, shanghai).Sub(yearStart).Milliseconds()
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	stmt := db.Rebind(`INSERT INTO bills (id, number, session_id, user_id, charger_id, site_id, connector_id, started_at, stopped_at, duration_s, energy_wh,
		energy_fee, service_fee, idle_minutes, idle_fee, adjustment_fen, total_fen, paid_fen, refunded_fen, status, tariff_id, tariff_version_id, line_items,
		local_day, local_week, local_month, paid_at, created_at, updated_at) VALUES ` + strings.TrimSuffix(strings.Repeat(row+",", perStmt), ","))
	args := make([]any, 0, perStmt*cols)
	for done := 0; done < n; {
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for end := min(done+perTx, n); done < end; {
			args = args[:0]
			for k := 0; k < perStmt; k++ {
				i := done + k
				if i >= n {
					i = n + k // pad the last statement with extra, distinct rows
				}
				start := yearStart.Add(time.Duration(int64(i)*yearMS/int64(n)) * time.Millisecond)
				dur := int64(1800 + rng.IntN(10800))
				wh := dur * int64(3000+rng.IntN(50000)) / 3600
				energyFee, serviceFee := wh*7/1000, wh*8/1000
				idle := int64(0)
				if rng.IntN(10) == 0 {
					idle = int64(rng.IntN(60))
				}
				total := energyFee + serviceFee + idle*10
				status, paid, paidAt := billing.StatusPaid, total, start.Add(time.Duration(dur+600)*time.Second)
				if rng.IntN(50) == 0 {
					status, paid, paidAt = billing.StatusUnpaid, 0, time.Time{}
				}
				c := i % benchChargers
				local := start.In(shanghai)
				year, week := local.ISOWeek()
				stop := start.Add(time.Duration(dur) * time.Second)
				args = append(args, ulid.MustNew(ulid.Timestamp(stop), crand.Reader).String(), fmt.Sprintf("CC%09d", i), fmt.Sprintf("SES%09d", i),
					driverID(rng.IntN(benchDrivers)), chargerID(c), siteID(c%benchSites), 1+rng.IntN(2), start.UnixMilli(), stop.UnixMilli(), dur, wh,
					energyFee, serviceFee, idle, idle*10, 0, total, paid, 0, status, "TARIFF", "VERSION", benchLines,
					billing.Day(local), year*100+week, local.Year()*100+int(local.Month()), msOrZero(paidAt), stop.UnixMilli(), stop.UnixMilli())
			}
			if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
				_ = tx.Rollback()
				b.Fatalf("insert bills at %d: %v", done, err)
			}
			done += perStmt
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
