package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"campuscharge/internal/charging"
	"campuscharge/internal/stats"
)

// Stats answers the statistics' read-only queries. Long periods read the
// summaries kept with the bills (stats_summary.go) and only the sessions at
// a period's edges; the answers equal StatsRaw's, which reads everything.
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

// chargerIDs lists the chargers of a site (all when siteID is empty).
func (s *Stats) chargerIDs(ctx context.Context, siteID string) ([]string, error) {
	q, args := siteFilter(`SELECT id FROM chargers WHERE 1 = 1`, nil, siteID)
	var ids []string
	if err := sel(ctx, s.db, &ids, q+" ORDER BY id", args...); err != nil {
		return nil, fmt.Errorf("charger ids: %w", err)
	}
	return ids, nil
}

// Daily sums the bills per local day, from the day summary.
func (s *Stats) Daily(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.DayRow, error) {
	q, args := siteFilter(`SELECT local_day, COALESCE(SUM(sessions), 0) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(total_fen), 0) AS revenue_fen
		FROM stats_charger_days WHERE local_day >= ? AND local_day <= ?`, []any{fromDay, toDay}, siteID)
	var rows []stats.DayRow
	if err := sel(ctx, s.db, &rows, q+" GROUP BY local_day ORDER BY local_day", args...); err != nil {
		return nil, fmt.Errorf("daily statistics: %w", err)
	}
	return rows, nil
}

// ChargerTotals sums the bills of each charger of the site (its chargers
// now, whatever site their bills name) over local days, from the day summary.
func (s *Stats) ChargerTotals(ctx context.Context, fromDay, toDay int, siteID string) ([]stats.ChargerTotal, error) {
	ids, err := s.chargerIDs(ctx, siteID)
	if err != nil {
		return nil, err
	}
	var rows []stats.ChargerTotal
	if err := sel(ctx, s.db, &rows, `SELECT charger_id, COALESCE(SUM(sessions), 0) AS sessions, COALESCE(SUM(energy_wh), 0) AS energy_wh,
		COALESCE(SUM(total_fen), 0) AS revenue_fen, COALESCE(SUM(idle_minutes), 0) AS idle_minutes
		FROM stats_charger_days WHERE local_day >= ? AND local_day <= ? GROUP BY charger_id`, fromDay, toDay); err != nil {
		return nil, fmt.Errorf("charger totals: %w", err)
	}
	byID := make(map[string]stats.ChargerTotal, len(rows))
	for _, r := range rows {
		byID[r.ChargerID] = r
	}
	out := make([]stats.ChargerTotal, 0, len(ids))
	for _, id := range ids {
		if t := byID[id]; t.Sessions > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// sessionSpan is a session's start and stop (0 while open), epoch ms.
type sessionSpan struct {
	ChargerID string `db:"charger_id"`
	StartedAt int64  `db:"started_at"`
	StoppedAt int64  `db:"stopped_at"`
}

// overlapMS is how much of [f, t) a session spends open, by Busy's rule:
// open sessions (stop 0) run until t. It is 0 for sessions outside it.
func overlapMS(x sessionSpan, f, t int64) int64 {
	if x.StartedAt >= t || (x.StoppedAt != 0 && x.StoppedAt <= f) {
		return 0
	}
	end := x.StoppedAt
	if end == 0 || end > t {
		end = t
	}
	return end - max(x.StartedAt, f)
}

// spans returns the sessions that started in [from, to); active limits it
// to open ones, stoppedAfter > 0 to ones stopped after it.
func (s *Stats) spans(ctx context.Context, from, to int64, active bool, stoppedAfter int64) ([]sessionSpan, error) {
	if from >= to {
		return nil, nil
	}
	q, args := `SELECT charger_id, started_at, stopped_at FROM sessions WHERE started_at >= ? AND started_at < ?`, []any{from, to}
	if active {
		q, args = q+" AND status = ?", append(args, charging.SessionActive)
	}
	if stoppedAfter > 0 {
		q, args = q+" AND stopped_at > ?", append(args, stoppedAfter)
	}
	var rows []sessionSpan
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("sessions started in [%d, %d): %w", from, to, err)
	}
	return rows, nil
}

// Busy sums per charger the overlap of sessions with [f, t). Sessions that
// started on the whole UTC days [a, b) inside the period come from the busy
// summary (stop − start of each, billed on stop), less what those running
// past t spend after it, plus the open ones; sessions that started in
// [f − lookback, a) or [b, t) are read one by one.
func (s *Stats) Busy(ctx context.Context, from, to time.Time, lookback time.Duration, siteID string) ([]stats.ChargerBusy, error) {
	ids, err := s.chargerIDs(ctx, siteID)
	if err != nil {
		return nil, err
	}
	f, t := ms(from), ms(to)
	a, b := ceilTo(f, busyDayMS), t-t%busyDayMS
	if b <= a {
		a, b = t, t
	}
	busy := map[string]int64{}
	if a < b {
		var rows []struct {
			ChargerID string `db:"charger_id"`
			BusyMS    int64  `db:"busy_ms"`
			MaxMS     int64  `db:"max_ms"`
		}
		if err := sel(ctx, s.db, &rows, `SELECT charger_id, COALESCE(SUM(busy_ms), 0) AS busy_ms, COALESCE(MAX(max_ms), 0) AS max_ms
			FROM stats_charger_busy WHERE start_day >= ? AND start_day < ? GROUP BY charger_id`, a, b); err != nil {
			return nil, fmt.Errorf("busy summary: %w", err)
		}
		var longest int64
		for _, r := range rows {
			busy[r.ChargerID] += r.BusyMS
			longest = max(longest, r.MaxMS)
		}
		// No session in the summary lasted longer than the longest, so those
		// running past t started after t − longest.
		late, err := s.spans(ctx, max(a, t-longest), b, false, t)
		if err != nil {
			return nil, err
		}
		for _, x := range late {
			busy[x.ChargerID] -= x.StoppedAt - t
		}
		open, err := s.spans(ctx, a, b, true, 0)
		if err != nil {
			return nil, err
		}
		for _, x := range open {
			busy[x.ChargerID] += overlapMS(x, f, t)
		}
	}
	for _, r := range [][2]int64{{f - lookback.Milliseconds(), a}, {b, t}} {
		edge, err := s.spans(ctx, r[0], r[1], false, 0)
		if err != nil {
			return nil, err
		}
		for _, x := range edge {
			busy[x.ChargerID] += overlapMS(x, f, t)
		}
	}
	out := make([]stats.ChargerBusy, 0, len(ids))
	for _, id := range ids {
		if busy[id] > 0 {
			out = append(out, stats.ChargerBusy{ChargerID: id, BusyMS: busy[id]})
		}
	}
	return out, nil
}

// ceilTo rounds v up to a multiple of m.
func ceilTo(v, m int64) int64 {
	if r := v % m; r != 0 {
		return v - r + m
	}
	return v
}

// StartBuckets counts session starts per slice of time. Whole quarter hours
// come from the start summary (billed sessions) and the open sessions; the
// parts of a quarter hour at either end are read one by one. Slices that are
// not whole quarter hours are counted from the sessions.
func (s *Stats) StartBuckets(ctx context.Context, from, to time.Time, width time.Duration, siteID string) ([]stats.Bucket, error) {
	w := width.Milliseconds()
	if w <= 0 || w%startSliceMS != 0 {
		return (&StatsRaw{Stats: s}).StartBuckets(ctx, from, to, width, siteID)
	}
	f, t := ms(from), ms(to)
	a, b := ceilTo(f, startSliceMS), t-t%startSliceMS
	if b <= a {
		a, b = t, t
	}
	counts := map[int64]int64{}
	if a < b {
		q, args := siteFilter(`SELECT bucket_ms AS bucket, COALESCE(SUM(sessions), 0) AS n FROM stats_site_starts WHERE bucket_ms >= ? AND bucket_ms < ?`, []any{a, b}, siteID)
		var rows []stats.Bucket
		if err := sel(ctx, s.db, &rows, q+" GROUP BY bucket_ms", args...); err != nil {
			return nil, fmt.Errorf("start summary: %w", err)
		}
		for _, r := range rows {
			counts[r.StartMS-r.StartMS%w] += r.Count
		}
	}
	var starts []int64
	for _, r := range []struct {
		from, to int64
		active   bool
	}{{f, a, false}, {a, b, true}, {b, t, false}} {
		if r.from >= r.to {
			continue
		}
		q, args := siteFilter(`SELECT started_at FROM sessions WHERE started_at >= ? AND started_at < ?`, []any{r.from, r.to}, siteID)
		if r.active {
			q, args = q+" AND status = ?", append(args, charging.SessionActive)
		}
		var part []int64
		if err := sel(ctx, s.db, &part, q, args...); err != nil {
			return nil, fmt.Errorf("session starts: %w", err)
		}
		starts = append(starts, part...)
	}
	for _, v := range starts {
		counts[v-v%w]++
	}
	out := make([]stats.Bucket, 0, len(counts))
	for k, n := range counts {
		out = append(out, stats.Bucket{StartMS: k, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StartMS < out[j].StartMS })
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

// ReservationOutcomes counts direct reservations made in [from, to) by status.
func (s *Stats) ReservationOutcomes(ctx context.Context, from, to time.Time, siteID string) ([]stats.StatusCount, error) {
	q, args := siteFilter(`SELECT status, COUNT(*) AS n FROM reservations WHERE kind = 'direct' AND reserved_at >= ? AND reserved_at < ?`, []any{ms(from), ms(to)}, siteID)
	var rows []stats.StatusCount
	if err := sel(ctx, s.db, &rows, q+" GROUP BY status", args...); err != nil {
		return nil, fmt.Errorf("reservation outcomes: %w", err)
	}
	return rows, nil
}

// QueueWaits sums, over the queue tickets first called in [from, to), the
// time from joining the queue (queued_at) to the first call (the reserved_at
// of the ticket's first queue hold). Holds stored before queued_at existed
// (0) are left out.
func (s *Stats) QueueWaits(ctx context.Context, from, to time.Time, siteID string) (stats.QueueWait, error) {
	inner, args := siteFilter(`SELECT ticket_id, MIN(reserved_at) - MIN(queued_at) AS wait_ms FROM reservations
		WHERE kind = 'queue' AND queued_at > 0 AND reserved_at < ?`, []any{ms(to)}, siteID)
	inner += ` GROUP BY ticket_id HAVING MIN(reserved_at) >= ?`
	args = append(args, ms(from))
	var w stats.QueueWait
	if err := get(ctx, s.db, &w, `SELECT COUNT(*) AS tickets, COALESCE(SUM(wait_ms), 0) AS wait_ms FROM (`+inner+`) firsts`, args...); err != nil {
		return stats.QueueWait{}, fmt.Errorf("queue waits: %w", err)
	}
	return w, nil
}
