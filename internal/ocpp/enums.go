package ocpp

import "reflect"

// AuthorizationStatus is the status of an idTag in IdTagInfo.
type AuthorizationStatus string

// Values of AuthorizationStatus.
const (
	AuthorizationStatusAccepted     AuthorizationStatus = "Accepted"
	AuthorizationStatusBlocked      AuthorizationStatus = "Blocked"
	AuthorizationStatusExpired      AuthorizationStatus = "Expired"
	AuthorizationStatusInvalid      AuthorizationStatus = "Invalid"
	AuthorizationStatusConcurrentTx AuthorizationStatus = "ConcurrentTx"
)

// RegistrationStatus is the answer to a BootNotification.
type RegistrationStatus string

// Values of RegistrationStatus.
const (
	RegistrationStatusAccepted RegistrationStatus = "Accepted"
	RegistrationStatusPending  RegistrationStatus = "Pending"
	RegistrationStatusRejected RegistrationStatus = "Rejected"
)

// CancelReservationStatus is the answer to a CancelReservation.
type CancelReservationStatus string

// Values of CancelReservationStatus.
const (
	CancelReservationStatusAccepted CancelReservationStatus = "Accepted"
	CancelReservationStatusRejected CancelReservationStatus = "Rejected"
)

// AvailabilityType is the availability asked by a ChangeAvailability.
type AvailabilityType string

// Values of AvailabilityType.
const (
	AvailabilityTypeInoperative AvailabilityType = "Inoperative"
	AvailabilityTypeOperative   AvailabilityType = "Operative"
)

// AvailabilityStatus is the answer to a ChangeAvailability.
type AvailabilityStatus string

// Values of AvailabilityStatus.
const (
	AvailabilityStatusAccepted  AvailabilityStatus = "Accepted"
	AvailabilityStatusRejected  AvailabilityStatus = "Rejected"
	AvailabilityStatusScheduled AvailabilityStatus = "Scheduled"
)

// ConfigurationStatus is the answer to a ChangeConfiguration.
type ConfigurationStatus string

// Values of ConfigurationStatus.
const (
	ConfigurationStatusAccepted       ConfigurationStatus = "Accepted"
	ConfigurationStatusRejected       ConfigurationStatus = "Rejected"
	ConfigurationStatusRebootRequired ConfigurationStatus = "RebootRequired"
	ConfigurationStatusNotSupported   ConfigurationStatus = "NotSupported"
)

// ClearCacheStatus is the answer to a ClearCache.
type ClearCacheStatus string

// Values of ClearCacheStatus.
const (
	ClearCacheStatusAccepted ClearCacheStatus = "Accepted"
	ClearCacheStatusRejected ClearCacheStatus = "Rejected"
)

// ChargingProfilePurpose is the what a charging profile limits.
type ChargingProfilePurpose string

// Values of ChargingProfilePurpose.
const (
	ChargingProfilePurposeChargePointMaxProfile ChargingProfilePurpose = "ChargePointMaxProfile"
	ChargingProfilePurposeTxDefaultProfile      ChargingProfilePurpose = "TxDefaultProfile"
	ChargingProfilePurposeTxProfile             ChargingProfilePurpose = "TxProfile"
)

// ClearChargingProfileStatus is the answer to a ClearChargingProfile.
type ClearChargingProfileStatus string

// Values of ClearChargingProfileStatus.
const (
	ClearChargingProfileStatusAccepted ClearChargingProfileStatus = "Accepted"
	ClearChargingProfileStatusUnknown  ClearChargingProfileStatus = "Unknown"
)

// DataTransferStatus is the answer to a DataTransfer.
type DataTransferStatus string

// Values of DataTransferStatus.
const (
	DataTransferStatusAccepted         DataTransferStatus = "Accepted"
	DataTransferStatusRejected         DataTransferStatus = "Rejected"
	DataTransferStatusUnknownMessageId DataTransferStatus = "UnknownMessageId"
	DataTransferStatusUnknownVendorId  DataTransferStatus = "UnknownVendorId"
)

// DiagnosticsStatus is the progress of a diagnostics upload.
type DiagnosticsStatus string

// Values of DiagnosticsStatus.
const (
	DiagnosticsStatusIdle         DiagnosticsStatus = "Idle"
	DiagnosticsStatusUploaded     DiagnosticsStatus = "Uploaded"
	DiagnosticsStatusUploadFailed DiagnosticsStatus = "UploadFailed"
	DiagnosticsStatusUploading    DiagnosticsStatus = "Uploading"
)

// FirmwareStatus is the progress of a firmware update (OCPP 1.6 core).
type FirmwareStatus string

// Values of FirmwareStatus.
const (
	FirmwareStatusDownloaded         FirmwareStatus = "Downloaded"
	FirmwareStatusDownloadFailed     FirmwareStatus = "DownloadFailed"
	FirmwareStatusDownloading        FirmwareStatus = "Downloading"
	FirmwareStatusIdle               FirmwareStatus = "Idle"
	FirmwareStatusInstallationFailed FirmwareStatus = "InstallationFailed"
	FirmwareStatusInstalling         FirmwareStatus = "Installing"
	FirmwareStatusInstalled          FirmwareStatus = "Installed"
)

// ChargingRateUnit is the unit of a charging schedule's limits: W or A.
type ChargingRateUnit string

// Values of ChargingRateUnit.
const (
	ChargingRateUnitW ChargingRateUnit = "W"
	ChargingRateUnitA ChargingRateUnit = "A"
)

// GetCompositeScheduleStatus is the answer to a GetCompositeSchedule.
type GetCompositeScheduleStatus string

// Values of GetCompositeScheduleStatus.
const (
	GetCompositeScheduleStatusAccepted GetCompositeScheduleStatus = "Accepted"
	GetCompositeScheduleStatusRejected GetCompositeScheduleStatus = "Rejected"
)

// ReadingContext is the why a meter value was sampled.
type ReadingContext string

// Values of ReadingContext.
const (
	ReadingContextInterruptionBegin ReadingContext = "Interruption.Begin"
	ReadingContextInterruptionEnd   ReadingContext = "Interruption.End"
	ReadingContextOther             ReadingContext = "Other"
	ReadingContextSampleClock       ReadingContext = "Sample.Clock"
	ReadingContextSamplePeriodic    ReadingContext = "Sample.Periodic"
	ReadingContextTransactionBegin  ReadingContext = "Transaction.Begin"
	ReadingContextTransactionEnd    ReadingContext = "Transaction.End"
	ReadingContextTrigger           ReadingContext = "Trigger"
)

// ValueFormat is the whether a sampled value is a number or signed data.
type ValueFormat string

// Values of ValueFormat.
const (
	ValueFormatRaw        ValueFormat = "Raw"
	ValueFormatSignedData ValueFormat = "SignedData"
)

// Measurand is the what a sampled value measures.
type Measurand string

// Values of Measurand.
const (
	MeasurandCurrentExport                Measurand = "Current.Export"
	MeasurandCurrentImport                Measurand = "Current.Import"
	MeasurandCurrentOffered               Measurand = "Current.Offered"
	MeasurandEnergyActiveExportRegister   Measurand = "Energy.Active.Export.Register"
	MeasurandEnergyActiveImportRegister   Measurand = "Energy.Active.Import.Register"
	MeasurandEnergyReactiveExportRegister Measurand = "Energy.Reactive.Export.Register"
	MeasurandEnergyReactiveImportRegister Measurand = "Energy.Reactive.Import.Register"
	MeasurandEnergyActiveExportInterval   Measurand = "Energy.Active.Export.Interval"
	MeasurandEnergyActiveImportInterval   Measurand = "Energy.Active.Import.Interval"
	MeasurandEnergyReactiveExportInterval Measurand = "Energy.Reactive.Export.Interval"
	MeasurandEnergyReactiveImportInterval Measurand = "Energy.Reactive.Import.Interval"
	MeasurandFrequency                    Measurand = "Frequency"
	MeasurandPowerActiveExport            Measurand = "Power.Active.Export"
	MeasurandPowerActiveImport            Measurand = "Power.Active.Import"
	MeasurandPowerFactor                  Measurand = "Power.Factor"
	MeasurandPowerOffered                 Measurand = "Power.Offered"
	MeasurandPowerReactiveExport          Measurand = "Power.Reactive.Export"
	MeasurandPowerReactiveImport          Measurand = "Power.Reactive.Import"
	MeasurandRPM                          Measurand = "RPM"
	MeasurandSoC                          Measurand = "SoC"
	MeasurandTemperature                  Measurand = "Temperature"
	MeasurandVoltage                      Measurand = "Voltage"
)

// Phase is the which phase a sampled value is about.
type Phase string

// Values of Phase.
const (
	PhaseL1   Phase = "L1"
	PhaseL2   Phase = "L2"
	PhaseL3   Phase = "L3"
	PhaseN    Phase = "N"
	PhaseL1N  Phase = "L1-N"
	PhaseL2N  Phase = "L2-N"
	PhaseL3N  Phase = "L3-N"
	PhaseL1L2 Phase = "L1-L2"
	PhaseL2L3 Phase = "L2-L3"
	PhaseL3L1 Phase = "L3-L1"
)

// Location is the where a sampled value is measured.
type Location string

// Values of Location.
const (
	LocationBody   Location = "Body"
	LocationCable  Location = "Cable"
	LocationEV     Location = "EV"
	LocationInlet  Location = "Inlet"
	LocationOutlet Location = "Outlet"
)

// UnitOfMeasure is the unit of a sampled value.
type UnitOfMeasure string

// Values of UnitOfMeasure.
const (
	UnitOfMeasureWh         UnitOfMeasure = "Wh"
	UnitOfMeasurekWh        UnitOfMeasure = "kWh"
	UnitOfMeasurevarh       UnitOfMeasure = "varh"
	UnitOfMeasurekvarh      UnitOfMeasure = "kvarh"
	UnitOfMeasureW          UnitOfMeasure = "W"
	UnitOfMeasurekW         UnitOfMeasure = "kW"
	UnitOfMeasureVA         UnitOfMeasure = "VA"
	UnitOfMeasurekVA        UnitOfMeasure = "kVA"
	UnitOfMeasurevar        UnitOfMeasure = "var"
	UnitOfMeasurekvar       UnitOfMeasure = "kvar"
	UnitOfMeasureA          UnitOfMeasure = "A"
	UnitOfMeasureV          UnitOfMeasure = "V"
	UnitOfMeasureCelsius    UnitOfMeasure = "Celsius"
	UnitOfMeasureCelcius    UnitOfMeasure = "Celcius"
	UnitOfMeasureFahrenheit UnitOfMeasure = "Fahrenheit"
	UnitOfMeasureK          UnitOfMeasure = "K"
	UnitOfMeasurePercent    UnitOfMeasure = "Percent"
)

// RemoteStartStopStatus is the answer to a RemoteStartTransaction or RemoteStopTransaction.
type RemoteStartStopStatus string

// Values of RemoteStartStopStatus.
const (
	RemoteStartStopStatusAccepted RemoteStartStopStatus = "Accepted"
	RemoteStartStopStatusRejected RemoteStartStopStatus = "Rejected"
)

// ChargingProfileKind is the how a charging schedule's start is fixed.
type ChargingProfileKind string

// Values of ChargingProfileKind.
const (
	ChargingProfileKindAbsolute  ChargingProfileKind = "Absolute"
	ChargingProfileKindRecurring ChargingProfileKind = "Recurring"
	ChargingProfileKindRelative  ChargingProfileKind = "Relative"
)

// RecurrencyKind is the period of a recurring charging profile.
type RecurrencyKind string

// Values of RecurrencyKind.
const (
	RecurrencyKindDaily  RecurrencyKind = "Daily"
	RecurrencyKindWeekly RecurrencyKind = "Weekly"
)

// ReservationStatus is the answer to a ReserveNow.
type ReservationStatus string

// Values of ReservationStatus.
const (
	ReservationStatusAccepted    ReservationStatus = "Accepted"
	ReservationStatusFaulted     ReservationStatus = "Faulted"
	ReservationStatusOccupied    ReservationStatus = "Occupied"
	ReservationStatusRejected    ReservationStatus = "Rejected"
	ReservationStatusUnavailable ReservationStatus = "Unavailable"
)

// ResetType is the kind of reset asked by a Reset.
type ResetType string

// Values of ResetType.
const (
	ResetTypeHard ResetType = "Hard"
	ResetTypeSoft ResetType = "Soft"
)

// ResetStatus is the answer to a Reset.
type ResetStatus string

// Values of ResetStatus.
const (
	ResetStatusAccepted ResetStatus = "Accepted"
	ResetStatusRejected ResetStatus = "Rejected"
)

// UpdateType is the whether a SendLocalList is full or differential.
type UpdateType string

// Values of UpdateType.
const (
	UpdateTypeDifferential UpdateType = "Differential"
	UpdateTypeFull         UpdateType = "Full"
)

// UpdateStatus is the answer to a SendLocalList.
type UpdateStatus string

// Values of UpdateStatus.
const (
	UpdateStatusAccepted        UpdateStatus = "Accepted"
	UpdateStatusFailed          UpdateStatus = "Failed"
	UpdateStatusNotSupported    UpdateStatus = "NotSupported"
	UpdateStatusVersionMismatch UpdateStatus = "VersionMismatch"
)

// ChargingProfileStatus is the answer to a SetChargingProfile.
type ChargingProfileStatus string

// Values of ChargingProfileStatus.
const (
	ChargingProfileStatusAccepted     ChargingProfileStatus = "Accepted"
	ChargingProfileStatusRejected     ChargingProfileStatus = "Rejected"
	ChargingProfileStatusNotSupported ChargingProfileStatus = "NotSupported"
)

// ChargePointErrorCode is the error reported in a StatusNotification.
type ChargePointErrorCode string

// Values of ChargePointErrorCode.
const (
	ChargePointErrorCodeConnectorLockFailure ChargePointErrorCode = "ConnectorLockFailure"
	ChargePointErrorCodeEVCommunicationError ChargePointErrorCode = "EVCommunicationError"
	ChargePointErrorCodeGroundFailure        ChargePointErrorCode = "GroundFailure"
	ChargePointErrorCodeHighTemperature      ChargePointErrorCode = "HighTemperature"
	ChargePointErrorCodeInternalError        ChargePointErrorCode = "InternalError"
	ChargePointErrorCodeLocalListConflict    ChargePointErrorCode = "LocalListConflict"
	ChargePointErrorCodeNoError              ChargePointErrorCode = "NoError"
	ChargePointErrorCodeOtherError           ChargePointErrorCode = "OtherError"
	ChargePointErrorCodeOverCurrentFailure   ChargePointErrorCode = "OverCurrentFailure"
	ChargePointErrorCodePowerMeterFailure    ChargePointErrorCode = "PowerMeterFailure"
	ChargePointErrorCodePowerSwitchFailure   ChargePointErrorCode = "PowerSwitchFailure"
	ChargePointErrorCodeReaderFailure        ChargePointErrorCode = "ReaderFailure"
	ChargePointErrorCodeResetFailure         ChargePointErrorCode = "ResetFailure"
	ChargePointErrorCodeUnderVoltage         ChargePointErrorCode = "UnderVoltage"
	ChargePointErrorCodeOverVoltage          ChargePointErrorCode = "OverVoltage"
	ChargePointErrorCodeWeakSignal           ChargePointErrorCode = "WeakSignal"
)

// ChargePointStatus is the status of a connector (or of connector 0, the charge point) in a StatusNotification.
type ChargePointStatus string

// Values of ChargePointStatus.
const (
	ChargePointStatusAvailable     ChargePointStatus = "Available"
	ChargePointStatusPreparing     ChargePointStatus = "Preparing"
	ChargePointStatusCharging      ChargePointStatus = "Charging"
	ChargePointStatusSuspendedEVSE ChargePointStatus = "SuspendedEVSE"
	ChargePointStatusSuspendedEV   ChargePointStatus = "SuspendedEV"
	ChargePointStatusFinishing     ChargePointStatus = "Finishing"
	ChargePointStatusReserved      ChargePointStatus = "Reserved"
	ChargePointStatusUnavailable   ChargePointStatus = "Unavailable"
	ChargePointStatusFaulted       ChargePointStatus = "Faulted"
)

// Reason is the why a transaction stopped; absent means Local.
type Reason string

// Values of Reason.
const (
	ReasonEmergencyStop  Reason = "EmergencyStop"
	ReasonEVDisconnected Reason = "EVDisconnected"
	ReasonHardReset      Reason = "HardReset"
	ReasonLocal          Reason = "Local"
	ReasonOther          Reason = "Other"
	ReasonPowerLoss      Reason = "PowerLoss"
	ReasonReboot         Reason = "Reboot"
	ReasonRemote         Reason = "Remote"
	ReasonSoftReset      Reason = "SoftReset"
	ReasonUnlockCommand  Reason = "UnlockCommand"
	ReasonDeAuthorized   Reason = "DeAuthorized"
)

// MessageTrigger is the message asked for by a TriggerMessage.
type MessageTrigger string

// Values of MessageTrigger.
const (
	MessageTriggerBootNotification              MessageTrigger = "BootNotification"
	MessageTriggerDiagnosticsStatusNotification MessageTrigger = "DiagnosticsStatusNotification"
	MessageTriggerFirmwareStatusNotification    MessageTrigger = "FirmwareStatusNotification"
	MessageTriggerHeartbeat                     MessageTrigger = "Heartbeat"
	MessageTriggerMeterValues                   MessageTrigger = "MeterValues"
	MessageTriggerStatusNotification            MessageTrigger = "StatusNotification"
)

// TriggerMessageStatus is the answer to a TriggerMessage or ExtendedTriggerMessage.
type TriggerMessageStatus string

// Values of TriggerMessageStatus.
const (
	TriggerMessageStatusAccepted       TriggerMessageStatus = "Accepted"
	TriggerMessageStatusRejected       TriggerMessageStatus = "Rejected"
	TriggerMessageStatusNotImplemented TriggerMessageStatus = "NotImplemented"
)

// UnlockStatus is the answer to an UnlockConnector.
type UnlockStatus string

// Values of UnlockStatus.
const (
	UnlockStatusUnlocked     UnlockStatus = "Unlocked"
	UnlockStatusUnlockFailed UnlockStatus = "UnlockFailed"
	UnlockStatusNotSupported UnlockStatus = "NotSupported"
)

// enumValues lists the allowed values of every enum type: this table is
// the enum part of the schema. Schema compilation reads it once.
func enumValues() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[AuthorizationStatus]():           strs(AuthorizationStatusAccepted, AuthorizationStatusBlocked, AuthorizationStatusExpired, AuthorizationStatusInvalid, AuthorizationStatusConcurrentTx),
		reflect.TypeFor[RegistrationStatus]():            strs(RegistrationStatusAccepted, RegistrationStatusPending, RegistrationStatusRejected),
		reflect.TypeFor[CancelReservationStatus]():       strs(CancelReservationStatusAccepted, CancelReservationStatusRejected),
		reflect.TypeFor[AvailabilityType]():              strs(AvailabilityTypeInoperative, AvailabilityTypeOperative),
		reflect.TypeFor[AvailabilityStatus]():            strs(AvailabilityStatusAccepted, AvailabilityStatusRejected, AvailabilityStatusScheduled),
		reflect.TypeFor[ConfigurationStatus]():           strs(ConfigurationStatusAccepted, ConfigurationStatusRejected, ConfigurationStatusRebootRequired, ConfigurationStatusNotSupported),
		reflect.TypeFor[ClearCacheStatus]():              strs(ClearCacheStatusAccepted, ClearCacheStatusRejected),
		reflect.TypeFor[ChargingProfilePurpose]():        strs(ChargingProfilePurposeChargePointMaxProfile, ChargingProfilePurposeTxDefaultProfile, ChargingProfilePurposeTxProfile),
		reflect.TypeFor[ClearChargingProfileStatus]():    strs(ClearChargingProfileStatusAccepted, ClearChargingProfileStatusUnknown),
		reflect.TypeFor[DataTransferStatus]():            strs(DataTransferStatusAccepted, DataTransferStatusRejected, DataTransferStatusUnknownMessageId, DataTransferStatusUnknownVendorId),
		reflect.TypeFor[DiagnosticsStatus]():             strs(DiagnosticsStatusIdle, DiagnosticsStatusUploaded, DiagnosticsStatusUploadFailed, DiagnosticsStatusUploading),
		reflect.TypeFor[FirmwareStatus]():                strs(FirmwareStatusDownloaded, FirmwareStatusDownloadFailed, FirmwareStatusDownloading, FirmwareStatusIdle, FirmwareStatusInstallationFailed, FirmwareStatusInstalling, FirmwareStatusInstalled),
		reflect.TypeFor[ChargingRateUnit]():              strs(ChargingRateUnitW, ChargingRateUnitA),
		reflect.TypeFor[GetCompositeScheduleStatus]():    strs(GetCompositeScheduleStatusAccepted, GetCompositeScheduleStatusRejected),
		reflect.TypeFor[ReadingContext]():                strs(ReadingContextInterruptionBegin, ReadingContextInterruptionEnd, ReadingContextOther, ReadingContextSampleClock, ReadingContextSamplePeriodic, ReadingContextTransactionBegin, ReadingContextTransactionEnd, ReadingContextTrigger),
		reflect.TypeFor[ValueFormat]():                   strs(ValueFormatRaw, ValueFormatSignedData),
		reflect.TypeFor[Measurand]():                     strs(MeasurandCurrentExport, MeasurandCurrentImport, MeasurandCurrentOffered, MeasurandEnergyActiveExportRegister, MeasurandEnergyActiveImportRegister, MeasurandEnergyReactiveExportRegister, MeasurandEnergyReactiveImportRegister, MeasurandEnergyActiveExportInterval, MeasurandEnergyActiveImportInterval, MeasurandEnergyReactiveExportInterval, MeasurandEnergyReactiveImportInterval, MeasurandFrequency, MeasurandPowerActiveExport, MeasurandPowerActiveImport, MeasurandPowerFactor, MeasurandPowerOffered, MeasurandPowerReactiveExport, MeasurandPowerReactiveImport, MeasurandRPM, MeasurandSoC, MeasurandTemperature, MeasurandVoltage),
		reflect.TypeFor[Phase]():                         strs(PhaseL1, PhaseL2, PhaseL3, PhaseN, PhaseL1N, PhaseL2N, PhaseL3N, PhaseL1L2, PhaseL2L3, PhaseL3L1),
		reflect.TypeFor[Location]():                      strs(LocationBody, LocationCable, LocationEV, LocationInlet, LocationOutlet),
		reflect.TypeFor[UnitOfMeasure]():                 strs(UnitOfMeasureWh, UnitOfMeasurekWh, UnitOfMeasurevarh, UnitOfMeasurekvarh, UnitOfMeasureW, UnitOfMeasurekW, UnitOfMeasureVA, UnitOfMeasurekVA, UnitOfMeasurevar, UnitOfMeasurekvar, UnitOfMeasureA, UnitOfMeasureV, UnitOfMeasureCelsius, UnitOfMeasureCelcius, UnitOfMeasureFahrenheit, UnitOfMeasureK, UnitOfMeasurePercent),
		reflect.TypeFor[RemoteStartStopStatus]():         strs(RemoteStartStopStatusAccepted, RemoteStartStopStatusRejected),
		reflect.TypeFor[ChargingProfileKind]():           strs(ChargingProfileKindAbsolute, ChargingProfileKindRecurring, ChargingProfileKindRelative),
		reflect.TypeFor[RecurrencyKind]():                strs(RecurrencyKindDaily, RecurrencyKindWeekly),
		reflect.TypeFor[ReservationStatus]():             strs(ReservationStatusAccepted, ReservationStatusFaulted, ReservationStatusOccupied, ReservationStatusRejected, ReservationStatusUnavailable),
		reflect.TypeFor[ResetType]():                     strs(ResetTypeHard, ResetTypeSoft),
		reflect.TypeFor[ResetStatus]():                   strs(ResetStatusAccepted, ResetStatusRejected),
		reflect.TypeFor[UpdateType]():                    strs(UpdateTypeDifferential, UpdateTypeFull),
		reflect.TypeFor[UpdateStatus]():                  strs(UpdateStatusAccepted, UpdateStatusFailed, UpdateStatusNotSupported, UpdateStatusVersionMismatch),
		reflect.TypeFor[ChargingProfileStatus]():         strs(ChargingProfileStatusAccepted, ChargingProfileStatusRejected, ChargingProfileStatusNotSupported),
		reflect.TypeFor[ChargePointErrorCode]():          strs(ChargePointErrorCodeConnectorLockFailure, ChargePointErrorCodeEVCommunicationError, ChargePointErrorCodeGroundFailure, ChargePointErrorCodeHighTemperature, ChargePointErrorCodeInternalError, ChargePointErrorCodeLocalListConflict, ChargePointErrorCodeNoError, ChargePointErrorCodeOtherError, ChargePointErrorCodeOverCurrentFailure, ChargePointErrorCodePowerMeterFailure, ChargePointErrorCodePowerSwitchFailure, ChargePointErrorCodeReaderFailure, ChargePointErrorCodeResetFailure, ChargePointErrorCodeUnderVoltage, ChargePointErrorCodeOverVoltage, ChargePointErrorCodeWeakSignal),
		reflect.TypeFor[ChargePointStatus]():             strs(ChargePointStatusAvailable, ChargePointStatusPreparing, ChargePointStatusCharging, ChargePointStatusSuspendedEVSE, ChargePointStatusSuspendedEV, ChargePointStatusFinishing, ChargePointStatusReserved, ChargePointStatusUnavailable, ChargePointStatusFaulted),
		reflect.TypeFor[Reason]():                        strs(ReasonEmergencyStop, ReasonEVDisconnected, ReasonHardReset, ReasonLocal, ReasonOther, ReasonPowerLoss, ReasonReboot, ReasonRemote, ReasonSoftReset, ReasonUnlockCommand, ReasonDeAuthorized),
		reflect.TypeFor[MessageTrigger]():                strs(MessageTriggerBootNotification, MessageTriggerDiagnosticsStatusNotification, MessageTriggerFirmwareStatusNotification, MessageTriggerHeartbeat, MessageTriggerMeterValues, MessageTriggerStatusNotification),
		reflect.TypeFor[TriggerMessageStatus]():          strs(TriggerMessageStatusAccepted, TriggerMessageStatusRejected, TriggerMessageStatusNotImplemented),
		reflect.TypeFor[UnlockStatus]():                  strs(UnlockStatusUnlocked, UnlockStatusUnlockFailed, UnlockStatusNotSupported),
		reflect.TypeFor[CertificateSignedStatus]():       strs(CertificateSignedStatusAccepted, CertificateSignedStatusRejected),
		reflect.TypeFor[HashAlgorithm]():                 strs(HashAlgorithmSHA256, HashAlgorithmSHA384, HashAlgorithmSHA512),
		reflect.TypeFor[DeleteCertificateStatus]():       strs(DeleteCertificateStatusAccepted, DeleteCertificateStatusFailed, DeleteCertificateStatusNotFound),
		reflect.TypeFor[ExtendedMessageTrigger]():        strs(ExtendedMessageTriggerBootNotification, ExtendedMessageTriggerLogStatusNotification, ExtendedMessageTriggerFirmwareStatusNotification, ExtendedMessageTriggerHeartbeat, ExtendedMessageTriggerMeterValues, ExtendedMessageTriggerSignChargePointCertificate, ExtendedMessageTriggerStatusNotification),
		reflect.TypeFor[CertificateUse]():                strs(CertificateUseCentralSystemRootCertificate, CertificateUseManufacturerRootCertificate),
		reflect.TypeFor[GetInstalledCertificateStatus](): strs(GetInstalledCertificateStatusAccepted, GetInstalledCertificateStatusNotFound),
		reflect.TypeFor[LogType]():                       strs(LogTypeDiagnosticsLog, LogTypeSecurityLog),
		reflect.TypeFor[LogStatus]():                     strs(LogStatusAccepted, LogStatusRejected, LogStatusAcceptedCanceled),
		reflect.TypeFor[InstallCertificateStatus]():      strs(InstallCertificateStatusAccepted, InstallCertificateStatusFailed, InstallCertificateStatusRejected),
		reflect.TypeFor[UploadLogStatus]():               strs(UploadLogStatusBadMessage, UploadLogStatusIdle, UploadLogStatusNotSupportedOperation, UploadLogStatusPermissionDenied, UploadLogStatusUploaded, UploadLogStatusUploadFailure, UploadLogStatusUploading),
		reflect.TypeFor[GenericStatus]():                 strs(GenericStatusAccepted, GenericStatusRejected),
		reflect.TypeFor[SignedFirmwareStatus]():          strs(SignedFirmwareStatusDownloaded, SignedFirmwareStatusDownloadFailed, SignedFirmwareStatusDownloading, SignedFirmwareStatusDownloadScheduled, SignedFirmwareStatusDownloadPaused, SignedFirmwareStatusIdle, SignedFirmwareStatusInstallationFailed, SignedFirmwareStatusInstalling, SignedFirmwareStatusInstalled, SignedFirmwareStatusInstallRebooting, SignedFirmwareStatusInstallScheduled, SignedFirmwareStatusInstallVerificationFailed, SignedFirmwareStatusInvalidSignature, SignedFirmwareStatusSignatureVerified),
		reflect.TypeFor[UpdateFirmwareStatus]():          strs(UpdateFirmwareStatusAccepted, UpdateFirmwareStatusRejected, UpdateFirmwareStatusAcceptedCanceled, UpdateFirmwareStatusInvalidCertificate, UpdateFirmwareStatusRevokedCertificate),
	}
}

// strs converts enum constants to strings.
func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
