package ocpp

// Messages of the OCPP 1.6 security extension ("Improved security for
// OCPP 1.6-J"). The first four are sent by chargers; the rest by the
// central system.

// SecurityEventNotificationRequest reports a security event.
type SecurityEventNotificationRequest struct {
	// Type is the event type, at most 50 characters.
	Type string `json:"type" ocpp:"max=50"`
	// Timestamp is when it happened.
	Timestamp DateTime `json:"timestamp"`
	// TechInfo is free technical detail, at most 255 characters.
	TechInfo string `json:"techInfo,omitempty" ocpp:"max=255"`
}

// SecurityEventNotificationResponse answers it; it has no fields.
type SecurityEventNotificationResponse struct{}

// SignCertificateRequest asks the central system to sign a CSR.
type SignCertificateRequest struct {
	// Csr is the PEM certificate signing request, at most 5500 characters.
	Csr string `json:"csr" ocpp:"max=5500"`
}

// SignCertificateResponse answers a SignCertificateRequest.
type SignCertificateResponse struct {
	// Status says whether the CSR will be processed.
	Status GenericStatus `json:"status"`
}

// LogStatusNotificationRequest reports a log upload.
type LogStatusNotificationRequest struct {
	// Status is the upload's progress.
	Status UploadLogStatus `json:"status"`
	// RequestID is the GetLog request this is about.
	RequestID *int `json:"requestId,omitempty"`
}

// LogStatusNotificationResponse answers it; it has no fields.
type LogStatusNotificationResponse struct{}

// SignedFirmwareStatusNotificationRequest reports a signed firmware update.
type SignedFirmwareStatusNotificationRequest struct {
	// Status is the update's progress.
	Status SignedFirmwareStatus `json:"status"`
	// RequestID is the SignedUpdateFirmware request this is about.
	RequestID *int `json:"requestId,omitempty"`
}

// SignedFirmwareStatusNotificationResponse answers it; no fields.
type SignedFirmwareStatusNotificationResponse struct{}

// CertificateSignedRequest delivers a signed certificate chain.
type CertificateSignedRequest struct {
	// CertificateChain is the PEM chain, at most 10000 characters.
	CertificateChain string `json:"certificateChain" ocpp:"max=10000"`
}

// CertificateSignedResponse answers a CertificateSignedRequest.
type CertificateSignedResponse struct {
	// Status says whether the chain was installed.
	Status CertificateSignedStatus `json:"status"`
}

// CertificateHashData identifies a certificate by hashes.
type CertificateHashData struct {
	// HashAlgorithm is the hash used.
	HashAlgorithm HashAlgorithm `json:"hashAlgorithm"`
	// IssuerNameHash is the hex hash of the issuer name, at most 128 characters.
	IssuerNameHash string `json:"issuerNameHash" ocpp:"max=128"`
	// IssuerKeyHash is the hex hash of the issuer key, at most 128 characters.
	IssuerKeyHash string `json:"issuerKeyHash" ocpp:"max=128"`
	// SerialNumber is the hex serial, at most 40 characters.
	SerialNumber string `json:"serialNumber" ocpp:"max=40"`
}

// DeleteCertificateRequest removes an installed root certificate.
type DeleteCertificateRequest struct {
	// CertificateHashData identifies the certificate.
	CertificateHashData CertificateHashData `json:"certificateHashData"`
}

// DeleteCertificateResponse answers a DeleteCertificateRequest.
type DeleteCertificateResponse struct {
	// Status says whether it was deleted.
	Status DeleteCertificateStatus `json:"status"`
}

// ExtendedTriggerMessageRequest asks the charger to send a message now.
type ExtendedTriggerMessageRequest struct {
	// RequestedMessage is the message wanted.
	RequestedMessage ExtendedMessageTrigger `json:"requestedMessage"`
	// ConnectorID is the connector it is about, if any.
	ConnectorID *int `json:"connectorId,omitempty"`
}

// ExtendedTriggerMessageResponse answers an ExtendedTriggerMessageRequest.
type ExtendedTriggerMessageResponse struct {
	// Status says whether the message will be sent.
	Status TriggerMessageStatus `json:"status"`
}

// GetInstalledCertificateIdsRequest lists installed root certificates.
type GetInstalledCertificateIdsRequest struct {
	// CertificateType is the kind of certificates wanted.
	CertificateType CertificateUse `json:"certificateType"`
}

// GetInstalledCertificateIdsResponse answers it.
type GetInstalledCertificateIdsResponse struct {
	// Status is NotFound when there are none.
	Status GetInstalledCertificateStatus `json:"status"`
	// CertificateHashData identifies each certificate; at least one when present.
	CertificateHashData []CertificateHashData `json:"certificateHashData,omitempty" ocpp:"minItems=1"`
}

// LogParameters says where to upload a log and what period it covers.
type LogParameters struct {
	// RemoteLocation is the URL to upload to, at most 512 characters.
	RemoteLocation string `json:"remoteLocation" ocpp:"max=512"`
	// OldestTimestamp is the oldest moment to include.
	OldestTimestamp *DateTime `json:"oldestTimestamp,omitempty"`
	// LatestTimestamp is the latest moment to include.
	LatestTimestamp *DateTime `json:"latestTimestamp,omitempty"`
}

// GetLogRequest asks the charger to upload a log.
type GetLogRequest struct {
	// Log says where and what.
	Log LogParameters `json:"log"`
	// LogType is the kind of log.
	LogType LogType `json:"logType"`
	// RequestID identifies this request in LogStatusNotifications.
	RequestID int `json:"requestId"`
	// Retries is how many times to retry the upload.
	Retries *int `json:"retries,omitempty"`
	// RetryInterval is the wait between retries, in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
}

// GetLogResponse answers a GetLogRequest.
type GetLogResponse struct {
	// Status says whether the upload will happen.
	Status LogStatus `json:"status"`
	// Filename is the file that will be uploaded, at most 255 characters.
	Filename string `json:"filename,omitempty" ocpp:"max=255"`
}

// InstallCertificateRequest installs a root certificate.
type InstallCertificateRequest struct {
	// CertificateType is the kind of certificate.
	CertificateType CertificateUse `json:"certificateType"`
	// Certificate is the PEM certificate, at most 5500 characters.
	Certificate string `json:"certificate" ocpp:"max=5500"`
}

// InstallCertificateResponse answers an InstallCertificateRequest.
type InstallCertificateResponse struct {
	// Status says whether it was installed.
	Status InstallCertificateStatus `json:"status"`
}

// Firmware describes a signed firmware image.
type Firmware struct {
	// Location is the URL of the image, at most 512 characters.
	Location string `json:"location" ocpp:"max=512"`
	// RetrieveDateTime is when to download it.
	RetrieveDateTime DateTime `json:"retrieveDateTime"`
	// InstallDateTime is when to install it.
	InstallDateTime *DateTime `json:"installDateTime,omitempty"`
	// SigningCertificate is the PEM certificate that signed it, at most 5500 characters.
	SigningCertificate string `json:"signingCertificate" ocpp:"max=5500"`
	// Signature is the base64 signature, at most 800 characters.
	Signature string `json:"signature" ocpp:"max=800"`
}

// SignedUpdateFirmwareRequest asks the charger to install signed firmware.
type SignedUpdateFirmwareRequest struct {
	// Retries is how many times to retry the download.
	Retries *int `json:"retries,omitempty"`
	// RetryInterval is the wait between retries, in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
	// RequestID identifies this request in status notifications.
	RequestID int `json:"requestId"`
	// Firmware is the image.
	Firmware Firmware `json:"firmware"`
}

// SignedUpdateFirmwareResponse answers a SignedUpdateFirmwareRequest.
type SignedUpdateFirmwareResponse struct {
	// Status says whether the update will happen.
	Status UpdateFirmwareStatus `json:"status"`
}
