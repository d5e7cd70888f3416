package charging

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/ids"
)

// ConnectorTypes are the connector types a charger may have.
func ConnectorTypes() []string { return []string{"GBT_AC", "GBT_DC", "Type2", "CCS2"} }

// SiteInput is what staff set on a site.
type SiteInput struct {
	Code, Name, Timezone, Address string
	Lat, Lng                      float64
	HeartbeatS, OfflineFactor     int
}

func (in SiteInput) check() error {
	switch {
	case strings.TrimSpace(in.Name) == "" || len([]rune(in.Name)) > 100:
		return apperr.Field("body.name", "required")
	case !validCPID(in.Code) || len(in.Code) > 32:
		return apperr.Field("body.code", "bad_code")
	case in.HeartbeatS < 10 || in.HeartbeatS > 86400:
		return apperr.Field("body.heartbeat_s", "out_of_range", 10, 86400)
	case in.OfflineFactor < 2 || in.OfflineFactor > 20:
		return apperr.Field("body.offline_factor", "out_of_range", 2, 20)
	}
	if _, err := time.LoadLocation(in.Timezone); err != nil || in.Timezone == "" {
		return apperr.Field("body.timezone", "bad_timezone", in.Timezone)
	}
	return nil
}

// CreateSite creates a site.
func (s *Service) CreateSite(ctx context.Context, actor account.User, in SiteInput) (Site, error) {
	if in.Timezone == "" {
		in.Timezone = s.opt.DefaultTimezone
	}
	if in.HeartbeatS == 0 {
		in.HeartbeatS = s.opt.HeartbeatS
	}
	if in.OfflineFactor == 0 {
		in.OfflineFactor = 3
	}
	if err := in.check(); err != nil {
		return Site{}, err
	}
	now := s.clock.Now()
	x := Site{ID: ids.New(), Code: in.Code, Name: strings.TrimSpace(in.Name), Timezone: in.Timezone, Address: in.Address, Lat: in.Lat, Lng: in.Lng,
		HeartbeatS: in.HeartbeatS, OfflineFactor: in.OfflineFactor, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateSite(ctx, x); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Site{}, apperr.Wrap(err, apperr.Conflict, "code_taken", in.Code)
		}
		return Site{}, err
	}
	return x, account.Record(ctx, s.audit, actor, "site.create", "site", x.ID, x.Name, nil, x)
}

// UpdateSite changes a site.
func (s *Service) UpdateSite(ctx context.Context, actor account.User, id string, in SiteInput) (Site, error) {
	old, err := s.Site(ctx, id)
	if err != nil {
		return Site{}, err
	}
	if err := in.check(); err != nil {
		return Site{}, err
	}
	x := old
	x.Code, x.Name, x.Timezone, x.Address, x.Lat, x.Lng, x.HeartbeatS, x.OfflineFactor = in.Code, strings.TrimSpace(in.Name), in.Timezone, in.Address, in.Lat, in.Lng, in.HeartbeatS, in.OfflineFactor
	x.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateSite(ctx, x); err != nil {
		return Site{}, err
	}
	return x, account.Record(ctx, s.audit, actor, "site.update", "site", x.ID, x.Name, old, x)
}

// Site returns a site.
func (s *Service) Site(ctx context.Context, id string) (Site, error) {
	x, err := s.store.Site(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Site{}, apperr.Wrap(err, apperr.NotFound, "site_not_found")
	}
	return x, err
}

// Sites lists every site.
func (s *Service) Sites(ctx context.Context) ([]Site, error) { return s.store.Sites(ctx) }

// ChargerInput is what staff set on a charger.
type ChargerInput struct {
	CPID, SiteID, Name, Location string
	Lat, Lng                     float64
	Kind                         string
	MaxPowerW                    int
	TariffID                     string
	Lenient                      bool
	Connectors                   []Connector
	// Password, when set, is the HTTP Basic password (16+ characters);
	// empty on create means "generate one".
	Password string
}

func (s *Service) checkCharger(ctx context.Context, in ChargerInput) error {
	switch {
	case !validCPID(in.CPID):
		return apperr.Field("body.charge_point_id", "bad_code")
	case strings.TrimSpace(in.Name) == "" || len([]rune(in.Name)) > 100:
		return apperr.Field("body.name", "required")
	case len([]rune(in.Location)) > 255:
		return apperr.Field("body.location", "too_long", 255)
	case in.Kind != KindFast && in.Kind != KindSlow:
		return apperr.Field("body.kind", "bad_kind")
	case in.MaxPowerW < 1000 || in.MaxPowerW > 1_000_000:
		return apperr.Field("body.max_power_w", "out_of_range", 1000, 1000000)
	case in.Lat < -90 || in.Lat > 90 || in.Lng < -180 || in.Lng > 180:
		return apperr.Field("body.lat", "bad_coordinates")
	case len(in.Connectors) == 0 || len(in.Connectors) > 8:
		return apperr.Field("body.connectors", "out_of_range", 1, 8)
	case in.Password != "" && (len(in.Password) < 16 || len(in.Password) > 40):
		return apperr.Field("body.password", "out_of_range", 16, 40)
	}
	seen := map[int]bool{}
	for i, k := range in.Connectors {
		field := fmt.Sprintf("body.connectors[%d]", i)
		if k.ConnectorID < 1 || k.ConnectorID > 8 || seen[k.ConnectorID] {
			return apperr.Field(field+".connector_id", "bad_connector")
		}
		seen[k.ConnectorID] = true
		if !slices.Contains(ConnectorTypes(), k.Type) {
			return apperr.Field(field+".type", "bad_connector_type", strings.Join(ConnectorTypes(), ", "))
		}
		if k.MaxPowerW < 0 || k.MaxPowerW > in.MaxPowerW {
			return apperr.Field(field+".max_power_w", "out_of_range", 0, in.MaxPowerW)
		}
	}
	if in.SiteID != "" {
		if _, err := s.Site(ctx, in.SiteID); err != nil {
			return apperr.Field("body.site_id", "site_not_found")
		}
	}
	return nil
}

// CreateCharger registers a charger. It returns the HTTP Basic password,
// shown once (generated when the input has none).
func (s *Service) CreateCharger(ctx context.Context, actor account.User, in ChargerInput) (Charger, string, error) {
	if err := s.checkCharger(ctx, in); err != nil {
		return Charger{}, "", err
	}
	password := in.Password
	if password == "" {
		password = randomString(15)
	}
	now := s.clock.Now()
	c := Charger{ID: ids.New(), CPID: in.CPID, SiteID: in.SiteID, Name: strings.TrimSpace(in.Name), Location: in.Location, Lat: in.Lat, Lng: in.Lng,
		Kind: in.Kind, MaxPowerW: in.MaxPowerW, TariffID: in.TariffID, Lenient: in.Lenient, PasswordHash: hashPassword(password), State: StateActive,
		CreatedAt: now, UpdatedAt: now}
	for _, k := range in.Connectors {
		if k.MaxPowerW == 0 {
			k.MaxPowerW = in.MaxPowerW
		}
		k.Status, k.ErrorCode = "Unavailable", "NoError"
		c.Connectors = append(c.Connectors, k)
	}
	if err := s.store.CreateCharger(ctx, c); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Charger{}, "", apperr.Wrap(err, apperr.Conflict, "code_taken", in.CPID)
		}
		return Charger{}, "", err
	}
	return c, password, account.Record(ctx, s.audit, actor, "charger.create", "charger", c.ID, c.CPID, nil, chargerSummary(c))
}

func chargerSummary(c Charger) map[string]any {
	return map[string]any{"charge_point_id": c.CPID, "name": c.Name, "site_id": c.SiteID, "kind": c.Kind, "max_power_w": c.MaxPowerW, "state": c.State, "tariff_id": c.TariffID, "lenient": c.Lenient}
}

// Charger returns a charger with its connectors.
func (s *Service) Charger(ctx context.Context, id string) (Charger, error) {
	c, err := s.store.Charger(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		if c, err = s.store.ChargerByCPID(ctx, id); err == nil {
			return c, nil
		}
		return Charger{}, apperr.Wrap(err, apperr.NotFound, "charger_not_found")
	}
	return c, err
}

// Chargers lists chargers; the next cursor is "" at the end.
func (s *Service) Chargers(ctx context.Context, f ChargerFilter) ([]Charger, string, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	want := f.Limit
	f.Limit++
	cs, err := s.store.Chargers(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cs) > want {
		cs, next = cs[:want], cs[want-1].ID
	}
	return cs, next, nil
}

// UpdateCharger edits a charger; a non-empty Password replaces the old one.
func (s *Service) UpdateCharger(ctx context.Context, actor account.User, id string, in ChargerInput) (Charger, error) {
	old, err := s.Charger(ctx, id)
	if err != nil {
		return Charger{}, err
	}
	if err := s.checkCharger(ctx, in); err != nil {
		return Charger{}, err
	}
	c := old
	c.CPID, c.SiteID, c.Name, c.Location, c.Lat, c.Lng, c.Kind, c.MaxPowerW, c.TariffID, c.Lenient = in.CPID, in.SiteID, strings.TrimSpace(in.Name), in.Location, in.Lat, in.Lng, in.Kind, in.MaxPowerW, in.TariffID, in.Lenient
	if in.Password != "" {
		c.PasswordHash = hashPassword(in.Password)
	}
	c.Connectors = in.Connectors
	c.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateCharger(ctx, c); err != nil {
		return Charger{}, err
	}
	for _, k := range in.Connectors {
		if !slices.ContainsFunc(old.Connectors, func(o Connector) bool { return o.ConnectorID == k.ConnectorID }) {
			k.ChargerID, k.Status, k.ErrorCode = c.ID, "Unavailable", "NoError"
			if err := s.store.UpsertConnector(ctx, k); err != nil {
				return Charger{}, err
			}
		}
	}
	c, err = s.store.Charger(ctx, c.ID)
	if err != nil {
		return Charger{}, err
	}
	return c, account.Record(ctx, s.audit, actor, "charger.update", "charger", c.ID, c.CPID, chargerSummary(old), chargerSummary(c))
}

// SetState approves (active), disables or re-enables a charger. A charger
// leaving Pending without a password (an unknown charger that connected
// without one) gets a generated password, returned once (else "").
func (s *Service) SetState(ctx context.Context, actor account.User, id, state string) (Charger, string, error) {
	if state != StateActive && state != StateDisabled {
		return Charger{}, "", apperr.Field("body.state", "invalid_input")
	}
	c, err := s.Charger(ctx, id)
	if err != nil {
		return Charger{}, "", err
	}
	before := chargerSummary(c)
	password := ""
	if c.PasswordHash == "" {
		password = randomString(15)
		c.PasswordHash = hashPassword(password)
	}
	c.State, c.UpdatedAt = state, s.clock.Now()
	if err := s.store.UpdateCharger(ctx, c); err != nil {
		return Charger{}, "", fmt.Errorf("set charger %s %s: %w", c.CPID, state, err)
	}
	if password != "" {
		if err := account.Record(ctx, s.audit, actor, "charger.password", "charger", c.ID, c.CPID, nil, map[string]any{"generated_on": state}); err != nil {
			return Charger{}, "", err
		}
	}
	return c, password, account.Record(ctx, s.audit, actor, "charger.state", "charger", c.ID, c.CPID, before, chargerSummary(c))
}

// ResetPassword gives a charger a new generated password, returned once.
func (s *Service) ResetPassword(ctx context.Context, actor account.User, id string) (string, error) {
	c, err := s.Charger(ctx, id)
	if err != nil {
		return "", err
	}
	password := randomString(15)
	c.PasswordHash, c.UpdatedAt = hashPassword(password), s.clock.Now()
	if err := s.store.UpdateCharger(ctx, c); err != nil {
		return "", err
	}
	return password, account.Record(ctx, s.audit, actor, "charger.password", "charger", c.ID, c.CPID, nil, nil)
}

// AppTag returns the driver's app id tag, creating it on first use.
func (s *Service) AppTag(ctx context.Context, userID string) (string, error) {
	tags, err := s.store.IDTagsOf(ctx, userID)
	if err != nil {
		return "", err
	}
	for _, t := range tags {
		if t.Kind == "app" {
			return t.Tag, nil
		}
	}
	t := IDTag{Tag: "A" + randomString(12)[:19], UserID: userID, Kind: "app", Label: "app", CreatedAt: s.clock.Now()}
	if err := s.store.CreateIDTag(ctx, t); err != nil {
		return "", fmt.Errorf("create app tag: %w", err)
	}
	return t.Tag, nil
}

// AddCard links an RFID card number to a driver.
func (s *Service) AddCard(ctx context.Context, userID, number, label string) (IDTag, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	if len(number) < 4 || len(number) > 20 || !validCPID(number) {
		return IDTag{}, apperr.Field("body.number", "bad_card")
	}
	t := IDTag{Tag: number, UserID: userID, Kind: "rfid", Label: truncate(label, 100), CreatedAt: s.clock.Now()}
	if err := s.store.CreateIDTag(ctx, t); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return IDTag{}, apperr.Wrap(err, apperr.Conflict, "card_taken")
		}
		return IDTag{}, err
	}
	return t, nil
}

// Cards lists a driver's id tags.
func (s *Service) Cards(ctx context.Context, userID string) ([]IDTag, error) {
	return s.store.IDTagsOf(ctx, userID)
}

// RemoveCard revokes one of a driver's RFID cards.
func (s *Service) RemoveCard(ctx context.Context, userID, number string) error {
	number = strings.ToUpper(strings.TrimSpace(number))
	t, err := s.store.IDTag(ctx, number)
	if err != nil || t.UserID != userID || t.Kind != "rfid" {
		return apperr.New(apperr.NotFound, "not_found")
	}
	return s.store.RevokeIDTag(ctx, number, s.clock.Now())
}
