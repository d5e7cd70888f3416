package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/config"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

// TestTransactionOfAnotherCharger: transaction ids are unique across
// chargers, so MeterValues or StopTransaction naming another charger's
// transaction is answered but changes nothing of that charger's session.
func TestTransactionOfAnotherCharger(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	_, pwA := s.registerCharger(admin, "XA-1", "slow", 7000)
	_, pwB := s.registerCharger(admin, "XB-1", "slow", 7000)
	tag := s.appTag(s.devLogin("13800000444"))
	a, _, err := dialRaw(t, s.Addr(), "XA-1", pwA)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := dialRaw(t, s.Addr(), "XB-1", pwB)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*rawCharger{a, b} {
		if f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"}); f.Type != ocpp.CallResult {
			t.Fatalf("boot: got %+v", f)
		}
	}
	now := s.clock.Now().UTC()
	f := a.call("StartTransaction", map[string]any{"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": now.Add(-10 * time.Minute).Format(time.RFC3339)})
	var st ocpp.StartTransactionResponse
	if err := json.Unmarshal(f.Payload, &st); err != nil || st.IDTagInfo.Status != "Accepted" {
		t.Fatalf("start on A: got %s, %v", f.Payload, err)
	}

	tx := st.TransactionID
	meter := map[string]any{"connectorId": 1, "transactionId": tx, "meterValue": []any{map[string]any{"timestamp": now.Format(time.RFC3339),
		"sampledValue": []any{map[string]any{"value": "99000"}}}}}
	stop := map[string]any{"transactionId": tx, "meterStop": 99000, "timestamp": now.Format(time.RFC3339), "reason": "Local"}
	for _, c := range []struct {
		action  string
		payload map[string]any
	}{{"MeterValues", meter}, {"StopTransaction", stop}} {
		if f := b.call(c.action, c.payload); f.Type != ocpp.CallResult {
			t.Errorf("%s from B for A's transaction: got %s %s, want a CALLRESULT", c.action, f.Type, f.ErrorCode)
		}
	}
	_, sessions := s.callList("GET", "/api/v1/sessions", admin)
	if len(sessions) != 1 {
		t.Fatalf("got %d sessions, want 1: %v", len(sessions), sessions)
	}
	got := map[string]any{"status": sessions[0]["status"], "energy_wh": sessions[0]["energy_wh"]}
	want := map[string]any{"status": "active", "energy_wh": 0.0}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("A's session after B's messages (-want +got):\n%s", d)
	}
	_, samples := s.callList("GET", "/api/v1/sessions/"+sessions[0]["id"].(string)+"/samples", admin)
	if len(samples) != 0 {
		t.Errorf("A's session got %d samples from B, want 0", len(samples))
	}
}

// TestShutdownWithOpenEventStream: a browser's open event stream does not
// hold up a graceful shutdown: Run ends without error (not with "shutdown:
// context deadline exceeded" after ten seconds).
func TestShutdownWithOpenEventStream(t *testing.T) {
	var body io.Closer
	t.Cleanup(func() { // registered first: runs after the server has stopped
		if body != nil {
			body.Close()
		}
	})
	s := startServer(t, sqliteOnly(), nil)
	req, err := http.NewRequest("GET", s.URL+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.login("admin", "admin-password"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body = resp.Body
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/events: got %d, want 200", resp.StatusCode)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "retry:") {
		t.Fatalf("first line of the stream: got %q, %v", line, err)
	}
	// startServer's cleanup fails the test if Run ends with an error.
}

// TestLongChineseTexts: texts longer than their column are cut by
// characters, never inside one, so MySQL and PostgreSQL store them and
// every engine reads back whole characters.
func TestLongChineseTexts(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			driver := s.devLogin("13800000555")
			label := strings.Repeat("充电卡", 20) // 60 characters, 180 bytes: more than 100 bytes
			status, body := s.call("POST", "/api/v1/me/cards", driver, map[string]any{"number": "CARD5555", "label": label})
			if status != http.StatusCreated {
				t.Fatalf("add card: got %d %v, want 201", status, body)
			}
			_, cards := s.callList("GET", "/api/v1/me/cards", driver)
			var got []string
			for _, c := range cards {
				if c["number"] == "CARD5555" {
					got = append(got, c["label"].(string))
				}
			}
			if d := cmp.Diff([]string{label}, got); d != "" {
				t.Errorf("card label (-want +got):\n%s", d)
			}
		})
	}
}

// TestNoRemoteStartOrStopWhilePending: staff cannot send RemoteStart or
// RemoteStop to a charger whose boot was answered Pending (OCPP 1.6, 4.2).
func TestNoRemoteStartOrStopWhilePending(t *testing.T) {
	s := startServer(t, sqliteOnly(), func(c *config.Config) { c.AcceptUnknownChargers = true })
	admin := s.login("admin", "admin-password")
	r, _, err := dialRaw(t, s.Addr(), "PEND-1", "")
	if err != nil {
		t.Fatal(err)
	}
	f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"})
	var boot ocpp.BootNotificationResponse
	if err := json.Unmarshal(f.Payload, &boot); err != nil || boot.Status != ocpp.RegistrationStatusPending {
		t.Fatalf("boot: got %s, %v; want Pending", f.Payload, err)
	}
	for _, c := range []struct {
		action string
		body   map[string]any
	}{
		{"RemoteStartTransaction", map[string]any{"connectorId": 1, "idTag": "CARD1"}},
		{"RemoteStopTransaction", map[string]any{"transactionId": 1}},
	} {
		t.Run(c.action, func(t *testing.T) {
			status, body := s.call("POST", "/api/v1/chargers/PEND-1/commands/"+c.action, admin, c.body)
			if status != http.StatusForbidden {
				t.Errorf("got %d %v, want 403", status, body)
			}
		})
	}
}

// TestChargerListShowsEveryLiveSession: the charger list shows a
// connector's running session even when more than one page (200) of newer
// sessions is running elsewhere.
func TestChargerListShowsEveryLiveSession(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	_, pw := s.registerCharger(admin, "MANY-1", "slow", 7000)
	tag := s.appTag(s.devLogin("13800000666"))
	r, _, err := dialRaw(t, s.Addr(), "MANY-1", pw)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"}); f.Type != ocpp.CallResult {
		t.Fatalf("boot: got %+v", f)
	}
	start := s.clock.Now().UTC().Add(-time.Hour)
	for connector := 1; connector <= 201; connector++ {
		at := start.Add(time.Duration(connector) * time.Second).Format(time.RFC3339)
		if f := r.call("StartTransaction", map[string]any{"connectorId": connector, "idTag": tag, "meterStart": 0, "timestamp": at}); f.Type != ocpp.CallResult {
			t.Fatalf("start on connector %d: got %+v", connector, f)
		}
	}
	_, chargers := s.callList("GET", "/api/v1/chargers?q=MANY-1", admin)
	if len(chargers) != 1 {
		t.Fatalf("got %d chargers, want 1", len(chargers))
	}
	var got []any
	for _, k := range chargers[0]["connectors"].([]any) {
		if k := k.(map[string]any); k["connector_id"] == 1.0 {
			got = append(got, k["session"] != nil)
		}
	}
	if d := cmp.Diff([]any{true}, got); d != "" {
		t.Errorf("connector 1 has a session shown (-want +got):\n%s", d)
	}
}

// TestRemoveCardAsTyped: a card is removed by the number as the driver
// typed it when adding it (any case, spaces around), like AddCard takes it.
func TestRemoveCardAsTyped(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	driver := s.devLogin("13800000777")
	if status, body := s.call("POST", "/api/v1/me/cards", driver, map[string]any{"number": " card7777 "}); status != http.StatusCreated {
		t.Fatalf("add card: got %d %v, want 201", status, body)
	}
	if status, body := s.call("DELETE", "/api/v1/me/cards/card7777", driver, nil); status != http.StatusNoContent {
		t.Errorf("remove card: got %d %v, want 204", status, body)
	}
	_, cards := s.callList("GET", "/api/v1/me/cards", driver)
	for _, c := range cards {
		if c["number"] == "CARD7777" {
			t.Errorf("card CARD7777 still linked: %v", cards)
		}
	}
}
