package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"
	"github.com/lorenzodonini/ocpp-go/ws"

	"campuscharge/internal/testutil"
)

// independentCP is the core handler of an ocpp-go charge point: it accepts
// remote stops and then stops the transaction like a real charger.
type independentCP struct {
	cp        ocpp16.ChargePoint
	meterStop int
	stops     chan error
}

func (h *independentCP) OnChangeAvailability(*core.ChangeAvailabilityRequest) (*core.ChangeAvailabilityConfirmation, error) {
	return core.NewChangeAvailabilityConfirmation(core.AvailabilityStatusAccepted), nil
}
func (h *independentCP) OnChangeConfiguration(*core.ChangeConfigurationRequest) (*core.ChangeConfigurationConfirmation, error) {
	return core.NewChangeConfigurationConfirmation(core.ConfigurationStatusNotSupported), nil
}
func (h *independentCP) OnClearCache(*core.ClearCacheRequest) (*core.ClearCacheConfirmation, error) {
	return core.NewClearCacheConfirmation(core.ClearCacheStatusAccepted), nil
}
func (h *independentCP) OnDataTransfer(*core.DataTransferRequest) (*core.DataTransferConfirmation, error) {
	return core.NewDataTransferConfirmation(core.DataTransferStatusUnknownVendorId), nil
}
func (h *independentCP) OnGetConfiguration(*core.GetConfigurationRequest) (*core.GetConfigurationConfirmation, error) {
	return core.NewGetConfigurationConfirmation([]core.ConfigurationKey{}), nil
}
func (h *independentCP) OnRemoteStartTransaction(*core.RemoteStartTransactionRequest) (*core.RemoteStartTransactionConfirmation, error) {
	return core.NewRemoteStartTransactionConfirmation(types.RemoteStartStopStatusRejected), nil
}
func (h *independentCP) OnRemoteStopTransaction(r *core.RemoteStopTransactionRequest) (*core.RemoteStopTransactionConfirmation, error) {
	go func() {
		_, err := h.cp.StopTransaction(h.meterStop, types.NewDateTime(time.Now()), r.TransactionId, func(req *core.StopTransactionRequest) {
			req.Reason = core.ReasonRemote
		})
		h.stops <- err
	}()
	return core.NewRemoteStopTransactionConfirmation(types.RemoteStartStopStatusAccepted), nil
}
func (h *independentCP) OnReset(*core.ResetRequest) (*core.ResetConfirmation, error) {
	return core.NewResetConfirmation(core.ResetStatusAccepted), nil
}
func (h *independentCP) OnUnlockConnector(*core.UnlockConnectorRequest) (*core.UnlockConnectorConfirmation, error) {
	return core.NewUnlockConnectorConfirmation(core.UnlockStatusUnlocked), nil
}

// registerCharger registers a charger through the API and returns its id and password.
func (s *testServer) registerCharger(admin, cpID, kind string, powerW int) (string, string) {
	s.t.Helper()
	typ := "GBT_AC"
	if kind == "fast" {
		typ = "GBT_DC"
	}
	status, body := s.call("POST", "/api/v1/chargers", admin, map[string]any{
		"charge_point_id": cpID, "name": "Charger " + cpID, "location": "North gate car park, bay 3", "lat": 31.2, "lng": 121.4,
		"kind": kind, "max_power_w": powerW, "connectors": []map[string]any{{"connector_id": 1, "type": typ}}})
	if status != http.StatusCreated {
		s.t.Fatalf("register charger: %d %v", status, body)
	}
	return body["charger"].(map[string]any)["id"].(string), body["password"].(string)
}

// TestIndependentChargerFullSession drives a whole session with an
// independent OCPP 1.6J client (lorenzodonini/ocpp-go) and checks what the
// API shows at each step, on every configured database.
func TestIndependentChargerFullSession(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			admin := s.login("admin", "admin-password")
			chargerID, password := s.registerCharger(admin, "CP-IND-1", "slow", 7000)

			client := ws.NewClient()
			client.SetBasicAuth("CP-IND-1", password)
			h := &independentCP{meterStop: 8000, stops: make(chan error, 1)}
			h.cp = ocpp16.NewChargePoint("CP-IND-1", nil, client)
			h.cp.SetCoreHandler(h)
			if err := h.cp.Start("ws://" + s.Addr() + "/ocpp"); err != nil {
				t.Fatalf("connect: %v", err)
			}
			defer h.cp.Stop()

			boot, err := h.cp.BootNotification("CC-7", "Acme", func(r *core.BootNotificationRequest) { r.FirmwareVersion = "1.2.3" })
			if err != nil || boot.Status != core.RegistrationStatusAccepted || boot.Interval != 300 {
				t.Fatalf("boot = %+v, %v", boot, err)
			}
			if _, err := h.cp.StatusNotification(1, core.NoError, core.ChargePointStatusAvailable); err != nil {
				t.Fatal(err)
			}
			_, view := s.call("GET", "/api/v1/chargers/"+chargerID, admin, nil)
			conn := view["connectors"].([]any)[0].(map[string]any)
			if view["online"] != true || view["vendor"] != "Acme" || view["firmware"] != "1.2.3" || conn["status"] != "Available" {
				t.Fatalf("charger after boot: %v", view)
			}

			driver := s.devLogin("13812345678")
			status, list := s.callList("GET", "/api/v1/me/cards", driver)
			if status != 200 || len(list) != 1 {
				t.Fatalf("cards: %d %v", status, list)
			}
			appTag := list[0]["number"].(string)

			for _, tc := range []struct {
				tag  string
				want types.AuthorizationStatus
			}{{appTag, types.AuthorizationStatusAccepted}, {"NOSUCHTAG", types.AuthorizationStatusInvalid}} {
				a, err := h.cp.Authorize(tc.tag)
				if err != nil || a.IdTagInfo.Status != tc.want {
					t.Fatalf("Authorize(%s) = %+v, %v; want %s", tc.tag, a, err, tc.want)
				}
			}

			start := time.Now().Add(-10 * time.Minute)
			st, err := h.cp.StartTransaction(1, appTag, 1000, types.NewDateTime(start))
			if err != nil || st.IdTagInfo.Status != types.AuthorizationStatusAccepted || st.TransactionId <= 0 {
				t.Fatalf("StartTransaction = %+v, %v", st, err)
			}
			if _, err := h.cp.StatusNotification(1, core.NoError, core.ChargePointStatusCharging); err != nil {
				t.Fatal(err)
			}
			mv := []types.MeterValue{{Timestamp: types.NewDateTime(start.Add(5 * time.Minute)), SampledValue: []types.SampledValue{
				{Value: "6.0", Measurand: types.MeasurandEnergyActiveImportRegister, Unit: types.UnitOfMeasureKWh},
				{Value: "7000", Measurand: types.MeasurandPowerActiveImport, Unit: types.UnitOfMeasureW},
				{Value: "55", Measurand: types.MeasurandSoC, Unit: types.UnitOfMeasurePercent},
			}}}
			if _, err := h.cp.MeterValues(1, mv, func(r *core.MeterValuesRequest) { r.TransactionId = &st.TransactionId }); err != nil {
				t.Fatal(err)
			}
			status, sessions := s.callList("GET", "/api/v1/sessions?status=active", driver)
			if status != 200 || len(sessions) != 1 {
				t.Fatalf("driver's active sessions: %d %v", status, sessions)
			}
			live := sessions[0]
			if live["energy_wh"] != 5000.0 || live["power_w"] != 7000.0 || live["soc"] != 55.0 || live["transaction_id"] != float64(st.TransactionId) {
				t.Fatalf("live session = %v", live)
			}
			_, view = s.call("GET", "/api/v1/chargers/"+chargerID, driver, nil)
			conn = view["connectors"].([]any)[0].(map[string]any)
			if conn["status"] != "Charging" || conn["session"].(map[string]any)["energy_wh"] != 5000.0 {
				t.Fatalf("connector while charging = %v", conn)
			}

			// Remote stop from the driver's app: the charger answers and stops.
			sessionID := live["id"].(string)
			status, stopped := s.call("POST", "/api/v1/sessions/"+sessionID+"/stop", driver, map[string]any{})
			if status != 200 {
				t.Fatalf("stop: %d %v", status, stopped)
			}
			if err := <-h.stops; err != nil {
				t.Fatalf("StopTransaction: %v", err)
			}
			_, got := s.call("GET", "/api/v1/sessions/"+sessionID, driver, nil)
			if got["status"] != "stopped" || got["energy_wh"] != 7000.0 || got["stop_reason"] != "Remote" || got["meter_stop_wh"] != 8000.0 {
				t.Fatalf("stopped session = %v", got)
			}

			// A replayed StopTransaction changes nothing; an unknown one creates a flagged session.
			if _, err := h.cp.StopTransaction(9999, types.NewDateTime(time.Now()), st.TransactionId); err != nil {
				t.Fatalf("replayed stop: %v", err)
			}
			_, again := s.call("GET", "/api/v1/sessions/"+sessionID, driver, nil)
			if again["energy_wh"] != 7000.0 || again["meter_stop_wh"] != 8000.0 {
				t.Fatalf("replayed stop changed the session: %v", again)
			}
			if _, err := h.cp.StopTransaction(5000, types.NewDateTime(time.Now()), 777777, func(r *core.StopTransactionRequest) {
				r.TransactionData = []types.MeterValue{{Timestamp: types.NewDateTime(time.Now().Add(-time.Hour)), SampledValue: []types.SampledValue{{Value: "2000"}}}}
			}); err != nil {
				t.Fatalf("unknown stop: %v", err)
			}
			_, all := s.callList("GET", "/api/v1/sessions?charger_id="+chargerID, admin)
			var found bool
			for _, x := range all {
				if x["transaction_id"] == 777777.0 {
					found = true
					if !strings.Contains(x["flag"].(string), "unknown transaction") || x["energy_wh"] != 3000.0 || x["status"] != "stopped" {
						t.Errorf("session from unknown stop = %v", x)
					}
				}
			}
			if !found {
				t.Errorf("no session created for the unknown transaction: %v", all)
			}
			// The audit log has the driver's stop? Drivers are not staff: nothing recorded.
			_, audit := s.callList("GET", "/api/v1/audit?target_id="+sessionID, admin)
			if len(audit) != 0 {
				t.Errorf("driver stop was audited: %v", audit)
			}
		})
	}
}
