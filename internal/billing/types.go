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

// Bill is the itemised bill of one session.
type Bill struct {
	ID        string
	Number    string
	SessionID string
	UserID    string
	ChargerID string
	SiteID    string
	Connector int
	StartedAt time.Time
	StoppedAt time.Time
	// DurationS in seconds.
	DurationS int64
	EnergyWh  int64
	// Fees in fen.
	EnergyFee     int64
	ServiceFee    int64
	IdleMinutes   int64
	IdleFee       int64
	AdjustmentFen int64
	TotalFen      int64
	PaidFen       int64
	RefundedFen   int64
	Status        string
	TariffID      string
	TariffVersion string
	Lines         []tariff.Line
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
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// BillChange is one atomic change to a bill's money (see Store.ChangeBill).
type BillChange struct {
	// Payment, when set, gets its new state (and, after Apply, its flag)
	// stored with the change; a payment already in that state cancels it.
	Payment *Payment
	// PaymentWas, when set, is the state the payment must be in for the
	// change to happen (default: any state but its new one).
	PaymentWas string
	// Refund, when set, is stored with the change.
	Refund *Refund
	// Apply changes the bill as it is now in the database (and may flag the
	// payment); an error aborts everything.
	Apply func(b *Bill, p *Payment) error
}

// BillFilter selects bills.
type BillFilter struct {
	UserID, ChargerID, SiteID, Status string
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
	Bucket     int
	Sessions   int64
	DurationS  int64
	EnergyWh   int64
	EnergyFee  int64
	ServiceFee int64
	IdleFee    int64
	TotalFen   int64
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
	Refunds(ctx context.Context, billID string) ([]Refund, error)

	Report(ctx context.Context, q ReportQuery) ([]ReportRow, error)
}
