package scheduling

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/tariff"
)

// Action kinds: OCPP commands decided under a site's lock and sent after it.
const (
	actStop         = "stop"
	actReserve      = "reserve"
	actCancelRes    = "cancel_reservation"
	actProfile      = "profile"
	actClearProfile = "clear_profile"
)

// profileBase + connector is the chargingProfileId of the load-sharing
// TxProfile, so a new limit replaces the previous one.
const profileBase = 7100

// profileRetry is how long a session whose charger refused its charging
// profile counts at its maximum before a profile is tried again (a charger
// may refuse one that arrives before it has its transaction id).
const profileRetry = time.Minute

type action struct {
	kind    string
	charger charging.Charger
	session charging.Session
	res     Reservation
	limitW  int64
	reason  string
}

// perform sends the decided commands; failures are logged, never fatal:
// a charger that refuses ReserveNow keeps the hold in software, one that
// is offline is faulted by the next operation. It returns the sessions
// whose charger refused their charging profile (Rejected, NotSupported or
// no answer): they may draw their connector's maximum.
func (s *Service) perform(ctx context.Context, acts []action) (refused []string) {
	for _, a := range acts {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opt.ActionTimeout)
		var err error
		switch a.kind {
		case actStop:
			_, err = s.ch.Send(cctx, a.charger, "RemoteStopTransaction", &ocpp.RemoteStopTransactionRequest{TransactionID: int(a.session.TransactionID)})
		case actReserve:
			err = s.reserveAtCharger(cctx, a.charger, a.res)
		case actCancelRes:
			_, err = s.ch.Send(cctx, a.charger, "CancelReservation", &ocpp.CancelReservationRequest{ReservationID: int(a.res.OCPPID)})
		case actProfile:
			if err = s.setProfile(cctx, a); err != nil {
				refused = append(refused, a.session.ID)
			}
		case actClearProfile:
			id := profileBase + a.session.ConnectorID
			_, err = s.ch.Send(cctx, a.charger, "ClearChargingProfile", &ocpp.ClearChargingProfileRequest{ID: &id})
		}
		cancel()
		if err != nil {
			s.log.Warn("scheduling command failed", "action", a.kind, "charger", a.charger.CPID, "session", a.session.ID, "reservation", a.res.ID, "err", err)
		}
	}
	return refused
}

// setProfile sends the session's load-sharing TxProfile; an answer other
// than Accepted is an error.
func (s *Service) setProfile(ctx context.Context, a action) error {
	tx := int(a.session.TransactionID)
	resp, err := s.ch.Send(ctx, a.charger, "SetChargingProfile", &ocpp.SetChargingProfileRequest{ConnectorID: a.session.ConnectorID,
		CsChargingProfiles: ocpp.ChargingProfile{ChargingProfileID: profileBase + a.session.ConnectorID, TransactionID: &tx, StackLevel: 1,
			ChargingProfilePurpose: ocpp.ChargingProfilePurposeTxProfile, ChargingProfileKind: ocpp.ChargingProfileKind("Relative"),
			ChargingSchedule: ocpp.ChargingSchedule{ChargingRateUnit: ocpp.ChargingRateUnit("W"),
				ChargingSchedulePeriod: []ocpp.ChargingSchedulePeriod{{StartPeriod: 0, Limit: float64(a.limitW)}}}}})
	if err != nil {
		return fmt.Errorf("set charging profile of %d W: %w", a.limitW, err)
	}
	var answer ocpp.SetChargingProfileResponse
	if err := json.Unmarshal(resp, &answer); err != nil {
		return fmt.Errorf("set charging profile answer: %w", err)
	}
	if answer.Status != "Accepted" {
		return fmt.Errorf("set charging profile of %d W: charger answered %s; counting the session at its maximum", a.limitW, answer.Status)
	}
	return nil
}

// reserveAtCharger sends ReserveNow for the driver's app tag and records
// whether the charger took it.
func (s *Service) reserveAtCharger(ctx context.Context, c charging.Charger, r Reservation) error {
	tag, err := s.ch.AppTag(ctx, r.UserID)
	if err != nil {
		return err
	}
	resp, err := s.ch.Send(ctx, c, "ReserveNow", &ocpp.ReserveNowRequest{ConnectorID: r.ConnectorID, ExpiryDate: ocpp.NewDateTime(r.NoShowAt), IDTag: tag, ReservationID: int(r.OCPPID)})
	if err != nil {
		return err
	}
	var answer ocpp.ReserveNowResponse
	if err := json.Unmarshal(resp, &answer); err != nil {
		return err
	}
	if answer.Status != "Accepted" {
		s.log.Info("reservation kept in software", "charger", c.CPID, "reservation", r.ID, "status", answer.Status)
		return nil
	}
	return s.store.MarkAtCharger(ctx, r.ID, s.clock.Now())
}

// newReservation stores an active reservation and decides its ReserveNow;
// queuedAt is when a queue hold's ticket joined the queue (zero for direct
// reservations).
func (c *opCtx) newReservation(userID, unit, kind, ticketID string, expires, noShow, queuedAt time.Time) (Reservation, error) {
	n, err := c.s.store.NextReservationID(c.ctx)
	if err != nil {
		return Reservation{}, err
	}
	chargerID, conn := splitUnit(unit)
	r := Reservation{ID: ids.New(), OCPPID: n, UserID: userID, SiteID: c.siteID, ChargerID: chargerID, ConnectorID: conn, Kind: kind, TicketID: ticketID,
		Status: ResActive, ReservedAt: c.now, ExpiresAt: expires, NoShowAt: noShow, QueuedAt: queuedAt, CreatedAt: c.now, UpdatedAt: c.now}
	if err := c.s.store.CreateReservation(c.ctx, r); err != nil {
		return Reservation{}, err
	}
	c.l.reservations[r.ID] = r
	c.actions = append(c.actions, action{kind: actReserve, charger: c.l.chargers[unit], res: r})
	c.publish = append(c.publish, events.Event{Type: EventReservation, At: c.now, SiteID: c.siteID, ChargerID: chargerID, UserID: userID, Data: r})
	return r, nil
}

// endReservation closes an active reservation: used (with its session),
// cancelled or expired. A driver's own reservation costs the tariff's
// reservation fee when used and that plus the no-show fee when it expired.
func (c *opCtx) endReservation(r Reservation, status, sessionID string) error {
	r.Status, r.EndedAt, r.UpdatedAt, r.SessionID = status, c.now, c.now, sessionID
	unit := unitID(r.ChargerID, r.ConnectorID)
	ch, ok := c.l.chargers[unit]
	if !ok {
		var err error
		if ch, err = c.s.ch.Charger(c.ctx, r.ChargerID); err != nil {
			return err
		}
	}
	if r.Kind == KindDirect && status != ResCancelled && c.s.tariffs != nil {
		t, v, err := c.s.tariffs.TariffFor(c.ctx, ch, r.ReservedAt)
		if err != nil {
			return err
		}
		r.FeeFen = tariff.ReservationCharge(v.Spec, status == ResExpired)
		if r.FeeFen > 0 {
			// Billed before the reservation is stored as ended, so a failure
			// leaves it active for the next try; billing makes one bill per
			// reservation however often it is asked.
			resFen := tariff.ReservationCharge(v.Spec, false)
			if _, err := c.s.tariffs.ChargeReservationFee(c.ctx, billing.ReservationFee{ReservationID: r.ID, UserID: r.UserID, ChargerID: r.ChargerID,
				SiteID: r.SiteID, Connector: r.ConnectorID, ReservedAt: r.ReservedAt, EndedAt: c.now, ReservationFen: resFen, NoShowFen: r.FeeFen - resFen,
				TariffID: t.ID, TariffVersion: v.ID}); err != nil {
				return fmt.Errorf("bill reservation %s: %w", r.ID, err)
			}
		}
	}
	if err := c.s.store.UpdateReservation(c.ctx, r); err != nil {
		return err
	}
	delete(c.l.reservations, r.ID)
	if status != ResUsed && c.now.Before(r.NoShowAt) {
		// The charger still holds it (or may: the ReserveNow answer can
		// still be on its way): release it.
		c.actions = append(c.actions, action{kind: actCancelRes, charger: ch, res: r})
	}
	c.publish = append(c.publish, events.Event{Type: EventReservation, At: c.now, SiteID: c.siteID, ChargerID: r.ChargerID, UserID: r.UserID, Data: r})
	return nil
}

// reconcileHolds makes the connector holds follow the called queue cars:
// a hold whose car is no longer called there ends (expired after a missed
// window, cancelled otherwise); a called car without a hold gets one until
// its hold window ends.
func (c *opCtx) reconcileHolds() error {
	st := c.e.doc.State
	called := map[string]string{}
	var heads []string
	for _, q := range st.Queues {
		if len(q.Cars) > 0 && !q.Cars[0].CalledAt.IsZero() && !q.Cars[0].Charging() {
			called[q.Cars[0].ID] = q.ChargerID
			heads = append(heads, q.Cars[0].ID)
		}
	}
	missed := map[string]bool{}
	for _, ev := range c.events {
		if ev.Kind == dispatch.MovedBack || ev.Kind == dispatch.Removed {
			missed[ev.CarID] = true
		}
	}
	tids := make([]string, 0, len(c.e.doc.Tickets))
	for id := range c.e.doc.Tickets {
		tids = append(tids, id)
	}
	slices.Sort(tids)
	for _, id := range tids {
		t := c.e.doc.Tickets[id]
		if t.ReservationID == "" {
			continue
		}
		r, ok := c.l.reservations[t.ReservationID]
		if !ok {
			t.ReservationID = ""
			continue
		}
		if unit, ok := called[id]; ok && unit == unitID(r.ChargerID, r.ConnectorID) && c.now.Before(r.NoShowAt) && !missed[id] {
			continue
		}
		status := ResCancelled
		if missed[id] || !c.now.Before(r.NoShowAt) {
			status = ResExpired
		}
		if err := c.endReservation(r, status, ""); err != nil {
			return err
		}
		t.ReservationID = ""
	}
	slices.Sort(heads)
	for _, id := range heads {
		t := c.e.doc.Tickets[id]
		if t == nil || t.ReservationID != "" {
			continue
		}
		place, qi, _, _ := st.Where(id)
		if place != "queue" {
			continue
		}
		until := st.Queues[qi].Cars[0].CalledAt.Add(c.e.set.HoldWindow)
		if !until.After(c.now) {
			continue // missed: the next tick moves it back
		}
		r, err := c.newReservation(t.UserID, called[id], KindQueue, t.ID, until, until, t.CreatedAt)
		if err != nil {
			return err
		}
		t.ReservationID = r.ID
	}
	return nil
}

// minPowerW is the least power a connector charges at: 6 A on one phase for
// AC, 5 kW for DC (never above its maximum).
func minPowerW(mode dispatch.Mode, maxW int64) int64 {
	if mode == dispatch.Fast {
		return min(maxW, 5000)
	}
	return min(maxW, 1380)
}

// shareLoad divides the site's power limit among its active sessions
// (dispatch.ShareLoad) and decides a TxProfile for every session whose
// share changed; lowered limits are sent before raised ones so the sum
// stays under the limit while they change. Without a limit, profiles set
// earlier are cleared.
func (c *opCtx) shareLoad() {
	limits := c.e.doc.Limits
	sids := make([]string, 0, len(c.l.bySession))
	for id := range c.l.bySession {
		sids = append(sids, id)
	}
	slices.Sort(sids)
	for id := range limits {
		if _, ok := c.l.bySession[id]; !ok {
			delete(limits, id)
		}
	}
	for id := range c.e.doc.Unmanaged {
		if _, ok := c.l.bySession[id]; !ok {
			delete(c.e.doc.Unmanaged, id)
		}
	}
	if c.e.set.PowerLimitW <= 0 {
		for _, id := range sids {
			if _, had := limits[id]; had {
				x := c.l.bySession[id]
				c.actions = append(c.actions, action{kind: actClearProfile, charger: c.l.chargers[unitID(x.ChargerID, x.ConnectorID)], session: x})
				delete(limits, id)
			}
		}
		return
	}
	units := map[string]dispatch.Charger{}
	queued := map[string]bool{}
	for i, u := range c.l.site.Chargers {
		units[u.ID] = u
		queued[u.ID] = len(c.e.doc.State.Queues[i].Cars) > 1
	}
	// Sessions whose charger refused a profile draw up to their maximum:
	// the others share what is left. After profileRetry they share again
	// (and are sent a profile).
	limitW := c.e.set.PowerLimitW
	for id, at := range c.e.doc.Unmanaged {
		if !c.now.Before(at.Add(profileRetry)) {
			delete(c.e.doc.Unmanaged, id)
			continue
		}
		x := c.l.bySession[id]
		delete(limits, id)
		if u, ok := units[unitID(x.ChargerID, x.ConnectorID)]; ok {
			limitW -= u.PowerW
		}
	}
	waiting := map[dispatch.Mode]bool{}
	for _, car := range c.e.doc.State.Waiting {
		waiting[car.Mode] = true
	}
	remaining := map[string]int64{}
	for _, t := range c.e.doc.Tickets {
		if t.SessionID != "" {
			remaining[t.SessionID] = t.EnergyWh - t.DeliveredWh
		}
	}
	var ls []dispatch.LoadSession
	for _, id := range sids {
		x := c.l.bySession[id]
		u, ok := units[unitID(x.ChargerID, x.ConnectorID)]
		if _, refused := c.e.doc.Unmanaged[id]; !ok || refused {
			continue
		}
		near := x.SoC >= 90 || (x.LimitWh > 0 && x.EnergyWh*10 >= x.LimitWh*9)
		if want, ok := remaining[id]; ok && want > 0 && x.EnergyWh*10 >= want*9 {
			near = true
		}
		ls = append(ls, dispatch.LoadSession{ID: id, MaxW: u.PowerW, MinW: minPowerW(u.Mode, u.PowerW), QueuedFor: queued[u.ID] || waiting[u.Mode], NearlyFinished: near})
	}
	share := dispatch.ShareLoad(max(0, limitW), ls, c.e.set.LoadPolicy)
	var down, up []action
	for _, l := range ls {
		w := share[l.ID]
		old, had := limits[l.ID]
		if had && old == w {
			continue
		}
		limits[l.ID] = w
		x := c.l.bySession[l.ID]
		a := action{kind: actProfile, charger: c.l.chargers[unitID(x.ChargerID, x.ConnectorID)], session: x, limitW: w}
		if !had || w < old {
			down = append(down, a)
		} else {
			up = append(up, a)
		}
	}
	c.actions = append(c.actions, down...)
	c.actions = append(c.actions, up...)
}
