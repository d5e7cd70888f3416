package scheduling_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/scheduling"
	"campuscharge/internal/store"
	"campuscharge/internal/tariff"
	"campuscharge/internal/testutil"
)

// fakeCharging is an in-memory charging service: chargers, sessions, and
// chargers that answer commands as told and record them.
type fakeCharging struct {
	mu       sync.Mutex
	site     charging.Site
	chargers map[string]charging.Charger
	sessions map[string]charging.Session
	nextTx   int64
	// reserve is the ReserveNow answer ("" = Accepted).
	reserve string
	sent    []sent
	// limits are the TxProfile limits in force, by session id, in W.
	limits map[string]int64
	// profile is the SetChargingProfile answer by charger id ("" =
	// Accepted, "error" = no answer).
	profile map[string]string
}

type sent struct {
	charger string
	action  string
	req     any
}

func newFake() *fakeCharging {
	return &fakeCharging{site: charging.Site{ID: "S1", Name: "Site", Timezone: "Asia/Shanghai"}, chargers: map[string]charging.Charger{},
		sessions: map[string]charging.Session{}, limits: map[string]int64{}, profile: map[string]string{}}
}

func (f *fakeCharging) addCharger(id, kind string, powerW int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chargers[id] = charging.Charger{ID: id, CPID: id, SiteID: f.site.ID, Kind: kind, MaxPowerW: powerW, State: charging.StateActive, Online: true,
		Connectors: []charging.Connector{{ChargerID: id, ConnectorID: 1, MaxPowerW: powerW, Status: "Available"}}}
}

func (f *fakeCharging) setStatus(id, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.chargers[id]
	c.Connectors[0].Status = status
	f.chargers[id] = c
}

func (f *fakeCharging) setOnline(id string, online bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.chargers[id]
	c.Online = online
	f.chargers[id] = c
}

func (f *fakeCharging) Site(_ context.Context, id string) (charging.Site, error) {
	if id != f.site.ID {
		return charging.Site{}, apperr.New(apperr.NotFound, "site_not_found")
	}
	return f.site, nil
}
func (f *fakeCharging) Sites(context.Context) ([]charging.Site, error) {
	return []charging.Site{f.site}, nil
}
func (f *fakeCharging) Charger(_ context.Context, id string) (charging.Charger, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.chargers[id]
	if !ok {
		return c, apperr.New(apperr.NotFound, "charger_not_found")
	}
	return c, nil
}
func (f *fakeCharging) Chargers(_ context.Context, flt charging.ChargerFilter) ([]charging.Charger, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []charging.Charger
	for _, c := range f.chargers {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, "", nil
}
func (f *fakeCharging) Sessions(_ context.Context, flt charging.SessionFilter) ([]charging.Session, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []charging.Session
	for _, x := range f.sessions {
		if flt.Status == "" || x.Status == flt.Status {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, "", nil
}
func (f *fakeCharging) Session(_ context.Context, id string) (charging.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	x, ok := f.sessions[id]
	if !ok {
		return x, apperr.New(apperr.NotFound, "session_not_found")
	}
	return x, nil
}
func (f *fakeCharging) AppTag(_ context.Context, userID string) (string, error) {
	return "TAG-" + userID, nil
}

func (f *fakeCharging) Send(_ context.Context, c charging.Charger, action string, req any) (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sent{charger: c.ID, action: action, req: req})
	if !f.chargers[c.ID].Online {
		return nil, apperr.New(apperr.Unavailable, "charger_offline", c.ID)
	}
	status := "Accepted"
	switch r := req.(type) {
	case *ocpp.ReserveNowRequest:
		if f.reserve != "" {
			status = f.reserve
		}
	case *ocpp.SetChargingProfileRequest:
		switch f.profile[c.ID] {
		case "":
		case "error":
			return nil, apperr.New(apperr.Unavailable, "charger_timeout", c.ID)
		default:
			return json.RawMessage(fmt.Sprintf(`{"status":%q}`, f.profile[c.ID])), nil
		}
		for id, x := range f.sessions {
			if x.Status == charging.SessionActive && int(x.TransactionID) == *r.CsChargingProfiles.TransactionID {
				f.limits[id] = int64(r.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod[0].Limit)
			}
		}
	}
	return json.RawMessage(fmt.Sprintf(`{"status":%q}`, status)), nil
}

// actions returns the actions sent, in order, and forgets them.
func (f *fakeCharging) take() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.sent
	f.sent = nil
	return out
}

func (f *fakeCharging) start(t *testing.T, chargerID, userID string, at time.Time) charging.Session {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextTx++
	x := charging.Session{ID: fmt.Sprintf("X%03d", f.nextTx), TransactionID: f.nextTx, ChargerID: chargerID, SiteID: f.site.ID, ConnectorID: 1, UserID: userID,
		Status: charging.SessionActive, StartedAt: at, SoC: -1}
	f.sessions[x.ID] = x
	c := f.chargers[chargerID]
	c.Connectors[0].Status = "Charging"
	f.chargers[chargerID] = c
	return x
}

func (f *fakeCharging) deliver(id string, wh int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	x := f.sessions[id]
	x.EnergyWh = wh
	f.sessions[id] = x
}

func (f *fakeCharging) stop(id, reason string, at time.Time) charging.Session {
	f.mu.Lock()
	defer f.mu.Unlock()
	x := f.sessions[id]
	x.Status, x.StopReason, x.StoppedAt = charging.SessionStopped, reason, at
	f.sessions[id] = x
	delete(f.limits, id)
	c := f.chargers[x.ChargerID]
	if c.Connectors[0].Status == "Charging" {
		c.Connectors[0].Status = "Available"
	}
	f.chargers[x.ChargerID] = c
	return x
}

// fees is a tariff with a reservation fee of 100 fen and a no-show fee of
// 500; charged records the fees billed.
type fees struct{ charged *feeLog }

// feeLog records the reservation fees billed.
type feeLog struct {
	mu   sync.Mutex
	fees []billing.ReservationFee
}

func (f fees) ChargeReservationFee(_ context.Context, x billing.ReservationFee) (billing.Bill, error) {
	if f.charged != nil {
		f.charged.mu.Lock()
		defer f.charged.mu.Unlock()
		f.charged.fees = append(f.charged.fees, x)
	}
	return billing.Bill{ReservationID: x.ReservationID, TotalFen: x.ReservationFen + x.NoShowFen}, nil
}

func (l *feeLog) take() []billing.ReservationFee {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.fees
	l.fees = nil
	return out
}

func (fees) TariffFor(context.Context, charging.Charger, time.Time) (billing.Tariff, billing.TariffVersion, error) {
	v := tariff.Default()
	v.ReservationFeeFen, v.NoShowFeeFen = 100, 500
	return billing.Tariff{ID: "T"}, billing.TariffVersion{ID: "V", Spec: v}, nil
}

// harness is a scheduling service on a fake clock, fake chargers and a real
// store.
type harness struct {
	t     *testing.T
	ctx   context.Context
	clock *clock.Fake
	fake  *fakeCharging
	db    *store.DB
	bus   *events.Bus
	svc   *scheduling.Service
	fees  *feeLog
}

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, db *store.DB) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), clock: clock.NewFake(t0), fake: newFake(), db: db, bus: events.NewBus(), fees: &feeLog{}}
	h.svc = h.newService()
	return h
}

// newService builds a service on the same store, as after a restart.
func (h *harness) newService() *scheduling.Service {
	return scheduling.NewService(store.NewScheduling(h.db), h.fake, fees{charged: h.fees}, h.bus, h.clock, slog.New(slog.NewTextHandler(io.Discard, nil)), scheduling.Options{})
}

func sqliteDB(t *testing.T) *store.DB {
	t.Helper()
	return testutil.NewDB(t, testutil.Engines(t)[0])
}

func (h *harness) settings(edit func(*scheduling.Settings)) {
	h.t.Helper()
	set := scheduling.DefaultSettings("S1")
	if edit != nil {
		edit(&set)
	}
	if _, err := h.svc.SetSettings(h.ctx, set); err != nil {
		h.t.Fatalf("settings: %v", err)
	}
}

func (h *harness) event(typ string, x charging.Session) {
	h.t.Helper()
	if err := h.svc.HandleEvent(h.ctx, events.Event{Type: typ, SiteID: x.SiteID, ChargerID: x.ChargerID, SessionID: x.ID, UserID: x.UserID, Data: x}); err != nil {
		h.t.Fatalf("%s: %v", typ, err)
	}
}

func (h *harness) poke() {
	h.t.Helper()
	if err := h.svc.HandleEvent(h.ctx, events.Event{Type: events.ChargerStatus, SiteID: "S1"}); err != nil {
		h.t.Fatalf("charger status: %v", err)
	}
}

func (h *harness) ticket(userID string) scheduling.TicketView {
	h.t.Helper()
	ts, err := h.svc.Tickets(h.ctx, userID)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(ts) != 1 {
		h.t.Fatalf("got %d tickets for %s, want 1", len(ts), userID)
	}
	return ts[0]
}

func (h *harness) join(userID, mode string, wh int64) scheduling.TicketView {
	h.t.Helper()
	v, err := h.svc.Join(h.ctx, userID, "S1", modeOf(mode), wh)
	if err != nil {
		h.t.Fatalf("join %s: %v", userID, err)
	}
	return v
}

func actionsOf(ss []sent) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.action+" "+s.charger)
	}
	return out
}

type storeDB = store.DB

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }
