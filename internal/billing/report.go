package billing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"campuscharge/internal/apperr"
)

// Report groups bills by charger or site and by day, ISO week or month.
func (s *Service) Report(ctx context.Context, q ReportQuery) ([]ReportRow, error) {
	if q.By != "charger" && q.By != "site" {
		return nil, apperr.Field("query.by", "invalid_input")
	}
	if q.Period != "day" && q.Period != "week" && q.Period != "month" {
		return nil, apperr.Field("query.period", "invalid_input")
	}
	if q.FromDay > 0 && q.ToDay > 0 && q.FromDay > q.ToDay {
		return nil, apperr.Field("query.from", "invalid_input")
	}
	return s.store.Report(ctx, q)
}

// Day turns a date into its LocalDay number (20261125).
func Day(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// WriteCSV writes bills as CSV with a header row; money in yuan, energy in kWh.
func WriteCSV(w io.Writer, bills []Bill, loc *time.Location) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"number", "session_id", "user_id", "charger_id", "site_id", "connector", "started_at", "stopped_at", "duration_min",
		"energy_kwh", "energy_fee_yuan", "service_fee_yuan", "idle_fee_yuan", "reservation_fee_yuan", "adjustment_yuan", "total_yuan", "paid_yuan", "refunded_yuan", "status", "kind"})
	for _, b := range bills {
		if err := cw.Write([]string{b.Number, b.SessionID, b.UserID, b.ChargerID, b.SiteID, strconv.Itoa(b.Connector),
			b.StartedAt.In(loc).Format(time.DateTime), b.StoppedAt.In(loc).Format(time.DateTime), strconv.FormatInt(b.DurationS/60, 10),
			kwh(b.EnergyWh), yuan(b.EnergyFee), yuan(b.ServiceFee), yuan(b.IdleFee), yuan(b.ReservationFee), yuan(b.AdjustmentFen), yuan(b.TotalFen), yuan(b.PaidFen), yuan(b.RefundedFen), b.Status, b.Kind}); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// kwh formats Wh as kWh with three decimals.
func kwh(wh int64) string { return fmt.Sprintf("%d.%03d", wh/1000, wh%1000) }
