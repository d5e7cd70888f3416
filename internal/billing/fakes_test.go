package billing

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/events"
	"campuscharge/internal/tariff"
)

// memStore keeps tariffs and bills in memory. It implements only what the
// pricing tests use; any other Store method panics (the embedded nil
// interface), so a test that strays is obvious.
type memStore struct {
	Store
	mu      sync.Mutex
	tariffs []Tariff
	bills   []Bill
	closed  map[string]bool
	number  int64
}

func (m *memStore) Tariffs(context.Context) ([]Tariff, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Tariff(nil), m.tariffs...), nil
}

func (m *memStore) CreateTariff(_ context.Context, t Tariff) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tariffs = append(m.tariffs, t)
	return nil
}

func (m *memStore) AddTariffVersion(_ context.Context, v TariffVersion) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.tariffs {
		if m.tariffs[i].ID == v.TariffID {
			m.tariffs[i].Versions = append(m.tariffs[i].Versions, v)
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "tariff_not_found")
}

func (m *memStore) NextBillNumber(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.number++
	return m.number, nil
}

func (m *memStore) StopSessionWithBill(_ context.Context, x charging.Session, _ []charging.Sample, b Bill) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed == nil {
		m.closed = map[string]bool{}
	}
	if m.closed[x.ID] {
		return false, nil
	}
	m.closed[x.ID] = true
	m.bills = append(m.bills, b)
	return true, nil
}

// memChargers serves chargers and sites from maps; samples are none.
type memChargers struct {
	chargers map[string]charging.Charger
	sites    map[string]charging.Site
}

func (c memChargers) Charger(_ context.Context, id string) (charging.Charger, error) {
	if x, ok := c.chargers[id]; ok {
		return x, nil
	}
	return charging.Charger{}, apperr.New(apperr.NotFound, "charger_not_found")
}

func (c memChargers) Site(_ context.Context, id string) (charging.Site, error) {
	if x, ok := c.sites[id]; ok {
		return x, nil
	}
	return charging.Site{}, apperr.New(apperr.NotFound, "not_found")
}

func (c memChargers) Samples(context.Context, string) ([]charging.Sample, error) { return nil, nil }

// flat is a tariff version with one all-day period at the given energy
// price (1/10000 yuan per kWh) and no service fee, in force from `from`.
func flat(from time.Time, energyPrice int64) tariff.Version {
	return tariff.Version{EffectiveFrom: from, Periods: []tariff.Period{{Name: "flat", StartMinute: 0, EndMinute: tariff.MinutesPerDay, EnergyPrice: energyPrice}}}
}

// version wraps a spec as a stored tariff version.
func version(id, tariffID string, spec tariff.Version) TariffVersion {
	return TariffVersion{ID: id, TariffID: tariffID, Spec: spec}
}

func newTestService(st Store, ch Chargers, clk clock.Clock) *Service {
	return NewService(st, ch, nil, nil, events.NewBus(), clk, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Location: time.UTC})
}

func i64(v int64) *int64 { return &v }

// staff is an admin acting on tariffs and bills.
func staff() account.User { return account.User{ID: "U-admin", Name: "admin", Role: account.RoleAdmin} }
