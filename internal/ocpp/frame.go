package ocpp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// MessageType is the first element of an OCPP-J frame.
type MessageType int

// The three OCPP-J message types.
const (
	// Call is a request: [2, id, action, payload].
	Call MessageType = 2
	// CallResult is a successful answer: [3, id, payload].
	CallResult MessageType = 3
	// CallError is an error answer: [4, id, code, description, details].
	CallError MessageType = 4
)

// String returns the OCPP-J name of the message type.
func (t MessageType) String() string {
	switch t {
	case Call:
		return "CALL"
	case CallResult:
		return "CALLRESULT"
	case CallError:
		return "CALLERROR"
	}
	return fmt.Sprintf("MessageType(%d)", int(t))
}

// MaxMessageIDLength is the longest message id OCPP-J allows, in characters.
const MaxMessageIDLength = 36

// Frame is one OCPP-J message as it travels on the WebSocket.
type Frame struct {
	// Type says which of the three frames this is.
	Type MessageType
	// ID is the message id: at most 36 characters, chosen by the caller and
	// echoed by the answer.
	ID string
	// Action is the OCPP action of a CALL, e.g. "BootNotification".
	Action string
	// Payload is the JSON object of a CALL or CALLRESULT, compacted.
	Payload json.RawMessage
	// ErrorCode is the code of a CALLERROR.
	ErrorCode ErrorCode
	// ErrorDescription is the description of a CALLERROR.
	ErrorDescription string
	// ErrorDetails is the details object of a CALLERROR, compacted; nil
	// marshals as {}.
	ErrorDetails json.RawMessage
}

// NewCall returns a CALL frame whose payload is payload marshalled to JSON.
func NewCall(id, action string, payload any) (Frame, error) {
	raw, err := marshalPayload(payload)
	if err != nil {
		return Frame{}, fmt.Errorf("new %s call: %w", action, err)
	}
	return Frame{Type: Call, ID: id, Action: action, Payload: raw}, nil
}

// NewCallResult returns a CALLRESULT frame answering the CALL with this id.
func NewCallResult(id string, payload any) (Frame, error) {
	raw, err := marshalPayload(payload)
	if err != nil {
		return Frame{}, fmt.Errorf("new call result: %w", err)
	}
	return Frame{Type: CallResult, ID: id, Payload: raw}, nil
}

// NewCallError returns a CALLERROR frame answering the CALL with this id.
// A nil e gives a GenericError; details that cannot be marshalled are
// replaced by {}.
func NewCallError(id string, e *Error) Frame {
	if e == nil {
		e = &Error{Code: GenericError}
	}
	f := Frame{Type: CallError, ID: id, ErrorCode: e.Code, ErrorDescription: e.Description}
	if len(e.Details) > 0 {
		if raw, err := json.Marshal(e.Details); err == nil {
			f.ErrorDetails = raw
		}
	}
	return f
}

// marshalPayload encodes a payload, which must encode as a JSON object.
func marshalPayload(payload any) (json.RawMessage, error) {
	if payload == nil {
		return json.RawMessage("{}"), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(payload); err != nil {
		return nil, fmt.Errorf("marshal payload: %w", err)
	}
	raw := bytes.TrimSpace(buf.Bytes())
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("marshal payload: %T is not a JSON object", payload)
	}
	return json.RawMessage(raw), nil
}

// MarshalJSON encodes the frame as [2,id,action,payload],
// [3,id,payload] or [4,id,code,description,details]. A missing payload or
// details object is written as {}. HTML characters are not escaped; note
// that json.Marshal(frame) escapes them again (same JSON values, other
// bytes), so senders should call MarshalJSON directly.
func (f Frame) MarshalJSON() ([]byte, error) {
	obj := func(raw json.RawMessage) json.RawMessage {
		if len(raw) == 0 {
			return json.RawMessage("{}")
		}
		return raw
	}
	var elems []any
	switch f.Type {
	case Call:
		elems = []any{int(Call), f.ID, f.Action, obj(f.Payload)}
	case CallResult:
		elems = []any{int(CallResult), f.ID, obj(f.Payload)}
	case CallError:
		elems = []any{int(CallError), f.ID, string(f.ErrorCode), f.ErrorDescription, obj(f.ErrorDetails)}
	default:
		return nil, fmt.Errorf("marshal frame %q: unknown message type %d", f.ID, int(f.Type))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(elems); err != nil {
		return nil, fmt.Errorf("marshal %s frame %q: %w", f.Type, f.ID, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// UnmarshalJSON parses a frame with ParseFrame.
func (f *Frame) UnmarshalJSON(data []byte) error {
	parsed, err := ParseFrame(data)
	if err != nil {
		return err
	}
	*f = parsed
	return nil
}

// ParseFrame parses one OCPP-J frame. Errors are *Error: ProtocolError for
// anything that is not a well-formed frame (not a JSON array, wrong number
// or types of elements, unknown message type, bad message id) and
// FormationViolation when a CALL or CALLRESULT is well formed but its
// payload is not a JSON object. Whenever the message id could be read, the
// returned Frame has ID (and Type, and Action for a CALL) set so that the
// caller can answer with a CALLERROR.
func ParseFrame(data []byte) (Frame, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(data, &elems); err != nil {
		return Frame{}, Errorf(ProtocolError, "frame is not a JSON array: %v", err)
	}
	if len(elems) < 3 {
		return Frame{}, Errorf(ProtocolError, "frame has %d elements, want 3 to 5", len(elems))
	}
	var f Frame
	typ, ok := parseMessageType(elems[0])
	if !ok {
		return Frame{}, Errorf(ProtocolError, "unknown message type %s", truncate(string(elems[0]), 20))
	}
	var id string
	if err := unmarshalString(elems[1], &id); err != nil {
		return Frame{}, Errorf(ProtocolError, "message id: %v", err)
	}
	if n := utf8.RuneCountInString(id); n > MaxMessageIDLength {
		return Frame{}, Errorf(ProtocolError, "message id is %d characters long, at most %d allowed", n, MaxMessageIDLength)
	}
	f.Type, f.ID = typ, id
	if want := frameLength(typ); len(elems) != want {
		return f, Errorf(ProtocolError, "%s frame has %d elements, want %d", typ, len(elems), want)
	}
	switch typ {
	case Call:
		if err := unmarshalString(elems[2], &f.Action); err != nil {
			return f, Errorf(ProtocolError, "action: %v", err)
		}
		if f.Action == "" {
			return f, Errorf(ProtocolError, "action is empty")
		}
		p, err := compactObject(elems[3])
		if err != nil {
			return f, Errorf(FormationViolation, "payload: %v", err)
		}
		f.Payload = p
	case CallResult:
		p, err := compactObject(elems[2])
		if err != nil {
			return f, Errorf(FormationViolation, "payload: %v", err)
		}
		f.Payload = p
	case CallError:
		var code string
		if err := unmarshalString(elems[2], &code); err != nil {
			return f, Errorf(ProtocolError, "error code: %v", err)
		}
		f.ErrorCode = ErrorCode(code)
		if err := unmarshalString(elems[3], &f.ErrorDescription); err != nil {
			return f, Errorf(ProtocolError, "error description: %v", err)
		}
		d, err := compactObject(elems[4])
		if err != nil {
			return f, Errorf(ProtocolError, "error details: %v", err)
		}
		f.ErrorDetails = d
	}
	return f, nil
}

// parseMessageType reads the first element, which must be the bare
// integer 2, 3 or 4.
func parseMessageType(raw json.RawMessage) (MessageType, bool) {
	switch string(raw) {
	case "2":
		return Call, true
	case "3":
		return CallResult, true
	case "4":
		return CallError, true
	}
	return 0, false
}

// frameLength is the number of elements a frame of type t has.
func frameLength(t MessageType) int {
	switch t {
	case Call:
		return 4
	case CallResult:
		return 3
	}
	return 5
}

// unmarshalString decodes raw, which must be a JSON string.
func unmarshalString(raw json.RawMessage, dst *string) error {
	if len(raw) == 0 || raw[0] != '"' {
		return fmt.Errorf("expected string, got %s", jsonKind(raw))
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("bad string: %w", err)
	}
	return nil
}

// compactObject checks that raw is a JSON object and compacts it.
func compactObject(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("expected object, got %s", jsonKind(raw))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("bad object: %w", err)
	}
	return json.RawMessage(buf.Bytes()), nil
}

// jsonKind names the JSON type of a raw value for error messages.
func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// truncate shortens s to at most n bytes for error messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
