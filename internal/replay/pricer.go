package replay

import (
	"fmt"
	"time"

	"campuscharge/internal/tariff"
)

// Pricer prices one charging session at constant power from from to to
// delivering energyWh (Wh); fees are in fen.
type Pricer interface {
	Price(from, to time.Time, energyWh int64) (energyFeeFen, serviceFeeFen int64, err error)
}

// TariffPricer prices sessions with internal/tariff.
type TariffPricer struct {
	// Version is the tariff applied; the zero Version means tariff.Default().
	Version tariff.Version
	// Location is the site time zone of the time-of-use periods; nil means
	// the location of the from time (Run passes times in the scenario's
	// time zone).
	Location *time.Location
}

// Price implements Pricer.
func (p TariffPricer) Price(from, to time.Time, energyWh int64) (energyFeeFen, serviceFeeFen int64, err error) {
	v := p.Version
	if len(v.Periods) == 0 {
		v = tariff.Default()
	}
	loc := p.Location
	if loc == nil {
		loc = from.Location()
	}
	b, err := tariff.Price(v, loc, tariff.Session{Start: from, Stop: to, MeterStart: 0, MeterStop: energyWh})
	if err != nil {
		return 0, 0, fmt.Errorf("price %d Wh from %s to %s: %w", energyWh, from, to, err)
	}
	return b.EnergyFee, b.ServiceFee, nil
}
