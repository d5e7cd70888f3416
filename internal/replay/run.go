package replay

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"campuscharge/internal/dispatch"
)

// bill is one priced charging session.
type bill struct {
	// CarID and Ticket identify the car.
	CarID  string
	Ticket string
	// ChargerID is where it charged.
	ChargerID string
	// Start and Stop bound the session.
	Start, Stop time.Time
	// EnergyWh is the energy delivered, in Wh.
	EnergyWh int64
	// EnergyFeeFen and ServiceFeeFen are the fees, in fen.
	EnergyFeeFen, ServiceFeeFen int64
	// Reason is why the session ended: "finished", "fault" or "cancelled".
	Reason string
}

// player holds one replay's progress.
type player struct {
	site  dispatch.Site
	st    dispatch.State
	loc   *time.Location
	p     Pricer
	w     *bufio.Writer
	bills []bill
}

// Run reads a scenario from r, replays it on a fake clock with the
// dispatch rules and writes the report to w, pricing sessions with p.
// Refused operations are part of the report, not errors; Run fails only on
// a malformed scenario, a pricing error or a write error.
func Run(r io.Reader, w io.Writer, p Pricer) error {
	sc, site, loc, offsets, err := parse(r)
	if err != nil {
		return err
	}
	pl := &player{site: site, st: dispatch.NewState(site, sc.Start), loc: loc, p: p, w: bufio.NewWriter(w)}
	pl.printf("# %s\n", sc.Name)
	pl.printf("site: N=%d M=%d strategy=%s batch=%s hold=%s time zone=%s\n", site.WaitingCapacity, site.QueueLength, site.Strategy, orNone(string(site.Batch)), site.HoldWindow, loc)
	for _, c := range site.Chargers {
		pl.printf("charger %s: %s %s\n", c.ID, c.Mode, kw(c.PowerW))
	}
	for i, e := range sc.Events {
		if err := pl.step(e, sc.Start.Add(offsets[i])); err != nil {
			return fmt.Errorf("event %d (%s at %s): %w", i+1, e.Type, e.At, err)
		}
	}
	if err := pl.drain(); err != nil {
		return err
	}
	pl.summary()
	if err := pl.w.Flush(); err != nil {
		return fmt.Errorf("write replay: %w", err)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (pl *player) printf(format string, args ...any) { fmt.Fprintf(pl.w, format, args...) }

// step applies one timeline event and prints its outcome and the state.
func (pl *player) step(e Event, now time.Time) error {
	var (
		st  dispatch.State
		ev  []dispatch.Event
		err error
	)
	var title string
	switch e.Type {
	case "request":
		title = fmt.Sprintf("request %s %s %s", e.Car, e.Mode, kwh(e.EnergyWh))
		st, ev, err = dispatch.Request(pl.site, pl.st, dispatch.NewRequest{CarID: e.Car, Mode: e.Mode, EnergyWh: e.EnergyWh}, now)
	case "change_energy":
		title = fmt.Sprintf("change energy %s to %s", e.Car, kwh(e.EnergyWh))
		st, ev, err = dispatch.ChangeEnergy(pl.site, pl.st, e.Car, e.EnergyWh, now)
	case "change_mode":
		title = fmt.Sprintf("change mode %s to %s", e.Car, e.Mode)
		st, ev, err = dispatch.ChangeMode(pl.site, pl.st, e.Car, e.Mode, now)
	case "cancel":
		title = "cancel " + e.Car
		st, ev, err = dispatch.Cancel(pl.site, pl.st, e.Car, now)
	case "plug_in":
		title = "plug in " + e.Car
		st, ev, err = dispatch.PlugIn(pl.site, pl.st, e.Car, now)
	case "miss_hold":
		title = "missed hold " + e.Car
		st, ev, err = dispatch.MissHold(pl.site, pl.st, e.Car, now)
	case "fault":
		title = "fault " + e.Charger
		st, ev, err = dispatch.Fault(pl.site, pl.st, e.Charger, now)
	case "recover":
		title = "recover " + e.Charger
		st, ev, err = dispatch.Recover(pl.site, pl.st, e.Charger, now)
	case "advance":
		title = "show"
		st, ev, err = dispatch.Advance(pl.site, pl.st, now)
	default:
		return fmt.Errorf("unknown event type %q", e.Type)
	}
	if errors.Is(err, dispatch.ErrTimeBackwards) {
		return err
	}
	pl.st = st
	if err := pl.record(ev); err != nil {
		return err
	}
	pl.printf("\n== %s %s\n", pl.clock(now), title)
	pl.events(ev)
	return pl.show()
}

// drain runs the clock until no car is charging.
func (pl *player) drain() error {
	for {
		at, ok := dispatch.NextFinish(pl.site, pl.st)
		if !ok {
			break
		}
		st, ev, err := dispatch.Advance(pl.site, pl.st, at)
		if err != nil {
			return fmt.Errorf("run to the end: %w", err)
		}
		pl.st = st
		if err := pl.record(ev); err != nil {
			return err
		}
		if len(ev) > 0 {
			pl.printf("\n== %s run\n", pl.clock(at))
			pl.events(ev)
		}
	}
	pl.printf("\n== %s end\n", pl.clock(pl.st.Now))
	return pl.show()
}

// record turns ended sessions into bills.
func (pl *player) record(ev []dispatch.Event) error {
	for _, e := range ev {
		if e.Kind != dispatch.Finished && e.Kind != dispatch.Stopped {
			continue
		}
		ef, sf, err := pl.p.Price(e.StartedAt.In(pl.loc), e.At.In(pl.loc), e.DeliveredWh)
		if err != nil {
			return fmt.Errorf("bill %s: %w", e.CarID, err)
		}
		reason := "finished"
		if e.Kind == dispatch.Stopped {
			reason = e.Reason
		}
		pl.bills = append(pl.bills, bill{CarID: e.CarID, Ticket: e.Ticket, ChargerID: e.ChargerID, Start: e.StartedAt, Stop: e.At,
			EnergyWh: e.DeliveredWh, EnergyFeeFen: ef, ServiceFeeFen: sf, Reason: reason})
	}
	return nil
}

// events prints the decisions of one step.
func (pl *player) events(ev []dispatch.Event) {
	for _, e := range ev {
		s := fmt.Sprintf("  > %s %s", pl.clock(e.At), e.Kind)
		if e.Ticket != "" {
			s += fmt.Sprintf(" %s %s", e.Ticket, e.CarID)
		} else if e.CarID != "" {
			s += " " + e.CarID
		}
		switch e.Kind {
		case dispatch.Placed:
			s += fmt.Sprintf(" on %s place %d, start %s, finish %s", e.ChargerID, e.Position+1, pl.clock(e.ExpectedStart), pl.clock(e.ExpectedFinish))
		case dispatch.Finished, dispatch.Stopped:
			s += fmt.Sprintf(" on %s, %s delivered", e.ChargerID, kwh(e.DeliveredWh))
			if e.Kind == dispatch.Stopped {
				s += fmt.Sprintf(", %s still wanted (%s)", kwh(e.EnergyWh), e.Reason)
			}
		case dispatch.Called:
			s += fmt.Sprintf(" to %s, plug in by %s", e.ChargerID, pl.clock(e.HoldUntil))
		case dispatch.Queued, dispatch.EnergyChanged, dispatch.ModeChanged, dispatch.DisplacedCar:
			s += " " + kwh(e.EnergyWh)
		case dispatch.Faulted, dispatch.Recovered:
			s += " " + e.ChargerID
		case dispatch.Started, dispatch.MovedBack, dispatch.Removed:
			s += " on " + e.ChargerID
		}
		if e.Reason != "" && e.Kind != dispatch.Stopped {
			s += ": " + e.Reason
		}
		pl.printf("%s\n", s)
	}
}

// show prints every charger's queue and the waiting area.
func (pl *player) show() error {
	now := pl.st.Now
	for i, q := range pl.st.Queues {
		ch := pl.site.Chargers[i]
		state := ""
		switch {
		case q.Faulted:
			state = " FAULTED"
		case ch.Offline:
			state = " OFFLINE"
		}
		var cars []string
		for _, c := range q.Cars {
			switch {
			case c.Charging():
				d := c.DeliveredWh(now, ch.PowerW)
				ef, sf, err := pl.p.Price(c.StartedAt.In(pl.loc), now.In(pl.loc), d)
				if err != nil {
					return fmt.Errorf("fee so far of %s: %w", c.ID, err)
				}
				cars = append(cars, fmt.Sprintf("%s %s charging %s/%s fee %s", c.Ticket(), c.ID, kwh(d), kwh(c.EnergyWh), yuan(ef+sf)))
			case !c.CalledAt.IsZero():
				cars = append(cars, fmt.Sprintf("%s %s called %s", c.Ticket(), c.ID, kwh(c.EnergyWh)))
			default:
				cars = append(cars, fmt.Sprintf("%s %s queued %s", c.Ticket(), c.ID, kwh(c.EnergyWh)))
			}
		}
		pl.printf("  %s%s: %s\n", ch.ID, state, orNone(strings.Join(cars, " | ")))
	}
	pl.printf("  waiting %d/%d: %s\n", len(pl.st.Waiting), pl.site.WaitingCapacity, orNone(list(pl.st.Waiting)))
	if len(pl.st.Displaced) > 0 {
		pl.printf("  displaced: %s\n", list(pl.st.Displaced))
	}
	if pl.st.Paused {
		pl.printf("  calling paused\n")
	}
	return nil
}

func list(cs []dispatch.Car) string {
	var s []string
	for _, c := range cs {
		s = append(s, fmt.Sprintf("%s %s %s", c.Ticket(), c.ID, kwh(c.EnergyWh)))
	}
	return strings.Join(s, ", ")
}

// summary prints the bills and each charger's totals.
func (pl *player) summary() {
	pl.printf("\n== bills\n")
	pl.printf("  %-6s %-8s %-7s %-19s %-19s %10s %9s %9s %9s  %s\n", "ticket", "car", "charger", "start", "stop", "energy", "energy ¥", "service ¥", "total ¥", "end")
	type tot struct {
		n          int
		dur        time.Duration
		wh, ef, sf int64
	}
	totals := map[string]*tot{}
	for _, b := range pl.bills {
		pl.printf("  %-6s %-8s %-7s %-19s %-19s %10s %9s %9s %9s  %s\n", b.Ticket, b.CarID, b.ChargerID, pl.clock(b.Start), pl.clock(b.Stop),
			kwh(b.EnergyWh), yuan(b.EnergyFeeFen), yuan(b.ServiceFeeFen), yuan(b.EnergyFeeFen+b.ServiceFeeFen), b.Reason)
		t := totals[b.ChargerID]
		if t == nil {
			t = &tot{}
			totals[b.ChargerID] = t
		}
		t.n++
		t.dur += b.Stop.Sub(b.Start)
		t.wh += b.EnergyWh
		t.ef += b.EnergyFeeFen
		t.sf += b.ServiceFeeFen
	}
	pl.printf("\n== chargers\n")
	pl.printf("  %-7s %8s %10s %10s %9s %9s %9s\n", "charger", "sessions", "duration", "energy", "energy ¥", "service ¥", "total ¥")
	for _, c := range pl.site.Chargers {
		t := totals[c.ID]
		if t == nil {
			t = &tot{}
		}
		pl.printf("  %-7s %8d %10s %10s %9s %9s %9s\n", c.ID, t.n, t.dur.Round(time.Second), kwh(t.wh), yuan(t.ef), yuan(t.sf), yuan(t.ef+t.sf))
	}
}

func (pl *player) clock(t time.Time) string { return t.In(pl.loc).Format("2006-01-02 15:04:05") }

func kwh(wh int64) string { return fmt.Sprintf("%d.%03d kWh", wh/1000, wh%1000) }

func kw(w int64) string { return fmt.Sprintf("%d.%03d kW", w/1000, w%1000) }

func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
