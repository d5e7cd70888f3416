package billing_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/account"
	"campuscharge/internal/audit"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/payment"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// memAudit records audit entries in memory.
type memAudit struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (m *memAudit) Record(_ context.Context, e audit.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = append(m.entries, e)
	return nil
}

func (m *memAudit) actions() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, e := range m.entries {
		out = append(out, e.Action)
	}
	return out
}

// auditOrNil keeps a nil *memAudit from becoming a non-nil Recorder.
func auditOrNil(m *memAudit) audit.Recorder {
	if m == nil {
		return nil
	}
	return m
}

// billFixture is a billing service on the real store with a fake provider.
type billFixture struct {
	ctx    context.Context
	clk    *clock.Fake
	ch     *store.Charging
	st     *store.Billing
	prov   *fakeProvider
	svc    *billing.Service
	driver account.User
}

func newBillFixture(t *testing.T, db *store.DB, rec *memAudit) *billFixture {
	t.Helper()
	f := &billFixture{ctx: context.Background(), clk: clock.NewFake(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)), ch: store.NewCharging(db),
		st: store.NewBilling(db), prov: &fakeProvider{}, driver: account.User{ID: "U-driver", Role: account.RoleDriver}}
	f.svc = billing.NewService(f.st, oneCharger{f.ch}, []payment.Provider{f.prov}, auditOrNil(rec), events.NewBus(), f.clk,
		slog.New(slog.NewTextHandler(io.Discard, nil)), billing.Options{Location: time.UTC})
	if err := f.svc.EnsureDefaultTariff(f.ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// bill makes the unpaid bill of a one-hour, 10 kWh session.
func (f *billFixture) bill(t *testing.T, sessionID string, tx int64) billing.Bill {
	t.Helper()
	t0 := f.clk.Now()
	x := charging.Session{ID: sessionID, TransactionID: tx, ChargerID: "C-1", ConnectorID: 1, UserID: f.driver.ID, Status: charging.SessionActive,
		StartedAt: t0.Add(-time.Hour), SoC: -1, StartKey: "k" + sessionID, CreatedAt: t0, UpdatedAt: t0}
	if err := f.ch.CreateSession(f.ctx, x); err != nil {
		t.Fatal(err)
	}
	x.Status, x.StoppedAt, x.MeterStop, x.EnergyWh, x.UpdatedAt = charging.SessionStopped, t0, 10000, 10000, t0
	if _, err := f.svc.FinishSession(f.ctx, x, nil); err != nil {
		t.Fatal(err)
	}
	b, err := f.st.BillBySession(f.ctx, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *billFixture) pay(t *testing.T, b billing.Bill) billing.Payment {
	t.Helper()
	_, p, err := f.svc.Pay(f.ctx, f.driver, b.ID, "fake", payment.MethodNative, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *billFixture) states(t *testing.T, billID string) (string, []string) {
	t.Helper()
	b, err := f.st.Bill(f.ctx, billID)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.st.Payments(f.ctx, billID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.State)
	}
	return b.Status, out
}

// TestReconcile: orders still paying after 10 minutes are asked about; a
// lost "paid" notification is made good (and the bill's other open order
// closed), an order that expired unpaid is closed, and younger orders are
// left alone.
func TestReconcile(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newBillFixture(t, db, nil)
		paidBill, expiredBill := f.bill(t, "S-R1", 11), f.bill(t, "S-R2", 12)
		p1, p2 := f.pay(t, paidBill), f.pay(t, paidBill)
		p3 := f.pay(t, expiredBill)
		f.prov.answer(payment.Notification{OrderID: p1.ID, ProviderTxID: "TX1", State: payment.StatePaid, AmountFen: p1.AmountFen, PaidAt: f.clk.Now()})
		f.prov.answer(payment.Notification{OrderID: p2.ID, State: payment.StatePaying})
		f.prov.answer(payment.Notification{OrderID: p3.ID, State: payment.StatePaying})
		// An older order of a provider no longer configured is left for it
		// to come back, without an error and without holding up the rest.
		goneBill := f.bill(t, "S-R3", 13)
		if err := f.st.CreatePayment(f.ctx, billing.Payment{ID: "P-gone", BillID: goneBill.ID, Provider: "gone", Method: "native", AmountFen: goneBill.TotalFen,
			State: "paying", CreatedAt: f.clk.Now().Add(-time.Hour), UpdatedAt: f.clk.Now()}); err != nil {
			t.Fatal(err)
		}

		f.clk.Advance(9 * time.Minute)
		if err := f.svc.Reconcile(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, queried := f.prov.calls(); len(queried) != 0 {
			t.Errorf("after 9 minutes: queried %v, want none yet", queried)
		}

		f.clk.Advance(2 * time.Minute)
		if err := f.svc.Reconcile(f.ctx); err != nil {
			t.Fatal(err)
		}
		status, ps := f.states(t, paidBill.ID)
		if status != billing.StatusPaid || !cmp.Equal(ps, []string{"paid", "closed"}) {
			t.Errorf("after 11 minutes: bill %s, orders %v; want paid, [paid closed]", status, ps)
		}
		if status, ps := f.states(t, expiredBill.ID); status != billing.StatusPaying || !cmp.Equal(ps, []string{"paying"}) {
			t.Errorf("unexpired order: bill %s, orders %v; want still paying", status, ps)
		}
		closed, _ := f.prov.calls()
		if !cmp.Equal(closed, []string{p2.ID}) {
			t.Errorf("closed %v, want %s", closed, p2.ID)
		}

		f.clk.Advance(20 * time.Minute) // past the order's 30 minutes
		if err := f.svc.Reconcile(f.ctx); err != nil {
			t.Fatal(err)
		}
		if status, ps := f.states(t, expiredBill.ID); status != billing.StatusUnpaid || !cmp.Equal(ps, []string{"closed"}) {
			t.Errorf("expired order: bill %s, orders %v; want unpaid, [closed]", status, ps)
		}
		closed, queried := f.prov.calls()
		if !cmp.Equal(closed, []string{p2.ID, p3.ID}) || len(queried) != 3 {
			t.Errorf("closed %v, queried %v; want %s and %s closed, 3 queries", closed, queried, p2.ID, p3.ID)
		}
		if _, ps := f.states(t, goneBill.ID); !cmp.Equal(ps, []string{"paying"}) {
			t.Errorf("order of an unconfigured provider: %v, want left paying", ps)
		}
	})
}
