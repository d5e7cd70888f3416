package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/sim"
	"campuscharge/internal/testutil"
)

// count returns how many times action is in the list.
func count(list []string, action string) int {
	n := 0
	for _, a := range list {
		if a == action {
			n++
		}
	}
	return n
}

// TestFaultToRepairToBackInService: a simulated charger faults → the alarm
// shows in the API → a maintainer makes a repair task from it in one click
// (the charger goes out of service and drivers see "repair") → marks it
// done with a photo → the charger is put back in service (the simulator got
// ChangeAvailability Operative) and is Available again.
func TestFaultToRepairToBackInService(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			s.staff(account.RoleMaintainer, "fixer1")
			fixer := s.login("fixer1", "fixer1-password")
			driver := s.devLogin("13900002222")
			chargerID, password := s.registerCharger(admin, "CP-MAINT-1", "slow", 7000)

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cp := sim.NewCharger("ws://"+s.Addr()+"/ocpp", sim.ChargerSpec{ID: "CP-MAINT-1", Password: password, MaxPowerW: 7000}, sim.Behaviour{}, s.clock, nil)
			runDone := make(chan error, 1)
			runCtx, stopRun := context.WithCancel(ctx)
			go func() { runDone <- cp.Run(runCtx) }()
			defer func() { stopRun(); <-runDone }()
			if err := cp.WaitFor(ctx, func(x sim.Snapshot) bool {
				return x.Online && len(x.Connectors) == 1 && x.Connectors[0].Status == ocpp.ChargePointStatusAvailable
			}); err != nil {
				t.Fatal(err)
			}
			s.waitFor("/api/v1/chargers/"+chargerID, driver, func(c map[string]any) bool { return c["online"] == true })

			if err := cp.Fault(ctx, 1, "GroundFailure"); err != nil {
				t.Fatal(err)
			}
			page := s.waitFor("/api/v1/alarms?charger_id="+chargerID, fixer, func(p map[string]any) bool {
				items, _ := p["items"].([]any)
				return len(items) == 1
			})
			alarm := page["items"].([]any)[0].(map[string]any)
			if alarm["code"] != "GroundFailure" || alarm["severity"] != "critical" || alarm["status"] != "open" || alarm["connector_id"] != 1.0 || alarm["count"] != 1.0 {
				t.Fatalf("alarm = %v", alarm)
			}
			alarmID := alarm["id"].(string)
			if status, _ := s.call("GET", "/api/v1/alarms", driver, nil); status != http.StatusForbidden {
				t.Errorf("a driver listing alarms: got %d, want 403", status)
			}

			status, task := s.call("POST", "/api/v1/alarms/"+alarmID+"/task", fixer, map[string]any{"assignee_id": "me"})
			if status != http.StatusCreated {
				t.Fatalf("task from alarm: %d %v", status, task)
			}
			taskID := task["id"].(string)
			if task["kind"] != "repair" || task["status"] != "active" || task["availability"] != "unavailable" || task["alarm_id"] != alarmID || task["title"] != "Repair: GroundFailure" {
				t.Errorf("task = %v", task)
			}
			if got := count(cp.Received(), "ChangeAvailability"); got != 1 {
				t.Errorf("ChangeAvailability received %d times after the task, want 1 (Inoperative)", got)
			}
			_, alarm = s.call("GET", "/api/v1/alarms/"+alarmID, fixer, nil)
			if alarm["status"] != "acknowledged" || alarm["task_id"] != taskID {
				t.Errorf("alarm after the task: %v", alarm)
			}
			_, charger := s.call("GET", "/api/v1/chargers/"+chargerID, driver, nil)
			if m, _ := charger["maintenance"].(map[string]any); m["kind"] != "repair" {
				t.Errorf("the driver's view of the charger: maintenance = %v, want kind repair", charger["maintenance"])
			}
			_, mine := s.callList("GET", "/api/v1/tasks?assignee=me&open=true", fixer)
			if len(mine) != 1 || mine[0]["id"] != taskID {
				t.Errorf("the maintainer's own tasks: %v", mine)
			}
			if _, others := s.callList("GET", "/api/v1/tasks?assignee=me", admin); len(others) != 0 {
				t.Errorf("the admin's own tasks: %v, want none", others)
			}

			// Repaired: the fault clears on the charger, the maintainer marks the task done.
			if err := cp.Recover(ctx, 1); err != nil {
				t.Fatal(err)
			}
			s.waitFor("/api/v1/alarms/"+alarmID, fixer, func(a map[string]any) bool { return a["cleared_at"] != nil })
			png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
			status, done := s.call("POST", "/api/v1/tasks/"+taskID+"/done", fixer, map[string]any{
				"note": "Replaced the RCD", "photo_base64": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
			if status != http.StatusOK || done["status"] != "done" || done["availability"] != "restored" || done["photo_url"] != "/api/v1/tasks/"+taskID+"/photo" {
				t.Fatalf("done: %d %v", status, done)
			}
			if got := count(cp.Received(), "ChangeAvailability"); got != 2 {
				t.Errorf("ChangeAvailability received %d times after done, want 2 (Inoperative, Operative)", got)
			}
			if err := cp.WaitFor(ctx, func(x sim.Snapshot) bool { return x.Connectors[0].Status == ocpp.ChargePointStatusAvailable }); err != nil {
				t.Fatal(err)
			}
			charger = s.waitFor("/api/v1/chargers/"+chargerID, driver, func(c map[string]any) bool {
				ks, _ := c["connectors"].([]any)
				return len(ks) == 1 && ks[0].(map[string]any)["status"] == "Available"
			})
			if charger["maintenance"] != nil {
				t.Errorf("maintenance after done: %v, want none", charger["maintenance"])
			}

			req, _ := http.NewRequest("GET", s.URL+"/api/v1/tasks/"+taskID+"/photo", nil)
			req.Header.Set("Authorization", "Bearer "+admin)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !slices.Equal(body, png) {
				t.Errorf("photo: %d %s, %d bytes; want 200 image/png, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(png))
			}

			status, resolved := s.call("POST", "/api/v1/alarms/"+alarmID+"/resolve", fixer, map[string]any{"note": "RCD replaced, tested"})
			if status != http.StatusOK || resolved["status"] != "resolved" {
				t.Errorf("resolve: %d %v", status, resolved)
			}
			if status, again := s.call("POST", "/api/v1/tasks/"+taskID+"/done", fixer, map[string]any{}, "en"); status != http.StatusConflict {
				t.Errorf("done twice: %d %v, want 409", status, again)
			}
		})
	}
}

// TestTaskAPIInput checks the task API's answers to bad input.
func TestTaskAPIInput(t *testing.T) {
	s := startServer(t, testutil.Engine{Name: "sqlite"}, nil)
	admin := s.login("admin", "admin-password")
	chargerID, _ := s.registerCharger(admin, "CP-MAINT-2", "fast", 60000)
	start := s.clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name   string
		body   map[string]any
		status int
	}{
		{"weekly cleaning", map[string]any{"charger_id": chargerID, "kind": "cleaning", "title": "Weekly clean", "window_start": start, "every_days": 7}, http.StatusCreated},
		{"by charge point id", map[string]any{"charger_id": "CP-MAINT-2", "kind": "maintenance", "title": "Check", "window_start": start}, http.StatusCreated},
		{"unknown kind", map[string]any{"charger_id": chargerID, "kind": "paint", "title": "x"}, http.StatusUnprocessableEntity},
		{"unknown charger", map[string]any{"charger_id": "nope", "kind": "repair", "title": "x"}, http.StatusUnprocessableEntity},
		{"a driver as assignee", map[string]any{"charger_id": chargerID, "kind": "repair", "title": "x", "assignee_id": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, http.StatusUnprocessableEntity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.call("POST", "/api/v1/tasks", admin, tc.body)
			if status != tc.status {
				t.Fatalf("got %d %v, want %d", status, body, tc.status)
			}
			if status == http.StatusCreated && (body["status"] != "scheduled" || body["availability"] != "") {
				t.Errorf("a future task: %v, want scheduled with nothing applied", body)
			}
		})
	}
	_, list := s.callList("GET", "/api/v1/tasks?kind=cleaning", admin)
	if len(list) != 1 || list[0]["every_days"] != 7.0 {
		t.Errorf("cleaning tasks: %v", list)
	}
	status, body := s.call("POST", "/api/v1/tasks/"+list[0]["id"].(string)+"/done", admin, map[string]any{"photo_base64": "not base64!"})
	if status != http.StatusUnprocessableEntity {
		t.Errorf("bad base64: %d %v, want 422", status, body)
	}
}
