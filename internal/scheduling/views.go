package scheduling

import (
	"container/heap"
	"fmt"
	"slices"
	"time"

	"campuscharge/internal/dispatch"
)

// TicketView is a queue ticket as drivers and staff see it (and as
// queue.updated events carry it).
type TicketView struct {
	ID     string `json:"id"`
	SiteID string `json:"site_id"`
	UserID string `json:"user_id"`
	// Number is the queue number shown to the driver, such as F3.
	Number string `json:"number"`
	Mode   string `json:"mode" enum:"fast,slow"`
	// EnergyWh is the energy wanted in all, in Wh.
	EnergyWh int64 `json:"energy_wh"`
	// DeliveredWh is what ended sessions of the ticket delivered, in Wh.
	DeliveredWh int64 `json:"delivered_wh"`
	// Status is waiting, displaced, queued, called, charging, or once ended
	// finished, cancelled or removed.
	Status string `json:"status"`
	// Position is the place among the waiting cars of the mode (1 = next)
	// while waiting or displaced, and the place on the charger's queue (0 =
	// the charging place) once placed.
	Position    int    `json:"position"`
	ChargerID   string `json:"charger_id,omitempty"`
	ConnectorID int    `json:"connector_id,omitempty"`
	// ExpectedStart is the estimated start of charging (an estimate at the
	// connectors' rated power).
	ExpectedStart time.Time `json:"expected_start,omitzero"`
	// HoldUntil is when a called driver's hold on the connector ends.
	HoldUntil  time.Time `json:"hold_until,omitzero"`
	SessionID  string    `json:"session_id,omitempty"`
	MissedHold bool      `json:"missed_hold,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func (v TicketView) key() string {
	return fmt.Sprintf("%s|%s|%d|%s|%d|%d|%d|%d|%d|%s|%t", v.Status, v.Number, v.Position, v.ChargerID, v.ConnectorID, v.ExpectedStart.Unix()/60, v.HoldUntil.Unix(), v.EnergyWh, v.DeliveredWh, v.SessionID, v.MissedHold)
}

// UnitQueue is one connector's queue in a site view.
type UnitQueue struct {
	ChargerID   string `json:"charger_id"`
	ConnectorID int    `json:"connector_id"`
	Mode        string `json:"mode" enum:"fast,slow"`
	// PowerW is the connector's rated power, in W.
	PowerW  int64 `json:"power_w"`
	Faulted bool  `json:"faulted"`
	// Blocked is set while the connector takes no queue cars (unavailable,
	// used outside the queue, or held by a reservation).
	Blocked bool `json:"blocked"`
	// LimitW is the power limit sent to its session, in W; -1 when none.
	LimitW int64        `json:"limit_w"`
	Cars   []TicketView `json:"cars"`
}

// SiteQueue is a site's whole queue for staff.
type SiteQueue struct {
	SiteID    string       `json:"site_id"`
	Units     []UnitQueue  `json:"units"`
	Waiting   []TicketView `json:"waiting"`
	Displaced []TicketView `json:"displaced"`
}

// remainingMs is how long car c still needs at powerW from now, in ms.
func remainingMs(c dispatch.Car, powerW int64, now time.Time) int64 {
	if c.Charging() {
		return max(0, c.FinishAt(powerW).Sub(now).Milliseconds())
	}
	return dispatch.DurationMs(c.EnergyWh, powerW)
}

type freeAt struct {
	at    int64
	power int64
	id    string
}
type freeHeap []freeAt

func (h freeHeap) Len() int { return len(h) }
func (h freeHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].id < h[j].id
}
func (h freeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *freeHeap) Push(x any)   { *h = append(*h, x.(freeAt)) }
func (h *freeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// views computes every live ticket's view. Waiting and displaced cars get
// an estimated start from a greedy run of the mode's connectors: each car,
// displaced first and then by number, takes the connector that frees first.
func (s *Service) views(e *siteEntry, l *live, now time.Time) []TicketView {
	st := e.doc.State
	out := make([]TicketView, 0, len(e.doc.Tickets))
	base := func(c dispatch.Car) TicketView {
		t := e.doc.Tickets[c.ID]
		v := TicketView{ID: c.ID, Number: c.Ticket(), Mode: string(c.Mode), MissedHold: c.MissedHold}
		if t != nil {
			v.SiteID, v.UserID, v.EnergyWh, v.DeliveredWh, v.SessionID, v.CreatedAt = t.SiteID, t.UserID, t.EnergyWh, t.DeliveredWh, t.SessionID, t.CreatedAt
		}
		return v
	}
	heaps := map[dispatch.Mode]*freeHeap{dispatch.Fast: {}, dispatch.Slow: {}}
	for i, q := range st.Queues {
		if i >= len(l.site.Chargers) {
			break
		}
		u := l.site.Chargers[i]
		chargerID, conn := splitUnit(u.ID)
		var ms int64
		for pos, c := range q.Cars {
			v := base(c)
			v.ChargerID, v.ConnectorID, v.Position = chargerID, conn, pos
			switch {
			case pos == 0 && c.Charging():
				v.Status, v.ExpectedStart = "charging", c.StartedAt
				if x, ok := l.bySession[v.SessionID]; ok {
					v.ExpectedStart = x.StartedAt
				}
			case pos == 0 && !c.CalledAt.IsZero():
				v.Status, v.ExpectedStart, v.HoldUntil = "called", c.CalledAt, c.CalledAt.Add(l.site.HoldWindow)
			default:
				v.Status, v.ExpectedStart = "queued", now.Add(time.Duration(ms)*time.Millisecond)
			}
			ms += remainingMs(c, u.PowerW, now)
			if t := e.doc.Tickets[c.ID]; t != nil {
				out = append(out, v)
			}
		}
		if !q.Faulted && !u.Offline {
			heap.Push(heaps[u.Mode], freeAt{at: ms, power: u.PowerW, id: u.ID})
		}
	}
	rank := map[dispatch.Mode]int{}
	estimate := func(c dispatch.Car, status string) {
		v := base(c)
		rank[c.Mode]++
		v.Status, v.Position = status, rank[c.Mode]
		if h := heaps[c.Mode]; h.Len() > 0 {
			f := heap.Pop(h).(freeAt)
			v.ExpectedStart = now.Add(time.Duration(f.at) * time.Millisecond)
			f.at += dispatch.DurationMs(c.EnergyWh, f.power)
			heap.Push(h, f)
		}
		if e.doc.Tickets[c.ID] != nil {
			out = append(out, v)
		}
	}
	for _, c := range st.Displaced {
		estimate(c, "displaced")
	}
	waiting := slices.Clone(st.Waiting)
	slices.SortStableFunc(waiting, func(a, b dispatch.Car) int { return a.Number - b.Number })
	for _, c := range waiting {
		estimate(c, "waiting")
	}
	return out
}
