package maintenance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

// fakeCharging stands in for the charging service: chargers, running
// sessions, and a record of the commands sent.
type fakeCharging struct {
	mu       sync.Mutex
	chargers map[string]charging.Charger
	sessions []charging.Session
	offline  map[string]bool
	// answer is the ChangeAvailability status the chargers give.
	answer ocpp.AvailabilityStatus
	sent   []string
}

func (f *fakeCharging) Charger(_ context.Context, id string) (charging.Charger, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.chargers {
		if c.ID == id || c.CPID == id {
			return c, nil
		}
	}
	return charging.Charger{}, apperr.New(apperr.NotFound, "charger_not_found")
}

func (f *fakeCharging) Sessions(_ context.Context, flt charging.SessionFilter) ([]charging.Session, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []charging.Session
	for _, x := range f.sessions {
		if (flt.ChargerID == "" || x.ChargerID == flt.ChargerID) && (flt.Status == "" || x.Status == flt.Status) {
			out = append(out, x)
		}
	}
	return out, "", nil
}

func (f *fakeCharging) Send(_ context.Context, c charging.Charger, action string, req any) (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.offline[c.ID] {
		return nil, apperr.New(apperr.Unavailable, "charger_offline", c.CPID)
	}
	r, ok := req.(*ocpp.ChangeAvailabilityRequest)
	if !ok || action != "ChangeAvailability" {
		return nil, fmt.Errorf("unexpected command %s %T", action, req)
	}
	f.sent = append(f.sent, fmt.Sprintf("%s %s %d %s", c.CPID, action, r.ConnectorID, r.Type))
	answer := f.answer
	if answer == "" {
		answer = ocpp.AvailabilityStatusAccepted
	}
	return json.Marshal(ocpp.ChangeAvailabilityResponse{Status: answer})
}

func (f *fakeCharging) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.sent...)
}

func (f *fakeCharging) setSessions(xs ...charging.Session) {
	f.mu.Lock()
	f.sessions = xs
	f.mu.Unlock()
}

func (f *fakeCharging) setOffline(id string, off bool) {
	f.mu.Lock()
	f.offline[id] = off
	f.mu.Unlock()
}

type fakeUsers map[string]account.User

func (u fakeUsers) User(_ context.Context, id string) (account.User, error) {
	if x, ok := u[id]; ok {
		return x, nil
	}
	return account.User{}, apperr.New(apperr.NotFound, "user_not_found")
}

// fixture is a maintenance service on a fresh SQLite database, a fake
// clock and a fake charging service with two chargers.
type fixture struct {
	svc   *maintenance.Service
	ch    *fakeCharging
	clock *clock.Fake
	bus   *events.Bus
	store *store.Maintenance
	// published collects what the service publishes.
	published <-chan events.Event
	admin     account.User
	fixer     account.User
	driver    account.User
}

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testutil.NewDB(t, testutil.Engine{Name: "sqlite"})
	f := &fixture{clock: clock.NewFake(t0), bus: events.NewBus(), store: store.NewMaintenance(db),
		admin:  account.User{ID: "01USERADMIN000000000000000", Name: "admin", Role: account.RoleAdmin},
		fixer:  account.User{ID: "01USERFIXER000000000000000", Name: "fixer", Role: account.RoleMaintainer},
		driver: account.User{ID: "01USERDRIVER00000000000000", Phone: "13900001111", Role: account.RoleDriver},
	}
	f.ch = &fakeCharging{offline: map[string]bool{}, chargers: map[string]charging.Charger{
		"C1": {ID: "C1", CPID: "CP-1", SiteID: "S1", MaxPowerW: 7000, Connectors: []charging.Connector{{ConnectorID: 1, MaxPowerW: 7000}}},
		"C2": {ID: "C2", CPID: "CP-2", SiteID: "S1", MaxPowerW: 60000, Connectors: []charging.Connector{{ConnectorID: 1}, {ConnectorID: 2, MaxPowerW: 30000}}},
	}}
	users := fakeUsers{f.admin.ID: f.admin, f.fixer.ID: f.fixer, f.driver.ID: f.driver}
	f.svc = maintenance.NewService(f.store, f.ch, users, nil, f.bus, f.clock, nil, maintenance.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	f.published = f.bus.Subscribe(ctx, 256, func(e events.Event) bool {
		return e.Type == maintenance.EventAlarmRaised || e.Type == maintenance.EventAlarmUpdated || e.Type == maintenance.EventTaskUpdated
	})
	return f
}

// handle feeds one event to the service.
func (f *fixture) handle(t *testing.T, e events.Event) {
	t.Helper()
	if e.At.IsZero() {
		e.At = f.clock.Now()
	}
	if err := f.svc.HandleEvent(context.Background(), e); err != nil {
		t.Fatalf("handle %s: %v", e.Type, err)
	}
}

func (f *fixture) tick(t *testing.T) {
	t.Helper()
	if err := f.svc.Tick(context.Background()); err != nil {
		t.Fatalf("tick: %v", err)
	}
}

// drain returns the types of the events published so far.
func (f *fixture) drain() []string {
	var out []string
	for {
		select {
		case e := <-f.published:
			out = append(out, e.Type)
		default:
			return out
		}
	}
}

func (f *fixture) alarms(t *testing.T) []maintenance.Alarm {
	t.Helper()
	as, _, err := f.svc.Alarms(context.Background(), maintenance.AlarmFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func statusEvent(charger string, connector int, status, code string) events.Event {
	return events.Event{Type: events.ChargerStatus, ChargerID: charger, SiteID: "S1", Data: map[string]any{
		"connector_id": connector, "status": status, "error_code": code, "vendor_error": "", "info": ""}}
}

func sessionEvent(typ string, x charging.Session) events.Event {
	return events.Event{Type: typ, ChargerID: x.ChargerID, SiteID: x.SiteID, SessionID: x.ID, Data: x}
}

func errorsAs(err error, target **apperr.Error) bool { return errors.As(err, target) }
