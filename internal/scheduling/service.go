package scheduling

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/clock"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/events"
)

// Options tune the service.
type Options struct {
	// Tick is how often the background loop advances time, expires holds
	// and reservations and re-shares power; default 5 s.
	Tick time.Duration
	// Location is the time zone of sites without one (no-show months).
	Location *time.Location
	// InterruptGrace is how long a queue car whose session stopped for a
	// technical reason (Other, PowerLoss, Reboot…) keeps its charging place
	// waiting for a fault report before it counts as done; default 30 s.
	InterruptGrace time.Duration
	// ActionTimeout bounds each OCPP command the service sends; default 20 s.
	ActionTimeout time.Duration
}

// Service is the scheduling service.
type Service struct {
	store   Store
	ch      Charging
	tariffs Tariffs
	bus     *events.Bus
	clock   clock.Clock
	log     *slog.Logger
	opt     Options

	mu    sync.Mutex
	sites map[string]*siteEntry
	// joinMu keeps "one ticket / one reservation per driver" checks and
	// creations from racing across sites.
	joinMu sync.Mutex
	// stopping remembers sessions already asked to stop (energy reached).
	stopping sync.Map
}

// siteEntry is one site's cached settings and document, guarded by mu: every
// change of a site's dispatch state happens in withSite under mu.
type siteEntry struct {
	mu     sync.Mutex
	loaded bool
	set    Settings
	doc    siteDoc
	saved  []byte
	views  map[string]string
	stored bool
}

// siteDoc is what the service stores per site, as JSON.
type siteDoc struct {
	// State is the dispatch state; its chargers are connectors ("unit"
	// ids: chargerID/connector).
	State dispatch.State `json:"state"`
	// Tickets are the live queue tickets by id (= dispatch car id).
	Tickets map[string]*Ticket `json:"tickets"`
	// Limits are the power limits last sent, in W, by session id.
	Limits map[string]int64 `json:"limits,omitempty"`
	// Unmanaged are the sessions whose charger refused (or did not
	// answer) a charging profile, with when: they are counted at their
	// connector's maximum power until a profile is tried again, profileRetry
	// later.
	Unmanaged map[string]time.Time `json:"unmanaged,omitempty"`
}

// Ticket is a driver's place in a site's queue, with what the dispatch
// state does not hold.
type Ticket struct {
	ID     string        `json:"id"`
	UserID string        `json:"user_id"`
	SiteID string        `json:"site_id"`
	Mode   dispatch.Mode `json:"mode"`
	// EnergyWh is the energy wanted in all, in Wh.
	EnergyWh int64 `json:"energy_wh"`
	// DeliveredWh is what ended sessions of this ticket delivered, in Wh.
	DeliveredWh int64 `json:"delivered_wh"`
	// SessionID is the running session, if any.
	SessionID string `json:"session_id,omitempty"`
	// Stopped are the sessions the queue stopped (fault, cancel) whose
	// final energy has not been reported yet, with the Wh already counted
	// in DeliveredWh; their stop adds the rest.
	Stopped map[string]int64 `json:"stopped_sessions,omitempty"`
	// ReservationID is the hold of the connector the ticket is called to.
	ReservationID string `json:"reservation_id,omitempty"`
	// InterruptedAt is when its session stopped for a technical reason
	// while it still held the charging place.
	InterruptedAt time.Time `json:"interrupted_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
}

// NewService returns the scheduling service; run its loop with Run.
func NewService(store Store, ch Charging, tariffs Tariffs, bus *events.Bus, clk clock.Clock, log *slog.Logger, opt Options) *Service {
	if opt.Tick <= 0 {
		opt.Tick = 5 * time.Second
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.InterruptGrace <= 0 {
		opt.InterruptGrace = 30 * time.Second
	}
	if opt.ActionTimeout <= 0 {
		opt.ActionTimeout = 20 * time.Second
	}
	return &Service{store: store, ch: ch, tariffs: tariffs, bus: bus, clock: clk, log: log, opt: opt, sites: map[string]*siteEntry{}}
}

// unitID names a connector as a dispatch charger.
func unitID(chargerID string, connector int) string { return chargerID + "/" + strconv.Itoa(connector) }

// splitUnit returns the charger id and connector of a unit id.
func splitUnit(id string) (string, int) {
	i := strings.LastIndexByte(id, '/')
	if i < 0 {
		return id, 0
	}
	n, _ := strconv.Atoi(id[i+1:])
	return id[:i], n
}

func (s *Service) entry(siteID string) *siteEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.sites[siteID]
	if e == nil {
		e = &siteEntry{views: map[string]string{}}
		s.sites[siteID] = e
	}
	return e
}

// load reads a site's settings and document once; e.mu must be held.
func (s *Service) load(ctx context.Context, siteID string, e *siteEntry) error {
	if e.loaded {
		return nil
	}
	set, raw, err := s.store.SchedulingSite(ctx, siteID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		e.set, e.doc = DefaultSettings(siteID), siteDoc{}
	case err != nil:
		return err
	default:
		e.set, e.stored = set, true
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &e.doc); err != nil {
				return fmt.Errorf("decode dispatch state of site %s: %w", siteID, err)
			}
		}
	}
	if e.doc.Tickets == nil {
		e.doc.Tickets = map[string]*Ticket{}
	}
	if e.doc.Limits == nil {
		e.doc.Limits = map[string]int64{}
	}
	if e.doc.Unmanaged == nil {
		e.doc.Unmanaged = map[string]time.Time{}
	}
	e.saved, _ = docKey(e.doc)
	e.loaded = true
	return nil
}

// docKey is the document's JSON without the state's time, to tell whether
// anything worth storing changed.
func docKey(d siteDoc) ([]byte, error) {
	d.State.Now = time.Time{}
	return json.Marshal(d)
}

// live is what the service knows of a site's chargers at the moment of an
// operation.
type live struct {
	site dispatch.Site
	// units by unit id.
	chargers map[string]charging.Charger
	conns    map[string]charging.Connector
	// sessions active at the site, by id and by unit.
	bySession map[string]charging.Session
	byUnit    map[string]charging.Session
	// active reservations of the site, by id.
	reservations map[string]Reservation
}

// loadLive reads the site's active chargers, sessions and reservations and
// builds the dispatch site: a connector is a dispatch charger; it is not
// dispatched to (Offline) while unavailable, used by a session that is not
// its queue's, or held by a driver's own reservation.
func (s *Service) loadLive(ctx context.Context, siteID string, e *siteEntry) (*live, error) {
	cs, _, err := s.ch.Chargers(ctx, charging.ChargerFilter{SiteID: siteID, State: charging.StateActive, Limit: 500})
	if err != nil {
		return nil, err
	}
	xs, _, err := s.ch.Sessions(ctx, charging.SessionFilter{SiteID: siteID, Status: charging.SessionActive, Limit: 200})
	if err != nil {
		return nil, err
	}
	rs, err := s.store.Reservations(ctx, ReservationFilter{SiteID: siteID, Status: ResActive})
	if err != nil {
		return nil, err
	}
	l := &live{chargers: map[string]charging.Charger{}, conns: map[string]charging.Connector{}, bySession: map[string]charging.Session{},
		byUnit: map[string]charging.Session{}, reservations: map[string]Reservation{}}
	for _, x := range xs {
		l.bySession[x.ID] = x
		l.byUnit[unitID(x.ChargerID, x.ConnectorID)] = x
	}
	held := map[string]bool{}
	for _, r := range rs {
		l.reservations[r.ID] = r
		if r.Kind == KindDirect {
			held[unitID(r.ChargerID, r.ConnectorID)] = true
		}
	}
	queueSession := map[string]bool{}
	for _, t := range e.doc.Tickets {
		if t.SessionID != "" {
			queueSession[t.SessionID] = true
		}
	}
	set := e.set
	l.site = dispatch.Site{WaitingCapacity: set.WaitingCapacity, QueueLength: set.QueueLength, Strategy: set.Strategy, Batch: set.BatchMode, HoldWindow: set.HoldWindow}
	for _, c := range cs {
		for _, k := range c.Connectors {
			if k.ConnectorID < 1 {
				continue
			}
			id := unitID(c.ID, k.ConnectorID)
			power := int64(k.MaxPowerW)
			if power <= 0 || (c.MaxPowerW > 0 && power > int64(c.MaxPowerW)) {
				power = int64(c.MaxPowerW)
			}
			if power <= 0 {
				power = 7000
			}
			mode := dispatch.Slow
			if c.Kind == charging.KindFast {
				mode = dispatch.Fast
			}
			x, busy := l.byUnit[id]
			out := k.Status == "Unavailable" || held[id] || (busy && !queueSession[x.ID])
			l.site.Chargers = append(l.site.Chargers, dispatch.Charger{ID: id, Mode: mode, PowerW: power, Offline: out})
			l.chargers[id], l.conns[id] = c, k
		}
	}
	slices.SortFunc(l.site.Chargers, func(a, b dispatch.Charger) int { return strings.Compare(a.ID, b.ID) })
	return l, nil
}

// reconcile makes the state's queues match the site's connectors (added or
// removed chargers): queues are kept by id, cars of vanished ones wait as
// displaced cars.
func reconcile(site dispatch.Site, st dispatch.State, now time.Time) dispatch.State {
	if st.Now.IsZero() {
		st = dispatch.NewState(site, now)
	}
	same := len(st.Queues) == len(site.Chargers)
	for i := 0; same && i < len(st.Queues); i++ {
		same = st.Queues[i].ChargerID == site.Chargers[i].ID
	}
	if same {
		return st
	}
	st = st.Clone()
	old := map[string]dispatch.Queue{}
	for _, q := range st.Queues {
		old[q.ChargerID] = q
	}
	st.Queues = make([]dispatch.Queue, len(site.Chargers))
	for i, c := range site.Chargers {
		q, ok := old[c.ID]
		if !ok {
			q = dispatch.Queue{ChargerID: c.ID, Cars: []dispatch.Car{}}
		}
		delete(old, c.ID)
		st.Queues[i] = q
	}
	ids := make([]string, 0, len(old))
	for id := range old {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, c := range old[id].Cars {
			c.CalledAt, c.StartedAt = time.Time{}, time.Time{}
			st.Displaced = append(st.Displaced, c)
		}
	}
	st.Paused = len(st.Displaced) > 0
	return st
}

// opCtx is one run of withSite: the site, what is live, and what to do
// once the state is stored.
type opCtx struct {
	s       *Service
	ctx     context.Context
	siteID  string
	e       *siteEntry
	l       *live
	now     time.Time
	events  []dispatch.Event
	ended   map[string]string
	actions []action
	publish []events.Event
}

// do applies one dispatch operation to the site's state; on refusal the
// state is left as it was.
func (c *opCtx) do(op func(dispatch.Site, dispatch.State, time.Time) (dispatch.State, []dispatch.Event, error)) error {
	st, evs, err := op(c.l.site, c.e.doc.State, c.now)
	if err != nil {
		return dispatchErr(err)
	}
	c.e.doc.State = st
	c.events = append(c.events, evs...)
	for _, ev := range evs {
		c.handle(ev)
	}
	return nil
}

// handle reacts to one dispatch decision.
func (c *opCtx) handle(ev dispatch.Event) {
	t := c.e.doc.Tickets[ev.CarID]
	switch ev.Kind {
	case dispatch.Stopped:
		if t == nil {
			return
		}
		if t.SessionID != "" {
			// Count the energy seen so far; the session's stop (or
			// syncStopped) adds the rest.
			var seen int64
			if x, ok := c.l.bySession[t.SessionID]; ok {
				c.actions = append(c.actions, action{kind: actStop, charger: c.l.chargers[unitID(x.ChargerID, x.ConnectorID)], session: x, reason: ev.Reason})
				seen = x.EnergyWh
			}
			t.DeliveredWh += seen
			if t.Stopped == nil {
				t.Stopped = map[string]int64{}
			}
			t.Stopped[t.SessionID] = seen
		}
		t.SessionID, t.InterruptedAt = "", time.Time{}
		c.setRemaining(t)
	case dispatch.Finished:
		c.setEnded(ev.CarID, "finished")
	case dispatch.Cancelled:
		c.setEnded(ev.CarID, "cancelled")
	case dispatch.Removed:
		c.setEnded(ev.CarID, "removed")
	}
}

func (c *opCtx) setEnded(carID, why string) {
	if _, ok := c.ended[carID]; !ok {
		c.ended[carID] = why
	}
}

// withSite runs fn under the site's lock with the live view, health and
// energy synchronised, then stores the state, reconciles connector holds,
// shares power, and — after unlocking — sends the OCPP commands and
// publishes the events it decided. Sessions whose charger refused its
// charging profile are then counted at their maximum and the rest shared
// again, a bounded number of times (a pass slower than profileRetry could
// otherwise retry refusing chargers for ever).
func (s *Service) withSite(ctx context.Context, siteID string, fn func(c *opCtx) error) error {
	refused, err := s.withSiteOnce(ctx, siteID, fn)
	for pass := 0; len(refused) > 0 && pass < maxResharePasses; pass++ {
		var rerr error
		ids := refused
		refused, rerr = s.withSiteOnce(ctx, siteID, func(c *opCtx) error {
			for _, id := range ids {
				if _, ok := c.l.bySession[id]; ok {
					c.e.doc.Unmanaged[id] = c.now
				}
			}
			return nil
		})
		err = errors.Join(err, rerr)
	}
	return err
}

// maxResharePasses bounds withSite's passes after profiles were refused.
const maxResharePasses = 3

// withSiteOnce is one pass of withSite; it returns the sessions whose
// charger refused the profile sent.
func (s *Service) withSiteOnce(ctx context.Context, siteID string, fn func(c *opCtx) error) ([]string, error) {
	e := s.entry(siteID)
	e.mu.Lock()
	c, err := s.runLocked(ctx, siteID, e, fn)
	e.mu.Unlock()
	if c == nil {
		return nil, err
	}
	refused := s.perform(ctx, c.actions)
	for _, ev := range c.publish {
		s.bus.Publish(ev)
	}
	return refused, err
}

func (s *Service) runLocked(ctx context.Context, siteID string, e *siteEntry, fn func(c *opCtx) error) (*opCtx, error) {
	if err := s.load(ctx, siteID, e); err != nil {
		return nil, err
	}
	l, err := s.loadLive(ctx, siteID, e)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now().UTC()
	if now.Before(e.doc.State.Now) {
		now = e.doc.State.Now
	}
	e.doc.State = reconcile(l.site, e.doc.State, now)
	c := &opCtx{s: s, ctx: ctx, siteID: siteID, e: e, l: l, now: now, ended: map[string]string{}}
	if err := c.syncHealth(); err != nil {
		return nil, err
	}
	if err := c.syncStopped(); err != nil {
		return nil, err
	}
	if err := c.syncEnergy(); err != nil {
		return nil, err
	}
	ferr := fn(c)
	if err := c.post(); err != nil {
		return nil, err
	}
	return c, ferr
}

// syncHealth faults connectors whose charger is offline or that report
// Faulted, and recovers them when they are back: the live view is the
// truth, whatever order the events came in.
func (c *opCtx) syncHealth() error {
	for i, u := range c.l.site.Chargers {
		ch, k := c.l.chargers[u.ID], c.l.conns[u.ID]
		bad := !ch.Online || k.Status == "Faulted" || connectorZeroFaulted(ch)
		q := c.e.doc.State.Queues[i]
		switch {
		case bad && !q.Faulted:
			if err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
				return dispatch.Fault(site, st, u.ID, now)
			}); err != nil {
				return err
			}
			c.publish = append(c.publish, events.Event{Type: EventSite, At: c.now, SiteID: c.siteID, ChargerID: ch.ID, Data: map[string]any{"site_id": c.siteID, "fault": u.ID}})
		case !bad && q.Faulted:
			if err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
				return dispatch.Recover(site, st, u.ID, now)
			}); err != nil {
				return err
			}
			c.publish = append(c.publish, events.Event{Type: EventSite, At: c.now, SiteID: c.siteID, ChargerID: ch.ID, Data: map[string]any{"site_id": c.siteID, "recovered": u.ID}})
		}
	}
	return nil
}

func connectorZeroFaulted(ch charging.Charger) bool {
	for _, k := range ch.Connectors {
		if k.ConnectorID == 0 && k.Status == "Faulted" {
			return true
		}
	}
	return false
}

// syncEnergy re-anchors every charging queue car to its real session: the
// energy still wanted is the ticket's energy less what was delivered, from
// now at the connector's power. Dispatch thus never finishes a car whose
// session still runs; the session's stop ends the ticket. A session that
// delivered what the ticket wanted is asked to stop.
func (c *opCtx) syncEnergy() error {
	st := &c.e.doc.State
	for i := range st.Queues {
		q := &st.Queues[i]
		if len(q.Cars) == 0 || !q.Cars[0].Charging() {
			continue
		}
		car := &q.Cars[0]
		t := c.e.doc.Tickets[car.ID]
		if t == nil {
			continue
		}
		if t.SessionID != "" {
			x, ok := c.l.bySession[t.SessionID]
			if !ok {
				// Stopped while we did not listen (restart, dropped event).
				ended, err := c.s.ch.Session(c.ctx, t.SessionID)
				if err != nil && !apperr.Is(err, apperr.NotFound) {
					return err
				}
				if err := c.sessionEnded(ended, t); err != nil {
					return err
				}
				continue
			}
			done := t.DeliveredWh + x.EnergyWh
			if done >= t.EnergyWh {
				if _, asked := c.s.stopping.LoadOrStore(x.ID, true); !asked {
					c.actions = append(c.actions, action{kind: actStop, charger: c.l.chargers[q.ChargerID], session: x, reason: "energy reached"})
				}
			}
			car.EnergyWh, car.StartedAt = max(1, t.EnergyWh-done), c.now
			continue
		}
		if !t.InterruptedAt.IsZero() {
			// Keep the place until the interrupt grace ends (see tick).
			car.EnergyWh, car.StartedAt = max(1, t.EnergyWh-t.DeliveredWh), c.now
		}
	}
	return nil
}

// syncStopped settles the sessions the queue stopped that are no longer
// active: their stop event may have come before the fault was handled, or
// been lost (restart, dropped event).
func (c *opCtx) syncStopped() error {
	ids := make([]string, 0, len(c.e.doc.Tickets))
	for id, t := range c.e.doc.Tickets {
		if len(t.Stopped) > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		t := c.e.doc.Tickets[id]
		xids := make([]string, 0, len(t.Stopped))
		for xid := range t.Stopped {
			if _, active := c.l.bySession[xid]; !active {
				xids = append(xids, xid)
			}
		}
		slices.Sort(xids)
		for _, xid := range xids {
			x, err := c.s.ch.Session(c.ctx, xid)
			switch {
			case apperr.Is(err, apperr.NotFound):
				delete(t.Stopped, xid)
			case err != nil:
				return err
			default:
				c.stoppedEnded(x, t)
			}
		}
	}
	return nil
}

// stoppedEnded adds the rest of the final energy of a session the queue
// stopped to its ticket, whose car then wants that much less.
func (c *opCtx) stoppedEnded(x charging.Session, t *Ticket) {
	seen, ok := t.Stopped[x.ID]
	if !ok || x.Status == charging.SessionActive {
		return
	}
	delete(t.Stopped, x.ID)
	if len(t.Stopped) == 0 {
		t.Stopped = nil
	}
	t.DeliveredWh += max(0, x.EnergyWh-seen)
	c.setRemaining(t)
}

// setRemaining sets the energy of the ticket's car, when it is not
// charging, to what the ticket still wants (at least 1 Wh; post finishes a
// ticket that has it all). Its place and number stay.
func (c *opCtx) setRemaining(t *Ticket) {
	st := &c.e.doc.State
	place, qi, pos, ok := st.Where(t.ID)
	var car *dispatch.Car
	switch {
	case !ok:
		return
	case place == "waiting":
		car = &st.Waiting[pos]
	case place == "displaced":
		car = &st.Displaced[pos]
	default:
		car = &st.Queues[qi].Cars[pos]
	}
	if !car.Charging() {
		car.EnergyWh = max(1, t.EnergyWh-t.DeliveredWh)
	}
}

// sessionEnded accounts a stopped session to its ticket: done when the
// energy was delivered or the driver stopped it; after a technical stop the
// car keeps its place for a while, waiting for a fault report.
func (c *opCtx) sessionEnded(x charging.Session, t *Ticket) error {
	if t == nil || t.SessionID != x.ID {
		return nil
	}
	t.DeliveredWh += x.EnergyWh
	t.SessionID = ""
	place, qi, pos, ok := c.e.doc.State.Where(t.ID)
	if !ok || place != "queue" || pos != 0 || !c.e.doc.State.Queues[qi].Cars[0].Charging() {
		return nil
	}
	switch x.StopReason {
	case "Other", "PowerLoss", "Reboot", "HardReset", "SoftReset":
		if t.DeliveredWh < t.EnergyWh {
			t.InterruptedAt = c.now
			return nil
		}
	}
	c.setEnded(t.ID, "finished")
	return c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
		return dispatch.Cancel(site, st, t.ID, now)
	})
}

// post runs after every operation: connector holds follow the called cars,
// ended tickets leave, power is re-shared, the state is stored and drivers
// whose view changed are told.
func (c *opCtx) post() error {
	if err := c.finishServed(); err != nil {
		return err
	}
	if err := c.reconcileHolds(); err != nil {
		return err
	}
	st := c.e.doc.State
	for id, t := range c.e.doc.Tickets {
		if _, _, _, ok := st.Where(id); !ok {
			why := c.ended[id]
			if why == "" {
				why = "cancelled"
			}
			delete(c.e.doc.Tickets, id)
			delete(c.e.views, id)
			v := TicketView{ID: t.ID, SiteID: t.SiteID, UserID: t.UserID, Mode: string(t.Mode), EnergyWh: t.EnergyWh, DeliveredWh: t.DeliveredWh, Status: why, CreatedAt: t.CreatedAt}
			c.publish = append(c.publish, events.Event{Type: EventQueue, At: c.now, SiteID: c.siteID, UserID: t.UserID, Data: v})
			continue
		}
		if place, qi, pos, _ := st.Where(id); place != "queue" || pos != 0 || !st.Queues[qi].Cars[0].Charging() {
			t.InterruptedAt = time.Time{}
		}
	}
	c.shareLoad()
	key, err := docKey(c.e.doc)
	if err != nil {
		return fmt.Errorf("encode dispatch state: %w", err)
	}
	if !c.e.stored || !bytes.Equal(key, c.e.saved) {
		raw, err := json.Marshal(c.e.doc)
		if err != nil {
			return fmt.Errorf("encode dispatch state: %w", err)
		}
		if c.e.set.UpdatedAt.IsZero() {
			c.e.set.UpdatedAt = c.now
		}
		if err := c.s.store.SaveSchedulingSite(c.ctx, c.e.set, raw); err != nil {
			return err
		}
		c.e.saved, c.e.stored = key, true
	}
	views := c.s.views(c.e, c.l, c.now)
	for _, v := range views {
		k := v.key()
		if c.e.views[v.ID] == k {
			continue
		}
		c.e.views[v.ID] = k
		c.publish = append(c.publish, events.Event{Type: EventQueue, At: c.now, SiteID: c.siteID, UserID: v.UserID, Data: v})
	}
	return nil
}

// finishServed ends the tickets not charging whose stopped sessions
// delivered all they wanted (their final energy came after the stop).
func (c *opCtx) finishServed() error {
	var done []string
	for id, t := range c.e.doc.Tickets {
		if t.SessionID != "" || t.DeliveredWh < t.EnergyWh {
			continue
		}
		if place, qi, pos, ok := c.e.doc.State.Where(id); ok && (place != "queue" || pos != 0 || !c.e.doc.State.Queues[qi].Cars[0].Charging()) {
			done = append(done, id)
		}
	}
	slices.Sort(done)
	for _, id := range done {
		c.setEnded(id, "finished")
		if err := c.do(func(site dispatch.Site, st dispatch.State, now time.Time) (dispatch.State, []dispatch.Event, error) {
			return dispatch.Cancel(site, st, id, now)
		}); err != nil {
			return err
		}
	}
	return nil
}

// dispatchErr turns a dispatch refusal into an application error.
func dispatchErr(err error) error {
	switch {
	case errors.Is(err, dispatch.ErrWaitingAreaFull):
		return apperr.Wrap(err, apperr.Conflict, "queue_full")
	case errors.Is(err, dispatch.ErrNoCharger):
		return apperr.Wrap(err, apperr.Conflict, "no_charger_of_mode")
	case errors.Is(err, dispatch.ErrDuplicateCar):
		return apperr.Wrap(err, apperr.Conflict, "already_queued")
	case errors.Is(err, dispatch.ErrUnknownCar):
		return apperr.Wrap(err, apperr.NotFound, "ticket_not_found")
	case errors.Is(err, dispatch.ErrAlreadyPlaced):
		return apperr.Wrap(err, apperr.Conflict, "ticket_placed")
	case errors.Is(err, dispatch.ErrNotCalled):
		return apperr.Wrap(err, apperr.Conflict, "ticket_not_called")
	case errors.Is(err, dispatch.ErrInvalid):
		return apperr.Wrap(err, apperr.Invalid, "invalid_input")
	}
	return fmt.Errorf("dispatch: %w", err)
}
