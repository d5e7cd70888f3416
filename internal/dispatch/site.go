package dispatch

import (
	"errors"
	"fmt"
	"time"
)

// Mode is the charging mode of a charger and of a request.
type Mode string

// The two charging modes.
const (
	Fast Mode = "fast"
	Slow Mode = "slow"
)

// Modes returns the charging modes in the order they are served.
func Modes() [2]Mode { return [2]Mode{Fast, Slow} }

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Fast || m == Slow }

// Other returns the other mode.
func (m Mode) Other() Mode {
	if m == Fast {
		return Slow
	}
	return Fast
}

// Prefix returns the letter of the mode's queue numbers: F for fast, T for slow.
func (m Mode) Prefix() string {
	if m == Fast {
		return "F"
	}
	return "T"
}

// Strategy says how the cars of a faulted charger are re-dispatched.
type Strategy string

// Fault strategies.
const (
	// Priority places the faulted charger's cars first; calling from the
	// waiting area pauses until all of them are placed.
	Priority Strategy = "priority"
	// TimeOrder merges the faulted charger's cars with every not-yet-charging
	// car on chargers of that mode and re-places them by queue number.
	TimeOrder Strategy = "time_order"
)

// BatchMode selects optional batch placement.
type BatchMode string

// Batch modes.
const (
	// NoBatch calls waiting cars one at a time by queue number.
	NoBatch BatchMode = ""
	// SingleBatch, when several places of a mode are free at once, chooses
	// the set of waiting cars of that mode and their placement that minimise
	// their total completion time, regardless of arrival order.
	SingleBatch BatchMode = "single_batch"
	// FullBatch dispatches only when the waiting cars are at least as many as
	// the free places of the whole site, and then places them on chargers of
	// either mode (the request's mode is ignored) minimising total completion
	// time.
	FullBatch BatchMode = "batch"
)

// Charger is one charger of a site as configured.
type Charger struct {
	// ID identifies the charger; ties between chargers go to the lower ID.
	ID string `json:"id"`
	// Mode is fast or slow.
	Mode Mode `json:"mode"`
	// PowerW is the constant charging power, in W.
	PowerW int64 `json:"power_w"`
	// Offline chargers (taken out by an operator) are never dispatched to.
	Offline bool `json:"offline,omitempty"`
}

// Site holds the dispatch parameters of a site.
type Site struct {
	// WaitingCapacity is N, the number of cars the waiting area holds.
	WaitingCapacity int `json:"waiting_capacity"`
	// QueueLength is M, the places per charger: the first charges, the
	// others wait next to it.
	QueueLength int `json:"queue_length"`
	// Strategy re-dispatches the cars of a faulted charger.
	Strategy Strategy `json:"strategy"`
	// Batch selects optional batch placement.
	Batch BatchMode `json:"batch,omitempty"`
	// HoldWindow is how long a called driver has to plug in. Zero means the
	// car starts charging as soon as it reaches the head of a queue; above
	// zero the service reports PlugIn or MissHold.
	HoldWindow time.Duration `json:"hold_window,omitempty"`
	// Chargers of the site; their order is the order of State.Queues.
	Chargers []Charger `json:"chargers"`
}

// Validate checks the site parameters.
func (s Site) Validate() error {
	var errs []error
	if s.WaitingCapacity < 0 {
		errs = append(errs, fmt.Errorf("waiting capacity %d is negative", s.WaitingCapacity))
	}
	if s.QueueLength < 1 {
		errs = append(errs, fmt.Errorf("queue length %d is below 1", s.QueueLength))
	}
	if s.Strategy != Priority && s.Strategy != TimeOrder {
		errs = append(errs, fmt.Errorf("unknown strategy %q", s.Strategy))
	}
	if s.Batch != NoBatch && s.Batch != SingleBatch && s.Batch != FullBatch {
		errs = append(errs, fmt.Errorf("unknown batch mode %q", s.Batch))
	}
	if s.HoldWindow < 0 {
		errs = append(errs, fmt.Errorf("hold window %s is negative", s.HoldWindow))
	}
	seen := map[string]bool{}
	for _, c := range s.Chargers {
		if c.ID == "" || seen[c.ID] {
			errs = append(errs, fmt.Errorf("charger id %q is empty or repeated", c.ID))
		}
		seen[c.ID] = true
		if !c.Mode.Valid() {
			errs = append(errs, fmt.Errorf("charger %s: unknown mode %q", c.ID, c.Mode))
		}
		if c.PowerW <= 0 {
			errs = append(errs, fmt.Errorf("charger %s: power %d W is not positive", c.ID, c.PowerW))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// DurationMs returns how long charging energyWh at powerW takes, in ms,
// rounded up so that the energy is complete at the end.
func DurationMs(energyWh, powerW int64) int64 {
	if energyWh <= 0 || powerW <= 0 {
		return 0
	}
	return (energyWh*3_600_000 + powerW - 1) / powerW
}

// EnergyWh returns the energy delivered at powerW in elapsedMs, in Wh,
// rounded down.
func EnergyWh(elapsedMs, powerW int64) int64 {
	if elapsedMs <= 0 || powerW <= 0 {
		return 0
	}
	return elapsedMs * powerW / 3_600_000
}
