package dispatch

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestShareLoad(t *testing.T) {
	tests := []struct {
		name     string
		limit    int64
		sessions []LoadSession
		policy   LoadPolicy
		want     map[string]int64
	}{
		{"enough for everyone", 100000, []LoadSession{{ID: "a", MaxW: 7000}, {ID: "b", MaxW: 30000}}, FairShare,
			map[string]int64{"a": 7000, "b": 30000}},
		{"equal shares", 30000, []LoadSession{{ID: "a", MaxW: 30000}, {ID: "b", MaxW: 30000}, {ID: "c", MaxW: 30000}}, FairShare,
			map[string]int64{"a": 10000, "b": 10000, "c": 10000}},
		{"small max leaves more for others", 30000, []LoadSession{{ID: "a", MaxW: 7000}, {ID: "b", MaxW: 30000}, {ID: "c", MaxW: 30000}}, FairShare,
			map[string]int64{"a": 7000, "b": 11500, "c": 11500}},
		{"integer remainder goes by id", 10, []LoadSession{{ID: "b", MaxW: 100}, {ID: "a", MaxW: 100}, {ID: "c", MaxW: 100}}, FairShare,
			map[string]int64{"a": 4, "b": 3, "c": 3}},
		{"below minimum is paused", 10000, []LoadSession{{ID: "a", MaxW: 30000, MinW: 6000}, {ID: "b", MaxW: 30000, MinW: 6000}}, FairShare,
			map[string]int64{"a": 10000, "b": 0}},
		{"larger minimum paused first", 12000, []LoadSession{{ID: "a", MaxW: 30000, MinW: 4000}, {ID: "b", MaxW: 30000, MinW: 8000}, {ID: "c", MaxW: 30000, MinW: 1000}}, FairShare,
			map[string]int64{"a": 6000, "b": 0, "c": 6000}},
		{"favour queued-for and nearly finished", 30000, []LoadSession{{ID: "a", MaxW: 20000}, {ID: "b", MaxW: 20000, QueuedFor: true}, {ID: "c", MaxW: 20000, NearlyFinished: true}}, FavourBusy,
			map[string]int64{"a": 0, "b": 15000, "c": 15000}},
		{"favoured capped at max, rest shared", 50000, []LoadSession{{ID: "a", MaxW: 20000}, {ID: "b", MaxW: 20000, QueuedFor: true}, {ID: "c", MaxW: 20000}}, FavourBusy,
			map[string]int64{"a": 15000, "b": 20000, "c": 15000}},
		{"impossible session gets nothing", 50000, []LoadSession{{ID: "a", MaxW: 5000, MinW: 6000}, {ID: "b", MaxW: 0}}, FairShare,
			map[string]int64{"a": 0, "b": 0}},
		{"no power", 0, []LoadSession{{ID: "a", MaxW: 5000}}, FairShare, map[string]int64{"a": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, ShareLoad(tt.limit, tt.sessions, tt.policy)); d != "" {
				t.Errorf("allocation (-want +got):\n%s", d)
			}
		})
	}
}

func TestShareLoadProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 2000 {
		n := rng.IntN(12)
		var ss []LoadSession
		var sumMax int64
		for i := range n {
			mx := rng.Int64N(50000)
			s := LoadSession{ID: fmt.Sprintf("s%02d", i), MaxW: mx, MinW: rng.Int64N(mx/2 + 1), QueuedFor: rng.IntN(3) == 0, NearlyFinished: rng.IntN(4) == 0}
			sumMax += mx
			ss = append(ss, s)
		}
		limit := rng.Int64N(200000)
		policy := []LoadPolicy{FairShare, FavourBusy}[rng.IntN(2)]
		got := ShareLoad(limit, ss, policy)
		var sum int64
		for _, s := range ss {
			w := got[s.ID]
			if w < 0 || w > s.MaxW || (w > 0 && w < s.MinW) {
				t.Fatalf("trial %d: session %+v got %d W, want 0 or within [min, max]", trial, s, w)
			}
			sum += w
		}
		if sum > limit {
			t.Fatalf("trial %d: got sum %d W, want at most limit %d W", trial, sum, limit)
		}
		if len(got) != n {
			t.Fatalf("trial %d: got %d allocations, want %d", trial, len(got), n)
		}
		// With no minimums in play, water-filling uses all it can.
		if allZeroMin(ss) && sum != min(limit, sumMax) {
			t.Fatalf("trial %d: got sum %d W, want min(limit %d, Σmax %d)", trial, sum, limit, sumMax)
		}
	}
}

func allZeroMin(ss []LoadSession) bool {
	for _, s := range ss {
		if s.MinW > 0 {
			return false
		}
	}
	return true
}

func TestReservationPolicy(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	p := ReservationPolicy{HoldWindow: 15 * time.Minute, MaxNoShowsPerMonth: 2}
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	noShow := func(id string, reserved time.Time) Reservation {
		return Reservation{ID: id, DriverID: "d1", ReservedAt: reserved, ExpiresAt: p.Expiry(reserved)}
	}
	tests := []struct {
		name string
		past []Reservation
		want error
	}{
		{"first reservation", nil, nil},
		{"active reservation blocks", []Reservation{noShow("r1", now.Add(-5*time.Minute))}, ErrActiveReservation},
		{"another driver's active reservation does not", []Reservation{{ID: "r1", DriverID: "d2", ExpiresAt: now.Add(time.Minute)}}, nil},
		{"started reservation is not active", []Reservation{{ID: "r1", DriverID: "d1", ExpiresAt: now.Add(time.Minute), StartedAt: now}}, nil},
		{"one no-show is allowed", []Reservation{noShow("r1", now.Add(-time.Hour))}, nil},
		{"two no-shows this month refuse", []Reservation{noShow("r1", now.Add(-time.Hour)), noShow("r2", now.Add(-48*time.Hour))}, ErrTooManyNoShows},
		{"last month's no-shows do not count", []Reservation{noShow("r1", now.Add(-time.Hour)), noShow("r2", time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC))}, nil},
		// 2025-02-28 16:30 UTC expires 16:45 UTC = 2025-03-01 00:45 in Shanghai: March.
		{"month follows the site time zone", []Reservation{noShow("r1", now.Add(-time.Hour)), noShow("r2", time.Date(2025, 2, 28, 16, 30, 0, 0, time.UTC))}, ErrTooManyNoShows},
		{"cancelled is not a no-show", []Reservation{noShow("r1", now.Add(-time.Hour)), {ID: "r2", DriverID: "d1", ExpiresAt: now.Add(-time.Hour), CancelledAt: now.Add(-2 * time.Hour)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := p.Reserve("new", "d1", "A", tt.past, now, shanghai)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if err == nil && !r.ExpiresAt.Equal(now.Add(15*time.Minute)) {
				t.Errorf("got expiry %s, want %s", r.ExpiresAt, now.Add(15*time.Minute))
			}
		})
	}
	r := noShow("r", now)
	for _, c := range []struct {
		at             time.Time
		active, noShow bool
	}{{now, true, false}, {now.Add(15 * time.Minute), false, true}} {
		if got := p.Active(r, c.at); got != c.active {
			t.Errorf("at %s: got active %v, want %v", c.at, got, c.active)
		}
		if got := p.NoShow(r, c.at); got != c.noShow {
			t.Errorf("at %s: got no-show %v, want %v", c.at, got, c.noShow)
		}
	}
}
