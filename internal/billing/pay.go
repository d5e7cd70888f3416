package billing

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
	"campuscharge/internal/payment"
)

// Bill returns a bill; drivers see only their own (others are "not found").
func (s *Service) Bill(ctx context.Context, viewer account.User, id string) (Bill, error) {
	b, err := s.store.Bill(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && b.UserID != viewer.ID && !viewer.Role.Can(account.PermOrdersRead)) {
		return Bill{}, apperr.New(apperr.NotFound, "bill_not_found")
	}
	return b, err
}

// BillOfSession returns the bill of a session.
func (s *Service) BillOfSession(ctx context.Context, viewer account.User, sessionID string) (Bill, error) {
	b, err := s.store.BillBySession(ctx, sessionID)
	if err != nil {
		return Bill{}, apperr.New(apperr.NotFound, "bill_not_found")
	}
	return s.Bill(ctx, viewer, b.ID)
}

// Bills lists bills newest first; drivers only their own.
func (s *Service) Bills(ctx context.Context, viewer account.User, f BillFilter) ([]Bill, string, error) {
	if !viewer.Role.Can(account.PermOrdersRead) {
		f.UserID = viewer.ID
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	want := f.Limit
	f.Limit++
	bs, err := s.store.Bills(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(bs) > want {
		bs, next = bs[:want], bs[want-1].ID
	}
	return bs, next, nil
}

// Payments lists the payments and refunds of a bill the viewer may see.
func (s *Service) Payments(ctx context.Context, viewer account.User, billID string) ([]Payment, []Refund, error) {
	if _, err := s.Bill(ctx, viewer, billID); err != nil {
		return nil, nil, err
	}
	ps, err := s.store.Payments(ctx, billID)
	if err != nil {
		return nil, nil, err
	}
	rs, err := s.store.Refunds(ctx, billID)
	return ps, rs, err
}

// Due is what is still owed on a bill, in fen.
func (b Bill) Due() int64 { return b.TotalFen - b.PaidFen }

// Pay starts paying a bill with a provider ("" = the default) and method,
// returning what the driver's app needs (a page URL, JSAPI parameters or a
// QR code URL). A paid bill is never charged twice.
func (s *Service) Pay(ctx context.Context, driver account.User, billID, provider string, method payment.Method, payerOpenID, returnURL string) (payment.Prepay, Payment, error) {
	b, err := s.Bill(ctx, driver, billID)
	if err != nil {
		return payment.Prepay{}, Payment{}, err
	}
	if b.UserID != driver.ID {
		return payment.Prepay{}, Payment{}, apperr.New(apperr.Forbidden, "not_your_bill")
	}
	if b.Due() <= 0 {
		return payment.Prepay{}, Payment{}, apperr.New(apperr.Conflict, "bill_paid")
	}
	if provider == "" {
		provider = s.opt.DefaultProvider
	}
	prov, ok := s.providers[provider]
	if !ok {
		return payment.Prepay{}, Payment{}, apperr.Field("body.provider", "bad_provider", provider)
	}
	if method == "" {
		method = payment.MethodSandbox
		if provider != "sandbox" {
			method = payment.MethodNative
		}
	}
	now := s.clock.Now()
	p := Payment{ID: "P" + ids.New(), BillID: b.ID, Provider: provider, Method: string(method), AmountFen: b.Due(), State: string(payment.StatePaying), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreatePayment(ctx, p); err != nil {
		return payment.Prepay{}, Payment{}, err
	}
	pre, err := prov.Prepay(ctx, payment.Order{ID: p.ID, Description: payment.TruncateDescription("校园充电 " + b.Number), AmountFen: p.AmountFen,
		PayerOpenID: payerOpenID, ExpireAt: now.Add(orderTTL), ReturnURL: returnURL}, method)
	if err != nil {
		p.State, p.Flag, p.UpdatedAt = string(payment.StateFailed), truncate("prepay failed: "+err.Error(), 250), s.clock.Now()
		_ = s.store.UpdatePayment(ctx, p)
		return payment.Prepay{}, Payment{}, err
	}
	_, _, err = s.store.ChangeBill(ctx, b.ID, BillChange{Apply: func(b *Bill, _ *Payment) error {
		if b.Status == StatusUnpaid {
			b.Status, b.UpdatedAt = StatusPaying, now
		}
		return nil
	}})
	if err != nil {
		return payment.Prepay{}, Payment{}, err
	}
	return pre, p, nil
}

// HandleNotify verifies a provider's asynchronous notification and applies
// it: duplicates and out-of-order results are harmless, a forged one
// changes nothing, and an amount that does not match is refused and flagged.
func (s *Service) HandleNotify(ctx context.Context, provider string, r *http.Request) error {
	prov, ok := s.providers[provider]
	if !ok {
		return apperr.New(apperr.NotFound, "bad_provider", provider)
	}
	n, err := prov.ParseNotify(ctx, r)
	if err != nil {
		s.log.Warn("payment notification rejected", "provider", provider, "err", err)
		return err
	}
	return s.apply(ctx, prov, n)
}

// apply applies a verified payment or refund result, from a notification
// or from a query of the provider (Reconcile).
func (s *Service) apply(ctx context.Context, prov payment.Provider, n payment.Notification) error {
	if n.IsRefund() {
		return s.applyRefund(ctx, n)
	}
	p, err := s.store.Payment(ctx, n.OrderID)
	if err != nil {
		return apperr.Wrap(err, apperr.NotFound, "not_found")
	}
	now := s.clock.Now()
	switch n.State {
	case payment.StatePaid:
		if !n.Matches(p.AmountFen) {
			p.Flag, p.UpdatedAt = fmt.Sprintf("amount mismatch: notified %d fen, expected %d fen", n.AmountFen, p.AmountFen), now
			if err := s.store.UpdatePayment(ctx, p); err != nil {
				return err
			}
			s.log.Error("payment amount mismatch: not marked paid", "payment", p.ID, "notified_fen", n.AmountFen, "expected_fen", p.AmountFen)
			return apperr.New(apperr.Invalid, "amount_mismatch")
		}
		return s.markPaid(ctx, prov, p, n)
	case payment.StateFailed, payment.StateClosed:
		// Only a payment still under way fails; a settled one ignores an
		// out-of-order result.
		p.State, p.UpdatedAt = string(n.State), now
		_, _, err := s.store.ChangeBill(ctx, p.BillID, BillChange{Payment: &p, PaymentWas: string(payment.StatePaying), Apply: func(b *Bill, _ *Payment) error {
			if b.Status == StatusPaying {
				b.Status, b.UpdatedAt = StatusUnpaid, now
			}
			return nil
		}})
		return err
	}
	return nil
}

func (s *Service) markPaid(ctx context.Context, prov payment.Provider, p Payment, n payment.Notification) error {
	now := s.clock.Now()
	p.State, p.ProviderTxID, p.PaidAt, p.UpdatedAt = string(payment.StatePaid), n.ProviderTxID, n.PaidAt, now
	if p.PaidAt.IsZero() {
		p.PaidAt = now
	}
	// A payment that cannot count on the bill is given back in full; its
	// refund is recorded with the change, so it is never forgotten.
	back := &Refund{}
	b, changed, err := s.store.ChangeBill(ctx, p.BillID, BillChange{Payment: &p, Refund: back, Apply: func(b *Bill, p *Payment) error {
		var reason string
		switch due := b.Due(); {
		case due <= 0: // paid twice through two orders
			reason, p.Flag = "duplicate payment", duplicateFlag+": refunded"
		case p.AmountFen != due: // the bill changed after this order was made
			reason, p.Flag = "bill amount changed", fmt.Sprintf("%s (%s due): refunded", amountChangedFlag, yuan(due))
			if b.Status == StatusPaying {
				b.Status, b.UpdatedAt = StatusUnpaid, now
			}
		default:
			b.PaidFen += p.AmountFen
			b.Status, b.PaidAt, b.UpdatedAt = StatusPaid, p.PaidAt, now
			return nil
		}
		*back = Refund{ID: "R" + ids.New(), BillID: b.ID, PaymentID: p.ID, AmountFen: p.AmountFen, Reason: reason, ActorID: "system",
			State: string(payment.StateRefunding), CreatedAt: now, UpdatedAt: now}
		return nil
	}})
	if err != nil || !changed {
		return err // !changed: a duplicate notification
	}
	if back.ID != "" {
		return s.refundUncounted(ctx, prov, b, p, *back)
	}
	s.log.Info("bill paid", "bill", b.Number, "payment", p.ID, "amount_fen", p.AmountFen)
	s.bus.Publish(events.Event{Type: EventBillPaid, At: now, ChargerID: b.ChargerID, SiteID: b.SiteID, SessionID: b.SessionID, UserID: b.UserID, Data: b})
	s.closeOtherOrders(ctx, b.ID, p.ID)
	return nil
}

// refundUncounted asks the provider to give back a payment that did not
// count on the bill (rf, already recorded as refunding); a refusal marks
// the refund failed and flagged for staff. The bill's money is unchanged.
func (s *Service) refundUncounted(ctx context.Context, prov payment.Provider, b Bill, p Payment, rf Refund) error {
	res, err := prov.Refund(ctx, payment.RefundRequest{OrderID: p.ID, RefundID: rf.ID, AmountFen: rf.AmountFen, TotalFen: p.AmountFen, Reason: rf.Reason})
	s.log.Warn("payment not counted on the bill: refunded", "bill", b.Number, "payment", p.ID, "why", p.Flag, "refund", rf.ID, "err", err)
	upd := rf
	switch {
	case err != nil:
		upd.State, upd.Flag = string(payment.StateRefundFailed), truncate("refund request failed: "+err.Error(), 250)
	case res.State != "" && res.State != payment.StateRefunding:
		upd.State, upd.ProviderRefundID = string(res.State), res.ProviderRefundID
	case res.ProviderRefundID != "":
		upd.ProviderRefundID = res.ProviderRefundID
	default:
		return nil
	}
	upd.UpdatedAt = s.clock.Now()
	if _, _, err := s.store.ChangeBill(ctx, b.ID, BillChange{RefundUpdate: &upd, RefundWas: string(payment.StateRefunding), Apply: func(*Bill, *Payment) error { return nil }}); err != nil {
		return fmt.Errorf("record the refund of payment %s: %w", p.ID, err)
	}
	return nil
}

// closeOtherOrders closes the bill's orders still paying once another
// paid it, so the driver cannot pay twice. An order the provider will not
// close (it was paid meanwhile) is left: its notification refunds it.
func (s *Service) closeOtherOrders(ctx context.Context, billID, paidID string) {
	ps, err := s.store.Payments(ctx, billID)
	if err != nil {
		s.log.Error("close other orders", "bill", billID, "err", err)
		return
	}
	for _, o := range ps {
		if o.ID == paidID || o.State != string(payment.StatePaying) {
			continue
		}
		if err := s.closeOrder(ctx, o); err != nil {
			s.log.Warn("other order of a paid bill not closed", "bill", billID, "payment", o.ID, "err", err)
		}
	}
}

// closeOrder closes an order at its provider and records it closed.
func (s *Service) closeOrder(ctx context.Context, o Payment) error {
	prov, ok := s.providers[o.Provider]
	if !ok {
		return apperr.New(apperr.Unavailable, "bad_provider", o.Provider)
	}
	if err := prov.Close(ctx, o.ID); err != nil {
		return fmt.Errorf("close order %s: %w", o.ID, err)
	}
	return s.apply(ctx, prov, payment.Notification{OrderID: o.ID, State: payment.StateClosed})
}

// RefundBill gives back part or all of what was paid on a bill.
func (s *Service) RefundBill(ctx context.Context, actor account.User, billID string, amountFen int64, reason string) (Bill, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return Bill{}, apperr.Field("body.reason", "required")
	}
	b, err := s.store.Bill(ctx, billID)
	if err != nil {
		return Bill{}, apperr.New(apperr.NotFound, "bill_not_found")
	}
	refundable := b.PaidFen - b.RefundedFen
	if amountFen <= 0 || amountFen > refundable {
		return Bill{}, apperr.Field("body.amount_fen", "bad_refund", yuan(refundable))
	}
	ps, err := s.store.Payments(ctx, b.ID)
	if err != nil {
		return Bill{}, err
	}
	var paid *Payment
	for i := range ps {
		if ps[i].State == string(payment.StatePaid) && countsOnBill(ps[i]) {
			paid = &ps[i]
		}
	}
	if paid == nil {
		return Bill{}, apperr.Field("body.amount_fen", "bad_refund", yuan(0))
	}
	prov, ok := s.providers[paid.Provider]
	if !ok {
		return Bill{}, apperr.New(apperr.Unavailable, "bad_provider", paid.Provider)
	}
	now := s.clock.Now()
	// The refund and the money it takes are recorded before the provider is
	// asked, so a refund the provider carried out is never unknown here;
	// a refusal gives the money back (applyRefund).
	rf := Refund{ID: "R" + ids.New(), BillID: b.ID, PaymentID: paid.ID, AmountFen: amountFen, Reason: reason, ActorID: actor.ID,
		State: string(payment.StateRefunding), CreatedAt: now, UpdatedAt: now}
	var before map[string]any
	b, _, err = s.store.ChangeBill(ctx, b.ID, BillChange{Refund: &rf, Apply: func(b *Bill, _ *Payment) error {
		before = billSummary(*b)
		if amountFen > b.PaidFen-b.RefundedFen {
			return apperr.Field("body.amount_fen", "bad_refund", yuan(b.PaidFen-b.RefundedFen)) // another refund got in first
		}
		b.RefundedFen += amountFen
		b.Status, b.UpdatedAt = StatusPartRefunded, now
		if b.RefundedFen >= b.PaidFen {
			b.Status = StatusRefunded
		}
		return nil
	}})
	if err != nil {
		return Bill{}, err
	}
	res, err := prov.Refund(ctx, payment.RefundRequest{OrderID: paid.ID, RefundID: rf.ID, Reason: reason, AmountFen: amountFen, TotalFen: paid.AmountFen})
	if err != nil || res.State == payment.StateRefundFailed {
		if ferr := s.applyRefund(ctx, payment.Notification{OrderID: paid.ID, RefundID: rf.ID, State: payment.StateRefundFailed}); ferr != nil {
			s.log.Error("record a refused refund", "bill", billID, "refund", rf.ID, "err", ferr)
		}
		if err == nil {
			err = apperr.New(apperr.Unavailable, "unavailable")
		}
		return Bill{}, err
	}
	if res.State == payment.StateRefunded {
		if err := s.applyRefund(ctx, payment.Notification{OrderID: paid.ID, RefundID: rf.ID, ProviderRefundID: res.ProviderRefundID, State: payment.StateRefunded}); err != nil {
			return Bill{}, err
		}
	}
	return b, account.Record(ctx, s.audit, actor, "bill.refund", "bill", b.ID, b.Number+": "+reason, before, billSummary(b))
}

// Adjust changes what an unpaid bill asks for, with a reason (audited).
// A bill being paid (an order open at the provider) is refused with a
// conflict: the driver may be paying the old amount right now; it can be
// adjusted once the order is paid, fails or is closed (Reconcile closes
// expired ones).
func (s *Service) Adjust(ctx context.Context, actor account.User, billID string, deltaFen int64, reason string) (Bill, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return Bill{}, apperr.Field("body.reason", "required")
	}
	if _, err := s.store.Bill(ctx, billID); err != nil {
		return Bill{}, apperr.New(apperr.NotFound, "bill_not_found")
	}
	// An order under way was made for the old amount (one that pays anyway
	// is refunded: markPaid).
	ps, err := s.store.Payments(ctx, billID)
	if err != nil {
		return Bill{}, err
	}
	for _, p := range ps {
		if p.State == string(payment.StatePaying) {
			return Bill{}, apperr.New(apperr.Conflict, "conflict")
		}
	}
	var before map[string]any
	b, _, err := s.store.ChangeBill(ctx, billID, BillChange{Apply: func(b *Bill, _ *Payment) error {
		if b.PaidFen > 0 {
			return apperr.New(apperr.Conflict, "bill_paid")
		}
		if b.Status == StatusPaying {
			return apperr.New(apperr.Conflict, "conflict")
		}
		if deltaFen == 0 || b.TotalFen+deltaFen < 0 {
			return apperr.Field("body.adjustment_fen", "bad_adjustment", yuan(b.TotalFen))
		}
		before = billSummary(*b)
		b.AdjustmentFen += deltaFen
		b.TotalFen += deltaFen
		b.UpdatedAt = s.clock.Now()
		b.Status = StatusUnpaid
		if b.TotalFen == 0 {
			b.Status = StatusFree
		}
		return nil
	}})
	if err != nil {
		return Bill{}, err
	}
	return b, account.Record(ctx, s.audit, actor, "bill.adjust", "bill", b.ID, b.Number+": "+reason, before, billSummary(b))
}

func billSummary(b Bill) map[string]any {
	return map[string]any{"total_fen": b.TotalFen, "adjustment_fen": b.AdjustmentFen, "paid_fen": b.PaidFen, "refunded_fen": b.RefundedFen, "status": b.Status}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
