package scheduling

import (
	"context"
	"slices"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/events"
)

// Run listens to the bus and ticks every Options.Tick until ctx ends.
func (s *Service) Run(ctx context.Context) {
	ch := s.bus.Subscribe(ctx, 1024, func(e events.Event) bool {
		switch e.Type {
		case events.ChargerStatus, events.ChargerOnline, events.ChargerOffline, events.SessionStarted, events.SessionStopped, events.Gap:
			return true
		}
		return false
	})
	t := time.NewTicker(s.opt.Tick)
	defer t.Stop()
	s.Tick(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-ch:
			if !ok {
				return
			}
			if err := s.HandleEvent(ctx, e); err != nil && ctx.Err() == nil {
				s.log.Error("scheduling event", "type", e.Type, "charger", e.ChargerID, "session", e.SessionID, "err", err)
			}
		case <-t.C:
			s.Tick(ctx)
		}
	}
}

// HandleEvent applies one bus event: charger health changes fault or
// recover connectors (the live view decides), a session start consumes a
// reservation and plugs in a called ticket, a stop ends or interrupts it.
func (s *Service) HandleEvent(ctx context.Context, e events.Event) error {
	switch e.Type {
	case events.Gap:
		s.Tick(ctx)
		return nil
	case events.ChargerStatus, events.ChargerOnline, events.ChargerOffline:
		if e.SiteID == "" {
			return nil
		}
		return s.withSite(ctx, e.SiteID, func(c *opCtx) error {
			if e.Type == events.ChargerStatus {
				c.retryHolds(e.ChargerID)
			}
			return c.do(dispatch.Advance)
		})
	case events.SessionStarted:
		x, ok := e.Data.(charging.Session)
		if !ok || x.SiteID == "" {
			return nil
		}
		return s.withSite(ctx, x.SiteID, func(c *opCtx) error { return c.sessionStarted(x) })
	case events.SessionStopped:
		x, ok := e.Data.(charging.Session)
		if !ok || x.SiteID == "" {
			return nil
		}
		s.stopping.Delete(x.ID)
		return s.withSite(ctx, x.SiteID, func(c *opCtx) error {
			for _, t := range c.e.doc.Tickets {
				if t.SessionID == x.ID {
					return c.sessionEnded(x, t)
				}
				if _, ok := t.Stopped[x.ID]; ok {
					c.stoppedEnded(x, t)
				}
			}
			return c.do(dispatch.Advance)
		})
	}
	return nil
}

// retryHolds sends ReserveNow again for the software-only holds of a
// charger whose connector became Available: a connector still Finishing
// (the previous car plugged) answers Occupied to the first one.
func (c *opCtx) retryHolds(chargerID string) {
	rids := make([]string, 0, len(c.l.reservations))
	for id, r := range c.l.reservations {
		if r.ChargerID == chargerID && !r.AtCharger && c.now.Before(r.NoShowAt) {
			rids = append(rids, id)
		}
	}
	slices.Sort(rids)
	for _, id := range rids {
		r := c.l.reservations[id]
		unit := unitID(r.ChargerID, r.ConnectorID)
		if ch, ok := c.l.chargers[unit]; ok && ch.Online && c.l.conns[unit].Status == "Available" {
			c.actions = append(c.actions, action{kind: actReserve, charger: ch, res: r})
		}
	}
}

// sessionStarted ends the reservation the session consumes (its
// reservationId, or the driver's hold on that connector) and plugs in the
// ticket called there for that driver.
func (c *opCtx) sessionStarted(x charging.Session) error {
	unit := unitID(x.ChargerID, x.ConnectorID)
	rids := make([]string, 0, len(c.l.reservations))
	for id := range c.l.reservations {
		rids = append(rids, id)
	}
	slices.Sort(rids)
	for _, id := range rids {
		r := c.l.reservations[id]
		byID := x.ReservationID != 0 && r.OCPPID == x.ReservationID
		byDriver := x.UserID != "" && r.UserID == x.UserID && unitID(r.ChargerID, r.ConnectorID) == unit
		if byID || byDriver {
			if err := c.endReservation(r, ResUsed, x.ID); err != nil {
				return err
			}
		}
	}
	i := slices.IndexFunc(c.e.doc.State.Queues, func(q dispatch.Queue) bool { return q.ChargerID == unit })
	if i < 0 || x.UserID == "" {
		return c.do(dispatch.Advance)
	}
	q := c.e.doc.State.Queues[i]
	if len(q.Cars) == 0 || q.Cars[0].CalledAt.IsZero() || q.Cars[0].Charging() {
		return c.do(dispatch.Advance)
	}
	t := c.e.doc.Tickets[q.Cars[0].ID]
	if t == nil || t.UserID != x.UserID {
		return c.do(dispatch.Advance)
	}
	t.SessionID, t.ReservationID = x.ID, ""
	carID := t.ID
	return c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
		return dispatch.PlugIn(site, st, carID, now)
	})
}

// Tick advances every site to now: reservations past their no-show time
// expire (with the no-show fee), called drivers past their hold window miss
// it, interrupted sessions past the grace end their ticket, finished places
// are refilled and power re-shared.
func (s *Service) Tick(ctx context.Context) {
	sites, err := s.siteIDs(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("scheduling tick", "err", err)
		}
		return
	}
	for _, id := range sites {
		if err := s.withSite(ctx, id, func(c *opCtx) error { return c.tick() }); err != nil && ctx.Err() == nil {
			s.log.Error("scheduling tick", "site", id, "err", err)
		}
	}
}

func (c *opCtx) tick() error {
	rids := make([]string, 0, len(c.l.reservations))
	for id, r := range c.l.reservations {
		if r.Kind == KindDirect && !c.now.Before(r.NoShowAt) {
			rids = append(rids, id)
		}
	}
	slices.Sort(rids)
	for _, id := range rids {
		if err := c.endReservation(c.l.reservations[id], ResExpired, ""); err != nil {
			return err
		}
	}
	var gone []string
	for id, t := range c.e.doc.Tickets {
		if !t.InterruptedAt.IsZero() && c.now.Sub(t.InterruptedAt) >= c.s.opt.InterruptGrace {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		c.setEnded(id, "finished")
		if err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.Cancel(site, st, id, now)
		}); err != nil {
			return err
		}
	}
	for {
		missed := ""
		for _, q := range c.e.doc.State.Queues {
			if len(q.Cars) > 0 && !q.Cars[0].CalledAt.IsZero() && !q.Cars[0].Charging() && !c.now.Before(q.Cars[0].CalledAt.Add(c.e.set.HoldWindow)) {
				missed = q.Cars[0].ID
				break
			}
		}
		if missed == "" {
			break
		}
		if err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.MissHold(site, st, missed, now)
		}); err != nil {
			return err
		}
	}
	return c.do(dispatch.Advance)
}

// Settings returns a site's scheduling settings.
func (s *Service) Settings(ctx context.Context, siteID string) (Settings, error) {
	if _, err := s.ch.Site(ctx, siteID); err != nil {
		return Settings{}, err
	}
	e := s.entry(siteID)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := s.load(ctx, siteID, e); err != nil {
		return Settings{}, err
	}
	return e.set, nil
}

// check validates settings.
func (set Settings) check() error {
	switch {
	case set.WaitingCapacity < 1 || set.WaitingCapacity > 1000:
		return apperr.Field("body.waiting_capacity", "out_of_range", 1, 1000)
	case set.QueueLength < 1 || set.QueueLength > 10:
		return apperr.Field("body.queue_length", "out_of_range", 1, 10)
	case set.Strategy != dispatch.Priority && set.Strategy != dispatch.TimeOrder:
		return apperr.Field("body.strategy", "bad_strategy")
	case set.BatchMode != dispatch.NoBatch && set.BatchMode != dispatch.SingleBatch && set.BatchMode != dispatch.FullBatch:
		return apperr.Field("body.batch_mode", "bad_batch_mode")
	case set.HoldWindow < time.Minute || set.HoldWindow > 2*time.Hour:
		return apperr.Field("body.hold_window_s", "out_of_range", 60, 7200)
	case set.NoShowGrace < 0 || set.NoShowGrace > time.Hour:
		return apperr.Field("body.no_show_grace_s", "out_of_range", 0, 3600)
	case set.MaxNoShowsPerMonth < 0 || set.MaxNoShowsPerMonth > 100:
		return apperr.Field("body.max_no_shows_per_month", "out_of_range", 0, 100)
	case set.PowerLimitW < 0 || set.PowerLimitW > 100_000_000:
		return apperr.Field("body.power_limit_w", "out_of_range", 0, 100_000_000)
	case set.LoadPolicy != dispatch.FairShare && set.LoadPolicy != dispatch.FavourBusy:
		return apperr.Field("body.load_policy", "bad_load_policy")
	}
	return nil
}

// SetSettings changes a site's scheduling settings; queues, holds and
// power shares follow at once.
func (s *Service) SetSettings(ctx context.Context, set Settings) (Settings, error) {
	if set.BatchMode == "none" {
		set.BatchMode = dispatch.NoBatch
	}
	if err := set.check(); err != nil {
		return Settings{}, err
	}
	if _, err := s.ch.Site(ctx, set.SiteID); err != nil {
		return Settings{}, err
	}
	err := s.withSite(ctx, set.SiteID, func(c *opCtx) error {
		set.UpdatedAt = c.now
		c.e.set = set
		c.l.site.WaitingCapacity, c.l.site.QueueLength, c.l.site.Strategy, c.l.site.Batch, c.l.site.HoldWindow = set.WaitingCapacity, set.QueueLength, set.Strategy, set.BatchMode, set.HoldWindow
		c.e.stored = false // store the settings even if the state did not change
		c.publish = append(c.publish, events.Event{Type: EventSite, At: c.now, SiteID: set.SiteID, Data: map[string]any{"site_id": set.SiteID, "settings": true}})
		return c.do(dispatch.Advance)
	})
	if err != nil {
		return Settings{}, err
	}
	return set, nil
}
