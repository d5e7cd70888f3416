package tariff

import (
	"errors"
	"fmt"
	"time"
)

// MaxEnergyWh is the largest session energy Price accepts, in Wh (1 GWh).
// It keeps the fee arithmetic inside int64.
const MaxEnergyWh = 1_000_000_000

// MaxSessionDuration is the longest session Price accepts.
const MaxSessionDuration = 366 * 24 * time.Hour

// ErrInvalidSession is wrapped by the errors Price returns for session data
// it cannot bill (stop before start, meter running backwards, …).
var ErrInvalidSession = errors.New("invalid session")

// Sample is one meter reading taken during a session.
type Sample struct {
	// At is when the reading was taken.
	At time.Time `json:"at"`
	// EnergyWh is the meter's energy register, in Wh (not a delta).
	EnergyWh int64 `json:"energy_wh"`
}

// Session is what Price needs to know about a charging session. For the
// cost so far of a running session, pass Stop = now and MeterStop = the
// latest register value.
type Session struct {
	// Start is when the session started.
	Start time.Time `json:"start"`
	// Stop is when the session stopped; not before Start.
	Stop time.Time `json:"stop"`
	// MeterStart is the energy register at Start, in Wh.
	MeterStart int64 `json:"meter_start"`
	// MeterStop is the energy register at Stop, in Wh; not below MeterStart.
	MeterStop int64 `json:"meter_stop"`
	// Samples are intermediate register readings in any order (the bill
	// does not depend on it); readings outside (Start, Stop) are ignored,
	// of several readings of one instant only the lowest counts, and
	// registers outside [MeterStart, MeterStop] are clamped into it.
	Samples []Sample `json:"samples"`
	// IdleFrom is when charging finished with the car still plugged in;
	// zero when there was no idle time.
	IdleFrom time.Time `json:"idle_from"`
	// IdleUntil is when the car was unplugged (or now, for a running
	// bill); zero when there was no idle time.
	IdleUntil time.Time `json:"idle_until"`
}

// Line is one contiguous stretch of a session in one period.
type Line struct {
	// Period is the period's name.
	Period string `json:"period"`
	// From is when the stretch starts, in UTC.
	From time.Time `json:"from"`
	// To is when the stretch ends, in UTC.
	To time.Time `json:"to"`
	// EnergyWh is the energy delivered in the stretch, in Wh.
	EnergyWh int64 `json:"energy_wh"`
	// EnergyPrice is the electricity price applied, in 1/10000 yuan per kWh.
	EnergyPrice int64 `json:"energy_price"`
	// ServicePrice is the service fee applied, in 1/10000 yuan per kWh.
	ServicePrice int64 `json:"service_price"`
	// EnergyFee is EnergyWh × EnergyPrice, in fen, rounded half up once.
	EnergyFee int64 `json:"energy_fee"`
	// ServiceFee is EnergyWh × ServicePrice, in fen, rounded half up once.
	ServiceFee int64 `json:"service_fee"`
}

// Bill is the itemised price of a session.
type Bill struct {
	// Lines are the session's stretches in time order. Every stretch of
	// time appears, even one with no energy, so the bill shows the whole
	// stay from Start to Stop.
	Lines []Line `json:"lines"`
	// EnergyWh is the session's energy, MeterStop − MeterStart, in Wh; the
	// sum of the lines' EnergyWh.
	EnergyWh int64 `json:"energy_wh"`
	// EnergyFee is the sum of the lines' energy fees, in fen.
	EnergyFee int64 `json:"energy_fee"`
	// ServiceFee is the sum of the lines' service fees, in fen.
	ServiceFee int64 `json:"service_fee"`
	// IdleMinutes is the idle time billed, in whole minutes after the
	// grace period (a started minute is not billed).
	IdleMinutes int64 `json:"idle_minutes"`
	// IdleFee is IdleMinutes × the per-minute idle fee, capped, in fen.
	IdleFee int64 `json:"idle_fee"`
	// TotalFen is EnergyFee + ServiceFee + IdleFee, in fen.
	TotalFen int64 `json:"total_fen"`
}

// Price bills session s under tariff version v in the site's time zone loc.
//
// Lines follow the periods in time order from Start to Stop; each stretch
// appears even with no energy, so the bill shows the whole stay. The energy
// between consecutive meter points (Start, the usable samples in time order,
// Stop) is spread evenly over time; without samples the power is taken as
// constant from Start to Stop. A register that goes backwards counts as no
// energy until it climbs past its earlier high again.
//
// Whole Wh per line: the register is read at each period boundary by that
// linear interpolation, rounded half up to a whole Wh, and a line's energy
// is the difference of the readings at its ends. So the lines add up
// exactly to MeterStop − MeterStart, each line is within 1 Wh of its exact
// share, and a line depends only on the meter data over its own stretch
// (moving a boundary only moves energy between the two lines beside it).
// Each line's fees are then rounded half up once, to fen. More energy over
// the same readings never lowers any line while every interval between
// readings touches at most two lines (readings every minute or so); across a
// longer gap spanning several boundaries a line can lose at most 1 Wh to a
// neighbour.
//
// v must be valid; s must not stop before it starts, its meter must not run
// backwards from MeterStart to MeterStop and its idle interval, if any, must
// not end before it starts.
func Price(v Version, loc *time.Location, s Session) (Bill, error) {
	if err := v.Validate(); err != nil {
		return Bill{}, fmt.Errorf("price session: %w", err)
	}
	return priceWithPlan(v, newPlan(v.Periods), loc, s)
}

// priceWithPlan is Price with the day plan given, so tests can move a
// boundary by less than a minute.
func priceWithPlan(v Version, pl plan, loc *time.Location, s Session) (Bill, error) {
	if loc == nil {
		return Bill{}, errors.New("price session: nil time zone")
	}
	if err := checkSession(s); err != nil {
		return Bill{}, fmt.Errorf("price session: %w", err)
	}
	segs := pl.segments(v.Periods, loc, s.Start, s.Stop)
	energy := splitEnergy(s, segs)
	var b Bill
	b.Lines = make([]Line, len(segs))
	for i, sg := range segs {
		p := v.Periods[sg.period]
		l := Line{
			Period:       p.Name,
			From:         sg.from.UTC(),
			To:           sg.to.UTC(),
			EnergyWh:     energy[i],
			EnergyPrice:  p.EnergyPrice,
			ServicePrice: p.ServicePrice,
			EnergyFee:    fen(energy[i], p.EnergyPrice),
			ServiceFee:   fen(energy[i], p.ServicePrice),
		}
		b.Lines[i] = l
		b.EnergyWh += l.EnergyWh
		b.EnergyFee += l.EnergyFee
		b.ServiceFee += l.ServiceFee
	}
	b.IdleMinutes, b.IdleFee = idleFee(v, s.IdleFrom, s.IdleUntil)
	b.TotalFen = b.EnergyFee + b.ServiceFee + b.IdleFee
	return b, nil
}

// checkSession rejects session data that cannot be billed.
func checkSession(s Session) error {
	if s.Stop.Before(s.Start) {
		return fmt.Errorf("%w: stop %s before start %s", ErrInvalidSession, s.Stop.UTC().Format(time.RFC3339), s.Start.UTC().Format(time.RFC3339))
	}
	if d := s.Stop.Sub(s.Start); d > MaxSessionDuration {
		return fmt.Errorf("%w: session lasts %s, longer than %s", ErrInvalidSession, d, MaxSessionDuration)
	}
	if s.MeterStop < s.MeterStart {
		return fmt.Errorf("%w: meter stop %d Wh below meter start %d Wh", ErrInvalidSession, s.MeterStop, s.MeterStart)
	}
	if e := s.MeterStop - s.MeterStart; e > MaxEnergyWh || e < 0 {
		return fmt.Errorf("%w: energy %d Wh above %d Wh", ErrInvalidSession, e, MaxEnergyWh)
	}
	if !s.IdleFrom.IsZero() && !s.IdleUntil.IsZero() && s.IdleUntil.Before(s.IdleFrom) {
		return fmt.Errorf("%w: idle until %s before idle from %s", ErrInvalidSession, s.IdleUntil.UTC().Format(time.RFC3339), s.IdleFrom.UTC().Format(time.RFC3339))
	}
	return nil
}

// fen returns wh × price rounded half up to fen: price is in 1/10000 yuan
// per kWh, so one fen is 100,000 Wh·price units. Both must be ≥ 0 and small
// enough (MaxEnergyWh, MaxPrice) for the product to fit.
func fen(wh, price int64) int64 {
	return (wh*price + 50_000) / 100_000
}

// idleFee returns the billable idle minutes and their fee in fen. Idle time
// counts only when both ends are set.
func idleFee(v Version, from, until time.Time) (minutes, fee int64) {
	if from.IsZero() || until.IsZero() || !until.After(from) {
		return 0, 0
	}
	minutes = int64(until.Sub(from)/time.Minute) - v.IdleGraceMinutes
	if minutes <= 0 {
		return 0, 0
	}
	fee = minutes * v.IdleFeeFenPerMinute
	if v.IdleFeeCapFen > 0 && fee > v.IdleFeeCapFen {
		fee = v.IdleFeeCapFen
	}
	return minutes, fee
}
