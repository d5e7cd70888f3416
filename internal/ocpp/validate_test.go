package ocpp

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestChargePointExamplesValid(t *testing.T) {
	for _, action := range Actions() {
		if !IsChargePointAction(action) {
			continue
		}
		examples := chargePointExamples[action]
		if len(examples) == 0 {
			t.Errorf("no example for charger action %s", action)
		}
		for i, p := range examples {
			for _, lenient := range []bool{false, true} {
				t.Run(action, func(t *testing.T) {
					quirks, err := ValidateRequest(action, []byte(p), Options{Lenient: lenient, Sender: RoleChargePoint})
					if err != nil {
						t.Fatalf("example %d (lenient %v): got error %v, want none", i, lenient, err)
					}
					if len(quirks) != 0 {
						t.Errorf("example %d (lenient %v): got quirks %q, want none", i, lenient, quirks)
					}
					if _, _, err := DecodeRequest(action, []byte(p), Options{Lenient: lenient}); err != nil {
						t.Errorf("example %d: decode: %v", i, err)
					}
				})
			}
		}
	}
}

// errorCase is one payload with the error (or quirks) expected in strict
// and in lenient mode.
type errorCase struct {
	name          string
	action        string
	payload       string
	strictCode    ErrorCode // "" = valid
	strictField   string
	lenientCode   ErrorCode // "" = valid in lenient mode
	lenientQuirks []Quirk
}

func TestValidateRequestErrors(t *testing.T) {
	const sv = `"sampledValue":[{"value":"1"}]`
	tests := []errorCase{
		{name: "missing required", action: "StartTransaction", payload: `{"connectorId":1,"meterStart":0,"timestamp":"2024-05-01T08:30:00Z"}`,
			strictCode: OccurenceConstraintViolation, strictField: "idTag", lenientCode: OccurenceConstraintViolation},
		{name: "missing nested required", action: "MeterValues", payload: `{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T08:30:00Z"}]}`,
			strictCode: OccurenceConstraintViolation, strictField: "meterValue[0].sampledValue", lenientCode: OccurenceConstraintViolation},
		{name: "integer as string", action: "StartTransaction", payload: `{"connectorId":"1","idTag":"A","meterStart":0,"timestamp":"2024-05-01T08:30:00Z"}`,
			strictCode: TypeConstraintViolation, strictField: "connectorId", lenientCode: TypeConstraintViolation},
		{name: "integer with fraction", action: "MeterValues", payload: `{"connectorId":1.5,"meterValue":[]}`,
			strictCode: TypeConstraintViolation, strictField: "connectorId", lenientCode: TypeConstraintViolation},
		{name: "integer written 1.0", action: "MeterValues", payload: `{"connectorId":1.0,"meterValue":[]}`},
		{name: "string as number", action: "Authorize", payload: `{"idTag":1234}`,
			strictCode: TypeConstraintViolation, strictField: "idTag", lenientCode: TypeConstraintViolation},
		{name: "array as object", action: "MeterValues", payload: `{"connectorId":1,"meterValue":{"timestamp":"2024-05-01T08:30:00Z",` + sv + `}}`,
			strictCode: TypeConstraintViolation, strictField: "meterValue", lenientCode: TypeConstraintViolation},
		{name: "enum not allowed", action: "StatusNotification", payload: `{"connectorId":1,"errorCode":"NoError","status":"Busy"}`,
			strictCode: PropertyConstraintViolation, strictField: "status", lenientCode: PropertyConstraintViolation},
		{name: "enum wrong case", action: "MeterValues", payload: `{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T08:30:00Z","sampledValue":[{"value":"1","unit":"wh"}]}]}`,
			strictCode: PropertyConstraintViolation, strictField: "meterValue[0].sampledValue[0].unit", lenientCode: PropertyConstraintViolation},
		{name: "CiString20 too long", action: "Authorize", payload: `{"idTag":"` + strings.Repeat("A", 21) + `"}`,
			strictCode: PropertyConstraintViolation, strictField: "idTag", lenientCode: PropertyConstraintViolation},
		{name: "CiString20 of 20 multibyte characters", action: "Authorize", payload: `{"idTag":"` + strings.Repeat("卡", 20) + `"}`},
		{name: "CiString50 too long", action: "StatusNotification", payload: `{"connectorId":1,"errorCode":"NoError","status":"Available","info":"` + strings.Repeat("i", 51) + `"}`,
			strictCode: PropertyConstraintViolation, strictField: "info", lenientCode: PropertyConstraintViolation},
		{name: "CiString255 too long", action: "DataTransfer", payload: `{"vendorId":"` + strings.Repeat("v", 256) + `"}`,
			strictCode: PropertyConstraintViolation, strictField: "vendorId", lenientCode: PropertyConstraintViolation},
		{name: "CiString25 too long", action: "BootNotification", payload: `{"chargePointVendor":"V","chargePointModel":"M","meterType":"` + strings.Repeat("m", 26) + `"}`,
			strictCode: PropertyConstraintViolation, strictField: "meterType", lenientCode: PropertyConstraintViolation},
		{name: "bad date-time", action: "SecurityEventNotification", payload: `{"type":"x","timestamp":"yesterday"}`,
			strictCode: PropertyConstraintViolation, strictField: "timestamp", lenientCode: PropertyConstraintViolation},
		{name: "empty payload", action: "Heartbeat", payload: `{}`},
		{name: "date-time not a date", action: "StartTransaction", payload: `{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2024-02-30T08:30:00Z"}`,
			strictCode: PropertyConstraintViolation, strictField: "timestamp", lenientCode: PropertyConstraintViolation},
		{name: "date-time without zone", action: "StartTransaction", payload: `{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2024-05-01T08:30:00"}`,
			strictCode: PropertyConstraintViolation, strictField: "timestamp",
			lenientQuirks: []Quirk{`timestamp: date-time "2024-05-01T08:30:00" has no time zone, read as UTC`}},
		{name: "unknown property", action: "BootNotification", payload: `{"chargePointVendor":"V","chargePointModel":"M","chargePointVendorCode":"x"}`,
			strictCode: FormationViolation, strictField: "chargePointVendorCode",
			lenientQuirks: []Quirk{"chargePointVendorCode: unknown property ignored"}},
		{name: "unknown nested properties", action: "MeterValues", payload: `{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T08:30:00Z","sampledValue":[{"value":"1","z":1,"a":2}]}]}`,
			strictCode: FormationViolation, strictField: "meterValue[0].sampledValue[0].a",
			lenientQuirks: []Quirk{"meterValue[0].sampledValue[0].a: unknown property ignored", "meterValue[0].sampledValue[0].z: unknown property ignored"}},
		{name: "null optional", action: "StartTransaction", payload: `{"connectorId":1,"idTag":"A","meterStart":0,"reservationId":null,"timestamp":"2024-05-01T08:30:00Z"}`,
			strictCode: TypeConstraintViolation, strictField: "reservationId",
			lenientQuirks: []Quirk{"reservationId: null for an optional property, read as absent"}},
		{name: "null required", action: "Authorize", payload: `{"idTag":null}`,
			strictCode: TypeConstraintViolation, strictField: "idTag", lenientCode: TypeConstraintViolation},
		{name: "not valid JSON", action: "Heartbeat", payload: `{`, strictCode: FormationViolation, lenientCode: FormationViolation},
		{name: "payload is an array", action: "Heartbeat", payload: `[]`, strictCode: FormationViolation, lenientCode: FormationViolation},
		{name: "trailing data", action: "Heartbeat", payload: `{} {}`, strictCode: FormationViolation, lenientCode: FormationViolation},
		{name: "unknown action", action: "FooBar", payload: `{}`, strictCode: NotImplemented, lenientCode: NotImplemented},
		{name: "central system action from a charger", action: "Reset", payload: `{"type":"Hard"}`, strictCode: NotSupported, lenientCode: NotSupported},
	}
	runErrorCases(t, tests, func(action, payload string, opt Options) ([]Quirk, error) {
		opt.Sender = RoleChargePoint
		return ValidateRequest(action, []byte(payload), opt)
	})
}

func TestValidateResponseErrors(t *testing.T) {
	tests := []errorCase{
		{name: "boot accepted", action: "BootNotification", payload: `{"status":"Accepted","currentTime":"2024-05-01T08:30:00.000Z","interval":300}`},
		{name: "boot heartbeatInterval spelling", action: "BootNotification", payload: `{"status":"Accepted","currentTime":"2024-05-01T08:30:00.000Z","heartbeatInterval":300}`,
			strictCode: OccurenceConstraintViolation, strictField: "interval", lenientCode: OccurenceConstraintViolation},
		{name: "composite schedule limit not tenths", action: "GetCompositeSchedule", payload: `{"status":"Accepted","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.05}]}}`,
			strictCode: PropertyConstraintViolation, strictField: "chargingSchedule.chargingSchedulePeriod[0].limit", lenientCode: PropertyConstraintViolation},
		{name: "installed certificates empty list", action: "GetInstalledCertificateIds", payload: `{"status":"NotFound","certificateHashData":[]}`,
			strictCode: OccurenceConstraintViolation, strictField: "certificateHashData", lenientCode: OccurenceConstraintViolation},
		{name: "reset rejected", action: "Reset", payload: `{"status":"Rejected"}`},
		{name: "unknown action", action: "Nope", payload: `{}`, strictCode: NotImplemented, lenientCode: NotImplemented},
	}
	runErrorCases(t, tests, func(action, payload string, opt Options) ([]Quirk, error) {
		return ValidateResponse(action, []byte(payload), opt)
	})
}

// runErrorCases runs every case in strict and lenient mode.
func runErrorCases(t *testing.T, tests []errorCase, validate func(action, payload string, opt Options) ([]Quirk, error)) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name+"/strict", func(t *testing.T) {
			quirks, err := validate(tt.action, tt.payload, Options{})
			checkError(t, err, tt.strictCode, tt.strictField)
			if len(quirks) != 0 {
				t.Errorf("got quirks %q in strict mode, want none", quirks)
			}
		})
		t.Run(tt.name+"/lenient", func(t *testing.T) {
			quirks, err := validate(tt.action, tt.payload, Options{Lenient: true})
			checkError(t, err, tt.lenientCode, "")
			if diff := cmp.Diff(tt.lenientQuirks, quirks); diff != "" {
				t.Errorf("quirks (-want +got):\n%s", diff)
			}
		})
	}
}

// checkError checks that err is an *Error with the code (none when code
// is "") and, when field is set, that it names the field.
func checkError(t *testing.T, err error, code ErrorCode, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Errorf("got code %s (%s), want %s", e.Code, e.Description, code)
	}
	if field != "" {
		if got := e.Details["field"]; got != field {
			t.Errorf("got field %v, want %s", got, field)
		}
		if !strings.HasPrefix(e.Description, field+": ") {
			t.Errorf("got description %q, want it to start with %q", e.Description, field+": ")
		}
	}
}

func TestDecodeNormalises(t *testing.T) {
	payload := `{"connectorId":1.0,"idTag":"A","meterStart":2e3,"reservationId":null,"timestamp":"2024-05-01T08:30:00.5","x":1}`
	got, quirks, err := DecodeWithQuirks[StartTransactionRequest]([]byte(payload), Options{Lenient: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	want := StartTransactionRequest{ConnectorID: 1, IDTag: "A", MeterStart: 2000,
		Timestamp: DateTime{time.Date(2024, 5, 1, 8, 30, 0, 500_000_000, time.UTC)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if len(quirks) != 3 {
		t.Errorf("got %d quirks %q, want 3", len(quirks), quirks)
	}
	if _, err := Decode[StartTransactionRequest]([]byte(payload), Options{}); err == nil {
		t.Errorf("strict decode: got no error, want one")
	}
	if _, err := Decode[MeterValuesRequest]([]byte(`{"connectorId":99999999999999999999,"meterValue":[]}`), Options{}); AsError(err).Code != PropertyConstraintViolation {
		t.Errorf("out-of-range integer: got %v, want PropertyConstraintViolation", err)
	}
	if _, err := Decode[struct{ A int }]([]byte(`{}`), Options{}); AsError(err).Code != InternalError {
		t.Errorf("type without schema: got %v, want InternalError", err)
	}
}

func TestDecodeRequestTypes(t *testing.T) {
	for _, action := range Actions() {
		t.Run(action, func(t *testing.T) {
			a := schemas.actions[action]
			req := marshalOrFatal(t, sampleValue(a.req, true))
			got, _, err := DecodeRequest(action, req, Options{})
			if err != nil {
				t.Fatalf("decode request %s: %v", req, err)
			}
			if gotName, want := typeNameOf(got), "*ocpp."+action+"Request"; gotName != want {
				t.Errorf("got %s, want %s", gotName, want)
			}
			res := marshalOrFatal(t, sampleValue(a.res, true))
			got, _, err = DecodeResponse(action, res, Options{})
			if err != nil {
				t.Fatalf("decode response %s: %v", res, err)
			}
			if gotName, want := typeNameOf(got), "*ocpp."+action+"Response"; gotName != want {
				t.Errorf("got %s, want %s", gotName, want)
			}
			// What the typed value marshals to must validate again.
			again := marshalOrFatal(t, got)
			if _, err := ValidateResponse(action, again, Options{}); err != nil {
				t.Errorf("re-marshalled response %s: %v", again, err)
			}
		})
	}
}

func TestActionDirections(t *testing.T) {
	tests := []struct {
		action     string
		cp, cs     bool
		fromCharge ErrorCode
	}{
		{"BootNotification", true, false, ""},
		{"DataTransfer", true, true, ""},
		{"SecurityEventNotification", true, false, ""},
		{"RemoteStartTransaction", false, true, NotSupported},
		{"SignedUpdateFirmware", false, true, NotSupported},
		{"Unknown", false, false, NotImplemented},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			if got := IsChargePointAction(tt.action); got != tt.cp {
				t.Errorf("IsChargePointAction: got %v, want %v", got, tt.cp)
			}
			if got := IsCentralSystemAction(tt.action); got != tt.cs {
				t.Errorf("IsCentralSystemAction: got %v, want %v", got, tt.cs)
			}
			checkError(t, CheckAction(tt.action, RoleChargePoint), tt.fromCharge, "")
		})
	}
	if got, want := len(Actions()), 39; got != want {
		t.Errorf("got %d actions, want %d", got, want)
	}
}
