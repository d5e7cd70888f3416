package dispatch

import (
	"cmp"
	"slices"
)

// LoadSession is an active charging session sharing a site power limit.
type LoadSession struct {
	// ID identifies the session in the result.
	ID string `json:"id"`
	// MaxW is the most power the session can take, in W.
	MaxW int64 `json:"max_w"`
	// MinW is the power below which its charger cannot charge, in W.
	MinW int64 `json:"min_w"`
	// QueuedFor is set when other cars wait for this charger.
	QueuedFor bool `json:"queued_for,omitempty"`
	// NearlyFinished is set when the session is close to its target.
	NearlyFinished bool `json:"nearly_finished,omitempty"`
}

// LoadPolicy says how ShareLoad divides the limit.
type LoadPolicy string

// Load sharing policies.
const (
	// FairShare water-fills: everyone gets the same power, nobody more than
	// its maximum, the leftover redistributed among the others.
	FairShare LoadPolicy = "fair"
	// FavourBusy first water-fills the sessions that are queued for or nearly
	// finished (to free chargers sooner), then shares what is left among the
	// others.
	FavourBusy LoadPolicy = "favour_busy"
)

// ShareLoad divides limitW among sessions and returns each session's power,
// in W, by ID. The sum never exceeds limitW and no session gets more than
// its MaxW; a session that cannot get its MinW gets 0 (paused) rather than
// breaking the limit: while the water level leaves someone below its
// minimum, the session with the largest minimum (ties: larger ID) is paused
// and the rest re-shared.
func ShareLoad(limitW int64, sessions []LoadSession, policy LoadPolicy) map[string]int64 {
	out := make(map[string]int64, len(sessions))
	var first, second []LoadSession
	for _, s := range sessions {
		out[s.ID] = 0
		if s.MaxW <= 0 || s.MinW > s.MaxW {
			continue
		}
		if policy == FavourBusy && (s.QueuedFor || s.NearlyFinished) {
			first = append(first, s)
		} else {
			second = append(second, s)
		}
	}
	left := max(0, limitW)
	for _, group := range [][]LoadSession{first, second} {
		for id, w := range shareWithMinimum(left, group) {
			out[id] = w
			left -= w
		}
	}
	return out
}

// shareWithMinimum water-fills limit over group, pausing sessions whose
// minimum cannot be met.
func shareWithMinimum(limit int64, group []LoadSession) map[string]int64 {
	active := slices.Clone(group)
	for {
		alloc := waterFill(limit, active)
		worst := -1
		for i, s := range active {
			if alloc[s.ID] < s.MinW && (worst < 0 || s.MinW > active[worst].MinW ||
				(s.MinW == active[worst].MinW && s.ID > active[worst].ID)) {
				worst = i
			}
		}
		if worst < 0 {
			return alloc
		}
		active = slices.Delete(active, worst, worst+1)
	}
}

// waterFill gives everyone the same level capped at MaxW, spreading the
// leftover; the integer remainder goes one W at a time by ascending ID to
// sessions still below their maximum.
func waterFill(limit int64, group []LoadSession) map[string]int64 {
	s := slices.Clone(group)
	slices.SortFunc(s, func(a, b LoadSession) int { return cmp.Or(cmp.Compare(a.MaxW, b.MaxW), cmp.Compare(a.ID, b.ID)) })
	alloc := make(map[string]int64, len(s))
	left := limit
	var open []LoadSession
	for i, x := range s {
		share := left / int64(len(s)-i)
		if x.MaxW <= share {
			alloc[x.ID] = x.MaxW
			left -= x.MaxW
			continue
		}
		open = s[i:]
		for _, y := range open {
			alloc[y.ID] = share
		}
		left -= share * int64(len(open))
		break
	}
	slices.SortFunc(open, func(a, b LoadSession) int { return cmp.Compare(a.ID, b.ID) })
	for _, y := range open {
		if left == 0 {
			break
		}
		if alloc[y.ID] < y.MaxW {
			alloc[y.ID]++
			left--
		}
	}
	return alloc
}
