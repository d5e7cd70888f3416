package sim

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/clock"
	"campuscharge/internal/ocpp"
)

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// statusOf reads the "status" field of a confirmation.
func statusField(t *testing.T, payload json.RawMessage) string {
	t.Helper()
	var v struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(payload, &v); err != nil {
		t.Fatalf("read status of %s: %v", payload, err)
	}
	return v.Status
}

func waitConnector(t *testing.T, ctx context.Context, c *Charger, id int, cond func(ConnectorState) bool) {
	t.Helper()
	if err := c.WaitFor(ctx, func(s Snapshot) bool { return cond(s.Connectors[id-1]) }); err != nil {
		t.Fatalf("connector %d: %v; state %+v", id, err, c.State().Connectors[id-1])
	}
}

func hasStatus(st ocpp.ChargePointStatus) func(ConnectorState) bool {
	return func(k ConnectorState) bool { return k.Status == st }
}

// TestRemoteCommands sends every central-system command to a fresh charger,
// in a happy and a refusing case, and checks the schema-valid answer
// (fakeCS.call validates it) and its effect.
func TestRemoteCommands(t *testing.T) {
	future := ocpp.NewDateTime(t0.Add(time.Hour))
	past := ocpp.NewDateTime(t0.Add(-time.Hour))
	wProfile := func(purpose ocpp.ChargingProfilePurpose, limit float64) ocpp.ChargingProfile {
		return ocpp.ChargingProfile{
			ChargingProfileID: 7, StackLevel: 1, ChargingProfilePurpose: purpose,
			ChargingProfileKind: ocpp.ChargingProfileKindRelative,
			ChargingSchedule: ocpp.ChargingSchedule{
				ChargingRateUnit:       ocpp.ChargingRateUnitW,
				ChargingSchedulePeriod: []ocpp.ChargingSchedulePeriod{{StartPeriod: 0, Limit: limit}},
			},
		}
	}
	startTx := func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS) {
		t.Helper()
		if _, err := c.StartLocal(ctx, 1, "TAG1"); err != nil {
			t.Fatalf("StartLocal: %v", err)
		}
	}
	fault := func(code string) func(*testing.T, context.Context, *Charger, *fakeCS) {
		return func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS) {
			t.Helper()
			if err := c.Fault(ctx, 1, code); err != nil {
				t.Fatalf("Fault: %v", err)
			}
		}
	}
	command := func(action string, req any) func(*testing.T, context.Context, *Charger, *fakeCS) {
		return func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS) {
			t.Helper()
			cs.call(ctx, c.ID(), action, req)
		}
	}
	plug := func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS) {
		t.Helper()
		if err := c.Plug(ctx, 1); err != nil {
			t.Fatalf("Plug: %v", err)
		}
	}

	tests := []struct {
		name   string
		setup  func(*testing.T, context.Context, *Charger, *fakeCS)
		action string
		req    any
		want   string // the status field; "" when the conf has none
		after  func(*testing.T, context.Context, *Charger, *fakeCS, json.RawMessage)
	}{
		{name: "remote start on a free connector", action: ocpp.ActionRemoteStartTransaction,
			req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "TAG1"}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 1, func(k ConnectorState) bool { return k.Status == ocpp.ChargePointStatusCharging && k.TransactionID > 0 })
				evs := cs.eventsOf(c.ID(), ocpp.ActionAuthorize, ocpp.ActionStartTransaction)
				if got := len(evs); got != 1 || evs[0].action != ocpp.ActionStartTransaction {
					t.Errorf("got %d Authorize/StartTransaction CALLs %v, want one StartTransaction (AuthorizeRemoteTxRequests=false)", got, evs)
				}
			}},
		{name: "remote start without connector picks a free one", action: ocpp.ActionRemoteStartTransaction,
			setup: startTx, req: ocpp.RemoteStartTransactionRequest{IDTag: "TAG2"}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 2, func(k ConnectorState) bool { return k.IDTag == "TAG2" && k.TransactionID > 0 })
			}},
		{name: "remote start on a faulted connector", setup: fault("GroundFailure"), action: ocpp.ActionRemoteStartTransaction,
			req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "TAG1"}, want: "Rejected"},
		{name: "remote start on an occupied connector", setup: startTx, action: ocpp.ActionRemoteStartTransaction,
			req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "TAG2"}, want: "Rejected"},
		{name: "remote start on an unavailable connector",
			setup:  command(ocpp.ActionChangeAvailability, ocpp.ChangeAvailabilityRequest{ConnectorID: 1, Type: ocpp.AvailabilityTypeInoperative}),
			action: ocpp.ActionRemoteStartTransaction, req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "TAG1"}, want: "Rejected"},
		{name: "remote start on an unknown connector", action: ocpp.ActionRemoteStartTransaction,
			req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(3), IDTag: "TAG1"}, want: "Rejected"},
		{name: "remote start with a TxProfile caps power", action: ocpp.ActionRemoteStartTransaction,
			req: ocpp.RemoteStartTransactionRequest{ConnectorID: ptr(1), IDTag: "TAG1",
				ChargingProfile: ptr(wProfile(ocpp.ChargingProfilePurposeTxProfile, 2000))}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 1, func(k ConnectorState) bool { return k.TransactionID > 0 && k.LimitW == 2000 && k.PowerW == 2000 })
			}},
		{name: "remote stop of a running transaction", setup: startTx, action: ocpp.ActionRemoteStopTransaction,
			req: ocpp.RemoteStopTransactionRequest{TransactionID: 101}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionStopTransaction, 1))
				stops := filter(evs, ocpp.ActionStopTransaction)
				stop := decode[ocpp.StopTransactionRequest](t, stops[0].payload)
				if stop.Reason != ocpp.ReasonRemote || stop.TransactionID != 101 {
					t.Errorf("got reason %q transaction %d, want Remote 101", stop.Reason, stop.TransactionID)
				}
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusFinishing))
			}},
		{name: "remote stop of an unknown transaction", action: ocpp.ActionRemoteStopTransaction,
			req: ocpp.RemoteStopTransactionRequest{TransactionID: 999}, want: "Rejected"},
		{name: "soft reset stops and reboots", setup: startTx, action: ocpp.ActionReset,
			req: ocpp.ResetRequest{Type: ocpp.ResetTypeSoft}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionBootNotification, 2))
				stops := filter(evs, ocpp.ActionStopTransaction)
				if len(stops) != 1 || decode[ocpp.StopTransactionRequest](t, stops[0].payload).Reason != ocpp.ReasonSoftReset {
					t.Errorf("got StopTransactions %v, want one with reason SoftReset", stops)
				}
			}},
		{name: "hard reset reboots", action: ocpp.ActionReset, req: ocpp.ResetRequest{Type: ocpp.ResetTypeHard}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionBootNotification, 2))
			}},
		{name: "unlock stops the transaction", setup: startTx, action: ocpp.ActionUnlockConnector,
			req: ocpp.UnlockConnectorRequest{ConnectorID: 1}, want: "Unlocked",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionStopTransaction, 1))
				if r := decode[ocpp.StopTransactionRequest](t, filter(evs, ocpp.ActionStopTransaction)[0].payload).Reason; r != ocpp.ReasonUnlockCommand {
					t.Errorf("got reason %q, want UnlockCommand", r)
				}
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusAvailable))
			}},
		{name: "unlock an unknown connector", action: ocpp.ActionUnlockConnector, req: ocpp.UnlockConnectorRequest{ConnectorID: 9}, want: "NotSupported"},
		{name: "unlock with a lock failure", setup: fault("ConnectorLockFailure"), action: ocpp.ActionUnlockConnector,
			req: ocpp.UnlockConnectorRequest{ConnectorID: 1}, want: "UnlockFailed"},
		{name: "inoperative when idle", action: ocpp.ActionChangeAvailability,
			req: ocpp.ChangeAvailabilityRequest{ConnectorID: 1, Type: ocpp.AvailabilityTypeInoperative}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusUnavailable))
			}},
		{name: "inoperative during a transaction is scheduled", setup: startTx, action: ocpp.ActionChangeAvailability,
			req: ocpp.ChangeAvailabilityRequest{ConnectorID: 0, Type: ocpp.AvailabilityTypeInoperative}, want: "Scheduled",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				if err := c.StopLocal(ctx, 1, ""); err != nil {
					t.Fatalf("StopLocal: %v", err)
				}
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusUnavailable))
			}},
		{name: "availability of an unknown connector", action: ocpp.ActionChangeAvailability,
			req: ocpp.ChangeAvailabilityRequest{ConnectorID: 5, Type: ocpp.AvailabilityTypeOperative}, want: "Rejected"},
		{name: "operative again",
			setup:  command(ocpp.ActionChangeAvailability, ocpp.ChangeAvailabilityRequest{ConnectorID: 0, Type: ocpp.AvailabilityTypeInoperative}),
			action: ocpp.ActionChangeAvailability, req: ocpp.ChangeAvailabilityRequest{ConnectorID: 0, Type: ocpp.AvailabilityTypeOperative}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 2, hasStatus(ocpp.ChargePointStatusAvailable))
			}},
		{name: "get configuration", action: ocpp.ActionGetConfiguration,
			req: ocpp.GetConfigurationRequest{Key: []string{"NumberOfConnectors", "NoSuchKey"}},
			after: func(t *testing.T, _ context.Context, _ *Charger, _ *fakeCS, p json.RawMessage) {
				got := decode[ocpp.GetConfigurationResponse](t, p)
				want := ocpp.GetConfigurationResponse{
					ConfigurationKey: []ocpp.KeyValue{{Key: "NumberOfConnectors", Readonly: true, Value: ptr("2")}},
					UnknownKey:       []string{"NoSuchKey"},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("GetConfiguration (-want +got):\n%s", diff)
				}
			}},
		{name: "get all configuration", action: ocpp.ActionGetConfiguration, req: ocpp.GetConfigurationRequest{},
			after: func(t *testing.T, _ context.Context, _ *Charger, _ *fakeCS, p json.RawMessage) {
				got := decode[ocpp.GetConfigurationResponse](t, p)
				if len(got.ConfigurationKey) != len(configKeys()) || len(got.UnknownKey) != 0 {
					t.Errorf("got %d keys and %v unknown, want %d and none", len(got.ConfigurationKey), got.UnknownKey, len(configKeys()))
				}
			}},
		{name: "change heartbeat interval", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "HeartbeatInterval", Value: "120"}, want: "Accepted",
			after: func(t *testing.T, _ context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				if got := c.State().HeartbeatInterval; got != 120*time.Second {
					t.Errorf("got heartbeat interval %s, want 2m0s", got)
				}
			}},
		{name: "change meter interval", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "MeterValueSampleInterval", Value: "30"}, want: "Accepted",
			after: func(t *testing.T, _ context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				if got := c.State().MeterInterval; got != 30*time.Second {
					t.Errorf("got meter interval %s, want 30s", got)
				}
			}},
		{name: "change a read-only key", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "NumberOfConnectors", Value: "4"}, want: "Rejected"},
		{name: "change an unknown key", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "Colour", Value: "red"}, want: "NotSupported"},
		{name: "change with a bad value", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "HeartbeatInterval", Value: "soon"}, want: "Rejected"},
		{name: "change sampled data to an unknown measurand", action: ocpp.ActionChangeConfiguration,
			req: ocpp.ChangeConfigurationRequest{Key: "MeterValuesSampledData", Value: "Energy.Active.Import.Register,Bogus"}, want: "Rejected"},
		{name: "trigger status notification", action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerStatusNotification, ConnectorID: ptr(2)}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionStatusNotification, 4)) // 3 at boot + 1
			}},
		{name: "trigger heartbeat", action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerHeartbeat}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionHeartbeat, 1))
			}},
		{name: "trigger meter values", setup: startTx, action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerMeterValues, ConnectorID: ptr(1)}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), func(evs []csEvent) bool {
					for _, e := range filter(evs, ocpp.ActionMeterValues) {
						mv := decode[ocpp.MeterValuesRequest](t, e.payload)
						if mv.MeterValue[0].SampledValue[0].Context == ocpp.ReadingContextTrigger {
							return true
						}
					}
					return false
				})
			}},
		{name: "trigger boot notification", action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerBootNotification}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionBootNotification, 2))
			}},
		{name: "trigger firmware status", action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerFirmwareStatusNotification}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionFirmwareStatusNotification, 1))
			}},
		{name: "trigger for an unknown connector", action: ocpp.ActionTriggerMessage,
			req: ocpp.TriggerMessageRequest{RequestedMessage: ocpp.MessageTriggerStatusNotification, ConnectorID: ptr(7)}, want: "Rejected"},
		{name: "clear cache", action: ocpp.ActionClearCache, req: ocpp.ClearCacheRequest{}, want: "Accepted"},
		{name: "data transfer", action: ocpp.ActionDataTransfer, req: ocpp.DataTransferRequest{VendorID: "com.example"}, want: "UnknownVendorId"},
		{name: "reserve an available connector", action: ocpp.ActionReserveNow,
			req: ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: future, IDTag: "TAG1", ReservationID: 5}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 1, hasStatus(ocpp.ChargePointStatusReserved))
			}},
		{name: "reserve a faulted connector", setup: fault("HighTemperature"), action: ocpp.ActionReserveNow,
			req: ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: future, IDTag: "TAG1", ReservationID: 5}, want: "Faulted"},
		{name: "reserve an occupied connector", setup: plug, action: ocpp.ActionReserveNow,
			req: ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: future, IDTag: "TAG1", ReservationID: 5}, want: "Occupied"},
		{name: "reserve an unavailable connector",
			setup:  command(ocpp.ActionChangeAvailability, ocpp.ChangeAvailabilityRequest{ConnectorID: 1, Type: ocpp.AvailabilityTypeInoperative}),
			action: ocpp.ActionReserveNow, req: ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: future, IDTag: "TAG1", ReservationID: 5}, want: "Unavailable"},
		{name: "reserve with a past expiry", action: ocpp.ActionReserveNow,
			req: ocpp.ReserveNowRequest{ConnectorID: 1, ExpiryDate: past, IDTag: "TAG1", ReservationID: 5}, want: "Rejected"},
		{name: "reserve the whole charge point", action: ocpp.ActionReserveNow,
			req: ocpp.ReserveNowRequest{ConnectorID: 0, ExpiryDate: future, IDTag: "TAG1", ReservationID: 5}, want: "Rejected"},
		{name: "cancel a reservation",
			setup:  command(ocpp.ActionReserveNow, ocpp.ReserveNowRequest{ConnectorID: 2, ExpiryDate: future, IDTag: "TAG1", ReservationID: 8}),
			action: ocpp.ActionCancelReservation, req: ocpp.CancelReservationRequest{ReservationID: 8}, want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				waitConnector(t, ctx, c, 2, hasStatus(ocpp.ChargePointStatusAvailable))
			}},
		{name: "cancel an unknown reservation", action: ocpp.ActionCancelReservation, req: ocpp.CancelReservationRequest{ReservationID: 8}, want: "Rejected"},
		{name: "set a default profile", action: ocpp.ActionSetChargingProfile,
			req: ocpp.SetChargingProfileRequest{ConnectorID: 0, CsChargingProfiles: wProfile(ocpp.ChargingProfilePurposeTxDefaultProfile, 3000)}, want: "Accepted",
			after: func(t *testing.T, _ context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				if got := c.State().Connectors[1].LimitW; got != 3000 {
					t.Errorf("got limit %d W, want 3000", got)
				}
			}},
		{name: "set a TxProfile without a transaction", action: ocpp.ActionSetChargingProfile,
			req: ocpp.SetChargingProfileRequest{ConnectorID: 1, CsChargingProfiles: wProfile(ocpp.ChargingProfilePurposeTxProfile, 3000)}, want: "Rejected"},
		{name: "set a charge point max profile on a connector", action: ocpp.ActionSetChargingProfile,
			req: ocpp.SetChargingProfileRequest{ConnectorID: 1, CsChargingProfiles: wProfile(ocpp.ChargingProfilePurposeChargePointMaxProfile, 3000)}, want: "Rejected"},
		{name: "clear a profile",
			setup:  command(ocpp.ActionSetChargingProfile, ocpp.SetChargingProfileRequest{ConnectorID: 1, CsChargingProfiles: wProfile(ocpp.ChargingProfilePurposeTxDefaultProfile, 3000)}),
			action: ocpp.ActionClearChargingProfile, req: ocpp.ClearChargingProfileRequest{ID: ptr(7)}, want: "Accepted",
			after: func(t *testing.T, _ context.Context, c *Charger, _ *fakeCS, _ json.RawMessage) {
				if got := c.State().Connectors[0].LimitW; got != -1 {
					t.Errorf("got limit %d W, want none (-1)", got)
				}
			}},
		{name: "clear when no profile matches", action: ocpp.ActionClearChargingProfile, req: ocpp.ClearChargingProfileRequest{}, want: "Unknown"},
		{name: "composite schedule",
			setup:  command(ocpp.ActionSetChargingProfile, ocpp.SetChargingProfileRequest{ConnectorID: 1, CsChargingProfiles: wProfile(ocpp.ChargingProfilePurposeTxDefaultProfile, 3000)}),
			action: ocpp.ActionGetCompositeSchedule, req: ocpp.GetCompositeScheduleRequest{ConnectorID: 1, Duration: 3600}, want: "Accepted",
			after: func(t *testing.T, _ context.Context, _ *Charger, _ *fakeCS, p json.RawMessage) {
				got := decode[ocpp.GetCompositeScheduleResponse](t, p)
				want := []ocpp.ChargingSchedulePeriod{{StartPeriod: 0, Limit: 3000}}
				if diff := cmp.Diff(want, got.ChargingSchedule.ChargingSchedulePeriod); diff != "" {
					t.Errorf("periods (-want +got):\n%s", diff)
				}
			}},
		{name: "composite schedule of an unknown connector", action: ocpp.ActionGetCompositeSchedule,
			req: ocpp.GetCompositeScheduleRequest{ConnectorID: 4, Duration: 60}, want: "Rejected"},
		{name: "send a full local list", action: ocpp.ActionSendLocalList,
			req: ocpp.SendLocalListRequest{ListVersion: 3, UpdateType: ocpp.UpdateTypeFull,
				LocalAuthorizationList: []ocpp.AuthorizationData{{IDTag: "TAG1", IDTagInfo: &ocpp.IdTagInfo{Status: ocpp.AuthorizationStatusAccepted}}}},
			want: "Accepted",
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				got := decode[ocpp.GetLocalListVersionResponse](t, cs.call(ctx, c.ID(), ocpp.ActionGetLocalListVersion, ocpp.GetLocalListVersionRequest{}))
				if got.ListVersion != 3 {
					t.Errorf("got list version %d, want 3", got.ListVersion)
				}
			}},
		{name: "send a stale differential list",
			setup:  command(ocpp.ActionSendLocalList, ocpp.SendLocalListRequest{ListVersion: 3, UpdateType: ocpp.UpdateTypeFull}),
			action: ocpp.ActionSendLocalList, req: ocpp.SendLocalListRequest{ListVersion: 2, UpdateType: ocpp.UpdateTypeDifferential}, want: "VersionMismatch"},
		{name: "update firmware", action: ocpp.ActionUpdateFirmware,
			req: ocpp.UpdateFirmwareRequest{Location: "https://fw.example/cp.bin", RetrieveDate: past},
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, _ json.RawMessage) {
				evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionFirmwareStatusNotification, 4))
				var got []ocpp.FirmwareStatus
				for _, e := range filter(evs, ocpp.ActionFirmwareStatusNotification) {
					got = append(got, decode[ocpp.FirmwareStatusNotificationRequest](t, e.payload).Status)
				}
				want := []ocpp.FirmwareStatus{"Downloading", "Downloaded", "Installing", "Installed"}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("firmware statuses (-want +got):\n%s", diff)
				}
			}},
		{name: "get diagnostics", action: ocpp.ActionGetDiagnostics,
			req: ocpp.GetDiagnosticsRequest{Location: "ftp://diag.example/upload"},
			after: func(t *testing.T, ctx context.Context, c *Charger, cs *fakeCS, p json.RawMessage) {
				if got := decode[ocpp.GetDiagnosticsResponse](t, p).FileName; got == "" {
					t.Errorf("got no file name, want one")
				}
				evs := cs.waitEvents(ctx, c.ID(), countAction(ocpp.ActionDiagnosticsStatusNotification, 2))
				var got []ocpp.DiagnosticsStatus
				for _, e := range filter(evs, ocpp.ActionDiagnosticsStatusNotification) {
					got = append(got, decode[ocpp.DiagnosticsStatusNotificationRequest](t, e.payload).Status)
				}
				if diff := cmp.Diff([]ocpp.DiagnosticsStatus{"Uploading", "Uploaded"}, got); diff != "" {
					t.Errorf("diagnostics statuses (-want +got):\n%s", diff)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cs := newFakeCS(t)
			c := startCharger(t, cs, ChargerSpec{ID: "CP1", Connectors: 2}, testBehaviour(), clock.NewFake(t0))
			if tc.setup != nil {
				tc.setup(t, ctx, c, cs)
			}
			p := cs.call(ctx, c.ID(), tc.action, tc.req)
			if tc.want != "" {
				if got := statusField(t, p); got != tc.want {
					t.Errorf("got status %q, want %q (conf %s)", got, tc.want, p)
				}
			}
			if tc.after != nil {
				tc.after(t, ctx, c, cs, p)
			}
			if got := c.Received(); !slices.Contains(got, tc.action) {
				t.Errorf("Received() = %v, want it to hold %s", got, tc.action)
			}
		})
	}
}

func filter(evs []csEvent, action string) []csEvent {
	var out []csEvent
	for _, e := range evs {
		if e.action == action {
			out = append(out, e)
		}
	}
	return out
}

// TestInvalidServerCall: a schema-invalid command gets the right CALLERROR
// and is kept as a violation.
func TestInvalidServerCall(t *testing.T) {
	tests := []struct {
		name, action, payload string
		want                  ocpp.ErrorCode
	}{
		{"missing field", ocpp.ActionRemoteStopTransaction, `{}`, ocpp.OccurenceConstraintViolation},
		{"wrong type", ocpp.ActionReset, `{"type":1}`, ocpp.TypeConstraintViolation},
		{"bad enum", ocpp.ActionReset, `{"type":"Warm"}`, ocpp.PropertyConstraintViolation},
		{"unknown action", "Teleport", `{}`, ocpp.NotImplemented},
		{"charger-only action", ocpp.ActionHeartbeat, `{}`, ocpp.NotSupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cs := newFakeCS(t)
			c := NewCharger(cs.url(), ChargerSpec{ID: "CP1", Password: "pw-CP1"}, testBehaviour(), clock.NewFake(t0), nil)
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- c.Run(rctx) }()
			defer func() { cancel(); <-done }()
			if err := c.WaitFor(ctx, func(s Snapshot) bool { return s.Online }); err != nil {
				t.Fatal(err)
			}
			f := cs.callRaw(ctx, "CP1", tc.action, tc.payload)
			if f.Type != ocpp.CallError || f.ErrorCode != tc.want {
				t.Errorf("got %s %s, want CALLERROR %s", f.Type, f.ErrorCode, tc.want)
			}
			if got := len(c.State().Violations); got != 1 {
				t.Errorf("got %d violations, want 1", got)
			}
		})
	}
}
