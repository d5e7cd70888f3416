package ocpp

import (
	"fmt"
	"testing"
)

// chargePointExamples holds real-looking requests of every action a
// charger may send, as chargers in the field send them.
var chargePointExamples = map[string][]string{
	ActionAuthorize: {`{"idTag":"04A2B3C4D5E6F7"}`},
	ActionBootNotification: {
		`{"chargePointVendor":"ABB","chargePointModel":"Terra AC W22-T-R-0","chargePointSerialNumber":"TACW2242320G0001","firmwareVersion":"1.6.8","iccid":"89860012345678901234","imsi":"460001234567890","meterType":"ABB B23","meterSerialNumber":"M0012345"}`,
		`{"chargePointVendor":"XCharge","chargePointModel":"C6"}`,
	},
	ActionDataTransfer: {
		`{"vendorId":"com.vendor.qrcode","messageId":"QRCode","data":"{\"connectorId\":1,\"url\":\"https://c.example/1\"}"}`,
		`{"vendorId":"generalConfiguration"}`,
	},
	ActionDiagnosticsStatusNotification: {`{"status":"Uploaded"}`},
	ActionFirmwareStatusNotification:    {`{"status":"Installing"}`},
	ActionHeartbeat:                     {`{}`},
	ActionMeterValues: {
		`{"connectorId":1,"transactionId":1042,"meterValue":[{"timestamp":"2024-05-01T08:35:00.000Z","sampledValue":[{"value":"12345","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},{"value":"7.2","measurand":"Power.Active.Import","unit":"kW"},{"value":"31.9","measurand":"Current.Import","phase":"L1","unit":"A"},{"value":"229.8","measurand":"Voltage","phase":"L1-N","unit":"V"},{"value":"41","measurand":"Temperature","location":"Body","unit":"Celcius"},{"value":"64","measurand":"SoC","location":"EV","unit":"Percent"}]}]}`,
		`{"connectorId":0,"meterValue":[{"timestamp":"2024-05-01T08:00:00+08:00","sampledValue":[{"value":"998877","context":"Sample.Clock"}]}]}`,
	},
	ActionStartTransaction: {
		`{"connectorId":1,"idTag":"04A2B3C4D5E6F7","meterStart":12000,"timestamp":"2024-05-01T08:30:00Z"}`,
		`{"connectorId":2,"idTag":"D0C0FFEE","meterStart":0,"reservationId":77,"timestamp":"2024-05-01T08:30:00.123456Z"}`,
	},
	ActionStatusNotification: {
		`{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2024-05-01T08:30:01Z"}`,
		`{"connectorId":0,"errorCode":"OtherError","info":"door open","status":"Faulted","vendorId":"ABB","vendorErrorCode":"E0042"}`,
	},
	ActionStopTransaction: {
		`{"meterStop":19800,"timestamp":"2024-05-01T09:30:00Z","transactionId":1042}`,
		`{"idTag":"04A2B3C4D5E6F7","meterStop":19800,"timestamp":"2024-05-01T09:30:00Z","transactionId":1042,"reason":"EVDisconnected","transactionData":[{"timestamp":"2024-05-01T08:30:00Z","sampledValue":[{"value":"12000","context":"Transaction.Begin"}]},{"timestamp":"2024-05-01T09:30:00Z","sampledValue":[{"value":"19.8","context":"Transaction.End","unit":"kWh"}]}]}`,
	},
	ActionSecurityEventNotification: {`{"type":"StartupOfTheDevice","timestamp":"2024-05-01T08:00:00Z","techInfo":"cold boot"}`},
	ActionSignCertificate:           {`{"csr":"-----BEGIN CERTIFICATE REQUEST-----\nMIIBszCCARwCAQAwczELMAkGA1UEBhMCQ04=\n-----END CERTIFICATE REQUEST-----\n"}`},
	ActionLogStatusNotification:     {`{"status":"Uploading","requestId":3}`, `{"status":"Idle"}`},
	ActionSignedFirmwareStatusNotification: {
		`{"status":"SignatureVerified","requestId":12}`,
	},
}

// marshalOrFatal encodes v.
func marshalOrFatal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := marshalNoEscape(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	return b
}

// typeNameOf names the dynamic type of v.
func typeNameOf(v any) string { return fmt.Sprintf("%T", v) }
