package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/tariff"
	"github.com/jmoiron/sqlx"
)

// Billing stores tariffs, bills, payments and refunds.
type Billing struct{ db *DB }

var _ billing.Store = (*Billing)(nil)

// NewBilling returns the billing store.
func NewBilling(db *DB) *Billing { return &Billing{db: db} }

// CreateTariff inserts a tariff (without versions).
func (s *Billing) CreateTariff(ctx context.Context, t billing.Tariff) error {
	_, err := exec(ctx, s.db, `INSERT INTO tariffs (id, name, site_id, is_default, created_at) VALUES (?,?,?,?,?)`, t.ID, t.Name, t.SiteID, t.Default, ms(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert tariff: %w", err)
	}
	return nil
}

// AddTariffVersion inserts a tariff version.
func (s *Billing) AddTariffVersion(ctx context.Context, v billing.TariffVersion) error {
	spec, err := json.Marshal(v.Spec)
	if err != nil {
		return fmt.Errorf("encode tariff: %w", err)
	}
	_, err = exec(ctx, s.db, `INSERT INTO tariff_versions (id, tariff_id, effective_from, spec, created_by, created_at) VALUES (?,?,?,?,?,?)`,
		v.ID, v.TariffID, ms(v.Spec.EffectiveFrom), string(spec), v.CreatedBy, ms(v.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert tariff version: %w", err)
	}
	return nil
}

// Tariffs returns every tariff with its versions, in creation order.
func (s *Billing) Tariffs(ctx context.Context) ([]billing.Tariff, error) {
	var ts []struct {
		ID        string `db:"id"`
		Name      string `db:"name"`
		SiteID    string `db:"site_id"`
		Default   bool   `db:"is_default"`
		CreatedAt int64  `db:"created_at"`
	}
	if err := sel(ctx, s.db, &ts, `SELECT id, name, site_id, is_default, created_at FROM tariffs ORDER BY id`); err != nil {
		return nil, fmt.Errorf("tariffs: %w", err)
	}
	var vs []struct {
		ID        string `db:"id"`
		TariffID  string `db:"tariff_id"`
		Spec      string `db:"spec"`
		CreatedBy string `db:"created_by"`
		CreatedAt int64  `db:"created_at"`
	}
	if err := sel(ctx, s.db, &vs, `SELECT id, tariff_id, spec, created_by, created_at FROM tariff_versions ORDER BY id`); err != nil {
		return nil, fmt.Errorf("tariff versions: %w", err)
	}
	out := make([]billing.Tariff, len(ts))
	idx := map[string]int{}
	for i, t := range ts {
		out[i] = billing.Tariff{ID: t.ID, Name: t.Name, SiteID: t.SiteID, Default: t.Default, CreatedAt: fromMS(t.CreatedAt)}
		idx[t.ID] = i
	}
	for _, v := range vs {
		var spec tariff.Version
		if err := json.Unmarshal([]byte(v.Spec), &spec); err != nil {
			return nil, fmt.Errorf("decode tariff version %s: %w", v.ID, err)
		}
		if i, ok := idx[v.TariffID]; ok {
			out[i].Versions = append(out[i].Versions, billing.TariffVersion{ID: v.ID, TariffID: v.TariffID, Spec: spec, CreatedBy: v.CreatedBy, CreatedAt: fromMS(v.CreatedAt)})
		}
	}
	return out, nil
}

// NextBillNumber allocates the next bill sequence number.
func (s *Billing) NextBillNumber(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `UPDATE counters SET value = value + 1 WHERE name = 'bill'`); err != nil {
			return err
		}
		return get(ctx, tx, &n, `SELECT value FROM counters WHERE name = 'bill'`)
	})
	if err != nil {
		return 0, fmt.Errorf("next bill number: %w", err)
	}
	return n, nil
}

type billRow struct {
	ID            string `db:"id"`
	Number        string `db:"number"`
	SessionID     string `db:"session_id"`
	UserID        string `db:"user_id"`
	ChargerID     string `db:"charger_id"`
	SiteID        string `db:"site_id"`
	Connector     int    `db:"connector_id"`
	StartedAt     int64  `db:"started_at"`
	StoppedAt     int64  `db:"stopped_at"`
	DurationS     int64  `db:"duration_s"`
	EnergyWh      int64  `db:"energy_wh"`
	EnergyFee     int64  `db:"energy_fee"`
	ServiceFee    int64  `db:"service_fee"`
	IdleMinutes   int64  `db:"idle_minutes"`
	IdleFee       int64  `db:"idle_fee"`
	Kind          string `db:"kind"`
	ReservationID string `db:"reservation_id"`
	ResFee        int64  `db:"reservation_fee"`
	AdjustmentFen int64  `db:"adjustment_fen"`
	TotalFen      int64  `db:"total_fen"`
	PaidFen       int64  `db:"paid_fen"`
	RefundedFen   int64  `db:"refunded_fen"`
	Status        string `db:"status"`
	TariffID      string `db:"tariff_id"`
	TariffVersion string `db:"tariff_version_id"`
	Lines         string `db:"line_items"`
	LocalDay      int    `db:"local_day"`
	LocalWeek     int    `db:"local_week"`
	LocalMonth    int    `db:"local_month"`
	PaidAt        int64  `db:"paid_at"`
	CreatedAt     int64  `db:"created_at"`
	UpdatedAt     int64  `db:"updated_at"`
}

const billCols = `id, number, session_id, user_id, charger_id, site_id, connector_id, started_at, stopped_at, duration_s, energy_wh, energy_fee, service_fee,
	idle_minutes, idle_fee, adjustment_fen, total_fen, paid_fen, refunded_fen, status, tariff_id, tariff_version_id, line_items, local_day, local_week, local_month,
	paid_at, created_at, updated_at, kind, reservation_id, reservation_fee`

func (r billRow) bill() (billing.Bill, error) {
	b := billing.Bill{ID: r.ID, Number: r.Number, SessionID: r.SessionID, UserID: r.UserID, ChargerID: r.ChargerID, SiteID: r.SiteID, Connector: r.Connector,
		StartedAt: fromMS(r.StartedAt), StoppedAt: fromMS(r.StoppedAt), DurationS: r.DurationS, EnergyWh: r.EnergyWh, EnergyFee: r.EnergyFee,
		ServiceFee: r.ServiceFee, IdleMinutes: r.IdleMinutes, IdleFee: r.IdleFee, AdjustmentFen: r.AdjustmentFen, TotalFen: r.TotalFen, PaidFen: r.PaidFen,
		RefundedFen: r.RefundedFen, Status: r.Status, TariffID: r.TariffID, TariffVersion: r.TariffVersion, LocalDay: r.LocalDay, LocalWeek: r.LocalWeek,
		LocalMonth: r.LocalMonth, PaidAt: fromMS(r.PaidAt), CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt),
		Kind: r.Kind, ReservationID: r.ReservationID, ReservationFee: r.ResFee}
	var lines any = &b.Lines
	if b.Kind != billing.KindSession {
		// A fee bill's session_id is its reservation's id (its unique key).
		b.SessionID, lines = "", &b.Fees
	}
	if err := json.Unmarshal([]byte(r.Lines), lines); err != nil {
		return b, fmt.Errorf("decode bill lines of %s: %w", r.ID, err)
	}
	return b, nil
}

// insertBill inserts a bill; q is a transaction. A fee bill stores its fee
// lines as its line items and its reservation id as its session id, which
// is unique.
func insertBill(ctx context.Context, q Q, b billing.Bill) error {
	if b.Kind == "" {
		b.Kind = billing.KindSession
	}
	var items any = b.Lines
	if b.Kind != billing.KindSession {
		items, b.SessionID = b.Fees, b.ReservationID
	}
	lines, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("encode bill lines: %w", err)
	}
	_, err = exec(ctx, q, `INSERT INTO bills (`+billCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		b.ID, b.Number, b.SessionID, b.UserID, b.ChargerID, b.SiteID, b.Connector, ms(b.StartedAt), ms(b.StoppedAt), b.DurationS, b.EnergyWh,
		b.EnergyFee, b.ServiceFee, b.IdleMinutes, b.IdleFee, b.AdjustmentFen, b.TotalFen, b.PaidFen, b.RefundedFen, b.Status, b.TariffID,
		b.TariffVersion, string(lines), b.LocalDay, b.LocalWeek, b.LocalMonth, ms(b.PaidAt), ms(b.CreatedAt), ms(b.UpdatedAt),
		b.Kind, b.ReservationID, b.ReservationFee)
	if err != nil {
		return fmt.Errorf("insert bill %s: %w", b.ID, err)
	}
	return nil
}

// StopSessionWithBill closes the session and inserts its bill in one
// transaction; no bill is made when the session was already closed.
func (s *Billing) StopSessionWithBill(ctx context.Context, x charging.Session, samples []charging.Sample, b billing.Bill) (bool, error) {
	b.Kind = billing.KindSession
	stopped := false
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if stopped, err = stopSession(ctx, tx, s.db.Engine, x, samples); err != nil || !stopped {
			return err
		}
		if err := insertBill(ctx, tx, b); err != nil {
			return err
		}
		return addBillToSummary(ctx, tx, s.db.Engine, b)
	})
	if err != nil {
		return false, fmt.Errorf("stop session %s with bill: %w", x.ID, err)
	}
	return stopped, nil
}

func (s *Billing) billWhere(ctx context.Context, where string, args ...any) (billing.Bill, error) {
	var r billRow
	if err := get(ctx, s.db, &r, `SELECT `+billCols+` FROM bills WHERE `+where, args...); err != nil {
		return billing.Bill{}, fmt.Errorf("bill: %w", err)
	}
	return r.bill()
}

// Bill returns a bill.
func (s *Billing) Bill(ctx context.Context, id string) (billing.Bill, error) {
	return s.billWhere(ctx, "id = ?", id)
}

// BillBySession returns the bill of a session.
func (s *Billing) BillBySession(ctx context.Context, sessionID string) (billing.Bill, error) {
	return s.billWhere(ctx, "session_id = ? AND kind = ?", sessionID, billing.KindSession)
}

// OldestUnpaid returns the user's oldest bill with money owed.
func (s *Billing) OldestUnpaid(ctx context.Context, userID string) (billing.Bill, error) {
	return s.billWhere(ctx, "user_id = ? AND status IN ('unpaid', 'paying') AND total_fen > paid_fen ORDER BY created_at LIMIT 1", userID)
}

// Bills lists bills newest first.
func (s *Billing) Bills(ctx context.Context, f billing.BillFilter) ([]billing.Bill, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"charger_id", f.ChargerID}, {"site_id", f.SiteID}, {"status", f.Status}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if len(f.SessionIDs) > 0 {
		where = append(where, "kind = ? AND session_id IN (?"+strings.Repeat(",?", len(f.SessionIDs)-1)+")")
		args = append(args, billing.KindSession)
		for _, id := range f.SessionIDs {
			args = append(args, id)
		}
	}
	if f.FromDay > 0 {
		where, args = append(where, "local_day >= ?"), append(args, f.FromDay)
	}
	if f.ToDay > 0 {
		where, args = append(where, "local_day <= ?"), append(args, f.ToDay)
	}
	if f.Cursor != "" {
		where, args = append(where, "id < ?"), append(args, f.Cursor)
	}
	q := `SELECT ` + billCols + ` FROM bills`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	var rows []billRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("bills: %w", err)
	}
	out := make([]billing.Bill, len(rows))
	for i, r := range rows {
		b, err := r.bill()
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// ChangeBill applies a change to a bill as it is in the database, under a
// row lock, in one transaction: the bill's money cannot be changed by two
// writers at once and no write is lost. With c.Payment, the payment's new
// state is stored first, and nothing happens (false) when it already had that
// state — a duplicate notification. c.Refund, when set, is inserted too.
func (s *Billing) ChangeBill(ctx context.Context, id string, c billing.BillChange) (billing.Bill, bool, error) {
	var b billing.Bill
	applied := false
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if p := c.Payment; p != nil {
			cond, was := "state <> ?", p.State
			if c.PaymentWas != "" {
				cond, was = "state = ?", c.PaymentWas
			}
			res, err := exec(ctx, tx, `UPDATE payments SET state = ?, provider_tx_id = ?, paid_at = ?, updated_at = ? WHERE id = ? AND `+cond,
				p.State, p.ProviderTxID, ms(p.PaidAt), ms(p.UpdatedAt), p.ID, was)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
		}
		if r := c.RefundUpdate; r != nil {
			res, err := exec(ctx, tx, `UPDATE refunds SET state = ?, provider_refund_id = ?, flag = ?, updated_at = ? WHERE id = ? AND bill_id = ? AND state = ?`,
				r.State, r.ProviderRefundID, r.Flag, ms(r.UpdatedAt), r.ID, id, c.RefundWas)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
		}
		// A no-op write takes the row lock on every engine before the read.
		if _, err := exec(ctx, tx, `UPDATE bills SET updated_at = updated_at WHERE id = ?`, id); err != nil {
			return err
		}
		var r billRow
		if err := get(ctx, tx, &r, `SELECT `+billCols+` FROM bills WHERE id = ?`, id); err != nil {
			return err
		}
		var err error
		if b, err = r.bill(); err != nil {
			return err
		}
		if err := c.Apply(&b, c.Payment); err != nil {
			return err
		}
		if p := c.Payment; p != nil && p.Flag != "" {
			if _, err := exec(ctx, tx, `UPDATE payments SET flag = ? WHERE id = ?`, p.Flag, p.ID); err != nil {
				return err
			}
		}
		if r := c.Refund; r != nil && r.ID != "" {
			if err := insertRefund(ctx, tx, *r); err != nil {
				return err
			}
		}
		applied = true
		return updateBill(ctx, tx, b)
	})
	if err != nil {
		return billing.Bill{}, false, fmt.Errorf("change bill %s: %w", id, err)
	}
	return b, applied, nil
}

// updateBill stores a bill's money fields and status, and a change of its
// total in the statistics summary; q is a transaction.
func updateBill(ctx context.Context, q Q, b billing.Bill) error {
	if err := moveBillTotal(ctx, q, b); err != nil {
		return fmt.Errorf("update bill %s: %w", b.ID, err)
	}
	err := execOne(ctx, q, `UPDATE bills SET adjustment_fen = ?, total_fen = ?, paid_fen = ?, refunded_fen = ?, status = ?, paid_at = ?, updated_at = ? WHERE id = ?`,
		b.AdjustmentFen, b.TotalFen, b.PaidFen, b.RefundedFen, b.Status, ms(b.PaidAt), ms(b.UpdatedAt), b.ID)
	if err != nil {
		return fmt.Errorf("update bill %s: %w", b.ID, err)
	}
	return nil
}

type paymentRow struct {
	ID           string `db:"id"`
	BillID       string `db:"bill_id"`
	Provider     string `db:"provider"`
	Method       string `db:"method"`
	AmountFen    int64  `db:"amount_fen"`
	State        string `db:"state"`
	ProviderTxID string `db:"provider_tx_id"`
	Flag         string `db:"flag"`
	PaidAt       int64  `db:"paid_at"`
	CreatedAt    int64  `db:"created_at"`
	UpdatedAt    int64  `db:"updated_at"`
}

const paymentCols = `id, bill_id, provider, method, amount_fen, state, provider_tx_id, flag, paid_at, created_at, updated_at`

func (r paymentRow) payment() billing.Payment {
	return billing.Payment{ID: r.ID, BillID: r.BillID, Provider: r.Provider, Method: r.Method, AmountFen: r.AmountFen, State: r.State, ProviderTxID: r.ProviderTxID,
		Flag: r.Flag, PaidAt: fromMS(r.PaidAt), CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

// CreatePayment inserts a payment.
func (s *Billing) CreatePayment(ctx context.Context, p billing.Payment) error {
	_, err := exec(ctx, s.db, `INSERT INTO payments (`+paymentCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		p.ID, p.BillID, p.Provider, p.Method, p.AmountFen, p.State, p.ProviderTxID, p.Flag, ms(p.PaidAt), ms(p.CreatedAt), ms(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert payment: %w", err)
	}
	return nil
}

// Payment returns a payment.
func (s *Billing) Payment(ctx context.Context, id string) (billing.Payment, error) {
	var r paymentRow
	if err := get(ctx, s.db, &r, `SELECT `+paymentCols+` FROM payments WHERE id = ?`, id); err != nil {
		return billing.Payment{}, fmt.Errorf("payment %s: %w", id, err)
	}
	return r.payment(), nil
}

// Payments lists a bill's payments, oldest first.
func (s *Billing) Payments(ctx context.Context, billID string) ([]billing.Payment, error) {
	var rows []paymentRow
	if err := sel(ctx, s.db, &rows, `SELECT `+paymentCols+` FROM payments WHERE bill_id = ? ORDER BY id`, billID); err != nil {
		return nil, fmt.Errorf("payments of %s: %w", billID, err)
	}
	out := make([]billing.Payment, len(rows))
	for i, r := range rows {
		out[i] = r.payment()
	}
	return out, nil
}

// UpdatePayment stores a payment's state.
func (s *Billing) UpdatePayment(ctx context.Context, p billing.Payment) error {
	err := execOne(ctx, s.db, `UPDATE payments SET state = ?, provider_tx_id = ?, flag = ?, paid_at = ?, updated_at = ? WHERE id = ?`,
		p.State, p.ProviderTxID, p.Flag, ms(p.PaidAt), ms(p.UpdatedAt), p.ID)
	if err != nil {
		return fmt.Errorf("update payment %s: %w", p.ID, err)
	}
	return nil
}

// Refunds lists a bill's refunds, oldest first.
func (s *Billing) Refunds(ctx context.Context, billID string) ([]billing.Refund, error) {
	var rows []refundRow
	if err := sel(ctx, s.db, &rows, `SELECT `+refundCols+` FROM refunds WHERE bill_id = ? ORDER BY id`, billID); err != nil {
		return nil, fmt.Errorf("refunds of %s: %w", billID, err)
	}
	out := make([]billing.Refund, len(rows))
	for i, r := range rows {
		out[i] = r.refund()
	}
	return out, nil
}

// Report sums bills by charger or site and by day, ISO week or month.
func (s *Billing) Report(ctx context.Context, q billing.ReportQuery) ([]billing.ReportRow, error) {
	key := map[string]string{"charger": "charger_id", "site": "site_id"}[q.By]
	bucket := map[string]string{"day": "local_day", "week": "local_week", "month": "local_month"}[q.Period]
	if key == "" || bucket == "" {
		return nil, fmt.Errorf("report by %q per %q: unknown grouping", q.By, q.Period)
	}
	var where []string
	var args []any
	if q.SiteID != "" {
		where, args = append(where, "site_id = ?"), append(args, q.SiteID)
	}
	if q.FromDay > 0 {
		where, args = append(where, "local_day >= ?"), append(args, q.FromDay)
	}
	if q.ToDay > 0 {
		where, args = append(where, "local_day <= ?"), append(args, q.ToDay)
	}
	// Fee-only bills add their fees and total but count as no session.
	sqlq := `SELECT ` + key + ` AS k, ` + bucket + ` AS bucket, COALESCE(SUM(CASE WHEN kind = 'session' THEN 1 ELSE 0 END), 0) AS sessions,
		COALESCE(SUM(duration_s), 0) AS duration_s, COALESCE(SUM(energy_wh), 0) AS energy_wh, COALESCE(SUM(energy_fee), 0) AS energy_fee,
		COALESCE(SUM(service_fee), 0) AS service_fee, COALESCE(SUM(idle_fee), 0) AS idle_fee, COALESCE(SUM(reservation_fee), 0) AS reservation_fee,
		COALESCE(SUM(total_fen), 0) AS total_fen FROM bills`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += " GROUP BY " + key + ", " + bucket + " ORDER BY bucket, k"
	var rows []struct {
		Key        string `db:"k"`
		Bucket     int    `db:"bucket"`
		Sessions   int64  `db:"sessions"`
		DurationS  int64  `db:"duration_s"`
		EnergyWh   int64  `db:"energy_wh"`
		EnergyFee  int64  `db:"energy_fee"`
		ServiceFee int64  `db:"service_fee"`
		IdleFee    int64  `db:"idle_fee"`
		ResFee     int64  `db:"reservation_fee"`
		TotalFen   int64  `db:"total_fen"`
	}
	if err := sel(ctx, s.db, &rows, sqlq, args...); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	out := make([]billing.ReportRow, len(rows))
	for i, r := range rows {
		out[i] = billing.ReportRow{Key: r.Key, Bucket: r.Bucket, Sessions: r.Sessions, DurationS: r.DurationS, EnergyWh: r.EnergyWh, EnergyFee: r.EnergyFee,
			ServiceFee: r.ServiceFee, IdleFee: r.IdleFee, ReservationFee: r.ResFee, TotalFen: r.TotalFen}
	}
	return out, nil
}
