package store

import (
	"context"
	"fmt"
	"strings"

	"campuscharge/internal/billing"

	"github.com/jmoiron/sqlx"
)

// The statistics summaries (migration 00008) hold what a year of bills
// would otherwise have to be read for:
//   - stats_charger_days: the bills' figures per charger, site and bill day;
//   - stats_charger_busy: per charger and UTC day of the session's start, the
//     sessions' transaction time (stop − start) and the longest of them;
//   - stats_site_starts: session starts per site and quarter hour (UTC).
//
// A bill adds to them in the transaction that inserts it (and that stops
// its session: every stopped session has exactly one bill); an adjustment
// moves the bill's total. A fee-only bill (a reservation's fees) adds only
// its total to stats_charger_days (billing_fees.go). RebuildSummary refills
// them from the bills.
const (
	// busyDayMS is the width of stats_charger_busy's start_day slices, in ms.
	busyDayMS = 24 * 60 * 60 * 1000
	// startSliceMS is the width of stats_site_starts' buckets, in ms.
	startSliceMS = 15 * 60 * 1000
)

// upsertAdd returns an INSERT of keys and values into table that, when the
// keys exist, adds the sum columns to the stored ones and keeps the larger
// of each max column.
func upsertAdd(engine Engine, table string, keys, sums, maxes []string) string {
	cols := append(append(append([]string{}, keys...), sums...), maxes...)
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var set []string
	switch engine {
	case MySQL:
		for _, c := range sums {
			set = append(set, c+" = "+c+" + VALUES("+c+")")
		}
		for _, c := range maxes {
			set = append(set, c+" = GREATEST("+c+", VALUES("+c+"))")
		}
		return q + " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
	default:
		for _, c := range sums {
			set = append(set, c+" = "+table+"."+c+" + excluded."+c)
		}
		for _, c := range maxes {
			set = append(set, c+" = CASE WHEN excluded."+c+" > "+table+"."+c+" THEN excluded."+c+" ELSE "+table+"."+c+" END")
		}
		return q + " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
	}
}

// addBillToSummary adds a new bill to the statistics summaries, inside the
// transaction that inserts it.
func addBillToSummary(ctx context.Context, q Q, engine Engine, b billing.Bill) error {
	start, stop := ms(b.StartedAt), ms(b.StoppedAt)
	if _, err := exec(ctx, q, upsertAdd(engine, "stats_charger_days", []string{"charger_id", "local_day", "site_id"},
		[]string{"sessions", "duration_s", "energy_wh", "energy_fee", "service_fee", "idle_fee", "idle_minutes", "total_fen"}, nil),
		b.ChargerID, b.LocalDay, b.SiteID, 1, b.DurationS, b.EnergyWh, b.EnergyFee, b.ServiceFee, b.IdleFee, b.IdleMinutes, b.TotalFen); err != nil {
		return fmt.Errorf("add bill %s to the day summary: %w", b.ID, err)
	}
	if _, err := exec(ctx, q, upsertAdd(engine, "stats_charger_busy", []string{"charger_id", "start_day"}, []string{"sessions", "busy_ms"}, []string{"max_ms"}),
		b.ChargerID, start-start%busyDayMS, 1, stop-start, stop-start); err != nil {
		return fmt.Errorf("add bill %s to the busy summary: %w", b.ID, err)
	}
	if _, err := exec(ctx, q, upsertAdd(engine, "stats_site_starts", []string{"bucket_ms", "site_id"}, []string{"sessions"}, nil),
		start-start%startSliceMS, b.SiteID, 1); err != nil {
		return fmt.Errorf("add bill %s to the start summary: %w", b.ID, err)
	}
	return nil
}

// moveBillTotal carries a change of a bill's total into the day summary,
// inside the transaction that stores the new total. It first locks the bill
// (a no-op update) so that the total it reads is the one being replaced.
func moveBillTotal(ctx context.Context, q Q, b billing.Bill) error {
	if _, err := exec(ctx, q, `UPDATE bills SET updated_at = updated_at WHERE id = ?`, b.ID); err != nil {
		return fmt.Errorf("lock bill %s: %w", b.ID, err)
	}
	var old struct {
		ChargerID string `db:"charger_id"`
		SiteID    string `db:"site_id"`
		LocalDay  int    `db:"local_day"`
		TotalFen  int64  `db:"total_fen"`
	}
	if err := get(ctx, q, &old, `SELECT charger_id, site_id, local_day, total_fen FROM bills WHERE id = ?`, b.ID); err != nil {
		return fmt.Errorf("bill %s: %w", b.ID, err)
	}
	if old.TotalFen == b.TotalFen {
		return nil
	}
	if _, err := exec(ctx, q, `UPDATE stats_charger_days SET total_fen = total_fen + ? WHERE charger_id = ? AND local_day = ? AND site_id = ?`,
		b.TotalFen-old.TotalFen, old.ChargerID, old.LocalDay, old.SiteID); err != nil {
		return fmt.Errorf("move the total of bill %s in the day summary: %w", b.ID, err)
	}
	return nil
}

// RebuildSummary refills the statistics summaries from the bills, as the
// migration that created them did. Only needed after bills were written
// behind the store's back (bulk loads, test data); it takes seconds on a
// year of bills.
func (s *Stats) RebuildSummary(ctx context.Context) error {
	busyDay := fmt.Sprintf("started_at - started_at %% %d", busyDayMS)
	slice := fmt.Sprintf("started_at - started_at %% %d", startSliceMS)
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		for _, q := range []string{
			`DELETE FROM stats_charger_days`,
			`DELETE FROM stats_charger_busy`,
			`DELETE FROM stats_site_starts`,
			`INSERT INTO stats_charger_days (charger_id, site_id, local_day, sessions, duration_s, energy_wh, energy_fee, service_fee, idle_fee, idle_minutes, total_fen)
			SELECT charger_id, site_id, local_day, SUM(CASE WHEN kind = 'session' THEN 1 ELSE 0 END), SUM(duration_s), SUM(energy_wh), SUM(energy_fee), SUM(service_fee), SUM(idle_fee), SUM(idle_minutes), SUM(total_fen)
			FROM bills GROUP BY charger_id, site_id, local_day`,
			`INSERT INTO stats_charger_busy (charger_id, start_day, sessions, busy_ms, max_ms)
			SELECT charger_id, ` + busyDay + `, COUNT(*), SUM(stopped_at - started_at), MAX(stopped_at - started_at)
			FROM bills WHERE kind = 'session' GROUP BY charger_id, ` + busyDay,
			`INSERT INTO stats_site_starts (bucket_ms, site_id, sessions)
			SELECT ` + slice + `, site_id, COUNT(*)
			FROM bills WHERE kind = 'session' GROUP BY ` + slice + `, site_id`,
		} {
			if _, err := exec(ctx, tx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild the statistics summaries: %w", err)
	}
	return nil
}
