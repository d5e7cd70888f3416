package billing

import (
	"context"
	"time"

	"campuscharge/internal/charging"
	"campuscharge/internal/tariff"
)

// Bill states.
const (
	StatusUnpaid        = "unpaid"
	StatusPaying        = "paying"
	StatusPaid          = "paid"
	StatusPartRefunded  = "partly_refunded"
	StatusRefunded      = "refunded"
	StatusFree          = "free" // nothing to pay
	defaultTariffName   = "默认电价 Default tariff"
	defaultUnpaidWindow = 24 * time.Hour
)

// Bill kinds.
const (
	// KindSession is the bill of a charging session.
	KindSession = "session"
	// KindReservation is a fee-only bill for a driver's reservation: no
	// session, no energy, only fee lines.
	KindReservation = "reservation"
)

// Fee line kinds of a reservation's bill.
const (
	// FeeReservation is the reservation fee.
	FeeReservation = "reservation"
	// FeeNoShow is the no-show fee of a reservation that expired unused.
	FeeNoShow = "no_show"
)

// FeeLine is one fee on a fee-only bill.
type FeeLine struct {
	// Kind is FeeReservation or FeeNoShow.
	Kind string `json:"kind"`
	// AmountFen is the fee, in fen.
	AmountFen int64 `json:"amount_fen"`
}

// Tariff is a named tariff with its versions.
type Tariff struct {
	ID   string
	Name string
	// SiteID is the site it applies to by default ("" = not tied to a site).
	SiteID string
	// Default marks the tariff used when neither charger nor site has one.
	Default   bool
	CreatedAt time.Time
	Versions  []TariffVersion
}

// TariffVersion is one edition of a tariff.
type TariffVersion struct {
	ID        string
	TariffID  string
	Spec      tariff.Version
	CreatedBy string
	CreatedAt time.Time
}

// Bill is the itemised bill of one session, or a fee-only bill of a
// reservation (Kind).
type Bill struct {
	ID     string
	Number string
	// Kind is KindSession or KindReservation ("" is read as a session).
	Kind      string
	SessionID string
	// ReservationID is the reservation a fee-only bill charges for.
	ReservationID string
	UserID        string
	ChargerID     string
	SiteID        string
	Connector     int
	StartedAt     time.Time
	StoppedAt     time.Time
	// DurationS in seconds.
	DurationS int64
	EnergyWh  int64
	// Fees in fen.
	EnergyFee   int64
	ServiceFee  int64
	IdleMinutes int64
	IdleFee     int64
	// ReservationFee is the sum of Fees, in fen (fee-only bills).
	ReservationFee int64
	AdjustmentFen  int64
	TotalFen       int64
	PaidFen        int64
	RefundedFen    int64
	Status         string
	TariffID       string
	TariffVersion  string
	// Lines are a session bill's per-period lines.
	Lines []tariff.Line
	// Fees are a fee-only bill's lines.
	Fees []FeeLine
	// LocalDay, LocalWeek and LocalMonth bucket the bill in the site's
	// time zone for reports: 20261125, 202648 (ISO week), 202611.
	LocalDay   int
	LocalWeek  int
	LocalMonth int
	PaidAt     time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Payment is one attempt to pay a bill.
type Payment struct {
	// ID is our order number (out_trade_no).
	ID           string
	BillID       string
	Provider     string
	Method       string
	AmountFen    int64
	State        string
	ProviderTxID string
	// Flag says why the payment needs review (e.g. an amount mismatch).
	Flag      string
	PaidAt    time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Refund is money given back on a bill.
type Refund struct {
	ID               string
	BillID           string
	PaymentID        string
	AmountFen        int64
	Reason           string
	State            string
	ProviderRefundID string
	ActorID          string
	// Flag says why the refund needs review (e.g. it failed).
	Flag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// BillChange is one atomic change to a bill's money (see Store.ChangeBill).
type BillChange struct {
	// Payment, when set, gets its new state (and, after Apply, its flag)
	// stored with the change; a payment already in that state cancels it.
	Payment *Payment
	// PaymentWas, when set, is the state the payment must be in for the
	// change to happen (default: any state but its new one).
	PaymentWas string
	// Refund, when set and given an ID (Apply may fill it in), is stored
	// with the change.
	Refund *Refund
	// RefundUpdate, when set, gets its new state, provider id and flag
	// stored with the change, provided the refund is still in state
	// RefundWas; otherwise nothing changes (false), as for a duplicate
	// notification.
	RefundUpdate *Refund
	// RefundWas is the state RefundUpdate must be in.
	RefundWas string
	// Apply changes the bill as it is now in the database (and may flag the
	// payment); an error aborts everything.
	Apply func(b *Bill, p *Payment) error
}

// BillFilter selects bills.
type BillFilter struct {
	UserID, ChargerID, SiteID, Status string
	// SessionIDs selects the bills of these sessions (none = any).
	SessionIDs []string
	// FromDay and ToDay bound LocalDay (inclusive), 0 = open.
	FromDay, ToDay int
	Limit          int
	Cursor         string
}

// ReportRow is one group of bills in a report.
type ReportRow struct {
	// Key is the charger or site id.
	Key string
	// Bucket is the day (20261125), ISO week (202648) or month (202611).
	Bucket int
	// Sessions counts the session bills (not fee-only bills).
	Sessions   int64
	DurationS  int64
	EnergyWh   int64
	EnergyFee  int64
	ServiceFee int64
	IdleFee    int64
	// ReservationFee sums the reservation and no-show fees, in fen.
	ReservationFee int64
	TotalFen       int64
}

// ReportQuery selects what a report groups.
type ReportQuery struct {
	// By is "charger" or "site".
	By string
	// Period is "day", "week" or "month".
	Period         string
	SiteID         string
	FromDay, ToDay int
}

// Store is the persistence billing needs.
type Store interface {
	CreateTariff(ctx context.Context, t Tariff) error
	AddTariffVersion(ctx context.Context, v TariffVersion) error
	Tariffs(ctx context.Context) ([]Tariff, error)

	NextBillNumber(ctx context.Context) (int64, error)
	// StopSessionWithBill closes the session and stores its bill in one
	// transaction; false means the session was already closed (no bill made).
	StopSessionWithBill(ctx context.Context, s charging.Session, samples []charging.Sample, b Bill) (bool, error)
	// CreateFeeBill stores a fee-only bill, at most one per reservation:
	// false and the stored bill when the reservation already has one.
	CreateFeeBill(ctx context.Context, b Bill) (Bill, bool, error)
	Bill(ctx context.Context, id string) (Bill, error)
	BillBySession(ctx context.Context, sessionID string) (Bill, error)
	Bills(ctx context.Context, f BillFilter) ([]Bill, error)
	// ChangeBill applies c to the bill as stored, under a row lock, in one
	// transaction; false means c.Payment already had its new state (nothing
	// was changed).
	ChangeBill(ctx context.Context, id string, c BillChange) (Bill, bool, error)
	// OldestUnpaid returns the user's oldest bill with money owed.
	OldestUnpaid(ctx context.Context, userID string) (Bill, error)

	CreatePayment(ctx context.Context, p Payment) error
	Payment(ctx context.Context, id string) (Payment, error)
	Payments(ctx context.Context, billID string) ([]Payment, error)
	UpdatePayment(ctx context.Context, p Payment) error
	// PayingPayments lists up to limit payments of these providers still
	// paying that were created before before, oldest first.
	PayingPayments(ctx context.Context, providers []string, before time.Time, limit int) ([]Payment, error)
	Refunds(ctx context.Context, billID string) ([]Refund, error)
	// Refund returns a refund by our refund number.
	Refund(ctx context.Context, id string) (Refund, error)
	// CreateRefund stores a refund that changes no bill's money (the
	// give-back of a duplicate payment).
	CreateRefund(ctx context.Context, r Refund) error

	Report(ctx context.Context, q ReportQuery) ([]ReportRow, error)
}
