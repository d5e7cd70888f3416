package ocpp

// Types shared by several messages. Field tags are the schema: a json tag
// without omitempty marks a required field; ocpp tags add constraints
// (max=N: at most N characters, the CiString limits; uri: an absolute URI;
// minItems=N: at least N array items; tenths: a multiple of 0.1).

// IdTagInfo is what the central system knows about an idTag.
type IdTagInfo struct {
	// ExpiryDate is when the tag stops being valid, if it does.
	ExpiryDate *DateTime `json:"expiryDate,omitempty"`
	// ParentIDTag is the tag's group (parent) idTag, at most 20 characters.
	ParentIDTag string `json:"parentIdTag,omitempty" ocpp:"max=20"`
	// Status says whether the tag may charge.
	Status AuthorizationStatus `json:"status"`
}

// MeterValue is a set of sampled values taken at one instant.
type MeterValue struct {
	// Timestamp is when the values were sampled.
	Timestamp DateTime `json:"timestamp"`
	// SampledValue holds one or more measurements.
	SampledValue []SampledValue `json:"sampledValue"`
}

// SampledValue is one measurement. Absent optional fields take the
// specification's defaults: context Sample.Periodic, format Raw, measurand
// Energy.Active.Import.Register, unit Wh.
type SampledValue struct {
	// Value is the reading as a decimal string, or an opaque signed blob
	// when Format is SignedData.
	Value string `json:"value"`
	// Context says why the value was sampled.
	Context ReadingContext `json:"context,omitempty"`
	// Format is Raw (a number) or SignedData.
	Format ValueFormat `json:"format,omitempty"`
	// Measurand is what was measured.
	Measurand Measurand `json:"measurand,omitempty"`
	// Phase is the phase measured, if any.
	Phase Phase `json:"phase,omitempty"`
	// Location is where it was measured.
	Location Location `json:"location,omitempty"`
	// Unit is the unit of Value.
	Unit UnitOfMeasure `json:"unit,omitempty"`
}

// ChargingProfile is a smart-charging profile sent to a charger.
type ChargingProfile struct {
	// ChargingProfileID identifies the profile.
	ChargingProfileID int `json:"chargingProfileId"`
	// TransactionID binds a TxProfile to a transaction.
	TransactionID *int `json:"transactionId,omitempty"`
	// StackLevel orders profiles of the same purpose; higher wins.
	StackLevel int `json:"stackLevel"`
	// ChargingProfilePurpose says what the profile limits.
	ChargingProfilePurpose ChargingProfilePurpose `json:"chargingProfilePurpose"`
	// ChargingProfileKind says how the schedule's start is fixed.
	ChargingProfileKind ChargingProfileKind `json:"chargingProfileKind"`
	// RecurrencyKind is the period of a Recurring profile.
	RecurrencyKind RecurrencyKind `json:"recurrencyKind,omitempty"`
	// ValidFrom is when the profile starts to apply.
	ValidFrom *DateTime `json:"validFrom,omitempty"`
	// ValidTo is when the profile stops applying.
	ValidTo *DateTime `json:"validTo,omitempty"`
	// ChargingSchedule is the limits over time.
	ChargingSchedule ChargingSchedule `json:"chargingSchedule"`
}

// ChargingSchedule is a list of limits over time.
type ChargingSchedule struct {
	// Duration is the schedule's length, in seconds; absent means until
	// the profile ends.
	Duration *int `json:"duration,omitempty"`
	// StartSchedule is when an Absolute schedule starts.
	StartSchedule *DateTime `json:"startSchedule,omitempty"`
	// ChargingRateUnit is the unit of every Limit: W or A.
	ChargingRateUnit ChargingRateUnit `json:"chargingRateUnit"`
	// ChargingSchedulePeriod lists the periods, by start.
	ChargingSchedulePeriod []ChargingSchedulePeriod `json:"chargingSchedulePeriod"`
	// MinChargingRate is the lowest efficient rate, in ChargingRateUnit,
	// a multiple of 0.1.
	MinChargingRate *float64 `json:"minChargingRate,omitempty" ocpp:"tenths"`
}

// ChargingSchedulePeriod is one period of a charging schedule.
type ChargingSchedulePeriod struct {
	// StartPeriod is the period's start, in seconds from the schedule start.
	StartPeriod int `json:"startPeriod"`
	// Limit is the maximum rate, in the schedule's ChargingRateUnit (W or
	// A), a multiple of 0.1.
	Limit float64 `json:"limit" ocpp:"tenths"`
	// NumberPhases is the number of phases to use; absent means 3.
	NumberPhases *int `json:"numberPhases,omitempty"`
}

// KeyValue is one configuration key in a GetConfiguration.conf.
type KeyValue struct {
	// Key is the key's name, at most 50 characters.
	Key string `json:"key" ocpp:"max=50"`
	// Readonly is true when the key cannot be changed.
	Readonly bool `json:"readonly"`
	// Value is the key's value, at most 500 characters; absent when unset.
	Value *string `json:"value,omitempty" ocpp:"max=500"`
}

// AuthorizationData is one entry of a local authorisation list.
type AuthorizationData struct {
	// IDTag is the tag, at most 20 characters.
	IDTag string `json:"idTag" ocpp:"max=20"`
	// IDTagInfo is absent in a differential update to delete the tag.
	IDTagInfo *IdTagInfo `json:"idTagInfo,omitempty"`
}
