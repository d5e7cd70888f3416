package ocpp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options tunes validation.
type Options struct {
	// Lenient accepts known vendor quirks instead of failing, and reports
	// each as a Quirk: unknown extra properties (ignored), date-times
	// without a zone (read as UTC) and null for an optional field (read
	// as absent).
	Lenient bool
	// Sender, when set, makes ValidateRequest answer NotSupported for an
	// action that this side may not CALL.
	Sender Role
}

// Quirk describes one vendor quirk that lenient validation tolerated, for
// logging.
type Quirk string

// ValidateRequest checks a CALL payload against the request schema of
// action. The error is an *Error: NotImplemented for an unknown action,
// NotSupported when opt.Sender may not send it, otherwise the code of the
// first violation found. Quirks are returned in lenient mode only.
func ValidateRequest(action string, payload []byte, opt Options) ([]Quirk, error) {
	if err := CheckAction(action, opt.Sender); err != nil {
		return nil, err
	}
	v := validator{opt: opt}
	_, err := v.validate(schemas.actions[action].req, payload)
	return v.quirks, err
}

// ValidateResponse checks a CALLRESULT payload against the confirmation
// schema of action, like ValidateRequest.
func ValidateResponse(action string, payload []byte, opt Options) ([]Quirk, error) {
	a, ok := schemas.actions[action]
	if !ok {
		return nil, Errorf(NotImplemented, "unknown action %q", truncate(action, 50))
	}
	v := validator{opt: opt}
	_, err := v.validate(a.res, payload)
	return v.quirks, err
}

// Decode validates payload against the schema of T, which must be one of
// the package's request or confirmation types, and unmarshals it. Quirks
// tolerated in lenient mode are dropped; use DecodeWithQuirks to log them.
func Decode[T any](payload []byte, opt Options) (T, error) {
	v, _, err := DecodeWithQuirks[T](payload, opt)
	return v, err
}

// DecodeWithQuirks is Decode that also returns the quirks tolerated.
func DecodeWithQuirks[T any](payload []byte, opt Options) (T, []Quirk, error) {
	var out T
	n, ok := schemas.byType[reflect.TypeFor[T]()]
	if !ok {
		return out, nil, Errorf(InternalError, "no OCPP schema for %T", out)
	}
	quirks, err := decodeInto(n, payload, opt, &out)
	return out, quirks, err
}

// DecodeRequest validates a CALL payload of action (checking opt.Sender
// like ValidateRequest) and returns a pointer to the typed request, e.g.
// *BootNotificationRequest.
func DecodeRequest(action string, payload []byte, opt Options) (any, []Quirk, error) {
	if err := CheckAction(action, opt.Sender); err != nil {
		return nil, nil, err
	}
	a := schemas.actions[action]
	dst := newOf(a.reqType)
	quirks, err := decodeInto(a.req, payload, opt, dst)
	return dst, quirks, err
}

// DecodeResponse validates a CALLRESULT payload of action and returns a
// pointer to the typed confirmation, e.g. *ResetResponse.
func DecodeResponse(action string, payload []byte, opt Options) (any, []Quirk, error) {
	a, ok := schemas.actions[action]
	if !ok {
		return nil, nil, Errorf(NotImplemented, "unknown action %q", truncate(action, 50))
	}
	dst := newOf(a.resType)
	quirks, err := decodeInto(a.res, payload, opt, dst)
	return dst, quirks, err
}

// decodeInto validates payload against n and unmarshals it into dst. When
// validation normalised values (integers written as 1.0, zone-less
// date-times) the normalised document is unmarshalled instead.
func decodeInto(n *node, payload []byte, opt Options, dst any) ([]Quirk, error) {
	v := validator{opt: opt}
	doc, err := v.validate(n, payload)
	if err != nil {
		return v.quirks, err
	}
	if v.rewritten {
		if payload, err = json.Marshal(doc); err != nil {
			return v.quirks, Errorf(InternalError, "re-encode payload: %v", err)
		}
	}
	if err := json.Unmarshal(payload, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return v.quirks, fieldError(PropertyConstraintViolation, te.Field, "value out of range for %s", te.Type)
		}
		return v.quirks, Errorf(FormationViolation, "decode payload: %v", err)
	}
	return v.quirks, nil
}

// validator walks one payload, collecting quirks.
type validator struct {
	opt       Options
	quirks    []Quirk
	rewritten bool       // the document was changed and must be re-encoded to decode
	path      []pathStep // where the walk is, for messages
}

// pathStep is one step of a path: a property name or an array index.
type pathStep struct {
	name  string
	index int // -1 for a property
}

// where returns the current path, e.g. "meterValue[0].sampledValue[1].unit".
func (v *validator) where() string {
	var b strings.Builder
	for _, s := range v.path {
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// fail returns an error about the current path.
func (v *validator) fail(code ErrorCode, format string, args ...any) error {
	return fieldError(code, v.where(), format, args...)
}

// quirk records a tolerated quirk at the current path.
func (v *validator) quirk(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p := v.where(); p != "" {
		msg = p + ": " + msg
	}
	v.quirks = append(v.quirks, Quirk(msg))
}

// validate parses payload and checks it against n, returning the parsed
// (possibly normalised) document.
func (v *validator) validate(n *node, payload []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, Errorf(FormationViolation, "payload is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Errorf(FormationViolation, "payload has data after the JSON object")
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, Errorf(FormationViolation, "payload is not a JSON object, got %s", typeName(doc))
	}
	out, err := v.walk(n, doc)
	return out, err
}

// walk checks val against n and returns val, normalised if needed.
func (v *validator) walk(n *node, val any) (any, error) {
	switch n.kind {
	case kindObject:
		obj, ok := val.(map[string]any)
		if !ok {
			return nil, v.typeError(n, val)
		}
		return obj, v.walkObject(n, obj)
	case kindArray:
		arr, ok := val.([]any)
		if !ok {
			return nil, v.typeError(n, val)
		}
		if len(arr) < n.minItems {
			return nil, v.fail(OccurenceConstraintViolation, "has %d items, at least %d required", len(arr), n.minItems)
		}
		for i, item := range arr {
			v.path = append(v.path, pathStep{index: i})
			out, err := v.walk(n.items, item)
			if err != nil {
				return nil, err
			}
			arr[i] = out
			v.path = v.path[:len(v.path)-1]
		}
		return arr, nil
	case kindString:
		s, ok := val.(string)
		if !ok {
			return nil, v.typeError(n, val)
		}
		return v.checkString(n, s)
	case kindInteger, kindNumber:
		num, ok := val.(json.Number)
		if !ok {
			return nil, v.typeError(n, val)
		}
		return v.checkNumber(n, num)
	case kindBoolean:
		if _, ok := val.(bool); !ok {
			return nil, v.typeError(n, val)
		}
	}
	return val, nil
}

// walkObject checks the properties of obj against n.
func (v *validator) walkObject(n *node, obj map[string]any) error {
	for _, f := range n.fields {
		val, present := obj[f.name]
		v.path = append(v.path, pathStep{name: f.name, index: -1})
		switch {
		case !present && f.required:
			return v.fail(OccurenceConstraintViolation, "required property missing")
		case !present:
		case val == nil && !f.required && v.opt.Lenient:
			v.quirk("null for an optional property, read as absent")
			delete(obj, f.name)
			v.rewritten = true
		default:
			out, err := v.walk(f.node, val)
			if err != nil {
				return err
			}
			obj[f.name] = out
		}
		v.path = v.path[:len(v.path)-1]
	}
	if len(obj) <= len(n.fields) && v.allKnown(n, obj) {
		return nil
	}
	var extra []string
	for name := range obj {
		if !n.has(name) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		v.path = append(v.path, pathStep{name: name, index: -1})
		if !v.opt.Lenient {
			return v.fail(FormationViolation, "unknown property")
		}
		v.quirk("unknown property ignored")
		delete(obj, name)
		// Decode the document without it: encoding/json would otherwise
		// match a key such as "TransactionData" to a field, unchecked.
		v.rewritten = true
		v.path = v.path[:len(v.path)-1]
	}
	return nil
}

// allKnown reports whether every property of obj is in n.
func (v *validator) allKnown(n *node, obj map[string]any) bool {
	for name := range obj {
		if !n.has(name) {
			return false
		}
	}
	return true
}

// has reports whether the object node has a property of this name.
func (n *node) has(name string) bool {
	for _, f := range n.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// typeError reports a value of the wrong JSON type.
func (v *validator) typeError(n *node, val any) error {
	got := typeName(val)
	if n.kind == kindInteger && got == "number" {
		got = "number with a fraction"
	}
	return v.fail(TypeConstraintViolation, "expected %s, got %s", n.kind, got)
}

// checkString checks length, enum and format of a string.
func (v *validator) checkString(n *node, s string) (any, error) {
	if n.maxLen > 0 && len(s) > n.maxLen {
		if c := utf8.RuneCountInString(s); c > n.maxLen {
			return nil, v.fail(PropertyConstraintViolation, "%d characters long, at most %d allowed", c, n.maxLen)
		}
	}
	if n.enum != nil && !slices.Contains(n.enum, s) {
		return nil, v.fail(PropertyConstraintViolation, "value %q not allowed, want one of %s", truncate(s, 40), strings.Join(n.enum, ", "))
	}
	switch n.format {
	case formatDateTime:
		_, zoned, err := parseDateTime(s)
		if err != nil {
			return nil, v.fail(PropertyConstraintViolation, "bad date-time %q: %v", truncate(s, 40), err)
		}
		if !zoned {
			if !v.opt.Lenient {
				return nil, v.fail(PropertyConstraintViolation, "date-time %q has no time zone", truncate(s, 40))
			}
			v.quirk("date-time %q has no time zone, read as UTC", truncate(s, 40))
			v.rewritten = true
			return s + "Z", nil
		}
	case formatURI:
		if err := checkURI(s); err != nil {
			return nil, v.fail(PropertyConstraintViolation, "bad URI %q: %v", truncate(s, 40), err)
		}
	}
	return s, nil
}

// checkNumber checks an integer or number.
func (v *validator) checkNumber(n *node, num json.Number) (any, error) {
	d, ok := parseDecimal(string(num))
	if !ok {
		return nil, v.fail(TypeConstraintViolation, "bad number %q", truncate(string(num), 40))
	}
	if n.kind == kindInteger {
		if d.fracDigits() > 0 {
			return nil, v.fail(TypeConstraintViolation, "expected integer, got number with a fraction")
		}
		if plain, ok := d.plainInteger(); ok && plain != string(num) {
			v.rewritten = true
			return json.Number(plain), nil
		}
		return num, nil
	}
	if n.tenths && d.fracDigits() > 1 {
		return nil, v.fail(PropertyConstraintViolation, "%s is not a multiple of 0.1", truncate(string(num), 40))
	}
	return num, nil
}

// checkURI accepts an absolute URI, as JSON Schema's "uri" format does.
func checkURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.Unwrap(err)
	}
	if host := u.Hostname(); strings.Contains(host, ":") {
		if !strings.Contains(u.Host, "[") || net.ParseIP(host) == nil {
			return errors.New("bad IPv6 host")
		}
	}
	if !u.IsAbs() {
		return errors.New("not absolute")
	}
	return nil
}

// typeName names the JSON type of a decoded value.
func typeName(val any) string {
	switch val := val.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if d, ok := parseDecimal(string(val)); ok && d.fracDigits() <= 0 {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", val)
}
