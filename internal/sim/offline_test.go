package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

// goOffline refuses new connections, drops the charger's socket and waits
// until it notices.
func goOffline(t *testing.T, ctx context.Context, cs *fakeCS, c *Charger) {
	t.Helper()
	cs.setRefuse(true)
	c.DropConnection()
	if err := c.WaitFor(ctx, func(s Snapshot) bool { return !s.Connected }); err != nil {
		t.Fatalf("still connected: %v", err)
	}
}

// describe summarises a transaction message for order checks.
func describe(t *testing.T, e csEvent) string {
	t.Helper()
	switch e.action {
	case ocpp.ActionStartTransaction:
		r := decode[ocpp.StartTransactionRequest](t, e.payload)
		return fmt.Sprintf("Start c%d %s", r.ConnectorID, r.IDTag)
	case ocpp.ActionStopTransaction:
		r := decode[ocpp.StopTransactionRequest](t, e.payload)
		return fmt.Sprintf("Stop tx%d %s", r.TransactionID, r.Reason)
	case ocpp.ActionMeterValues:
		r := decode[ocpp.MeterValuesRequest](t, e.payload)
		tx := 0
		if r.TransactionID != nil {
			tx = *r.TransactionID
		}
		return fmt.Sprintf("Meter tx%d %s", tx, r.MeterValue[0].Timestamp)
	}
	return e.action
}

// TestOfflineQueueReplay drops the connection mid-session: MeterValues,
// StopTransaction and a transaction started and stopped offline are queued
// and replayed in order, exactly once, after reconnection and boot; the
// offline transaction's local id is mapped to the server's.
func TestOfflineQueueReplay(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	clk := clock.NewFake(t0)
	c := startCharger(t, cs, ChargerSpec{ID: "CP1", Connectors: 2}, testBehaviour(), clk)

	id, err := c.StartLocal(ctx, 1, "TAG1")
	if err != nil || id != 101 {
		t.Fatalf("StartLocal online: got %d, %v; want 101, nil", id, err)
	}
	cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionMeterValues, 1))
	goOffline(t, ctx, cs, c)

	// Offline: periodic samples pile up, each a minute apart.
	for n := 1; n <= 3; n++ {
		clk.Advance(time.Minute)
		if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Queued >= n }); err != nil {
			t.Fatalf("no MeterValues queued offline: %v", err)
		}
	}
	if err := c.StopLocal(ctx, 1, "Local"); err != nil {
		t.Fatalf("StopLocal offline: %v", err)
	}
	local, err := c.StartLocal(ctx, 2, "TAG2")
	if err != nil || local >= 0 {
		t.Fatalf("StartLocal offline: got %d, %v; want a negative local id", local, err)
	}
	clk.Advance(time.Minute)
	if err := c.StopLocal(ctx, 2, "EVDisconnected"); err != nil {
		t.Fatalf("StopLocal offline: %v", err)
	}
	queued := c.State().Queued // nothing runs now, so nothing more is queued
	if queued < 6 {
		t.Fatalf("got %d queued messages, want at least 3 MeterValues + Stop + Start + Stop", queued)
	}
	before := len(cs.eventsOf("CP1"))

	cs.setRefuse(false)
	if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Online && s.Queued == 0 }); err != nil {
		t.Fatalf("queue not replayed: %v (state %+v)", err, c.State())
	}
	var got []string
	var stamps []time.Time
	for _, e := range cs.eventsOf("CP1")[before:] {
		switch e.action {
		case ocpp.ActionStartTransaction, ocpp.ActionStopTransaction, ocpp.ActionMeterValues:
			got = append(got, describe(t, e))
		}
		if e.action == ocpp.ActionMeterValues {
			stamps = append(stamps, decode[ocpp.MeterValuesRequest](t, e.payload).MeterValue[0].Timestamp.Time)
		}
	}
	if len(got) != queued {
		t.Errorf("got %d transaction messages after reconnection, want the %d queued, once each:\n%v", len(got), queued, got)
	}
	for i := 1; i < len(stamps); i++ {
		if stamps[i].Before(stamps[i-1]) {
			t.Errorf("MeterValues out of order: %s after %s", stamps[i], stamps[i-1])
		}
	}
	// The tail is fixed: stop of 101, then the offline transaction, which got id 102.
	var tail []string
	for _, g := range got {
		if g[:5] != "Meter" {
			tail = append(tail, g)
		}
	}
	want := []string{"Stop tx101 Local", "Start c2 TAG2", "Stop tx102 EVDisconnected"}
	if diff := cmp.Diff(want, tail); diff != "" {
		t.Errorf("replayed Start/Stop (-want +got):\n%s\nall: %v", diff, got)
	}
	for _, g := range got[:len(got)-3] {
		if g[:10] != "Meter tx10" {
			t.Errorf("got %q before the stop, want only MeterValues of transaction 101", g)
		}
	}
	if s := c.State(); s.Boots != 2 {
		t.Errorf("got %d boots, want 2", s.Boots)
	}
}

// TestOfflineStartDeAuthorized: a transaction started offline with a tag
// the central system calls Invalid is stopped with reason DeAuthorized.
func TestOfflineStartDeAuthorized(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	cs.tagStatus["STOLEN"] = ocpp.AuthorizationStatusInvalid
	c := startCharger(t, cs, ChargerSpec{ID: "CP1"}, testBehaviour(), clock.NewFake(t0))
	goOffline(t, ctx, cs, c)
	if id, err := c.StartLocal(ctx, 1, "STOLEN"); err != nil || id >= 0 {
		t.Fatalf("StartLocal offline: got %d, %v; want a negative id", id, err)
	}
	cs.setRefuse(false)
	evs := cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionStopTransaction, 1))
	stop := decode[ocpp.StopTransactionRequest](t, filter(evs, ocpp.ActionStopTransaction)[0].payload)
	if stop.TransactionID != 101 || stop.Reason != ocpp.ReasonDeAuthorized {
		t.Errorf("got Stop of %d reason %s, want 101 DeAuthorized", stop.TransactionID, stop.Reason)
	}
	waitConnector(t, ctx, c, 1, func(k ConnectorState) bool { return k.TransactionID == 0 })
}

// TestSetChargingProfileCapsPower: a TxProfile in W or A caps the power
// reported in MeterValues.
func TestSetChargingProfileCapsPower(t *testing.T) {
	tests := []struct {
		name   string
		unit   ocpp.ChargingRateUnit
		limit  float64
		phases *int
		want   int
	}{
		{"watts", ocpp.ChargingRateUnitW, 11000, nil, 11000},
		{"amps on three phases", ocpp.ChargingRateUnitA, 16, nil, 16 * 230 * 3},
		{"amps on one phase", ocpp.ChargingRateUnitA, 32, ptr(1), 32 * 230},
		{"zero suspends", ocpp.ChargingRateUnitW, 0, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cs := newFakeCS(t)
			clk := clock.NewFake(t0)
			advanceOnMeterValues(cs, clk)
			c := startCharger(t, cs, ChargerSpec{ID: "DC1", Fast: true, MaxPowerW: 60000}, testBehaviour(), clk)
			if _, err := c.StartLocal(ctx, 1, "T"); err != nil {
				t.Fatal(err)
			}
			cs.waitEvents(ctx, "DC1", countAction(ocpp.ActionMeterValues, 1))
			req := ocpp.SetChargingProfileRequest{ConnectorID: 1, CsChargingProfiles: ocpp.ChargingProfile{
				ChargingProfileID: 1, TransactionID: ptr(101), StackLevel: 0,
				ChargingProfilePurpose: ocpp.ChargingProfilePurposeTxProfile, ChargingProfileKind: ocpp.ChargingProfileKindAbsolute,
				ChargingSchedule: ocpp.ChargingSchedule{ChargingRateUnit: tc.unit, StartSchedule: ptr(ocpp.NewDateTime(t0)),
					ChargingSchedulePeriod: []ocpp.ChargingSchedulePeriod{{StartPeriod: 0, Limit: tc.limit, NumberPhases: tc.phases}}},
			}}
			if got := statusField(t, cs.call(ctx, "DC1", ocpp.ActionSetChargingProfile, req)); got != "Accepted" {
				t.Fatalf("SetChargingProfile: got %s, want Accepted", got)
			}
			n := len(cs.eventsOf("DC1", ocpp.ActionMeterValues))
			evs := cs.waitEvents(ctx, "DC1", countAction(ocpp.ActionMeterValues, n+3))
			mvs := filter(evs, ocpp.ActionMeterValues)
			if p := atoi(t, sampled(decode[ocpp.MeterValuesRequest](t, mvs[0].payload).MeterValue[0], ocpp.MeasurandPowerActiveImport)); p != 60000 {
				t.Errorf("before the profile: got %d W, want 60000", p)
			}
			for _, e := range mvs[n+1:] {
				if p := atoi(t, sampled(decode[ocpp.MeterValuesRequest](t, e.payload).MeterValue[0], ocpp.MeasurandPowerActiveImport)); p != tc.want {
					t.Errorf("after the profile: got %d W, want %d", p, tc.want)
				}
			}
			if tc.want == 0 {
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusSuspendedEVSE))
			}
		})
	}
}
