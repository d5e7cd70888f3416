package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/ocpp"
)

// TestChargerReportsAndSecurityExtension sends the messages a real charger
// sends after boot besides transactions — DataTransfer, diagnostics and
// firmware status, and the 1.6 security extension's SecurityEventNotification,
// SignCertificate, LogStatusNotification and SignedFirmwareStatusNotification —
// and checks each gets its CALLRESULT (with the payload its schema wants),
// the socket stays up, and the statuses show on the charger. It also checks
// a replayed StopTransaction gets the very same answer as the first.
func TestChargerReportsAndSecurityExtension(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	chargerID, password := s.registerCharger(admin, "REPORTS-1", "fast", 60000)
	r, _, err := dialRaw(t, s.Addr(), "REPORTS-1", password)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R2"}); f.Type != ocpp.CallResult {
		t.Fatalf("boot: %+v", f)
	}
	now := s.clock.Now().UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		action  string
		payload map[string]any
		want    string // the CALLRESULT payload
	}{
		{"DataTransfer", map[string]any{"vendorId": "com.example", "messageId": "hello", "data": "x"}, `{"status":"UnknownVendorId"}`},
		{"DiagnosticsStatusNotification", map[string]any{"status": "Uploading"}, `{}`},
		{"FirmwareStatusNotification", map[string]any{"status": "Downloading"}, `{}`},
		{"SecurityEventNotification", map[string]any{"type": "StartupOfTheDevice", "timestamp": now, "techInfo": "cold boot"}, `{}`},
		{"SignCertificate", map[string]any{"csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----"}, `{"status":"Rejected"}`},
		{"LogStatusNotification", map[string]any{"status": "Idle"}, `{}`},
		{"SignedFirmwareStatusNotification", map[string]any{"status": "SignatureVerified", "requestId": 7}, `{}`},
	} {
		f := r.call(tc.action, tc.payload)
		if f.Type != ocpp.CallResult {
			t.Errorf("%s: got %s %s %s, want a CALLRESULT", tc.action, f.Type, f.ErrorCode, f.ErrorDescription)
			continue
		}
		if got := compact(t, f.Payload); got != tc.want {
			t.Errorf("%s: answered %s, want %s", tc.action, got, tc.want)
		}
		if _, _, err := ocpp.DecodeResponse(tc.action, f.Payload, ocpp.Options{}); err != nil {
			t.Errorf("%s: answer %s fails the schema: %v", tc.action, f.Payload, err)
		}
	}
	_, c := s.call(http.MethodGet, "/api/v1/chargers/"+chargerID, admin, nil)
	if c["diagnostics_status"] != "Uploading" || c["firmware_status"] != "SignatureVerified" {
		t.Errorf("charger shows diagnostics %v, firmware %v; want Uploading, SignatureVerified", c["diagnostics_status"], c["firmware_status"])
	}

	driver := s.devLogin("13800000444")
	start := s.clock.Now().UTC().Add(-10 * time.Minute).Format(time.RFC3339)
	f := r.call("StartTransaction", map[string]any{"connectorId": 1, "idTag": s.appTag(driver), "meterStart": 0, "timestamp": start})
	var st ocpp.StartTransactionResponse
	if err := json.Unmarshal(f.Payload, &st); err != nil || st.IDTagInfo.Status != "Accepted" {
		t.Fatalf("start: %s %v", f.Payload, err)
	}
	again := r.call("StartTransaction", map[string]any{"connectorId": 1, "idTag": s.appTag(driver), "meterStart": 0, "timestamp": start})
	var st2 ocpp.StartTransactionResponse
	if err := json.Unmarshal(again.Payload, &st2); err != nil || st2.TransactionID != st.TransactionID {
		t.Errorf("a replayed StartTransaction got transaction %d (%s), want the same %d", st2.TransactionID, again.Payload, st.TransactionID)
	}
	stop := map[string]any{"transactionId": st.TransactionID, "meterStop": 9000, "timestamp": now, "reason": "Local", "idTag": s.appTag(driver)}
	first := r.call("StopTransaction", stop)
	second := r.call("StopTransaction", stop)
	if first.Type != ocpp.CallResult || compact(t, first.Payload) != compact(t, second.Payload) {
		t.Errorf("replayed StopTransaction answered %s, the first %s: want the same answer", second.Payload, first.Payload)
	}
	if f := r.call("Heartbeat", map[string]any{}); f.Type != ocpp.CallResult {
		t.Errorf("heartbeat at the end: %+v", f)
	}

	// Session lists carry each stopped session's bill and total, for those
	// who may read bills (a maintainer sees the session, not its money).
	_, bills := s.callList("GET", "/api/v1/bills?charger_id="+chargerID, admin)
	if len(bills) != 1 {
		t.Fatalf("bills: %v", bills)
	}
	s.staff(account.RoleMaintainer, "mia")
	for _, who := range []struct {
		token     string
		withMoney bool
	}{{admin, true}, {driver, true}, {s.login("mia", "mia-password"), false}} {
		_, list := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, who.token)
		if len(list) != 1 {
			t.Fatalf("sessions: %v", list)
		}
		got := [2]any{list[0]["bill_id"], list[0]["cost_fen"]}
		want := [2]any{bills[0]["id"], bills[0]["total_fen"]}
		if !who.withMoney {
			want = [2]any{nil, nil}
		}
		if got != want {
			t.Errorf("session list shows bill and cost %v, want %v", got, want)
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("compact %s: %v", raw, err)
	}
	return b.String()
}
