package billing

import (
	"context"
	"fmt"
	"strings"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/payment"
)

// Flags of payments that never counted on their bill and are given back:
// one made on a bill already paid, and one whose amount was no longer what
// the bill asked (it was adjusted while the order was open).
const (
	duplicateFlag     = "bill was already paid"
	amountChangedFlag = "bill amount changed"
)

// countsOnBill reports whether a payment's money counts on its bill (and
// so do its refunds).
func countsOnBill(p Payment) bool {
	return !strings.HasPrefix(p.Flag, duplicateFlag) && !strings.HasPrefix(p.Flag, amountChangedFlag)
}

// applyRefund applies a refund's final result, found by our refund number.
// A refund leaves StateRefunding once: success makes it refunded; a failure
// (closed, abnormal) marks it failed and flagged, gives the amount back to
// the bill's refundable money (the bill is paid or partly refunded again)
// and is audited. Duplicates and unknown refunds change nothing.
func (s *Service) applyRefund(ctx context.Context, n payment.Notification) error {
	rf, err := s.store.Refund(ctx, n.RefundID)
	if apperr.Is(err, apperr.NotFound) {
		s.log.Warn("refund notification for an unknown refund", "order", n.OrderID, "refund", n.RefundID, "state", n.State)
		return nil
	}
	if err != nil {
		return fmt.Errorf("refund notification %s: %w", n.RefundID, err)
	}
	if n.State != payment.StateRefunded && n.State != payment.StateRefundFailed {
		return nil // still under way
	}
	p, err := s.store.Payment(ctx, rf.PaymentID)
	if err != nil {
		return fmt.Errorf("refund notification %s: %w", n.RefundID, err)
	}
	// A payment that never counted on the bill: nor does its refund.
	counted := countsOnBill(p)
	now := s.clock.Now()
	upd := rf
	upd.State, upd.UpdatedAt = string(n.State), now
	if n.ProviderRefundID != "" {
		upd.ProviderRefundID = n.ProviderRefundID
	}
	var before map[string]any
	failed := n.State == payment.StateRefundFailed
	if failed {
		upd.Flag = truncate(fmt.Sprintf("refund failed at the provider: ¥%s not returned to the payer", yuan(rf.AmountFen)), 250)
	}
	b, changed, err := s.store.ChangeBill(ctx, rf.BillID, BillChange{RefundUpdate: &upd, RefundWas: string(payment.StateRefunding), Apply: func(b *Bill, _ *Payment) error {
		before = billSummary(*b)
		if !failed || !counted {
			return nil
		}
		b.RefundedFen -= rf.AmountFen
		if b.RefundedFen < 0 {
			b.RefundedFen = 0
		}
		b.UpdatedAt = now
		switch {
		case b.RefundedFen == 0 && b.PaidFen > 0:
			b.Status = StatusPaid
		case b.RefundedFen >= b.PaidFen:
			b.Status = StatusRefunded
		default:
			b.Status = StatusPartRefunded
		}
		return nil
	}})
	if err != nil {
		return fmt.Errorf("refund notification %s: %w", n.RefundID, err)
	}
	if !changed {
		return nil // a duplicate, or a refund already settled
	}
	if !failed {
		s.log.Info("refund succeeded", "bill", b.Number, "refund", rf.ID, "amount_fen", rf.AmountFen)
		return nil
	}
	s.log.Error("refund failed: money not returned", "bill", b.Number, "refund", rf.ID, "payment", rf.PaymentID, "amount_fen", rf.AmountFen)
	return account.Record(ctx, s.audit, account.User{}, "bill.refund_failed", "bill", b.ID, b.Number+": refund "+rf.ID+" of ¥"+yuan(rf.AmountFen)+" failed", before, billSummary(b))
}
