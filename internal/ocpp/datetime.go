package ocpp

import (
	"encoding/json"
	"fmt"
	"time"
)

// DateTime is an OCPP dateTime: RFC 3339. It marshals in UTC with
// milliseconds ("2024-05-01T08:30:00.000Z") and unmarshals any RFC 3339
// date-time with a zone, with or without fractional seconds. Zone-less
// values are accepted only by lenient validation (see Options), which
// reads them as UTC.
type DateTime struct{ time.Time }

// dateTimeLayout is how DateTime is written: UTC with milliseconds.
const dateTimeLayout = "2006-01-02T15:04:05.000Z"

// NewDateTime returns t as a DateTime.
func NewDateTime(t time.Time) DateTime { return DateTime{t} }

// String returns the time in the wire format.
func (d DateTime) String() string { return d.UTC().Format(dateTimeLayout) }

// MarshalJSON writes the time in UTC with milliseconds.
func (d DateTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads an RFC 3339 date-time that has a zone.
func (d *DateTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("dateTime: %w", err)
	}
	t, zoned, err := parseDateTime(s)
	if err != nil {
		return fmt.Errorf("dateTime %q: %w", s, err)
	}
	if !zoned {
		return fmt.Errorf("dateTime %q: no time zone", s)
	}
	d.Time = t
	return nil
}

// ParseDateTime parses an OCPP dateTime. With opt.Lenient a value without
// a zone is read as UTC and reported as a Quirk; otherwise it is an error.
func ParseDateTime(s string, opt Options) (DateTime, Quirk, error) {
	t, zoned, err := parseDateTime(s)
	if err != nil {
		return DateTime{}, "", fmt.Errorf("dateTime %q: %w", s, err)
	}
	if !zoned {
		if !opt.Lenient {
			return DateTime{}, "", fmt.Errorf("dateTime %q: no time zone", s)
		}
		return DateTime{t}, Quirk(fmt.Sprintf("dateTime %q has no time zone, read as UTC", s)), nil
	}
	return DateTime{t}, "", nil
}

// parseDateTime parses an RFC 3339 date-time (section 5.6): a "T" or "t"
// separator, any number of fractional second digits, a zone of "Z", "z" or
// ±hh:mm. A missing zone is not an error: zoned reports whether there was
// one and a zone-less value is read as UTC. Unlike RFC 3339 alone, a
// value whose UTC year falls outside 0000-9999 is refused, so that every
// accepted time can be written back. A leap second (:60, only at
// 23:59 UTC) is read as the last nanosecond of that minute.
func parseDateTime(s string) (t time.Time, zoned bool, err error) {
	if len(s) < 19 {
		return time.Time{}, false, fmt.Errorf("too short")
	}
	date, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return time.Time{}, false, fmt.Errorf("bad date")
	}
	if s[10] != 'T' && s[10] != 't' {
		return time.Time{}, false, fmt.Errorf("want T between date and time")
	}
	rest := s[11:]
	if rest[2] != ':' || rest[5] != ':' {
		return time.Time{}, false, fmt.Errorf("bad time")
	}
	h, ok1 := twoDigits(rest[0:2])
	m, ok2 := twoDigits(rest[3:5])
	sec, ok3 := twoDigits(rest[6:8])
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 60 {
		return time.Time{}, false, fmt.Errorf("bad time")
	}
	rest = rest[8:]
	var nanos int
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := 100_000_000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			nanos += int(rest[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == 1 {
			return time.Time{}, false, fmt.Errorf("no digits after decimal point")
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		zoned = true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := twoDigits(rest[1:3])
		om, ok2 := twoDigits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false, fmt.Errorf("bad zone offset")
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		zoned = true
	default:
		return time.Time{}, false, fmt.Errorf("bad zone %q", truncate(rest, 10))
	}
	leap := sec == 60
	if leap {
		sec = 59
	}
	t = time.Date(date.Year(), date.Month(), date.Day(), h, m, sec, nanos, time.UTC).Add(-time.Duration(offset) * time.Second)
	if leap {
		if t.Hour() != 23 || t.Minute() != 59 {
			return time.Time{}, false, fmt.Errorf("leap second not at 23:59 UTC")
		}
		t = t.Add(time.Second - time.Nanosecond - time.Duration(nanos))
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, false, fmt.Errorf("year %d in UTC is out of range", y)
	}
	return t, zoned, nil
}

// twoDigits parses exactly two ASCII digits.
func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}
