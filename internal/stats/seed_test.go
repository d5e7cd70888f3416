package stats_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/scheduling"
	"campuscharge/internal/store"
)

// seedCharger is a charger to insert, with its connectors' statuses (1…n).
type seedCharger struct {
	id, kind, site string
	online         bool
	statuses       []string
	statusAt       time.Time
}

// seedSession is a stopped (stop > 0) or open session; a stopped one gets a bill.
type seedSession struct {
	charger      string
	site         string
	start, stop  time.Time
	energyWh     int64
	totalFen     int64
	idleMinutes  int64
	localDayBill int
}

// insertRows inserts rows with multi-row INSERTs of up to batch rows, in
// one transaction per batch.
func insertRows(tb testing.TB, db *store.DB, table string, cols []string, rows [][]any) {
	tb.Helper()
	ctx := context.Background()
	const batch = 400
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for i := 0; i < len(rows); i += batch {
		part := rows[i:min(i+batch, len(rows))]
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", len(part)), ",")
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(q), args...); err != nil {
			tb.Fatalf("insert into %s: %v", table, err)
		}
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
	}
}

func seedChargers(tb testing.TB, db *store.DB, cs []seedCharger, now time.Time) {
	tb.Helper()
	var chargers, conns [][]any
	for _, c := range cs {
		chargers = append(chargers, []any{c.id, "CP-" + c.id, c.site, "Charger " + c.id, c.kind, 7000, "active", c.online, now.UnixMilli(), now.UnixMilli()})
		conns = append(conns, []any{c.id, 0, "Available", c.statusAt.UnixMilli()})
		for i, s := range c.statuses {
			conns = append(conns, []any{c.id, i + 1, s, c.statusAt.UnixMilli()})
		}
	}
	insertRows(tb, db, "chargers", []string{"id", "cp_id", "site_id", "name", "kind", "max_power_w", "state", "online", "created_at", "updated_at"}, chargers)
	insertRows(tb, db, "connectors", []string{"charger_id", "connector_id", "status", "status_at"}, conns)
}

// seedSessions inserts sessions and, for stopped ones, bills; first numbers
// the transaction ids and keys so calls can be repeated.
func seedSessions(tb testing.TB, db *store.DB, ss []seedSession, first int, loc *time.Location) {
	tb.Helper()
	var sessions, bills [][]any
	for i, s := range ss {
		n := first + i
		id := fmt.Sprintf("S%025d", n)
		status, stop := "active", int64(0)
		if !s.stop.IsZero() {
			status, stop = "stopped", s.stop.UnixMilli()
		}
		sessions = append(sessions, []any{id, n, s.charger, s.site, 1, "U1", status, s.start.UnixMilli(), stop, 0, s.energyWh, id, s.start.UnixMilli(), s.start.UnixMilli()})
		if stop == 0 {
			continue
		}
		day := s.localDayBill
		if day == 0 {
			l := s.stop.In(loc)
			day = l.Year()*10000 + int(l.Month())*100 + l.Day()
		}
		bills = append(bills, []any{fmt.Sprintf("B%025d", n), fmt.Sprintf("N%d", n), id, "U1", s.charger, s.site, 1, s.start.UnixMilli(), stop,
			(stop - s.start.UnixMilli()) / 1000, s.energyWh, s.totalFen, 0, s.idleMinutes, s.totalFen, "paid", "[]", day, day / 100, day / 100, stop, stop})
	}
	insertRows(tb, db, "sessions", []string{"id", "transaction_id", "charger_id", "site_id", "connector_id", "user_id", "status", "started_at", "stopped_at",
		"meter_start", "energy_wh", "start_key", "created_at", "updated_at"}, sessions)
	insertRows(tb, db, "bills", []string{"id", "number", "session_id", "user_id", "charger_id", "site_id", "connector_id", "started_at", "stopped_at",
		"duration_s", "energy_wh", "energy_fee", "service_fee", "idle_minutes", "total_fen", "status", "line_items", "local_day", "local_week", "local_month",
		"created_at", "updated_at"}, bills)
}

// rebuildSummary refills the statistics summaries after seedSessions wrote
// bills behind the store's back.
func rebuildSummary(tb testing.TB, db *store.DB) {
	tb.Helper()
	if err := store.NewStats(db).RebuildSummary(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// seedReservation is a reservation to insert through the scheduling store;
// queued is the queue ticket's join time (zero for none).
type seedReservation struct {
	kind, site, ticket, status string
	queued, at                 time.Time
}

func seedReservations(tb testing.TB, db *store.DB, rs []seedReservation) {
	tb.Helper()
	st := store.NewScheduling(db)
	for i, r := range rs {
		x := scheduling.Reservation{ID: fmt.Sprintf("R%02d", i), OCPPID: int64(i + 1), UserID: "U1", SiteID: r.site, ChargerID: "F1", ConnectorID: 1,
			Kind: r.kind, TicketID: r.ticket, Status: r.status, ReservedAt: r.at, ExpiresAt: r.at.Add(15 * time.Minute), NoShowAt: r.at.Add(15 * time.Minute),
			QueuedAt: r.queued, CreatedAt: r.at, UpdatedAt: r.at}
		if err := st.CreateReservation(context.Background(), x); err != nil {
			tb.Fatal(err)
		}
	}
}
