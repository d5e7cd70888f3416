package billing_test

import (
	"fmt"
	"testing"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/payment"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// TestAdjust: staff adjust an unpaid bill (audited); a total below zero,
// a paid bill and a bill being paid are refused.
func TestAdjust(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		admin := account.User{ID: "U-admin", Name: "admin", Role: account.RoleAdmin}
		for i, tc := range []struct {
			name      string
			state     string // "unpaid", "paying", "paid"
			delta     int64  // relative to the bill's total when far below
			wantCode  string
			wantTotal func(total int64) int64
		}{
			{name: "discount on an unpaid bill", state: "unpaid", delta: -100, wantTotal: func(total int64) int64 { return total - 100 }},
			{name: "surcharge on an unpaid bill", state: "unpaid", delta: 250, wantTotal: func(total int64) int64 { return total + 250 }},
			{name: "total below zero", state: "unpaid", delta: -1_000_000, wantCode: string(apperr.Invalid)},
			{name: "paid bill", state: "paid", delta: -100, wantCode: string(apperr.Conflict)},
			{name: "bill being paid", state: "paying", delta: -100, wantCode: string(apperr.Conflict)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := &memAudit{}
				f := newBillFixture(t, db, rec)
				rec.mu.Lock()
				rec.entries = nil // the default tariff's creation
				rec.mu.Unlock()
				b := f.bill(t, fmt.Sprintf("S-ADJ-%d", i), int64(100+i))
				if tc.state != "unpaid" {
					p := f.pay(t, b)
					if tc.state == "paid" {
						if err := notify(t, f.svc, payment.Notification{OrderID: p.ID, State: payment.StatePaid, AmountFen: p.AmountFen, PaidAt: f.clk.Now()}, false); err != nil {
							t.Fatal(err)
						}
					}
				}
				before, err := f.st.Bill(f.ctx, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, err := f.svc.Adjust(f.ctx, admin, b.ID, tc.delta, "goodwill")
				after, _ := f.st.Bill(f.ctx, b.ID)
				if tc.wantCode != "" {
					if string(apperr.CodeOf(err)) != tc.wantCode {
						t.Fatalf("got %v, want %s", err, tc.wantCode)
					}
					if after.TotalFen != before.TotalFen || after.Status != before.Status || len(rec.actions()) != 0 {
						t.Errorf("a refused adjustment changed the bill (%d %s → %d %s) or was audited %v", before.TotalFen, before.Status, after.TotalFen, after.Status, rec.actions())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want := tc.wantTotal(before.TotalFen)
				if got.TotalFen != want || after.TotalFen != want || after.AdjustmentFen != tc.delta || after.Status != billing.StatusUnpaid {
					t.Errorf("adjusted bill: total %d (stored %d), adjustment %d, %s; want %d, %d, unpaid", got.TotalFen, after.TotalFen, after.AdjustmentFen, after.Status, want, tc.delta)
				}
				if a := rec.actions(); len(a) != 1 || a[0] != "bill.adjust" {
					t.Errorf("audit = %v, want one bill.adjust", a)
				}
			})
		}
	})
}
