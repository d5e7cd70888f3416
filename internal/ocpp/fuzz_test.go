package ocpp

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseFrame checks that ParseFrame never panics, that every error is
// an *Error whose CALLERROR can be sent, and that every accepted frame
// re-marshals and re-parses to the same frame. Seeds are in
// testdata/fuzz/FuzzParseFrame.
func FuzzParseFrame(f *testing.F) {
	f.Add([]byte(`[2,"1","Heartbeat",{}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ParseFrame(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			b, err := NewCallError(fr.ID, e).MarshalJSON()
			if err != nil {
				t.Fatalf("marshal CALLERROR for %v: %v", e, err)
			}
			if _, err := ParseFrame(b); err != nil {
				t.Fatalf("CALLERROR %s does not parse: %v", b, err)
			}
			return
		}
		b, err := fr.MarshalJSON()
		if err != nil {
			t.Fatalf("marshal accepted frame %+v: %v", fr, err)
		}
		again, err := ParseFrame(b)
		if err != nil {
			t.Fatalf("re-parse %s: %v", b, err)
		}
		if diff := cmp.Diff(fr, again); diff != "" {
			t.Fatalf("round trip of %q changed the frame (-first +again):\n%s", data, diff)
		}
	})
}

// FuzzValidateRequest checks that validation never panics, that errors are
// *Error, and that a payload accepted by validation decodes (or fails with
// an *Error) into a typed request whose JSON validates strictly. Seeds are
// in testdata/fuzz/FuzzValidateRequest.
func FuzzValidateRequest(f *testing.F) {
	f.Add("Heartbeat", []byte(`{}`), false)
	f.Fuzz(func(t *testing.T, action string, payload []byte, lenient bool) {
		opt := Options{Lenient: lenient}
		_, err := ValidateRequest(action, payload, opt)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			return
		}
		req, _, err := DecodeRequest(action, payload, opt)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("decode error %v is %T, want *Error", err, err)
			}
			return
		}
		b, err := marshalNoEscape(req)
		if err != nil {
			t.Fatalf("marshal decoded %#v: %v", req, err)
		}
		if _, err := ValidateRequest(action, b, Options{}); err != nil {
			t.Fatalf("payload %s decoded and re-marshalled to %s, which fails strict validation: %v", payload, b, err)
		}
	})
}
