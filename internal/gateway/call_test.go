package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

// appKey returns the code and message key of an apperr error.
func appKey(err error) (apperr.Code, string) {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return "", ""
	}
	return e.Code, e.Key
}

// keyOf returns the message key of an apperr error, or "".
func keyOf(err error) string {
	_, key := appKey(err)
	return key
}

// hardReset is the request most tests send.
var hardReset = ocpp.ResetRequest{Type: ocpp.ResetTypeHard}

func TestCallResults(t *testing.T) {
	tests := []struct {
		name     string
		answer   func(id string) string // the charger's answer frame
		wantResp ocpp.ResetResponse
		wantOCPP *ocpp.Error // CALLERROR expected in the chain
		wantCode apperr.Code // apperr code expected otherwise
		wantKey  string
	}{
		{
			name:     "result decoded",
			answer:   func(id string) string { return `[3,"` + id + `",{"status":"Accepted"}]` },
			wantResp: ocpp.ResetResponse{Status: ocpp.ResetStatusAccepted},
		},
		{
			name:     "call error",
			answer:   func(id string) string { return `[4,"` + id + `","NotSupported","no resets here",{"why":"policy"}]` },
			wantOCPP: &ocpp.Error{Code: ocpp.NotSupported, Description: "no resets here", Details: map[string]any{"why": "policy"}},
		},
		{
			name:     "invalid confirmation",
			answer:   func(id string) string { return `[3,"` + id + `",{"status":"Perhaps"}]` },
			wantCode: apperr.Unavailable,
			wantKey:  "unavailable",
		},
		{
			name:     "confirmation that is not an object",
			answer:   func(id string) string { return `[3,"` + id + `",[]]` },
			wantCode: apperr.Unavailable,
			wantKey:  "unavailable",
		},
	}
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp ocpp.ResetResponse
			done := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, &resp)
			call := recv(t, ws)
			want := ocpp.Frame{Type: ocpp.Call, ID: call.ID, Action: "Reset", Payload: json.RawMessage(`{"type":"Hard"}`)}
			if diff := cmp.Diff(want, call); diff != "" {
				t.Errorf("CALL sent (-want +got):\n%s", diff)
			}
			send(t, ws, tt.answer(call.ID))
			err := result(t, done)
			var oe *ocpp.Error
			switch {
			case tt.wantOCPP != nil:
				if !errors.As(err, &oe) {
					t.Fatalf("got error %v, want *ocpp.Error", err)
				}
				if diff := cmp.Diff(tt.wantOCPP, oe); diff != "" {
					t.Errorf("CALLERROR (-want +got):\n%s", diff)
				}
			case tt.wantCode != "":
				if errors.As(err, &oe) {
					t.Errorf("got *ocpp.Error %v for a bad confirmation, want an apperr", oe)
				}
				if code, key := appKey(err); code != tt.wantCode || key != tt.wantKey {
					t.Errorf("got error %v (%s/%s), want %s/%s", err, code, key, tt.wantCode, tt.wantKey)
				}
			default:
				if err != nil {
					t.Fatalf("Call: %v", err)
				}
				if diff := cmp.Diff(tt.wantResp, resp); diff != "" {
					t.Errorf("response (-want +got):\n%s", diff)
				}
			}
		})
	}
	if got, want := s.g.Stats().CallsOut, int64(len(tests)); got != want {
		t.Errorf("got %d calls out answered, want %d", got, want)
	}
}

func TestCallRefusedBeforeSending(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	tests := []struct {
		name     string
		id       string
		action   string
		req      any
		resp     any
		wantCode apperr.Code
		wantKey  string
	}{
		{name: "offline charger", id: "CP2", action: ocpp.ActionReset, req: hardReset, wantCode: apperr.Unavailable, wantKey: "charger_offline"},
		{name: "invalid request", id: "CP1", action: ocpp.ActionReset, req: ocpp.ResetRequest{Type: "Gentle"}, wantCode: apperr.Invalid, wantKey: "invalid_input"},
		{name: "unknown action", id: "CP1", action: "Explode", req: struct{}{}, wantCode: apperr.Invalid, wantKey: "invalid_input"},
		{name: "charger-only action", id: "CP1", action: ocpp.ActionHeartbeat, req: struct{}{}, wantCode: apperr.Invalid, wantKey: "invalid_input"},
		{name: "request not an object", id: "CP1", action: ocpp.ActionReset, req: "Hard", wantCode: apperr.Invalid, wantKey: "invalid_input"},
		{name: "resp not a pointer", id: "CP1", action: ocpp.ActionReset, req: hardReset, resp: ocpp.ResetResponse{}, wantCode: apperr.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.g.Call(context.Background(), tt.id, tt.action, tt.req, tt.resp)
			if err == nil {
				t.Fatal("got no error, want one")
			}
			if code, key := apperr.CodeOf(err), keyOf(err); code != tt.wantCode || key != tt.wantKey {
				t.Errorf("got error %v (%s/%s), want %s/%s", err, code, key, tt.wantCode, tt.wantKey)
			}
			var oe *ocpp.Error
			if errors.As(err, &oe) {
				t.Errorf("got *ocpp.Error in the chain of a local refusal: %v", oe)
			}
		})
	}
	// Nothing was sent: the next frame the charger sees is a real CALL.
	done := goCall(s.g, "CP1", ocpp.ActionClearCache, ocpp.ClearCacheRequest{}, nil)
	if f := recv(t, ws); f.Action != ocpp.ActionClearCache {
		t.Fatalf("got %s %s, want the ClearCache CALL", f.Type, f.Action)
	} else {
		reply(t, ws, f, `{"status":"Accepted"}`)
	}
	if err := result(t, done); err != nil {
		t.Fatalf("Call: %v", err)
	}
}

func TestCallTimeout(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{CallTimeout: 50 * time.Millisecond})
	ws := s.connect(t, "CP1")
	done := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	late := recv(t, ws)
	err := result(t, done)
	if code, key := appKey(err); code != apperr.Unavailable || key != "charger_timeout" {
		t.Fatalf("got error %v (%s/%s), want unavailable/charger_timeout", err, code, key)
	}
	if got := s.g.Stats().CallTimeouts; got != 1 {
		t.Errorf("got %d timeouts, want 1", got)
	}
	// The late answer is ignored; the next Call gets its own answer.
	reply(t, ws, late, `{"status":"Rejected"}`)
	var resp ocpp.ResetResponse
	done = goCall(s.g, "CP1", ocpp.ActionReset, hardReset, &resp)
	next := recv(t, ws)
	if next.ID == late.ID {
		t.Fatalf("got reused message id %q", next.ID)
	}
	reply(t, ws, next, `{"status":"Accepted"}`)
	if err := result(t, done); err != nil {
		t.Fatalf("Call: %v", err)
	}
	if resp.Status != ocpp.ResetStatusAccepted {
		t.Errorf("got status %q, want Accepted (the late Rejected must be ignored)", resp.Status)
	}
}

func TestCallFailsWhenChargerDisconnects(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	first := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	recv(t, ws)
	queued := goCall(s.g, "CP1", ocpp.ActionClearCache, ocpp.ClearCacheRequest{}, nil)
	ws.CloseNow()
	for name, done := range map[string]<-chan error{"outstanding": first, "queued": queued} {
		err := result(t, done)
		if code, key := appKey(err); code != apperr.Unavailable || key != "charger_offline" {
			t.Errorf("%s call: got error %v (%s/%s), want unavailable/charger_offline", name, err, code, key)
		}
	}
	if got, want := s.h.nextEvent(t), "disconnected CP1"; got != want {
		t.Errorf("got event %q, want %q", got, want)
	}
}

func TestCallsQueueOneAtATime(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	queued := make(chan string, 16)
	gateway.SetQueuedHook(s.g, func(id string) { queued <- id })
	ws := s.connect(t, "CP1")

	first := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	call1 := recv(t, ws)
	// Queue two more, one after the other, while the first is outstanding.
	var later []<-chan error
	for _, action := range []string{ocpp.ActionClearCache, ocpp.ActionGetLocalListVersion} {
		var req any = ocpp.ClearCacheRequest{}
		if action == ocpp.ActionGetLocalListVersion {
			req = ocpp.GetLocalListVersionRequest{}
		}
		later = append(later, goCall(s.g, "CP1", action, req, nil))
		select {
		case <-queued:
		case <-time.After(wait):
			t.Fatalf("%s did not queue", action)
		}
	}
	// While they wait, nothing else is sent: a heartbeat round trip
	// shows only its own answer.
	send(t, ws, `[2,"hb","Heartbeat",{}]`)
	if f := recv(t, ws); f.Type != ocpp.CallResult || f.ID != "hb" {
		t.Fatalf("got %s %s %q while a CALL was outstanding, want the heartbeat's CALLRESULT", f.Type, f.Action, f.ID)
	}
	reply(t, ws, call1, `{"status":"Accepted"}`)
	if err := result(t, first); err != nil {
		t.Fatalf("first Call: %v", err)
	}
	call2 := recv(t, ws)
	if call2.Action != ocpp.ActionClearCache {
		t.Fatalf("got %s second, want ClearCache (FIFO)", call2.Action)
	}
	reply(t, ws, call2, `{"status":"Accepted"}`)
	call3 := recv(t, ws)
	if call3.Action != ocpp.ActionGetLocalListVersion {
		t.Fatalf("got %s third, want GetLocalListVersion", call3.Action)
	}
	reply(t, ws, call3, `{"listVersion":3}`)
	for i, done := range later {
		if err := result(t, done); err != nil {
			t.Errorf("queued Call %d: %v", i, err)
		}
	}
	ids := map[string]bool{call1.ID: true, call2.ID: true, call3.ID: true}
	for id := range ids {
		if len(id) > ocpp.MaxMessageIDLength {
			t.Errorf("got message id %q of %d characters, want at most 36", id, len(id))
		}
	}
	if len(ids) != 3 {
		t.Errorf("got ids %v, want 3 distinct", ids)
	}
}

func TestCallWaitingForTurnHonoursContext(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	queued := make(chan string, 1)
	gateway.SetQueuedHook(s.g, func(id string) { queued <- id })
	ws := s.connect(t, "CP1")
	first := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	call1 := recv(t, ws)
	ctx, cancel := context.WithCancel(context.Background())
	given := make(chan error, 1)
	go func() { given <- s.g.Call(ctx, "CP1", ocpp.ActionClearCache, ocpp.ClearCacheRequest{}, nil) }()
	<-queued
	cancel()
	if err := result(t, given); !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want context.Canceled", err)
	}
	reply(t, ws, call1, `{"status":"Accepted"}`)
	if err := result(t, first); err != nil {
		t.Fatalf("first Call: %v", err)
	}
	// The abandoned place in the queue does not block the next Call.
	next := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, nil)
	f := recv(t, ws)
	if f.Action != ocpp.ActionReset {
		t.Fatalf("got %s, want Reset", f.Action)
	}
	reply(t, ws, f, `{"status":"Accepted"}`)
	if err := result(t, next); err != nil {
		t.Fatalf("next Call: %v", err)
	}
}

func TestCrossingCalls(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	var resp ocpp.ResetResponse
	done := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, &resp)
	ours := recv(t, ws)
	// The charger sends its own CALL before answering ours.
	send(t, ws, `[2,"boot-1","BootNotification",{"chargePointVendor":"ACME","chargePointModel":"X1"}]`)
	if f := recv(t, ws); f.Type != ocpp.CallResult || f.ID != "boot-1" {
		t.Fatalf("got %s %q, want CALLRESULT \"boot-1\"", f.Type, f.ID)
	}
	reply(t, ws, ours, `{"status":"Accepted"}`)
	if err := result(t, done); err != nil {
		t.Fatalf("Call: %v", err)
	}
	if resp.Status != ocpp.ResetStatusAccepted {
		t.Errorf("got status %q, want Accepted", resp.Status)
	}
}

func TestHandlerMayCallTheSameCharger(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	// On DataTransfer the handler asks the charger something first.
	s.h.setReply(func(ctx context.Context, id, action string, p json.RawMessage) (any, error) {
		if action != ocpp.ActionDataTransfer {
			return defaultReply(ctx, id, action, p)
		}
		var v ocpp.GetLocalListVersionResponse
		if err := s.g.Call(ctx, id, ocpp.ActionGetLocalListVersion, ocpp.GetLocalListVersionRequest{}, &v); err != nil {
			return nil, err
		}
		data := "v" + string(rune('0'+v.ListVersion))
		return ocpp.DataTransferResponse{Status: ocpp.DataTransferStatusAccepted, Data: &data}, nil
	})
	ws := s.connect(t, "CP1")
	send(t, ws, `[2,"dt","DataTransfer",{"vendorId":"ACME"}]`)
	ask := recv(t, ws)
	if ask.Action != ocpp.ActionGetLocalListVersion {
		t.Fatalf("got %s %s, want the handler's GetLocalListVersion CALL", ask.Type, ask.Action)
	}
	reply(t, ws, ask, `{"listVersion":7}`)
	got := recv(t, ws)
	want := ocpp.Frame{Type: ocpp.CallResult, ID: "dt", Payload: json.RawMessage(`{"status":"Accepted","data":"v7"}`)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DataTransfer answer (-want +got):\n%s", diff)
	}
}

func TestMissedPongCloses(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{PingInterval: 20 * time.Millisecond})
	// The client never reads, so it never answers the ping.
	_ = s.connect(t, "CP1")
	if got, want := s.h.nextEvent(t), "disconnected CP1"; got != want {
		t.Fatalf("got event %q, want %q", got, want)
	}
	if s.g.IsConnected("CP1") {
		t.Error("got IsConnected true after the missed pong, want false")
	}
}

func TestPongKeepsConnection(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{PingInterval: 10 * time.Millisecond})
	ws := s.connect(t, "CP1")
	// A charger that keeps reading answers every ping; after many ping
	// intervals of heartbeats it is still connected.
	frames := make(chan []byte, 1)
	go func() {
		defer close(frames)
		for {
			_, data, err := ws.Read(context.Background())
			if err != nil {
				return
			}
			frames <- data
		}
	}()
	start := time.Now()
	for time.Since(start) < 150*time.Millisecond {
		send(t, ws, `[2,"hb","Heartbeat",{}]`)
		select {
		case data, ok := <-frames:
			if !ok {
				t.Fatal("socket closed while the charger answered pings")
			}
			if f, err := ocpp.ParseFrame(data); err != nil || f.ID != "hb" {
				t.Fatalf("got %s (%v), want the heartbeat answer", data, err)
			}
		case <-time.After(wait):
			t.Fatal("no heartbeat answer")
		}
	}
	s.h.noEvent(t)
	if !s.g.IsConnected("CP1") {
		t.Error("got IsConnected false, want true")
	}
}

func TestCallConfirmationDecoding(t *testing.T) {
	s := newTestServer(t, fakeAuth{"STRICT": {}, "LENIENT": {lenient: true}}, gateway.Options{})
	conns := map[string]*websocket.Conn{"STRICT": s.connect(t, "STRICT"), "LENIENT": s.connect(t, "LENIENT")}
	quirky := `{"status":"Accepted","vendorNote":"ok"}`
	tests := []struct {
		name    string
		charger string
		answer  string
		resp    any // where the confirmation goes
		want    any // resp after the Call; nil when an error is wanted
	}{
		{name: "strict refuses an extra property", charger: "STRICT", answer: quirky, resp: &ocpp.ResetResponse{}},
		{name: "lenient drops an extra property", charger: "LENIENT", answer: quirky, resp: &ocpp.ResetResponse{}, want: &ocpp.ResetResponse{Status: ocpp.ResetStatusAccepted}},
		{name: "decoded into a map", charger: "STRICT", answer: `{"status":"Rejected"}`, resp: &map[string]any{}, want: &map[string]any{"status": "Rejected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := conns[tt.charger]
			done := goCall(s.g, tt.charger, ocpp.ActionReset, hardReset, tt.resp)
			reply(t, ws, recv(t, ws), tt.answer)
			err := result(t, done)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("got no error, resp %+v; want an error", tt.resp)
				}
				return
			}
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tt.want, tt.resp); diff != "" {
				t.Errorf("resp (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAnswerBeforeCloseIsKept: a charger that answers and closes at once
// (a Reset: answer, then reboot) was heard; the Call returns its answer,
// not "offline", however the answer and the close race.
func TestAnswerBeforeCloseIsKept(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	for i := range 30 {
		ws := s.connect(t, "CP1")
		var resp ocpp.ResetResponse
		done := goCall(s.g, "CP1", ocpp.ActionReset, hardReset, &resp)
		reply(t, ws, recv(t, ws), `{"status":"Accepted"}`)
		ws.CloseNow()
		if err := result(t, done); err != nil || resp.Status != ocpp.ResetStatusAccepted {
			t.Fatalf("round %d: got %v, status %q; want the answer Accepted", i, err, resp.Status)
		}
		for s.h.nextEvent(t) != "disconnected CP1" {
		}
	}
}
