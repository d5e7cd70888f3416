package dispatch

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)

func at(minutes float64) time.Time {
	return t0.Add(time.Duration(minutes * float64(time.Minute)))
}

// op is one step of a test scenario.
type op struct {
	min    float64
	kind   string // request, energy, mode, cancel, fault, recover, advance, miss, plug
	id     string // car or charger
	mode   Mode
	wh     int64
	wantIs error // expected refusal, nil for success
}

func req(min float64, id string, m Mode, wh int64) op {
	return op{min: min, kind: "request", id: id, mode: m, wh: wh}
}

// apply runs one op and returns the new state and events.
func apply(site Site, st State, o op) (State, []Event, error) {
	now := at(o.min)
	switch o.kind {
	case "request":
		return Request(site, st, NewRequest{CarID: o.id, Mode: o.mode, EnergyWh: o.wh}, now)
	case "energy":
		return ChangeEnergy(site, st, o.id, o.wh, now)
	case "mode":
		return ChangeMode(site, st, o.id, o.mode, now)
	case "cancel":
		return Cancel(site, st, o.id, now)
	case "fault":
		return Fault(site, st, o.id, now)
	case "recover":
		return Recover(site, st, o.id, now)
	case "advance":
		return Advance(site, st, now)
	case "miss":
		return MissHold(site, st, o.id, now)
	case "plug":
		return PlugIn(site, st, o.id, now)
	}
	panic("unknown op " + o.kind)
}

// play runs ops from an empty state, failing on unexpected outcomes.
func play(t *testing.T, site Site, ops []op) (State, []Event) {
	t.Helper()
	if err := site.Validate(); err != nil {
		t.Fatalf("site: %v", err)
	}
	st := NewState(site, t0)
	var all []Event
	for _, o := range ops {
		next, ev, err := apply(site, st, o)
		if !errors.Is(err, o.wantIs) || (o.wantIs == nil && err != nil) {
			t.Fatalf("%s %s at %v min: got error %v, want %v", o.kind, o.id, o.min, err, o.wantIs)
		}
		st, all = next, append(all, ev...)
	}
	return st, all
}

// layout shows where every car is: charger id -> tickets, head first, "*"
// marks a charging car; "waiting" and "displaced" list those areas.
func layout(st State) map[string][]string {
	out := map[string][]string{}
	for _, c := range st.Waiting {
		out["waiting"] = append(out["waiting"], c.Ticket())
	}
	for _, c := range st.Displaced {
		out["displaced"] = append(out["displaced"], c.Ticket())
	}
	for _, q := range st.Queues {
		for _, c := range q.Cars {
			s := c.Ticket()
			if c.Charging() {
				s += "*"
			}
			out[q.ChargerID] = append(out[q.ChargerID], s)
		}
	}
	return out
}

func fastSite(n, m int, strategy Strategy, chargers ...Charger) Site {
	return Site{WaitingCapacity: n, QueueLength: m, Strategy: strategy, Chargers: chargers}
}

func fc(id string, kw int64) Charger { return Charger{ID: id, Mode: Fast, PowerW: kw * 1000} }
func sc(id string, kw int64) Charger { return Charger{ID: id, Mode: Slow, PowerW: kw * 1000} }

// brief renders events compactly for comparisons.
func brief(ev []Event, kinds ...EventKind) []string {
	keep := map[EventKind]bool{}
	for _, k := range kinds {
		keep[k] = true
	}
	var out []string
	for _, e := range ev {
		if len(kinds) > 0 && !keep[e.Kind] {
			continue
		}
		s := fmt.Sprintf("%s %s %s", e.At.Sub(t0), e.Kind, e.Ticket)
		if e.ChargerID != "" {
			s += " @" + e.ChargerID
		}
		if e.Kind == Placed {
			s += fmt.Sprintf(" pos%d %s-%s", e.Position, e.ExpectedStart.Sub(t0), e.ExpectedFinish.Sub(t0))
		}
		if e.Kind == Stopped || e.Kind == Finished {
			s += fmt.Sprintf(" %dWh", e.DeliveredWh)
		}
		out = append(out, s)
	}
	return out
}
