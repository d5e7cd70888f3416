package ocpp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFrame(t *testing.T) {
	id36 := strings.Repeat("a", 36)
	tests := []struct {
		name    string
		data    string
		want    Frame
		code    ErrorCode // "" = no error
		wantErr string    // substring of the description
	}{
		{name: "call", data: `[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]`,
			want: Frame{Type: Call, ID: "19223201", Action: "BootNotification", Payload: json.RawMessage(`{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}`)}},
		{name: "call with whitespace", data: " [ 2 ,\n\"a\" , \"Heartbeat\" , { } ] ",
			want: Frame{Type: Call, ID: "a", Action: "Heartbeat", Payload: json.RawMessage(`{}`)}},
		{name: "call result", data: `[3,"19223201",{"currentTime":"2024-05-01T08:30:00.000Z","interval":300,"status":"Accepted"}]`,
			want: Frame{Type: CallResult, ID: "19223201", Payload: json.RawMessage(`{"currentTime":"2024-05-01T08:30:00.000Z","interval":300,"status":"Accepted"}`)}},
		{name: "call error", data: `[4,"162376037","NotSupported","SetDisplayMessageRequest not implemented",{}]`,
			want: Frame{Type: CallError, ID: "162376037", ErrorCode: NotSupported, ErrorDescription: "SetDisplayMessageRequest not implemented", ErrorDetails: json.RawMessage(`{}`)}},
		{name: "id of 36 characters", data: `[2,"` + id36 + `","Heartbeat",{}]`,
			want: Frame{Type: Call, ID: id36, Action: "Heartbeat", Payload: json.RawMessage(`{}`)}},
		{name: "not JSON", data: `hello`, code: ProtocolError, wantErr: "not a JSON array"},
		{name: "object", data: `{"a":1}`, code: ProtocolError, wantErr: "not a JSON array"},
		{name: "empty array", data: `[]`, code: ProtocolError, wantErr: "0 elements"},
		{name: "too few elements", data: `[2,"1"]`, code: ProtocolError},
		{name: "unknown message type", data: `[5,"1","Heartbeat",{}]`, code: ProtocolError, wantErr: "unknown message type"},
		{name: "message type as string", data: `["2","1","Heartbeat",{}]`, code: ProtocolError, wantErr: "unknown message type"},
		{name: "message type 2.0", data: `[2.0,"1","Heartbeat",{}]`, code: ProtocolError, wantErr: "unknown message type"},
		{name: "id not a string", data: `[2,1,"Heartbeat",{}]`, code: ProtocolError, wantErr: "message id"},
		{name: "id too long", data: `[2,"` + id36 + `b","Heartbeat",{}]`, code: ProtocolError, wantErr: "37 characters"},
		{name: "call with 5 elements", data: `[2,"1","Heartbeat",{},{}]`, code: ProtocolError,
			want: Frame{Type: Call, ID: "1"}},
		{name: "result with 4 elements", data: `[3,"1",{},{}]`, code: ProtocolError, want: Frame{Type: CallResult, ID: "1"}},
		{name: "action not a string", data: `[2,"1",7,{}]`, code: ProtocolError, wantErr: "action", want: Frame{Type: Call, ID: "1"}},
		{name: "empty action", data: `[2,"1","",{}]`, code: ProtocolError, want: Frame{Type: Call, ID: "1"}},
		{name: "call payload not an object", data: `[2,"1","Heartbeat",[]]`, code: FormationViolation,
			want: Frame{Type: Call, ID: "1", Action: "Heartbeat"}},
		{name: "call payload null", data: `[2,"1","Heartbeat",null]`, code: FormationViolation,
			want: Frame{Type: Call, ID: "1", Action: "Heartbeat"}},
		{name: "result payload a string", data: `[3,"1","ok"]`, code: FormationViolation, want: Frame{Type: CallResult, ID: "1"}},
		{name: "error code not a string", data: `[4,"1",4,"",{}]`, code: ProtocolError, want: Frame{Type: CallError, ID: "1"}},
		{name: "error details not an object", data: `[4,"1","GenericError","",null]`, code: ProtocolError,
			want: Frame{Type: CallError, ID: "1", ErrorCode: GenericError}},
		{name: "trailing garbage", data: `[2,"1","Heartbeat",{}]x`, code: ProtocolError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFrame([]byte(tt.data))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
			} else {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("got error %v, want *Error %s", err, tt.code)
				}
				if e.Code != tt.code {
					t.Errorf("got code %s (%s), want %s", e.Code, e.Description, tt.code)
				}
				if !strings.Contains(e.Description, tt.wantErr) {
					t.Errorf("got description %q, want it to contain %q", e.Description, tt.wantErr)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("frame (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFrameRoundTrip(t *testing.T) {
	call, err := NewCall("c-1", ActionStartTransaction, StartTransactionRequest{ConnectorID: 1, IDTag: "<A&B>", MeterStart: 5})
	if err != nil {
		t.Fatalf("NewCall: %v", err)
	}
	result, err := NewCallResult("c-1", HeartbeatResponse{})
	if err != nil {
		t.Fatalf("NewCallResult: %v", err)
	}
	tests := []struct {
		name  string
		frame Frame
		wire  string
	}{
		{"call", call, `[2,"c-1","StartTransaction",{"connectorId":1,"idTag":"<A&B>","meterStart":5,"timestamp":"0001-01-01T00:00:00.000Z"}]`},
		{"call nil payload", Frame{Type: Call, ID: "x", Action: "Heartbeat"}, `[2,"x","Heartbeat",{}]`},
		{"call result", result, `[3,"c-1",{"currentTime":"0001-01-01T00:00:00.000Z"}]`},
		{"call error", NewCallError("c-2", &Error{Code: OccurenceConstraintViolation, Description: "idTag: required property missing", Details: map[string]any{"field": "idTag"}}),
			`[4,"c-2","OccurenceConstraintViolation","idTag: required property missing",{"field":"idTag"}]`},
		{"call error without details", NewCallError("c-3", &Error{Code: NotImplemented, Description: "unknown action"}), `[4,"c-3","NotImplemented","unknown action",{}]`},
		{"call error nil", NewCallError("c-4", nil), `[4,"c-4","GenericError","",{}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.frame.MarshalJSON()
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if string(b) != tt.wire {
				t.Errorf("got %s, want %s", b, tt.wire)
			}
			got, err := ParseFrame(b)
			if err != nil {
				t.Fatalf("parse %s: %v", b, err)
			}
			want := tt.frame
			if len(want.Payload) == 0 && want.Type != CallError {
				want.Payload = json.RawMessage(`{}`)
			}
			if len(want.ErrorDetails) == 0 && want.Type == CallError {
				want.ErrorDetails = json.RawMessage(`{}`)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			var viaUnmarshal Frame
			if err := json.Unmarshal(b, &viaUnmarshal); err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			if diff := cmp.Diff(got, viaUnmarshal); diff != "" {
				t.Errorf("UnmarshalJSON differs from ParseFrame (-parse +unmarshal):\n%s", diff)
			}
		})
	}
}

func TestMarshalFrameErrors(t *testing.T) {
	if _, err := json.Marshal(Frame{Type: 9}); err == nil {
		t.Errorf("unknown type: got no error, want one")
	}
	if _, err := json.Marshal(Frame{Type: Call, ID: "1", Action: "A", Payload: json.RawMessage(`{`)}); err == nil {
		t.Errorf("broken payload: got no error, want one")
	}
	if _, err := NewCall("1", "A", []int{1}); err == nil {
		t.Errorf("array payload: got no error, want one")
	}
}

func TestAsError(t *testing.T) {
	e := Errorf(SecurityError, "not accepted")
	tests := []struct {
		name string
		err  error
		want *Error
	}{
		{"nil", nil, nil},
		{"ocpp error", e, e},
		{"wrapped", errors.Join(errors.New("ctx"), e), e},
		{"other", errors.New("db down"), &Error{Code: InternalError, Description: "db down"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, AsError(tt.err)); diff != "" {
				t.Errorf("AsError (-want +got):\n%s", diff)
			}
		})
	}
}
