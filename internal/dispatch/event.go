package dispatch

import "time"

// EventKind names a dispatch decision or happening.
type EventKind string

// Event kinds.
const (
	// Queued: a request entered the waiting area with a queue number.
	Queued EventKind = "queued"
	// Refused: an operation was refused; Reason says why.
	Refused EventKind = "refused"
	// EnergyChanged: a waiting car changed its energy.
	EnergyChanged EventKind = "energy_changed"
	// ModeChanged: a waiting car changed mode and got a new number.
	ModeChanged EventKind = "mode_changed"
	// Placed: a car was placed on a charger queue at Position with expected
	// start and finish.
	Placed EventKind = "placed"
	// Called: a car reached the head of a queue and must plug in before
	// HoldUntil.
	Called EventKind = "called"
	// Started: a car started charging.
	Started EventKind = "started"
	// Finished: a car received all its energy; the session ends.
	Finished EventKind = "finished"
	// Stopped: a charging car was stopped (fault or cancel) with DeliveredWh;
	// the session ends and is billed for what was delivered.
	Stopped EventKind = "stopped"
	// Cancelled: a car left the site without (further) charging.
	Cancelled EventKind = "cancelled"
	// MovedBack: a car missed its hold window and went back one place.
	MovedBack EventKind = "moved_back"
	// Removed: a car missed its hold window a second time and is out.
	Removed EventKind = "removed"
	// Displaced: a car was taken off a faulted charger and waits for a
	// place before anything else is called.
	DisplacedCar EventKind = "displaced"
	// Faulted and Recovered: a charger changed state.
	Faulted   EventKind = "faulted"
	Recovered EventKind = "recovered"
)

// Event is one decision or happening. Fields not relevant to Kind are zero.
type Event struct {
	// At is when it happened.
	At time.Time `json:"at"`
	// Kind says what happened.
	Kind EventKind `json:"kind"`
	// CarID and Ticket identify the car (empty for charger events).
	CarID  string `json:"car_id,omitempty"`
	Ticket string `json:"ticket,omitempty"`
	// ChargerID is the charger concerned.
	ChargerID string `json:"charger_id,omitempty"`
	// Position in the charger queue, 0 = charging place.
	Position int `json:"position,omitempty"`
	// ExpectedStart and ExpectedFinish of a Placed car.
	ExpectedStart  time.Time `json:"expected_start,omitzero"`
	ExpectedFinish time.Time `json:"expected_finish,omitzero"`
	// HoldUntil is the end of a Called car's hold window.
	HoldUntil time.Time `json:"hold_until,omitzero"`
	// StartedAt and DeliveredWh (Wh) describe the session that ended at At
	// (Finished, Stopped).
	StartedAt   time.Time `json:"started_at,omitzero"`
	DeliveredWh int64     `json:"delivered_wh,omitempty"`
	// EnergyWh is the energy still wanted, in Wh.
	EnergyWh int64 `json:"energy_wh,omitempty"`
	// Reason explains a refusal, stop, cancel or removal.
	Reason string `json:"reason,omitempty"`
}
