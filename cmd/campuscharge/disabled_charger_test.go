package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/config"
	"campuscharge/internal/ocpp"
)

// TestDisabledChargerTransactions: a charger disabled during a session still
// has its MeterValues, StatusNotification and StopTransaction answered and
// recorded (the server cannot refuse a stop), and the session is billed; a
// new StartTransaction is recorded but answered Blocked; anything else gets
// SecurityError and its next boot is Rejected. A pending charger still gets
// SecurityError for a stop.
func TestDisabledChargerTransactions(t *testing.T) {
	s := startServer(t, sqliteOnly(), func(c *config.Config) { c.AcceptUnknownChargers = true })
	admin := s.login("admin", "admin-password")
	chargerID, password := s.registerCharger(admin, "OFF-1", "slow", 7000)
	driver := s.devLogin("13600000001")
	tag := s.appTag(driver)
	r := s.bootRaw(t, "OFF-1", password)
	now := s.clock.Now()
	tx, got := r.startTx(1, tag, 1000, now.Add(-time.Hour))
	if got != "Accepted" {
		t.Fatalf("start: got %s, want Accepted", got)
	}

	if status, body := s.call("POST", "/api/v1/chargers/"+chargerID+"/state", admin, map[string]any{"state": "disabled"}); status != http.StatusOK {
		t.Fatalf("disable: got %d %v", status, body)
	}
	for _, c := range []struct {
		action  string
		payload map[string]any
	}{
		{"MeterValues", map[string]any{"connectorId": 1, "transactionId": tx, "meterValue": []map[string]any{{"timestamp": now.Add(-30 * time.Minute).UTC().Format(time.RFC3339),
			"sampledValue": []map[string]any{{"value": "3000"}}}}}},
		{"StatusNotification", map[string]any{"connectorId": 1, "errorCode": "NoError", "status": "Finishing"}},
		{"StopTransaction", map[string]any{"transactionId": tx, "meterStop": 4500, "timestamp": now.UTC().Format(time.RFC3339), "reason": "Local"}},
	} {
		if f := r.call(c.action, c.payload); f.Type != ocpp.CallResult {
			t.Errorf("%s from a disabled charger: got %+v, want a CALLRESULT", c.action, f)
		}
	}
	_, sessions := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
	if len(sessions) != 1 || sessions[0]["status"] != "stopped" || sessions[0]["energy_wh"] != 3500.0 {
		t.Errorf("session after a stop from the disabled charger: got %v, want stopped with 3500 Wh", sessions)
	}
	if _, bills := s.callList("GET", "/api/v1/bills?charger_id="+chargerID, admin); len(bills) != 1 {
		t.Errorf("bills: got %v, want one", bills)
	}
	_, charger := s.call("GET", "/api/v1/chargers/"+chargerID, admin, nil)
	if ks, _ := charger["connectors"].([]any); len(ks) != 1 || ks[0].(map[string]any)["status"] != "Finishing" {
		t.Errorf("connectors after the disabled charger's status: got %v, want Finishing", charger["connectors"])
	}

	tx2, got := r.startTx(1, tag, 4500, now)
	if got != "Blocked" {
		t.Errorf("start on a disabled charger: got %s, want Blocked", got)
	}
	r.stopTx(tx2, 4500, now, "DeAuthorized")
	_, sessions = s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
	var flagged bool
	for _, x := range sessions {
		flag, _ := x["flag"].(string)
		flagged = flagged || x["transaction_id"] == float64(tx2) && strings.Contains(flag, "disabled charger")
	}
	if !flagged {
		t.Errorf("start on a disabled charger: no flagged session in %v", sessions)
	}

	for _, action := range []string{"Heartbeat", "Authorize"} {
		payload := map[string]any{}
		if action == "Authorize" {
			payload["idTag"] = tag
		}
		if f := r.call(action, payload); f.Type != ocpp.CallError || f.ErrorCode != ocpp.SecurityError {
			t.Errorf("%s from a disabled charger: got %+v, want SecurityError", action, f)
		}
	}
	f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"})
	var boot ocpp.BootNotificationResponse
	if err := json.Unmarshal(f.Payload, &boot); err != nil || boot.Status != ocpp.RegistrationStatusRejected {
		t.Errorf("boot of a disabled charger: got %s, %v; want Rejected", f.Payload, err)
	}

	// A pending charger was never accepted: a stop gets SecurityError.
	p, _, err := dialRaw(t, s.Addr(), "PEND-1", "")
	if err != nil {
		t.Fatal(err)
	}
	p.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"})
	if f := p.call("StopTransaction", map[string]any{"transactionId": 7, "meterStop": 10, "timestamp": now.UTC().Format(time.RFC3339)}); f.Type != ocpp.CallError || f.ErrorCode != ocpp.SecurityError {
		t.Errorf("stop from a pending charger: got %+v, want SecurityError", f)
	}
}
