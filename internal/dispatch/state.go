package dispatch

import (
	"fmt"
	"slices"
	"time"
)

// Car is one request: a driver's car waiting or placed on a charger queue.
type Car struct {
	// ID identifies the driver or car.
	ID string `json:"id"`
	// Mode is the requested charging mode.
	Mode Mode `json:"mode"`
	// Number is the queue number within the mode (F<Number> or T<Number>).
	Number int `json:"number"`
	// EnergyWh is the energy still to deliver in this placement, in Wh.
	// After a fault it is what the stopped session did not deliver.
	EnergyWh int64 `json:"energy_wh"`
	// ArrivedAt is when the request was made.
	ArrivedAt time.Time `json:"arrived_at"`
	// CalledAt is when the car reached the head of a charger queue; zero
	// before.
	CalledAt time.Time `json:"called_at,omitzero"`
	// StartedAt is when charging started; zero while not charging.
	StartedAt time.Time `json:"started_at,omitzero"`
	// MissedHold is set once the driver has missed a hold window.
	MissedHold bool `json:"missed_hold,omitempty"`
}

// Ticket returns the car's queue number as shown to drivers, such as F3.
func (c Car) Ticket() string { return fmt.Sprintf("%s%d", c.Mode.Prefix(), c.Number) }

// Charging reports whether the car is charging.
func (c Car) Charging() bool { return !c.StartedAt.IsZero() }

// DeliveredWh returns the energy delivered by now at powerW in this
// placement, in Wh, never more than EnergyWh.
func (c Car) DeliveredWh(now time.Time, powerW int64) int64 {
	if !c.Charging() {
		return 0
	}
	return min(c.EnergyWh, EnergyWh(now.Sub(c.StartedAt).Milliseconds(), powerW))
}

// FinishAt returns when a charging car completes at powerW.
func (c Car) FinishAt(powerW int64) time.Time {
	return c.StartedAt.Add(time.Duration(DurationMs(c.EnergyWh, powerW)) * time.Millisecond)
}

// Queue is one charger's queue: Cars[0] charges (or is called to plug in),
// the others wait next to it.
type Queue struct {
	// ChargerID is the charger this queue belongs to.
	ChargerID string `json:"charger_id"`
	// Faulted is set between Fault and Recover.
	Faulted bool `json:"faulted,omitempty"`
	// Cars in the queue, head first.
	Cars []Car `json:"cars"`
}

// State is the dispatch state of a site at time Now.
type State struct {
	// Now is the time the state describes.
	Now time.Time `json:"now"`
	// Waiting holds the cars in the waiting area, in arrival order.
	Waiting []Car `json:"waiting"`
	// Displaced holds cars taken off a faulted charger that found no place
	// yet; they are placed before anything else is called.
	Displaced []Car `json:"displaced"`
	// Queues has one queue per site charger, in Site.Chargers order.
	Queues []Queue `json:"queues"`
	// NextFast and NextSlow are the next queue numbers of each mode.
	NextFast int `json:"next_fast"`
	NextSlow int `json:"next_slow"`
	// Paused is set while displaced cars wait for a place: no car of their
	// mode is called from the waiting area meanwhile.
	Paused bool `json:"paused,omitempty"`
}

// NewState returns the empty state of site at now.
func NewState(site Site, now time.Time) State {
	st := State{Now: now.UTC(), NextFast: 1, NextSlow: 1}
	for _, c := range site.Chargers {
		st.Queues = append(st.Queues, Queue{ChargerID: c.ID})
	}
	return st
}

// Clone returns a deep copy of st.
func (st State) Clone() State {
	out := st
	out.Waiting = slices.Clone(st.Waiting)
	out.Displaced = slices.Clone(st.Displaced)
	out.Queues = slices.Clone(st.Queues)
	for i := range out.Queues {
		out.Queues[i].Cars = slices.Clone(out.Queues[i].Cars)
	}
	return out
}

// Where tells where a car is: "waiting", "displaced" or "queue", with the
// charger index and position for "queue"; ok is false if the car is unknown.
func (st State) Where(carID string) (place string, charger, pos int, ok bool) {
	for i, c := range st.Waiting {
		if c.ID == carID {
			return "waiting", -1, i, true
		}
	}
	for i, c := range st.Displaced {
		if c.ID == carID {
			return "displaced", -1, i, true
		}
	}
	for qi, q := range st.Queues {
		for p, c := range q.Cars {
			if c.ID == carID {
				return "queue", qi, p, true
			}
		}
	}
	return "", -1, -1, false
}
