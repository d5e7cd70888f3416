package sim

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"campuscharge/internal/ocpp"
)

// Configuration keys with an effect in the simulator.
const (
	keyHeartbeatInterval           = "HeartbeatInterval"
	keyMeterValueSampleInterval    = "MeterValueSampleInterval"
	keyMeterValuesSampledData      = "MeterValuesSampledData"
	keyStopTxnSampledData          = "StopTxnSampledData"
	keyAuthorizeRemoteTxRequests   = "AuthorizeRemoteTxRequests"
	keyTransactionMessageAttempts  = "TransactionMessageAttempts"
	keyChargeProfileMaxStackLevel  = "ChargeProfileMaxStackLevel"
	keyChargingScheduleMaxPeriods  = "ChargingScheduleMaxPeriods"
	keyMaxChargingProfilesInstalld = "MaxChargingProfilesInstalled"
	keyLocalAuthListEnabled        = "LocalAuthListEnabled"
	keyLocalAuthorizeOffline       = "LocalAuthorizeOffline"
	keySendLocalListMaxLength      = "SendLocalListMaxLength"
)

// keyKind is how a configuration value is checked.
type keyKind int

const (
	kindString keyKind = iota
	kindBool
	kindInt
	kindMeasurands
)

// keyDef describes one configuration key.
type keyDef struct {
	name     string
	readonly bool
	kind     keyKind
}

// configKeys lists the charger's configuration keys, in GetConfiguration order.
func configKeys() []keyDef {
	return []keyDef{
		{"AllowOfflineTxForUnknownId", false, kindBool},
		{"AuthorizationCacheEnabled", false, kindBool},
		{keyAuthorizeRemoteTxRequests, false, kindBool},
		{keyChargeProfileMaxStackLevel, true, kindInt},
		{"ChargingScheduleAllowedChargingRateUnit", true, kindString},
		{keyChargingScheduleMaxPeriods, true, kindInt},
		{"ClockAlignedDataInterval", false, kindInt},
		{"ConnectionTimeOut", false, kindInt},
		{"GetConfigurationMaxKeys", true, kindInt},
		{keyHeartbeatInterval, false, kindInt},
		{keyLocalAuthListEnabled, false, kindBool},
		{"LocalAuthListMaxLength", true, kindInt},
		{keyLocalAuthorizeOffline, false, kindBool},
		{"LocalPreAuthorize", false, kindBool},
		{keyMaxChargingProfilesInstalld, true, kindInt},
		{keyMeterValueSampleInterval, false, kindInt},
		{"MeterValuesAlignedData", false, kindMeasurands},
		{keyMeterValuesSampledData, false, kindMeasurands},
		{"NumberOfConnectors", true, kindInt},
		{"ReserveConnectorZeroSupported", true, kindBool},
		{"ResetRetries", false, kindInt},
		{keySendLocalListMaxLength, true, kindInt},
		{"StopTransactionOnEVSideDisconnect", false, kindBool},
		{"StopTransactionOnInvalidId", false, kindBool},
		{"StopTxnAlignedData", false, kindMeasurands},
		{keyStopTxnSampledData, false, kindMeasurands},
		{"SupportedFeatureProfiles", true, kindString},
		{keyTransactionMessageAttempts, false, kindInt},
		{"TransactionMessageRetryInterval", false, kindInt},
		{"UnlockConnectorOnEVSideDisconnect", false, kindBool},
		{"WebSocketPingInterval", false, kindInt},
	}
}

func lookupKey(name string) (keyDef, bool) {
	for _, d := range configKeys() {
		if d.name == name {
			return d, true
		}
	}
	return keyDef{}, false
}

func defaultConfig(spec ChargerSpec, b Behaviour) map[string]string {
	return map[string]string{
		"AllowOfflineTxForUnknownId":              "true",
		"AuthorizationCacheEnabled":               "true",
		keyAuthorizeRemoteTxRequests:              "false",
		keyChargeProfileMaxStackLevel:             "10",
		"ChargingScheduleAllowedChargingRateUnit": "Current,Power",
		keyChargingScheduleMaxPeriods:             "24",
		"ClockAlignedDataInterval":                "0",
		"ConnectionTimeOut":                       "60",
		"GetConfigurationMaxKeys":                 "50",
		keyHeartbeatInterval:                      strconv.Itoa(int(b.HeartbeatFallback / time.Second)),
		keyLocalAuthListEnabled:                   "true",
		"LocalAuthListMaxLength":                  "100",
		keyLocalAuthorizeOffline:                  "true",
		"LocalPreAuthorize":                       "false",
		keyMaxChargingProfilesInstalld:            "20",
		keyMeterValueSampleInterval:               strconv.Itoa(int(b.MeterInterval / time.Second)),
		"MeterValuesAlignedData":                  "Energy.Active.Import.Register",
		keyMeterValuesSampledData:                 "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC",
		"NumberOfConnectors":                      strconv.Itoa(spec.Connectors),
		"ReserveConnectorZeroSupported":           "false",
		"ResetRetries":                            "1",
		keySendLocalListMaxLength:                 "100",
		"StopTransactionOnEVSideDisconnect":       "true",
		"StopTransactionOnInvalidId":              "true",
		"StopTxnAlignedData":                      "",
		keyStopTxnSampledData:                     "Energy.Active.Import.Register,SoC",
		"SupportedFeatureProfiles":                "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger",
		keyTransactionMessageAttempts:             "3",
		"TransactionMessageRetryInterval":         "10",
		"UnlockConnectorOnEVSideDisconnect":       "true",
		"WebSocketPingInterval":                   "0",
	}
}

// measurands the simulated meter can sample.
func knownMeasurand(m string) bool {
	return slices.Contains([]ocpp.Measurand{
		ocpp.MeasurandEnergyActiveImportRegister, ocpp.MeasurandPowerActiveImport,
		ocpp.MeasurandCurrentImport, ocpp.MeasurandVoltage, ocpp.MeasurandSoC,
		ocpp.MeasurandPowerOffered,
	}, ocpp.Measurand(m))
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validValue says whether v is acceptable for a key of kind k.
func validValue(k keyKind, v string) bool {
	switch k {
	case kindBool:
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case kindInt:
		n, err := strconv.Atoi(v)
		return err == nil && n >= 0
	case kindMeasurands:
		for _, m := range splitList(v) {
			if !knownMeasurand(m) {
				return false
			}
		}
		return true
	}
	return true
}

// configInt reads an integer key; c.mu must be held.
func (c *Charger) configInt(key string, def int) int {
	n, err := strconv.Atoi(c.config[key])
	if err != nil {
		return def
	}
	return n
}

// configBool reads a boolean key; c.mu must be held.
func (c *Charger) configBool(key string) bool {
	return strings.EqualFold(c.config[key], "true")
}

// getConfiguration answers a GetConfiguration; c.mu must be held.
func (c *Charger) getConfiguration(req *ocpp.GetConfigurationRequest) ocpp.GetConfigurationResponse {
	var res ocpp.GetConfigurationResponse
	kv := func(d keyDef) ocpp.KeyValue {
		v := c.config[d.name]
		return ocpp.KeyValue{Key: d.name, Readonly: d.readonly, Value: &v}
	}
	if len(req.Key) == 0 {
		for _, d := range configKeys() {
			res.ConfigurationKey = append(res.ConfigurationKey, kv(d))
		}
		return res
	}
	for _, k := range req.Key {
		if d, ok := lookupKey(k); ok {
			res.ConfigurationKey = append(res.ConfigurationKey, kv(d))
		} else {
			res.UnknownKey = append(res.UnknownKey, k)
		}
	}
	return res
}

// changeConfiguration applies a ChangeConfiguration; c.mu must be held.
func (c *Charger) changeConfiguration(req *ocpp.ChangeConfigurationRequest) ocpp.ConfigurationStatus {
	d, ok := lookupKey(req.Key)
	switch {
	case !ok:
		return ocpp.ConfigurationStatusNotSupported
	case d.readonly || !validValue(d.kind, req.Value):
		return ocpp.ConfigurationStatusRejected
	}
	c.config[d.name] = req.Value
	switch d.name {
	case keyHeartbeatInterval:
		c.setHeartbeatLocked(c.configInt(keyHeartbeatInterval, 0))
	case keyMeterValueSampleInterval:
		c.meterInterval = time.Duration(c.configInt(keyMeterValueSampleInterval, 0)) * time.Second
		signal(c.meterReset)
	}
	c.notifyLocked()
	return ocpp.ConfigurationStatusAccepted
}

// setHeartbeatLocked sets the heartbeat period from seconds (0: fallback).
func (c *Charger) setHeartbeatLocked(seconds int) {
	c.hbInterval = time.Duration(seconds) * time.Second
	if seconds <= 0 {
		c.hbInterval = c.b.HeartbeatFallback
	}
	signal(c.hbReset)
}
