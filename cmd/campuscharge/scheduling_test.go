package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"campuscharge/internal/ocpp"
	"campuscharge/internal/sim"
	"campuscharge/internal/testutil"
)

// schedCharger registers a slow charger at a site and runs a simulated one
// for it until the test ends.
func (s *testServer) schedCharger(admin, siteID, cpID string) (string, *sim.Charger) {
	s.t.Helper()
	status, body := s.call("POST", "/api/v1/chargers", admin, map[string]any{"charge_point_id": cpID, "name": cpID, "site_id": siteID, "kind": "slow",
		"max_power_w": 7000, "connectors": []map[string]any{{"connector_id": 1, "type": "GBT_AC"}}})
	if status != http.StatusCreated {
		s.t.Fatalf("register charger: %d %v", status, body)
	}
	id, pw := body["charger"].(map[string]any)["id"].(string), body["password"].(string)
	b := sim.Behaviour{MeterInterval: time.Hour, ReconnectDelay: 50 * time.Millisecond, CallTimeout: 5 * time.Second, TickInterval: 20 * time.Millisecond}
	c := sim.NewCharger("ws://"+s.Addr()+"/ocpp", sim.ChargerSpec{ID: cpID, Password: pw, MaxPowerW: 7000}, b, s.clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	s.t.Cleanup(func() { cancel(); <-done })
	s.schedWait(c, "available", func(x sim.Snapshot) bool {
		return x.Online && len(x.Connectors) == 1 && x.Connectors[0].Status == ocpp.ChargePointStatusAvailable
	})
	s.waitFor("/api/v1/chargers/"+id, admin, func(c map[string]any) bool { return c["online"] == true })
	return id, c
}

func (s *testServer) schedWait(c *sim.Charger, what string, cond func(sim.Snapshot) bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitFor(ctx, cond); err != nil {
		s.t.Fatalf("charger %s never %s: %v (state %+v)", c.ID(), what, err, c.State())
	}
}

func countOf(xs []string, v string) int {
	n := 0
	for _, x := range xs {
		if x == v {
			n++
		}
	}
	return n
}

// myTicket returns the driver's queue ticket once cond holds.
func (s *testServer) myTicket(token string, cond func(map[string]any) bool) map[string]any {
	s.t.Helper()
	page := s.waitFor("/api/v1/queue", token, func(p map[string]any) bool {
		items, _ := p["items"].([]any)
		return len(items) == 1 && cond(items[0].(map[string]any))
	})
	return page["items"].([]any)[0].(map[string]any)
}

// startAt plugs in and starts a driver's session through the API.
func (s *testServer) startAt(token, chargerID string, c *sim.Charger) string {
	s.t.Helper()
	if err := c.Plug(context.Background(), 1); err != nil {
		s.t.Fatal(err)
	}
	status, body := s.call("POST", "/api/v1/sessions", token, map[string]any{"charger_id": chargerID, "connector_id": 1})
	if status != http.StatusCreated {
		s.t.Fatalf("start on %s: %d %v", chargerID, status, body)
	}
	return body["id"].(string)
}

// TestScheduling drives reservations, the queue, fault re-dispatch and the
// site power limit against simulated chargers over real OCPP.
func TestScheduling(t *testing.T) {
	s := startServer(t, testutil.Engines(t)[0], nil)
	admin := s.login("admin", "admin-password")
	status, body := s.call("POST", "/api/v1/sites", admin, map[string]any{"code": "north", "name": "North"})
	if status != http.StatusCreated {
		t.Fatalf("create site: %d %v", status, body)
	}
	siteID := body["id"].(string)
	settings := map[string]any{"waiting_capacity": 10, "queue_length": 1, "strategy": "priority", "batch_mode": "none", "hold_window_s": 600,
		"no_show_grace_s": 60, "max_no_shows_per_month": 3, "power_limit_w": 10000, "load_policy": "fair"}
	if status, body := s.call("PUT", "/api/v1/sites/"+siteID+"/scheduling", admin, settings); status != http.StatusOK {
		t.Fatalf("settings: %d %v", status, body)
	}
	aID, a := s.schedCharger(admin, siteID, "SCHED-A")
	bID, b := s.schedCharger(admin, siteID, "SCHED-B")
	sims := map[string]*sim.Charger{aID: a, bID: b}
	d1, d2, d3, d4 := s.devLogin("13900000001"), s.devLogin("13900000002"), s.devLogin("13900000003"), s.devLogin("13900000004")

	// Reserve → ReserveNow at the charger → start consumes it.
	status, body = s.call("POST", "/api/v1/reservations", d1, map[string]any{"charger_id": aID, "connector_id": 1})
	if status != http.StatusCreated || body["status"] != "active" || body["kind"] != "direct" {
		t.Fatalf("reserve: %d %v", status, body)
	}
	resID := body["id"].(string)
	s.schedWait(a, "reserved", func(x sim.Snapshot) bool { return x.Connectors[0].Status == ocpp.ChargePointStatusReserved })
	if status, body := s.call("POST", "/api/v1/sessions", d2, map[string]any{"charger_id": aID, "connector_id": 1}); status != http.StatusConflict {
		t.Errorf("another driver starting on the reserved connector: got %d %v, want 409", status, body)
	}
	s1 := s.startAt(d1, aID, a)
	s.waitFor("/api/v1/reservations?status=used", d1, func(p map[string]any) bool {
		items, _ := p["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["id"] == resID && items[0].(map[string]any)["session_id"] == s1
	})

	// Queue: B is free, so d2 is called to it and it is reserved; d3 waits
	// (A is busy outside the queue) and is called to A when d1 stops.
	status, body = s.call("POST", "/api/v1/queue", d2, map[string]any{"site_id": siteID, "mode": "slow", "energy_wh": 20000})
	if status != http.StatusCreated || body["status"] != "called" || body["charger_id"] != bID || body["number"] != "T1" {
		t.Fatalf("d2 joins: %d %v", status, body)
	}
	s.schedWait(b, "reserved for d2", func(x sim.Snapshot) bool { return x.Connectors[0].Status == ocpp.ChargePointStatusReserved })
	status, body = s.call("POST", "/api/v1/queue", d3, map[string]any{"site_id": siteID, "mode": "slow", "energy_wh": 20000})
	if status != http.StatusCreated || body["status"] != "waiting" || body["position"] != 1.0 {
		t.Fatalf("d3 joins: %d %v", status, body)
	}
	if status, body := s.call("POST", "/api/v1/queue/"+body["id"].(string)+"/energy", d3, map[string]any{"energy_wh": 15000}); status != http.StatusOK || body["number"] != "T2" {
		t.Errorf("d3 changes energy: %d %v", status, body)
	}
	s.startAt(d2, bID, b)
	s.myTicket(d2, func(v map[string]any) bool { return v["status"] == "charging" })
	if status, body := s.call("POST", "/api/v1/sessions/"+s1+"/stop", d1, nil); status != http.StatusOK {
		t.Fatalf("d1 stops: %d %v", status, body)
	}
	if err := a.Unplug(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	s.myTicket(d3, func(v map[string]any) bool { return v["status"] == "called" && v["charger_id"] == aID })
	s.schedWait(a, "reserved for d3", func(x sim.Snapshot) bool {
		return x.Connectors[0].Status == ocpp.ChargePointStatusReserved && countOf(a.Received(), "ReserveNow") >= 2
	})
	s.startAt(d3, aID, a)
	s.myTicket(d3, func(v map[string]any) bool { return v["status"] == "charging" })

	// The site limit (10 kW) is shared by the two sessions. A charger may
	// refuse a profile that reaches it before its transaction id does; it
	// is then counted at its maximum and sent one again a minute later (the
	// site queue read is a scheduling pass).
	s.clock.Advance(time.Minute)
	if status, body := s.call("GET", "/api/v1/sites/"+siteID+"/queue", admin, nil); status != http.StatusOK {
		t.Fatalf("site queue: %d %v", status, body)
	}
	limitOK := func(x sim.Snapshot) bool { return x.Connectors[0].LimitW > 0 && x.Connectors[0].LimitW <= 5000 }
	s.schedWait(a, "limited", limitOK)
	s.schedWait(b, "limited", limitOK)
	if sum := a.State().Connectors[0].LimitW + b.State().Connectors[0].LimitW; sum > 10000 {
		t.Errorf("limits sum to %d W, over the 10000 W site limit", sum)
	}

	// A charger faults while d4 queues on it. Its running session stops
	// and is billed; by the site's strategy, priority, the faulted car's
	// remaining energy takes the other charger's one free place first, and
	// d4 waits displaced.
	settings["queue_length"] = 2
	if status, body := s.call("PUT", "/api/v1/sites/"+siteID+"/scheduling", admin, settings); status != http.StatusOK {
		t.Fatalf("settings: %d %v", status, body)
	}
	// Both cars draw some energy first.
	meterA, meterB := a.State().Connectors[0].MeterWh, b.State().Connectors[0].MeterWh
	s.clock.Advance(10 * time.Minute)
	s.schedWait(a, "charging", func(x sim.Snapshot) bool { return x.Connectors[0].MeterWh > meterA })
	s.schedWait(b, "charging", func(x sim.Snapshot) bool { return x.Connectors[0].MeterWh > meterB })
	status, body = s.call("POST", "/api/v1/queue", d4, map[string]any{"site_id": siteID, "mode": "slow", "energy_wh": 5000})
	if status != http.StatusCreated || body["status"] != "queued" {
		t.Fatalf("d4 joins: %d %v", status, body)
	}
	faulty := body["charger_id"].(string)
	// The car charging on the faulty charger, and the other charger.
	victim, other := d3, bID
	if faulty == bID {
		victim, other = d2, aID
	}
	before := s.myTicket(victim, func(v map[string]any) bool { return v["status"] == "charging" && v["charger_id"] == faulty })
	victimSession, _ := before["session_id"].(string)
	stops := countOf(sims[faulty].Received(), "RemoteStopTransaction")
	if err := sims[faulty].Fault(context.Background(), 1, "GroundFailure"); err != nil {
		t.Fatal(err)
	}
	stopped := s.waitFor("/api/v1/sessions/"+victimSession, admin, func(x map[string]any) bool { return x["status"] == "stopped" })
	if id, _ := stopped["bill_id"].(string); id == "" || stopped["energy_wh"].(float64) <= 0 {
		t.Errorf("faulted session: got %v, want stopped with energy and a bill", stopped)
	}
	// The simulated charger, like real ones, ends its transaction itself
	// when it faults (reason Other), before it reports Faulted; had the
	// Faulted status come first, the server would have told it to stop.
	if told := countOf(sims[faulty].Received(), "RemoteStopTransaction") > stops; stopped["stop_reason"] != "Other" && !told {
		t.Errorf("faulted session: stopped with reason %v and no RemoteStopTransaction sent, want one or the other", stopped["stop_reason"])
	}
	moved := s.myTicket(victim, func(v map[string]any) bool { return v["charger_id"] == other && v["status"] == "queued" })
	if d, _ := moved["delivered_wh"].(float64); d <= 0 || d != stopped["energy_wh"] || moved["position"] != 1.0 {
		t.Errorf("faulted car after the fault: got %v, want queued behind the charging car on %s with the %v Wh delivered", moved, other, stopped["energy_wh"])
	}
	if v := s.myTicket(d4, func(v map[string]any) bool { return v["status"] == "displaced" }); v["charger_id"] == faulty {
		t.Errorf("d4 after the fault: got %v, want displaced off %s", v, faulty)
	}
	_, q := s.call("GET", "/api/v1/sites/"+siteID+"/queue", admin, nil)
	for _, u := range q["units"].([]any) {
		u := u.(map[string]any)
		if u["charger_id"] == faulty && u["faulted"] != true {
			t.Errorf("site queue: %s not shown faulted: %v", faulty, u)
		}
	}
	if status, _ := s.call("GET", "/api/v1/sites/"+siteID+"/queue", d4, nil); status != http.StatusForbidden {
		t.Errorf("a driver reading the site queue: got %d, want 403", status)
	}
	for id, c := range sims {
		if !slices.Contains(c.Received(), "SetChargingProfile") {
			t.Errorf("charger %s never received SetChargingProfile", id)
		}
	}
}
