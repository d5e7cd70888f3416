package gateway_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
)

func TestHandshake(t *testing.T) {
	auth := fakeAuth{
		"CP1":    {password: "s3cret"},
		"OPEN":   {},
		"NEW-1":  {pending: true},
		"CP 7/a": {},
		"BUSY":   {err: apperr.New(apperr.Unavailable, "unavailable")},
		"BROKEN": {err: errors.New("database is locked")},
		"BANNED": {err: apperr.New(apperr.Forbidden, "forbidden")},
	}
	s := newTestServer(t, auth, gateway.Options{})
	tests := []struct {
		name       string
		dial       dialOpts
		wantStatus int    // HTTP status of the handshake
		wantEvent  string // Connected event, for accepted sockets
	}{
		{name: "right password", dial: dialOpts{path: "CP1", user: "CP1", pwd: "s3cret"}, wantStatus: http.StatusSwitchingProtocols, wantEvent: "connected CP1"},
		{name: "no password needed", dial: dialOpts{path: "OPEN"}, wantStatus: http.StatusSwitchingProtocols, wantEvent: "connected OPEN"},
		{name: "unknown charger accepted as pending", dial: dialOpts{path: "NEW-1"}, wantStatus: http.StatusSwitchingProtocols, wantEvent: "connected NEW-1"},
		{name: "percent-encoded id", dial: dialOpts{path: "CP%207%2Fa"}, wantStatus: http.StatusSwitchingProtocols, wantEvent: "connected CP 7/a"},
		{name: "subprotocol among others", dial: dialOpts{path: "OPEN", protos: []string{"ocpp2.0.1", "ocpp1.6"}}, wantStatus: http.StatusSwitchingProtocols, wantEvent: "connected OPEN"},
		{name: "wrong subprotocol", dial: dialOpts{path: "OPEN", protos: []string{"ocpp2.0.1"}}, wantStatus: http.StatusBadRequest},
		{name: "no subprotocol", dial: dialOpts{path: "OPEN", protos: []string{}}, wantStatus: http.StatusBadRequest},
		{name: "unknown charger", dial: dialOpts{path: "NOBODY"}, wantStatus: http.StatusNotFound},
		{name: "wrong password", dial: dialOpts{path: "CP1", user: "CP1", pwd: "guess"}, wantStatus: http.StatusUnauthorized},
		{name: "missing password", dial: dialOpts{path: "CP1"}, wantStatus: http.StatusUnauthorized},
		{name: "authenticator unavailable", dial: dialOpts{path: "BUSY"}, wantStatus: http.StatusServiceUnavailable},
		{name: "authenticator fails", dial: dialOpts{path: "BROKEN"}, wantStatus: http.StatusInternalServerError},
		{name: "charger forbidden", dial: dialOpts{path: "BANNED"}, wantStatus: http.StatusForbidden},
		{name: "user is not the charger", dial: dialOpts{path: "CP1", user: "OTHER", pwd: "s3cret"}, wantStatus: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, resp, err := s.dial(t, tt.dial)
			if resp == nil {
				t.Fatalf("no HTTP response: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("got status %d, want %d (err %v)", resp.StatusCode, tt.wantStatus, err)
			}
			if tt.wantStatus != http.StatusSwitchingProtocols {
				if err == nil {
					t.Fatal("dial succeeded, want it refused")
				}
				if p := resp.Header.Get("Sec-WebSocket-Protocol"); p != "" {
					t.Errorf("got Sec-WebSocket-Protocol %q on a refusal, want none", p)
				}
				wantChallenge := ""
				if tt.wantStatus == http.StatusUnauthorized {
					wantChallenge = `Basic realm="ocpp"`
				}
				if got := resp.Header.Get("WWW-Authenticate"); got != wantChallenge {
					t.Errorf("got WWW-Authenticate %q, want %q", got, wantChallenge)
				}
				body, _ := io.ReadAll(resp.Body)
				if strings.Contains(string(body), "database") {
					t.Errorf("got body %q, want no internals", body)
				}
				s.h.noEvent(t)
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			if got := ws.Subprotocol(); got != "ocpp1.6" {
				t.Errorf("got subprotocol %q, want ocpp1.6", got)
			}
			if got := s.h.nextEvent(t); got != tt.wantEvent {
				t.Errorf("got event %q, want %q", got, tt.wantEvent)
			}
			ws.CloseNow()
			if got, want := s.h.nextEvent(t), "dis"+tt.wantEvent; got != want {
				t.Errorf("got event %q, want %q", got, want)
			}
		})
	}
}

func TestCloseRefusesNewSockets(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	go drain(ws) // answers the server's close handshake
	s.g.Close()
	if got, want := s.h.nextEvent(t), "disconnected CP1"; got != want {
		t.Errorf("got event %q, want %q", got, want)
	}
	if got := s.g.IsConnected("CP1"); got {
		t.Error("got IsConnected true after Close, want false")
	}
	_, resp, err := s.dial(t, dialOpts{path: "CP1"})
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("got response %v, err %v; want 503", resp, err)
	}
}
