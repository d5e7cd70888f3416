package store

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/stats"
)

// StatsRaw answers the statistics from the bills and sessions themselves,
// without the summary tables: the reference the summaries are checked
// against. It is slow on long periods (seconds for a year of a busy campus);
// serve with Stats.
type StatsRaw struct{ *Stats }

var _ stats.Store = (*StatsRaw)(nil)

// NewStatsRaw returns the statistics store that reads bills and sessions directly.
func NewStatsRaw(db *DB) *StatsRaw { return &StatsRaw{Stats: NewStats(db)} }

// Daily sums bills per local day; fee-only bills add revenue, no session.
func (s *StatsRaw) Daily(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.DayRow, error) {
	q, args := siteFilter(`SELECT local_day, COALESCE(SUM(CASE WHEN kind = 'session' THEN 1 ELSE 0 END), 0) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(total_fen), 0) AS revenue_fen
		FROM bills WHERE local_day >= ? AND local_day <= ?`, []any{fromDay, toDay}, siteID)
	var rows []stats.DayRow
	if err := sel(ctx, s.db, &rows, q+" GROUP BY local_day ORDER BY local_day", args...); err != nil {
		return nil, fmt.Errorf("daily statistics: %w", err)
	}
	return rows, nil
}

// ChargerTotals sums bills per charger over local days. It asks charger by
// charger: each answer is a seek on the (charger_id, local_day, …) covering
// index, where one grouped query would sort a year of bills.
func (s *StatsRaw) ChargerTotals(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.ChargerTotal, error) {
	ids, err := s.chargerIDs(ctx, siteID)
	if err != nil {
		return nil, err
	}
	out := make([]stats.ChargerTotal, 0, len(ids))
	for _, id := range ids {
		t := stats.ChargerTotal{ChargerID: id}
		if err := get(ctx, s.db, &t, `SELECT ? AS charger_id, COALESCE(SUM(CASE WHEN kind = 'session' THEN 1 ELSE 0 END), 0) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(total_fen), 0) AS revenue_fen,
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
func (s *StatsRaw) Busy(ctx context.Context, from, to time.Time, lookback time.Duration, siteID string) ([]stats.ChargerBusy, error) {
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
func (s *StatsRaw) StartBuckets(ctx context.Context, from, to time.Time, width time.Duration, siteID string) ([]stats.Bucket, error) {
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
