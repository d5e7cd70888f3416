package sim

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

// ChargerSpec describes one simulated charge point.
type ChargerSpec struct {
	// ID is the charge point id: the last segment of its OCPP URL and the
	// HTTP Basic user name.
	ID string
	// Password is the HTTP Basic password; empty sends no Authorization header.
	Password string
	// Vendor is the chargePointVendor sent at boot, at most 20 characters.
	Vendor string
	// Model is the chargePointModel sent at boot, at most 20 characters.
	Model string
	// Firmware is the firmwareVersion sent at boot.
	Firmware string
	// Connectors is the number of connectors, 1 or 2 (0 means 1).
	Connectors int
	// Fast makes a DC charger (30–120 kW, tapering with SoC); otherwise AC (~7 kW flat).
	Fast bool
	// MaxPowerW is the charger's rated power, in W; 0 means 7000 (AC) or 60000 (DC).
	MaxPowerW int
}

// Behaviour tunes how simulated chargers behave; the zero value is a quiet
// charger with production-like intervals.
type Behaviour struct {
	// MeterInterval is the period of MeterValues during a transaction; default 60 s.
	MeterInterval time.Duration
	// HeartbeatFallback is the heartbeat period when BootNotification gives
	// interval 0, and the wait before rebooting after Pending/Rejected with
	// interval 0; default 60 s.
	HeartbeatFallback time.Duration
	// FaultRate is faults per charger-hour (of clock time); 0 = none. A fault
	// reports Faulted with an error code and recovers after 5–30 minutes.
	FaultRate float64
	// DropRate is network drops per charger-hour (of clock time); 0 = none.
	DropRate float64
	// AutoPlugRate is drivers plugging in per charger-hour (of clock time),
	// for demos; 0 = only when told.
	AutoPlugRate float64
	// Rand drives every random choice; nil seeds one from the charger id.
	// It is used under the charger's lock, so give each charger its own.
	Rand *rand.Rand
	// ReconnectDelay is the wait after a dropped connection and the first
	// backoff after a failed dial (doubling up to 30 times it); default 1 s.
	ReconnectDelay time.Duration
	// CallTimeout bounds the wait for the answer to one CALL; default 30 s.
	CallTimeout time.Duration
	// TickInterval is how often the physics (energy, SoC, reservation
	// expiry, random events) advance to the clock's time; default 1 s.
	TickInterval time.Duration
	// IDTags are the tags that auto-plugging drivers swipe; empty means they
	// plug in and wait for a remote start.
	IDTags []string
	// BatteryWh is the capacity of the simulated cars, in Wh; default 60000.
	BatteryWh int
}

func (b Behaviour) withDefaults() Behaviour {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&b.MeterInterval, 60*time.Second)
	def(&b.HeartbeatFallback, 60*time.Second)
	def(&b.ReconnectDelay, time.Second)
	def(&b.CallTimeout, 30*time.Second)
	def(&b.TickInterval, time.Second)
	if b.BatteryWh <= 0 {
		b.BatteryWh = 60000
	}
	return b
}

// Charger is one simulated charge point. Create it with NewCharger, run it
// with Run and drive it with the scripted actions; all methods are safe for
// concurrent use.
type Charger struct {
	url   string
	spec  ChargerSpec
	b     Behaviour
	clk   clock.Clock
	log   *slog.Logger
	stats *statsRecorder

	mu            sync.Mutex
	running       bool
	rnd           *rand.Rand
	changed       chan struct{}
	conns         []*connector
	cpInoperative bool
	cpReported    ocpp.ChargePointStatus
	sess          *session
	online        bool
	registration  ocpp.RegistrationStatus
	boots         int
	heartbeats    int
	hbInterval    time.Duration
	meterInterval time.Duration
	hbReset       chan struct{}
	meterReset    chan struct{}
	config        map[string]string
	queue         []*outItem
	queueWake     chan struct{}
	received      []string
	violations    []string
	nextLocalTx   int
	msgSeq        uint64
	msgPrefix     string
	localList     map[string]ocpp.IdTagInfo
	localVersion  int
	profiles      []*installedProfile
	firmware      string
	fwStatus      ocpp.FirmwareStatus
	diagStatus    ocpp.DiagnosticsStatus
	lastTick      time.Time
}

// maxLog bounds the received-actions and violations logs.
const maxLog = 1000

// NewCharger returns a simulated charger that will connect to url (the
// central system's OCPP endpoint without the trailing id, e.g.
// "ws://localhost:8080/ocpp"). clk stamps every message; log may be nil.
func NewCharger(url string, spec ChargerSpec, b Behaviour, clk clock.Clock, log *slog.Logger) *Charger {
	if spec.Connectors <= 0 {
		spec.Connectors = 1
	}
	if spec.Vendor == "" {
		spec.Vendor = "CampusSim"
	}
	if spec.Model == "" {
		spec.Model = "SIM-AC7"
		if spec.Fast {
			spec.Model = "SIM-DC"
		}
	}
	if spec.Firmware == "" {
		spec.Firmware = "1.0.0"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b = b.withDefaults()
	rnd := b.Rand
	if rnd == nil {
		var seed uint64
		for _, r := range spec.ID {
			seed = seed*131 + uint64(r)
		}
		rnd = rand.New(rand.NewPCG(seed, 0x5eed))
	}
	c := &Charger{
		url:           url,
		spec:          spec,
		b:             b,
		clk:           clk,
		log:           log.With("charger", spec.ID),
		rnd:           rnd,
		changed:       make(chan struct{}),
		hbInterval:    b.HeartbeatFallback,
		meterInterval: b.MeterInterval,
		hbReset:       make(chan struct{}, 1),
		meterReset:    make(chan struct{}, 1),
		queueWake:     make(chan struct{}, 1),
		localList:     map[string]ocpp.IdTagInfo{},
		firmware:      spec.Firmware,
		fwStatus:      ocpp.FirmwareStatusIdle,
		diagStatus:    ocpp.DiagnosticsStatusIdle,
		msgPrefix:     strconv.FormatUint(rnd.Uint64()%(1<<40), 36),
		lastTick:      clk.Now(),
	}
	c.config = defaultConfig(spec, b)
	for i := range spec.Connectors {
		c.conns = append(c.conns, &connector{
			id:       i + 1,
			meterMWh: int64(rnd.IntN(500000)) * 1000,
			soc:      30,
		})
	}
	return c
}

// ID returns the charge point id.
func (c *Charger) ID() string { return c.spec.ID }

// ConnectorState is the state of one connector in a Snapshot.
type ConnectorState struct {
	// ID is the connector id, from 1.
	ID int
	// Status is the status last derived (and reported when online).
	Status ocpp.ChargePointStatus
	// ErrorCode is the error of a Faulted connector, NoError otherwise.
	ErrorCode ocpp.ChargePointErrorCode
	// Plugged is true while a cable is in.
	Plugged bool
	// TransactionID is the running transaction: the central system's id,
	// or a negative local id while the StartTransaction is unanswered; 0 = none.
	TransactionID int
	// IDTag is the tag of the running transaction.
	IDTag string
	// MeterWh is the connector's energy register, in Wh.
	MeterWh int
	// PowerW is the power delivered now, in W.
	PowerW int
	// SoC is the car's state of charge, in percent.
	SoC int
	// LimitW is the smart-charging limit in force, in W; -1 when none.
	LimitW int
	// ReservationID is the reservation held on the connector; 0 = none.
	ReservationID int
}

// Snapshot is a copy of a charger's state.
type Snapshot struct {
	// ID is the charge point id.
	ID string
	// Connected is true while the WebSocket is open.
	Connected bool
	// Online is true once BootNotification was Accepted on the open connection.
	Online bool
	// Registration is the status of the last BootNotification.
	Registration ocpp.RegistrationStatus
	// Boots counts BootNotifications answered.
	Boots int
	// Heartbeats counts Heartbeats answered.
	Heartbeats int
	// HeartbeatInterval is the heartbeat period in force.
	HeartbeatInterval time.Duration
	// MeterInterval is the MeterValues period in force; 0 = off.
	MeterInterval time.Duration
	// Queued counts messages waiting to be sent (transaction messages survive disconnection).
	Queued int
	// Connectors lists the connectors, by id.
	Connectors []ConnectorState
	// Received lists the actions the server sent, in order.
	Received []string
	// Violations lists what the server did against OCPP, in order.
	Violations []string
	// Firmware is the installed firmware version.
	Firmware string
	// FirmwareStatus is the last firmware update status.
	FirmwareStatus ocpp.FirmwareStatus
	// DiagnosticsStatus is the last diagnostics upload status.
	DiagnosticsStatus ocpp.DiagnosticsStatus
	// LocalListVersion is the local authorisation list's version.
	LocalListVersion int
}

// State returns a snapshot of the charger's state.
func (c *Charger) State() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snapshotLocked()
}

func (c *Charger) snapshotLocked() Snapshot {
	s := Snapshot{
		ID:                c.spec.ID,
		Connected:         c.sess != nil,
		Online:            c.online,
		Registration:      c.registration,
		Boots:             c.boots,
		Heartbeats:        c.heartbeats,
		HeartbeatInterval: c.hbInterval,
		MeterInterval:     c.meterInterval,
		Queued:            len(c.queue),
		Received:          append([]string(nil), c.received...),
		Violations:        append([]string(nil), c.violations...),
		Firmware:          c.firmware,
		FirmwareStatus:    c.fwStatus,
		DiagnosticsStatus: c.diagStatus,
		LocalListVersion:  c.localVersion,
	}
	now := c.clk.Now()
	for _, k := range c.conns {
		st, code := c.statusOf(k)
		cs := ConnectorState{
			ID: k.id, Status: st, ErrorCode: code, Plugged: k.plugged,
			MeterWh: k.meterWh(), PowerW: k.powerW, SoC: int(k.soc), LimitW: -1,
		}
		if l, ok := c.limitAt(k, now); ok {
			cs.LimitW = l
		}
		if k.tx != nil {
			cs.TransactionID = k.tx.id()
			cs.IDTag = k.tx.idTag
		}
		if k.reservation != nil {
			cs.ReservationID = k.reservation.id
		}
		s.Connectors = append(s.Connectors, cs)
	}
	return s
}

// Received returns the actions the server sent us, in order, e.g.
// "ReserveNow", "SetChargingProfile".
func (c *Charger) Received() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.received...)
}

// WaitFor blocks until cond holds for the charger's state or ctx ends.
func (c *Charger) WaitFor(ctx context.Context, cond func(Snapshot) bool) error {
	for {
		c.mu.Lock()
		s := c.snapshotLocked()
		ch := c.changed
		c.mu.Unlock()
		if cond(s) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("charger %s: wait: %w", c.spec.ID, ctx.Err())
		}
	}
}

// notifyLocked wakes every WaitFor; c.mu must be held.
func (c *Charger) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// violationLocked records something the server did against OCPP.
func (c *Charger) violationLocked(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.log.Error("central system violated OCPP", "problem", msg)
	c.violations = appendCapped(c.violations, msg)
	c.notifyLocked()
}

func appendCapped(s []string, v string) []string {
	if len(s) >= maxLog {
		s = append(s[:0:0], s[len(s)-maxLog+1:]...)
	}
	return append(s, v)
}

// connectorLocked returns connector id (from 1), or nil.
func (c *Charger) connectorLocked(id int) *connector {
	if id < 1 || id > len(c.conns) {
		return nil
	}
	return c.conns[id-1]
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
