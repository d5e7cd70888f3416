package tariff

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Names of the standard time-of-use periods. Custom names are allowed too.
const (
	PeakName   = "peak"
	FlatName   = "flat"
	ValleyName = "valley"
)

// MinutesPerDay is the number of minutes in a nominal day; period ends may
// take this value to mean midnight at the end of the day.
const MinutesPerDay = 24 * 60

// MaxPrice is the largest energy or service price accepted, in 1/10000 yuan
// per kWh (100,000 yuan per kWh). It keeps the fee arithmetic inside int64.
const MaxPrice = 1_000_000_000

// MaxFen is the largest fixed fee (idle per minute, idle cap, reservation,
// no-show) accepted, in fen.
const MaxFen = 1_000_000_000

// ErrInvalidTariff is wrapped by every error that reports a malformed
// Version, so callers can map it to their "invalid" error code.
var ErrInvalidTariff = errors.New("invalid tariff")

// Period is one time-of-use band of the day in the site's time zone.
type Period struct {
	// Name of the period: "peak", "flat", "valley" or a custom name.
	Name string `json:"name"`
	// StartMinute is when the period begins, in minutes after local
	// midnight, 0 to 1439.
	StartMinute int `json:"start_minute"`
	// EndMinute is when the period ends (exclusive), in minutes after local
	// midnight, 0 to 1440. An end at or before the start wraps past
	// midnight: 1380→420 is 23:00–07:00. Start and end may not be equal.
	EndMinute int `json:"end_minute"`
	// EnergyPrice is the electricity price, in 1/10000 yuan per kWh.
	EnergyPrice int64 `json:"energy_price"`
	// ServicePrice is the charging service fee, in 1/10000 yuan per kWh.
	ServicePrice int64 `json:"service_price"`
}

// Version is one edition of a site's tariff. A price change adds a new
// Version with a later EffectiveFrom; past sessions keep the version that was
// in force when they started, so old bills are never rewritten.
type Version struct {
	// EffectiveFrom is the instant the version comes into force; the zero
	// time means "since always".
	EffectiveFrom time.Time `json:"effective_from"`
	// Periods cover the whole day exactly once; order does not matter.
	Periods []Period `json:"periods"`
	// IdleFeeFenPerMinute is the overstay fee, in fen per whole minute, for
	// a car left plugged in after charging finished, once the grace period
	// has passed. Zero means no idle fee.
	IdleFeeFenPerMinute int64 `json:"idle_fee_fen_per_minute"`
	// IdleGraceMinutes is the free idle time, in minutes.
	IdleGraceMinutes int64 `json:"idle_grace_minutes"`
	// IdleFeeCapFen caps the idle fee of one session, in fen; zero means
	// no cap.
	IdleFeeCapFen int64 `json:"idle_fee_cap_fen"`
	// ReservationFeeFen is charged for holding a charger, in fen.
	ReservationFeeFen int64 `json:"reservation_fee_fen"`
	// NoShowFeeFen is charged when a reservation expires unused, in fen.
	NoShowFeeFen int64 `json:"no_show_fee_fen"`
}

// Default returns the tariff for a new site: peak 1.00 ¥/kWh (10:00–15:00,
// 18:00–21:00), flat 0.70 ¥/kWh (07:00–10:00, 15:00–18:00, 21:00–23:00),
// valley 0.40 ¥/kWh (23:00–07:00), a service fee of 0.80 ¥/kWh in every
// period, in force since always and with no idle, reservation or no-show fee.
func Default() Version {
	const (
		peak    = 10000
		flat    = 7000
		valley  = 4000
		service = 8000
	)
	p := func(name string, from, to int, price int64) Period {
		return Period{Name: name, StartMinute: from * 60, EndMinute: to * 60, EnergyPrice: price, ServicePrice: service}
	}
	return Version{Periods: []Period{
		p(FlatName, 7, 10, flat),
		p(PeakName, 10, 15, peak),
		p(FlatName, 15, 18, flat),
		p(PeakName, 18, 21, peak),
		p(FlatName, 21, 23, flat),
		p(ValleyName, 23, 7, valley),
	}}
}

// Select returns the version in force at the instant at: the one with the
// latest EffectiveFrom not after at. Among versions with the same
// EffectiveFrom the one later in the slice wins. It reports false when no
// version is in force yet. The slice need not be sorted.
func Select(versions []Version, at time.Time) (Version, bool) {
	best := -1
	for i, v := range versions {
		if v.EffectiveFrom.After(at) {
			continue
		}
		if best < 0 || !v.EffectiveFrom.Before(versions[best].EffectiveFrom) {
			best = i
		}
	}
	if best < 0 {
		return Version{}, false
	}
	return versions[best], true
}

// ReservationCharge returns what a reservation costs under v, in fen: the
// reservation fee, plus the no-show fee when the driver never came.
func ReservationCharge(v Version, noShow bool) int64 {
	fee := v.ReservationFeeFen
	if noShow {
		fee += v.NoShowFeeFen
	}
	return fee
}

// Validate checks that the periods cover the 24 hours of the day exactly
// once (no gap, no overlap), that every period has a name, minutes in range
// and prices between 0 and MaxPrice, and that the fixed fees are between 0
// and MaxFen. The error lists every problem, naming the period by index and
// name, and wraps ErrInvalidTariff.
func (v Version) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if len(v.Periods) == 0 {
		bad("no periods")
	}
	// owner[m] is the index of the period covering minute m, -1 for none.
	var owner [MinutesPerDay]int
	for m := range owner {
		owner[m] = -1
	}
	overlaps := map[[2]int][]int{}
	for i, p := range v.Periods {
		label := fmt.Sprintf("period %d %q", i, p.Name)
		if p.Name == "" {
			bad("%s: empty name", label)
		}
		if p.EnergyPrice < 0 || p.EnergyPrice > MaxPrice {
			bad("%s: energy price %d out of range [0, %d]", label, p.EnergyPrice, MaxPrice)
		}
		if p.ServicePrice < 0 || p.ServicePrice > MaxPrice {
			bad("%s: service price %d out of range [0, %d]", label, p.ServicePrice, MaxPrice)
		}
		okMinutes := true
		if p.StartMinute < 0 || p.StartMinute >= MinutesPerDay {
			bad("%s: start minute %d out of range [0, %d]", label, p.StartMinute, MinutesPerDay-1)
			okMinutes = false
		}
		if p.EndMinute < 0 || p.EndMinute > MinutesPerDay {
			bad("%s: end minute %d out of range [0, %d]", label, p.EndMinute, MinutesPerDay)
			okMinutes = false
		}
		if okMinutes && p.StartMinute == p.EndMinute {
			bad("%s: starts and ends at %s", label, clock(p.StartMinute))
			okMinutes = false
		}
		if !okMinutes {
			continue
		}
		for _, r := range p.ranges() {
			for m := r[0]; m < r[1]; m++ {
				if j := owner[m]; j >= 0 {
					overlaps[[2]int{j, i}] = append(overlaps[[2]int{j, i}], m)
					continue
				}
				owner[m] = i
			}
		}
	}
	for _, key := range sortedKeys(overlaps) {
		a, b := key[0], key[1]
		for _, r := range runs(overlaps[key]) {
			bad("period %d %q and period %d %q overlap %s–%s", a, v.Periods[a].Name, b, v.Periods[b].Name, clock(r[0]), clock(r[1]))
		}
	}
	if len(v.Periods) > 0 {
		var gap []int
		for m, o := range owner {
			if o < 0 {
				gap = append(gap, m)
			}
		}
		for _, r := range runs(gap) {
			bad("gap %s–%s covered by no period", clock(r[0]), clock(r[1]))
		}
	}
	fees := []struct {
		name string
		fen  int64
	}{
		{"idle fee per minute", v.IdleFeeFenPerMinute},
		{"idle grace minutes", v.IdleGraceMinutes},
		{"idle fee cap", v.IdleFeeCapFen},
		{"reservation fee", v.ReservationFeeFen},
		{"no-show fee", v.NoShowFeeFen},
	}
	for _, f := range fees {
		if f.fen < 0 || f.fen > MaxFen {
			bad("%s %d out of range [0, %d]", f.name, f.fen, MaxFen)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalidTariff, errors.Join(errs...))
}

// ranges returns the minute ranges [from, to) the period covers, split at
// midnight when it wraps. The minutes must be in range.
func (p Period) ranges() [][2]int {
	if p.EndMinute > p.StartMinute {
		return [][2]int{{p.StartMinute, p.EndMinute}}
	}
	rs := [][2]int{{p.StartMinute, MinutesPerDay}}
	if p.EndMinute > 0 {
		rs = append(rs, [2]int{0, p.EndMinute})
	}
	return rs
}

// runs groups ascending minutes into contiguous ranges [from, to).
func runs(minutes []int) [][2]int {
	var rs [][2]int
	for _, m := range minutes {
		if n := len(rs); n > 0 && rs[n-1][1] == m {
			rs[n-1][1] = m + 1
			continue
		}
		rs = append(rs, [2]int{m, m + 1})
	}
	return rs
}

// sortedKeys returns the overlap keys in a stable order.
func sortedKeys(m map[[2]int][]int) [][2]int {
	keys := make([][2]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return keys
}

// clock formats minutes after midnight as hh:mm.
func clock(minute int) string {
	return fmt.Sprintf("%02d:%02d", minute/60, minute%60)
}
