package dispatch

import (
	"fmt"
	"slices"
	"time"
)

// NewRequest is a driver's request to charge.
type NewRequest struct {
	// CarID identifies the driver or car; one request per car at a time.
	CarID string `json:"car_id"`
	// Mode is fast or slow.
	Mode Mode `json:"mode"`
	// EnergyWh is the energy wanted, in Wh.
	EnergyWh int64 `json:"energy_wh"`
}

// finish returns the outcome of an operation: on error the state is the one
// advanced to now (time still passed) and the events include the refusal.
func (r *run) finish(err error) (State, []Event, error) {
	return r.st, r.ev, err
}

// Advance progresses st to now: cars charge at their charger's constant
// power, finish, free their places, and waiting cars are called.
func Advance(site Site, st State, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("advance: %w", err)
	}
	r.fill()
	return r.finish(nil)
}

// NextFinish returns the earliest time a charging car will finish, for a
// service to set its timer; ok is false when no car is charging.
func NextFinish(site Site, st State) (at time.Time, ok bool) {
	for i, q := range st.Queues {
		if i >= len(site.Chargers) || len(q.Cars) == 0 || !q.Cars[0].Charging() {
			continue
		}
		t := q.Cars[0].FinishAt(site.Chargers[i].PowerW)
		if !ok || t.Before(at) {
			at, ok = t, true
		}
	}
	return at, ok
}

// Request adds a car to the waiting area with the next number of its mode
// and calls it at once if a place is free. It is refused when the waiting
// area is full, the car already has a request, or the site has no charger of
// that mode.
func Request(site Site, st State, req NewRequest, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("request of %s: %w", req.CarID, err)
	}
	switch {
	case req.CarID == "" || !req.Mode.Valid() || req.EnergyWh <= 0:
		err = fmt.Errorf("%w: car %q, mode %q, energy %d Wh", ErrInvalid, req.CarID, req.Mode, req.EnergyWh)
	case !slices.ContainsFunc(site.Chargers, func(c Charger) bool { return c.Mode == req.Mode }):
		err = ErrNoCharger
	default:
		if _, _, _, ok := r.st.Where(req.CarID); ok {
			err = ErrDuplicateCar
		} else if len(r.st.Waiting) >= site.WaitingCapacity {
			err = ErrWaitingAreaFull
		}
	}
	if err != nil {
		return r.finish(fmt.Errorf("request of %s: %w", req.CarID, r.refuse(req.CarID, err)))
	}
	c := Car{ID: req.CarID, Mode: req.Mode, EnergyWh: req.EnergyWh, ArrivedAt: r.st.Now, Number: r.st.takeNumber(req.Mode)}
	r.st.Waiting = append(r.st.Waiting, c)
	r.emit(r.carEvent(Queued, c, r.st.Now))
	r.fill()
	return r.finish(nil)
}

func (st *State) takeNumber(m Mode) int {
	if m == Fast {
		st.NextFast++
		return st.NextFast - 1
	}
	st.NextSlow++
	return st.NextSlow - 1
}

// waitingIndex finds carID in the waiting area or says why it cannot change.
func (r *run) waitingIndex(carID string) (int, error) {
	place, _, pos, ok := r.st.Where(carID)
	switch {
	case !ok:
		return -1, ErrUnknownCar
	case place != "waiting":
		return -1, ErrAlreadyPlaced
	}
	return pos, nil
}

// ChangeEnergy changes the energy of a waiting car; it keeps its number.
// Refused once the car is placed on a charger queue.
func ChangeEnergy(site Site, st State, carID string, energyWh int64, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("change energy of %s: %w", carID, err)
	}
	i, err := r.waitingIndex(carID)
	if err == nil && energyWh <= 0 {
		err = fmt.Errorf("%w: energy %d Wh", ErrInvalid, energyWh)
	}
	if err != nil {
		return r.finish(fmt.Errorf("change energy of %s: %w", carID, r.refuse(carID, err)))
	}
	r.st.Waiting[i].EnergyWh = energyWh
	r.emit(r.carEvent(EnergyChanged, r.st.Waiting[i], r.st.Now))
	r.fill()
	return r.finish(nil)
}

// ChangeMode moves a waiting car to the other mode with a new number at the
// end of that mode's queue (the same mode changes nothing). Refused once the car is placed on a charger
// queue, or when the site has no charger of the new mode.
func ChangeMode(site Site, st State, carID string, mode Mode, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("change mode of %s: %w", carID, err)
	}
	i, err := r.waitingIndex(carID)
	switch {
	case err != nil:
	case !mode.Valid():
		err = fmt.Errorf("%w: mode %q", ErrInvalid, mode)
	case !slices.ContainsFunc(site.Chargers, func(c Charger) bool { return c.Mode == mode }):
		err = ErrNoCharger
	}
	if err != nil {
		return r.finish(fmt.Errorf("change mode of %s: %w", carID, r.refuse(carID, err)))
	}
	if c := r.st.Waiting[i]; c.Mode != mode {
		c.Mode, c.Number = mode, r.st.takeNumber(mode)
		r.st.Waiting = append(slices.Delete(r.st.Waiting, i, i+1), c)
		r.emit(r.carEvent(ModeChanged, c, r.st.Now))
	}
	r.fill()
	return r.finish(nil)
}

// Cancel removes a car wherever it is; a charging car is stopped and its
// session billed for what was delivered (a Stopped event).
func Cancel(site Site, st State, carID string, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("cancel %s: %w", carID, err)
	}
	place, qi, pos, ok := r.st.Where(carID)
	if !ok {
		return r.finish(fmt.Errorf("cancel %s: %w", carID, r.refuse(carID, ErrUnknownCar)))
	}
	var c Car
	switch place {
	case "waiting":
		c = r.st.Waiting[pos]
		r.st.Waiting = slices.Delete(r.st.Waiting, pos, pos+1)
	case "displaced":
		c = r.st.Displaced[pos]
		r.st.Displaced = slices.Delete(r.st.Displaced, pos, pos+1)
	default:
		if pos == 0 {
			c = r.stopHead(qi, "cancelled")
		} else {
			q := &r.st.Queues[qi]
			c = q.Cars[pos]
			q.Cars = slices.Delete(q.Cars, pos, pos+1)
		}
	}
	r.emit(r.carEvent(Cancelled, c, r.st.Now))
	if place == "queue" {
		r.callHead(qi)
	}
	r.fill()
	return r.finish(nil)
}

// Fault marks a charger faulted: its charging car is stopped and billed for
// what was delivered, and its remaining energy and the cars queued behind it
// are re-dispatched by the site strategy (Priority or TimeOrder).
func Fault(site Site, st State, chargerID string, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("fault %s: %w", chargerID, err)
	}
	qi := slices.IndexFunc(r.st.Queues, func(q Queue) bool { return q.ChargerID == chargerID })
	switch {
	case qi < 0:
		err = ErrUnknownCharger
	case r.st.Queues[qi].Faulted:
		err = fmt.Errorf("%w: already faulted", ErrChargerState)
	}
	if err != nil {
		return r.finish(fmt.Errorf("fault %s: %w", chargerID, r.refuse("", err)))
	}
	r.st.Queues[qi].Faulted = true
	r.emit(Event{At: r.st.Now, Kind: Faulted, ChargerID: chargerID})
	var out []Car
	for len(r.st.Queues[qi].Cars) > 0 {
		if c := r.stopHead(qi, "fault"); c.EnergyWh > 0 {
			out = append(out, c)
		}
	}
	mode := site.Chargers[qi].Mode
	if site.Strategy == TimeOrder {
		r.replace(mode, out)
	} else {
		for _, c := range out {
			r.emit(r.carEvent(DisplacedCar, c, r.st.Now))
		}
		r.st.Displaced = append(r.st.Displaced, out...)
	}
	r.fill()
	return r.finish(nil)
}

// Recover marks a faulted charger working again: the not-yet-charging cars
// of its mode (and displaced ones) are re-balanced by queue number, then
// calling resumes.
func Recover(site Site, st State, chargerID string, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("recover %s: %w", chargerID, err)
	}
	qi := slices.IndexFunc(r.st.Queues, func(q Queue) bool { return q.ChargerID == chargerID })
	switch {
	case qi < 0:
		err = ErrUnknownCharger
	case !r.st.Queues[qi].Faulted:
		err = fmt.Errorf("%w: not faulted", ErrChargerState)
	}
	if err != nil {
		return r.finish(fmt.Errorf("recover %s: %w", chargerID, r.refuse("", err)))
	}
	r.st.Queues[qi].Faulted = false
	r.emit(Event{At: r.st.Now, Kind: Recovered, ChargerID: chargerID})
	r.replace(site.Chargers[qi].Mode, nil)
	r.fill()
	return r.finish(nil)
}

// calledIndex finds the queue whose head is carID, called and not charging.
func (r *run) calledIndex(carID string) (int, error) {
	place, qi, pos, ok := r.st.Where(carID)
	if !ok {
		return -1, ErrUnknownCar
	}
	if place != "queue" || pos != 0 || r.st.Queues[qi].Cars[0].Charging() || r.st.Queues[qi].Cars[0].CalledAt.IsZero() {
		return -1, ErrNotCalled
	}
	return qi, nil
}

// PlugIn starts charging a called car (sites with a hold window).
func PlugIn(site Site, st State, carID string, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("plug in %s: %w", carID, err)
	}
	qi, err := r.calledIndex(carID)
	if err != nil {
		return r.finish(fmt.Errorf("plug in %s: %w", carID, r.refuse(carID, err)))
	}
	r.start(qi)
	return r.finish(nil)
}

// MissHold reports that a called driver did not plug in within the hold
// window. The first time the car goes back one place (behind the next car,
// which is called; alone, it is called again); the second time it is out.
func MissHold(site Site, st State, carID string, now time.Time) (State, []Event, error) {
	r, err := begin(site, st, now)
	if err != nil {
		return st, nil, fmt.Errorf("missed hold of %s: %w", carID, err)
	}
	qi, err := r.calledIndex(carID)
	if err != nil {
		return r.finish(fmt.Errorf("missed hold of %s: %w", carID, r.refuse(carID, err)))
	}
	q := &r.st.Queues[qi]
	c := q.Cars[0]
	c.CalledAt = time.Time{}
	if c.MissedHold {
		q.Cars = slices.Delete(q.Cars, 0, 1)
		e := r.carEvent(Removed, c, r.st.Now)
		e.ChargerID, e.Reason = q.ChargerID, "missed hold window twice"
		r.emit(e)
	} else {
		c.MissedHold = true
		pos := min(1, len(q.Cars)-1)
		q.Cars = slices.Insert(slices.Delete(q.Cars, 0, 1), pos, c)
		e := r.carEvent(MovedBack, c, r.st.Now)
		e.ChargerID, e.Position, e.Reason = q.ChargerID, pos, "missed hold window"
		r.emit(e)
	}
	r.callHead(qi)
	r.fill()
	return r.finish(nil)
}
