package stats

import (
	"sort"
	"time"
)

// Day is one day of a report.
type Day struct {
	// Date is YYYY-MM-DD in the site time zone.
	Date     string `json:"date"`
	Sessions int64  `json:"sessions"`
	EnergyWh int64  `json:"energy_wh"`
	// RevenueFen is the billed total of the day's bills, in fen.
	RevenueFen int64 `json:"revenue_fen"`
}

// Totals sums a period.
type Totals struct {
	Sessions   int64 `json:"sessions"`
	EnergyWh   int64 `json:"energy_wh"`
	RevenueFen int64 `json:"revenue_fen"`
}

// ChargerUse is one charger's use of a period. Times are connector-seconds:
// a charger with two connectors has twice the period's length to fill.
type ChargerUse struct {
	ChargerID  string `json:"charger_id"`
	CPID       string `json:"charge_point_id"`
	Name       string `json:"name"`
	SiteID     string `json:"site_id"`
	Kind       string `json:"kind"`
	Connectors int    `json:"connectors"`
	Sessions   int64  `json:"sessions"`
	EnergyWh   int64  `json:"energy_wh"`
	RevenueFen int64  `json:"revenue_fen"`
	// CapacityS is the period's length times the connectors, in seconds.
	CapacityS int64 `json:"capacity_s"`
	// ChargingS is transaction time minus billed idle time, in seconds.
	ChargingS int64 `json:"charging_s"`
	// OccupiedS is billed idle time: plugged in, transaction open, not charging, in seconds.
	OccupiedS int64 `json:"occupied_s"`
	// FaultedS is time in the Faulted state, in seconds (approximated, see Service.Utilisation).
	FaultedS int64 `json:"faulted_s"`
	// IdleS is the rest: free and waiting for a car, in seconds.
	IdleS int64 `json:"idle_s"`
	// The shares of CapacityS, each 0..1, summing to 1.
	ChargingShare float64 `json:"charging_share"`
	OccupiedShare float64 `json:"occupied_share"`
	FaultedShare  float64 `json:"faulted_share"`
	IdleShare     float64 `json:"idle_share"`
}

// KindSplit is the fast or slow chargers' share of a period.
type KindSplit struct {
	Kind       string `json:"kind"`
	Chargers   int    `json:"chargers"`
	Sessions   int64  `json:"sessions"`
	EnergyWh   int64  `json:"energy_wh"`
	RevenueFen int64  `json:"revenue_fen"`
}

// Heatmap counts session starts by weekday and hour in the site time zone.
type Heatmap struct {
	// Counts[weekday][hour]: weekday 0 is Monday … 6 Sunday, hour 0..23.
	Counts [7][24]int64 `json:"counts"`
	// Max is the largest cell, for scaling colours.
	Max int64 `json:"max"`
}

// Dashboard is the state of the chargers now and today's figures.
type Dashboard struct {
	// At is when it was computed.
	At       time.Time `json:"at"`
	Chargers int       `json:"chargers"`
	Online   int       `json:"online"`
	Offline  int       `json:"offline"`
	// Charging counts online chargers with a connector in use.
	Charging int `json:"charging"`
	// Free counts online chargers with a connector available.
	Free int `json:"free"`
	// Faulted counts chargers with a faulted connector.
	Faulted int `json:"faulted"`
	// Maintenance counts chargers disabled, pending approval or with every
	// connector Unavailable.
	Maintenance int `json:"maintenance"`
	// Connectors counts connectors by OCPP status.
	Connectors map[string]int `json:"connectors"`
	// ActiveSessions counts open transactions.
	ActiveSessions int64 `json:"active_sessions"`
	// Today sums today's billed sessions (site time zone).
	Today Totals `json:"today"`
}

// Scheduling reports queue and reservation figures.
type Scheduling struct {
	// Available is always true (the scheduling tables exist once migrated);
	// kept for API clients.
	Available bool `json:"available"`
	// QueueWaitAvailable is always true (the join time is stored with each
	// queue hold); kept for API clients.
	QueueWaitAvailable bool `json:"queue_wait_available"`
	// QueueTickets counts the queue tickets first called in the period.
	QueueTickets int64 `json:"queue_tickets"`
	// AvgQueueWaitS is their average wait from joining the queue to their
	// first call, in seconds (rounded down; 0 without tickets).
	AvgQueueWaitS int64 `json:"avg_queue_wait_s"`
	Reservations  int64 `json:"reservations"`
	Used          int64 `json:"used"`
	NoShows       int64 `json:"no_shows"`
	Cancelled     int64 `json:"cancelled"`
	// NoShowRate is no-shows / (used + no-shows), 0..1.
	NoShowRate float64 `json:"no_show_rate"`
}

// Connector statuses (OCPP 1.6) the dashboard groups.
var (
	inUse = map[string]bool{"Preparing": true, "Charging": true, "SuspendedEV": true, "SuspendedEVSE": true, "Finishing": true}
)

// dayNumber is YYYYMMDD of t's date.
func dayNumber(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// fillDays returns one Day per date in [from, to], zero where rows have none.
func fillDays(from, to time.Time, rows []DayRow) []Day {
	byDay := map[int]DayRow{}
	for _, r := range rows {
		byDay[r.Day] = r
	}
	var out []Day
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		r := byDay[dayNumber(d)]
		out = append(out, Day{Date: d.Format("2006-01-02"), Sessions: r.Sessions, EnergyWh: r.EnergyWh, RevenueFen: r.RevenueFen})
	}
	return out
}

// faultedMS is how long a connector has been Faulted within [from, to),
// judged from its current status: the time since it last changed status.
func faultedMS(c ConnectorInfo, from, to time.Time) int64 {
	if c.Status != "Faulted" || c.StatusAt.IsZero() {
		return 0
	}
	start := c.StatusAt
	if start.Before(from) {
		start = from
	}
	if !start.Before(to) {
		return 0
	}
	return to.Sub(start).Milliseconds()
}

// utilisation combines a charger's figures into shares of its capacity
// over [from, to); busy is transaction time in ms.
func utilisation(c ChargerInfo, t ChargerTotal, busyMS int64, from, to time.Time) ChargerUse {
	n := 0
	var faulted int64
	for _, k := range c.Connectors {
		if k.ID > 0 {
			n++
			faulted += faultedMS(k, from, to)
		}
	}
	if n == 0 {
		n = 1
	}
	u := ChargerUse{ChargerID: c.ID, CPID: c.CPID, Name: c.Name, SiteID: c.SiteID, Kind: c.Kind, Connectors: n,
		Sessions: t.Sessions, EnergyWh: t.EnergyWh, RevenueFen: t.RevenueFen}
	u.CapacityS = int64(n) * int64(to.Sub(from)/time.Second)
	busy := clamp(busyMS/1000, 0, u.CapacityS)
	u.OccupiedS = clamp(t.IdleMinutes*60, 0, busy)
	u.ChargingS = busy - u.OccupiedS
	u.FaultedS = clamp(faulted/1000, 0, u.CapacityS-busy)
	u.IdleS = u.CapacityS - busy - u.FaultedS
	if u.CapacityS > 0 {
		c := float64(u.CapacityS)
		u.ChargingShare, u.OccupiedShare, u.FaultedShare, u.IdleShare = float64(u.ChargingS)/c, float64(u.OccupiedS)/c, float64(u.FaultedS)/c, float64(u.IdleS)/c
	}
	return u
}

func clamp(v, lo, hi int64) int64 { return max(lo, min(v, hi)) }

// heatmap spreads start counts over weekday × hour in loc.
func heatmap(buckets []Bucket, loc *time.Location) Heatmap {
	var h Heatmap
	for _, b := range buckets {
		t := time.UnixMilli(b.StartMS).In(loc)
		wd := (int(t.Weekday()) + 6) % 7
		h.Counts[wd][t.Hour()] += b.Count
		h.Max = max(h.Max, h.Counts[wd][t.Hour()])
	}
	return h
}

// split sums charger figures by kind, fast first.
func split(uses []ChargerUse) []KindSplit {
	byKind := map[string]*KindSplit{}
	for _, u := range uses {
		k := byKind[u.Kind]
		if k == nil {
			k = &KindSplit{Kind: u.Kind}
			byKind[u.Kind] = k
		}
		k.Chargers++
		k.Sessions += u.Sessions
		k.EnergyWh += u.EnergyWh
		k.RevenueFen += u.RevenueFen
	}
	out := []KindSplit{}
	for _, k := range byKind {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// rank returns the n most used chargers (by energy, then sessions) and the
// n least used (by busy share, then energy), each best-first / worst-first.
func rank(uses []ChargerUse, n int) (top, least []ChargerUse) {
	byEnergy := append([]ChargerUse(nil), uses...)
	sort.SliceStable(byEnergy, func(i, j int) bool {
		a, b := byEnergy[i], byEnergy[j]
		if a.EnergyWh != b.EnergyWh {
			return a.EnergyWh > b.EnergyWh
		}
		if a.Sessions != b.Sessions {
			return a.Sessions > b.Sessions
		}
		return a.ChargerID < b.ChargerID
	})
	byUse := append([]ChargerUse(nil), uses...)
	sort.SliceStable(byUse, func(i, j int) bool {
		a, b := byUse[i], byUse[j]
		sa, sb := a.ChargingShare+a.OccupiedShare, b.ChargingShare+b.OccupiedShare
		if sa != sb {
			return sa < sb
		}
		if a.EnergyWh != b.EnergyWh {
			return a.EnergyWh < b.EnergyWh
		}
		return a.ChargerID < b.ChargerID
	})
	return byEnergy[:min(n, len(byEnergy))], byUse[:min(n, len(byUse))]
}

// dashboard classifies chargers by their connectors' current status.
func dashboard(cs []ChargerInfo) Dashboard {
	d := Dashboard{Chargers: len(cs), Connectors: map[string]int{}}
	for _, c := range cs {
		if c.Online {
			d.Online++
		} else {
			d.Offline++
		}
		var charging, free, faulted bool
		unavailable := 0
		n := 0
		for _, k := range c.Connectors {
			if k.ID == 0 {
				continue
			}
			n++
			d.Connectors[k.Status]++
			switch {
			case inUse[k.Status]:
				charging = true
			case k.Status == "Available":
				free = true
			case k.Status == "Faulted":
				faulted = true
			case k.Status == "Unavailable":
				unavailable++
			}
		}
		if faulted {
			d.Faulted++
		}
		if c.State != "active" || (n > 0 && unavailable == n) {
			d.Maintenance++
			continue
		}
		if c.Online && charging {
			d.Charging++
		}
		if c.Online && free {
			d.Free++
		}
	}
	return d
}

// scheduling turns reservation outcomes into rates and queue waits into
// their average.
func scheduling(rows []StatusCount, w QueueWait) Scheduling {
	s := Scheduling{Available: true, QueueWaitAvailable: true, QueueTickets: w.Tickets}
	if w.Tickets > 0 {
		s.AvgQueueWaitS = w.WaitMS / w.Tickets / 1000
	}
	for _, r := range rows {
		s.Reservations += r.Count
		switch r.Status {
		case "used":
			s.Used += r.Count
		case "expired":
			s.NoShows += r.Count
		case "cancelled":
			s.Cancelled += r.Count
		}
	}
	if s.Used+s.NoShows > 0 {
		s.NoShowRate = float64(s.NoShows) / float64(s.Used+s.NoShows)
	}
	return s
}
