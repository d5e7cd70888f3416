package scheduling

import (
	"context"
	"slices"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/ids"
)

// siteIDs lists every site.
func (s *Service) siteIDs(ctx context.Context) ([]string, error) {
	sites, err := s.ch.Sites(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(sites))
	for i, x := range sites {
		out[i] = x.ID
	}
	return out, nil
}

// scan calls fn with every site's loaded entry under its lock, until fn
// returns true.
func (s *Service) scan(ctx context.Context, fn func(siteID string, e *siteEntry) bool) error {
	sites, err := s.siteIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range sites {
		e := s.entry(id)
		e.mu.Lock()
		err := s.load(ctx, id, e)
		stop := err == nil && fn(id, e)
		e.mu.Unlock()
		if err != nil {
			return err
		}
		if stop {
			return nil
		}
	}
	return nil
}

// locate finds the site of a live ticket.
func (s *Service) locate(ctx context.Context, ticketID string) (siteID string, t Ticket, err error) {
	err = s.scan(ctx, func(id string, e *siteEntry) bool {
		if x, ok := e.doc.Tickets[ticketID]; ok {
			siteID, t = id, *x
			return true
		}
		return false
	})
	if err == nil && siteID == "" {
		err = apperr.New(apperr.NotFound, "ticket_not_found")
	}
	return siteID, t, err
}

// Tickets returns the driver's live tickets (at most one) with position,
// connector and expected start.
func (s *Service) Tickets(ctx context.Context, userID string) ([]TicketView, error) {
	var sites []string
	if err := s.scan(ctx, func(id string, e *siteEntry) bool {
		for _, t := range e.doc.Tickets {
			if t.UserID == userID {
				sites = append(sites, id)
				break
			}
		}
		return false
	}); err != nil {
		return nil, err
	}
	out := []TicketView{}
	for _, id := range sites {
		q, err := s.SiteQueue(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, v := range q.all() {
			if v.UserID == userID {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func (q SiteQueue) all() []TicketView {
	out := slices.Concat(q.Waiting, q.Displaced)
	for _, u := range q.Units {
		out = append(out, u.Cars...)
	}
	return out
}

// Ticket returns one live ticket; drivers see only their own (staff: all).
func (s *Service) Ticket(ctx context.Context, userID string, staff bool, ticketID string) (TicketView, error) {
	siteID, t, err := s.locate(ctx, ticketID)
	if err != nil {
		return TicketView{}, err
	}
	if t.UserID != userID && !staff {
		return TicketView{}, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	q, err := s.SiteQueue(ctx, siteID)
	if err != nil {
		return TicketView{}, err
	}
	for _, v := range q.all() {
		if v.ID == ticketID {
			return v, nil
		}
	}
	return TicketView{}, apperr.New(apperr.NotFound, "ticket_not_found")
}

// SiteQueue returns every connector's queue, the waiting area and the
// displaced cars of a site, as of now.
func (s *Service) SiteQueue(ctx context.Context, siteID string) (SiteQueue, error) {
	if _, err := s.ch.Site(ctx, siteID); err != nil {
		return SiteQueue{}, err
	}
	var out SiteQueue
	err := s.withSite(ctx, siteID, func(c *opCtx) error {
		if err := c.do(dispatch.Advance); err != nil {
			return err
		}
		views := c.s.views(c.e, c.l, c.now)
		out = SiteQueue{SiteID: siteID, Units: []UnitQueue{}, Waiting: []TicketView{}, Displaced: []TicketView{}}
		byUnit := map[string][]TicketView{}
		for _, v := range views {
			switch v.Status {
			case "waiting":
				out.Waiting = append(out.Waiting, v)
			case "displaced":
				out.Displaced = append(out.Displaced, v)
			default:
				k := unitID(v.ChargerID, v.ConnectorID)
				byUnit[k] = append(byUnit[k], v)
			}
		}
		for i, u := range c.l.site.Chargers {
			chargerID, conn := splitUnit(u.ID)
			uq := UnitQueue{ChargerID: chargerID, ConnectorID: conn, Mode: string(u.Mode), PowerW: u.PowerW, Faulted: c.e.doc.State.Queues[i].Faulted,
				Blocked: u.Offline, LimitW: -1, Cars: byUnit[u.ID]}
			if x, ok := c.l.byUnit[u.ID]; ok {
				if w, ok := c.e.doc.Limits[x.ID]; ok {
					uq.LimitW = w
				}
			}
			if uq.Cars == nil {
				uq.Cars = []TicketView{}
			}
			slices.SortFunc(uq.Cars, func(a, b TicketView) int { return a.Position - b.Position })
			out.Units = append(out.Units, uq)
		}
		slices.SortFunc(out.Waiting, func(a, b TicketView) int {
			return strings.Compare(string(a.Mode), string(b.Mode))*1000 + a.Position - b.Position
		})
		return nil
	})
	return out, err
}

// Join puts a driver in a site's queue for energyWh in mode: a free
// connector is called at once (and reserved for the hold window); else the
// driver waits with a number (F1…, T1…). One live ticket per driver.
func (s *Service) Join(ctx context.Context, userID, siteID string, mode dispatch.Mode, energyWh int64) (TicketView, error) {
	if !mode.Valid() {
		return TicketView{}, apperr.Field("body.mode", "bad_kind")
	}
	if energyWh <= 0 || energyWh > 1_000_000 {
		return TicketView{}, apperr.Field("body.energy_wh", "out_of_range", 1, 1_000_000)
	}
	if _, err := s.ch.Site(ctx, siteID); err != nil {
		return TicketView{}, err
	}
	s.joinMu.Lock()
	defer s.joinMu.Unlock()
	mine, err := s.Tickets(ctx, userID)
	if err != nil {
		return TicketView{}, err
	}
	if len(mine) > 0 {
		return TicketView{}, apperr.New(apperr.Conflict, "already_queued")
	}
	id := ids.New()
	err = s.withSite(ctx, siteID, func(c *opCtx) error {
		c.e.doc.Tickets[id] = &Ticket{ID: id, UserID: userID, SiteID: siteID, Mode: mode, EnergyWh: energyWh, CreatedAt: c.now}
		err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.Request(site, st, dispatch.NewRequest{CarID: id, Mode: mode, EnergyWh: energyWh}, now)
		})
		if err != nil {
			delete(c.e.doc.Tickets, id)
		}
		return err
	})
	if err != nil {
		return TicketView{}, err
	}
	return s.Ticket(ctx, userID, false, id)
}

// change applies a driver's change to their own ticket.
func (s *Service) change(ctx context.Context, userID string, staff bool, ticketID string, fn func(c *opCtx, t *Ticket) error) error {
	siteID, t, err := s.locate(ctx, ticketID)
	if err != nil {
		return err
	}
	if t.UserID != userID && !staff {
		return apperr.New(apperr.NotFound, "ticket_not_found")
	}
	return s.withSite(ctx, siteID, func(c *opCtx) error {
		t := c.e.doc.Tickets[ticketID]
		if t == nil {
			return apperr.New(apperr.NotFound, "ticket_not_found")
		}
		return fn(c, t)
	})
}

// ChangeEnergy changes the energy a waiting driver wants; the number stays.
// Refused once the ticket is placed on a connector's queue.
func (s *Service) ChangeEnergy(ctx context.Context, userID, ticketID string, energyWh int64) (TicketView, error) {
	if energyWh <= 0 || energyWh > 1_000_000 {
		return TicketView{}, apperr.Field("body.energy_wh", "out_of_range", 1, 1_000_000)
	}
	err := s.change(ctx, userID, false, ticketID, func(c *opCtx, t *Ticket) error {
		err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.ChangeEnergy(site, st, ticketID, energyWh, now)
		})
		if err == nil {
			t.EnergyWh = energyWh
		}
		return err
	})
	if err != nil {
		return TicketView{}, err
	}
	return s.Ticket(ctx, userID, false, ticketID)
}

// ChangeMode moves a waiting driver to the other mode with a new number.
// Refused once placed.
func (s *Service) ChangeMode(ctx context.Context, userID, ticketID string, mode dispatch.Mode) (TicketView, error) {
	if !mode.Valid() {
		return TicketView{}, apperr.Field("body.mode", "bad_kind")
	}
	err := s.change(ctx, userID, false, ticketID, func(c *opCtx, t *Ticket) error {
		err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.ChangeMode(site, st, ticketID, mode, now)
		})
		if err == nil {
			t.Mode = mode
		}
		return err
	})
	if err != nil {
		return TicketView{}, err
	}
	return s.Ticket(ctx, userID, false, ticketID)
}

// Cancel takes a ticket out of the queue wherever it is; a charging car's
// session is stopped (RemoteStopTransaction) and billed for what it
// delivered. Staff may cancel any ticket.
func (s *Service) Cancel(ctx context.Context, userID string, staff bool, ticketID string) (TicketView, error) {
	var last TicketView
	err := s.change(ctx, userID, staff, ticketID, func(c *opCtx, t *Ticket) error {
		for _, v := range c.s.views(c.e, c.l, c.now) {
			if v.ID == ticketID {
				last = v
			}
		}
		c.setEnded(ticketID, "cancelled")
		return c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.Cancel(site, st, ticketID, now)
		})
	})
	if err != nil {
		return TicketView{}, err
	}
	last.Status = "cancelled"
	return last, nil
}
