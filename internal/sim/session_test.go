package sim

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

// advanceOnMeterValues makes the fake CS move the clock a minute forward
// whenever a MeterValues arrives, so energy rises between samples.
func advanceOnMeterValues(cs *fakeCS, clk *clock.Fake) {
	cs.mu.Lock()
	cs.onCall = func(_, action string) {
		if action == ocpp.ActionMeterValues {
			clk.Advance(time.Minute)
		}
	}
	cs.mu.Unlock()
}

// sampled returns the value of measurand in a MeterValue, or "".
func sampled(mv ocpp.MeterValue, m ocpp.Measurand) string {
	for _, sv := range mv.SampledValue {
		if sv.Measurand == m {
			return sv.Value
		}
	}
	return ""
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}

func TestBootHeartbeatStatus(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	c := startCharger(t, cs, ChargerSpec{ID: "CP-7", Vendor: "ACME", Model: "Wallbox", Firmware: "2.1", Connectors: 2}, testBehaviour(), clock.NewFake(t0))
	evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionHeartbeat, 2))

	boot := decode[ocpp.BootNotificationRequest](t, evs[0].payload)
	wantBoot := ocpp.BootNotificationRequest{ChargePointVendor: "ACME", ChargePointModel: "Wallbox",
		ChargePointSerialNumber: "SN-CP-7", FirmwareVersion: "2.1", MeterType: "SIM-METER"}
	if evs[0].action != ocpp.ActionBootNotification || !cmp.Equal(wantBoot, boot) {
		t.Errorf("first CALL: got %s %+v, want BootNotification %+v", evs[0].action, boot, wantBoot)
	}
	var got []string
	for _, e := range filter(evs, ocpp.ActionStatusNotification) {
		sn := decode[ocpp.StatusNotificationRequest](t, e.payload)
		got = append(got, strconv.Itoa(sn.ConnectorID)+":"+string(sn.Status)+":"+string(sn.ErrorCode))
	}
	want := []string{"0:Available:NoError", "1:Available:NoError", "2:Available:NoError"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("boot statuses (-want +got):\n%s", diff)
	}
	if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Heartbeats >= 2 }); err != nil {
		t.Errorf("heartbeats not counted: %v", err)
	}
	if got := c.State().HeartbeatInterval; got != testBehaviour().HeartbeatFallback {
		t.Errorf("got heartbeat interval %s, want the fallback %s (boot interval 0)", got, testBehaviour().HeartbeatFallback)
	}
}

func TestBootPendingThenAccepted(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	cs.bootStatus = ocpp.RegistrationStatusPending
	boots := 0
	cs.onCall = func(_, action string) {
		if action != ocpp.ActionBootNotification {
			return
		}
		cs.mu.Lock()
		defer cs.mu.Unlock()
		if boots++; boots == 3 {
			cs.bootStatus = ocpp.RegistrationStatusAccepted
			cs.bootInterval = 300
		}
	}
	c := startCharger(t, cs, ChargerSpec{ID: "CP1"}, testBehaviour(), clock.NewFake(t0))
	s := c.State()
	if s.Boots != 3 || s.Registration != ocpp.RegistrationStatusAccepted || s.HeartbeatInterval != 300*time.Second {
		t.Errorf("got boots %d, registration %s, heartbeat %s; want 3, Accepted, 5m0s", s.Boots, s.Registration, s.HeartbeatInterval)
	}
	evs := cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionStatusNotification, 2))
	for i, e := range evs[:3] {
		if e.action != ocpp.ActionBootNotification {
			t.Errorf("CALL %d is %s, want BootNotification (nothing else before Accepted)", i, e.action)
		}
	}
}

func TestChargingSession(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	clk := clock.NewFake(t0)
	advanceOnMeterValues(cs, clk)
	c := startCharger(t, cs, ChargerSpec{ID: "CP1", Connectors: 2}, testBehaviour(), clk)

	if err := c.Plug(ctx, 1); err != nil {
		t.Fatalf("Plug: %v", err)
	}
	if got := c.State().Connectors[0].Status; got != ocpp.ChargePointStatusPreparing {
		t.Errorf("after Plug got %s, want Preparing", got)
	}
	if got := statusField(t, cs.call(ctx, "CP1", ocpp.ActionRemoteStartTransaction, ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "STUDENT1"})); got != "Accepted" {
		t.Fatalf("RemoteStart: got %s, want Accepted", got)
	}
	waitConnector(t, ctx, c, 1, func(k ConnectorState) bool {
		return k.Status == ocpp.ChargePointStatusCharging && k.TransactionID == 101
	})
	evs := cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionMeterValues, 4))
	start := decode[ocpp.StartTransactionRequest](t, filter(evs, ocpp.ActionStartTransaction)[0].payload)

	last := start.MeterStart
	for i, e := range filter(evs, ocpp.ActionMeterValues) {
		mv := decode[ocpp.MeterValuesRequest](t, e.payload)
		if mv.TransactionID == nil || *mv.TransactionID != 101 || mv.ConnectorID != 1 {
			t.Fatalf("MeterValues %d: got connector %d transaction %v, want 1 and 101", i, mv.ConnectorID, mv.TransactionID)
		}
		v := mv.MeterValue[0]
		wh := atoi(t, sampled(v, ocpp.MeasurandEnergyActiveImportRegister))
		if i > 0 && wh <= last {
			t.Errorf("MeterValues %d: energy %d Wh, want more than %d", i, wh, last)
		}
		last = wh
		if p := atoi(t, sampled(v, ocpp.MeasurandPowerActiveImport)); p != acDefaultW {
			t.Errorf("MeterValues %d: power %d W, want %d", i, p, acDefaultW)
		}
		for _, m := range []ocpp.Measurand{ocpp.MeasurandCurrentImport, ocpp.MeasurandVoltage, ocpp.MeasurandSoC} {
			if sampled(v, m) == "" {
				t.Errorf("MeterValues %d has no %s", i, m)
			}
		}
		if ctx := v.SampledValue[0].Context; ctx != ocpp.ReadingContextSamplePeriodic {
			t.Errorf("MeterValues %d: context %s, want Sample.Periodic", i, ctx)
		}
	}

	if got := statusField(t, cs.call(ctx, "CP1", ocpp.ActionRemoteStopTransaction, ocpp.RemoteStopTransactionRequest{TransactionID: 101})); got != "Accepted" {
		t.Fatalf("RemoteStop: got %s, want Accepted", got)
	}
	evs = cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionStopTransaction, 1))
	stop := decode[ocpp.StopTransactionRequest](t, filter(evs, ocpp.ActionStopTransaction)[0].payload)
	if stop.TransactionID != 101 || stop.Reason != ocpp.ReasonRemote || stop.MeterStop < last || stop.MeterStop <= start.MeterStart {
		t.Errorf("StopTransaction: got transaction %d reason %s meterStop %d; want 101, Remote, ≥ %d and > meterStart %d",
			stop.TransactionID, stop.Reason, stop.MeterStop, last, start.MeterStart)
	}
	if n := len(stop.TransactionData); n < 2 {
		t.Fatalf("got %d transactionData values, want begin, periodic samples and end", n)
	}
	if first, end := stop.TransactionData[0], stop.TransactionData[len(stop.TransactionData)-1]; first.SampledValue[0].Context != ocpp.ReadingContextTransactionBegin ||
		end.SampledValue[0].Context != ocpp.ReadingContextTransactionEnd ||
		atoi(t, sampled(end, ocpp.MeasurandEnergyActiveImportRegister)) != stop.MeterStop {
		t.Errorf("transactionData: got first %+v, last %+v; want Transaction.Begin … Transaction.End at meterStop", first, end)
	}
	waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusFinishing))
	if err := c.Unplug(ctx, 1); err != nil {
		t.Fatalf("Unplug: %v", err)
	}
	waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusAvailable))
}

func TestUnplugStopsWithEVDisconnected(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	c := startCharger(t, cs, ChargerSpec{ID: "CP1"}, testBehaviour(), clock.NewFake(t0))
	id, err := c.StartLocal(ctx, 1, "CARD9")
	if err != nil || id != 101 {
		t.Fatalf("StartLocal: got %d, %v; want 101, nil", id, err)
	}
	if err := c.Unplug(ctx, 1); err != nil {
		t.Fatalf("Unplug: %v", err)
	}
	evs := cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionStopTransaction, 1))
	if r := decode[ocpp.StopTransactionRequest](t, filter(evs, ocpp.ActionStopTransaction)[0].payload).Reason; r != ocpp.ReasonEVDisconnected {
		t.Errorf("got reason %s, want EVDisconnected", r)
	}
	if got := c.State().Connectors[0].Status; got != ocpp.ChargePointStatusAvailable {
		t.Errorf("got %s, want Available", got)
	}
}

func TestStartLocalRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(context.Context, *Charger, *fakeCS) error
		tag   string
	}{
		{"tag invalid", func(context.Context, *Charger, *fakeCS) error { return nil }, "BAD"},
		{"connector faulted", func(ctx context.Context, c *Charger, _ *fakeCS) error { return c.Fault(ctx, 1, "GroundFailure") }, "OK"},
		{"reserved for another tag", func(ctx context.Context, c *Charger, cs *fakeCS) error {
			cs.call(ctx, c.ID(), ocpp.ActionReserveNow, ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: ocpp.NewDateTime(t0.Add(time.Hour)), IDTag: "OWNER", ReservationID: 3})
			return nil
		}, "OK"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cs := newFakeCS(t)
			cs.tagStatus["BAD"] = ocpp.AuthorizationStatusBlocked
			c := startCharger(t, cs, ChargerSpec{ID: "CP1"}, testBehaviour(), clock.NewFake(t0))
			if err := tc.setup(ctx, c, cs); err != nil {
				t.Fatal(err)
			}
			if _, err := c.StartLocal(ctx, 1, tc.tag); !errors.Is(err, ErrRefused) {
				t.Errorf("got %v, want ErrRefused", err)
			}
			if n := len(cs.eventsOf("CP1", ocpp.ActionStartTransaction)); n != 0 {
				t.Errorf("got %d StartTransactions, want none", n)
			}
		})
	}
}

func TestReservationConsumedAndExpires(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	clk := clock.NewFake(t0)
	c := startCharger(t, cs, ChargerSpec{ID: "CP1", Connectors: 2}, testBehaviour(), clk)
	for id, conn := range map[int]int{11: 1, 12: 2} {
		req := ocpp.ReserveNowRequest{ConnectorID: conn, ExpiryDate: ocpp.NewDateTime(t0.Add(10 * time.Minute)), IDTag: "OWNER", ReservationID: id}
		if got := statusField(t, cs.call(ctx, "CP1", ocpp.ActionReserveNow, req)); got != "Accepted" {
			t.Fatalf("ReserveNow %d: got %s, want Accepted", id, got)
		}
	}
	if _, err := c.StartLocal(ctx, 1, "OWNER"); err != nil {
		t.Fatalf("StartLocal by the owner: %v", err)
	}
	evs := cs.waitEvents(ctx, "CP1", countAction(ocpp.ActionStartTransaction, 1))
	start := decode[ocpp.StartTransactionRequest](t, filter(evs, ocpp.ActionStartTransaction)[0].payload)
	if start.ReservationID == nil || *start.ReservationID != 11 {
		t.Errorf("got reservationId %v, want 11", start.ReservationID)
	}
	clk.Advance(11 * time.Minute)
	waitConnector(t, ctx, c, 2, func(k ConnectorState) bool {
		return k.Status == ocpp.ChargePointStatusAvailable && k.ReservationID == 0
	})
}

func TestSuspendedEVWhenFull(t *testing.T) {
	ctx := testCtx(t)
	cs := newFakeCS(t)
	c := startCharger(t, cs, ChargerSpec{ID: "CP1", Fast: true, MaxPowerW: 120000}, testBehaviour(), clock.NewFake(t0))
	if _, err := c.StartLocal(ctx, 1, "T"); err != nil {
		t.Fatal(err)
	}
	c.SetSoC(1, 100)
	waitConnector(t, ctx, c, 1, func(k ConnectorState) bool {
		return k.Status == ocpp.ChargePointStatusSuspendedEV && k.PowerW == 0 && k.TransactionID == 101 && k.Plugged
	})
	cs.waitEvents(ctx, "CP1", func(evs []csEvent) bool {
		for _, e := range filter(evs, ocpp.ActionStatusNotification) {
			if decode[ocpp.StatusNotificationRequest](t, e.payload).Status == ocpp.ChargePointStatusSuspendedEV {
				return true
			}
		}
		return false
	})
}

func TestCarAcceptsW(t *testing.T) {
	tests := []struct {
		name string
		spec ChargerSpec
		soc  float64
		want int
	}{
		{"AC flat", ChargerSpec{}, 50, 7000},
		{"AC flat near full", ChargerSpec{}, 99, 7000},
		{"AC capped by rating", ChargerSpec{MaxPowerW: 3700}, 50, 3700},
		{"AC full", ChargerSpec{}, 100, 0},
		{"DC default", ChargerSpec{Fast: true}, 50, 60000},
		{"DC below 30 kW is raised", ChargerSpec{Fast: true, MaxPowerW: 10000}, 50, 30000},
		{"DC above 120 kW is capped", ChargerSpec{Fast: true, MaxPowerW: 350000}, 50, 120000},
		{"DC at 80 %", ChargerSpec{Fast: true, MaxPowerW: 120000}, 80, 120000},
		{"DC tapers at 90 %", ChargerSpec{Fast: true, MaxPowerW: 120000}, 90, 60000},
		{"DC floor near full", ChargerSpec{Fast: true, MaxPowerW: 120000}, 99.5, 6000},
		{"DC full", ChargerSpec{Fast: true, MaxPowerW: 120000}, 100, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCharger("ws://unused", tc.spec, Behaviour{}, clock.NewFake(t0), nil)
			if got := c.carAcceptsW(tc.soc, c.ratedW()); got != tc.want {
				t.Errorf("got %d W, want %d", got, tc.want)
			}
		})
	}
}
