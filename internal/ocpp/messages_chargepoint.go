package ocpp

// Messages a charge point sends (CALLs from the charger) and their
// confirmations.

// AuthorizeRequest asks whether an idTag may charge.
type AuthorizeRequest struct {
	// IDTag is the tag presented, at most 20 characters.
	IDTag string `json:"idTag" ocpp:"max=20"`
}

// AuthorizeResponse answers an AuthorizeRequest.
type AuthorizeResponse struct {
	// IDTagInfo is the tag's status.
	IDTagInfo IdTagInfo `json:"idTagInfo"`
}

// BootNotificationRequest is sent by a charger after (re)booting.
type BootNotificationRequest struct {
	// ChargePointVendor is the vendor, at most 20 characters.
	ChargePointVendor string `json:"chargePointVendor" ocpp:"max=20"`
	// ChargePointModel is the model, at most 20 characters.
	ChargePointModel string `json:"chargePointModel" ocpp:"max=20"`
	// ChargePointSerialNumber is at most 25 characters.
	ChargePointSerialNumber string `json:"chargePointSerialNumber,omitempty" ocpp:"max=25"`
	// ChargeBoxSerialNumber is at most 25 characters (deprecated).
	ChargeBoxSerialNumber string `json:"chargeBoxSerialNumber,omitempty" ocpp:"max=25"`
	// FirmwareVersion is at most 50 characters.
	FirmwareVersion string `json:"firmwareVersion,omitempty" ocpp:"max=50"`
	// Iccid is the modem's SIM card id, at most 20 characters.
	Iccid string `json:"iccid,omitempty" ocpp:"max=20"`
	// Imsi is the modem's subscriber id, at most 20 characters.
	Imsi string `json:"imsi,omitempty" ocpp:"max=20"`
	// MeterType is the main meter's type, at most 25 characters.
	MeterType string `json:"meterType,omitempty" ocpp:"max=25"`
	// MeterSerialNumber is the main meter's serial, at most 25 characters.
	MeterSerialNumber string `json:"meterSerialNumber,omitempty" ocpp:"max=25"`
}

// BootNotificationResponse answers a BootNotificationRequest.
type BootNotificationResponse struct {
	// Status says whether the charger is registered.
	Status RegistrationStatus `json:"status"`
	// CurrentTime is the central system's time.
	CurrentTime DateTime `json:"currentTime"`
	// Interval is, in seconds, the heartbeat interval when Accepted and
	// the minimum wait before the next BootNotification otherwise.
	Interval int `json:"interval"`
}

// DataTransferRequest carries vendor-specific data, in either direction.
type DataTransferRequest struct {
	// VendorID identifies the vendor, at most 255 characters.
	VendorID string `json:"vendorId" ocpp:"max=255"`
	// MessageID identifies the vendor's message, at most 50 characters.
	MessageID string `json:"messageId,omitempty" ocpp:"max=50"`
	// Data is the vendor's data, free text.
	Data *string `json:"data,omitempty"`
}

// DataTransferResponse answers a DataTransferRequest.
type DataTransferResponse struct {
	// Status says whether the data was understood.
	Status DataTransferStatus `json:"status"`
	// Data is the vendor's answer, free text.
	Data *string `json:"data,omitempty"`
}

// DiagnosticsStatusNotificationRequest reports a diagnostics upload.
type DiagnosticsStatusNotificationRequest struct {
	// Status is the upload's progress.
	Status DiagnosticsStatus `json:"status"`
}

// DiagnosticsStatusNotificationResponse answers it; it has no fields.
type DiagnosticsStatusNotificationResponse struct{}

// FirmwareStatusNotificationRequest reports a firmware update.
type FirmwareStatusNotificationRequest struct {
	// Status is the update's progress.
	Status FirmwareStatus `json:"status"`
}

// FirmwareStatusNotificationResponse answers it; it has no fields.
type FirmwareStatusNotificationResponse struct{}

// HeartbeatRequest tells the central system the charger is alive.
type HeartbeatRequest struct{}

// HeartbeatResponse answers a HeartbeatRequest.
type HeartbeatResponse struct {
	// CurrentTime is the central system's time.
	CurrentTime DateTime `json:"currentTime"`
}

// MeterValuesRequest carries meter readings of one connector.
type MeterValuesRequest struct {
	// ConnectorID is the connector; 0 is the charger's main meter.
	ConnectorID int `json:"connectorId"`
	// TransactionID is the transaction the values belong to, if any.
	TransactionID *int `json:"transactionId,omitempty"`
	// MeterValue holds the readings.
	MeterValue []MeterValue `json:"meterValue"`
}

// MeterValuesResponse answers a MeterValuesRequest; it has no fields.
type MeterValuesResponse struct{}

// StartTransactionRequest reports that a transaction started.
type StartTransactionRequest struct {
	// ConnectorID is the connector used (never 0).
	ConnectorID int `json:"connectorId"`
	// IDTag is the tag that started it, at most 20 characters.
	IDTag string `json:"idTag" ocpp:"max=20"`
	// MeterStart is the energy register at start, in Wh.
	MeterStart int `json:"meterStart"`
	// ReservationID is the reservation this transaction consumes, if any.
	ReservationID *int `json:"reservationId,omitempty"`
	// Timestamp is when the transaction started.
	Timestamp DateTime `json:"timestamp"`
}

// StartTransactionResponse answers a StartTransactionRequest.
type StartTransactionResponse struct {
	// IDTagInfo is the tag's status.
	IDTagInfo IdTagInfo `json:"idTagInfo"`
	// TransactionID is the id the central system gives the transaction.
	TransactionID int `json:"transactionId"`
}

// StatusNotificationRequest reports a connector's status or an error.
type StatusNotificationRequest struct {
	// ConnectorID is the connector; 0 is the whole charge point.
	ConnectorID int `json:"connectorId"`
	// ErrorCode is the error, NoError when there is none.
	ErrorCode ChargePointErrorCode `json:"errorCode"`
	// Info is free text about the error, at most 50 characters.
	Info string `json:"info,omitempty" ocpp:"max=50"`
	// Status is the connector's status.
	Status ChargePointStatus `json:"status"`
	// Timestamp is when the status was reported.
	Timestamp *DateTime `json:"timestamp,omitempty"`
	// VendorID identifies the vendor of VendorErrorCode, at most 255 characters.
	VendorID string `json:"vendorId,omitempty" ocpp:"max=255"`
	// VendorErrorCode is the vendor's error code, at most 50 characters.
	VendorErrorCode string `json:"vendorErrorCode,omitempty" ocpp:"max=50"`
}

// StatusNotificationResponse answers it; it has no fields.
type StatusNotificationResponse struct{}

// StopTransactionRequest reports that a transaction stopped.
type StopTransactionRequest struct {
	// IDTag is the tag that stopped it, at most 20 characters, if any.
	IDTag string `json:"idTag,omitempty" ocpp:"max=20"`
	// MeterStop is the energy register at stop, in Wh.
	MeterStop int `json:"meterStop"`
	// Timestamp is when the transaction stopped.
	Timestamp DateTime `json:"timestamp"`
	// TransactionID is the id from the StartTransactionResponse.
	TransactionID int `json:"transactionId"`
	// Reason is why it stopped; absent means Local.
	Reason Reason `json:"reason,omitempty"`
	// TransactionData holds meter values of the transaction.
	TransactionData []MeterValue `json:"transactionData,omitempty"`
}

// StopTransactionResponse answers a StopTransactionRequest.
type StopTransactionResponse struct {
	// IDTagInfo is the stopping tag's status, when a tag was given.
	IDTagInfo *IdTagInfo `json:"idTagInfo,omitempty"`
}
