package store

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/stats"
)

// Stats answers the statistics' read-only queries.
type Stats struct{ db *DB }

var _ stats.Store = (*Stats)(nil)

// NewStats returns the statistics store.
func NewStats(db *DB) *Stats { return &Stats{db: db} }

// siteFilter adds "AND site_id = ?" when siteID is set.
func siteFilter(q string, args []any, siteID string) (string, []any) {
	if siteID == "" {
		return q, args
	}
	return q + " AND site_id = ?", append(args, siteID)
}

// Daily sums bills per local day.
func (s *Stats) Daily(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.DayRow, error) {
	q, args := siteFilter(`SELECT local_day, COUNT(*) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(total_fen), 0) AS revenue_fen
		FROM bills WHERE local_day >= ? AND local_day <= ?`, []any{fromDay, toDay}, siteID)
	var rows []stats.DayRow
	if err := sel(ctx, s.db, &rows, q+" GROUP BY local_day ORDER BY local_day", args...); err != nil {
		return nil, fmt.Errorf("daily statistics: %w", err)
	}
	return rows, nil
}

// chargerIDs lists the chargers of a site (all when siteID is empty).
func (s *Stats) chargerIDs(ctx context.Context, siteID string) ([]string, error) {
	q, args := siteFilter(`SELECT id FROM chargers WHERE 1 = 1`, nil, siteID)
	var ids []string
	if err := sel(ctx, s.db, &ids, q+" ORDER BY id", args...); err != nil {
		return nil, fmt.Errorf("charger ids: %w", err)
	}
	return ids, nil
}

// ChargerTotals sums bills per charger over local days. It asks charger by
// charger: each answer is a seek on the (charger_id, local_day, …) covering
// index, where one grouped query would sort a year of bills.
func (s *Stats) ChargerTotals(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.ChargerTotal, error) {
	ids, err := s.chargerIDs(ctx, siteID)
	if err != nil {
		return nil, err
	}
	out := make([]stats.ChargerTotal, 0, len(ids))
	for _, id := range ids {
		t := stats.ChargerTotal{ChargerID: id}
		if err := get(ctx, s.db, &t, `SELECT ? AS charger_id, COUNT(*) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(total_fen), 0) AS revenue_fen,
			COALESCE(SUM(idle_minutes), 0) AS idle_minutes FROM bills WHERE charger_id = ? AND local_day >= ? AND local_day <= ?`, id, id, fromDay, toDay); err != nil {
			return nil, fmt.Errorf("totals of charger %s: %w", id, err)
		}
		if t.Sessions > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// Busy sums per charger the overlap of sessions with [from, to), charger by
// charger on the (charger_id, started_at, stopped_at) index.
func (s *Stats) Busy(ctx context.Context, from, to time.Time, lookback time.Duration, siteID string) ([]stats.ChargerBusy, error) {
	ids, err := s.chargerIDs(ctx, siteID)
	if err != nil {
		return nil, err
	}
	f, t := ms(from), ms(to)
	out := make([]stats.ChargerBusy, 0, len(ids))
	for _, id := range ids {
		var busy int64
		if err := get(ctx, s.db, &busy, `SELECT COALESCE(SUM(
				(CASE WHEN stopped_at = 0 OR stopped_at > ? THEN ? ELSE stopped_at END) -
				(CASE WHEN started_at < ? THEN ? ELSE started_at END)), 0)
			FROM sessions WHERE charger_id = ? AND started_at >= ? AND started_at < ? AND (stopped_at = 0 OR stopped_at > ?)`,
			t, t, f, f, id, f-lookback.Milliseconds(), t, f); err != nil {
			return nil, fmt.Errorf("busy time of charger %s: %w", id, err)
		}
		if busy > 0 {
			out = append(out, stats.ChargerBusy{ChargerID: id, BusyMS: busy})
		}
	}
	return out, nil
}

// StartBuckets counts session starts per slice of time. It asks a week at a
// time so that each grouping sorts few enough rows to stay in memory.
func (s *Stats) StartBuckets(ctx context.Context, from, to time.Time, width time.Duration, siteID string) ([]stats.Bucket, error) {
	// The width is ours, not the caller's text: inlined so the grouping
	// expression is the selected one on every engine.
	expr := fmt.Sprintf("started_at - started_at %% %d", max(width.Milliseconds(), 1))
	var out []stats.Bucket
	for a := from; a.Before(to); a = a.Add(7 * 24 * time.Hour) {
		b := a.Add(7 * 24 * time.Hour)
		if b.After(to) {
			b = to
		}
		q, args := siteFilter(`SELECT `+expr+` AS bucket, COUNT(*) AS n FROM sessions WHERE started_at >= ? AND started_at < ?`,
			[]any{ms(a), ms(b)}, siteID)
		var rows []stats.Bucket
		if err := sel(ctx, s.db, &rows, q+" GROUP BY "+expr, args...); err != nil {
			return nil, fmt.Errorf("session starts: %w", err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// Chargers returns every charger with its connectors' status.
func (s *Stats) Chargers(ctx context.Context, siteID string) ([]stats.ChargerInfo, error) {
	var cs []struct {
		ID     string `db:"id"`
		CPID   string `db:"cp_id"`
		Name   string `db:"name"`
		SiteID string `db:"site_id"`
		Kind   string `db:"kind"`
		State  string `db:"state"`
		Online bool   `db:"online"`
	}
	q, args := siteFilter(`SELECT id, cp_id, name, site_id, kind, state, online FROM chargers WHERE 1 = 1`, nil, siteID)
	if err := sel(ctx, s.db, &cs, q+" ORDER BY cp_id", args...); err != nil {
		return nil, fmt.Errorf("chargers: %w", err)
	}
	var ks []struct {
		ChargerID string `db:"charger_id"`
		ID        int    `db:"connector_id"`
		Status    string `db:"status"`
		StatusAt  int64  `db:"status_at"`
	}
	if err := sel(ctx, s.db, &ks, `SELECT charger_id, connector_id, status, status_at FROM connectors ORDER BY charger_id, connector_id`); err != nil {
		return nil, fmt.Errorf("connectors: %w", err)
	}
	out := make([]stats.ChargerInfo, len(cs))
	idx := map[string]int{}
	for i, c := range cs {
		out[i] = stats.ChargerInfo{ID: c.ID, CPID: c.CPID, Name: c.Name, SiteID: c.SiteID, Kind: c.Kind, State: c.State, Online: c.Online}
		idx[c.ID] = i
	}
	for _, k := range ks {
		if i, ok := idx[k.ChargerID]; ok {
			out[i].Connectors = append(out[i].Connectors, stats.ConnectorInfo{ID: k.ID, Status: k.Status, StatusAt: fromMS(k.StatusAt)})
		}
	}
	return out, nil
}

// ActiveSessions counts open sessions.
func (s *Stats) ActiveSessions(ctx context.Context, siteID string) (int64, error) {
	q, args := siteFilter(`SELECT COUNT(*) FROM sessions WHERE status = 'active'`, nil, siteID)
	var n int64
	if err := get(ctx, s.db, &n, q, args...); err != nil {
		return 0, fmt.Errorf("active sessions: %w", err)
	}
	return n, nil
}

// HasTable reports whether a table exists in the current database/schema.
func (s *Stats) HasTable(ctx context.Context, name string) (bool, error) {
	return hasTable(ctx, s.db, name)
}

func hasTable(ctx context.Context, db *DB, name string) (bool, error) {
	q := map[Engine]string{
		SQLite:   `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
		MySQL:    `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`,
		Postgres: `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
	}[db.Engine]
	var n int
	if err := get(ctx, db, &n, q, name); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

// ReservationOutcomes counts direct reservations made in [from, to) by status.
func (s *Stats) ReservationOutcomes(ctx context.Context, from, to time.Time, siteID string) ([]stats.StatusCount, error) {
	q, args := siteFilter(`SELECT status, COUNT(*) AS n FROM reservations WHERE kind = 'direct' AND reserved_at >= ? AND reserved_at < ?`, []any{ms(from), ms(to)}, siteID)
	var rows []stats.StatusCount
	if err := sel(ctx, s.db, &rows, q+" GROUP BY status", args...); err != nil {
		return nil, fmt.Errorf("reservation outcomes: %w", err)
	}
	return rows, nil
}
