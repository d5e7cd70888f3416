package ocpp

import "testing"

// meterValuesFrame is a typical MeterValues CALL: one sample instant with
// six measurands.
var meterValuesFrame = []byte(`[2,"a7c1e0f2-3b4d-4e5f-8a9b-0c1d2e3f4a5b","MeterValues",` + chargePointExamples[ActionMeterValues][0] + `]`)

// BenchmarkParseValidateMeterValues measures what the gateway does for
// every MeterValues CALL: parse the frame and validate its payload.
func BenchmarkParseValidateMeterValues(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(meterValuesFrame)))
	for b.Loop() {
		f, err := ParseFrame(meterValuesFrame)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ValidateRequest(f.Action, f.Payload, Options{Sender: RoleChargePoint}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDecodeMeterValues adds decoding into MeterValuesRequest.
func BenchmarkParseDecodeMeterValues(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f, err := ParseFrame(meterValuesFrame)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Decode[MeterValuesRequest](f.Payload, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
