package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/charging"
	"github.com/jmoiron/sqlx"
)

// Charging stores sites, chargers, connectors, id tags, sessions and meter
// samples.
type Charging struct{ db *DB }

var _ charging.Store = (*Charging)(nil)

// NewCharging returns the charging store.
func NewCharging(db *DB) *Charging { return &Charging{db: db} }

type siteRow struct {
	ID            string  `db:"id"`
	Code          string  `db:"code"`
	Name          string  `db:"name"`
	Timezone      string  `db:"timezone"`
	Address       string  `db:"address"`
	Lat           float64 `db:"lat"`
	Lng           float64 `db:"lng"`
	HeartbeatS    int     `db:"heartbeat_s"`
	OfflineFactor int     `db:"offline_factor"`
	CreatedAt     int64   `db:"created_at"`
	UpdatedAt     int64   `db:"updated_at"`
}

const siteCols = `id, code, name, timezone, address, lat, lng, heartbeat_s, offline_factor, created_at, updated_at`

func (r siteRow) site() charging.Site {
	return charging.Site{ID: r.ID, Code: r.Code, Name: r.Name, Timezone: r.Timezone, Address: r.Address, Lat: r.Lat, Lng: r.Lng,
		HeartbeatS: r.HeartbeatS, OfflineFactor: r.OfflineFactor, CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

// CreateSite inserts a site.
func (s *Charging) CreateSite(ctx context.Context, x charging.Site) error {
	_, err := exec(ctx, s.db, `INSERT INTO sites (`+siteCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		x.ID, x.Code, x.Name, x.Timezone, x.Address, x.Lat, x.Lng, x.HeartbeatS, x.OfflineFactor, ms(x.CreatedAt), ms(x.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert site: %w", err)
	}
	return nil
}

// UpdateSite stores a site's mutable fields.
func (s *Charging) UpdateSite(ctx context.Context, x charging.Site) error {
	err := execOne(ctx, s.db, `UPDATE sites SET code = ?, name = ?, timezone = ?, address = ?, lat = ?, lng = ?, heartbeat_s = ?, offline_factor = ?, updated_at = ? WHERE id = ?`,
		x.Code, x.Name, x.Timezone, x.Address, x.Lat, x.Lng, x.HeartbeatS, x.OfflineFactor, ms(x.UpdatedAt), x.ID)
	if err != nil {
		return fmt.Errorf("update site %s: %w", x.ID, err)
	}
	return nil
}

// Site returns a site.
func (s *Charging) Site(ctx context.Context, id string) (charging.Site, error) {
	var r siteRow
	if err := get(ctx, s.db, &r, `SELECT `+siteCols+` FROM sites WHERE id = ?`, id); err != nil {
		return charging.Site{}, fmt.Errorf("site %s: %w", id, err)
	}
	return r.site(), nil
}

// Sites returns every site by name.
func (s *Charging) Sites(ctx context.Context) ([]charging.Site, error) {
	var rows []siteRow
	if err := sel(ctx, s.db, &rows, `SELECT `+siteCols+` FROM sites ORDER BY name, id`); err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	out := make([]charging.Site, len(rows))
	for i, r := range rows {
		out[i] = r.site()
	}
	return out, nil
}

type chargerRow struct {
	ID                string  `db:"id"`
	CPID              string  `db:"cp_id"`
	SiteID            string  `db:"site_id"`
	Name              string  `db:"name"`
	Location          string  `db:"location"`
	Lat               float64 `db:"lat"`
	Lng               float64 `db:"lng"`
	Kind              string  `db:"kind"`
	MaxPowerW         int     `db:"max_power_w"`
	TariffID          string  `db:"tariff_id"`
	PasswordHash      string  `db:"password_hash"`
	Lenient           bool    `db:"lenient"`
	State             string  `db:"state"`
	Vendor            string  `db:"vendor"`
	Model             string  `db:"model"`
	Serial            string  `db:"serial"`
	Firmware          string  `db:"firmware"`
	FirmwareStatus    string  `db:"firmware_status"`
	DiagnosticsStatus string  `db:"diagnostics_status"`
	Online            bool    `db:"online"`
	LastSeenAt        int64   `db:"last_seen_at"`
	BootedAt          int64   `db:"booted_at"`
	CreatedAt         int64   `db:"created_at"`
	UpdatedAt         int64   `db:"updated_at"`
}

const chargerCols = `id, cp_id, site_id, name, location, lat, lng, kind, max_power_w, tariff_id, password_hash, lenient, state, vendor, model, serial, firmware, firmware_status, diagnostics_status, online, last_seen_at, booted_at, created_at, updated_at`

func (r chargerRow) charger() charging.Charger {
	return charging.Charger{ID: r.ID, CPID: r.CPID, SiteID: r.SiteID, Name: r.Name, Location: r.Location, Lat: r.Lat, Lng: r.Lng, Kind: r.Kind,
		MaxPowerW: r.MaxPowerW, TariffID: r.TariffID, PasswordHash: r.PasswordHash, Lenient: r.Lenient, State: r.State, Vendor: r.Vendor, Model: r.Model,
		Serial: r.Serial, Firmware: r.Firmware, FirmwareStatus: r.FirmwareStatus, DiagnosticsStatus: r.DiagnosticsStatus, Online: r.Online,
		LastSeenAt: fromMS(r.LastSeenAt), BootedAt: fromMS(r.BootedAt), CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

func chargerArgs(c charging.Charger) []any {
	return []any{c.ID, c.CPID, c.SiteID, c.Name, c.Location, c.Lat, c.Lng, c.Kind, c.MaxPowerW, c.TariffID, c.PasswordHash, c.Lenient, c.State,
		c.Vendor, c.Model, c.Serial, c.Firmware, c.FirmwareStatus, c.DiagnosticsStatus, c.Online, ms(c.LastSeenAt), ms(c.BootedAt), ms(c.CreatedAt), ms(c.UpdatedAt)}
}

// CreateCharger inserts a charger and its connectors in one transaction.
func (s *Charging) CreateCharger(ctx context.Context, c charging.Charger) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `INSERT INTO chargers (`+chargerCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, chargerArgs(c)...); err != nil {
			return fmt.Errorf("insert charger %s: %w", c.CPID, err)
		}
		for _, k := range c.Connectors {
			k.ChargerID = c.ID
			if err := upsertConnector(ctx, tx, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateCharger stores a charger's fields and its connectors' definitions
// (type and power; live status is kept).
func (s *Charging) UpdateCharger(ctx context.Context, c charging.Charger) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		args := append(chargerArgs(c)[1:], c.ID)
		err := execOne(ctx, tx, `UPDATE chargers SET cp_id = ?, site_id = ?, name = ?, location = ?, lat = ?, lng = ?, kind = ?, max_power_w = ?, tariff_id = ?,
			password_hash = ?, lenient = ?, state = ?, vendor = ?, model = ?, serial = ?, firmware = ?, firmware_status = ?, diagnostics_status = ?,
			online = ?, last_seen_at = ?, booted_at = ?, created_at = ?, updated_at = ? WHERE id = ?`, args...)
		if err != nil {
			return fmt.Errorf("update charger %s: %w", c.ID, err)
		}
		for _, k := range c.Connectors {
			if _, err := exec(ctx, tx, `UPDATE connectors SET type = ?, max_power_w = ? WHERE charger_id = ? AND connector_id = ?`, k.Type, k.MaxPowerW, c.ID, k.ConnectorID); err != nil {
				return fmt.Errorf("update connector: %w", err)
			}
		}
		return nil
	})
}

func (s *Charging) withConnectors(ctx context.Context, cs []charging.Charger) ([]charging.Charger, error) {
	if len(cs) == 0 {
		return cs, nil
	}
	idx := map[string]int{}
	args := make([]any, len(cs))
	for i, c := range cs {
		idx[c.ID] = i
		args[i] = c.ID
	}
	var rows []connectorRow
	q := `SELECT ` + connectorCols + ` FROM connectors WHERE charger_id IN (?` + strings.Repeat(",?", len(cs)-1) + `) ORDER BY charger_id, connector_id`
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("connectors: %w", err)
	}
	for _, r := range rows {
		i := idx[r.ChargerID]
		cs[i].Connectors = append(cs[i].Connectors, r.connector())
	}
	return cs, nil
}

func (s *Charging) chargerBy(ctx context.Context, col, v string) (charging.Charger, error) {
	var r chargerRow
	if err := get(ctx, s.db, &r, `SELECT `+chargerCols+` FROM chargers WHERE `+col+` = ?`, v); err != nil {
		return charging.Charger{}, fmt.Errorf("charger %s: %w", v, err)
	}
	cs, err := s.withConnectors(ctx, []charging.Charger{r.charger()})
	if err != nil {
		return charging.Charger{}, err
	}
	return cs[0], nil
}

// Charger returns a charger with its connectors.
func (s *Charging) Charger(ctx context.Context, id string) (charging.Charger, error) {
	return s.chargerBy(ctx, "id", id)
}

// ChargerByCPID returns a charger by its OCPP charge point id.
func (s *Charging) ChargerByCPID(ctx context.Context, cpID string) (charging.Charger, error) {
	return s.chargerBy(ctx, "cp_id", cpID)
}

// Chargers lists chargers with their connectors in ID order.
func (s *Charging) Chargers(ctx context.Context, f charging.ChargerFilter) ([]charging.Charger, error) {
	var where []string
	var args []any
	if f.SiteID != "" {
		where, args = append(where, "site_id = ?"), append(args, f.SiteID)
	}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, f.State)
	}
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		where = append(where, `(LOWER(name) LIKE ? ESCAPE '!' OR LOWER(cp_id) LIKE ? ESCAPE '!' OR LOWER(location) LIKE ? ESCAPE '!')`)
		args = append(args, like, like, like)
	}
	if f.Cursor != "" {
		where, args = append(where, "id > ?"), append(args, f.Cursor)
	}
	q := `SELECT ` + chargerCols + ` FROM chargers`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id LIMIT ?"
	args = append(args, f.Limit)
	var rows []chargerRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("chargers: %w", err)
	}
	cs := make([]charging.Charger, len(rows))
	for i, r := range rows {
		cs[i] = r.charger()
	}
	return s.withConnectors(ctx, cs)
}

// TouchCharger records that a charger was heard from (or went offline).
func (s *Charging) TouchCharger(ctx context.Context, id string, at time.Time, online bool) error {
	if _, err := exec(ctx, s.db, `UPDATE chargers SET last_seen_at = ?, online = ? WHERE id = ?`, ms(at), online, id); err != nil {
		return fmt.Errorf("touch charger %s: %w", id, err)
	}
	return nil
}

// StaleChargers lists online chargers silent for longer than their site's
// heartbeat interval × offline factor (300 s × 3 for chargers without a site).
func (s *Charging) StaleChargers(ctx context.Context, now time.Time) ([]charging.Charger, error) {
	var rows []chargerRow
	q := `SELECT ` + prefixed("c.", chargerCols) + ` FROM chargers c LEFT JOIN sites s ON s.id = c.site_id
		WHERE c.online = ? AND c.last_seen_at < ? - 1000 * COALESCE(s.heartbeat_s * s.offline_factor, 900)`
	if err := sel(ctx, s.db, &rows, q, true, ms(now)); err != nil {
		return nil, fmt.Errorf("stale chargers: %w", err)
	}
	out := make([]charging.Charger, len(rows))
	for i, r := range rows {
		out[i] = r.charger()
	}
	return out, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

type connectorRow struct {
	ChargerID   string `db:"charger_id"`
	ConnectorID int    `db:"connector_id"`
	Type        string `db:"type"`
	MaxPowerW   int    `db:"max_power_w"`
	Status      string `db:"status"`
	ErrorCode   string `db:"error_code"`
	VendorError string `db:"vendor_error"`
	Info        string `db:"info"`
	StatusAt    int64  `db:"status_at"`
}

const connectorCols = `charger_id, connector_id, type, max_power_w, status, error_code, vendor_error, info, status_at`

func (r connectorRow) connector() charging.Connector {
	return charging.Connector{ChargerID: r.ChargerID, ConnectorID: r.ConnectorID, Type: r.Type, MaxPowerW: r.MaxPowerW, Status: r.Status,
		ErrorCode: r.ErrorCode, VendorError: r.VendorError, Info: r.Info, StatusAt: fromMS(r.StatusAt)}
}

// UpsertConnector stores a connector's live status, creating it if new.
func (s *Charging) UpsertConnector(ctx context.Context, c charging.Connector) error {
	return upsertConnector(ctx, s.db, c)
}

func upsertConnector(ctx context.Context, q Q, c charging.Connector) error {
	res, err := exec(ctx, q, `UPDATE connectors SET status = ?, error_code = ?, vendor_error = ?, info = ?, status_at = ? WHERE charger_id = ? AND connector_id = ?`,
		c.Status, c.ErrorCode, c.VendorError, c.Info, ms(c.StatusAt), c.ChargerID, c.ConnectorID)
	if err != nil {
		return fmt.Errorf("update connector %s/%d: %w", c.ChargerID, c.ConnectorID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = exec(ctx, q, `INSERT INTO connectors (`+connectorCols+`) VALUES (?,?,?,?,?,?,?,?,?)`,
		c.ChargerID, c.ConnectorID, c.Type, c.MaxPowerW, c.Status, c.ErrorCode, c.VendorError, c.Info, ms(c.StatusAt))
	if err != nil {
		return fmt.Errorf("insert connector %s/%d: %w", c.ChargerID, c.ConnectorID, err)
	}
	return nil
}
