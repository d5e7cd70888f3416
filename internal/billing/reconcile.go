package billing

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
)

// orderTTL is how long an order accepts payment.
const orderTTL = 30 * time.Minute

// defaultReconcileAfter is how long an order may stay paying before
// Reconcile asks the provider about it.
const defaultReconcileAfter = 10 * time.Minute

// reconcileBatch bounds the orders one Reconcile asks about.
const reconcileBatch = 200

// Reconcile asks the providers about orders still paying after
// Options.ReconcileAfter and applies each answer as its notification would
// have been (a lost or late notification): paid, failed or closed. An order
// still awaiting the payer after it expired is closed. Errors on one order
// are logged and the others go on; the first is returned.
func (s *Service) Reconcile(ctx context.Context) error {
	now := s.clock.Now()
	// Orders of a provider no longer configured wait for it to come back
	// (they may have been paid); they do not take the batch's places.
	names := make([]string, 0, len(s.providers))
	for name := range s.providers {
		names = append(names, name)
	}
	ps, err := s.store.PayingPayments(ctx, names, now.Add(-s.opt.ReconcileAfter), reconcileBatch)
	if err != nil {
		return fmt.Errorf("reconcile payments: %w", err)
	}
	var first error
	for _, p := range ps {
		if err := s.reconcileOne(ctx, p, now); err != nil {
			s.log.Warn("reconcile payment", "payment", p.ID, "bill", p.BillID, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *Service) reconcileOne(ctx context.Context, p Payment, now time.Time) error {
	prov, ok := s.providers[p.Provider]
	if !ok {
		return apperr.New(apperr.Unavailable, "bad_provider", p.Provider)
	}
	if cur, err := s.store.Payment(ctx, p.ID); err != nil || cur.State != string(payment.StatePaying) {
		return err // settled meanwhile (e.g. closed when another order paid)
	}
	n, err := prov.Query(ctx, p.ID)
	expired := now.Sub(p.CreatedAt) > orderTTL
	switch {
	case apperr.Is(err, apperr.NotFound) && expired:
		// The provider never had it: nothing can pay it any more.
		return s.apply(ctx, prov, payment.Notification{OrderID: p.ID, State: payment.StateClosed})
	case err != nil:
		return fmt.Errorf("query order %s: %w", p.ID, err)
	}
	n.OrderID, n.RefundID = p.ID, ""
	switch n.State {
	case payment.StatePaid, payment.StateFailed, payment.StateClosed:
		return s.apply(ctx, prov, n)
	case payment.StatePaying:
		if expired {
			return s.closeOrder(ctx, p)
		}
	}
	return nil
}

// RunReconcile runs Reconcile every interval until ctx is done.
func (s *Service) RunReconcile(ctx context.Context, every time.Duration) {
	clock.Every(ctx, every, func(ctx context.Context) {
		if err := s.Reconcile(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("reconcile payments", "err", err)
		}
	})
}
