package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/config"
	"campuscharge/internal/ocpp"
	"campuscharge/internal/sim"
	"campuscharge/internal/testutil"
)

// sqliteOnly is the engine of tests too costly to repeat on every database.
func sqliteOnly() testutil.Engine { return testutil.Engine{Name: "sqlite"} }

// simBehaviour is a quiet simulated charger with test-speed timers: no
// periodic meter values unless meter is set.
func simBehaviour(meter time.Duration) sim.Behaviour {
	if meter == 0 {
		meter = time.Hour
	}
	return sim.Behaviour{MeterInterval: meter, ReconnectDelay: 50 * time.Millisecond, CallTimeout: 5 * time.Second, TickInterval: 20 * time.Millisecond}
}

// runSim runs a simulated charger against url (default: this server's OCPP
// endpoint) until the test ends, and waits until it is online.
func (s *testServer) runSim(url string, spec sim.ChargerSpec, b sim.Behaviour) *sim.Charger {
	s.t.Helper()
	if url == "" {
		url = "ws://" + s.Addr() + "/ocpp"
	}
	c := sim.NewCharger(url, spec, b, s.clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	s.t.Cleanup(func() { cancel(); <-done })
	s.simWait(c, "online", func(st sim.Snapshot) bool { return st.Online })
	return c
}

// simWait waits (10 s at most) until cond holds for the charger's state.
func (s *testServer) simWait(c *sim.Charger, what string, cond func(sim.Snapshot) bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitFor(ctx, cond); err != nil {
		s.t.Fatalf("charger %s never %s: %v (state %+v)", c.ID(), what, err, c.State())
	}
}

// tcpProxy forwards TCP connections to target; it can refuse new ones and
// cut the open ones, to take a charger offline for as long as a test wants.
type tcpProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	refuse bool
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			refuse := p.refuse
			p.mu.Unlock()
			out, err := net.Dial("tcp", target)
			if refuse || err != nil {
				in.Close()
				if out != nil {
					out.Close()
				}
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return p
}

// setOffline refuses new connections and cuts the open ones (true), or
// lets connections through again (false).
func (p *tcpProxy) setOffline(off bool) {
	p.mu.Lock()
	p.refuse = off
	p.mu.Unlock()
	if off {
		p.cut()
	}
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *tcpProxy) url() string { return "ws://" + p.ln.Addr().String() + "/ocpp" }

// auditActions returns the responses of the commands the audit log holds
// for a charger, by action.
func (s *testServer) auditedCommands(admin, chargerID string) map[string][]string {
	s.t.Helper()
	_, list := s.callList("GET", "/api/v1/audit?limit=200&target_id="+chargerID, admin)
	out := map[string][]string{}
	for _, e := range list {
		action, _ := e["action"].(string)
		if name, ok := strings.CutPrefix(action, "charger.command."); ok {
			after, _ := e["after"].(map[string]any)
			raw, _ := json.Marshal(after["response"])
			out[name] = append(out[name], string(raw))
		}
	}
	return out
}

// TestSimRemoteCommands sends every staff command through the API to a
// simulated charger: each returns the charger's real answer and lands in
// the audit log; a charger that is not connected gives 503 with a detail
// that says so.
func TestSimRemoteCommands(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	chargerID, password := s.registerCharger(admin, "SIM-CMD-1", "slow", 7000)
	driver := s.devLogin("13800000111")
	tag := s.appTag(driver)
	c := s.runSim("", sim.ChargerSpec{ID: "SIM-CMD-1", Password: password, MaxPowerW: 7000}, simBehaviour(0))
	expiry := s.clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)

	profile := map[string]any{"chargingProfileId": 7, "stackLevel": 1, "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Relative",
		"chargingSchedule": map[string]any{"chargingRateUnit": "W", "chargingSchedulePeriod": []map[string]any{{"startPeriod": 0, "limit": 3500}}}}
	var txID float64
	tests := []struct {
		action string
		body   any
		want   string // the charger's answer, as JSON
		check  func(t *testing.T, got map[string]any)
	}{
		{action: "GetConfiguration", body: map[string]any{"key": []string{"HeartbeatInterval", "NoSuchKey"}},
			want: `{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}],"unknownKey":["NoSuchKey"]}`},
		{action: "ChangeConfiguration", body: map[string]any{"key": "MeterValueSampleInterval", "value": "30"}, want: `{"status":"Accepted"}`},
		{action: "ChangeConfiguration", body: map[string]any{"key": "NoSuchKey", "value": "1"}, want: `{"status":"NotSupported"}`},
		{action: "ChangeAvailability", body: map[string]any{"connectorId": 1, "type": "Inoperative"}, want: `{"status":"Accepted"}`},
		{action: "ChangeAvailability", body: map[string]any{"connectorId": 1, "type": "Operative"}, want: `{"status":"Accepted"}`},
		{action: "UnlockConnector", body: map[string]any{"connectorId": 1}, want: `{"status":"Unlocked"}`},
		{action: "UnlockConnector", body: map[string]any{"connectorId": 5}, want: `{"status":"NotSupported"}`},
		{action: "TriggerMessage", body: map[string]any{"requestedMessage": "Heartbeat"}, want: `{"status":"Accepted"}`},
		{action: "ClearCache", body: map[string]any{}, want: `{"status":"Accepted"}`},
		{action: "DataTransfer", body: map[string]any{"vendorId": "com.example"}, want: `{"status":"UnknownVendorId"}`},
		{action: "ReserveNow", body: map[string]any{"connectorId": 1, "expiryDate": expiry, "idTag": tag, "reservationId": 42}, want: `{"status":"Accepted"}`},
		{action: "CancelReservation", body: map[string]any{"reservationId": 42}, want: `{"status":"Accepted"}`},
		{action: "CancelReservation", body: map[string]any{"reservationId": 42}, want: `{"status":"Rejected"}`},
		{action: "SetChargingProfile", body: map[string]any{"connectorId": 1, "csChargingProfiles": profile}, want: `{"status":"Accepted"}`},
		{action: "ClearChargingProfile", body: map[string]any{"id": 7}, want: `{"status":"Accepted"}`},
		{action: "SendLocalList", body: map[string]any{"listVersion": 5, "updateType": "Full",
			"localAuthorizationList": []map[string]any{{"idTag": tag, "idTagInfo": map[string]any{"status": "Accepted"}}}}, want: `{"status":"Accepted"}`},
		{action: "GetLocalListVersion", body: map[string]any{}, want: `{"listVersion":5}`},
		{action: "UpdateFirmware", body: map[string]any{"location": "https://example.com/fw-2.0.bin", "retrieveDate": expiry}, want: `{}`},
		{action: "GetDiagnostics", body: map[string]any{"location": "ftp://example.com/upload/"}, check: func(t *testing.T, got map[string]any) {
			if name, _ := got["fileName"].(string); !strings.HasPrefix(name, "diag-SIM-CMD-1-") {
				t.Errorf("got fileName %q, want diag-SIM-CMD-1-…", name)
			}
		}},
		{action: "RemoteStartTransaction", body: map[string]any{"connectorId": 1, "idTag": tag}, want: `{"status":"Accepted"}`},
		{action: "RemoteStopTransaction", want: `{"status":"Accepted"}`},
		{action: "RemoteStopTransaction", body: map[string]any{"transactionId": 999999}, want: `{"status":"Rejected"}`},
		{action: "Reset", body: map[string]any{"type": "Soft"}, want: `{"status":"Accepted"}`},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			body := tt.body
			if tt.action == "RemoteStopTransaction" && body == nil {
				body = map[string]any{"transactionId": txID}
			}
			status, got := s.call("POST", "/api/v1/chargers/"+chargerID+"/commands/"+tt.action, admin, body)
			// A refusal is the charger's answer too: 200 with it.
			if status != http.StatusOK {
				t.Fatalf("got HTTP %d %v, want 200", status, got)
			}
			resp, _ := got["response"].(map[string]any)
			if tt.check != nil {
				tt.check(t, resp)
			} else {
				var want map[string]any
				if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, resp); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			}
			if tt.action == "RemoteStartTransaction" {
				session, _ := got["session"].(map[string]any)
				if session == nil || session["transaction_id"] == nil {
					t.Fatalf("remote start: no session in %v", got)
				}
				txID = session["transaction_id"].(float64)
			}
			if tt.action == "RemoteStopTransaction" && tt.body == nil {
				// The charger stops after answering: let the stop land
				// before the Reset below ends the session another way.
				s.waitFor("/api/v1/sessions?charger_id="+chargerID, admin, func(b map[string]any) bool {
					items, _ := b["items"].([]any)
					return len(items) == 1 && items[0].(map[string]any)["status"] == "stopped"
				})
			}
		})
	}
	// The effects are the charger's own: it rebooted, holds the local list
	// and the new meter interval, and the remote stop ended the session.
	s.simWait(c, "rebooted after Reset", func(st sim.Snapshot) bool { return st.Boots >= 2 && st.Online })
	if st := c.State(); st.LocalListVersion != 5 || st.MeterInterval != 30*time.Second {
		t.Errorf("got local list version %d, meter interval %s; want 5, 30s", st.LocalListVersion, st.MeterInterval)
	}
	s.waitFor("/api/v1/sessions?charger_id="+chargerID, admin, func(b map[string]any) bool {
		items, _ := b["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["status"] == "stopped"
	})
	_, sessions := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
	if len(sessions) != 1 || sessions[0]["stop_reason"] != "Remote" {
		t.Errorf("got sessions %v, want one stopped remotely", sessions)
	}

	audited := s.auditedCommands(admin, chargerID)
	for _, tt := range tests {
		if len(audited[tt.action]) == 0 {
			t.Errorf("%s: not in the audit log", tt.action)
		}
	}
	if got, want := len(audited["CancelReservation"]), 2; got != want {
		t.Errorf("got %d audited CancelReservations, want %d", got, want)
	}

	// Not connected: 503 with a detail naming the charger.
	offlineID, _ := s.registerCharger(admin, "SIM-CMD-OFF", "slow", 7000)
	status, body := s.call("POST", "/api/v1/chargers/"+offlineID+"/commands/Reset", admin, map[string]any{"type": "Hard"}, "en")
	if detail, _ := body["detail"].(string); status != http.StatusServiceUnavailable || !strings.Contains(detail, "SIM-CMD-OFF is not connected") {
		t.Errorf("command to an offline charger: got %d %v, want 503 saying SIM-CMD-OFF is not connected", status, body)
	}
}

// TestSimOfflineQueueReplay drops a simulated charger's connection in the
// middle of a session and keeps it offline while the car charges and the
// driver stops: the charger queues MeterValues and StopTransaction and
// replays them after reconnecting. The session is stored once and
// completely, with one bill, on every configured database.
func TestSimOfflineQueueReplay(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			chargerID, password := s.registerCharger(admin, "SIM-OFF-1", "slow", 7000)
			driver := s.devLogin("13800000222")
			tag := s.appTag(driver)
			proxy := newTCPProxy(t, s.Addr())
			c := s.runSim(proxy.url(), sim.ChargerSpec{ID: "SIM-OFF-1", Password: password, MaxPowerW: 7000}, simBehaviour(100*time.Millisecond))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			if err := c.Plug(ctx, 1); err != nil {
				t.Fatal(err)
			}
			tx, err := c.StartLocal(ctx, 1, tag)
			if err != nil || tx <= 0 {
				t.Fatalf("StartLocal: got %d, %v; want a transaction id", tx, err)
			}
			s.clock.Advance(10 * time.Minute)
			live := s.waitFor("/api/v1/sessions?status=active&charger_id="+chargerID, admin, func(b map[string]any) bool {
				items, _ := b["items"].([]any)
				return len(items) == 1 && items[0].(map[string]any)["energy_wh"].(float64) > 0
			})
			sessionID := live["items"].([]any)[0].(map[string]any)["id"].(string)

			proxy.setOffline(true)
			s.simWait(c, "disconnected", func(st sim.Snapshot) bool { return !st.Connected })
			for n := 1; n <= 3; n++ {
				s.clock.Advance(10 * time.Minute)
				s.simWait(c, "queued MeterValues", func(st sim.Snapshot) bool { return st.Queued >= n })
			}
			if err := c.StopLocal(ctx, 1, "Local"); err != nil {
				t.Fatalf("StopLocal offline: %v", err)
			}
			st := c.State()
			meterStop := st.Connectors[0].MeterWh
			queued := st.Queued
			_, mid := s.call("GET", "/api/v1/sessions/"+sessionID, admin, nil)
			if mid["status"] != "active" {
				t.Fatalf("session while the charger is offline: got status %v, want active", mid["status"])
			}

			proxy.setOffline(false)
			s.simWait(c, "replayed its queue", func(st sim.Snapshot) bool { return st.Online && st.Queued == 0 })
			got := s.waitFor("/api/v1/sessions/"+sessionID, admin, func(b map[string]any) bool { return b["status"] == "stopped" })
			meterStart := got["meter_start_wh"].(float64)
			if got["meter_stop_wh"] != float64(meterStop) || got["energy_wh"] != float64(meterStop)-meterStart || got["stop_reason"] != "Local" {
				t.Errorf("session after replay = %v; want meter_stop_wh %d, energy_wh %g, stop_reason Local (queued %d)", got, meterStop, float64(meterStop)-meterStart, queued)
			}
			// 40 minutes at 7 kW is about 4.7 kWh; the offline half must be there.
			if e := got["energy_wh"].(float64); e < 4000 || e > 5000 {
				t.Errorf("got energy %g Wh, want about 4667 (40 min at 7 kW)", e)
			}
			_, sessions := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
			if len(sessions) != 1 {
				t.Errorf("got %d sessions, want 1: %v", len(sessions), sessions)
			}
			_, bills := s.callList("GET", "/api/v1/bills?charger_id="+chargerID, admin)
			if len(bills) != 1 || bills[0]["session_id"] != sessionID {
				t.Errorf("got bills %v, want one for session %s", bills, sessionID)
			}
			if v := c.State().Violations; len(v) > 0 {
				t.Errorf("the charger saw OCPP violations: %v", v)
			}
		})
	}
}

// rawCharger is a charger speaking OCPP frames by hand over coder/websocket.
type rawCharger struct {
	t  *testing.T
	ws *websocket.Conn
	n  int
}

func dialRaw(t *testing.T, addr, cpID, password string) (*rawCharger, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if password != "" {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cpID+":"+password)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, "ws://"+addr+"/ocpp/"+cpID, &websocket.DialOptions{Subprotocols: []string{"ocpp1.6"}, HTTPHeader: h})
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { ws.CloseNow() })
	return &rawCharger{t: t, ws: ws}, resp, nil
}

// send writes a frame as is.
func (r *rawCharger) send(frame string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		r.t.Fatalf("send %s: %v", frame, err)
	}
}

// recv reads the next frame.
func (r *rawCharger) recv() ocpp.Frame {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := r.ws.Read(ctx)
	if err != nil {
		r.t.Fatalf("read: %v", err)
	}
	f, err := ocpp.ParseFrame(data)
	if err != nil {
		r.t.Fatalf("parse %s: %v", data, err)
	}
	return f
}

// call sends a CALL and returns its answer.
func (r *rawCharger) call(action string, payload any) ocpp.Frame {
	r.t.Helper()
	r.n++
	raw, err := json.Marshal(payload)
	if err != nil {
		r.t.Fatal(err)
	}
	id := fmt.Sprintf("m%d", r.n)
	r.send(`[2,"` + id + `","` + action + `",` + string(raw) + `]`)
	f := r.recv()
	if f.ID != id {
		r.t.Fatalf("%s: answer to %q, want %q", action, f.ID, id)
	}
	return f
}

// TestRawFramesAndTransactions: invalid frames get the right CALLERROR (or
// none, when no id can be read) and the socket stays usable; a repeated
// StopTransaction changes nothing; a StopTransaction for an unknown
// transaction is answered and recorded as a flagged session.
func TestRawFramesAndTransactions(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	admin := s.login("admin", "admin-password")
	chargerID, password := s.registerCharger(admin, "RAW-1", "slow", 7000)
	driver := s.devLogin("13800000333")
	tag := s.appTag(driver)
	r, _, err := dialRaw(t, s.Addr(), "RAW-1", password)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.call("BootNotification", map[string]any{"chargePointVendor": "Raw", "chargePointModel": "R1"}); f.Type != ocpp.CallResult {
		t.Fatalf("boot: got %+v", f)
	}

	for _, tt := range []struct {
		name, frame string
		want        ocpp.ErrorCode // "" = no answer expected
	}{
		{"not JSON", `hello charger`, ""},
		{"not a frame", `{"a":1}`, ""},
		{"unknown action", `[2,"u1","FlyToTheMoon",{}]`, ocpp.NotImplemented},
		{"wrong type", `[2,"t1","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}]`, ocpp.TypeConstraintViolation},
		{"missing field", `[2,"o1","StartTransaction",{"connectorId":1,"idTag":"X"}]`, ocpp.OccurenceConstraintViolation},
		{"bad enum", `[2,"e1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]`, ocpp.PropertyConstraintViolation},
		{"extra field", `[2,"x1","Heartbeat",{"colour":"red"}]`, ocpp.FormationViolation},
		{"central system's action", `[2,"r1","Reset",{"type":"Hard"}]`, ocpp.NotSupported},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r.send(tt.frame)
			if tt.want != "" {
				f := r.recv()
				if f.Type != ocpp.CallError || f.ErrorCode != tt.want {
					t.Errorf("got %s %s, want CALLERROR %s", f.Type, f.ErrorCode, tt.want)
				}
			}
			// The socket still works.
			if f := r.call("Heartbeat", map[string]any{}); f.Type != ocpp.CallResult {
				t.Errorf("heartbeat after %s: got %+v", tt.name, f)
			}
		})
	}

	now := s.clock.Now().UTC()
	f := r.call("StartTransaction", map[string]any{"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": now.Add(-30 * time.Minute).Format(time.RFC3339)})
	var st ocpp.StartTransactionResponse
	if err := json.Unmarshal(f.Payload, &st); err != nil || st.IDTagInfo.Status != "Accepted" {
		t.Fatalf("start: got %s, %v", f.Payload, err)
	}
	stop := map[string]any{"transactionId": st.TransactionID, "meterStop": 4500, "timestamp": now.Format(time.RFC3339), "reason": "EVDisconnected"}
	for i := range 2 {
		if f := r.call("StopTransaction", stop); f.Type != ocpp.CallResult {
			t.Fatalf("stop #%d: got %+v", i+1, f)
		}
	}
	_, sessions := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
	if len(sessions) != 1 || sessions[0]["energy_wh"] != 3500.0 || sessions[0]["status"] != "stopped" {
		t.Errorf("after a repeated stop: got %v, want one stopped session of 3500 Wh", sessions)
	}
	_, bills := s.callList("GET", "/api/v1/bills?charger_id="+chargerID, admin)
	if len(bills) != 1 {
		t.Errorf("after a repeated stop: got %d bills, want 1", len(bills))
	}

	unknown := map[string]any{"transactionId": 424242, "meterStop": 9000, "timestamp": now.Format(time.RFC3339)}
	if f := r.call("StopTransaction", unknown); f.Type != ocpp.CallResult {
		t.Fatalf("unknown stop: got %+v, want a CALLRESULT", f)
	}
	_, sessions = s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
	var flagged bool
	for _, x := range sessions {
		if x["transaction_id"] == 424242.0 {
			flagged = strings.Contains(x["flag"].(string), "unknown transaction")
		}
	}
	if !flagged {
		t.Errorf("unknown transaction: no flagged session in %v", sessions)
	}
}

// sseEvents streams the event types of GET /api/v1/events.
func (s *testServer) sseEvents(token string) <-chan string {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/events", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { cancel(); resp.Body.Close() })
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if typ, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				ch <- typ
			}
		}
	}()
	return ch
}

func waitEvent(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case typ, ok := <-ch:
			if !ok {
				t.Fatalf("event stream ended before %s", want)
			}
			if typ == want {
				return
			}
		case <-timeout:
			t.Fatalf("no %s event", want)
		}
	}
}

// TestSimSilentChargerAndAbandonedSession: a charger that stays connected
// but says nothing for longer than heartbeat × factor is marked offline
// (connectors shown Offline, an event on SSE); its session, without a
// StopTransaction for longer than --abandon-after, is closed and flagged.
func TestSimSilentChargerAndAbandonedSession(t *testing.T) {
	s := startServer(t, sqliteOnly(), func(c *config.Config) { c.AbandonAfter = 2 * time.Hour })
	admin := s.login("admin", "admin-password")
	chargerID, password := s.registerCharger(admin, "SIM-SILENT", "slow", 7000)
	driver := s.devLogin("13800000444")
	tag := s.appTag(driver)
	c := s.runSim("", sim.ChargerSpec{ID: "SIM-SILENT", Password: password, MaxPowerW: 7000}, simBehaviour(0))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Plug(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartLocal(ctx, 1, tag); err != nil {
		t.Fatal(err)
	}
	events := s.sseEvents(admin)
	// Let the StatusNotification that followed the start arrive before the clock moves.
	s.waitFor("/api/v1/chargers/"+chargerID, admin, func(b map[string]any) bool {
		cs, _ := b["connectors"].([]any)
		return len(cs) == 1 && cs[0].(map[string]any)["status"] == "Charging"
	})

	// No site: heartbeat 300 s × factor 3 = 15 minutes of silence.
	s.clock.Advance(14 * time.Minute)
	if err := s.charging.CheckOffline(ctx); err != nil {
		t.Fatal(err)
	}
	if _, v := s.call("GET", "/api/v1/chargers/"+chargerID, admin, nil); v["online"] != true {
		t.Fatalf("after 14 silent minutes: got online %v, want true", v["online"])
	}
	s.clock.Advance(2 * time.Minute)
	if err := s.charging.CheckOffline(ctx); err != nil {
		t.Fatal(err)
	}
	_, v := s.call("GET", "/api/v1/chargers/"+chargerID, admin, nil)
	conn := v["connectors"].([]any)[0].(map[string]any)
	if v["online"] != false || v["status"] != "Offline" || conn["status"] != "Offline" {
		t.Errorf("after 16 silent minutes: got online %v, status %v, connector %v; want false, Offline, Offline (last seen %v, now %v)", v["online"], v["status"], conn["status"], v["last_seen_at"], s.clock.Now().UTC())
	}
	waitEvent(t, events, "charger.offline")

	_, active := s.callList("GET", "/api/v1/sessions?status=active&charger_id="+chargerID, admin)
	if len(active) != 1 {
		t.Fatalf("got %d active sessions, want 1", len(active))
	}
	s.clock.Advance(2 * time.Hour)
	if err := s.charging.CloseAbandoned(ctx); err != nil {
		t.Fatal(err)
	}
	admin = s.login("admin", "admin-password") // the first login expired meanwhile
	_, got := s.call("GET", "/api/v1/sessions/"+active[0]["id"].(string), admin, nil)
	if flag, _ := got["flag"].(string); got["status"] != "stopped" || !strings.Contains(flag, "closed by the system") {
		t.Errorf("abandoned session: got status %v, flag %q; want stopped and flagged", got["status"], flag)
	}
	waitEvent(t, events, "session.stopped")
}

// TestSimUnknownCharger: an unknown charger is refused at the handshake
// (404); with --accept-unknown-chargers it is accepted as pending, its
// BootNotification answered Pending, listed for approval; approving it
// gives it a password, shown once and audited, without which it can no
// longer connect (401); with it, its next boot is Accepted.
func TestSimUnknownCharger(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	_, resp, err := dialRaw(t, s.Addr(), "NOBODY-1", "whatever-password")
	if err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Errorf("unknown charger handshake: got HTTP %d, %v; want 404", code, err)
	}

	s = startServer(t, sqliteOnly(), func(c *config.Config) { c.AcceptUnknownChargers = true })
	admin := s.login("admin", "admin-password")
	b := simBehaviour(0)
	b.HeartbeatFallback = 100 * time.Millisecond
	c := sim.NewCharger("ws://"+s.Addr()+"/ocpp", sim.ChargerSpec{ID: "NEW-1"}, b, s.clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	s.simWait(c, "answered Pending", func(st sim.Snapshot) bool { return st.Registration == ocpp.RegistrationStatusPending })

	_, pending := s.callList("GET", "/api/v1/chargers?state=pending", admin)
	if len(pending) != 1 || pending[0]["charge_point_id"] != "NEW-1" {
		t.Fatalf("pending chargers: got %v, want NEW-1", pending)
	}
	id := pending[0]["id"].(string)
	status, body := s.call("POST", "/api/v1/chargers/"+id+"/state", admin, map[string]any{"state": "active"})
	password, _ := body["password"].(string)
	if status != http.StatusOK || body["state"] != "active" || len(password) < 16 {
		t.Fatalf("approve: got %d %v, want the active charger with a generated password", status, body)
	}
	// Disabling and enabling again keeps that password and shows none.
	for _, st := range []string{"disabled", "active"} {
		if status, body := s.call("POST", "/api/v1/chargers/"+id+"/state", admin, map[string]any{"state": st}); status != http.StatusOK || body["password"] != nil {
			t.Errorf("set %s: got %d %v, want no password", st, status, body)
		}
	}
	_, audit := s.callList("GET", "/api/v1/audit?target_id="+id, admin)
	if actions := auditActions(audit); countOf(actions, "charger.password") != 1 || countOf(actions, "charger.state") != 3 {
		t.Errorf("audit of the approval: got %v, want one charger.password and three charger.state", actions)
	}

	// The password-less simulator can no longer connect.
	cancel()
	<-done
	for _, pw := range []string{"", "wrong-password-123"} {
		_, resp, err := dialRaw(t, s.Addr(), "NEW-1", pw)
		if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("approved charger with password %q: got %v, %v; want HTTP 401", pw, resp, err)
		}
	}
	r, _, err := dialRaw(t, s.Addr(), "NEW-1", password)
	if err != nil {
		t.Fatalf("approved charger with its password: %v", err)
	}
	f := r.call("BootNotification", map[string]any{"chargePointVendor": "Sim", "chargePointModel": "S1"})
	var boot ocpp.BootNotificationResponse
	if err := json.Unmarshal(f.Payload, &boot); err != nil || boot.Status != ocpp.RegistrationStatusAccepted {
		t.Errorf("boot with the password: got %s, %v; want Accepted", f.Payload, err)
	}

	// An active charger without a password (approved before approving gave
	// one) is refused too.
	if _, err := s.db.Exec(`UPDATE chargers SET password_hash = '' WHERE id = '` + id + `'`); err != nil {
		t.Fatal(err)
	}
	if _, resp, err := dialRaw(t, s.Addr(), "NEW-1", ""); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("active charger without a password: got %v, %v; want HTTP 401", resp, err)
	}
}

// auditActions lists the actions of audit entries.
func auditActions(entries []map[string]any) []string {
	var out []string
	for _, e := range entries {
		a, _ := e["action"].(string)
		out = append(out, a)
	}
	return out
}

// TestSimCommand runs `campuscharge sim --register` for a few seconds
// against a real server, then again from the password file it wrote.
func TestSimCommand(t *testing.T) {
	s := startServer(t, sqliteOnly(), nil)
	pwFile := t.TempDir() + "/passwords"
	args := []string{"--url", "ws://" + s.Addr() + "/ocpp", "--chargers", "3", "--password-file", pwFile, "--prefix", "T-",
		"--duration", "1500ms", "--stats-every", "0", "--ramp-rate", "0"}
	var out strings.Builder
	err := run(context.Background(), append([]string{"sim", "--register", "--api", s.URL, "--admin-password", "admin-password"}, args...), nil, &out, io.Discard)
	if err != nil {
		t.Fatalf("sim --register: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "connected=3/3") {
		t.Errorf("summary does not show 3 connected chargers:\n%s", out.String())
	}
	admin := s.login("admin", "admin-password")
	_, list := s.callList("GET", "/api/v1/chargers?q=T-", admin)
	if len(list) != 3 {
		t.Errorf("got %d registered chargers, want 3", len(list))
	}
	out.Reset()
	if err := run(context.Background(), append([]string{"sim"}, args...), nil, &out, io.Discard); err != nil {
		t.Fatalf("sim from the password file: %v", err)
	}
	if !strings.Contains(out.String(), "connected=3/3") || !strings.Contains(out.String(), "failed=0") {
		t.Errorf("second run:\n%s", out.String())
	}
}

// TestSimFlagsAndPasswordFile checks flag errors and the password file formats.
func TestSimFlagsAndPasswordFile(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--url", "http://x/ocpp", "--password-file", "f"}, "must be a ws://"},
		{[]string{"--chargers", "0", "--password-file", "f"}, "--chargers 0"},
		{[]string{}, "--password-file is required"},
		{[]string{"--password-file", "f", "--fast-share", "1.5"}, "--fast-share"},
		{[]string{"--password-file", "f", "--meter-interval", "10ms"}, "--meter-interval"},
		{[]string{"--password-file", "f", "--register"}, "--admin-password"},
		{[]string{"--password-file", "f", "--prefix", "a b"}, "--prefix"},
		{[]string{"--password-file", "f", "extra"}, "unexpected argument"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parseSimFlags(tt.args, nil, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	if o, err := parseSimFlags([]string{"--password-file", "f", "--register"}, []string{"CAMPUSCHARGE_ADMIN_PASSWORD=pw"}, io.Discard); err != nil || o.AdminPassword != "pw" {
		t.Errorf("admin password from the environment: got %q, %v", o.AdminPassword, err)
	}

	ids := []string{"A", "B"}
	for _, tt := range []struct {
		name, file string
		want       map[string]string
		err        string
	}{
		{"per charger", "# comment\nA pa\n\nB pb\n", map[string]string{"A": "pa", "B": "pb"}, ""},
		{"one for all", "shared\n", map[string]string{"A": "shared", "B": "shared"}, ""},
		{"missing", "A pa\n", nil, "no password for 1 charger(s), e.g. B"},
		{"mixed", "shared\nA pa\n", nil, "mixes"},
		{"too many fields", "A pa extra\n", nil, "line 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readPasswords(strings.NewReader(tt.file), ids)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("got %v, want an error mentioning %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("passwords (-want +got):\n%s", diff)
			}
		})
	}

	o := simOptions{Chargers: 1000, Prefix: "S-", FastShare: 0.3, Seed: 9}
	specs := o.simSpecs()
	fast := 0
	for _, s := range specs {
		if s.Fast {
			fast++
		}
	}
	if fast < 250 || fast > 350 || specs[999].ID != "S-01000" {
		t.Errorf("got %d fast chargers of 1000 (want about 300) and last id %s (want S-01000)", fast, specs[999].ID)
	}
	if diff := cmp.Diff(specs, o.simSpecs()); diff != "" {
		t.Errorf("the same seed gave another fleet:\n%s", diff)
	}
}

// TestDemo starts the server with --demo: the campus is seeded (three
// sites, 20 chargers, demo drivers), the simulated fleet comes online and a
// few sessions start at once; seeding again adds nothing.
func TestDemo(t *testing.T) {
	s := startServer(t, sqliteOnly(), func(c *config.Config) { c.Demo = true })
	admin := s.login("admin", "admin-password")
	s.waitFor("/api/v1/chargers", admin, func(b map[string]any) bool {
		items, _ := b["items"].([]any)
		online := 0
		for _, it := range items {
			if it.(map[string]any)["online"] == true {
				online++
			}
		}
		return len(items) == 20 && online == 20
	})
	s.waitFor("/api/v1/sessions?status=active", admin, func(b map[string]any) bool {
		items, _ := b["items"].([]any)
		return len(items) == 4
	})
	_, sites := s.callList("GET", "/api/v1/sites", admin)
	var names []string
	for _, x := range sites {
		names = append(names, x["code"].(string))
	}
	if diff := cmp.Diff([]string{"LIBRARY", "NORTH", "STADIUM"}, sortedCopy(names)); diff != "" {
		t.Errorf("sites (-want +got):\n%s", diff)
	}
	_, v := s.call("GET", "/api/v1/chargers/DEMO-NORTH-01", admin, nil)
	if v["name"] != "北门 快充 01" || v["location"] != "North gate car park, bay 1" || v["kind"] != "fast" || v["max_power_w"] != 120000.0 {
		t.Errorf("DEMO-NORTH-01 = %v", v)
	}
	specs, tags, err := s.seedDemo(context.Background())
	if err != nil || len(specs) != 20 || len(tags) != len(demoDrivers()) {
		t.Fatalf("seeding again: got %d specs, %d tags, %v; want 20, %d, nil", len(specs), len(tags), err, len(demoDrivers()))
	}
	_, list := s.callList("GET", "/api/v1/chargers", admin)
	_, sites = s.callList("GET", "/api/v1/sites", admin)
	if len(list) != 20 || len(sites) != 3 {
		t.Errorf("after seeding again: got %d chargers, %d sites; want 20, 3", len(list), len(sites))
	}
}

func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	slices.Sort(out)
	return out
}
