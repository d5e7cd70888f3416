package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/events"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/scheduling"
	"campuscharge/internal/support"
)

// serveEvents streams live events as server-sent events, each filtered by
// the permission the matching REST read needs (see eventVisible).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	secret := bearer(r.Header.Get("Authorization"))
	if c, err := r.Cookie(CookieName); secret == "" && err == nil {
		secret = c.Value
	}
	u, err := s.deps.Accounts.Authenticate(r.Context(), secret)
	if err != nil {
		ctx := context.WithValue(r.Context(), langKey{}, parseLang(r.Header.Get("Accept-Language")))
		p := problemFor(ctx, s.deps.Log, err)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(p.Status)
		_ = json.NewEncoder(w).Encode(p)
		return
	}
	filter := func(e events.Event) bool { return eventVisible(u, e) }
	// Only staff who may read other drivers' data see whom an event concerns.
	showUser := u.Role.Can(account.PermOrdersRead) || u.Role.Can(account.PermSupportWrite)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	ch := s.deps.Events.Subscribe(r.Context(), 256, filter)
	fmt.Fprintf(w, "retry: 3000\n: connected as %s\n\n", u.Role)
	_ = rc.Flush()
	keepalive := time.NewTicker(25 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-keepalive.C:
			fmt.Fprint(w, ": keepalive\n\n")
		case e, ok := <-ch:
			if !ok {
				return
			}
			if !showUser && e.UserID != u.ID {
				e.UserID = ""
			}
			out := viewEvent(e, s.deps.Clock.Now())
			if x, ok := e.Data.(charging.Session); ok && x.UserID == u.ID && x.Status == charging.SessionActive {
				out.Data = s.withCost(r.Context(), x) // the driver's own running session: with its cost so far
			}
			data, err := json.Marshal(out)
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// eventVisible reports whether u may see e: u holds the permission the REST
// read of the same data needs, or the event concerns u (a driver's own
// session, bill, chat, ticket or reservation). Unknown event types go to
// admins only.
func eventVisible(u account.User, e events.Event) bool {
	own := e.UserID != "" && e.UserID == u.ID
	switch {
	case e.Type == events.Gap, e.Type == billing.EventTariffUpdated: // tariffs are public to every logged-in user
		return true
	case support.IsEvent(e.Type): // feedback and chat: GET /chats, /feedback
		return own || u.Role.Can(account.PermSupportWrite)
	}
	switch e.Type {
	case events.ChargerStatus, events.ChargerOnline, events.ChargerOffline:
		return true // drivers see charger status in the charger list
	case events.ChargerBoot, events.CommandFailed:
		return u.Role.Can(account.PermChargersRead)
	case events.SessionStarted, events.SessionUpdated, events.SessionStopped: // GET /sessions
		return own || seesAllSessions(u)
	case billing.EventBillCreated, billing.EventBillPaid: // GET /bills
		return own || u.Role.Can(account.PermOrdersRead)
	case maintenance.EventAlarmRaised, maintenance.EventAlarmUpdated, maintenance.EventTaskUpdated: // GET /alarms, /tasks
		return u.Role.Can(account.PermChargersRead)
	case scheduling.EventQueue, scheduling.EventSite: // GET /sites/{id}/queue
		return own || u.Role.Can(account.PermChargersRead)
	case scheduling.EventReservation: // GET /reservations
		return own || seesAllReservations(u)
	}
	return u.Role == account.RoleAdmin
}

// viewEvent shapes an event's payload like the REST API does.
func viewEvent(e events.Event, now time.Time) events.Event {
	switch x := e.Data.(type) {
	case charging.Session:
		e.Data = viewSession(x, now)
	case billing.Bill:
		e.Data = viewBill(x)
	default:
		if v, ok := viewSupportEvent(x); ok {
			e.Data = v
		}
	case maintenance.Alarm:
		e.Data = viewAlarm(x)
	case maintenance.Task:
		e.Data = viewTask(x, now)
	case scheduling.Reservation:
		e.Data = viewReservation(x)
	}
	return e
}
