package billing_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/payment"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// fakeProvider is a payment provider whose notifications are the JSON of a
// payment.Notification; a request with header X-Forged is rejected as
// forged. It records refund requests and closed orders, and answers
// queries from answers (unknown orders are not found).
type fakeProvider struct {
	mu      sync.Mutex
	refunds []payment.RefundRequest
	closed  []string
	answers map[string]payment.Notification
	queried []string
	// refundErr, when set, is every refund request's answer.
	refundErr error
}

func (p *fakeProvider) Name() string { return "fake" }

func (p *fakeProvider) Prepay(_ context.Context, o payment.Order, m payment.Method) (payment.Prepay, error) {
	return payment.Prepay{Provider: "fake", Method: m, CodeURL: "fake://" + o.ID}, nil
}

func (p *fakeProvider) ParseNotify(_ context.Context, r *http.Request) (payment.Notification, error) {
	if r.Header.Get("X-Forged") != "" {
		return payment.Notification{}, payment.Unauthorized(errors.New("forged"))
	}
	var n payment.Notification
	if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
		return n, apperr.Wrap(err, apperr.Invalid, "invalid_input")
	}
	return n, nil
}

func (p *fakeProvider) Query(_ context.Context, id string) (payment.Notification, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queried = append(p.queried, id)
	if n, ok := p.answers[id]; ok {
		return n, nil
	}
	return payment.Notification{}, apperr.New(apperr.NotFound, "not_found")
}

func (p *fakeProvider) Close(_ context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = append(p.closed, id)
	return nil
}

// answer sets what a query of the order answers.
func (p *fakeProvider) answer(n payment.Notification) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.answers == nil {
		p.answers = map[string]payment.Notification{}
	}
	p.answers[n.OrderID] = n
}

func (p *fakeProvider) calls() (closed, queried []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.closed...), append([]string(nil), p.queried...)
}

func (p *fakeProvider) Refund(_ context.Context, req payment.RefundRequest) (payment.Refund, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refunds = append(p.refunds, req)
	if p.refundErr != nil {
		return payment.Refund{}, p.refundErr
	}
	return payment.Refund{RefundID: req.RefundID, State: payment.StateRefunding, AmountFen: req.AmountFen}, nil
}

func (p *fakeProvider) refundRequests() []payment.RefundRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]payment.RefundRequest(nil), p.refunds...)
}

// oneCharger is the charging side billing reads: one charger, no site,
// samples from the store.
type oneCharger struct{ st *store.Charging }

func (c oneCharger) Charger(_ context.Context, id string) (charging.Charger, error) {
	return charging.Charger{ID: id, Name: "C"}, nil
}

func (c oneCharger) Site(context.Context, string) (charging.Site, error) {
	return charging.Site{}, apperr.New(apperr.NotFound, "not_found")
}

func (c oneCharger) Samples(ctx context.Context, id string) ([]charging.Sample, error) {
	return c.st.Samples(ctx, id)
}

func notify(t *testing.T, svc *billing.Service, n payment.Notification, forged bool) error {
	t.Helper()
	body, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.NewRequest(http.MethodPost, "http://x"+payment.NotifyPath("fake"), strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	if forged {
		r.Header.Set("X-Forged", "1")
	}
	return svc.HandleNotify(context.Background(), "fake", r)
}

// TestNotifyIdempotentAndDoublePayment runs on the real store: a bill with
// two open orders is paid by the first (once, however often it is
// notified), a late failure or a forged notification changes nothing, a
// wrong amount is flagged, and the second order's payment is given back
// automatically, once.
func TestNotifyIdempotentAndDoublePayment(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		clk := clock.NewFake(t0)
		chStore := store.NewCharging(db)
		bStore := store.NewBilling(db)
		prov := &fakeProvider{}
		bus := events.NewBus()
		paidEvents := bus.Subscribe(t.Context(), 16, func(e events.Event) bool { return e.Type == billing.EventBillPaid })
		svc := billing.NewService(bStore, oneCharger{chStore}, []payment.Provider{prov}, nil, bus, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), billing.Options{Location: time.UTC})
		if err := svc.EnsureDefaultTariff(ctx); err != nil {
			t.Fatal(err)
		}
		x := charging.Session{ID: "S-1", TransactionID: 1, ChargerID: "C-1", ConnectorID: 1, UserID: "U-driver", Status: charging.SessionActive,
			StartedAt: t0, MeterStart: 0, SoC: -1, StartKey: "k1", CreatedAt: t0, UpdatedAt: t0}
		if err := chStore.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
		x.Status, x.StoppedAt, x.MeterStop, x.EnergyWh, x.UpdatedAt = charging.SessionStopped, t0.Add(time.Hour), 10000, 10000, t0.Add(time.Hour)
		clk.Set(x.StoppedAt)
		for i, want := range []bool{true, false} {
			if ok, err := svc.FinishSession(ctx, x, nil); err != nil || ok != want {
				t.Fatalf("FinishSession #%d: got %v, %v; want %v", i+1, ok, err, want)
			}
		}
		b, err := bStore.BillBySession(ctx, "S-1")
		if err != nil {
			t.Fatal(err)
		}
		driver := account.User{ID: "U-driver", Role: account.RoleDriver}
		total := b.TotalFen
		if total <= 0 || b.Status != billing.StatusUnpaid {
			t.Fatalf("new bill: total %d status %s, want money due and unpaid", total, b.Status)
		}

		_, p1, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
		if err != nil {
			t.Fatalf("Pay 1: %v", err)
		}
		_, p2, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
		if err != nil {
			t.Fatalf("Pay 2 (a second open order, e.g. a second device): %v", err)
		}
		paid := func(p billing.Payment, fen int64) payment.Notification {
			return payment.Notification{OrderID: p.ID, ProviderTxID: "TX-" + p.ID, State: payment.StatePaid, AmountFen: fen, PaidAt: clk.Now()}
		}
		state := func() (billing.Bill, []billing.Payment) {
			t.Helper()
			b, err := bStore.Bill(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := bStore.Payments(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			return b, ps
		}
		unchanged := func(what string, wantB billing.Bill, wantP []billing.Payment) {
			t.Helper()
			gotB, gotP := state()
			if diff := cmp.Diff(wantB, gotB); diff != "" {
				t.Errorf("%s changed the bill (-before +after):\n%s", what, diff)
			}
			if diff := cmp.Diff(wantP, gotP); diff != "" {
				t.Errorf("%s changed the payments (-before +after):\n%s", what, diff)
			}
		}

		// Forged and wrong-amount notifications before any payment.
		b0, ps0 := state()
		if err := notify(t, svc, paid(p1, total), true); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("forged: got %v, want unauthorized", err)
		}
		unchanged("a forged notification", b0, ps0)
		if err := notify(t, svc, paid(p1, total+1), false); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("wrong amount: got %v, want invalid", err)
		}
		b1, ps1 := state()
		if b1.PaidFen != 0 || b1.Status == billing.StatusPaid || ps1[0].State == string(payment.StatePaid) || !strings.Contains(ps1[0].Flag, "amount mismatch") {
			t.Errorf("after a wrong amount: bill %s paid %d, payment %s flag %q; want unpaid and flagged", b1.Status, b1.PaidFen, ps1[0].State, ps1[0].Flag)
		}

		// The right amount, twice.
		clk.Advance(time.Minute)
		for i := range 2 {
			if err := notify(t, svc, paid(p1, total), false); err != nil {
				t.Fatalf("paid notification #%d: %v", i+1, err)
			}
		}
		b2, ps2 := state()
		if b2.Status != billing.StatusPaid || b2.PaidFen != total || ps2[0].State != string(payment.StatePaid) || ps2[1].State != string(payment.StateClosed) {
			t.Fatalf("after payment: bill %s paid %d, payments %s/%s; want paid, the other order closed", b2.Status, b2.PaidFen, ps2[0].State, ps2[1].State)
		}
		if closed, _ := prov.calls(); !cmp.Equal(closed, []string{p2.ID}) {
			t.Errorf("orders closed at the provider = %v, want the other open order %s", closed, p2.ID)
		}
		if len(paidEvents) != 1 {
			t.Errorf("got %d bill.paid events, want 1", len(paidEvents))
		}
		if _, _, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("paying a paid bill: got %v, want conflict", err)
		}

		// Out of order: a failure for the paid order.
		if err := notify(t, svc, payment.Notification{OrderID: p1.ID, State: payment.StateFailed}, false); err != nil {
			t.Errorf("late failure: %v", err)
		}
		unchanged("a late failure", b2, ps2)

		// The second order gets paid too: given back, once.
		for i := range 2 {
			if err := notify(t, svc, paid(p2, total), false); err != nil {
				t.Fatalf("second order paid #%d: %v", i+1, err)
			}
		}
		b3, ps3 := state()
		if b3.PaidFen != total || b3.Status != billing.StatusPaid {
			t.Errorf("after a second payment: bill %s paid %d, want paid %d (counted once)", b3.Status, b3.PaidFen, total)
		}
		if ps3[1].State != string(payment.StatePaid) || !strings.HasPrefix(ps3[1].Flag, "bill was already paid") {
			t.Errorf("second payment: state %s flag %q, want paid and flagged as refunded", ps3[1].State, ps3[1].Flag)
		}
		refunds := prov.refundRequests()
		if len(refunds) != 1 || refunds[0].OrderID != p2.ID || refunds[0].AmountFen != total || refunds[0].TotalFen != total {
			t.Fatalf("refund requests = %+v, want one of %d fen for %s", refunds, total, p2.ID)
		}
		if len(paidEvents) != 1 {
			t.Errorf("got %d bill.paid events after the duplicate, want still 1", len(paidEvents))
		}
		rs, err := bStore.Refunds(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].ID != refunds[0].RefundID || rs[0].PaymentID != p2.ID || rs[0].AmountFen != total || rs[0].State != string(payment.StateRefunding) {
			t.Errorf("refunds recorded = %+v, want the duplicate payment's give-back", rs)
		}

		// A refund by staff goes to the order that really paid the bill.
		rb, err := svc.RefundBill(ctx, account.User{ID: "U-admin", Role: account.RoleAdmin}, b.ID, total, "charger fault")
		if err != nil {
			t.Fatalf("RefundBill: %v", err)
		}
		refunds = prov.refundRequests()
		if rb.Status != billing.StatusRefunded || len(refunds) != 2 || refunds[1].OrderID != p1.ID {
			t.Errorf("staff refund: bill %s, requests %+v; want refunded through %s", rb.Status, refunds, p1.ID)
		}
		if err := notify(t, svc, payment.Notification{OrderID: p1.ID, State: payment.StateRefunded, AmountFen: total, RefundID: refunds[1].RefundID}, false); err != nil {
			t.Errorf("refund notification: %v", err)
		}
	})
}

// TestPaymentForAnOldAmountIsGivenBack: a bill cannot be adjusted while an
// order is open; an order paid for an amount the bill no longer asks (it
// changed meanwhile) does not count: the bill stays unpaid, the payment is
// flagged and its refund recorded in the same change, and a refund the
// provider refuses is marked failed for staff. The bill is then paid for
// what it asks.
func TestPaymentForAnOldAmountIsGivenBack(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		clk := clock.NewFake(t0)
		chStore := store.NewCharging(db)
		bStore := store.NewBilling(db)
		prov := &fakeProvider{refundErr: errors.New("provider down")}
		svc := billing.NewService(bStore, oneCharger{chStore}, []payment.Provider{prov}, nil, events.NewBus(), clk, slog.New(slog.NewTextHandler(io.Discard, nil)), billing.Options{Location: time.UTC})
		if err := svc.EnsureDefaultTariff(ctx); err != nil {
			t.Fatal(err)
		}
		x := charging.Session{ID: "S-9", TransactionID: 9, ChargerID: "C-1", ConnectorID: 1, UserID: "U-driver", Status: charging.SessionStopped,
			StartedAt: t0, StoppedAt: t0.Add(time.Hour), MeterStart: 0, MeterStop: 10000, EnergyWh: 10000, SoC: -1, StartKey: "k9", CreatedAt: t0, UpdatedAt: t0}
		if err := chStore.CreateSession(ctx, charging.Session{ID: x.ID, TransactionID: x.TransactionID, ChargerID: x.ChargerID, ConnectorID: 1, UserID: x.UserID,
			Status: charging.SessionActive, StartedAt: t0, SoC: -1, StartKey: x.StartKey, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		clk.Set(x.StoppedAt)
		if _, err := svc.FinishSession(ctx, x, nil); err != nil {
			t.Fatal(err)
		}
		b, err := bStore.BillBySession(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		driver := account.User{ID: "U-driver", Role: account.RoleDriver}
		admin := account.User{ID: "U-admin", Role: account.RoleAdmin}
		_, p1, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Adjust(ctx, admin, b.ID, -100, "goodwill"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("adjust with an order open: got %v, want conflict", err)
		}
		// The bill changes anyway (as an adjustment racing the order would).
		if _, _, err := bStore.ChangeBill(ctx, b.ID, billing.BillChange{Apply: func(b *billing.Bill, _ *billing.Payment) error {
			b.TotalFen, b.AdjustmentFen = b.TotalFen-100, -100
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if err := notify(t, svc, payment.Notification{OrderID: p1.ID, ProviderTxID: "TX1", State: payment.StatePaid, AmountFen: p1.AmountFen, PaidAt: clk.Now()}, false); err != nil {
				t.Fatalf("notification #%d: %v", i+1, err)
			}
		}
		got, err := bStore.Bill(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PaidFen != 0 || got.Status != billing.StatusUnpaid || got.Due() != p1.AmountFen-100 {
			t.Errorf("bill after the old amount was paid: status %s, paid %d, due %d; want unpaid, 0, %d", got.Status, got.PaidFen, got.Due(), p1.AmountFen-100)
		}
		ps, _ := bStore.Payments(ctx, b.ID)
		rs, _ := bStore.Refunds(ctx, b.ID)
		if len(ps) != 1 || !strings.HasPrefix(ps[0].Flag, "bill amount changed") {
			t.Errorf("payments %+v, want the one flagged as not counted", ps)
		}
		if len(rs) != 1 || rs[0].PaymentID != p1.ID || rs[0].AmountFen != p1.AmountFen || rs[0].State != string(payment.StateRefundFailed) || !strings.Contains(rs[0].Flag, "provider down") {
			t.Errorf("refunds %+v, want one of the whole payment, failed at the provider and flagged", rs)
		}
		if n := len(prov.refundRequests()); n != 1 {
			t.Errorf("%d refund requests, want 1 (the repeated notification changes nothing)", n)
		}

		// Paying what the bill asks now settles it.
		_, p2, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := notify(t, svc, payment.Notification{OrderID: p2.ID, ProviderTxID: "TX2", State: payment.StatePaid, AmountFen: p2.AmountFen, PaidAt: clk.Now()}, false); err != nil {
			t.Fatal(err)
		}
		if got, _ = bStore.Bill(ctx, b.ID); got.Status != billing.StatusPaid || got.PaidFen != got.TotalFen || p2.AmountFen != got.TotalFen {
			t.Errorf("after paying the new amount: status %s, paid %d of %d (order %d)", got.Status, got.PaidFen, got.TotalFen, p2.AmountFen)
		}

		// A staff refund the provider refuses is recorded failed and takes
		// no money; once the provider works it goes through.
		if _, err := svc.RefundBill(ctx, admin, b.ID, 50, "charger fault"); err == nil {
			t.Fatal("refund with the provider down: no error")
		}
		got, _ = bStore.Bill(ctx, b.ID)
		rs, _ = bStore.Refunds(ctx, b.ID)
		if got.Status != billing.StatusPaid || got.RefundedFen != 0 || len(rs) != 2 || rs[1].AmountFen != 50 || rs[1].State != string(payment.StateRefundFailed) {
			t.Errorf("after a refused refund: bill %s refunded %d, refunds %+v; want paid, 0 and a failed refund of 50", got.Status, got.RefundedFen, rs)
		}
		prov.mu.Lock()
		prov.refundErr = nil
		prov.mu.Unlock()
		if rb, err := svc.RefundBill(ctx, admin, b.ID, 50, "charger fault"); err != nil || rb.Status != billing.StatusPartRefunded || rb.RefundedFen != 50 {
			t.Errorf("refund: got %v, %s refunded %d; want partly refunded 50", err, rb.Status, rb.RefundedFen)
		}
	})
}

// TestConcurrentNotificationsCountOnce: two orders of one bill notified as
// paid at the same time, each many times over, count the bill paid exactly
// once and give the other payment back exactly once.
func TestConcurrentNotificationsCountOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		clk := clock.NewFake(t0)
		chStore, bStore, prov := store.NewCharging(db), store.NewBilling(db), &fakeProvider{}
		svc := billing.NewService(bStore, oneCharger{chStore}, []payment.Provider{prov}, nil, events.NewBus(), clk, slog.New(slog.NewTextHandler(io.Discard, nil)), billing.Options{Location: time.UTC})
		if err := svc.EnsureDefaultTariff(ctx); err != nil {
			t.Fatal(err)
		}
		x := charging.Session{ID: "S-2", TransactionID: 2, ChargerID: "C-1", ConnectorID: 1, UserID: "U-driver", Status: charging.SessionActive,
			StartedAt: t0, SoC: -1, StartKey: "k2", CreatedAt: t0, UpdatedAt: t0}
		if err := chStore.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
		x.Status, x.StoppedAt, x.MeterStop, x.EnergyWh, x.UpdatedAt = charging.SessionStopped, t0.Add(time.Hour), 10000, 10000, t0.Add(time.Hour)
		if _, err := svc.FinishSession(ctx, x, nil); err != nil {
			t.Fatal(err)
		}
		b, err := bStore.BillBySession(ctx, "S-2")
		if err != nil {
			t.Fatal(err)
		}
		driver := account.User{ID: "U-driver", Role: account.RoleDriver}
		var orders []billing.Payment
		for range 2 {
			_, p, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
			if err != nil {
				t.Fatal(err)
			}
			orders = append(orders, p)
		}
		var wg sync.WaitGroup
		for i := range 10 {
			p := orders[i%2]
			wg.Go(func() {
				_ = notify(t, svc, payment.Notification{OrderID: p.ID, ProviderTxID: "TX-" + p.ID, State: payment.StatePaid, AmountFen: p.AmountFen, PaidAt: t0}, false)
			})
		}
		wg.Wait()
		got, err := bStore.Bill(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PaidFen != b.TotalFen || got.Status != billing.StatusPaid {
			t.Errorf("bill after concurrent notifications: paid %d fen, status %s; want %d, paid", got.PaidFen, got.Status, b.TotalFen)
		}
		if n := len(prov.refundRequests()); n != 1 {
			t.Errorf("got %d refunds of the second payment, want 1", n)
		}
	})
}
