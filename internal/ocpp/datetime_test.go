package ocpp

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDateTimeMarshal(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 5, 1, 16, 30, 0, 123456789, shanghai), `"2024-05-01T08:30:00.123Z"`},
		{time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC), `"2024-05-01T08:30:00.000Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := json.Marshal(NewDateTime(tt.in))
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if string(b) != tt.want {
				t.Errorf("got %s, want %s", b, tt.want)
			}
		})
	}
}

func TestDateTimeParse(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		lenient bool // parses only in lenient mode
		bad     bool
	}{
		{in: "2024-05-01T08:30:00Z", want: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)},
		{in: "2024-05-01T08:30:00.5Z", want: time.Date(2024, 5, 1, 8, 30, 0, 500_000_000, time.UTC)},
		{in: "2024-05-01T08:30:00.1234567891234Z", want: time.Date(2024, 5, 1, 8, 30, 0, 123456789, time.UTC)},
		{in: "2024-05-01t16:30:00+08:00", want: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)},
		{in: "2024-05-01T00:30:00-02:30", want: time.Date(2024, 5, 1, 3, 0, 0, 0, time.UTC)},
		{in: "2016-12-31T23:59:60Z", want: time.Date(2016, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{in: "2024-05-01T08:30:00", want: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC), lenient: true},
		{in: "2024-05-01T08:30:00.250", want: time.Date(2024, 5, 1, 8, 30, 0, 250_000_000, time.UTC), lenient: true},
		{in: "2024-05-01T08:30:59:00Z", bad: true},
		{in: "2024-05-01T08:30:00+0800", bad: true},
		{in: "2024-05-01 08:30:00Z", bad: true},
		{in: "2024-13-01T08:30:00Z", bad: true},
		{in: "2024-05-01T08:60:00Z", bad: true},
		{in: "2024-05-01T08:30:60Z", bad: true},
		{in: "2024-05-01T08:30:00.Z", bad: true},
		{in: "2024-05-01T", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d DateTime
			err := json.Unmarshal([]byte(`"`+tt.in+`"`), &d)
			if ok := !tt.bad && !tt.lenient; (err == nil) != ok {
				t.Fatalf("strict unmarshal: got error %v, want ok=%v", err, ok)
			}
			if err == nil && !d.Equal(tt.want) {
				t.Errorf("strict: got %v, want %v", d.Time, tt.want)
			}
			got, quirk, err := ParseDateTime(tt.in, Options{Lenient: true})
			if (err == nil) != !tt.bad {
				t.Fatalf("lenient: got error %v, want ok=%v", err, !tt.bad)
			}
			if (quirk != "") != tt.lenient {
				t.Errorf("lenient: got quirk %q, want one: %v", quirk, tt.lenient)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, got.Time); diff != "" {
					t.Errorf("lenient (-want +got):\n%s", diff)
				}
			}
		})
	}
}
