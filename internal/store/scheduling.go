package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/dispatch"
	"campuscharge/internal/scheduling"
	"github.com/jmoiron/sqlx"
)

// Scheduling stores sites' scheduling settings and dispatch documents, and
// reservations.
type Scheduling struct{ db *DB }

var _ scheduling.Store = (*Scheduling)(nil)

// NewScheduling returns the scheduling store.
func NewScheduling(db *DB) *Scheduling { return &Scheduling{db: db} }

type schedSiteRow struct {
	SiteID             string `db:"site_id"`
	WaitingCapacity    int    `db:"waiting_capacity"`
	QueueLength        int    `db:"queue_length"`
	Strategy           string `db:"strategy"`
	BatchMode          string `db:"batch_mode"`
	HoldWindowS        int64  `db:"hold_window_s"`
	NoShowGraceS       int64  `db:"no_show_grace_s"`
	MaxNoShowsPerMonth int    `db:"max_no_shows_per_month"`
	PowerLimitW        int64  `db:"power_limit_w"`
	LoadPolicy         string `db:"load_policy"`
	State              string `db:"state"`
	UpdatedAt          int64  `db:"updated_at"`
}

// SchedulingSite returns a site's settings and dispatch document.
func (s *Scheduling) SchedulingSite(ctx context.Context, siteID string) (scheduling.Settings, []byte, error) {
	var r schedSiteRow
	if err := get(ctx, s.db, &r, `SELECT site_id, waiting_capacity, queue_length, strategy, batch_mode, hold_window_s, no_show_grace_s, max_no_shows_per_month,
		power_limit_w, load_policy, state, updated_at FROM scheduling_sites WHERE site_id = ?`, siteID); err != nil {
		return scheduling.Settings{}, nil, fmt.Errorf("scheduling of site %s: %w", siteID, err)
	}
	set := scheduling.Settings{SiteID: r.SiteID, WaitingCapacity: r.WaitingCapacity, QueueLength: r.QueueLength, Strategy: dispatch.Strategy(r.Strategy),
		BatchMode: dispatch.BatchMode(r.BatchMode), HoldWindow: time.Duration(r.HoldWindowS) * time.Second, NoShowGrace: time.Duration(r.NoShowGraceS) * time.Second,
		MaxNoShowsPerMonth: r.MaxNoShowsPerMonth, PowerLimitW: r.PowerLimitW, LoadPolicy: dispatch.LoadPolicy(r.LoadPolicy), UpdatedAt: fromMS(r.UpdatedAt)}
	return set, []byte(r.State), nil
}

// SaveSchedulingSite inserts or updates a site's settings and document.
func (s *Scheduling) SaveSchedulingSite(ctx context.Context, x scheduling.Settings, doc []byte) error {
	args := []any{x.WaitingCapacity, x.QueueLength, string(x.Strategy), string(x.BatchMode), int64(x.HoldWindow / time.Second), int64(x.NoShowGrace / time.Second),
		x.MaxNoShowsPerMonth, x.PowerLimitW, string(x.LoadPolicy), string(doc), ms(x.UpdatedAt)}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		res, err := exec(ctx, tx, `UPDATE scheduling_sites SET waiting_capacity = ?, queue_length = ?, strategy = ?, batch_mode = ?, hold_window_s = ?, no_show_grace_s = ?,
			max_no_shows_per_month = ?, power_limit_w = ?, load_policy = ?, state = ?, updated_at = ? WHERE site_id = ?`, append(args, x.SiteID)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		_, err = exec(ctx, tx, `INSERT INTO scheduling_sites (waiting_capacity, queue_length, strategy, batch_mode, hold_window_s, no_show_grace_s,
			max_no_shows_per_month, power_limit_w, load_policy, state, updated_at, site_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, append(args, x.SiteID)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("save scheduling of site %s: %w", x.SiteID, err)
	}
	return nil
}

// NextReservationID allocates an OCPP reservationId.
func (s *Scheduling) NextReservationID(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, `UPDATE counters SET value = value + 1 WHERE name = 'reservation'`); err != nil {
			return err
		}
		return get(ctx, tx, &n, `SELECT value FROM counters WHERE name = 'reservation'`)
	})
	if err != nil {
		return 0, fmt.Errorf("next reservation id: %w", err)
	}
	return n, nil
}

type reservationRow struct {
	ID          string `db:"id"`
	OCPPID      int64  `db:"ocpp_id"`
	UserID      string `db:"user_id"`
	SiteID      string `db:"site_id"`
	ChargerID   string `db:"charger_id"`
	ConnectorID int    `db:"connector_id"`
	Kind        string `db:"kind"`
	TicketID    string `db:"ticket_id"`
	Status      string `db:"status"`
	AtCharger   bool   `db:"at_charger"`
	ReservedAt  int64  `db:"reserved_at"`
	ExpiresAt   int64  `db:"expires_at"`
	NoShowAt    int64  `db:"no_show_at"`
	EndedAt     int64  `db:"ended_at"`
	SessionID   string `db:"session_id"`
	FeeFen      int64  `db:"fee_fen"`
	QueuedAt    int64  `db:"queued_at"`
	CreatedAt   int64  `db:"created_at"`
	UpdatedAt   int64  `db:"updated_at"`
}

const reservationCols = `id, ocpp_id, user_id, site_id, charger_id, connector_id, kind, ticket_id, status, at_charger, reserved_at, expires_at, no_show_at, ended_at, session_id, fee_fen, queued_at, created_at, updated_at`

func (r reservationRow) reservation() scheduling.Reservation {
	return scheduling.Reservation{ID: r.ID, OCPPID: r.OCPPID, UserID: r.UserID, SiteID: r.SiteID, ChargerID: r.ChargerID, ConnectorID: r.ConnectorID, Kind: r.Kind,
		TicketID: r.TicketID, Status: r.Status, AtCharger: r.AtCharger, ReservedAt: fromMS(r.ReservedAt), ExpiresAt: fromMS(r.ExpiresAt), NoShowAt: fromMS(r.NoShowAt),
		EndedAt: fromMS(r.EndedAt), SessionID: r.SessionID, FeeFen: r.FeeFen, QueuedAt: fromMS(r.QueuedAt), CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

// CreateReservation inserts a reservation.
func (s *Scheduling) CreateReservation(ctx context.Context, x scheduling.Reservation) error {
	_, err := exec(ctx, s.db, `INSERT INTO reservations (`+reservationCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		x.ID, x.OCPPID, x.UserID, x.SiteID, x.ChargerID, x.ConnectorID, x.Kind, x.TicketID, x.Status, x.AtCharger, ms(x.ReservedAt), ms(x.ExpiresAt), ms(x.NoShowAt),
		ms(x.EndedAt), x.SessionID, x.FeeFen, ms(x.QueuedAt), ms(x.CreatedAt), ms(x.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert reservation: %w", err)
	}
	return nil
}

// UpdateReservation stores a reservation's mutable fields.
func (s *Scheduling) UpdateReservation(ctx context.Context, x scheduling.Reservation) error {
	err := execOne(ctx, s.db, `UPDATE reservations SET status = ?, at_charger = ?, ended_at = ?, session_id = ?, fee_fen = ?, updated_at = ? WHERE id = ?`,
		x.Status, x.AtCharger, ms(x.EndedAt), x.SessionID, x.FeeFen, ms(x.UpdatedAt), x.ID)
	if err != nil {
		return fmt.Errorf("update reservation %s: %w", x.ID, err)
	}
	return nil
}

// MarkAtCharger records that the charger accepted the reservation.
func (s *Scheduling) MarkAtCharger(ctx context.Context, id string, at time.Time) error {
	if _, err := exec(ctx, s.db, `UPDATE reservations SET at_charger = ?, updated_at = ? WHERE id = ?`, true, ms(at), id); err != nil {
		return fmt.Errorf("mark reservation %s at charger: %w", id, err)
	}
	return nil
}

// Reservation returns a reservation.
func (s *Scheduling) Reservation(ctx context.Context, id string) (scheduling.Reservation, error) {
	var r reservationRow
	if err := get(ctx, s.db, &r, `SELECT `+reservationCols+` FROM reservations WHERE id = ?`, id); err != nil {
		return scheduling.Reservation{}, fmt.Errorf("reservation %s: %w", id, err)
	}
	return r.reservation(), nil
}

// Reservations lists reservations newest first.
func (s *Scheduling) Reservations(ctx context.Context, f scheduling.ReservationFilter) ([]scheduling.Reservation, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if f.UserID != "" {
		add("user_id = ?", f.UserID)
	}
	if f.SiteID != "" {
		add("site_id = ?", f.SiteID)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.ChargerID != "" {
		add("charger_id = ?", f.ChargerID)
	}
	if f.Connector > 0 {
		add("connector_id = ?", f.Connector)
	}
	if !f.Since.IsZero() {
		add("reserved_at >= ?", ms(f.Since))
	}
	q := `SELECT ` + reservationCols + ` FROM reservations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	q += fmt.Sprintf(" ORDER BY reserved_at DESC, id DESC LIMIT %d", f.Limit)
	var rows []reservationRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("reservations: %w", err)
	}
	out := make([]scheduling.Reservation, len(rows))
	for i, r := range rows {
		out[i] = r.reservation()
	}
	return out, nil
}
