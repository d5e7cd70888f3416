package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/ocpp"
)

// eventTypesUntil collects the types of the events on ch up to and including
// the first of type marker.
func eventTypesUntil(t *testing.T, ch <-chan [2]string, marker string) []string {
	t.Helper()
	var got []string
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-ch:
			got = append(got, e[0])
			if e[0] == marker {
				return got
			}
		case <-deadline:
			t.Fatalf("no %s event within 5 s; got %v", marker, got)
			return nil
		}
	}
}

// TestEventStreamFiltersByPermission: each viewer's event stream carries what
// the REST API would show them. A maintainer sees charger and session events
// but neither drivers' chats nor their bills; support and admin see both; a
// driver sees charger status and their own things only.
func TestEventStreamFiltersByPermission(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	s.staff(account.RoleMaintainer, "mia")
	s.staff(account.RoleSupport, "amy")
	li, wang := s.devLogin("13800000011"), s.devLogin("13800000012")
	tag := s.appTag(li)
	_, password := s.registerCharger(admin, "SSE-1", "slow", 7000)

	streams := map[string]<-chan [2]string{
		"admin": s.supportEvents(admin), "maintainer": s.supportEvents(s.login("mia", "mia-password")),
		"support": s.supportEvents(s.login("amy", "amy-password")), "li": s.supportEvents(li), "wang": s.supportEvents(wang),
	}

	r, _, err := dialRaw(t, s.Addr(), "SSE-1", password)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"}); f.Type != ocpp.CallResult {
		t.Fatalf("boot: got %+v", f)
	}
	now := s.clock.Now().UTC()
	f := r.call("StartTransaction", map[string]any{"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": now.Add(-30 * time.Minute).Format(time.RFC3339)})
	var st ocpp.StartTransactionResponse
	if err := json.Unmarshal(f.Payload, &st); err != nil || st.IDTagInfo.Status != "Accepted" {
		t.Fatalf("start: got %s, %v", f.Payload, err)
	}
	if f := r.call("StopTransaction", map[string]any{"transactionId": st.TransactionID, "meterStop": 4500, "timestamp": now.Format(time.RFC3339)}); f.Type != ocpp.CallResult {
		t.Fatalf("stop: got %+v", f)
	}
	if status, body := s.call("POST", "/api/v1/chat/messages", li, map[string]any{"body": "在吗？"}); status != http.StatusCreated {
		t.Fatalf("driver writes: got %d %v", status, body)
	}
	// Events reach each stream in order: a status change after everything
	// else marks the end of what each viewer was sent.
	if f := r.call("StatusNotification", map[string]any{"connectorId": 1, "errorCode": "NoError", "status": "Available"}); f.Type != ocpp.CallResult {
		t.Fatalf("status: got %+v", f)
	}

	for _, tt := range []struct {
		who       string
		want, not []string
	}{
		{"admin", []string{"session.started", "session.stopped", "bill.created", "chat.message"}, nil},
		{"support", []string{"session.stopped", "bill.created", "chat.message"}, nil},
		{"maintainer", []string{"session.started", "session.stopped"}, []string{"bill.created", "chat.message"}},
		{"li", []string{"session.started", "session.stopped", "bill.created", "chat.message"}, nil},
		{"wang", nil, []string{"session.started", "session.stopped", "bill.created", "chat.message", "charger.boot"}},
	} {
		t.Run(tt.who, func(t *testing.T) {
			got := eventTypesUntil(t, streams[tt.who], "charger.status")
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("got %v, want a %s event", got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("got %v, want no %s event", got, n)
				}
			}
		})
	}
}
