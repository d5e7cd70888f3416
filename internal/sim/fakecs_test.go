package sim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

// csEvent is one CALL a charger sent to the fake central system.
type csEvent struct {
	cp      string
	action  string
	payload json.RawMessage
}

// fakeCS is a small central system for tests: it validates every CALL
// (failing the test on a violation), answers it, records it, and can send
// commands to a connected charger.
type fakeCS struct {
	t   testing.TB
	srv *httptest.Server

	mu           sync.Mutex
	changed      chan struct{}
	conns        map[string]*csConn
	events       []csEvent
	refuse       bool                    // answer the handshake with 503
	bootStatus   ocpp.RegistrationStatus // default Accepted
	bootInterval int                     // seconds
	tagStatus    map[string]ocpp.AuthorizationStatus
	nextTx       int
	onCall       func(cp, action string) // called before answering, without the lock
}

type csConn struct {
	ws      *websocket.Conn
	mu      sync.Mutex
	seq     int
	pending map[string]chan ocpp.Frame
}

func newFakeCS(t testing.TB) *fakeCS {
	t.Helper()
	cs := &fakeCS{
		t: t, changed: make(chan struct{}), conns: map[string]*csConn{},
		bootStatus: ocpp.RegistrationStatusAccepted, tagStatus: map[string]ocpp.AuthorizationStatus{}, nextTx: 100,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ocpp/{id}", cs.serve)
	cs.srv = httptest.NewServer(mux)
	t.Cleanup(cs.srv.Close)
	return cs
}

func (cs *fakeCS) url() string { return "ws" + strings.TrimPrefix(cs.srv.URL, "http") + "/ocpp" }

func (cs *fakeCS) notifyLocked() {
	close(cs.changed)
	cs.changed = make(chan struct{})
}

func (cs *fakeCS) setRefuse(v bool) {
	cs.mu.Lock()
	cs.refuse = v
	cs.mu.Unlock()
}

func (cs *fakeCS) serve(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	cs.mu.Lock()
	refuse := cs.refuse
	cs.mu.Unlock()
	if refuse {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != id || pass != "pw-"+id {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}})
	if err != nil {
		return
	}
	defer ws.CloseNow()
	if ws.Subprotocol() != Subprotocol {
		cs.t.Errorf("charger %s offered no ocpp1.6 subprotocol", id)
		return
	}
	conn := &csConn{ws: ws, pending: map[string]chan ocpp.Frame{}}
	cs.mu.Lock()
	cs.conns[id] = conn
	cs.notifyLocked()
	cs.mu.Unlock()
	defer func() {
		cs.mu.Lock()
		if cs.conns[id] == conn {
			delete(cs.conns, id)
		}
		cs.notifyLocked()
		cs.mu.Unlock()
	}()
	ctx := r.Context()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil {
			cs.t.Errorf("charger %s sent a bad frame %s: %v", id, data, err)
			return
		}
		if f.Type != ocpp.Call {
			conn.mu.Lock()
			ch := conn.pending[f.ID]
			delete(conn.pending, f.ID)
			conn.mu.Unlock()
			if ch == nil {
				cs.t.Errorf("charger %s answered unknown id %s", id, f.ID)
				continue
			}
			ch <- f
			continue
		}
		if _, err := ocpp.ValidateRequest(f.Action, f.Payload, ocpp.Options{Sender: ocpp.RoleChargePoint}); err != nil {
			cs.t.Errorf("charger %s sent an invalid %s %s: %v", id, f.Action, f.Payload, err)
			_ = cs.write(ctx, conn, ocpp.NewCallError(f.ID, ocpp.AsError(err)))
			continue
		}
		cs.mu.Lock()
		hook := cs.onCall
		cs.mu.Unlock()
		if hook != nil {
			hook(id, f.Action)
		}
		res := cs.answer(id, f)
		out, err := ocpp.NewCallResult(f.ID, res)
		if err != nil {
			cs.t.Errorf("answer %s: %v", f.Action, err)
			return
		}
		if err := cs.write(ctx, conn, out); err != nil {
			return
		}
	}
}

func (cs *fakeCS) write(ctx context.Context, conn *csConn, f ocpp.Frame) error {
	b, err := f.MarshalJSON()
	if err != nil {
		return err
	}
	return conn.ws.Write(ctx, websocket.MessageText, b)
}

// answer records a CALL and builds its confirmation.
func (cs *fakeCS) answer(cp string, f ocpp.Frame) any {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	defer cs.notifyLocked()
	cs.events = append(cs.events, csEvent{cp: cp, action: f.Action, payload: f.Payload})
	now := ocpp.NewDateTime(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	tag := func(idTag string) ocpp.IdTagInfo {
		if st, ok := cs.tagStatus[idTag]; ok {
			return ocpp.IdTagInfo{Status: st}
		}
		return ocpp.IdTagInfo{Status: ocpp.AuthorizationStatusAccepted}
	}
	switch f.Action {
	case ocpp.ActionBootNotification:
		return ocpp.BootNotificationResponse{Status: cs.bootStatus, CurrentTime: now, Interval: cs.bootInterval}
	case ocpp.ActionHeartbeat:
		return ocpp.HeartbeatResponse{CurrentTime: now}
	case ocpp.ActionAuthorize:
		var r ocpp.AuthorizeRequest
		_ = json.Unmarshal(f.Payload, &r)
		return ocpp.AuthorizeResponse{IDTagInfo: tag(r.IDTag)}
	case ocpp.ActionStartTransaction:
		var r ocpp.StartTransactionRequest
		_ = json.Unmarshal(f.Payload, &r)
		cs.nextTx++
		return ocpp.StartTransactionResponse{TransactionID: cs.nextTx, IDTagInfo: tag(r.IDTag)}
	case ocpp.ActionStopTransaction:
		return ocpp.StopTransactionResponse{}
	}
	return struct{}{} // StatusNotification, MeterValues and the notifications have empty confirmations
}

// call sends a command to charger cp and returns its validated answer.
func (cs *fakeCS) call(ctx context.Context, cp, action string, req any) json.RawMessage {
	cs.t.Helper()
	cs.mu.Lock()
	conn := cs.conns[cp]
	cs.mu.Unlock()
	if conn == nil {
		cs.t.Fatalf("call %s: charger %s not connected", action, cp)
	}
	conn.mu.Lock()
	conn.seq++
	id := "cs-" + strconv.Itoa(conn.seq)
	ch := make(chan ocpp.Frame, 1)
	conn.pending[id] = ch
	conn.mu.Unlock()
	f, err := ocpp.NewCall(id, action, req)
	if err != nil {
		cs.t.Fatalf("build %s: %v", action, err)
	}
	if err := cs.write(ctx, conn, f); err != nil {
		cs.t.Fatalf("send %s: %v", action, err)
	}
	select {
	case res := <-ch:
		if res.Type != ocpp.CallResult {
			cs.t.Fatalf("%s: got %s %s %s, want CALLRESULT", action, res.Type, res.ErrorCode, res.ErrorDescription)
		}
		if _, err := ocpp.ValidateResponse(action, res.Payload, ocpp.Options{}); err != nil {
			cs.t.Fatalf("%s.conf %s is invalid: %v", action, res.Payload, err)
		}
		return res.Payload
	case <-ctx.Done():
		cs.t.Fatalf("%s: no answer: %v", action, ctx.Err())
	}
	return nil
}

// callRaw sends a raw payload and returns the answer frame (for invalid requests).
func (cs *fakeCS) callRaw(ctx context.Context, cp, action, payload string) ocpp.Frame {
	cs.t.Helper()
	cs.mu.Lock()
	conn := cs.conns[cp]
	cs.mu.Unlock()
	conn.mu.Lock()
	conn.seq++
	id := "cs-" + strconv.Itoa(conn.seq)
	ch := make(chan ocpp.Frame, 1)
	conn.pending[id] = ch
	conn.mu.Unlock()
	f := ocpp.Frame{Type: ocpp.Call, ID: id, Action: action, Payload: json.RawMessage(payload)}
	if err := cs.write(ctx, conn, f); err != nil {
		cs.t.Fatalf("send %s: %v", action, err)
	}
	select {
	case res := <-ch:
		return res
	case <-ctx.Done():
		cs.t.Fatalf("%s: no answer: %v", action, ctx.Err())
	}
	return ocpp.Frame{}
}

// eventsOf returns the CALLs of one charger, optionally of some actions only.
func (cs *fakeCS) eventsOf(cp string, actions ...string) []csEvent {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var out []csEvent
	for _, e := range cs.events {
		if e.cp != cp {
			continue
		}
		if len(actions) == 0 || contains(actions, e.action) {
			out = append(out, e)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// waitEvents blocks until cond holds for the charger's recorded CALLs.
func (cs *fakeCS) waitEvents(ctx context.Context, cp string, cond func([]csEvent) bool) []csEvent {
	cs.t.Helper()
	for {
		cs.mu.Lock()
		ch := cs.changed
		cs.mu.Unlock()
		evs := cs.eventsOf(cp)
		if cond(evs) {
			return evs
		}
		select {
		case <-ch:
		case <-ctx.Done():
			var names []string
			for _, e := range evs {
				names = append(names, e.action)
			}
			cs.t.Fatalf("charger %s: condition not met; CALLs so far: %v", cp, names)
		}
	}
}

// countAction returns a condition: at least n CALLs of action.
func countAction(action string, n int) func([]csEvent) bool {
	return func(evs []csEvent) bool {
		c := 0
		for _, e := range evs {
			if e.action == action {
				c++
			}
		}
		return c >= n
	}
}

// testBehaviour is a fast behaviour for tests.
func testBehaviour() Behaviour {
	return Behaviour{
		MeterInterval:     20 * time.Millisecond,
		HeartbeatFallback: 30 * time.Millisecond,
		ReconnectDelay:    10 * time.Millisecond,
		CallTimeout:       5 * time.Second,
		TickInterval:      5 * time.Millisecond,
	}
}

// startCharger runs a charger against cs until the test ends and waits
// until it is online.
func startCharger(t *testing.T, cs *fakeCS, spec ChargerSpec, b Behaviour, clk clock.Clock) *Charger {
	t.Helper()
	if spec.Password == "" {
		spec.Password = "pw-" + spec.ID
	}
	c := NewCharger(cs.url(), spec, b, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if v := c.State().Violations; len(v) > 0 {
			t.Errorf("charger saw OCPP violations from the fake CS: %v", v)
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := c.WaitFor(wctx, func(s Snapshot) bool { return s.Online }); err != nil {
		t.Fatalf("charger %s never came online: %v", spec.ID, err)
	}
	return c
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func decode[T any](t *testing.T, payload json.RawMessage) T {
	t.Helper()
	v, err := ocpp.Decode[T](payload, ocpp.Options{})
	if err != nil {
		t.Fatalf("decode %T from %s: %v", v, payload, err)
	}
	return v
}
