package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/charging"
	"github.com/jmoiron/sqlx"
)

type idTagRow struct {
	Tag       string `db:"tag"`
	UserID    string `db:"user_id"`
	Kind      string `db:"kind"`
	Label     string `db:"label"`
	RevokedAt int64  `db:"revoked_at"`
	CreatedAt int64  `db:"created_at"`
}

func (r idTagRow) tag() charging.IDTag {
	return charging.IDTag{Tag: r.Tag, UserID: r.UserID, Kind: r.Kind, Label: r.Label, RevokedAt: fromMS(r.RevokedAt), CreatedAt: fromMS(r.CreatedAt)}
}

// CreateIDTag inserts an id tag; a taken tag is a conflict.
func (s *Charging) CreateIDTag(ctx context.Context, t charging.IDTag) error {
	_, err := exec(ctx, s.db, `INSERT INTO id_tags (tag, user_id, kind, label, revoked_at, created_at) VALUES (?,?,?,?,?,?)`,
		t.Tag, t.UserID, t.Kind, t.Label, ms(t.RevokedAt), ms(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert id tag: %w", err)
	}
	return nil
}

// IDTag returns an id tag.
func (s *Charging) IDTag(ctx context.Context, tag string) (charging.IDTag, error) {
	var r idTagRow
	if err := get(ctx, s.db, &r, `SELECT tag, user_id, kind, label, revoked_at, created_at FROM id_tags WHERE tag = ?`, tag); err != nil {
		return charging.IDTag{}, fmt.Errorf("id tag: %w", err)
	}
	return r.tag(), nil
}

// IDTagsOf lists a user's live id tags.
func (s *Charging) IDTagsOf(ctx context.Context, userID string) ([]charging.IDTag, error) {
	var rows []idTagRow
	if err := sel(ctx, s.db, &rows, `SELECT tag, user_id, kind, label, revoked_at, created_at FROM id_tags WHERE user_id = ? AND revoked_at = 0 ORDER BY created_at`, userID); err != nil {
		return nil, fmt.Errorf("id tags of %s: %w", userID, err)
	}
	out := make([]charging.IDTag, len(rows))
	for i, r := range rows {
		out[i] = r.tag()
	}
	return out, nil
}

// RevokeIDTag revokes a tag.
func (s *Charging) RevokeIDTag(ctx context.Context, tag string, at time.Time) error {
	if err := execOne(ctx, s.db, `UPDATE id_tags SET revoked_at = ? WHERE tag = ? AND revoked_at = 0`, ms(at), tag); err != nil {
		return fmt.Errorf("revoke id tag: %w", err)
	}
	return nil
}

// NextTransactionID increments the transaction counter under a row lock.
func (s *Charging) NextTransactionID(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `UPDATE counters SET value = value + 1 WHERE name = 'transaction'`); err != nil {
			return err
		}
		return get(ctx, tx, &id, `SELECT value FROM counters WHERE name = 'transaction'`)
	})
	if err != nil {
		return 0, fmt.Errorf("next transaction id: %w", err)
	}
	return id, nil
}

type sessionRow struct {
	ID            string `db:"id"`
	TransactionID int64  `db:"transaction_id"`
	ChargerID     string `db:"charger_id"`
	SiteID        string `db:"site_id"`
	ConnectorID   int    `db:"connector_id"`
	UserID        string `db:"user_id"`
	IDTag         string `db:"id_tag"`
	ReservationID int64  `db:"reservation_id"`
	Status        string `db:"status"`
	StartedAt     int64  `db:"started_at"`
	StoppedAt     int64  `db:"stopped_at"`
	MeterStart    int64  `db:"meter_start"`
	MeterStop     int64  `db:"meter_stop"`
	EnergyWh      int64  `db:"energy_wh"`
	PowerW        int    `db:"power_w"`
	SoC           int    `db:"soc"`
	LimitWh       int64  `db:"limit_wh"`
	LimitFen      int64  `db:"limit_fen"`
	LastMeterAt   int64  `db:"last_meter_at"`
	StopReason    string `db:"stop_reason"`
	AuthStatus    string `db:"auth_status"`
	Flag          string `db:"flag"`
	StartKey      string `db:"start_key"`
	CreatedAt     int64  `db:"created_at"`
	UpdatedAt     int64  `db:"updated_at"`
}

const sessionCols = `id, transaction_id, charger_id, site_id, connector_id, user_id, id_tag, reservation_id, status, started_at, stopped_at, meter_start, meter_stop, energy_wh, power_w, soc, limit_wh, limit_fen, last_meter_at, stop_reason, auth_status, flag, start_key, created_at, updated_at`

func (r sessionRow) session() charging.Session {
	return charging.Session{ID: r.ID, TransactionID: r.TransactionID, ChargerID: r.ChargerID, SiteID: r.SiteID, ConnectorID: r.ConnectorID, UserID: r.UserID,
		IDTag: r.IDTag, ReservationID: r.ReservationID, Status: r.Status, StartedAt: fromMS(r.StartedAt), StoppedAt: fromMS(r.StoppedAt),
		MeterStart: r.MeterStart, MeterStop: r.MeterStop, EnergyWh: r.EnergyWh, PowerW: r.PowerW, SoC: r.SoC, LimitWh: r.LimitWh, LimitFen: r.LimitFen, LastMeterAt: fromMS(r.LastMeterAt),
		StopReason: r.StopReason, AuthStatus: r.AuthStatus, Flag: r.Flag, StartKey: r.StartKey, CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

// CreateSession inserts a session; a repeated start key is a conflict.
func (s *Charging) CreateSession(ctx context.Context, x charging.Session) error {
	_, err := exec(ctx, s.db, `INSERT INTO sessions (`+sessionCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		x.ID, x.TransactionID, x.ChargerID, x.SiteID, x.ConnectorID, x.UserID, x.IDTag, x.ReservationID, x.Status, ms(x.StartedAt), ms(x.StoppedAt),
		x.MeterStart, x.MeterStop, x.EnergyWh, x.PowerW, x.SoC, x.LimitWh, x.LimitFen, ms(x.LastMeterAt), x.StopReason, x.AuthStatus, x.Flag, x.StartKey, ms(x.CreatedAt), ms(x.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

func (s *Charging) sessionBy(ctx context.Context, where string, args ...any) (charging.Session, error) {
	var r sessionRow
	if err := get(ctx, s.db, &r, `SELECT `+sessionCols+` FROM sessions WHERE `+where, args...); err != nil {
		return charging.Session{}, fmt.Errorf("session: %w", err)
	}
	return r.session(), nil
}

// Session returns a session.
func (s *Charging) Session(ctx context.Context, id string) (charging.Session, error) {
	return s.sessionBy(ctx, "id = ?", id)
}

// SessionByStartKey returns the session a StartTransaction created.
func (s *Charging) SessionByStartKey(ctx context.Context, key string) (charging.Session, error) {
	return s.sessionBy(ctx, "start_key = ?", key)
}

// SessionByTransaction returns a session by OCPP transaction id.
func (s *Charging) SessionByTransaction(ctx context.Context, txID int64) (charging.Session, error) {
	return s.sessionBy(ctx, "transaction_id = ?", txID)
}

// ActiveSession returns the running session on a connector.
func (s *Charging) ActiveSession(ctx context.Context, chargerID string, connectorID int) (charging.Session, error) {
	return s.sessionBy(ctx, "charger_id = ? AND connector_id = ? AND status = ? ORDER BY started_at DESC LIMIT 1", chargerID, connectorID, charging.SessionActive)
}

// Sessions lists sessions newest first.
func (s *Charging) Sessions(ctx context.Context, f charging.SessionFilter) ([]charging.Session, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"charger_id", f.ChargerID}, {"site_id", f.SiteID}, {"status", f.Status}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, "started_at >= ?"), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "started_at < ?"), append(args, ms(f.To))
	}
	if f.Cursor != "" {
		where, args = append(where, "id < ?"), append(args, f.Cursor)
	}
	q := `SELECT ` + sessionCols + ` FROM sessions`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	var rows []sessionRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	out := make([]charging.Session, len(rows))
	for i, r := range rows {
		out[i] = r.session()
	}
	return out, nil
}

// SetLimits stores a session's energy and cost limits.
func (s *Charging) SetLimits(ctx context.Context, sessionID string, limitWh, limitFen int64) error {
	if err := execOne(ctx, s.db, `UPDATE sessions SET limit_wh = ?, limit_fen = ? WHERE id = ?`, limitWh, limitFen, sessionID); err != nil {
		return fmt.Errorf("set limits of %s: %w", sessionID, err)
	}
	return nil
}

// UpdateLive stores a running session's live figures.
func (s *Charging) UpdateLive(ctx context.Context, x charging.Session) error {
	_, err := exec(ctx, s.db, `UPDATE sessions SET energy_wh = ?, power_w = ?, soc = ?, last_meter_at = ?, updated_at = ? WHERE id = ? AND status = ?`,
		x.EnergyWh, x.PowerW, x.SoC, ms(x.LastMeterAt), ms(x.UpdatedAt), x.ID, charging.SessionActive)
	if err != nil {
		return fmt.Errorf("update session %s: %w", x.ID, err)
	}
	return nil
}

// StopSession closes an active session and stores its last samples in one
// transaction. It reports false when the session was already stopped.
func (s *Charging) StopSession(ctx context.Context, x charging.Session, samples []charging.Sample) (bool, error) {
	stopped := false
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		var err error
		stopped, err = stopSession(ctx, tx, s.db.Engine, x, samples)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("stop session %s: %w", x.ID, err)
	}
	return stopped, nil
}

// stopSession closes an active session inside tx; false when it was not active.
func stopSession(ctx context.Context, tx *sqlx.Tx, engine Engine, x charging.Session, samples []charging.Sample) (bool, error) {
	res, err := exec(ctx, tx, `UPDATE sessions SET status = ?, stopped_at = ?, meter_stop = ?, energy_wh = ?, power_w = 0, soc = ?, last_meter_at = ?,
		stop_reason = ?, flag = ?, updated_at = ? WHERE id = ? AND status = ?`,
		charging.SessionStopped, ms(x.StoppedAt), x.MeterStop, x.EnergyWh, x.SoC, ms(x.LastMeterAt), x.StopReason, x.Flag, ms(x.UpdatedAt), x.ID, charging.SessionActive)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, addSamples(ctx, tx, engine, samples)
}

// AddSamples stores meter samples, ignoring ones already stored.
func (s *Charging) AddSamples(ctx context.Context, samples []charging.Sample) error {
	return s.db.Tx(ctx, func(tx *sqlx.Tx) error { return addSamples(ctx, tx, s.db.Engine, samples) })
}

func addSamples(ctx context.Context, q Q, engine Engine, samples []charging.Sample) error {
	if len(samples) == 0 {
		return nil
	}
	verb, tail := "INSERT INTO", " ON CONFLICT (session_id, at) DO NOTHING"
	switch engine {
	case MySQL:
		// Not INSERT IGNORE: that would also hide real errors.
		tail = " ON DUPLICATE KEY UPDATE at = at"
	case SQLite:
		verb, tail = "INSERT OR IGNORE INTO", ""
	}
	for _, x := range samples {
		var signed sql.NullString
		if x.SignedData != "" {
			signed = sql.NullString{String: x.SignedData, Valid: true}
		}
		if _, err := exec(ctx, q, verb+` meter_samples (session_id, at, energy_wh, power_w, current_ma, voltage_mv, soc, signed_data) VALUES (?,?,?,?,?,?,?,?)`+tail,
			x.SessionID, ms(x.At), x.EnergyWh, x.PowerW, x.CurrentMA, x.VoltageMV, x.SoC, signed); err != nil {
			return fmt.Errorf("insert sample: %w", err)
		}
	}
	return nil
}

// Samples returns a session's samples in time order.
func (s *Charging) Samples(ctx context.Context, sessionID string) ([]charging.Sample, error) {
	var rows []struct {
		SessionID  string         `db:"session_id"`
		At         int64          `db:"at"`
		EnergyWh   *int64         `db:"energy_wh"`
		PowerW     *int64         `db:"power_w"`
		CurrentMA  *int64         `db:"current_ma"`
		VoltageMV  *int64         `db:"voltage_mv"`
		SoC        *int64         `db:"soc"`
		SignedData sql.NullString `db:"signed_data"`
	}
	if err := sel(ctx, s.db, &rows, `SELECT session_id, at, energy_wh, power_w, current_ma, voltage_mv, soc, signed_data FROM meter_samples WHERE session_id = ? ORDER BY at`, sessionID); err != nil {
		return nil, fmt.Errorf("samples of %s: %w", sessionID, err)
	}
	out := make([]charging.Sample, len(rows))
	for i, r := range rows {
		out[i] = charging.Sample{SessionID: r.SessionID, At: fromMS(r.At), EnergyWh: r.EnergyWh, PowerW: r.PowerW, CurrentMA: r.CurrentMA, VoltageMV: r.VoltageMV, SoC: r.SoC, SignedData: r.SignedData.String}
	}
	return out, nil
}

// AbandonedSessions lists active sessions with no meter value or start
// since before.
func (s *Charging) AbandonedSessions(ctx context.Context, before time.Time) ([]charging.Session, error) {
	var rows []sessionRow
	q := `SELECT ` + sessionCols + ` FROM sessions WHERE status = ? AND last_meter_at < ? AND started_at < ? ORDER BY id`
	if err := sel(ctx, s.db, &rows, q, charging.SessionActive, ms(before), ms(before)); err != nil {
		return nil, fmt.Errorf("abandoned sessions: %w", err)
	}
	out := make([]charging.Session, len(rows))
	for i, r := range rows {
		out[i] = r.session()
	}
	return out, nil
}
