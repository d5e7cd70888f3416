package billing

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
	"campuscharge/internal/payment"
	"campuscharge/internal/tariff"
)

// Bill events on the bus.
const (
	EventBillCreated = "bill.created"
	EventBillPaid    = "bill.paid"
)

// Chargers is what billing reads of the charging service.
type Chargers interface {
	Charger(ctx context.Context, id string) (charging.Charger, error)
	Site(ctx context.Context, id string) (charging.Site, error)
	Samples(ctx context.Context, sessionID string) ([]charging.Sample, error)
}

// Options tune billing.
type Options struct {
	// UnpaidWindow: a driver whose bill has been unpaid for longer cannot
	// start a new session.
	UnpaidWindow time.Duration
	// Location is the default time zone for sites without one.
	Location *time.Location
	// DefaultProvider names the payment provider used when a driver does
	// not choose ("sandbox" or "wechatpay").
	DefaultProvider string
	// ReconcileAfter is how long an order may stay paying before Reconcile
	// asks its provider about it (default 10 minutes).
	ReconcileAfter time.Duration
}

// Service is the billing service.
type Service struct {
	store     Store
	chargers  Chargers
	providers map[string]payment.Provider
	audit     audit.Recorder
	bus       *events.Bus
	clock     clock.Clock
	log       *slog.Logger
	opt       Options
}

var _ charging.Finisher = (*Service)(nil)

// NewService returns the billing service.
func NewService(store Store, chargers Chargers, providers []payment.Provider, rec audit.Recorder, bus *events.Bus, clk clock.Clock, log *slog.Logger, opt Options) *Service {
	if opt.UnpaidWindow <= 0 {
		opt.UnpaidWindow = defaultUnpaidWindow
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.ReconcileAfter <= 0 {
		opt.ReconcileAfter = defaultReconcileAfter
	}
	m := map[string]payment.Provider{}
	for _, p := range providers {
		m[p.Name()] = p
		if opt.DefaultProvider == "" {
			opt.DefaultProvider = p.Name()
		}
	}
	return &Service{store: store, chargers: chargers, providers: m, audit: rec, bus: bus, clock: clk, log: log, opt: opt}
}

// DefaultProvider names the payment provider drivers use.
func (s *Service) DefaultProvider() string { return s.opt.DefaultProvider }

func (s *Service) location(ctx context.Context, siteID string) *time.Location {
	if siteID != "" {
		if site, err := s.chargers.Site(ctx, siteID); err == nil {
			if loc, err := time.LoadLocation(site.Timezone); err == nil {
				return loc
			}
		}
	}
	return s.opt.Location
}

// tariffSession turns a session and its samples into what tariff.Price needs.
func tariffSession(x charging.Session, samples []charging.Sample) tariff.Session {
	ts := tariff.Session{Start: x.StartedAt, Stop: x.StoppedAt, MeterStart: x.MeterStart, MeterStop: x.MeterStart + x.EnergyWh}
	type point struct {
		at     time.Time
		wh     int64
		powerW int64
	}
	var pts []point
	for _, sm := range samples {
		if sm.EnergyWh == nil {
			continue
		}
		ts.Samples = append(ts.Samples, tariff.Sample{At: sm.At, EnergyWh: *sm.EnergyWh})
		p := point{at: sm.At, wh: *sm.EnergyWh, powerW: -1}
		if sm.PowerW != nil {
			p.powerW = *sm.PowerW
		}
		pts = append(pts, p)
	}
	// Idle time: after the register stopped rising, with the car reporting
	// (near) zero power until the stop, the car was full but still plugged.
	sort.Slice(pts, func(i, j int) bool { return pts[i].at.Before(pts[j].at) })
	if n := len(pts); n >= 2 {
		full := n - 1
		for full > 0 && pts[full-1].wh >= pts[full].wh {
			full--
		}
		idle := full < n-1
		for _, p := range pts[full+1:] {
			if p.powerW < 0 || p.powerW > 100 {
				idle = false
			}
		}
		if idle && pts[full].at.Before(ts.Stop) {
			ts.IdleFrom, ts.IdleUntil = pts[full].at, ts.Stop
		}
	}
	return ts
}

// price prices a session with the tariff version in force at its start.
func (s *Service) price(ctx context.Context, x charging.Session, samples []charging.Sample) (tariff.Bill, Tariff, TariffVersion, *time.Location, error) {
	c, err := s.chargers.Charger(ctx, x.ChargerID)
	if err != nil {
		return tariff.Bill{}, Tariff{}, TariffVersion{}, nil, err
	}
	t, v, err := s.TariffFor(ctx, c, x.StartedAt)
	if err != nil {
		return tariff.Bill{}, Tariff{}, TariffVersion{}, nil, err
	}
	loc := s.location(ctx, c.SiteID)
	ts := tariffSession(x, samples)
	if ts.Stop.Before(ts.Start) {
		ts.Stop = ts.Start
	}
	b, err := tariff.Price(v.Spec, loc, ts)
	if err != nil {
		return tariff.Bill{}, Tariff{}, TariffVersion{}, nil, fmt.Errorf("price session %s: %w", x.ID, err)
	}
	return b, t, v, loc, nil
}

// FinishSession closes a session and creates its bill in the same
// transaction: exactly one bill per session, whatever the charger replays.
func (s *Service) FinishSession(ctx context.Context, x charging.Session, samples []charging.Sample) (bool, error) {
	stored, err := s.chargers.Samples(ctx, x.ID)
	if err != nil {
		return false, err
	}
	priced, t, v, loc, err := s.price(ctx, x, append(stored, samples...))
	if err != nil {
		return false, err
	}
	b, err := s.newBill(ctx, loc, x.StartedAt)
	if err != nil {
		return false, err
	}
	now := b.CreatedAt
	b.Kind, b.SessionID, b.UserID, b.ChargerID, b.SiteID, b.Connector = KindSession, x.ID, x.UserID, x.ChargerID, x.SiteID, x.ConnectorID
	b.StartedAt, b.StoppedAt, b.DurationS = x.StartedAt, x.StoppedAt, int64(x.Elapsed(now)/time.Second)
	b.EnergyWh, b.EnergyFee, b.ServiceFee, b.IdleMinutes, b.IdleFee = priced.EnergyWh, priced.EnergyFee, priced.ServiceFee, priced.IdleMinutes, priced.IdleFee
	b.TotalFen, b.Status, b.TariffID, b.TariffVersion, b.Lines = priced.TotalFen, StatusUnpaid, t.ID, v.ID, priced.Lines
	if b.TotalFen == 0 {
		b.Status = StatusFree
	}
	ok, err := s.store.StopSessionWithBill(ctx, x, samples, b)
	if err != nil || !ok {
		return ok, err
	}
	s.log.Info("bill created", "bill", b.Number, "session", x.ID, "total_fen", b.TotalFen, "energy_wh", b.EnergyWh)
	s.bus.Publish(events.Event{Type: EventBillCreated, At: now, ChargerID: b.ChargerID, SiteID: b.SiteID, SessionID: x.ID, UserID: b.UserID, Data: b})
	return true, nil
}

// CostSoFar prices a running session up to its latest meter value, in fen.
func (s *Service) CostSoFar(ctx context.Context, x charging.Session) (int64, error) {
	samples, err := s.chargers.Samples(ctx, x.ID)
	if err != nil {
		return 0, err
	}
	if x.Status == charging.SessionActive {
		x.StoppedAt = x.LastMeterAt
		if x.StoppedAt.Before(x.StartedAt) {
			x.StoppedAt = x.StartedAt
		}
	}
	b, _, _, _, err := s.price(ctx, x, samples)
	if err != nil {
		return 0, err
	}
	return b.TotalFen, nil
}

// CanStart refuses drivers who left a bill unpaid for longer than the
// unpaid window.
func (s *Service) CanStart(ctx context.Context, userID string) error {
	b, err := s.store.OldestUnpaid(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if s.clock.Now().Sub(b.CreatedAt) > s.opt.UnpaidWindow {
		return apperr.New(apperr.Forbidden, "unpaid_bill", b.Number, yuan(b.Due()))
	}
	return nil
}

// yuan formats fen as yuan with two decimals.
func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// newBill starts a bill: its id, its next number (dated in loc) and the
// local day, ISO week and month of at, which reports group by.
func (s *Service) newBill(ctx context.Context, loc *time.Location, at time.Time) (Bill, error) {
	n, err := s.store.NextBillNumber(ctx)
	if err != nil {
		return Bill{}, err
	}
	now := s.clock.Now()
	local := at.In(loc)
	year, week := local.ISOWeek()
	return Bill{ID: ids.New(), Number: fmt.Sprintf("CC%s-%06d", now.In(loc).Format("20060102"), n),
		LocalDay: Day(local), LocalWeek: year*100 + week, LocalMonth: local.Year()*100 + int(local.Month()), CreatedAt: now, UpdatedAt: now}, nil
}
