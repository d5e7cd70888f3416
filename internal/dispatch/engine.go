package dispatch

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// run applies one operation to a private copy of the state.
type run struct {
	site Site
	st   State
	ev   []Event
}

// begin validates now, copies st and advances it to now.
func begin(site Site, st State, now time.Time) (*run, error) {
	now = now.UTC()
	if now.Before(st.Now) {
		return nil, fmt.Errorf("%w: %s is before %s", ErrTimeBackwards, now, st.Now)
	}
	if len(st.Queues) != len(site.Chargers) {
		return nil, fmt.Errorf("%w: state has %d queues for %d chargers", ErrInvalid, len(st.Queues), len(site.Chargers))
	}
	r := &run{site: site, st: st.Clone()}
	r.advance(now)
	return r, nil
}

func (r *run) emit(e Event) { r.ev = append(r.ev, e) }

func (r *run) carEvent(kind EventKind, c Car, at time.Time) Event {
	return Event{At: at, Kind: kind, CarID: c.ID, Ticket: c.Ticket(), EnergyWh: c.EnergyWh}
}

// refuse records a refusal and returns the error to hand back.
func (r *run) refuse(carID string, err error) error {
	r.emit(Event{At: r.st.Now, Kind: Refused, CarID: carID, Reason: err.Error()})
	return err
}

// available reports whether queue i can take cars.
func (r *run) available(i int) bool {
	return !r.site.Chargers[i].Offline && !r.st.Queues[i].Faulted
}

// backlogMs is the time until everyone in queue i is done, in ms from now.
func (r *run) backlogMs(i int) int64 {
	p := r.site.Chargers[i].PowerW
	var ms int64
	for _, c := range r.st.Queues[i].Cars {
		if c.Charging() {
			ms += max(0, c.FinishAt(p).Sub(r.st.Now).Milliseconds())
		} else {
			ms += DurationMs(c.EnergyWh, p)
		}
	}
	return ms
}

// best returns the available charger of mode with a free place that gives c
// the shortest completion time (ties: lower charger id), or -1.
func (r *run) best(c Car, mode Mode) int {
	bi, bt := -1, int64(0)
	for i, ch := range r.site.Chargers {
		if ch.Mode != mode || !r.available(i) || len(r.st.Queues[i].Cars) >= r.site.QueueLength {
			continue
		}
		t := r.backlogMs(i) + DurationMs(c.EnergyWh, ch.PowerW)
		if bi < 0 || t < bt || (t == bt && ch.ID < r.site.Chargers[bi].ID) {
			bi, bt = i, t
		}
	}
	return bi
}

// freePlaces returns the free places on available chargers of mode ("" for
// all modes).
func (r *run) freePlaces(mode Mode) int {
	n := 0
	for i, ch := range r.site.Chargers {
		if (mode == "" || ch.Mode == mode) && r.available(i) {
			n += max(0, r.site.QueueLength-len(r.st.Queues[i].Cars))
		}
	}
	return n
}

// place appends c to queue i and calls it if it is at the head.
func (r *run) place(c Car, i int) {
	c.CalledAt, c.StartedAt = time.Time{}, time.Time{}
	start := r.st.Now.Add(time.Duration(r.backlogMs(i)) * time.Millisecond)
	finish := start.Add(time.Duration(DurationMs(c.EnergyWh, r.site.Chargers[i].PowerW)) * time.Millisecond)
	q := &r.st.Queues[i]
	q.Cars = append(q.Cars, c)
	e := r.carEvent(Placed, c, r.st.Now)
	e.ChargerID, e.Position, e.ExpectedStart, e.ExpectedFinish = q.ChargerID, len(q.Cars)-1, start, finish
	r.emit(e)
	r.callHead(i)
}

// callHead calls the head of queue i if it is not called yet, and starts it
// at once when the site has no hold window.
func (r *run) callHead(i int) {
	q := &r.st.Queues[i]
	if len(q.Cars) == 0 || !q.Cars[0].CalledAt.IsZero() {
		return
	}
	h := &q.Cars[0]
	h.CalledAt = r.st.Now
	if r.site.HoldWindow == 0 {
		r.start(i)
		return
	}
	e := r.carEvent(Called, *h, r.st.Now)
	e.ChargerID, e.HoldUntil = q.ChargerID, r.st.Now.Add(r.site.HoldWindow)
	r.emit(e)
}

// start starts charging the head of queue i now.
func (r *run) start(i int) {
	q := &r.st.Queues[i]
	q.Cars[0].StartedAt = r.st.Now
	e := r.carEvent(Started, q.Cars[0], r.st.Now)
	e.ChargerID = q.ChargerID
	r.emit(e)
}

// stopHead ends the session of the head of queue i now with reason and
// returns the car with its remaining energy (EnergyWh reduced by what was
// delivered), removed from the queue. The next car is not called.
func (r *run) stopHead(i int, reason string) Car {
	q := &r.st.Queues[i]
	c := q.Cars[0]
	q.Cars = slices.Delete(q.Cars, 0, 1)
	if c.Charging() {
		d := c.DeliveredWh(r.st.Now, r.site.Chargers[i].PowerW)
		e := r.carEvent(Stopped, c, r.st.Now)
		e.ChargerID, e.StartedAt, e.DeliveredWh, e.Reason = q.ChargerID, c.StartedAt, d, reason
		e.EnergyWh = c.EnergyWh - d
		r.emit(e)
		c.EnergyWh -= d
	}
	c.CalledAt, c.StartedAt = time.Time{}, time.Time{}
	return c
}

// advance progresses charging up to now: cars finish in time order; at each
// instant every car due finishes (chargers by id), the next car of each such
// queue starts, then waiting cars are called once, so places that free up
// together are filled together.
func (r *run) advance(now time.Time) {
	for {
		at, ok := NextFinish(r.site, r.st)
		if !ok || at.After(now) {
			break
		}
		r.st.Now = at
		var due []int
		for i, q := range r.st.Queues {
			if len(q.Cars) > 0 && q.Cars[0].Charging() && !q.Cars[0].FinishAt(r.site.Chargers[i].PowerW).After(at) {
				due = append(due, i)
			}
		}
		slices.SortFunc(due, func(a, b int) int { return cmp.Compare(r.st.Queues[a].ChargerID, r.st.Queues[b].ChargerID) })
		for _, i := range due {
			q := &r.st.Queues[i]
			c := q.Cars[0]
			q.Cars = slices.Delete(q.Cars, 0, 1)
			e := r.carEvent(Finished, c, at)
			e.ChargerID, e.StartedAt, e.DeliveredWh, e.EnergyWh = q.ChargerID, c.StartedAt, c.EnergyWh, 0
			r.emit(e)
		}
		for _, i := range due {
			r.callHead(i)
		}
		r.fill()
	}
	r.st.Now = now
}

// fill places displaced cars first, then calls waiting cars into free
// places according to the site's batch mode. Calling is paused for a mode
// while displaced cars of that mode wait (for every mode in FullBatch, which
// mixes modes).
func (r *run) fill() {
	r.placeDisplaced()
	paused := map[Mode]bool{}
	for _, c := range r.st.Displaced {
		paused[c.Mode] = true
	}
	if r.site.Batch == FullBatch {
		free := r.freePlaces("")
		if len(paused) == 0 && free > 0 && len(r.st.Waiting) >= free {
			r.batch(r.st.Waiting, "")
		}
		return
	}
	for _, m := range Modes() {
		if paused[m] {
			continue
		}
		if r.site.Batch == SingleBatch && r.freePlaces(m) >= 2 {
			var cand []Car
			for _, c := range r.st.Waiting {
				if c.Mode == m {
					cand = append(cand, c)
				}
			}
			if len(cand) >= 2 {
				r.batch(cand, m)
				continue
			}
		}
		for {
			wi := r.earliestWaiting(m)
			if wi < 0 {
				break
			}
			ci := r.best(r.st.Waiting[wi], m)
			if ci < 0 {
				break
			}
			c := r.st.Waiting[wi]
			r.st.Waiting = slices.Delete(r.st.Waiting, wi, wi+1)
			r.place(c, ci)
		}
	}
}

// earliestWaiting returns the index of the lowest-numbered waiting car of
// mode, or -1.
func (r *run) earliestWaiting(m Mode) int {
	bi := -1
	for i, c := range r.st.Waiting {
		if c.Mode == m && (bi < 0 || c.Number < r.st.Waiting[bi].Number) {
			bi = i
		}
	}
	return bi
}

// placeDisplaced places displaced cars in order while places are free and
// sets Paused while any remain.
func (r *run) placeDisplaced() {
	var left []Car
	for _, c := range r.st.Displaced {
		if ci := r.best(c, c.Mode); ci >= 0 {
			r.place(c, ci)
		} else {
			left = append(left, c)
		}
	}
	r.st.Displaced = left
	r.st.Paused = len(left) > 0
}

// replace takes every not-yet-charging car of mode off the queues, merges
// them with extra and the displaced cars of mode, and re-places them all by
// queue number; those without a place become displaced.
func (r *run) replace(mode Mode, extra []Car) {
	all := slices.Clone(extra)
	for i, ch := range r.site.Chargers {
		if ch.Mode != mode {
			continue
		}
		q := &r.st.Queues[i]
		keep := q.Cars[:0]
		for _, c := range q.Cars {
			if c.Charging() || (!c.CalledAt.IsZero() && r.available(i)) {
				keep = append(keep, c)
			} else {
				c.CalledAt = time.Time{}
				all = append(all, c)
			}
		}
		q.Cars = keep
	}
	var other []Car
	for _, c := range r.st.Displaced {
		if c.Mode == mode {
			all = append(all, c)
		} else {
			other = append(other, c)
		}
	}
	r.st.Displaced = other
	slices.SortStableFunc(all, func(a, b Car) int { return cmp.Compare(a.Number, b.Number) })
	for _, c := range all {
		if ci := r.best(c, mode); ci >= 0 {
			r.place(c, ci)
		} else {
			r.st.Displaced = append(r.st.Displaced, c)
			e := r.carEvent(DisplacedCar, c, r.st.Now)
			r.emit(e)
		}
	}
	// Queues of mode may now have an uncalled head (the called head stays).
	for i := range r.st.Queues {
		if r.available(i) {
			r.callHead(i)
		}
	}
	r.st.Paused = len(r.st.Displaced) > 0
}
