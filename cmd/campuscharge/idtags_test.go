package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"campuscharge/internal/ocpp"
	"campuscharge/internal/testutil"
)

// bootRaw connects a registered charger speaking raw frames and boots it.
func (s *testServer) bootRaw(t *testing.T, cpID, password string) *rawCharger {
	t.Helper()
	r, _, err := dialRaw(t, s.Addr(), cpID, password)
	if err != nil {
		t.Fatalf("connect %s: %v", cpID, err)
	}
	f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"})
	var boot ocpp.BootNotificationResponse
	if err := json.Unmarshal(f.Payload, &boot); err != nil || boot.Status != ocpp.RegistrationStatusAccepted {
		t.Fatalf("boot %s: got %+v, %v", cpID, f, err)
	}
	return r
}

// authorizeStatus sends Authorize and returns the idTagInfo status.
func (r *rawCharger) authorizeStatus(tag string) string {
	r.t.Helper()
	f := r.call("Authorize", map[string]any{"idTag": tag})
	var resp ocpp.AuthorizeResponse
	if f.Type != ocpp.CallResult || json.Unmarshal(f.Payload, &resp) != nil {
		r.t.Fatalf("authorize %s: got %+v", tag, f)
	}
	return string(resp.IDTagInfo.Status)
}

// startTx sends StartTransaction and returns the transaction id and the
// idTagInfo status.
func (r *rawCharger) startTx(connector int, tag string, meterStart int, at time.Time) (int, string) {
	r.t.Helper()
	f := r.call("StartTransaction", map[string]any{"connectorId": connector, "idTag": tag, "meterStart": meterStart, "timestamp": at.UTC().Format(time.RFC3339)})
	var resp ocpp.StartTransactionResponse
	if f.Type != ocpp.CallResult || json.Unmarshal(f.Payload, &resp) != nil {
		r.t.Fatalf("start with %s: got %+v", tag, f)
	}
	return resp.TransactionID, string(resp.IDTagInfo.Status)
}

// stopTx sends StopTransaction and fails unless it is answered.
func (r *rawCharger) stopTx(tx, meterStop int, at time.Time, reason string) {
	r.t.Helper()
	if f := r.call("StopTransaction", map[string]any{"transactionId": tx, "meterStop": meterStop, "timestamp": at.UTC().Format(time.RFC3339), "reason": reason}); f.Type != ocpp.CallResult {
		r.t.Fatalf("stop %d: got %+v, want a CALLRESULT", tx, f)
	}
}

// TestIDTagStatusesAtTheCharger: Authorize and StartTransaction answer each
// tag's status: Accepted, Blocked for a blocked driver, Expired for a removed
// card, Invalid for an unknown one, ConcurrentTx for a driver already
// charging elsewhere, and Blocked for a driver with a bill unpaid for longer
// than the unpaid window (as the app refuses them), on every database.
func TestIDTagStatusesAtTheCharger(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			_, pw1 := s.registerCharger(admin, "TAG-1", "slow", 7000)
			_, pw2 := s.registerCharger(admin, "TAG-2", "slow", 7000)
			r1, r2 := s.bootRaw(t, "TAG-1", pw1), s.bootRaw(t, "TAG-2", pw2)

			blocked := s.devLogin("13700000001")
			blockedTag := s.appTag(blocked)
			_, me := s.call("GET", "/api/v1/me", blocked, nil)
			if status, body := s.call("POST", "/api/v1/users/"+me["id"].(string)+"/block", admin, map[string]any{"reason": "test"}); status != http.StatusOK {
				t.Fatalf("block: got %d %v", status, body)
			}
			carded := s.devLogin("13700000002")
			for _, req := range []struct{ method, path string }{{"POST", "/api/v1/me/cards"}, {"DELETE", "/api/v1/me/cards/CARD0042"}} {
				if status, body := s.call(req.method, req.path, carded, map[string]any{"number": "CARD0042"}); status >= 300 {
					t.Fatalf("%s %s: got %d %v", req.method, req.path, status, body)
				}
			}
			busyTag := s.appTag(s.devLogin("13700000003"))
			debtor := s.devLogin("13700000004")
			debtorTag := s.appTag(debtor)

			now := s.clock.Now()
			for _, tt := range []struct{ who, tag, want string }{
				{"blocked driver", blockedTag, "Blocked"},
				{"removed card", "CARD0042", "Expired"},
				{"unknown card", "NOSUCHCARD", "Invalid"},
				{"driver", busyTag, "Accepted"},
			} {
				if got := r1.authorizeStatus(tt.tag); got != tt.want {
					t.Errorf("authorize %s: got %s, want %s", tt.who, got, tt.want)
				}
				tx, got := r1.startTx(1, tt.tag, 1000, now)
				if got != tt.want {
					t.Errorf("start %s: got %s, want %s", tt.who, got, tt.want)
				}
				if tt.want != "Accepted" {
					r1.stopTx(tx, 1000, now, "DeAuthorized") // what a charger does
				}
			}
			// busyTag is charging on TAG-1: a second start elsewhere is ConcurrentTx.
			tx, got := r2.startTx(1, busyTag, 0, now)
			if got != "ConcurrentTx" {
				t.Errorf("second concurrent start: got %s, want ConcurrentTx", got)
			}
			r2.stopTx(tx, 0, now, "DeAuthorized")

			// A fresh unpaid bill does not block; one older than the window does.
			tx, got = r2.startTx(1, debtorTag, 0, now.Add(-time.Hour))
			if got != "Accepted" {
				t.Fatalf("debtor's first start: got %s, want Accepted", got)
			}
			r2.stopTx(tx, 5000, now, "EVDisconnected")
			_, bills := s.callList("GET", "/api/v1/bills", debtor)
			if len(bills) != 1 || bills[0]["status"] != "unpaid" {
				t.Fatalf("debtor's bills: got %v, want one unpaid", bills)
			}
			if got := r2.authorizeStatus(debtorTag); got != "Accepted" {
				t.Errorf("authorize with a fresh unpaid bill: got %s, want Accepted", got)
			}
			s.clock.Advance(25 * time.Hour)
			if got := r2.authorizeStatus(debtorTag); got != "Blocked" {
				t.Errorf("authorize with an old unpaid bill: got %s, want Blocked", got)
			}
			tx, got = r2.startTx(1, debtorTag, 5000, s.clock.Now())
			if got != "Blocked" {
				t.Errorf("start with an old unpaid bill: got %s, want Blocked", got)
			}
			r2.stopTx(tx, 5000, s.clock.Now(), "DeAuthorized")
		})
	}
}
