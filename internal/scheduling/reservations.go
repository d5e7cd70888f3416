package scheduling

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/dispatch"
)

// ReserveInput names what a driver reserves: one connector (ChargerID and
// ConnectorID), or any free connector of Mode at SiteID.
type ReserveInput struct {
	ChargerID   string
	ConnectorID int
	SiteID      string
	Mode        dispatch.Mode
}

// location is a site's time zone.
func (s *Service) location(ctx context.Context, siteID string) *time.Location {
	if x, err := s.ch.Site(ctx, siteID); err == nil {
		if loc, err := time.LoadLocation(x.Timezone); err == nil {
			return loc
		}
	}
	return s.opt.Location
}

// policyView turns stored reservations into what dispatch's policy reads:
// a reservation ends at its no-show time, used ones started, cancelled
// ones were cancelled.
func policyView(rs []Reservation) []dispatch.Reservation {
	var out []dispatch.Reservation
	for _, r := range rs {
		if r.Kind != KindDirect {
			continue
		}
		d := dispatch.Reservation{ID: r.ID, DriverID: r.UserID, ChargerID: unitID(r.ChargerID, r.ConnectorID), ReservedAt: r.ReservedAt, ExpiresAt: r.NoShowAt}
		switch r.Status {
		case ResUsed:
			d.StartedAt = r.EndedAt
		case ResCancelled:
			d.CancelledAt = r.EndedAt
		}
		out = append(out, d)
	}
	return out
}

// Reserve holds a free connector for a driver for the site's hold window
// (plus its no-show grace). The charger is told with ReserveNow; if it
// refuses or cannot, the hold is kept in software and the charging service
// refuses other drivers there (Holder). One active reservation per driver;
// refused after the site's monthly no-show cap.
func (s *Service) Reserve(ctx context.Context, userID string, in ReserveInput) (Reservation, error) {
	siteID := in.SiteID
	if in.ChargerID != "" {
		c, err := s.ch.Charger(ctx, in.ChargerID)
		if err != nil {
			return Reservation{}, err
		}
		if c.SiteID == "" {
			return Reservation{}, apperr.New(apperr.Conflict, "charger_no_site")
		}
		siteID = c.SiteID
	} else {
		if siteID == "" {
			return Reservation{}, apperr.Field("body.site_id", "required")
		}
		if !in.Mode.Valid() {
			return Reservation{}, apperr.Field("body.mode", "bad_kind")
		}
		if _, err := s.ch.Site(ctx, siteID); err != nil {
			return Reservation{}, err
		}
	}
	loc := s.location(ctx, siteID)
	s.joinMu.Lock()
	defer s.joinMu.Unlock()
	var out Reservation
	err := s.withSite(ctx, siteID, func(c *opCtx) error {
		past, err := s.store.Reservations(ctx, ReservationFilter{UserID: userID, Since: c.now.AddDate(0, -2, 0)})
		if err != nil {
			return err
		}
		policy := dispatch.ReservationPolicy{HoldWindow: c.e.set.HoldWindow + c.e.set.NoShowGrace, MaxNoShowsPerMonth: c.e.set.MaxNoShowsPerMonth}
		if err := policy.CanReserve(userID, policyView(past), c.now, loc); err != nil {
			switch {
			case errors.Is(err, dispatch.ErrActiveReservation):
				return apperr.Wrap(err, apperr.Conflict, "reservation_active")
			case errors.Is(err, dispatch.ErrTooManyNoShows):
				return apperr.Wrap(err, apperr.Forbidden, "too_many_no_shows", c.e.set.MaxNoShowsPerMonth)
			}
			return err
		}
		unit, err := c.freeUnit(in)
		if err != nil {
			return err
		}
		out, err = c.newReservation(userID, unit, KindDirect, "", c.now.Add(c.e.set.HoldWindow), c.now.Add(c.e.set.HoldWindow+c.e.set.NoShowGrace), time.Time{})
		return err
	})
	if err != nil {
		return Reservation{}, err
	}
	if r, err := s.store.Reservation(ctx, out.ID); err == nil {
		out = r
	}
	return out, nil
}

// freeUnit picks the connector to reserve: the one asked for, which must be
// free, or the free connector of the mode with the most power (ties: lower
// id). Free means: online, Available, not faulted or blocked, no queue.
func (c *opCtx) freeUnit(in ReserveInput) (string, error) {
	free := func(i int) bool {
		u := c.l.site.Chargers[i]
		ch, k := c.l.chargers[u.ID], c.l.conns[u.ID]
		q := c.e.doc.State.Queues[i]
		return ch.Online && k.Status == "Available" && !u.Offline && !q.Faulted && len(q.Cars) == 0
	}
	if in.ChargerID != "" {
		want := unitID(in.ChargerID, in.ConnectorID)
		i := slices.IndexFunc(c.l.site.Chargers, func(u dispatch.Charger) bool { return u.ID == want })
		if i < 0 {
			return "", apperr.Field("body.connector_id", "bad_connector")
		}
		if !free(i) {
			return "", apperr.New(apperr.Conflict, "connector_not_free")
		}
		return want, nil
	}
	best := -1
	for i, u := range c.l.site.Chargers {
		if u.Mode != in.Mode || !free(i) {
			continue
		}
		if b := c.l.site.Chargers; best < 0 || u.PowerW > b[best].PowerW || (u.PowerW == b[best].PowerW && strings.Compare(u.ID, b[best].ID) < 0) {
			best = i
		}
	}
	if best < 0 {
		return "", apperr.New(apperr.Conflict, "no_free_charger")
	}
	return c.l.site.Chargers[best].ID, nil
}

// CancelReservation ends a driver's own active reservation (staff: any) at
// no charge, and releases it at the charger. Queue holds end with their
// ticket instead.
func (s *Service) CancelReservation(ctx context.Context, userID string, staff bool, id string) (Reservation, error) {
	r, err := s.store.Reservation(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && r.UserID != userID && !staff) {
		return Reservation{}, apperr.New(apperr.NotFound, "reservation_not_found")
	}
	if err != nil {
		return Reservation{}, err
	}
	if r.Kind != KindDirect {
		return Reservation{}, apperr.New(apperr.Conflict, "reservation_is_queue_hold")
	}
	err = s.withSite(ctx, r.SiteID, func(c *opCtx) error {
		cur, ok := c.l.reservations[id]
		if !ok {
			return apperr.New(apperr.Conflict, "reservation_not_active")
		}
		return c.endReservation(cur, ResCancelled, "")
	})
	if err != nil {
		return Reservation{}, err
	}
	return s.store.Reservation(ctx, id)
}

// Reservations lists reservations newest first.
func (s *Service) Reservations(ctx context.Context, f ReservationFilter) ([]Reservation, error) {
	return s.store.Reservations(ctx, f)
}

// Holder says who holds a connector by an active reservation (a driver's
// own or a called queue ticket's). The charging service asks it before
// starting anyone there.
func (s *Service) Holder(ctx context.Context, chargerID string, connector int) (string, bool) {
	rs, err := s.store.Reservations(ctx, ReservationFilter{ChargerID: chargerID, Connector: connector, Status: ResActive})
	if err != nil {
		s.log.Warn("reservation holder", "charger", chargerID, "connector", connector, "err", err)
		return "", false
	}
	now := s.clock.Now()
	for _, r := range rs {
		if now.Before(r.NoShowAt) {
			return r.UserID, true
		}
	}
	return "", false
}
