package scheduling_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/billing"
	"campuscharge/internal/charging"
	"campuscharge/internal/dispatch"
	"campuscharge/internal/events"
	"campuscharge/internal/scheduling"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

func modeOf(s string) dispatch.Mode { return dispatch.Mode(s) }

func wantCode(t *testing.T, err error, key string) {
	t.Helper()
	var ae *apperr.Error
	if err == nil {
		t.Fatalf("got no error, want %s", key)
	}
	if !asAppErr(err, &ae) || ae.Key != key {
		t.Fatalf("got error %v, want key %s", err, key)
	}
}

// TestQueueCalledReservedStart: a driver is called to the free charger and
// it is reserved for them; the next driver waits, is called when the first
// finishes, and the hold follows.
func TestQueueCalledReservedStart(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *storeDB) {
		h := newHarness(t, db)
		h.fake.addCharger("A", "fast", 60000)
		h.settings(func(s *scheduling.Settings) { s.QueueLength = 1 })

		v1 := h.join("u1", "fast", 30000)
		if v1.Status != "called" || v1.ChargerID != "A" || v1.Number != "F1" {
			t.Fatalf("first driver: got %s %s on %q, want F1 called on A", v1.Number, v1.Status, v1.ChargerID)
		}
		if got, want := actionsOf(h.fake.take()), []string{"ReserveNow A"}; !slices.Equal(got, want) {
			t.Fatalf("got commands %v, want %v", got, want)
		}
		if holder, ok := h.svc.Holder(h.ctx, "A", 1); !ok || holder != "u1" {
			t.Fatalf("got holder %q %v, want u1", holder, ok)
		}
		v2 := h.join("u2", "fast", 10000)
		if v2.Status != "waiting" || v2.Position != 1 || v2.Number != "F2" {
			t.Fatalf("second driver: got %s %s position %d, want F2 waiting 1", v2.Number, v2.Status, v2.Position)
		}
		// 30 kWh at 60 kW: the second driver's start is expected in 30 minutes.
		if got, want := v2.ExpectedStart, t0.Add(30*time.Minute); !got.Equal(want) {
			t.Errorf("got expected start %s, want %s", got, want)
		}

		h.clock.Advance(5 * time.Minute)
		x := h.fake.start(t, "A", "u1", h.clock.Now())
		h.event(events.SessionStarted, x)
		if v := h.ticket("u1"); v.Status != "charging" || v.SessionID != x.ID {
			t.Fatalf("got %s with session %q, want charging with %s", v.Status, v.SessionID, x.ID)
		}
		rs, err := h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u1"})
		if err != nil || len(rs) != 1 || rs[0].Status != scheduling.ResUsed || rs[0].SessionID != x.ID {
			t.Fatalf("got reservations %+v (%v), want one used by %s", rs, err, x.ID)
		}

		h.clock.Advance(20 * time.Minute)
		h.fake.deliver(x.ID, 20000)
		h.fake.take()
		h.event(events.SessionStopped, h.fake.stop(x.ID, "Local", h.clock.Now()))
		if ts, _ := h.svc.Tickets(h.ctx, "u1"); len(ts) != 0 {
			t.Errorf("got %d tickets for u1 after the stop, want 0", len(ts))
		}
		if v := h.ticket("u2"); v.Status != "called" || v.ChargerID != "A" {
			t.Errorf("got u2 %s on %q, want called on A", v.Status, v.ChargerID)
		}
		if got, want := actionsOf(h.fake.take()), []string{"ReserveNow A"}; !slices.Equal(got, want) {
			t.Errorf("got commands %v, want %v", got, want)
		}
		// The holds keep when each ticket joined the queue, for the
		// statistics' average wait: u2 joined at t0 and was called 25
		// minutes later.
		rs, err = h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u2"})
		if err != nil || len(rs) != 1 || !rs[0].QueuedAt.Equal(t0) || !rs[0].ReservedAt.Equal(t0.Add(25*time.Minute)) {
			t.Errorf("got reservations %+v (%v), want one queued at %s and made 25 minutes later", rs, err, t0)
		}
		if rs, _ := h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u1"}); len(rs) != 1 || !rs[0].QueuedAt.Equal(t0) {
			t.Errorf("got u1's reservations %+v, want one queued at %s", rs, t0)
		}
	})
}

// TestChangeRules: energy and mode change while waiting; refused once
// placed; cancel while charging stops the session.
func TestChangeRules(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.fake.addCharger("B", "slow", 7000)
	h.settings(func(s *scheduling.Settings) { s.QueueLength = 1 })
	placed := h.join("u1", "fast", 30000)
	waiting := h.join("u2", "fast", 10000)

	v, err := h.svc.ChangeEnergy(h.ctx, "u2", waiting.ID, 20000)
	if err != nil || v.Number != "F2" || v.EnergyWh != 20000 {
		t.Fatalf("change energy: got %s %d Wh (%v), want F2 20000 Wh", v.Number, v.EnergyWh, err)
	}
	_, err = h.svc.ChangeEnergy(h.ctx, "u1", placed.ID, 5000)
	wantCode(t, err, "ticket_placed")
	_, err = h.svc.ChangeMode(h.ctx, "u1", placed.ID, dispatch.Slow)
	wantCode(t, err, "ticket_placed")
	_, err = h.svc.ChangeEnergy(h.ctx, "u1", waiting.ID, 5000)
	wantCode(t, err, "ticket_not_found")
	_, err = h.svc.Join(h.ctx, "u2", "S1", dispatch.Fast, 1000)
	wantCode(t, err, "already_queued")

	v, err = h.svc.ChangeMode(h.ctx, "u2", waiting.ID, dispatch.Slow)
	if err != nil || v.Number != "T1" || v.Status != "called" || v.ChargerID != "B" {
		t.Fatalf("change mode: got %s %s on %q (%v), want T1 called on B", v.Number, v.Status, v.ChargerID, err)
	}

	x := h.fake.start(t, "A", "u1", h.clock.Now())
	h.event(events.SessionStarted, x)
	h.fake.take()
	if _, err := h.svc.Cancel(h.ctx, "u1", false, placed.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := actionsOf(h.fake.take()), []string{"RemoteStopTransaction A"}; !slices.Equal(got, want) {
		t.Errorf("got commands %v, want %v", got, want)
	}
	if _, err := h.svc.Cancel(h.ctx, "u2", false, v.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := actionsOf(h.fake.take()), []string{"CancelReservation B"}; !slices.Equal(got, want) {
		t.Errorf("got commands %v, want %v", got, want)
	}
}

// TestMissedHold: a called driver who does not come goes back once (alone:
// called again), then is out.
func TestMissedHold(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.settings(nil)
	h.join("u1", "fast", 30000)
	h.clock.Advance(15 * time.Minute)
	h.svc.Tick(h.ctx)
	v := h.ticket("u1")
	if v.Status != "called" || !v.MissedHold || !v.HoldUntil.Equal(h.clock.Now().Add(15*time.Minute)) {
		t.Fatalf("after one miss: got %s missed=%v until %s, want called again with a new hold", v.Status, v.MissedHold, v.HoldUntil)
	}
	h.clock.Advance(15 * time.Minute)
	h.svc.Tick(h.ctx)
	if ts, _ := h.svc.Tickets(h.ctx, "u1"); len(ts) != 0 {
		t.Fatalf("after two misses: got %+v, want no ticket", ts)
	}
	rs, _ := h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u1"})
	var got []string
	for _, r := range rs {
		got = append(got, r.Kind+" "+r.Status)
	}
	if want := []string{"queue expired", "queue expired"}; !slices.Equal(got, want) {
		t.Errorf("got holds %v, want %v", got, want)
	}
}

// TestReservationLifecycle covers a driver's own reservation ending by use,
// cancel and expiry, a charger that refuses ReserveNow, and the limits.
func TestReservationLifecycle(t *testing.T) {
	type step struct {
		name      string
		reserveAs string // ReserveNow answer
		end       string // "start", "cancel", "expire"
		status    string
		feeFen    int64
		atCharger bool
		commands  []string
	}
	for _, tc := range []step{
		{name: "used", end: "start", status: scheduling.ResUsed, feeFen: 100, atCharger: true, commands: []string{"ReserveNow A"}},
		{name: "cancelled", end: "cancel", status: scheduling.ResCancelled, feeFen: 0, atCharger: true, commands: []string{"ReserveNow A", "CancelReservation A"}},
		{name: "no-show", end: "expire", status: scheduling.ResExpired, feeFen: 600, atCharger: true, commands: []string{"ReserveNow A"}},
		{name: "software hold", reserveAs: "Rejected", end: "start", status: scheduling.ResUsed, feeFen: 100, atCharger: false, commands: []string{"ReserveNow A"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, sqliteDB(t))
			h.fake.addCharger("A", "fast", 60000)
			h.fake.reserve = tc.reserveAs
			h.settings(nil)
			r, err := h.svc.Reserve(h.ctx, "u1", scheduling.ReserveInput{SiteID: "S1", Mode: dispatch.Fast})
			if err != nil {
				t.Fatal(err)
			}
			if r.ChargerID != "A" || r.AtCharger != tc.atCharger || !r.NoShowAt.Equal(t0.Add(20*time.Minute)) {
				t.Fatalf("got %+v, want A held until %s, at charger %v", r, t0.Add(20*time.Minute), tc.atCharger)
			}
			if holder, ok := h.svc.Holder(h.ctx, "A", 1); !ok || holder != "u1" {
				t.Fatalf("got holder %q %v, want u1", holder, ok)
			}
			// Nobody is dispatched to a reserved connector.
			if v := h.join("u2", "fast", 10000); v.Status != "waiting" {
				t.Errorf("queue driver: got %s, want waiting", v.Status)
			}
			_, err = h.svc.Reserve(h.ctx, "u1", scheduling.ReserveInput{ChargerID: "A", ConnectorID: 1})
			wantCode(t, err, "reservation_active")
			switch tc.end {
			case "start":
				h.clock.Advance(10 * time.Minute)
				h.event(events.SessionStarted, h.fake.start(t, "A", "u1", h.clock.Now()))
			case "cancel":
				if _, err := h.svc.CancelReservation(h.ctx, "u1", false, r.ID); err != nil {
					t.Fatal(err)
				}
			case "expire":
				h.clock.Advance(19 * time.Minute)
				h.svc.Tick(h.ctx)
				if got, _ := h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u1"}); got[0].Status != scheduling.ResActive {
					t.Fatalf("in the grace: got %s, want active", got[0].Status)
				}
				h.clock.Advance(time.Minute)
				h.svc.Tick(h.ctx)
			}
			got, _ := h.svc.Reservations(h.ctx, scheduling.ReservationFilter{UserID: "u1"})
			if got[0].Status != tc.status || got[0].FeeFen != tc.feeFen {
				t.Errorf("got %s with fee %d, want %s with %d", got[0].Status, got[0].FeeFen, tc.status, tc.feeFen)
			}
			// The fee is billed to the driver, once: 100 fen reservation fee,
			// plus 500 fen no-show fee when unused.
			var billed []billing.ReservationFee
			if tc.feeFen > 0 {
				noShow := tc.feeFen - 100
				billed = []billing.ReservationFee{{ReservationID: r.ID, UserID: "u1", ChargerID: "A", SiteID: "S1", Connector: 1, ReservedAt: t0,
					EndedAt: h.clock.Now(), ReservationFen: 100, NoShowFen: noShow, TariffID: "T", TariffVersion: "V"}}
			}
			if diff := cmp.Diff(billed, h.fees.take()); diff != "" {
				t.Errorf("fees billed (-want +got):\n%s", diff)
			}
			if _, ok := h.svc.Holder(h.ctx, "A", 1); ok {
				t.Errorf("connector still held after the end")
			}
			var cmds []string
			for _, c := range actionsOf(h.fake.take()) {
				if c != "SetChargingProfile A" {
					cmds = append(cmds, c)
				}
			}
			if diff := cmp.Diff(tc.commands, cmds); diff != "" {
				t.Errorf("commands (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNoShowCap: after the monthly cap of no-shows, reservations are
// refused until the next month (site time zone).
func TestNoShowCap(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.settings(func(s *scheduling.Settings) { s.MaxNoShowsPerMonth = 2 })
	for i := range 2 {
		if _, err := h.svc.Reserve(h.ctx, "u1", scheduling.ReserveInput{ChargerID: "A", ConnectorID: 1}); err != nil {
			t.Fatalf("reservation %d: %v", i+1, err)
		}
		h.clock.Advance(21 * time.Minute)
		h.svc.Tick(h.ctx)
	}
	_, err := h.svc.Reserve(h.ctx, "u1", scheduling.ReserveInput{ChargerID: "A", ConnectorID: 1})
	wantCode(t, err, "too_many_no_shows")
	if _, err := h.svc.Reserve(h.ctx, "u2", scheduling.ReserveInput{ChargerID: "A", ConnectorID: 1}); err != nil {
		t.Errorf("another driver: got %v, want a reservation", err)
	}
	h.clock.Set(time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC)) // 1 April, 00:00 in Shanghai
	h.svc.Tick(h.ctx)
	if _, err := h.svc.Reserve(h.ctx, "u1", scheduling.ReserveInput{ChargerID: "A", ConnectorID: 1}); err != nil {
		t.Errorf("next month: got %v, want a reservation", err)
	}
}

// TestFaultStrategies: a charger faults with cars on it: the charging car's
// session is stopped, every car is re-dispatched by the strategy, the
// stored state survives a restart, and recovery puts the charger back.
func TestFaultStrategies(t *testing.T) {
	for _, strategy := range []dispatch.Strategy{dispatch.Priority, dispatch.TimeOrder} {
		t.Run(string(strategy), func(t *testing.T) {
			h := newHarness(t, sqliteDB(t))
			h.fake.addCharger("A", "fast", 60000)
			h.fake.addCharger("B", "fast", 60000)
			h.settings(func(s *scheduling.Settings) { s.QueueLength = 2; s.Strategy = strategy })
			for _, u := range []string{"u1", "u2", "u3", "u4", "u5"} {
				h.join(u, "fast", 30000)
			}
			for _, u := range []string{"u1", "u2"} {
				v := h.ticket(u)
				h.event(events.SessionStarted, h.fake.start(t, v.ChargerID, u, h.clock.Now()))
			}
			h.clock.Advance(10 * time.Minute)
			h.fake.deliver("X001", 10000)
			h.fake.take()
			onA := h.ticket("u1").ChargerID
			h.fake.setStatus(onA, "Faulted")
			h.poke()
			if got := actionsOf(h.fake.take()); !slices.Contains(got, "RemoteStopTransaction "+onA) {
				t.Errorf("got commands %v, want a stop on %s", got, onA)
			}
			h.event(events.SessionStopped, h.fake.stop("X001", "Other", h.clock.Now()))
			all := map[string]scheduling.TicketView{}
			for _, u := range []string{"u1", "u2", "u3", "u4", "u5"} {
				v := h.ticket(u)
				if v.ChargerID == onA {
					t.Errorf("%s still on the faulted charger", u)
				}
				all[u] = v
			}
			if got := all["u1"]; got.DeliveredWh != 10000 {
				t.Errorf("u1 delivered: got %d Wh, want 10000", got.DeliveredWh)
			}
			q, err := h.svc.SiteQueue(h.ctx, "S1")
			if err != nil {
				t.Fatal(err)
			}
			h.svc = h.newService()
			q2, err := h.svc.SiteQueue(h.ctx, "S1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(q, q2); diff != "" {
				t.Errorf("queue after restart differs (-before +after):\n%s", diff)
			}
			h.fake.setStatus(onA, "Available")
			h.poke()
			q3, _ := h.svc.SiteQueue(h.ctx, "S1")
			for _, u := range q3.Units {
				if u.ChargerID == onA && (u.Faulted || len(u.Cars) == 0) {
					t.Errorf("after recovery: %s faulted=%v with %d cars, want working with cars", onA, u.Faulted, len(u.Cars))
				}
			}
		})
	}
}

// TestOfflineIsAFault: a charger going offline faults its connectors.
func TestOfflineIsAFault(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.fake.addCharger("B", "fast", 60000)
	h.settings(nil)
	v := h.join("u1", "fast", 30000)
	h.fake.setOnline(v.ChargerID, false)
	h.poke()
	if w := h.ticket("u1"); w.ChargerID == v.ChargerID || w.Status != "called" {
		t.Errorf("got %s on %s, want called on the other charger", w.Status, w.ChargerID)
	}
}

// TestLoadNeverExceedsLimit starts and stops sessions at random and checks
// after each change that every session has a limit and their sum stays
// within the site's limit; with a charger that refuses charging profiles,
// its session counts at its maximum and the others' limits plus that stay
// within the site's limit whenever that maximum alone fits.
func TestLoadNeverExceedsLimit(t *testing.T) {
	for _, policy := range []dispatch.LoadPolicy{dispatch.FairShare, dispatch.FavourBusy} {
		for _, refuse := range []string{"", "E"} {
			t.Run(string(policy)+"/refusing"+refuse, func(t *testing.T) {
				h := newHarness(t, sqliteDB(t))
				ids := []string{"A", "B", "C", "D", "E", "F"}
				maxW := map[string]int64{}
				for i, id := range ids {
					kind, p := "slow", 7000
					if i%2 == 0 {
						kind, p = "fast", 60000
					}
					h.fake.addCharger(id, kind, p)
					maxW[id] = int64(p)
				}
				if refuse != "" {
					h.fake.profile[refuse] = "Rejected"
				}
				h.settings(func(s *scheduling.Settings) { s.PowerLimitW = 50000; s.LoadPolicy = policy })
				rnd := rand.New(rand.NewPCG(1, uint64(len(policy))))
				active := map[string]string{}
				for step := range 200 {
					id := ids[rnd.IntN(len(ids))]
					if sid, ok := active[id]; ok {
						h.event(events.SessionStopped, h.fake.stop(sid, "Local", h.clock.Now()))
						delete(active, id)
					} else {
						x := h.fake.start(t, id, "", h.clock.Now())
						active[id] = x.ID
						h.event(events.SessionStarted, x)
					}
					if step%17 == 0 {
						h.settings(func(s *scheduling.Settings) { s.PowerLimitW = int64(10000 + rnd.IntN(80000)); s.LoadPolicy = policy })
					}
					set, _ := h.svc.Settings(h.ctx, "S1")
					var sum, unmanaged int64
					for cid, sid := range active {
						w, ok := h.fake.limits[sid]
						switch {
						case cid == refuse:
							unmanaged += maxW[cid]
						case !ok:
							t.Fatalf("step %d: session %s has no limit", step, sid)
						default:
							sum += w
						}
					}
					if unmanaged <= set.PowerLimitW && sum+unmanaged > set.PowerLimitW {
						t.Fatalf("step %d: limits sum to %d W plus %d W unmanaged, over the site limit %d W", step, sum, unmanaged, set.PowerLimitW)
					}
					if unmanaged > set.PowerLimitW && sum != 0 {
						t.Fatalf("step %d: unmanaged %d W exceed the site limit %d W, but the others still get %d W", step, unmanaged, set.PowerLimitW, sum)
					}
					h.clock.Advance(time.Minute)
				}
			})
		}
	}
}

// TestRefusedProfile: a charger that rejects SetChargingProfile, does not
// support it or does not answer is counted at its maximum, and the others
// share what is left of the site limit; it is tried again a minute later;
// once it takes a profile it shares like the others; when it stops, the
// others share the whole limit.
func TestRefusedProfile(t *testing.T) {
	for _, answer := range []string{"Rejected", "NotSupported", "error"} {
		t.Run(answer, func(t *testing.T) {
			h := newHarness(t, sqliteDB(t))
			h.fake.addCharger("A", "fast", 60000)
			h.fake.addCharger("B", "slow", 7000)
			h.fake.addCharger("C", "fast", 60000)
			h.fake.profile["B"] = answer
			h.settings(func(s *scheduling.Settings) { s.PowerLimitW = 80000 })
			var xs []charging.Session
			for _, id := range []string{"A", "B", "C"} {
				x := h.fake.start(t, id, "", h.clock.Now())
				xs = append(xs, x)
				h.event(events.SessionStarted, x)
				h.clock.Advance(time.Minute)
			}
			limitsOf := func() map[string]int64 {
				q, err := h.svc.SiteQueue(h.ctx, "S1")
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]int64{}
				for _, u := range q.Units {
					out[u.ChargerID] = u.LimitW
				}
				return out
			}
			// B may draw 7 kW: A and C share the other 73 kW; B has no
			// recorded limit.
			want := map[string]int64{"A": 36500, "B": -1, "C": 36500}
			if diff := cmp.Diff(want, limitsOf()); diff != "" {
				t.Errorf("recorded limits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int64{xs[0].ID: 36500, xs[2].ID: 36500}, h.fake.limits); diff != "" {
				t.Errorf("limits at the chargers (-want +got):\n%s", diff)
			}
			// B is not asked again for a minute, then it is, and it is
			// counted at its maximum again when it refuses again.
			h.fake.take()
			h.clock.Advance(59 * time.Second)
			h.poke()
			if got := actionsOf(h.fake.take()); len(got) != 0 {
				t.Errorf("got commands %v before a minute passed, want none", got)
			}
			h.clock.Advance(time.Second)
			h.poke()
			if got := actionsOf(h.fake.take()); !slices.Contains(got, "SetChargingProfile B") {
				t.Errorf("got commands %v a minute later, want SetChargingProfile to B", got)
			}
			if diff := cmp.Diff(want, limitsOf()); diff != "" {
				t.Errorf("after the retry, recorded limits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int64{xs[0].ID: 36500, xs[2].ID: 36500}, h.fake.limits); diff != "" {
				t.Errorf("after the retry, limits at the chargers (-want +got):\n%s", diff)
			}
			// Once B takes a profile, it shares like the others.
			h.fake.profile["B"] = ""
			h.clock.Advance(time.Minute)
			h.poke()
			if diff := cmp.Diff(map[string]int64{"A": 36500, "B": 7000, "C": 36500}, limitsOf()); diff != "" {
				t.Errorf("after B accepted, recorded limits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int64{xs[0].ID: 36500, xs[1].ID: 7000, xs[2].ID: 36500}, h.fake.limits); diff != "" {
				t.Errorf("after B accepted, limits at the chargers (-want +got):\n%s", diff)
			}
			h.event(events.SessionStopped, h.fake.stop(xs[1].ID, "Local", h.clock.Now()))
			want = map[string]int64{"A": 40000, "B": -1, "C": 40000}
			if diff := cmp.Diff(want, limitsOf()); diff != "" {
				t.Errorf("after B stopped, recorded limits (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]int64{xs[0].ID: 40000, xs[2].ID: 40000}, h.fake.limits); diff != "" {
				t.Errorf("after B stopped, limits at the chargers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestQueueEvents: a ticket change (energy, cancel) publishes
// scheduling.EventQueue with the ticket's new view to its driver, and
// nothing to drivers whose view did not change.
func TestQueueEvents(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.settings(func(s *scheduling.Settings) { s.QueueLength = 1 })
	h.join("u1", "fast", 30000)
	v2 := h.join("u2", "fast", 10000)
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	ch := h.bus.Subscribe(ctx, 64, func(e events.Event) bool { return e.Type == scheduling.EventQueue })
	drain := func() map[string][]scheduling.TicketView {
		t.Helper()
		out := map[string][]scheduling.TicketView{}
		for {
			select {
			case e := <-ch:
				v, ok := e.Data.(scheduling.TicketView)
				if !ok || e.UserID != v.UserID || e.SiteID != "S1" {
					t.Fatalf("got event %+v, want a ticket view for its driver at S1", e)
				}
				out[e.UserID] = append(out[e.UserID], v)
			default:
				return out
			}
		}
	}

	if _, err := h.svc.ChangeEnergy(h.ctx, "u2", v2.ID, 20000); err != nil {
		t.Fatal(err)
	}
	got := drain()
	if vs := got["u2"]; len(vs) != 1 || vs[0].ID != v2.ID || vs[0].EnergyWh != 20000 || vs[0].Status != "waiting" {
		t.Errorf("after the energy change: got %+v for u2, want one waiting view with 20000 Wh", vs)
	}
	if vs := got["u1"]; len(vs) != 0 {
		t.Errorf("after u2's energy change: got %+v for u1, want nothing", vs)
	}

	if _, err := h.svc.Cancel(h.ctx, "u2", false, v2.ID); err != nil {
		t.Fatal(err)
	}
	got = drain()
	if vs := got["u2"]; len(vs) != 1 || vs[0].ID != v2.ID || vs[0].Status != "cancelled" {
		t.Errorf("after the cancel: got %+v for u2, want one cancelled view", vs)
	}
	if vs := got["u1"]; len(vs) != 0 {
		t.Errorf("after u2's cancel: got %+v for u1, want nothing", vs)
	}
}

// TestFaultCreditsFinalEnergy: a queue car charges on A, its meter reads
// 10 kWh, then A faults and the session's stop reports 12 kWh, in either
// order, across a restart, or with the stop event lost: the ticket counts
// the 12 kWh, the car is re-dispatched to B for the 18 kWh it still wants,
// and its session there is stopped once it delivered them.
func TestFaultCreditsFinalEnergy(t *testing.T) {
	const wanted, atFault, final = 30000, 10000, 12000
	fault := func(h *harness) {
		h.fake.setStatus("A", "Faulted")
		h.poke()
	}
	stop := func(h *harness, reason string) {
		h.fake.deliver("X001", final)
		h.event(events.SessionStopped, h.fake.stop("X001", reason, h.clock.Now()))
	}
	for _, tc := range []struct {
		name     string
		strategy dispatch.Strategy
		run      func(h *harness)
	}{
		{"fault then stop", dispatch.Priority, func(h *harness) { fault(h); stop(h, "Remote") }},
		{"fault then stop/time order", dispatch.TimeOrder, func(h *harness) { fault(h); stop(h, "Remote") }},
		{"stop then fault", dispatch.Priority, func(h *harness) { stop(h, "Other"); h.clock.Advance(time.Second); fault(h) }},
		{"stop then fault/time order", dispatch.TimeOrder, func(h *harness) { stop(h, "Other"); h.clock.Advance(time.Second); fault(h) }},
		{"fault, restart, stop", dispatch.Priority, func(h *harness) { fault(h); h.svc = h.newService(); stop(h, "Remote") }},
		{"fault, stop event lost", dispatch.Priority, func(h *harness) {
			fault(h)
			h.fake.deliver("X001", final)
			h.fake.stop("X001", "Remote", h.clock.Now())
			h.svc = h.newService()
			h.poke()
		}},
		{"stop seen with the fault", dispatch.Priority, func(h *harness) {
			h.fake.deliver("X001", final)
			x := h.fake.stop("X001", "Other", h.clock.Now())
			fault(h)
			h.event(events.SessionStopped, x)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, sqliteDB(t))
			h.fake.addCharger("A", "fast", 60000)
			h.fake.addCharger("B", "fast", 60000)
			h.settings(func(s *scheduling.Settings) { s.QueueLength = 2; s.Strategy = tc.strategy })
			if v := h.join("u1", "fast", wanted); v.ChargerID != "A" {
				t.Fatalf("u1 called on %q, want A", v.ChargerID)
			}
			h.event(events.SessionStarted, h.fake.start(t, "A", "u1", h.clock.Now()))
			h.clock.Advance(10 * time.Minute)
			h.fake.deliver("X001", atFault)
			h.poke()
			h.clock.Advance(time.Minute)

			tc.run(h)

			v := h.ticket("u1")
			if v.DeliveredWh != final || v.Status != "called" || v.ChargerID != "B" {
				t.Fatalf("got u1 %s on %q with %d Wh delivered, want called on B with %d", v.Status, v.ChargerID, v.DeliveredWh, final)
			}
			if got, want := remainingWh(t, h, v.ID), int64(wanted-final); got != want {
				t.Errorf("re-dispatched remaining energy: got %d Wh, want %d", got, want)
			}
			h.fake.take()
			x := h.fake.start(t, "B", "u1", h.clock.Now())
			h.event(events.SessionStarted, x)
			h.fake.deliver(x.ID, wanted-final-1)
			h.poke()
			if got := actionsOf(h.fake.take()); slices.Contains(got, "RemoteStopTransaction B") {
				t.Errorf("got commands %v before the energy was reached, want no stop on B", got)
			}
			h.fake.deliver(x.ID, wanted-final)
			h.poke()
			if got := actionsOf(h.fake.take()); !slices.Contains(got, "RemoteStopTransaction B") {
				t.Errorf("got commands %v once the energy was reached, want a stop on B", got)
			}
		})
	}
}

// remainingWh is the energy the dispatch state still holds for a car, from
// the site's stored document.
func remainingWh(t *testing.T, h *harness, carID string) int64 {
	t.Helper()
	_, raw, err := store.NewScheduling(h.db).SchedulingSite(h.ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		State dispatch.State `json:"state"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	cars := slices.Concat(doc.State.Waiting, doc.State.Displaced)
	for _, q := range doc.State.Queues {
		cars = append(cars, q.Cars...)
	}
	for _, c := range cars {
		if c.ID == carID {
			return c.EnergyWh
		}
	}
	t.Fatalf("car %s not in the stored state", carID)
	return 0
}

// TestFaultFinalEnergyServes: when the faulted session's final energy is
// all the ticket wanted, the re-dispatched car is done and leaves the queue.
func TestFaultFinalEnergyServes(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.fake.addCharger("A", "fast", 60000)
	h.fake.addCharger("B", "fast", 60000)
	h.settings(nil)
	h.join("u1", "fast", 11000)
	h.event(events.SessionStarted, h.fake.start(t, "A", "u1", h.clock.Now()))
	h.clock.Advance(10 * time.Minute)
	h.fake.deliver("X001", 10000)
	h.fake.setStatus("A", "Faulted")
	h.poke()
	if v := h.ticket("u1"); v.ChargerID != "B" || v.DeliveredWh != 10000 {
		t.Fatalf("after the fault: got u1 on %q with %d Wh, want on B with 10000", v.ChargerID, v.DeliveredWh)
	}
	h.fake.deliver("X001", 11000)
	h.event(events.SessionStopped, h.fake.stop("X001", "Remote", h.clock.Now()))
	if ts, _ := h.svc.Tickets(h.ctx, "u1"); len(ts) != 0 {
		t.Errorf("got %+v for u1 once the stop reported all it wanted, want no ticket", ts)
	}
}
