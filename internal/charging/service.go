package charging

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ids"
)

// Commander sends OCPP commands to connected chargers (the gateway).
type Commander interface {
	Call(ctx context.Context, chargePointID, action string, req, resp any) error
	IsConnected(chargePointID string) bool
}

// Finisher stores a stopped session atomically with whatever must be stored
// with it (billing: its bill). It reports false when the session was
// already stopped.
type Finisher interface {
	FinishSession(ctx context.Context, s Session, samples []Sample) (bool, error)
}

// Money is what the charging service asks of billing, without knowing about
// money itself: whether a driver may start, and a running session's cost.
type Money interface {
	// CanStart returns an error when the driver may not start (unpaid bills).
	CanStart(ctx context.Context, userID string) error
	// CostSoFar returns what a running session costs so far, in fen.
	CostSoFar(ctx context.Context, s Session) (int64, error)
}

// Users looks up the driver behind an id tag.
type Users interface {
	User(ctx context.Context, id string) (account.User, error)
}

// Options tune the service.
type Options struct {
	// HeartbeatS is the heartbeat interval for chargers without a site, in seconds.
	HeartbeatS int
	// AcceptUnknown accepts unknown chargers as Pending for an operator to approve.
	AcceptUnknown bool
	// AbandonAfter closes sessions with no activity for this long.
	AbandonAfter time.Duration
	// RemoteStartWait is how long a remote start waits for the charger's StartTransaction.
	RemoteStartWait time.Duration
	// DefaultTimezone is the time zone of new sites.
	DefaultTimezone string
}

// Service is the charging service.
type Service struct {
	store Store
	users Users
	audit audit.Recorder
	bus   *events.Bus
	clock clock.Clock
	log   *slog.Logger
	opt   Options
	cmd   Commander
	// finisher closes sessions (with their bills); the store when unset.
	finisher Finisher
	money    Money
	// limitStops remembers sessions already asked to stop at their limit.
	limitStops sync.Map
	// reservations, when set, says who holds a reserved connector.
	reservations Reservations
}

var _ gateway.Handler = (*Service)(nil)
var _ gateway.Authenticator = (*Service)(nil)

// NewService returns the charging service. Call SetCommander before sending commands.
func NewService(store Store, users Users, rec audit.Recorder, bus *events.Bus, clk clock.Clock, log *slog.Logger, opt Options) *Service {
	if opt.HeartbeatS <= 0 {
		opt.HeartbeatS = 300
	}
	if opt.AbandonAfter <= 0 {
		opt.AbandonAfter = 24 * time.Hour
	}
	if opt.RemoteStartWait <= 0 {
		opt.RemoteStartWait = 60 * time.Second
	}
	if opt.DefaultTimezone == "" {
		opt.DefaultTimezone = "Asia/Shanghai"
	}
	return &Service{store: store, users: users, audit: rec, bus: bus, clock: clk, log: log, opt: opt}
}

// SetCommander sets the gateway used to send commands (it is built after the service).
func (s *Service) SetCommander(c Commander) { s.cmd = c }

// SetBilling makes stopped sessions go through f (which stores their bill in
// the same transaction) and lets m refuse starts and price running sessions.
func (s *Service) SetBilling(f Finisher, m Money) { s.finisher, s.money = f, m }

// finish closes a session through the finisher (or the store).
func (s *Service) finish(ctx context.Context, x Session, samples []Sample) (bool, error) {
	s.limitStops.Delete(x.ID)
	if s.finisher != nil {
		return s.finisher.FinishSession(ctx, x, samples)
	}
	return s.store.StopSession(ctx, x, samples)
}

// Events returns the bus the service publishes on.
func (s *Service) Events() *events.Bus { return s.bus }

func (s *Service) publish(e events.Event) {
	if e.At.IsZero() {
		e.At = s.clock.Now()
	}
	s.bus.Publish(e)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToUpper(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// hashPassword returns a salted SHA-256 of a charger password. Charger
// passwords are long random secrets (we generate them, or insist on 16+
// characters), so a fast hash is safe and lets thousands of chargers
// reconnect at once.
func hashPassword(pw string) string {
	salt := randomString(8)
	sum := sha256.Sum256([]byte(salt + pw))
	return "sha256$" + salt + "$" + hex.EncodeToString(sum[:])
}

func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 3 || parts[0] != "sha256" {
		return false
	}
	sum := sha256.Sum256([]byte(parts[1] + pw))
	return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(parts[2])) == 1
}

// Authenticate checks a charger at the WebSocket handshake.
func (s *Service) Authenticate(ctx context.Context, cpID, password string, hasPassword bool) (gateway.Charger, error) {
	c, err := s.store.ChargerByCPID(ctx, cpID)
	if apperr.Is(err, apperr.NotFound) {
		if !s.opt.AcceptUnknown || !validCPID(cpID) {
			return gateway.Charger{}, apperr.New(apperr.NotFound, "charger_unknown", cpID)
		}
		c, err = s.registerPending(ctx, cpID)
		if err != nil {
			return gateway.Charger{}, err
		}
		return gateway.Charger{ID: cpID, Pending: true}, nil
	}
	if err != nil {
		return gateway.Charger{}, fmt.Errorf("authenticate charger %s: %w", cpID, err)
	}
	// Only a pending charger may connect without a password: approving one
	// gives it a password, so a charger that is not pending needs one.
	if c.PasswordHash == "" && c.State != StatePending || c.PasswordHash != "" && (!hasPassword || !checkPassword(c.PasswordHash, password)) {
		return gateway.Charger{}, apperr.New(apperr.Unauthorized, "unauthorized")
	}
	return gateway.Charger{ID: cpID, Known: c.State != StatePending, Pending: c.State == StatePending, Lenient: c.Lenient}, nil
}

func (s *Service) registerPending(ctx context.Context, cpID string) (Charger, error) {
	now := s.clock.Now()
	c := Charger{ID: ids.New(), CPID: cpID, Name: cpID, Kind: KindSlow, MaxPowerW: 7000, State: StatePending, CreatedAt: now, UpdatedAt: now,
		Connectors: []Connector{{ConnectorID: 1, Type: "GBT_AC", MaxPowerW: 7000, Status: "Unavailable", ErrorCode: "NoError"}}}
	if err := s.store.CreateCharger(ctx, c); err != nil && !apperr.Is(err, apperr.Conflict) {
		return Charger{}, fmt.Errorf("register pending charger %s: %w", cpID, err)
	}
	s.log.Info("unknown charger accepted as pending", "charger", cpID)
	return c, nil
}

// Connected marks a charger online.
func (s *Service) Connected(ctx context.Context, cpID, remoteAddr string) {
	c, err := s.store.ChargerByCPID(ctx, cpID)
	if err != nil {
		s.log.Warn("connected charger not found", "charger", cpID, "err", err)
		return
	}
	if err := s.store.TouchCharger(ctx, c.ID, s.clock.Now(), true); err != nil {
		s.log.Error("mark charger online", "charger", cpID, "err", err)
		return
	}
	s.log.Info("charger connected", "charger", cpID, "remote", remoteAddr)
	s.publish(events.Event{Type: events.ChargerOnline, ChargerID: c.ID, SiteID: c.SiteID})
}

// Disconnected marks a charger offline at once.
func (s *Service) Disconnected(ctx context.Context, cpID string) {
	c, err := s.store.ChargerByCPID(ctx, cpID)
	if err != nil {
		return
	}
	if err := s.store.TouchCharger(ctx, c.ID, c.LastSeenAt, false); err != nil {
		s.log.Error("mark charger offline", "charger", cpID, "err", err)
		return
	}
	s.log.Info("charger disconnected", "charger", cpID)
	s.publish(events.Event{Type: events.ChargerOffline, ChargerID: c.ID, SiteID: c.SiteID})
}

// CheckOffline marks chargers silent for longer than their heartbeat
// interval × offline factor as offline and says so on the bus.
func (s *Service) CheckOffline(ctx context.Context) error {
	stale, err := s.store.StaleChargers(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	for _, c := range stale {
		if err := s.store.TouchCharger(ctx, c.ID, c.LastSeenAt, false); err != nil {
			return err
		}
		s.log.Warn("charger silent: marked offline", "charger", c.CPID, "last_seen", c.LastSeenAt)
		s.publish(events.Event{Type: events.ChargerOffline, ChargerID: c.ID, SiteID: c.SiteID, Data: map[string]any{"reason": "silent"}})
	}
	return nil
}

// CloseAbandoned closes sessions whose charger never sent StopTransaction
// (rebooted, replaced, gone), from their last meter value, and flags them.
func (s *Service) CloseAbandoned(ctx context.Context) error {
	now := s.clock.Now()
	list, err := s.store.AbandonedSessions(ctx, now.Add(-s.opt.AbandonAfter))
	if err != nil {
		return err
	}
	for _, x := range list {
		last := x.LastMeterAt
		if last.IsZero() {
			last = x.StartedAt
		}
		x.StoppedAt, x.MeterStop, x.StopReason = last, x.MeterStart+x.EnergyWh, "Other"
		x.Flag = joinFlag(x.Flag, fmt.Sprintf("closed by the system: no StopTransaction for %s", s.opt.AbandonAfter))
		x.UpdatedAt = now
		if ok, err := s.finish(ctx, x, nil); err != nil {
			return err
		} else if ok {
			s.log.Warn("abandoned session closed", "session", x.ID, "charger", x.ChargerID)
			s.publish(events.Event{Type: events.SessionStopped, ChargerID: x.ChargerID, SiteID: x.SiteID, SessionID: x.ID, UserID: x.UserID, Data: x})
		}
	}
	return nil
}

// RunBackground runs offline detection and the abandoned-session closer
// every interval until ctx ends.
func (s *Service) RunBackground(ctx context.Context, every time.Duration) {
	clock.Every(ctx, every, func(ctx context.Context) {
		if err := s.CheckOffline(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("offline check", "err", err)
		}
		if err := s.CloseAbandoned(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("close abandoned sessions", "err", err)
		}
	})
}

func joinFlag(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func validCPID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}
