package billing

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/events"
)

// ReservationFee is what a driver owes for a reservation that ended.
type ReservationFee struct {
	// ReservationID is the reservation's id: at most one bill is made per
	// reservation, so charging it again is harmless.
	ReservationID string
	UserID        string
	ChargerID     string
	SiteID        string
	Connector     int
	// ReservedAt and EndedAt bound the hold; EndedAt dates the bill.
	ReservedAt, EndedAt time.Time
	// ReservationFen is the reservation fee, in fen.
	ReservationFen int64
	// NoShowFen is the no-show fee, in fen (the driver never came).
	NoShowFen     int64
	TariffID      string
	TariffVersion string
}

// ChargeReservationFee makes the fee-only bill of a reservation: one line
// per fee (reservation, no-show), no session and no energy. It is a bill
// like any other: the driver sees and pays it, it counts for the unpaid-bill
// rule and in reports. A reservation gets at most one bill: a retry returns
// the bill already made.
func (s *Service) ChargeReservationFee(ctx context.Context, f ReservationFee) (Bill, error) {
	if f.ReservationID == "" || f.UserID == "" || f.ReservationFen < 0 || f.NoShowFen < 0 || f.ReservationFen+f.NoShowFen == 0 {
		return Bill{}, apperr.New(apperr.Invalid, "invalid_input")
	}
	var fees []FeeLine
	if f.ReservationFen > 0 {
		fees = append(fees, FeeLine{Kind: FeeReservation, AmountFen: f.ReservationFen})
	}
	if f.NoShowFen > 0 {
		fees = append(fees, FeeLine{Kind: FeeNoShow, AmountFen: f.NoShowFen})
	}
	now := s.clock.Now()
	ended := f.EndedAt
	if ended.IsZero() {
		ended = now
	}
	b, err := s.newBill(ctx, s.location(ctx, f.SiteID), ended)
	if err != nil {
		return Bill{}, err
	}
	total := f.ReservationFen + f.NoShowFen
	b.Kind, b.ReservationID, b.UserID, b.ChargerID, b.SiteID, b.Connector = KindReservation, f.ReservationID, f.UserID, f.ChargerID, f.SiteID, f.Connector
	b.StartedAt, b.StoppedAt, b.ReservationFee, b.TotalFen, b.Status = f.ReservedAt, ended, total, total, StatusUnpaid
	b.TariffID, b.TariffVersion, b.Fees = f.TariffID, f.TariffVersion, fees
	stored, made, err := s.store.CreateFeeBill(ctx, b)
	if err != nil {
		return Bill{}, fmt.Errorf("charge reservation %s: %w", f.ReservationID, err)
	}
	if !made {
		return stored, nil
	}
	s.log.Info("fee bill created", "bill", b.Number, "reservation", f.ReservationID, "total_fen", b.TotalFen)
	s.bus.Publish(events.Event{Type: EventBillCreated, At: now, ChargerID: b.ChargerID, SiteID: b.SiteID, UserID: b.UserID, Data: stored})
	return stored, nil
}
