package billing

import (
	"context"
	"errors"
	"strings"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
	"campuscharge/internal/tariff"
)

// EnsureDefaultTariff creates the default tariff (tariff.Default) when none exists.
func (s *Service) EnsureDefaultTariff(ctx context.Context) error {
	ts, err := s.store.Tariffs(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.Default {
			return nil
		}
	}
	_, err = s.CreateTariff(ctx, account.User{ID: "system", Name: "system"}, defaultTariffName, "", true, tariff.Default())
	return err
}

// Tariffs lists every tariff with its versions, oldest version first.
func (s *Service) Tariffs(ctx context.Context) ([]Tariff, error) { return s.store.Tariffs(ctx) }

// Tariff returns one tariff.
func (s *Service) Tariff(ctx context.Context, id string) (Tariff, error) {
	ts, err := s.store.Tariffs(ctx)
	if err != nil {
		return Tariff{}, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return Tariff{}, apperr.New(apperr.NotFound, "tariff_not_found")
}

func checkSpec(v tariff.Version) error {
	if err := v.Validate(); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, tariff.ErrInvalidTariff.Error()+": ")
		return &apperr.Error{Code: apperr.Invalid, Key: "invalid_input", Fields: []apperr.FieldError{{Field: "body.periods", Key: "bad_tariff", Args: []any{msg}}}, Err: err}
	}
	return nil
}

// CreateTariff creates a tariff with its first version. siteID makes it the
// site's tariff; isDefault makes it the fallback for every charger.
func (s *Service) CreateTariff(ctx context.Context, actor account.User, name, siteID string, isDefault bool, spec tariff.Version) (Tariff, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return Tariff{}, apperr.Field("body.name", "required")
	}
	if err := checkSpec(spec); err != nil {
		return Tariff{}, err
	}
	if siteID != "" {
		if _, err := s.chargers.Site(ctx, siteID); err != nil {
			return Tariff{}, apperr.Field("body.site_id", "site_not_found")
		}
	}
	now := s.clock.Now()
	t := Tariff{ID: ids.New(), Name: name, SiteID: siteID, Default: isDefault, CreatedAt: now}
	if err := s.store.CreateTariff(ctx, t); err != nil {
		return Tariff{}, err
	}
	v := TariffVersion{ID: ids.New(), TariffID: t.ID, Spec: spec, CreatedBy: actor.Label(), CreatedAt: now}
	if err := s.store.AddTariffVersion(ctx, v); err != nil {
		return Tariff{}, err
	}
	t.Versions = []TariffVersion{v}
	s.publishTariff(t, v)
	return t, account.Record(ctx, s.audit, actor, "tariff.create", "tariff", t.ID, t.Name, nil, spec)
}

// AddVersion adds a version taking effect at spec.EffectiveFrom, which must
// not be in the past: a price change never rewrites past bills.
func (s *Service) AddVersion(ctx context.Context, actor account.User, tariffID string, spec tariff.Version) (Tariff, error) {
	t, err := s.Tariff(ctx, tariffID)
	if err != nil {
		return Tariff{}, err
	}
	now := s.clock.Now()
	if spec.EffectiveFrom.IsZero() {
		spec.EffectiveFrom = now
	}
	// Session and reservation times are stored to the millisecond: so is
	// the version's start, or a session begun in its first millisecond
	// would be priced by the version before.
	spec.EffectiveFrom = spec.EffectiveFrom.Truncate(time.Millisecond)
	if spec.EffectiveFrom.Before(now.Add(-time.Minute)) {
		return Tariff{}, apperr.Field("body.effective_from", "effective_in_past")
	}
	if err := checkSpec(spec); err != nil {
		return Tariff{}, err
	}
	var before any
	if cur, ok := current(t, now); ok {
		before = cur.Spec
	}
	v := TariffVersion{ID: ids.New(), TariffID: t.ID, Spec: spec, CreatedBy: actor.Label(), CreatedAt: now}
	if err := s.store.AddTariffVersion(ctx, v); err != nil {
		return Tariff{}, err
	}
	t.Versions = append(t.Versions, v)
	s.publishTariff(t, v)
	return t, account.Record(ctx, s.audit, actor, "tariff.version", "tariff", t.ID, t.Name, before, spec)
}

// EventTariffUpdated is published when a tariff version is saved, so that
// apps showing prices refresh them. Its SiteID is the tariff's site, if
// any; Data is a TariffUpdate.
const EventTariffUpdated = "tariff.updated"

// TariffUpdate is the data of an EventTariffUpdated event.
type TariffUpdate struct {
	TariffID  string `json:"tariff_id"`
	VersionID string `json:"version_id"`
	// SiteID is the site the tariff applies to by default ("" = none).
	SiteID string `json:"site_id"`
	// Default tells whether the tariff is the fallback for every charger.
	Default       bool      `json:"default"`
	EffectiveFrom time.Time `json:"effective_from"`
}

func (s *Service) publishTariff(t Tariff, v TariffVersion) {
	s.bus.Publish(events.Event{Type: EventTariffUpdated, At: s.clock.Now(), SiteID: t.SiteID,
		Data: TariffUpdate{TariffID: t.ID, VersionID: v.ID, SiteID: t.SiteID, Default: t.Default, EffectiveFrom: v.Spec.EffectiveFrom}})
}

// current is the version of t in force at at.
func current(t Tariff, at time.Time) (TariffVersion, bool) {
	specs := make([]tariff.Version, len(t.Versions))
	for i, v := range t.Versions {
		specs[i] = v.Spec
	}
	sel, ok := tariff.Select(specs, at)
	if !ok {
		return TariffVersion{}, false
	}
	for i := len(t.Versions) - 1; i >= 0; i-- {
		if t.Versions[i].Spec.EffectiveFrom.Equal(sel.EffectiveFrom) {
			return t.Versions[i], true
		}
	}
	return TariffVersion{}, false
}

// TariffFor returns the tariff of a charger and its version in force at at:
// the charger's own tariff, else its site's, else the default.
func (s *Service) TariffFor(ctx context.Context, c charging.Charger, at time.Time) (Tariff, TariffVersion, error) {
	ts, err := s.store.Tariffs(ctx)
	if err != nil {
		return Tariff{}, TariffVersion{}, err
	}
	return pick(ts, c, at)
}

// Pricer picks chargers' tariffs from one read of the tariff table.
type Pricer struct {
	tariffs []Tariff
	svc     *Service
}

// Pricer reads the tariffs once, for pricing many chargers.
func (s *Service) Pricer(ctx context.Context) (*Pricer, error) {
	ts, err := s.store.Tariffs(ctx)
	if err != nil {
		return nil, err
	}
	return &Pricer{tariffs: ts, svc: s}, nil
}

// Now returns the period in force for a charger at at, when it ends, and
// today's timeline in the charger's site time zone.
func (p *Pricer) Now(ctx context.Context, c charging.Charger, at time.Time) (tariff.Period, time.Time, []tariff.Segment, error) {
	_, v, err := pick(p.tariffs, c, at)
	if err != nil {
		return tariff.Period{}, time.Time{}, nil, err
	}
	loc := p.svc.location(ctx, c.SiteID)
	period, ends := tariff.CurrentPeriod(v.Spec, loc, at)
	return period, ends, tariff.DayTimeline(v.Spec, loc, at), nil
}

func pick(ts []Tariff, c charging.Charger, at time.Time) (Tariff, TariffVersion, error) {
	var bySite, byDefault *Tariff
	for i := range ts {
		t := &ts[i]
		switch {
		case c.TariffID != "" && t.ID == c.TariffID:
			if v, ok := current(*t, at); ok {
				return *t, v, nil
			}
		case c.SiteID != "" && t.SiteID == c.SiteID && bySite == nil:
			bySite = t
		case t.Default && byDefault == nil:
			byDefault = t
		}
	}
	for _, t := range []*Tariff{bySite, byDefault} {
		if t != nil {
			if v, ok := current(*t, at); ok {
				return *t, v, nil
			}
		}
	}
	return Tariff{}, TariffVersion{}, apperr.Wrap(errors.New("no tariff in force"), apperr.Internal, "internal")
}
