package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

// onDataTransfer makes the test handler answer DataTransfer with f and
// everything else as usual.
func onDataTransfer(f func() (any, error)) func(context.Context, string, string, json.RawMessage) (any, error) {
	return func(ctx context.Context, id, action string, p json.RawMessage) (any, error) {
		if action == ocpp.ActionDataTransfer {
			return f()
		}
		return defaultReply(ctx, id, action, p)
	}
}

// errorReply makes the test handler fail DataTransfer with err.
func errorReply(err error) func(context.Context, string, string, json.RawMessage) (any, error) {
	return onDataTransfer(func() (any, error) { return nil, err })
}

func TestIncomingCalls(t *testing.T) {
	const boot = `{"chargePointVendor":"ACME","chargePointModel":"X1"}`
	tests := []struct {
		name    string
		lenient bool
		reply   func(context.Context, string, string, json.RawMessage) (any, error)
		frame   string     // what the charger sends
		want    ocpp.Frame // the answer, payload compacted
		handled string     // the payload the Handler must get; "" = not called
	}{
		{
			name:    "boot notification",
			frame:   `[2,"b1","BootNotification",` + boot + `]`,
			want:    ocpp.Frame{Type: ocpp.CallResult, ID: "b1", Payload: json.RawMessage(`{"status":"Accepted","currentTime":"2025-03-01T08:00:00.000Z","interval":300}`)},
			handled: boot,
		},
		{
			name:  "missing required field",
			frame: `[2,"m1","BootNotification",{"chargePointVendor":"ACME"}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "m1", ErrorCode: ocpp.OccurenceConstraintViolation},
		},
		{
			name:  "wrong type",
			frame: `[2,"t1","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "t1", ErrorCode: ocpp.TypeConstraintViolation},
		},
		{
			name:  "bad enum value",
			frame: `[2,"e1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "e1", ErrorCode: ocpp.PropertyConstraintViolation},
		},
		{
			name:  "extra field, strict",
			frame: `[2,"x1","BootNotification",{"chargePointVendor":"ACME","chargePointModel":"X1","colour":"red"}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "x1", ErrorCode: ocpp.FormationViolation},
		},
		{
			name:    "extra field, lenient: dropped before the handler",
			lenient: true,
			frame:   `[2,"x2","BootNotification",{"chargePointVendor":"ACME","chargePointModel":"X1","colour":"red"}]`,
			want:    ocpp.Frame{Type: ocpp.CallResult, ID: "x2", Payload: json.RawMessage(`{"status":"Accepted","currentTime":"2025-03-01T08:00:00.000Z","interval":300}`)},
			handled: boot,
		},
		{
			name:  "unknown action",
			frame: `[2,"u1","FlyToTheMoon",{}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "u1", ErrorCode: ocpp.NotImplemented},
		},
		{
			name:  "action only the central system sends",
			frame: `[2,"r1","Reset",{"type":"Hard"}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "r1", ErrorCode: ocpp.NotSupported},
		},
		{
			name:  "id readable, payload broken",
			frame: `[2,"p1","Heartbeat",[1,2]]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "p1", ErrorCode: ocpp.FormationViolation},
		},
		{
			name:  "id readable, too many elements",
			frame: `[2,"p2","Heartbeat",{},{}]`,
			want:  ocpp.Frame{Type: ocpp.CallError, ID: "p2", ErrorCode: ocpp.ProtocolError},
		},
		{
			name:    "handler refuses with an OCPP error",
			reply:   errorReply(ocpp.Errorf(ocpp.SecurityError, "not accepted yet")),
			frame:   `[2,"h1","DataTransfer",{"vendorId":"ACME"}]`,
			want:    ocpp.Frame{Type: ocpp.CallError, ID: "h1", ErrorCode: ocpp.SecurityError, ErrorDescription: "not accepted yet"},
			handled: `{"vendorId":"ACME"}`,
		},
		{
			name:    "handler returns an apperr",
			reply:   errorReply(apperr.New(apperr.Invalid, "invalid_input")),
			frame:   `[2,"h2","DataTransfer",{"vendorId":"ACME"}]`,
			want:    ocpp.Frame{Type: ocpp.CallError, ID: "h2", ErrorCode: ocpp.PropertyConstraintViolation, ErrorDescription: "The request is invalid."},
			handled: `{"vendorId":"ACME"}`,
		},
		{
			name:    "handler fails: nothing leaks",
			reply:   errorReply(errors.New("dial tcp 10.0.0.5:3306: connection refused")),
			frame:   `[2,"h3","DataTransfer",{"vendorId":"ACME"}]`,
			want:    ocpp.Frame{Type: ocpp.CallError, ID: "h3", ErrorCode: ocpp.InternalError, ErrorDescription: "internal error"},
			handled: `{"vendorId":"ACME"}`,
		},
		{
			name: "handler returns an invalid confirmation",
			reply: onDataTransfer(func() (any, error) {
				return map[string]any{"status": "Maybe"}, nil
			}),
			frame:   `[2,"h4","DataTransfer",{"vendorId":"ACME"}]`,
			want:    ocpp.Frame{Type: ocpp.CallError, ID: "h4", ErrorCode: ocpp.InternalError, ErrorDescription: "internal error"},
			handled: `{"vendorId":"ACME"}`,
		},
		{
			name: "handler panics",
			reply: onDataTransfer(func() (any, error) {
				panic("boom")
			}),
			frame:   `[2,"h5","DataTransfer",{"vendorId":"ACME"}]`,
			want:    ocpp.Frame{Type: ocpp.CallError, ID: "h5", ErrorCode: ocpp.InternalError, ErrorDescription: "internal error"},
			handled: `{"vendorId":"ACME"}`,
		},
	}
	s := newTestServer(t, fakeAuth{"STRICT": {}, "LENIENT": {lenient: true}}, gateway.Options{})
	strict, lenient := s.connect(t, "STRICT"), s.connect(t, "LENIENT")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.h.setReply(defaultReply)
			if tt.reply != nil {
				s.h.setReply(tt.reply)
			}
			ws := strict
			if tt.lenient {
				ws = lenient
			}
			send(t, ws, tt.frame)
			got := recv(t, ws)
			if got.Type == ocpp.CallError {
				got.ErrorDetails = nil
				if tt.want.ErrorDescription == "" {
					got.ErrorDescription = ""
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			var handled string
			select {
			case c := <-s.h.calls:
				handled = c.Payload
			default:
			}
			if handled != tt.handled {
				t.Errorf("handler got payload %q, want %q", handled, tt.handled)
			}
			// The socket stays usable.
			send(t, ws, `[2,"hb","Heartbeat",{}]`)
			if f := recv(t, ws); f.Type != ocpp.CallResult || f.ID != "hb" {
				t.Errorf("got %s %q after the case, want CALLRESULT \"hb\"", f.Type, f.ID)
			}
			<-s.h.calls
		})
	}
}

func TestIncomingGarbageIsDropped(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	for _, frame := range []string{`hello`, `{}`, `[2]`, `[2,17,"Heartbeat",{}]`, `[9,"a","Heartbeat",{}]`, `[3,"nobody-waits",{}]`, `[4,"nobody",“x”]`} {
		send(t, ws, frame)
	}
	send(t, ws, `[2,"after","Heartbeat",{}]`)
	got := recv(t, ws)
	want := ocpp.Frame{Type: ocpp.CallResult, ID: "after", Payload: json.RawMessage(`{"currentTime":"2025-03-01T08:00:00.000Z"}`)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer after garbage (-want +got):\n%s", diff)
	}
	if got, want := s.g.Stats().MessagesIn, int64(8); got != want {
		t.Errorf("got %d messages in, want %d", got, want)
	}
}

func TestIncomingAnsweredInOrder(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(t, "CP1")
	// A charger that does not wait for answers still gets them in order.
	var want []string
	for i := range 20 {
		id := "m" + string(rune('a'+i))
		want = append(want, id)
		send(t, ws, `[2,"`+id+`","Heartbeat",{}]`)
	}
	var got []string
	for range want {
		got = append(got, recv(t, ws).ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer order (-want +got):\n%s", diff)
	}
}
