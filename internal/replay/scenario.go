package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"campuscharge/internal/dispatch"
)

// Scenario is the JSON a replay reads.
type Scenario struct {
	// Name is printed as the title.
	Name string `json:"name"`
	// TimeZone is the site's IANA time zone for display and tariffs
	// (default UTC).
	TimeZone string `json:"time_zone"`
	// Start is when the fake clock starts (RFC 3339).
	Start time.Time `json:"start"`
	// WaitingCapacity is N, the waiting area size.
	WaitingCapacity int `json:"waiting_capacity"`
	// QueueLength is M, the places per charger.
	QueueLength int `json:"queue_length"`
	// Strategy is "priority" or "time_order".
	Strategy dispatch.Strategy `json:"strategy"`
	// Batch is "", "single_batch" or "batch".
	Batch dispatch.BatchMode `json:"batch"`
	// HoldWindow is a Go duration such as "5m"; empty means none.
	HoldWindow string `json:"hold_window"`
	// Chargers with id, mode and power_w.
	Chargers []dispatch.Charger `json:"chargers"`
	// Events is the timeline, in time order.
	Events []Event `json:"events"`
}

// Event is one timeline entry.
type Event struct {
	// At is the offset from Start as a Go duration ("1h30m").
	At string `json:"at"`
	// Type is request, change_energy, change_mode, cancel, fault, recover,
	// plug_in, miss_hold or advance (just show the state).
	Type string `json:"type"`
	// Car is the driver or car id.
	Car string `json:"car,omitempty"`
	// Charger is the charger id (fault, recover).
	Charger string `json:"charger,omitempty"`
	// Mode is fast or slow (request, change_mode).
	Mode dispatch.Mode `json:"mode,omitempty"`
	// EnergyWh is the energy wanted, in Wh (request, change_energy).
	EnergyWh int64 `json:"energy_wh,omitempty"`
}

// parse reads and checks a scenario.
func parse(r io.Reader) (Scenario, dispatch.Site, *time.Location, []time.Duration, error) {
	var sc Scenario
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return sc, dispatch.Site{}, nil, nil, fmt.Errorf("read scenario: %w", err)
	}
	loc := time.UTC
	if sc.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(sc.TimeZone); err != nil {
			return sc, dispatch.Site{}, nil, nil, fmt.Errorf("scenario time zone: %w", err)
		}
	}
	site := dispatch.Site{WaitingCapacity: sc.WaitingCapacity, QueueLength: sc.QueueLength, Strategy: sc.Strategy, Batch: sc.Batch, Chargers: sc.Chargers}
	if sc.HoldWindow != "" {
		d, err := time.ParseDuration(sc.HoldWindow)
		if err != nil {
			return sc, site, nil, nil, fmt.Errorf("scenario hold window: %w", err)
		}
		site.HoldWindow = d
	}
	if err := site.Validate(); err != nil {
		return sc, site, nil, nil, fmt.Errorf("scenario site: %w", err)
	}
	offsets := make([]time.Duration, len(sc.Events))
	for i, e := range sc.Events {
		d, err := time.ParseDuration(e.At)
		if err != nil {
			return sc, site, nil, nil, fmt.Errorf("event %d: at: %w", i+1, err)
		}
		if i > 0 && d < offsets[i-1] {
			return sc, site, nil, nil, fmt.Errorf("event %d: at %s is before the previous event", i+1, e.At)
		}
		offsets[i] = d
	}
	return sc, site, loc, offsets, nil
}
