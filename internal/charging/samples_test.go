package charging

import (
	"testing"
	"time"

	"campuscharge/internal/ocpp"
	"github.com/google/go-cmp/cmp"
)

func i64(v int64) *int64 { return &v }

// TestSamplesOfNormalisesUnits checks that every unit the spec allows is
// stored in the project's units (Wh, W, mA, mV, %), that phases of power,
// energy and current add up while a total wins, that SignedData is kept
// but not read as a number, and that samples come out in time order with
// one sample per timestamp.
func TestSamplesOfNormalisesUnits(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	sv := func(value, measurand, unit, phase string) ocpp.SampledValue {
		return ocpp.SampledValue{Value: value, Measurand: ocpp.Measurand(measurand), Unit: ocpp.UnitOfMeasure(unit), Phase: ocpp.Phase(phase)}
	}
	for _, tc := range []struct {
		name string
		in   []ocpp.MeterValue
		want []Sample
	}{
		{
			name: "defaults: a bare value is the energy register in Wh",
			in:   []ocpp.MeterValue{{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{{Value: "12345"}}}},
			want: []Sample{{SessionID: "s", At: t0, EnergyWh: i64(12345)}},
		},
		{
			name: "kWh, kW, A, V and Percent",
			in: []ocpp.MeterValue{{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{
				sv("12.3456", "Energy.Active.Import.Register", "kWh", ""),
				sv("7.2", "Power.Active.Import", "kW", ""),
				sv("31.5", "Current.Import", "A", ""),
				sv("229.9", "Voltage", "V", ""),
				sv("64", "SoC", "Percent", ""),
				sv("35.5", "Temperature", "Celsius", ""),
			}}},
			want: []Sample{{SessionID: "s", At: t0, EnergyWh: i64(12346), PowerW: i64(7200), CurrentMA: i64(31500), VoltageMV: i64(229900), SoC: i64(64)}},
		},
		{
			name: "phases add up for power and current, not voltage",
			in: []ocpp.MeterValue{{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{
				sv("2300", "Power.Active.Import", "W", "L1"),
				sv("2310", "Power.Active.Import", "W", "L2"),
				sv("2290", "Power.Active.Import", "W", "L3"),
				sv("10", "Current.Import", "A", "L1"),
				sv("10.5", "Current.Import", "A", "L2"),
				sv("230", "Voltage", "V", "L1-N"),
			}}},
			want: []Sample{{SessionID: "s", At: t0, PowerW: i64(6900), CurrentMA: i64(20500), VoltageMV: i64(230000)}},
		},
		{
			name: "a total wins over the phases sent with it",
			in: []ocpp.MeterValue{{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{
				sv("7000", "Power.Active.Import", "W", ""),
				sv("2300", "Power.Active.Import", "W", "L1"),
				sv("2300", "Power.Active.Import", "W", "L2"),
			}}},
			want: []Sample{{SessionID: "s", At: t0, PowerW: i64(7000)}},
		},
		{
			name: "SignedData kept, not a number; garbage skipped",
			in: []ocpp.MeterValue{{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{
				{Value: "OCMF|{\"RD\":[{\"RV\":1.5}]}", Format: "SignedData"},
				{Value: "NaN"},
				{Value: "lots"},
				sv("1500", "Energy.Active.Import.Register", "Wh", ""),
			}}},
			want: []Sample{{SessionID: "s", At: t0, EnergyWh: i64(1500), SignedData: "OCMF|{\"RD\":[{\"RV\":1.5}]}"}},
		},
		{
			name: "out of order and split timestamps: one sample per instant, in time order",
			in: []ocpp.MeterValue{
				{Timestamp: ocpp.NewDateTime(t0.Add(time.Minute)), SampledValue: []ocpp.SampledValue{{Value: "2000"}}},
				{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{{Value: "1000"}}},
				{Timestamp: ocpp.NewDateTime(t0), SampledValue: []ocpp.SampledValue{sv("7", "Power.Active.Import", "kW", "")}},
			},
			want: []Sample{
				{SessionID: "s", At: t0, EnergyWh: i64(1000), PowerW: i64(7000)},
				{SessionID: "s", At: t0.Add(time.Minute), EnergyWh: i64(2000)},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, samplesOf("s", tc.in)); diff != "" {
				t.Errorf("samples (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplySamplesIgnoresOlderSamples checks that a late, older sample
// (an offline queue replayed) does not overwrite newer live figures, and
// that energy is counted from the session's meter start.
func TestApplySamplesIgnoresOlderSamples(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	x := Session{MeterStart: 1000}
	applySamples(&x, []Sample{{At: t0.Add(2 * time.Minute), EnergyWh: i64(1500), PowerW: i64(7000), SoC: i64(40)}})
	applySamples(&x, []Sample{{At: t0.Add(time.Minute), EnergyWh: i64(1200), PowerW: i64(3000), SoC: i64(30)}})
	if x.EnergyWh != 500 || x.PowerW != 7000 || x.SoC != 40 || !x.LastMeterAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("after a newer then an older sample: energy %d Wh, power %d W, SoC %d, last %v; want 500, 7000, 40 from the newer",
			x.EnergyWh, x.PowerW, x.SoC, x.LastMeterAt)
	}
	applySamples(&x, []Sample{{At: t0.Add(3 * time.Minute), EnergyWh: i64(900)}})
	if x.EnergyWh != 500 {
		t.Errorf("a register below the meter start changed the energy to %d Wh", x.EnergyWh)
	}
}
