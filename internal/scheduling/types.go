package scheduling

import (
	"context"
	"encoding/json"
	"time"

	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/dispatch"
)

// Events the service publishes on the bus; UserID is the driver concerned.
const (
	// EventQueue carries a TicketView whenever a driver's ticket changes.
	EventQueue = "queue.updated"
	// EventReservation carries a Reservation whenever it changes.
	EventReservation = "reservation.updated"
	// EventSite tells staff that a site's queues changed (fault, recovery,
	// settings); Data is the site id.
	EventSite = "scheduling.updated"
)

// Reservation kinds.
const (
	// KindDirect is a driver's reservation of a free connector.
	KindDirect = "direct"
	// KindQueue holds the connector a queue ticket was called to.
	KindQueue = "queue"
)

// Reservation states.
const (
	ResActive    = "active"
	ResUsed      = "used"
	ResCancelled = "cancelled"
	ResExpired   = "expired"
)

// Settings are a site's scheduling parameters.
type Settings struct {
	SiteID string
	// WaitingCapacity is N, the cars the waiting area holds.
	WaitingCapacity int
	// QueueLength is M, the places per connector (the first charges).
	QueueLength int
	// Strategy re-dispatches the cars of a faulted connector.
	Strategy dispatch.Strategy
	// BatchMode selects optional batch placement.
	BatchMode dispatch.BatchMode
	// HoldWindow is how long a reserved or called connector waits for its
	// driver.
	HoldWindow time.Duration
	// NoShowGrace is added to a direct reservation's hold window before it
	// counts as a no-show.
	NoShowGrace time.Duration
	// MaxNoShowsPerMonth refuses reservations after that many no-shows in a
	// calendar month of the site (0 = no cap).
	MaxNoShowsPerMonth int
	// PowerLimitW is the site's power limit, in W (0 = none).
	PowerLimitW int64
	// LoadPolicy divides the power limit.
	LoadPolicy dispatch.LoadPolicy
	UpdatedAt  time.Time
}

// DefaultSettings are a site's settings until staff change them.
func DefaultSettings(siteID string) Settings {
	return Settings{SiteID: siteID, WaitingCapacity: 10, QueueLength: 2, Strategy: dispatch.Priority, BatchMode: dispatch.NoBatch,
		HoldWindow: 15 * time.Minute, NoShowGrace: 5 * time.Minute, MaxNoShowsPerMonth: 3, LoadPolicy: dispatch.FairShare}
}

// Reservation is a hold on one connector for one driver.
type Reservation struct {
	ID string
	// OCPPID is the reservationId sent in ReserveNow.
	OCPPID      int64
	UserID      string
	SiteID      string
	ChargerID   string
	ConnectorID int
	// Kind is KindDirect or KindQueue.
	Kind     string
	TicketID string
	// Status is ResActive, ResUsed, ResCancelled or ResExpired.
	Status string
	// AtCharger is set when the charger accepted ReserveNow; otherwise the
	// reservation is kept in software (charging refuses other drivers).
	AtCharger  bool
	ReservedAt time.Time
	// ExpiresAt is the end of the hold window.
	ExpiresAt time.Time
	// NoShowAt is ExpiresAt plus the site's grace: unused by then, the
	// reservation expires as a no-show.
	NoShowAt  time.Time
	EndedAt   time.Time
	SessionID string
	// FeeFen is what the reservation costs under the charger's tariff, in
	// fen: the reservation fee when used, plus the no-show fee when it
	// expired unused; 0 while active or when cancelled. Billing collects it.
	FeeFen int64
	// QueuedAt is when the ticket of a queue hold joined the queue (zero
	// for direct reservations).
	QueuedAt  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReservationFilter selects reservations.
type ReservationFilter struct {
	UserID    string
	SiteID    string
	Status    string
	ChargerID string
	// Connector selects one connector of ChargerID (0 = any).
	Connector int
	// Since selects reservations made at or after it.
	Since time.Time
	Limit int
}

// Store is the persistence the scheduling service needs.
type Store interface {
	// SchedulingSite returns a site's settings and dispatch document
	// (apperr.NotFound when the site has none stored yet).
	SchedulingSite(ctx context.Context, siteID string) (Settings, []byte, error)
	// SaveSchedulingSite stores settings and document, inserting or updating.
	SaveSchedulingSite(ctx context.Context, s Settings, doc []byte) error
	// NextReservationID allocates an OCPP reservationId.
	NextReservationID(ctx context.Context) (int64, error)
	CreateReservation(ctx context.Context, r Reservation) error
	UpdateReservation(ctx context.Context, r Reservation) error
	// MarkAtCharger records that the charger accepted the reservation.
	MarkAtCharger(ctx context.Context, id string, at time.Time) error
	Reservation(ctx context.Context, id string) (Reservation, error)
	// Reservations lists reservations newest first.
	Reservations(ctx context.Context, f ReservationFilter) ([]Reservation, error)
}

// Charging is what the service uses of the charging service.
type Charging interface {
	Site(ctx context.Context, id string) (charging.Site, error)
	Sites(ctx context.Context) ([]charging.Site, error)
	Charger(ctx context.Context, id string) (charging.Charger, error)
	Chargers(ctx context.Context, f charging.ChargerFilter) ([]charging.Charger, string, error)
	Sessions(ctx context.Context, f charging.SessionFilter) ([]charging.Session, string, error)
	Session(ctx context.Context, id string) (charging.Session, error)
	Send(ctx context.Context, c charging.Charger, action string, req any) (json.RawMessage, error)
	AppTag(ctx context.Context, userID string) (string, error)
}

// Tariffs gives the tariff in force on a charger (for reservation fees) and
// bills those fees.
type Tariffs interface {
	TariffFor(ctx context.Context, c charging.Charger, at time.Time) (billing.Tariff, billing.TariffVersion, error)
	// ChargeReservationFee makes the fee-only bill of an ended reservation;
	// asking again for the same reservation makes no second bill.
	ChargeReservationFee(ctx context.Context, f billing.ReservationFee) (billing.Bill, error)
}

var _ Charging = (*charging.Service)(nil)
var _ Tariffs = (*billing.Service)(nil)
