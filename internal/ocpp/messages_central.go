package ocpp

// Messages the central system sends (CALLs to the charger) and their
// confirmations. DataTransfer, which goes both ways, is in
// messages_chargepoint.go.

// CancelReservationRequest cancels a reservation.
type CancelReservationRequest struct {
	// ReservationID is the reservation to cancel.
	ReservationID int `json:"reservationId"`
}

// CancelReservationResponse answers a CancelReservationRequest.
type CancelReservationResponse struct {
	// Status says whether the reservation was cancelled.
	Status CancelReservationStatus `json:"status"`
}

// ChangeAvailabilityRequest makes a connector (0: all) operative or not.
type ChangeAvailabilityRequest struct {
	// ConnectorID is the connector; 0 is the whole charge point.
	ConnectorID int `json:"connectorId"`
	// Type is the availability wanted.
	Type AvailabilityType `json:"type"`
}

// ChangeAvailabilityResponse answers a ChangeAvailabilityRequest.
type ChangeAvailabilityResponse struct {
	// Status says whether the change is done, refused or scheduled.
	Status AvailabilityStatus `json:"status"`
}

// ChangeConfigurationRequest sets one configuration key.
type ChangeConfigurationRequest struct {
	// Key is the key, at most 50 characters.
	Key string `json:"key" ocpp:"max=50"`
	// Value is the new value, at most 500 characters.
	Value string `json:"value" ocpp:"max=500"`
}

// ChangeConfigurationResponse answers a ChangeConfigurationRequest.
type ChangeConfigurationResponse struct {
	// Status says whether the key was set.
	Status ConfigurationStatus `json:"status"`
}

// ClearCacheRequest clears the charger's authorisation cache; no fields.
type ClearCacheRequest struct{}

// ClearCacheResponse answers a ClearCacheRequest.
type ClearCacheResponse struct {
	// Status says whether the cache was cleared.
	Status ClearCacheStatus `json:"status"`
}

// ClearChargingProfileRequest removes the charging profiles that match
// all the given criteria.
type ClearChargingProfileRequest struct {
	// ID is the profile to clear.
	ID *int `json:"id,omitempty"`
	// ConnectorID limits clearing to one connector.
	ConnectorID *int `json:"connectorId,omitempty"`
	// ChargingProfilePurpose limits clearing to one purpose.
	ChargingProfilePurpose ChargingProfilePurpose `json:"chargingProfilePurpose,omitempty"`
	// StackLevel limits clearing to one stack level.
	StackLevel *int `json:"stackLevel,omitempty"`
}

// ClearChargingProfileResponse answers a ClearChargingProfileRequest.
type ClearChargingProfileResponse struct {
	// Status is Unknown when no profile matched.
	Status ClearChargingProfileStatus `json:"status"`
}

// GetCompositeScheduleRequest asks for a connector's effective schedule.
type GetCompositeScheduleRequest struct {
	// ConnectorID is the connector; 0 is the grid connection.
	ConnectorID int `json:"connectorId"`
	// Duration is the length of the schedule wanted, in seconds.
	Duration int `json:"duration"`
	// ChargingRateUnit is the unit wanted, if any.
	ChargingRateUnit ChargingRateUnit `json:"chargingRateUnit,omitempty"`
}

// GetCompositeScheduleResponse answers a GetCompositeScheduleRequest.
type GetCompositeScheduleResponse struct {
	// Status says whether a schedule could be computed.
	Status GetCompositeScheduleStatus `json:"status"`
	// ConnectorID is the connector the schedule is for.
	ConnectorID *int `json:"connectorId,omitempty"`
	// ScheduleStart is when the schedule starts.
	ScheduleStart *DateTime `json:"scheduleStart,omitempty"`
	// ChargingSchedule is the composite schedule.
	ChargingSchedule *ChargingSchedule `json:"chargingSchedule,omitempty"`
}

// GetConfigurationRequest reads configuration keys (all when Key is empty).
type GetConfigurationRequest struct {
	// Key lists the keys wanted, each at most 50 characters.
	Key []string `json:"key,omitempty" ocpp:"max=50"`
}

// GetConfigurationResponse answers a GetConfigurationRequest.
type GetConfigurationResponse struct {
	// ConfigurationKey holds the known keys asked for.
	ConfigurationKey []KeyValue `json:"configurationKey,omitempty"`
	// UnknownKey lists the keys asked for that the charger does not know.
	UnknownKey []string `json:"unknownKey,omitempty" ocpp:"max=50"`
}

// GetDiagnosticsRequest asks the charger to upload diagnostics.
type GetDiagnosticsRequest struct {
	// Location is the absolute URI to upload to.
	Location string `json:"location" ocpp:"uri"`
	// Retries is how many times to retry the upload.
	Retries *int `json:"retries,omitempty"`
	// RetryInterval is the wait between retries, in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
	// StartTime is the oldest moment to include.
	StartTime *DateTime `json:"startTime,omitempty"`
	// StopTime is the latest moment to include.
	StopTime *DateTime `json:"stopTime,omitempty"`
}

// GetDiagnosticsResponse answers a GetDiagnosticsRequest.
type GetDiagnosticsResponse struct {
	// FileName is the file that will be uploaded, at most 255 characters;
	// absent when there is nothing to upload.
	FileName string `json:"fileName,omitempty" ocpp:"max=255"`
}

// GetLocalListVersionRequest asks for the local list version; no fields.
type GetLocalListVersionRequest struct{}

// GetLocalListVersionResponse answers a GetLocalListVersionRequest.
type GetLocalListVersionResponse struct {
	// ListVersion is the local list's version; 0 empty, -1 not supported.
	ListVersion int `json:"listVersion"`
}

// RemoteStartTransactionRequest asks the charger to start a transaction.
type RemoteStartTransactionRequest struct {
	// ConnectorID is the connector to use (never 0); absent lets the
	// charger choose.
	ConnectorID *int `json:"connectorId,omitempty"`
	// IDTag is the tag to start with, at most 20 characters.
	IDTag string `json:"idTag" ocpp:"max=20"`
	// ChargingProfile is a TxProfile (without transactionId) to apply.
	ChargingProfile *ChargingProfile `json:"chargingProfile,omitempty"`
}

// RemoteStartTransactionResponse answers a RemoteStartTransactionRequest.
type RemoteStartTransactionResponse struct {
	// Status says whether the charger will try to start.
	Status RemoteStartStopStatus `json:"status"`
}

// RemoteStopTransactionRequest asks the charger to stop a transaction.
type RemoteStopTransactionRequest struct {
	// TransactionID is the transaction to stop.
	TransactionID int `json:"transactionId"`
}

// RemoteStopTransactionResponse answers a RemoteStopTransactionRequest.
type RemoteStopTransactionResponse struct {
	// Status says whether the charger will stop it.
	Status RemoteStartStopStatus `json:"status"`
}

// ReserveNowRequest reserves a connector (0: any) for an idTag.
type ReserveNowRequest struct {
	// ConnectorID is the connector; 0 reserves the charge point.
	ConnectorID int `json:"connectorId"`
	// ExpiryDate is when the reservation ends.
	ExpiryDate DateTime `json:"expiryDate"`
	// IDTag is the tag the reservation is for, at most 20 characters.
	IDTag string `json:"idTag" ocpp:"max=20"`
	// ParentIDTag lets any tag of that group use it, at most 20 characters.
	ParentIDTag string `json:"parentIdTag,omitempty" ocpp:"max=20"`
	// ReservationID identifies the reservation.
	ReservationID int `json:"reservationId"`
}

// ReserveNowResponse answers a ReserveNowRequest.
type ReserveNowResponse struct {
	// Status says whether the reservation was made.
	Status ReservationStatus `json:"status"`
}

// ResetRequest asks the charger to reboot.
type ResetRequest struct {
	// Type is Hard or Soft.
	Type ResetType `json:"type"`
}

// ResetResponse answers a ResetRequest.
type ResetResponse struct {
	// Status says whether the charger will reset.
	Status ResetStatus `json:"status"`
}

// SendLocalListRequest replaces or updates the local authorisation list.
type SendLocalListRequest struct {
	// ListVersion is the version of the list after this update.
	ListVersion int `json:"listVersion"`
	// LocalAuthorizationList holds the entries to set (or delete).
	LocalAuthorizationList []AuthorizationData `json:"localAuthorizationList,omitempty"`
	// UpdateType is Full or Differential.
	UpdateType UpdateType `json:"updateType"`
}

// SendLocalListResponse answers a SendLocalListRequest.
type SendLocalListResponse struct {
	// Status says whether the list was updated.
	Status UpdateStatus `json:"status"`
}

// SetChargingProfileRequest installs a charging profile.
type SetChargingProfileRequest struct {
	// ConnectorID is the connector; 0 is the whole charge point.
	ConnectorID int `json:"connectorId"`
	// CsChargingProfiles is the profile.
	CsChargingProfiles ChargingProfile `json:"csChargingProfiles"`
}

// SetChargingProfileResponse answers a SetChargingProfileRequest.
type SetChargingProfileResponse struct {
	// Status says whether the profile was installed.
	Status ChargingProfileStatus `json:"status"`
}

// TriggerMessageRequest asks the charger to send a message now.
type TriggerMessageRequest struct {
	// RequestedMessage is the message wanted.
	RequestedMessage MessageTrigger `json:"requestedMessage"`
	// ConnectorID is the connector it is about, if any.
	ConnectorID *int `json:"connectorId,omitempty"`
}

// TriggerMessageResponse answers a TriggerMessageRequest.
type TriggerMessageResponse struct {
	// Status says whether the message will be sent.
	Status TriggerMessageStatus `json:"status"`
}

// UnlockConnectorRequest asks the charger to unlock a connector.
type UnlockConnectorRequest struct {
	// ConnectorID is the connector (never 0).
	ConnectorID int `json:"connectorId"`
}

// UnlockConnectorResponse answers an UnlockConnectorRequest.
type UnlockConnectorResponse struct {
	// Status says whether it unlocked.
	Status UnlockStatus `json:"status"`
}

// UpdateFirmwareRequest asks the charger to install new firmware.
type UpdateFirmwareRequest struct {
	// Location is the absolute URI of the firmware.
	Location string `json:"location" ocpp:"uri"`
	// Retries is how many times to retry the download.
	Retries *int `json:"retries,omitempty"`
	// RetrieveDate is when to download it.
	RetrieveDate DateTime `json:"retrieveDate"`
	// RetryInterval is the wait between retries, in seconds.
	RetryInterval *int `json:"retryInterval,omitempty"`
}

// UpdateFirmwareResponse answers an UpdateFirmwareRequest; no fields.
type UpdateFirmwareResponse struct{}
