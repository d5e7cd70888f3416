package charging

import "context"

// Reservations tells the charging service who holds a reserved connector
// (internal/scheduling), so that a reservation also holds on chargers that
// refused or do not support ReserveNow.
type Reservations interface {
	// Holder returns the driver holding the connector by an active
	// reservation; ok is false when nobody holds it.
	Holder(ctx context.Context, chargerID string, connector int) (userID string, ok bool)
}

// SetReservations makes starts consult r: Start refuses other drivers on a
// held connector (and lets the holder start on a connector the charger
// reports Reserved), and a StartTransaction there by another driver's tag
// is answered Blocked. Blocked is the OCPP 1.6 status for "identifier not
// allowed for charging" that is neither unknown (Invalid), expired nor a
// concurrent transaction; a charger with StopTransactionOnInvalidId stops
// it at once (reason DeAuthorized), others are flagged for review.
func (s *Service) SetReservations(r Reservations) { s.reservations = r }

// heldByOther reports whether another driver than userID holds the connector.
func (s *Service) heldByOther(ctx context.Context, chargerID string, connector int, userID string) bool {
	if s.reservations == nil {
		return false
	}
	holder, ok := s.reservations.Holder(ctx, chargerID, connector)
	return ok && holder != userID
}

// heldBy reports whether userID holds the connector.
func (s *Service) heldBy(ctx context.Context, chargerID string, connector int, userID string) bool {
	if s.reservations == nil {
		return false
	}
	holder, ok := s.reservations.Holder(ctx, chargerID, connector)
	return ok && holder == userID
}
