package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"

	"github.com/jmoiron/sqlx"
)

// CreateFeeBill inserts a fee-only bill and adds it to the day summary in
// one transaction. A reservation has at most one: when it already has one
// (its id is the unique session_id of fee bills), that bill is returned
// with false.
func (s *Billing) CreateFeeBill(ctx context.Context, b billing.Bill) (billing.Bill, bool, error) {
	if b.ReservationID == "" || b.Kind == "" || b.Kind == billing.KindSession {
		return billing.Bill{}, false, fmt.Errorf("fee bill %s: %w", b.ID, apperr.New(apperr.Invalid, "invalid_input"))
	}
	existing := func() (billing.Bill, bool, error) {
		old, err := s.billWhere(ctx, "session_id = ? AND kind = ?", b.ReservationID, b.Kind)
		if err != nil {
			return billing.Bill{}, false, fmt.Errorf("fee bill of reservation %s: %w", b.ReservationID, err)
		}
		return old, false, nil
	}
	var n int
	if err := get(ctx, s.db, &n, `SELECT COUNT(*) FROM bills WHERE session_id = ?`, b.ReservationID); err != nil {
		return billing.Bill{}, false, fmt.Errorf("fee bill of reservation %s: %w", b.ReservationID, err)
	}
	if n > 0 {
		return existing()
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if err := insertBill(ctx, tx, b); err != nil {
			return err
		}
		return addFeeBillToSummary(ctx, tx, s.db.Engine, b)
	})
	if apperr.Is(err, apperr.Conflict) { // a concurrent retry got in first
		return existing()
	}
	if err != nil {
		return billing.Bill{}, false, fmt.Errorf("create fee bill of reservation %s: %w", b.ReservationID, err)
	}
	return b, true, nil
}

// addFeeBillToSummary adds a fee-only bill to the day summary: its total and
// nothing else (no session, no time, no energy). The busy and start
// summaries count sessions, so it is not in them.
func addFeeBillToSummary(ctx context.Context, q Q, engine Engine, b billing.Bill) error {
	if _, err := exec(ctx, q, upsertAdd(engine, "stats_charger_days", []string{"charger_id", "local_day", "site_id"}, []string{"total_fen"}, nil),
		b.ChargerID, b.LocalDay, b.SiteID, b.TotalFen); err != nil {
		return fmt.Errorf("add fee bill %s to the day summary: %w", b.ID, err)
	}
	return nil
}

// PayingPayments lists up to limit payments still paying that were created
// before before, oldest first.
func (s *Billing) PayingPayments(ctx context.Context, providers []string, before time.Time, limit int) ([]billing.Payment, error) {
	if len(providers) == 0 {
		return nil, nil
	}
	args := []any{"paying", ms(before)}
	for _, p := range providers {
		args = append(args, p)
	}
	var rows []paymentRow
	if err := sel(ctx, s.db, &rows, `SELECT `+paymentCols+` FROM payments WHERE state = ? AND created_at < ? AND provider IN (?`+strings.Repeat(",?", len(providers)-1)+`) ORDER BY created_at, id LIMIT ?`,
		append(args, limit)...); err != nil {
		return nil, fmt.Errorf("paying payments: %w", err)
	}
	out := make([]billing.Payment, len(rows))
	for i, r := range rows {
		out[i] = r.payment()
	}
	return out, nil
}

type refundRow struct {
	ID               string `db:"id"`
	BillID           string `db:"bill_id"`
	PaymentID        string `db:"payment_id"`
	AmountFen        int64  `db:"amount_fen"`
	Reason           string `db:"reason"`
	State            string `db:"state"`
	ProviderRefundID string `db:"provider_refund_id"`
	ActorID          string `db:"actor_id"`
	Flag             string `db:"flag"`
	CreatedAt        int64  `db:"created_at"`
	UpdatedAt        int64  `db:"updated_at"`
}

const refundCols = `id, bill_id, payment_id, amount_fen, reason, state, provider_refund_id, actor_id, flag, created_at, updated_at`

func (r refundRow) refund() billing.Refund {
	return billing.Refund{ID: r.ID, BillID: r.BillID, PaymentID: r.PaymentID, AmountFen: r.AmountFen, Reason: r.Reason, State: r.State,
		ProviderRefundID: r.ProviderRefundID, ActorID: r.ActorID, Flag: r.Flag, CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

func insertRefund(ctx context.Context, q Q, r billing.Refund) error {
	_, err := exec(ctx, q, `INSERT INTO refunds (`+refundCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		r.ID, r.BillID, r.PaymentID, r.AmountFen, r.Reason, r.State, r.ProviderRefundID, r.ActorID, r.Flag, ms(r.CreatedAt), ms(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert refund %s: %w", r.ID, err)
	}
	return nil
}

// Refund returns a refund by our refund number.
func (s *Billing) Refund(ctx context.Context, id string) (billing.Refund, error) {
	var r refundRow
	if err := get(ctx, s.db, &r, `SELECT `+refundCols+` FROM refunds WHERE id = ?`, id); err != nil {
		return billing.Refund{}, fmt.Errorf("refund %s: %w", id, err)
	}
	return r.refund(), nil
}

// CreateRefund inserts a refund that changes no bill's money.
func (s *Billing) CreateRefund(ctx context.Context, r billing.Refund) error {
	return insertRefund(ctx, s.db, r)
}
