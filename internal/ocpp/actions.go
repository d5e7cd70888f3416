package ocpp

import (
	"reflect"
	"slices"
)

// Role is a side of an OCPP connection.
type Role int

// The two sides of an OCPP connection. RoleUnspecified means "either".
const (
	// RoleUnspecified is no particular side.
	RoleUnspecified Role = iota
	// RoleChargePoint is the charger.
	RoleChargePoint
	// RoleCentralSystem is the server (us).
	RoleCentralSystem
)

// String names the role.
func (r Role) String() string {
	switch r {
	case RoleChargePoint:
		return "charge point"
	case RoleCentralSystem:
		return "central system"
	}
	return "either side"
}

// Action names of OCPP 1.6 and of the 1.6 security extension.
const (
	ActionAuthorize                        = "Authorize"
	ActionBootNotification                 = "BootNotification"
	ActionDataTransfer                     = "DataTransfer"
	ActionDiagnosticsStatusNotification    = "DiagnosticsStatusNotification"
	ActionFirmwareStatusNotification       = "FirmwareStatusNotification"
	ActionHeartbeat                        = "Heartbeat"
	ActionMeterValues                      = "MeterValues"
	ActionStartTransaction                 = "StartTransaction"
	ActionStatusNotification               = "StatusNotification"
	ActionStopTransaction                  = "StopTransaction"
	ActionCancelReservation                = "CancelReservation"
	ActionChangeAvailability               = "ChangeAvailability"
	ActionChangeConfiguration              = "ChangeConfiguration"
	ActionClearCache                       = "ClearCache"
	ActionClearChargingProfile             = "ClearChargingProfile"
	ActionGetCompositeSchedule             = "GetCompositeSchedule"
	ActionGetConfiguration                 = "GetConfiguration"
	ActionGetDiagnostics                   = "GetDiagnostics"
	ActionGetLocalListVersion              = "GetLocalListVersion"
	ActionRemoteStartTransaction           = "RemoteStartTransaction"
	ActionRemoteStopTransaction            = "RemoteStopTransaction"
	ActionReserveNow                       = "ReserveNow"
	ActionReset                            = "Reset"
	ActionSendLocalList                    = "SendLocalList"
	ActionSetChargingProfile               = "SetChargingProfile"
	ActionTriggerMessage                   = "TriggerMessage"
	ActionUnlockConnector                  = "UnlockConnector"
	ActionUpdateFirmware                   = "UpdateFirmware"
	ActionSecurityEventNotification        = "SecurityEventNotification"
	ActionSignCertificate                  = "SignCertificate"
	ActionLogStatusNotification            = "LogStatusNotification"
	ActionSignedFirmwareStatusNotification = "SignedFirmwareStatusNotification"
	ActionCertificateSigned                = "CertificateSigned"
	ActionDeleteCertificate                = "DeleteCertificate"
	ActionExtendedTriggerMessage           = "ExtendedTriggerMessage"
	ActionGetInstalledCertificateIds       = "GetInstalledCertificateIds"
	ActionGetLog                           = "GetLog"
	ActionInstallCertificate               = "InstallCertificate"
	ActionSignedUpdateFirmware             = "SignedUpdateFirmware"
)

// actionDef says who may CALL an action and the Go types of its request
// and confirmation.
type actionDef struct {
	name     string
	caller   Role // RoleUnspecified: both sides
	req, res reflect.Type
}

// def builds an actionDef from the request and confirmation types.
func def[Req, Res any](name string, caller Role) actionDef {
	return actionDef{name: name, caller: caller, req: reflect.TypeFor[Req](), res: reflect.TypeFor[Res]()}
}

// actionDefs lists every action known to the package.
func actionDefs() []actionDef {
	cp, cs := RoleChargePoint, RoleCentralSystem
	return []actionDef{
		def[AuthorizeRequest, AuthorizeResponse](ActionAuthorize, cp),
		def[BootNotificationRequest, BootNotificationResponse](ActionBootNotification, cp),
		def[DataTransferRequest, DataTransferResponse](ActionDataTransfer, RoleUnspecified),
		def[DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse](ActionDiagnosticsStatusNotification, cp),
		def[FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse](ActionFirmwareStatusNotification, cp),
		def[HeartbeatRequest, HeartbeatResponse](ActionHeartbeat, cp),
		def[MeterValuesRequest, MeterValuesResponse](ActionMeterValues, cp),
		def[StartTransactionRequest, StartTransactionResponse](ActionStartTransaction, cp),
		def[StatusNotificationRequest, StatusNotificationResponse](ActionStatusNotification, cp),
		def[StopTransactionRequest, StopTransactionResponse](ActionStopTransaction, cp),
		def[SecurityEventNotificationRequest, SecurityEventNotificationResponse](ActionSecurityEventNotification, cp),
		def[SignCertificateRequest, SignCertificateResponse](ActionSignCertificate, cp),
		def[LogStatusNotificationRequest, LogStatusNotificationResponse](ActionLogStatusNotification, cp),
		def[SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse](ActionSignedFirmwareStatusNotification, cp),

		def[CancelReservationRequest, CancelReservationResponse](ActionCancelReservation, cs),
		def[ChangeAvailabilityRequest, ChangeAvailabilityResponse](ActionChangeAvailability, cs),
		def[ChangeConfigurationRequest, ChangeConfigurationResponse](ActionChangeConfiguration, cs),
		def[ClearCacheRequest, ClearCacheResponse](ActionClearCache, cs),
		def[ClearChargingProfileRequest, ClearChargingProfileResponse](ActionClearChargingProfile, cs),
		def[GetCompositeScheduleRequest, GetCompositeScheduleResponse](ActionGetCompositeSchedule, cs),
		def[GetConfigurationRequest, GetConfigurationResponse](ActionGetConfiguration, cs),
		def[GetDiagnosticsRequest, GetDiagnosticsResponse](ActionGetDiagnostics, cs),
		def[GetLocalListVersionRequest, GetLocalListVersionResponse](ActionGetLocalListVersion, cs),
		def[RemoteStartTransactionRequest, RemoteStartTransactionResponse](ActionRemoteStartTransaction, cs),
		def[RemoteStopTransactionRequest, RemoteStopTransactionResponse](ActionRemoteStopTransaction, cs),
		def[ReserveNowRequest, ReserveNowResponse](ActionReserveNow, cs),
		def[ResetRequest, ResetResponse](ActionReset, cs),
		def[SendLocalListRequest, SendLocalListResponse](ActionSendLocalList, cs),
		def[SetChargingProfileRequest, SetChargingProfileResponse](ActionSetChargingProfile, cs),
		def[TriggerMessageRequest, TriggerMessageResponse](ActionTriggerMessage, cs),
		def[UnlockConnectorRequest, UnlockConnectorResponse](ActionUnlockConnector, cs),
		def[UpdateFirmwareRequest, UpdateFirmwareResponse](ActionUpdateFirmware, cs),
		def[CertificateSignedRequest, CertificateSignedResponse](ActionCertificateSigned, cs),
		def[DeleteCertificateRequest, DeleteCertificateResponse](ActionDeleteCertificate, cs),
		def[ExtendedTriggerMessageRequest, ExtendedTriggerMessageResponse](ActionExtendedTriggerMessage, cs),
		def[GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse](ActionGetInstalledCertificateIds, cs),
		def[GetLogRequest, GetLogResponse](ActionGetLog, cs),
		def[InstallCertificateRequest, InstallCertificateResponse](ActionInstallCertificate, cs),
		def[SignedUpdateFirmwareRequest, SignedUpdateFirmwareResponse](ActionSignedUpdateFirmware, cs),
	}
}

// IsChargePointAction reports whether a charger may CALL the central
// system with action.
func IsChargePointAction(action string) bool {
	a, ok := schemas.actions[action]
	return ok && a.caller != RoleCentralSystem
}

// IsCentralSystemAction reports whether the central system may CALL a
// charger with action.
func IsCentralSystemAction(action string) bool {
	a, ok := schemas.actions[action]
	return ok && a.caller != RoleChargePoint
}

// Actions returns the names of all known actions, sorted.
func Actions() []string {
	names := make([]string, 0, len(schemas.actions))
	for name := range schemas.actions {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// CheckAction says whether sender may CALL action: nil if so, an *Error
// with NotImplemented for an unknown action and NotSupported for a known
// action that goes the other way. RoleUnspecified accepts any known action.
func CheckAction(action string, sender Role) error {
	a, ok := schemas.actions[action]
	if !ok {
		return Errorf(NotImplemented, "unknown action %q", truncate(action, 50))
	}
	if sender != RoleUnspecified && a.caller != RoleUnspecified && a.caller != sender {
		return Errorf(NotSupported, "%s is not sent by the %s", action, sender)
	}
	return nil
}
