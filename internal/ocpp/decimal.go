package ocpp

import (
	"reflect"
	"strings"
)

// decimal is a JSON number split into sign, significant digits and a
// power of ten: value = ±digits × 10^exp, digits without trailing zeros.
// It lets validation decide "integer" and "multiple of 0.1" exactly,
// without floating point and without big numbers for huge exponents.
type decimal struct {
	neg    bool
	digits string // no leading or trailing zeros; "" for zero
	exp    int    // clamped to ±1e9
}

// parseDecimal splits a JSON number literal.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if s == "" {
		return d, false
	}
	if s[0] == '-' {
		d.neg = true
		s = s[1:]
	}
	mant, expStr, hasExp := strings.Cut(strings.ReplaceAll(s, "E", "e"), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return d, false
	}
	if hasExp {
		e, ok := parseExp(expStr)
		if !ok {
			return d, false
		}
		d.exp = e
	}
	all := strings.TrimLeft(intPart+frac, "0")
	d.exp -= len(frac)
	trimmed := strings.TrimRight(all, "0")
	d.exp += len(all) - len(trimmed)
	d.digits = trimmed
	if d.digits == "" {
		d.exp = 0
	}
	return d, true
}

// parseExp parses an exponent with optional sign, clamping its size.
func parseExp(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || !allDigits(s) {
		return 0, false
	}
	e := 0
	for i := 0; i < len(s); i++ {
		if e < 1_000_000_000 {
			e = e*10 + int(s[i]-'0')
		}
	}
	e = min(e, 1_000_000_000)
	if neg {
		e = -e
	}
	return e, true
}

// allDigits reports whether s holds only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fracDigits is the number of digits after the decimal point the value
// needs; ≤ 0 means an integer.
func (d decimal) fracDigits() int {
	if d.digits == "" {
		return 0
	}
	return -d.exp
}

// plainInteger writes an integer value as plain digits, when it has at
// most 18 digits (so it fits an int64).
func (d decimal) plainInteger() (string, bool) {
	if d.digits == "" {
		return "0", true
	}
	if d.exp < 0 || len(d.digits)+d.exp > 18 {
		return "", false
	}
	s := d.digits + strings.Repeat("0", d.exp)
	if d.neg {
		s = "-" + s
	}
	return s, true
}

// newOf returns a pointer to a new zero value of t.
func newOf(t reflect.Type) any { return reflect.New(t).Interface() }
