package dispatch

import (
	"fmt"
	"time"
)

// Reservation is a driver's hold on a charger.
type Reservation struct {
	// ID identifies the reservation.
	ID string `json:"id"`
	// DriverID is who reserved.
	DriverID string `json:"driver_id"`
	// ChargerID is the charger reserved.
	ChargerID string `json:"charger_id"`
	// ReservedAt is when it was made.
	ReservedAt time.Time `json:"reserved_at"`
	// ExpiresAt is ReservedAt plus the hold window.
	ExpiresAt time.Time `json:"expires_at"`
	// StartedAt is when charging started under it; zero if not.
	StartedAt time.Time `json:"started_at,omitzero"`
	// CancelledAt is when the driver cancelled it; zero if not.
	CancelledAt time.Time `json:"cancelled_at,omitzero"`
}

// ReservationPolicy holds a site's reservation rules. The no-show fee is the
// tariff's business, not this policy's.
type ReservationPolicy struct {
	// HoldWindow is how long a reservation holds the charger.
	HoldWindow time.Duration `json:"hold_window"`
	// MaxNoShowsPerMonth is how many no-shows a driver may have in a
	// calendar month (site time zone) before reservations are refused;
	// zero means no cap.
	MaxNoShowsPerMonth int `json:"max_no_shows_per_month"`
}

// Reservation refusals.
var (
	// ErrActiveReservation: the driver already has an active reservation.
	ErrActiveReservation = fmt.Errorf("driver already has an active reservation: %w", ErrInvalid)
	// ErrTooManyNoShows: the driver reached the monthly no-show cap.
	ErrTooManyNoShows = fmt.Errorf("too many no-shows this month: %w", ErrInvalid)
)

// Expiry returns when a reservation made at reservedAt expires.
func (p ReservationPolicy) Expiry(reservedAt time.Time) time.Time {
	return reservedAt.Add(p.HoldWindow)
}

// Active reports whether r still holds its charger at now.
func (p ReservationPolicy) Active(r Reservation, now time.Time) bool {
	return r.StartedAt.IsZero() && r.CancelledAt.IsZero() && now.Before(r.ExpiresAt)
}

// NoShow reports whether r expired by now without a start or cancel.
func (p ReservationPolicy) NoShow(r Reservation, now time.Time) bool {
	return r.StartedAt.IsZero() && r.CancelledAt.IsZero() && !now.Before(r.ExpiresAt)
}

// CanReserve checks whether driverID may make a new reservation at now,
// given the driver's past reservations; loc is the site time zone that
// decides the calendar month.
func (p ReservationPolicy) CanReserve(driverID string, past []Reservation, now time.Time, loc *time.Location) error {
	y, m, _ := now.In(loc).Date()
	noShows := 0
	for _, r := range past {
		if r.DriverID != driverID {
			continue
		}
		if p.Active(r, now) {
			return fmt.Errorf("reserve for %s: %w (%s)", driverID, ErrActiveReservation, r.ID)
		}
		if ry, rm, _ := r.ExpiresAt.In(loc).Date(); p.NoShow(r, now) && ry == y && rm == m {
			noShows++
		}
	}
	if p.MaxNoShowsPerMonth > 0 && noShows >= p.MaxNoShowsPerMonth {
		return fmt.Errorf("reserve for %s: %w (%d of %d)", driverID, ErrTooManyNoShows, noShows, p.MaxNoShowsPerMonth)
	}
	return nil
}

// Reserve returns a new reservation for driverID on chargerID at now, or
// the refusal from CanReserve.
func (p ReservationPolicy) Reserve(id, driverID, chargerID string, past []Reservation, now time.Time, loc *time.Location) (Reservation, error) {
	if err := p.CanReserve(driverID, past, now, loc); err != nil {
		return Reservation{}, err
	}
	return Reservation{ID: id, DriverID: driverID, ChargerID: chargerID, ReservedAt: now, ExpiresAt: p.Expiry(now)}, nil
}
