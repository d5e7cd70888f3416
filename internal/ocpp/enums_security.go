package ocpp

// CertificateSignedStatus is the answer to a CertificateSigned (security extension).
type CertificateSignedStatus string

// Values of CertificateSignedStatus.
const (
	CertificateSignedStatusAccepted CertificateSignedStatus = "Accepted"
	CertificateSignedStatusRejected CertificateSignedStatus = "Rejected"
)

// HashAlgorithm is the hash algorithm of CertificateHashData (security extension).
type HashAlgorithm string

// Values of HashAlgorithm.
const (
	HashAlgorithmSHA256 HashAlgorithm = "SHA256"
	HashAlgorithmSHA384 HashAlgorithm = "SHA384"
	HashAlgorithmSHA512 HashAlgorithm = "SHA512"
)

// DeleteCertificateStatus is the answer to a DeleteCertificate (security extension).
type DeleteCertificateStatus string

// Values of DeleteCertificateStatus.
const (
	DeleteCertificateStatusAccepted DeleteCertificateStatus = "Accepted"
	DeleteCertificateStatusFailed   DeleteCertificateStatus = "Failed"
	DeleteCertificateStatusNotFound DeleteCertificateStatus = "NotFound"
)

// ExtendedMessageTrigger is the message asked for by an ExtendedTriggerMessage (security extension).
type ExtendedMessageTrigger string

// Values of ExtendedMessageTrigger.
const (
	ExtendedMessageTriggerBootNotification           ExtendedMessageTrigger = "BootNotification"
	ExtendedMessageTriggerLogStatusNotification      ExtendedMessageTrigger = "LogStatusNotification"
	ExtendedMessageTriggerFirmwareStatusNotification ExtendedMessageTrigger = "FirmwareStatusNotification"
	ExtendedMessageTriggerHeartbeat                  ExtendedMessageTrigger = "Heartbeat"
	ExtendedMessageTriggerMeterValues                ExtendedMessageTrigger = "MeterValues"
	ExtendedMessageTriggerSignChargePointCertificate ExtendedMessageTrigger = "SignChargePointCertificate"
	ExtendedMessageTriggerStatusNotification         ExtendedMessageTrigger = "StatusNotification"
)

// CertificateUse is the kind of root certificate (security extension).
type CertificateUse string

// Values of CertificateUse.
const (
	CertificateUseCentralSystemRootCertificate CertificateUse = "CentralSystemRootCertificate"
	CertificateUseManufacturerRootCertificate  CertificateUse = "ManufacturerRootCertificate"
)

// GetInstalledCertificateStatus is the answer to a GetInstalledCertificateIds (security extension).
type GetInstalledCertificateStatus string

// Values of GetInstalledCertificateStatus.
const (
	GetInstalledCertificateStatusAccepted GetInstalledCertificateStatus = "Accepted"
	GetInstalledCertificateStatusNotFound GetInstalledCertificateStatus = "NotFound"
)

// LogType is the kind of log asked by a GetLog (security extension).
type LogType string

// Values of LogType.
const (
	LogTypeDiagnosticsLog LogType = "DiagnosticsLog"
	LogTypeSecurityLog    LogType = "SecurityLog"
)

// LogStatus is the answer to a GetLog (security extension).
type LogStatus string

// Values of LogStatus.
const (
	LogStatusAccepted         LogStatus = "Accepted"
	LogStatusRejected         LogStatus = "Rejected"
	LogStatusAcceptedCanceled LogStatus = "AcceptedCanceled"
)

// InstallCertificateStatus is the answer to an InstallCertificate (security extension).
type InstallCertificateStatus string

// Values of InstallCertificateStatus.
const (
	InstallCertificateStatusAccepted InstallCertificateStatus = "Accepted"
	InstallCertificateStatusFailed   InstallCertificateStatus = "Failed"
	InstallCertificateStatusRejected InstallCertificateStatus = "Rejected"
)

// UploadLogStatus is the progress of a log upload (security extension).
type UploadLogStatus string

// Values of UploadLogStatus.
const (
	UploadLogStatusBadMessage            UploadLogStatus = "BadMessage"
	UploadLogStatusIdle                  UploadLogStatus = "Idle"
	UploadLogStatusNotSupportedOperation UploadLogStatus = "NotSupportedOperation"
	UploadLogStatusPermissionDenied      UploadLogStatus = "PermissionDenied"
	UploadLogStatusUploaded              UploadLogStatus = "Uploaded"
	UploadLogStatusUploadFailure         UploadLogStatus = "UploadFailure"
	UploadLogStatusUploading             UploadLogStatus = "Uploading"
)

// GenericStatus is the answer to a SignCertificate (security extension).
type GenericStatus string

// Values of GenericStatus.
const (
	GenericStatusAccepted GenericStatus = "Accepted"
	GenericStatusRejected GenericStatus = "Rejected"
)

// SignedFirmwareStatus is the progress of a signed firmware update (security extension).
type SignedFirmwareStatus string

// Values of SignedFirmwareStatus.
const (
	SignedFirmwareStatusDownloaded                SignedFirmwareStatus = "Downloaded"
	SignedFirmwareStatusDownloadFailed            SignedFirmwareStatus = "DownloadFailed"
	SignedFirmwareStatusDownloading               SignedFirmwareStatus = "Downloading"
	SignedFirmwareStatusDownloadScheduled         SignedFirmwareStatus = "DownloadScheduled"
	SignedFirmwareStatusDownloadPaused            SignedFirmwareStatus = "DownloadPaused"
	SignedFirmwareStatusIdle                      SignedFirmwareStatus = "Idle"
	SignedFirmwareStatusInstallationFailed        SignedFirmwareStatus = "InstallationFailed"
	SignedFirmwareStatusInstalling                SignedFirmwareStatus = "Installing"
	SignedFirmwareStatusInstalled                 SignedFirmwareStatus = "Installed"
	SignedFirmwareStatusInstallRebooting          SignedFirmwareStatus = "InstallRebooting"
	SignedFirmwareStatusInstallScheduled          SignedFirmwareStatus = "InstallScheduled"
	SignedFirmwareStatusInstallVerificationFailed SignedFirmwareStatus = "InstallVerificationFailed"
	SignedFirmwareStatusInvalidSignature          SignedFirmwareStatus = "InvalidSignature"
	SignedFirmwareStatusSignatureVerified         SignedFirmwareStatus = "SignatureVerified"
)

// UpdateFirmwareStatus is the answer to a SignedUpdateFirmware (security extension).
type UpdateFirmwareStatus string

// Values of UpdateFirmwareStatus.
const (
	UpdateFirmwareStatusAccepted           UpdateFirmwareStatus = "Accepted"
	UpdateFirmwareStatusRejected           UpdateFirmwareStatus = "Rejected"
	UpdateFirmwareStatusAcceptedCanceled   UpdateFirmwareStatus = "AcceptedCanceled"
	UpdateFirmwareStatusInvalidCertificate UpdateFirmwareStatus = "InvalidCertificate"
	UpdateFirmwareStatusRevokedCertificate UpdateFirmwareStatus = "RevokedCertificate"
)
