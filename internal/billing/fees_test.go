package billing_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/payment"
	"campuscharge/internal/stats"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// TestReservationFeeBill: a reservation's fees make one fee-only bill,
// however often they are charged; the driver sees it, it blocks new
// sessions once overdue, it can be paid, and reports and statistics count
// its money but no session.
func TestReservationFeeBill(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		clk := clock.NewFake(t0)
		bStore, prov := store.NewBilling(db), &fakeProvider{}
		svc := billing.NewService(bStore, oneCharger{store.NewCharging(db)}, []payment.Provider{prov}, nil, events.NewBus(), clk,
			slog.New(slog.NewTextHandler(io.Discard, nil)), billing.Options{Location: time.UTC})
		fee := billing.ReservationFee{ReservationID: "01RESERVATION0000000000001", UserID: "U-driver", ChargerID: "C-1", SiteID: "S-1", Connector: 1,
			ReservedAt: t0.Add(-20 * time.Minute), EndedAt: t0, ReservationFen: 100, NoShowFen: 500, TariffID: "T", TariffVersion: "V"}
		b, err := svc.ChargeReservationFee(ctx, fee)
		if err != nil {
			t.Fatalf("ChargeReservationFee: %v", err)
		}
		again, err := svc.ChargeReservationFee(ctx, fee)
		if err != nil || again.ID != b.ID {
			t.Fatalf("second charge: got bill %s, %v; want the same bill %s", again.ID, err, b.ID)
		}
		driver := account.User{ID: "U-driver", Role: account.RoleDriver}
		bills, _, err := svc.Bills(ctx, driver, billing.BillFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(bills) != 1 {
			t.Fatalf("driver sees %d bills, want 1", len(bills))
		}
		got := bills[0]
		if got.Kind != billing.KindReservation || got.ReservationID != fee.ReservationID || got.SessionID != "" || got.TotalFen != 600 ||
			got.ReservationFee != 600 || got.EnergyWh != 0 || got.Status != billing.StatusUnpaid || got.LocalDay != 20260302 {
			t.Errorf("fee bill = %+v; want a reservation bill of 600 fen, unpaid, no session, day 20260302", got)
		}
		if diff := cmp.Diff([]billing.FeeLine{{Kind: billing.FeeReservation, AmountFen: 100}, {Kind: billing.FeeNoShow, AmountFen: 500}}, got.Fees); diff != "" {
			t.Errorf("fee lines (-want +got):\n%s", diff)
		}
		if _, err := bStore.BillBySession(ctx, fee.ReservationID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("BillBySession(reservation id): got %v, want not found", err)
		}

		// Reports: the fee, no session; statistics alike from the summary,
		// the raw bills and a rebuilt summary.
		rows, err := svc.Report(ctx, billing.ReportQuery{By: "charger", Period: "day"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]billing.ReportRow{{Key: "C-1", Bucket: 20260302, ReservationFee: 600, TotalFen: 600}}, rows); diff != "" {
			t.Errorf("report (-want +got):\n%s", diff)
		}
		wantDays := []stats.DayRow{{Day: 20260302, RevenueFen: 600}}
		for name, st := range map[string]stats.Store{"summary": store.NewStats(db), "raw": store.NewStatsRaw(db)} {
			days, err := st.Daily(ctx, 20260301, 20260303, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantDays, days); diff != "" {
				t.Errorf("%s daily statistics (-want +got):\n%s", name, diff)
			}
		}
		if err := store.NewStats(db).RebuildSummary(ctx); err != nil {
			t.Fatal(err)
		}
		if days, err := store.NewStats(db).Daily(ctx, 20260301, 20260303, ""); err != nil || cmp.Diff(wantDays, days) != "" {
			t.Errorf("daily statistics after a rebuild = %+v, %v; want %+v", days, err, wantDays)
		}

		// Unpaid past the window: no new session; paid: charging again.
		clk.Advance(25 * time.Hour)
		if err := svc.CanStart(ctx, "U-driver"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("CanStart with the fee bill overdue: got %v, want forbidden", err)
		}
		_, p, err := svc.Pay(ctx, driver, b.ID, "fake", payment.MethodNative, "", "")
		if err != nil {
			t.Fatalf("Pay: %v", err)
		}
		if p.AmountFen != 600 {
			t.Errorf("order of %d fen, want 600", p.AmountFen)
		}
		if err := notify(t, svc, payment.Notification{OrderID: p.ID, ProviderTxID: "TX", State: payment.StatePaid, AmountFen: 600, PaidAt: clk.Now()}, false); err != nil {
			t.Fatalf("paid: %v", err)
		}
		if err := svc.CanStart(ctx, "U-driver"); err != nil {
			t.Errorf("CanStart after paying: %v", err)
		}
		if pb, _ := bStore.Bill(ctx, b.ID); pb.Status != billing.StatusPaid || pb.PaidFen != 600 {
			t.Errorf("after payment: %s, paid %d; want paid 600", pb.Status, pb.PaidFen)
		}
	})
}
