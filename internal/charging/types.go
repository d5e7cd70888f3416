package charging

import (
	"context"
	"time"
)

// Charger kinds.
const (
	KindFast = "fast" // DC
	KindSlow = "slow" // AC
)

// Charger registration states.
const (
	StateActive   = "active"   // registered and accepted
	StatePending  = "pending"  // connected unknown; waits for an operator's approval
	StateDisabled = "disabled" // refused (BootNotification Rejected)
)

// Session states.
const (
	SessionActive  = "active"
	SessionStopped = "stopped"
)

// Site is a campus area with chargers.
type Site struct {
	ID       string
	Code     string
	Name     string
	Timezone string
	Address  string
	Lat, Lng float64
	// HeartbeatS is the heartbeat interval given to chargers, in seconds.
	HeartbeatS int
	// OfflineFactor: a charger silent for HeartbeatS × OfflineFactor is offline.
	OfflineFactor int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Charger is a charge point.
type Charger struct {
	ID string
	// CPID is the OCPP charge point id (the last part of its URL).
	CPID   string
	SiteID string
	Name   string
	// Location describes where it is, e.g. "North gate car park, bay 3".
	Location string
	Lat, Lng float64
	// Kind is KindFast or KindSlow.
	Kind string
	// MaxPowerW is the charger's maximum power, in W.
	MaxPowerW int
	TariffID  string
	// PasswordHash is the salted SHA-256 of the HTTP Basic password.
	PasswordHash string
	// Lenient accepts known vendor quirks in OCPP payloads.
	Lenient bool
	// State is StateActive, StatePending or StateDisabled.
	State             string
	Vendor            string
	Model             string
	Serial            string
	Firmware          string
	FirmwareStatus    string
	DiagnosticsStatus string
	Online            bool
	LastSeenAt        time.Time
	BootedAt          time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Connectors        []Connector
}

// Connector is one outlet of a charger; connector 0 is the charger itself.
type Connector struct {
	ChargerID   string
	ConnectorID int
	// Type is GBT_AC, GBT_DC, Type2 or CCS2.
	Type string
	// MaxPowerW in W.
	MaxPowerW   int
	Status      string
	ErrorCode   string
	VendorError string
	Info        string
	StatusAt    time.Time
}

// IDTag links an OCPP idTag (app token or RFID card) to a driver.
type IDTag struct {
	Tag       string
	UserID    string
	Kind      string // "app" or "rfid"
	Label     string
	RevokedAt time.Time
	CreatedAt time.Time
}

// Session is one charging transaction.
type Session struct {
	ID string
	// TransactionID is the OCPP transaction id we assigned.
	TransactionID int64
	ChargerID     string
	SiteID        string
	ConnectorID   int
	UserID        string
	IDTag         string
	ReservationID int64
	Status        string
	StartedAt     time.Time
	StoppedAt     time.Time
	// MeterStart and MeterStop are the meter register, in Wh.
	MeterStart int64
	MeterStop  int64
	// EnergyWh delivered so far (or in all, once stopped).
	EnergyWh int64
	// PowerW is the latest power, in W.
	PowerW int
	// SoC is the car's latest state of charge in percent, -1 if unknown.
	SoC int
	// LimitWh stops the session once this much energy was delivered (0 = none).
	LimitWh int64
	// LimitFen stops the session once it costs this much (0 = none).
	LimitFen    int64
	LastMeterAt time.Time
	StopReason  string
	// AuthStatus is the idTagInfo status we answered at start.
	AuthStatus string
	// Flag, when not empty, says why the session needs review.
	Flag string
	// StartKey makes repeated StartTransactions idempotent.
	StartKey  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Sample is one meter reading, normalised; nil fields were not sent.
type Sample struct {
	SessionID string
	At        time.Time
	// EnergyWh is the energy register, in Wh.
	EnergyWh *int64
	// PowerW in W.
	PowerW *int64
	// CurrentMA in mA.
	CurrentMA *int64
	// VoltageMV in mV.
	VoltageMV *int64
	// SoC in percent.
	SoC *int64
	// SignedData keeps SignedData values as sent.
	SignedData string
}

// ChargerFilter selects chargers.
type ChargerFilter struct {
	SiteID string
	State  string
	Query  string
	Limit  int
	Cursor string
}

// SessionFilter selects sessions.
type SessionFilter struct {
	UserID    string
	ChargerID string
	SiteID    string
	Status    string
	From, To  time.Time
	Limit     int
	Cursor    string
}

// Store is the persistence the charging service needs.
type Store interface {
	CreateSite(ctx context.Context, s Site) error
	UpdateSite(ctx context.Context, s Site) error
	Site(ctx context.Context, id string) (Site, error)
	Sites(ctx context.Context) ([]Site, error)

	CreateCharger(ctx context.Context, c Charger) error
	UpdateCharger(ctx context.Context, c Charger) error
	Charger(ctx context.Context, id string) (Charger, error)
	ChargerByCPID(ctx context.Context, cpID string) (Charger, error)
	Chargers(ctx context.Context, f ChargerFilter) ([]Charger, error)
	// TouchCharger records that a charger was heard from.
	TouchCharger(ctx context.Context, id string, at time.Time, online bool) error
	// StaleChargers lists online chargers not heard from since their site's
	// heartbeat × offline factor before now.
	StaleChargers(ctx context.Context, now time.Time) ([]Charger, error)
	UpsertConnector(ctx context.Context, c Connector) error

	CreateIDTag(ctx context.Context, t IDTag) error
	IDTag(ctx context.Context, tag string) (IDTag, error)
	IDTagsOf(ctx context.Context, userID string) ([]IDTag, error)
	RevokeIDTag(ctx context.Context, tag string, at time.Time) error

	// NextTransactionID allocates a transaction id, unique across restarts
	// and instances.
	NextTransactionID(ctx context.Context) (int64, error)
	// CreateSession inserts a session; a repeated StartKey is a conflict.
	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, id string) (Session, error)
	SessionByStartKey(ctx context.Context, key string) (Session, error)
	SessionByTransaction(ctx context.Context, txID int64) (Session, error)
	ActiveSession(ctx context.Context, chargerID string, connectorID int) (Session, error)
	Sessions(ctx context.Context, f SessionFilter) ([]Session, error)
	// SetLimits stores a session's energy and cost limits.
	SetLimits(ctx context.Context, sessionID string, limitWh, limitFen int64) error
	// UpdateLive stores a running session's live figures.
	UpdateLive(ctx context.Context, s Session) error
	// StopSession closes an active session with its final figures and
	// samples in one transaction; it returns false (and changes nothing) if
	// the session was already stopped.
	StopSession(ctx context.Context, s Session, samples []Sample) (bool, error)
	// AddSamples stores meter samples, ignoring ones already stored.
	AddSamples(ctx context.Context, samples []Sample) error
	Samples(ctx context.Context, sessionID string) ([]Sample, error)
	// AbandonedSessions lists active sessions with no activity since before.
	AbandonedSessions(ctx context.Context, before time.Time) ([]Session, error)
}
