package sim

import (
	"math"
	"slices"
	"time"

	"campuscharge/internal/ocpp"
)

// profilePhases is the number of phases assumed when a period gives none.
const profilePhases = 3

// installedProfile is a charging profile installed on a connector (0 = the
// charge point); guarded by Charger.mu.
type installedProfile struct {
	connector int
	p         ocpp.ChargingProfile
	tx        *transaction // the transaction a TxProfile belongs to
	installed time.Time
}

// periodLimitW converts a schedule period's limit to W.
func periodLimitW(unit ocpp.ChargingRateUnit, per ocpp.ChargingSchedulePeriod) int {
	if unit == ocpp.ChargingRateUnitA {
		phases := profilePhases
		if per.NumberPhases != nil {
			phases = *per.NumberPhases
		}
		return int(math.Round(per.Limit * acVoltageV * float64(phases)))
	}
	return int(math.Round(per.Limit))
}

// scheduleStart is when the profile's schedule starts for connector k.
func scheduleStart(ip *installedProfile, k *connector, now time.Time) time.Time {
	s := ip.p.ChargingSchedule
	switch ip.p.ChargingProfileKind {
	case ocpp.ChargingProfileKindRelative:
		if k != nil && k.tx != nil {
			return k.tx.start
		}
		return now
	case ocpp.ChargingProfileKindRecurring:
		start := ip.installed
		if s.StartSchedule != nil {
			start = s.StartSchedule.Time
		}
		period := 24 * time.Hour
		if ip.p.RecurrencyKind == ocpp.RecurrencyKindWeekly {
			period = 7 * 24 * time.Hour
		}
		if now.After(start) {
			start = start.Add(now.Sub(start) / period * period)
		}
		return start
	}
	if s.StartSchedule != nil {
		return s.StartSchedule.Time
	}
	if ip.p.ValidFrom != nil {
		return ip.p.ValidFrom.Time
	}
	return ip.installed
}

// profileLimitAt is the limit of one profile at t, in W.
func profileLimitAt(ip *installedProfile, k *connector, t time.Time) (int, bool) {
	if ip.p.ValidFrom != nil && t.Before(ip.p.ValidFrom.Time) {
		return 0, false
	}
	if ip.p.ValidTo != nil && !t.Before(ip.p.ValidTo.Time) {
		return 0, false
	}
	s := ip.p.ChargingSchedule
	elapsed := t.Sub(scheduleStart(ip, k, t))
	if elapsed < 0 || (s.Duration != nil && elapsed >= time.Duration(*s.Duration)*time.Second) {
		return 0, false
	}
	limit, found := 0, false
	for _, per := range s.ChargingSchedulePeriod {
		if time.Duration(per.StartPeriod)*time.Second <= elapsed {
			limit, found = periodLimitW(s.ChargingRateUnit, per), true
		}
	}
	return limit, found
}

// bestLimit is the limit of the highest-stack profile that applies at t.
func (c *Charger) bestLimit(k *connector, t time.Time, match func(*installedProfile) bool) (int, bool) {
	level, limit, found := -1, 0, false
	for _, ip := range c.profiles {
		if !match(ip) || ip.p.StackLevel < level {
			continue
		}
		if l, ok := profileLimitAt(ip, k, t); ok {
			level, limit, found = ip.p.StackLevel, l, true
		}
	}
	return limit, found
}

// limitAt is the smart-charging limit on connector k at t, in W: the
// TxProfile of its transaction, else its TxDefaultProfile (a connector's
// own before connector 0's), capped by the ChargePointMaxProfile.
func (c *Charger) limitAt(k *connector, t time.Time) (int, bool) {
	limit, ok := 0, false
	if k.tx != nil {
		limit, ok = c.bestLimit(k, t, func(ip *installedProfile) bool {
			return ip.p.ChargingProfilePurpose == ocpp.ChargingProfilePurposeTxProfile && ip.tx == k.tx
		})
	}
	if !ok {
		limit, ok = c.bestLimit(k, t, func(ip *installedProfile) bool {
			return ip.p.ChargingProfilePurpose == ocpp.ChargingProfilePurposeTxDefaultProfile && ip.connector == k.id
		})
	}
	if !ok {
		limit, ok = c.bestLimit(k, t, func(ip *installedProfile) bool {
			return ip.p.ChargingProfilePurpose == ocpp.ChargingProfilePurposeTxDefaultProfile && ip.connector == 0
		})
	}
	if cpMax, found := c.bestLimit(k, t, func(ip *installedProfile) bool {
		return ip.p.ChargingProfilePurpose == ocpp.ChargingProfilePurposeChargePointMaxProfile
	}); found {
		if !ok || cpMax < limit {
			limit = cpMax
		}
		ok = true
	}
	return limit, ok
}

// setChargingProfile installs a profile; c.mu must be held.
func (c *Charger) setChargingProfile(connID int, p ocpp.ChargingProfile, tx *transaction, now time.Time) ocpp.ChargingProfileStatus {
	k := c.connectorLocked(connID)
	switch {
	case connID != 0 && k == nil:
		return ocpp.ChargingProfileStatusRejected
	case p.StackLevel > c.configInt(keyChargeProfileMaxStackLevel, 10):
		return ocpp.ChargingProfileStatusRejected
	case len(p.ChargingSchedule.ChargingSchedulePeriod) > c.configInt(keyChargingScheduleMaxPeriods, 24):
		return ocpp.ChargingProfileStatusRejected
	}
	switch p.ChargingProfilePurpose {
	case ocpp.ChargingProfilePurposeChargePointMaxProfile:
		if connID != 0 {
			return ocpp.ChargingProfileStatusRejected
		}
	case ocpp.ChargingProfilePurposeTxProfile:
		if k == nil {
			return ocpp.ChargingProfileStatusRejected
		}
		if tx == nil {
			tx = k.tx
		}
		if tx == nil || (p.TransactionID != nil && *p.TransactionID != tx.serverID) {
			return ocpp.ChargingProfileStatusRejected
		}
	}
	kept := c.profiles[:0]
	for _, ip := range c.profiles {
		same := ip.p.ChargingProfileID == p.ChargingProfileID ||
			(ip.connector == connID && ip.p.StackLevel == p.StackLevel && ip.p.ChargingProfilePurpose == p.ChargingProfilePurpose)
		if !same {
			kept = append(kept, ip)
		}
	}
	c.profiles = kept
	if len(c.profiles) >= c.configInt(keyMaxChargingProfilesInstalld, 20) {
		return ocpp.ChargingProfileStatusRejected
	}
	c.profiles = append(c.profiles, &installedProfile{connector: connID, p: p, tx: tx, installed: now})
	c.advanceLocked(now)
	return ocpp.ChargingProfileStatusAccepted
}

// clearChargingProfile removes matching profiles; c.mu must be held.
func (c *Charger) clearChargingProfile(req *ocpp.ClearChargingProfileRequest, now time.Time) ocpp.ClearChargingProfileStatus {
	kept := c.profiles[:0]
	removed := false
	for _, ip := range c.profiles {
		match := (req.ID == nil || ip.p.ChargingProfileID == *req.ID) &&
			(req.ConnectorID == nil || ip.connector == *req.ConnectorID) &&
			(req.ChargingProfilePurpose == "" || ip.p.ChargingProfilePurpose == req.ChargingProfilePurpose) &&
			(req.StackLevel == nil || ip.p.StackLevel == *req.StackLevel)
		if match {
			removed = true
			continue
		}
		kept = append(kept, ip)
	}
	clear(c.profiles[len(kept):])
	c.profiles = kept
	if !removed {
		return ocpp.ClearChargingProfileStatusUnknown
	}
	c.advanceLocked(now)
	return ocpp.ClearChargingProfileStatusAccepted
}

// dropTxProfilesLocked removes the TxProfiles of a finished transaction.
func (c *Charger) dropTxProfilesLocked(tx *transaction) {
	c.profiles = slices.DeleteFunc(c.profiles, func(ip *installedProfile) bool { return ip.tx == tx })
}

// compositeSchedule answers a GetCompositeSchedule; c.mu must be held.
func (c *Charger) compositeSchedule(req *ocpp.GetCompositeScheduleRequest, now time.Time) ocpp.GetCompositeScheduleResponse {
	if req.ConnectorID < 0 || req.ConnectorID > len(c.conns) {
		return ocpp.GetCompositeScheduleResponse{Status: ocpp.GetCompositeScheduleStatusRejected}
	}
	ks := c.conns
	if req.ConnectorID > 0 {
		ks = []*connector{c.conns[req.ConnectorID-1]}
	}
	end := now.Add(time.Duration(req.Duration) * time.Second)
	// Candidate change points: now and every period boundary in the window.
	points := []time.Time{now}
	for _, ip := range c.profiles {
		for _, k := range ks {
			start := scheduleStart(ip, k, now)
			s := ip.p.ChargingSchedule
			for _, per := range s.ChargingSchedulePeriod {
				points = append(points, start.Add(time.Duration(per.StartPeriod)*time.Second))
			}
			if s.Duration != nil {
				points = append(points, start.Add(time.Duration(*s.Duration)*time.Second))
			}
		}
		if ip.p.ValidTo != nil {
			points = append(points, ip.p.ValidTo.Time)
		}
		if ip.p.ValidFrom != nil {
			points = append(points, ip.p.ValidFrom.Time)
		}
	}
	slices.SortFunc(points, func(a, b time.Time) int { return a.Compare(b) })
	unit := req.ChargingRateUnit
	if unit == "" {
		unit = ocpp.ChargingRateUnitW
	}
	sched := ocpp.ChargingSchedule{ChargingRateUnit: unit}
	sched.Duration = &req.Duration
	start := ocpp.NewDateTime(now)
	sched.StartSchedule = &start
	lastW := -1
	for _, t := range points {
		if t.Before(now) || (!t.Before(end) && req.Duration > 0) {
			continue
		}
		w := 0
		for _, k := range ks {
			kw := c.ratedW()
			if l, ok := c.limitAt(k, t); ok {
				kw = min(kw, l)
			}
			w += kw
		}
		if w == lastW {
			continue
		}
		lastW = w
		limit := float64(w)
		if unit == ocpp.ChargingRateUnitA {
			limit = math.Round(float64(w)/(acVoltageV*profilePhases)*10) / 10
		}
		sched.ChargingSchedulePeriod = append(sched.ChargingSchedulePeriod, ocpp.ChargingSchedulePeriod{
			StartPeriod: int(t.Sub(now) / time.Second), Limit: limit,
		})
	}
	id := req.ConnectorID
	return ocpp.GetCompositeScheduleResponse{
		Status: ocpp.GetCompositeScheduleStatusAccepted, ConnectorID: &id, ScheduleStart: &start, ChargingSchedule: &sched,
	}
}
