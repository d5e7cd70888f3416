package sim

import (
	"strconv"
	"time"

	"campuscharge/internal/ocpp"
)

// Electrical constants of the model.
const (
	acVoltageV      = 230   // AC phase voltage, in V
	dcVoltageV      = 400   // DC battery-side voltage, in V
	acDefaultW      = 7000  // AC rated power, in W
	dcDefaultW      = 60000 // DC rated power when the spec gives none, in W
	dcMinW          = 30000 // lowest DC rated power, in W
	dcMaxW          = 120000
	dcTaperStartSoC = 80 // SoC (percent) above which DC power tapers
	maxTxSamples    = 4  // periodic samples kept for StopTransaction.transactionData
)

// connector is one connector's simulated state; guarded by Charger.mu.
type connector struct {
	id          int
	plugged     bool
	finishing   bool // a transaction ended while the cable stayed in
	tx          *transaction
	errorCode   ocpp.ChargePointErrorCode // "" when not faulted
	recoverAt   time.Time                 // automatic recovery of a random fault; zero = never
	inoperative bool
	scheduled   bool // Inoperative asked while a transaction ran
	reservation *reservation
	meterMWh    int64   // energy register, in mWh
	powerW      int     // power now, in W
	soc         float64 // car state of charge, in percent
	evseLimited bool    // a charging profile holds power at 0
	reported    ocpp.ChargePointStatus
	reportedErr ocpp.ChargePointErrorCode
	leaveAt     time.Time // auto mode: when the driver unplugs; zero = not planned
}

func (k *connector) meterWh() int { return int(k.meterMWh / 1000) }

// transaction is one charging transaction; guarded by Charger.mu.
type transaction struct {
	localID       int // negative, ours
	serverID      int // the central system's id; 0 until StartTransaction is answered
	idTag         string
	connector     int
	meterStartWh  int
	start         time.Time
	reservationID *int
	begin         ocpp.MeterValue
	recent        []ocpp.MeterValue
	assigned      chan struct{} // closed when serverID is set or the Start is given up
	resolved      bool
}

func (t *transaction) id() int {
	if t.serverID != 0 {
		return t.serverID
	}
	return t.localID
}

// reservation is a reservation held on a connector.
type reservation struct {
	id     int
	idTag  string
	parent string
	expiry time.Time
}

// ratedW is the charger's rated power, in W.
func (c *Charger) ratedW() int {
	if c.spec.Fast {
		w := c.spec.MaxPowerW
		if w == 0 {
			w = dcDefaultW
		}
		return min(max(w, dcMinW), dcMaxW)
	}
	if c.spec.MaxPowerW > 0 && c.spec.MaxPowerW < acDefaultW {
		return c.spec.MaxPowerW
	}
	return acDefaultW
}

// carAcceptsW is what the car draws at its SoC from a charger of rated power, in W.
func (c *Charger) carAcceptsW(soc float64, rated int) int {
	if soc >= 100 {
		return 0
	}
	if !c.spec.Fast || soc < dcTaperStartSoC {
		return rated
	}
	// Linear taper from rated at 80 % to 5 % of rated at 100 %.
	frac := (100 - soc) / (100 - dcTaperStartSoC)
	return max(int(float64(rated)*frac), rated/20)
}

// advanceLocked integrates energy and SoC from the last tick to now and
// recomputes every connector's power.
func (c *Charger) advanceLocked(now time.Time) {
	dt := now.Sub(c.lastTick)
	if dt < 0 {
		dt = 0
	}
	c.lastTick = now
	for _, k := range c.conns {
		if k.tx != nil && k.powerW > 0 && dt > 0 {
			mwh := int64(k.powerW) * dt.Milliseconds() / 3600
			k.meterMWh += mwh
			k.soc += float64(mwh) / 1000 / float64(c.b.BatteryWh) * 100
			if k.soc > 100 {
				k.soc = 100
			}
		}
		c.updatePowerLocked(k, now)
	}
}

// updatePowerLocked sets k.powerW from the car, the charger and the profiles.
func (c *Charger) updatePowerLocked(k *connector, now time.Time) {
	k.evseLimited = false
	if k.tx == nil || k.errorCode != "" {
		k.powerW = 0
		return
	}
	p := c.carAcceptsW(k.soc, c.ratedW())
	if limit, ok := c.limitAt(k, now); ok {
		if limit <= 0 {
			k.evseLimited = true
		}
		p = min(p, max(limit, 0))
	}
	k.powerW = p
}

// sampleLocked reads the connector's meters.
func (c *Charger) sampleLocked(k *connector, now time.Time, ctx ocpp.ReadingContext) ocpp.MeterValue {
	mv := ocpp.MeterValue{Timestamp: ocpp.NewDateTime(now)}
	volts, phases := acVoltageV, 1
	if c.spec.Fast {
		volts = dcVoltageV
	}
	amps := float64(k.powerW) / float64(volts*phases)
	measurands := splitList(c.config[keyMeterValuesSampledData])
	if ctx == ocpp.ReadingContextTransactionBegin || ctx == ocpp.ReadingContextTransactionEnd {
		measurands = splitList(c.config[keyStopTxnSampledData])
	}
	if len(measurands) == 0 {
		measurands = []string{string(ocpp.MeasurandEnergyActiveImportRegister)}
	}
	for _, m := range measurands {
		sv := ocpp.SampledValue{Context: ctx, Measurand: ocpp.Measurand(m), Location: ocpp.LocationOutlet}
		switch ocpp.Measurand(m) {
		case ocpp.MeasurandEnergyActiveImportRegister:
			sv.Value, sv.Unit = strconv.Itoa(k.meterWh()), ocpp.UnitOfMeasureWh
		case ocpp.MeasurandPowerActiveImport:
			sv.Value, sv.Unit = strconv.Itoa(k.powerW), ocpp.UnitOfMeasureW
		case ocpp.MeasurandCurrentImport:
			sv.Value, sv.Unit = strconv.FormatFloat(amps, 'f', 1, 64), ocpp.UnitOfMeasureA
		case ocpp.MeasurandVoltage:
			sv.Value, sv.Unit = strconv.Itoa(volts), ocpp.UnitOfMeasureV
		case ocpp.MeasurandSoC:
			sv.Value, sv.Unit, sv.Location = strconv.Itoa(int(k.soc)), ocpp.UnitOfMeasurePercent, ocpp.LocationEV
		case ocpp.MeasurandPowerOffered:
			sv.Value, sv.Unit = strconv.Itoa(c.ratedW()), ocpp.UnitOfMeasureW
		default:
			continue // a measurand this meter does not have
		}
		mv.SampledValue = append(mv.SampledValue, sv)
	}
	return mv
}

// statusOf derives a connector's status from its state.
func (c *Charger) statusOf(k *connector) (ocpp.ChargePointStatus, ocpp.ChargePointErrorCode) {
	switch {
	case k.errorCode != "":
		return ocpp.ChargePointStatusFaulted, k.errorCode
	case k.tx != nil && k.soc >= 100:
		return ocpp.ChargePointStatusSuspendedEV, ocpp.ChargePointErrorCodeNoError
	case k.tx != nil && k.evseLimited:
		return ocpp.ChargePointStatusSuspendedEVSE, ocpp.ChargePointErrorCodeNoError
	case k.tx != nil:
		return ocpp.ChargePointStatusCharging, ocpp.ChargePointErrorCodeNoError
	case k.inoperative || c.cpInoperative:
		return ocpp.ChargePointStatusUnavailable, ocpp.ChargePointErrorCodeNoError
	case k.plugged && k.finishing:
		return ocpp.ChargePointStatusFinishing, ocpp.ChargePointErrorCodeNoError
	case k.plugged:
		return ocpp.ChargePointStatusPreparing, ocpp.ChargePointErrorCodeNoError
	case k.reservation != nil:
		return ocpp.ChargePointStatusReserved, ocpp.ChargePointErrorCodeNoError
	}
	return ocpp.ChargePointStatusAvailable, ocpp.ChargePointErrorCodeNoError
}

// cpStatus is the status of connector 0, the charge point as a whole.
func (c *Charger) cpStatus() ocpp.ChargePointStatus {
	if c.cpInoperative {
		return ocpp.ChargePointStatusUnavailable
	}
	return ocpp.ChargePointStatusAvailable
}
