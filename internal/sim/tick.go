package sim

import (
	"time"

	"campuscharge/internal/ocpp"
)

// tick advances the charger to the clock's time: energy and SoC, expired
// reservations, fault recovery and, with the Behaviour's rates, random
// faults, drops and drivers. It reports whether to drop the connection.
func (c *Charger) tick() (drop bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clk.Now()
	hours := now.Sub(c.lastTick).Hours()
	c.advanceLocked(now)
	for _, k := range c.conns {
		if r := k.reservation; r != nil && !now.Before(r.expiry) {
			c.log.Info("reservation expired", "connector", k.id, "reservation", r.id)
			k.reservation = nil
		}
		if k.errorCode != "" && !k.recoverAt.IsZero() && !now.Before(k.recoverAt) {
			c.log.Info("fault recovered", "connector", k.id)
			k.errorCode, k.recoverAt = "", time.Time{}
		}
		if !k.leaveAt.IsZero() && !now.Before(k.leaveAt) {
			c.log.Info("driver leaves", "connector", k.id)
			c.unplugLocked(k)
		}
	}
	if hours > 0 {
		c.randomEventsLocked(now, hours)
		drop = c.b.DropRate > 0 && c.sess != nil && c.rnd.Float64() < c.b.DropRate*hours
	}
	c.syncStatusLocked()
	return drop
}

// randomEventsLocked draws faults and drivers for the elapsed hours.
func (c *Charger) randomEventsLocked(now time.Time, hours float64) {
	if c.b.FaultRate > 0 && c.rnd.Float64() < c.b.FaultRate*hours {
		k := c.conns[c.rnd.IntN(len(c.conns))]
		if k.errorCode == "" {
			codes := faultCodes()
			c.faultLocked(k, codes[c.rnd.IntN(len(codes))])
			k.recoverAt = now.Add(time.Duration(5+c.rnd.IntN(26)) * time.Minute)
			c.log.Info("random fault", "connector", k.id, "code", k.errorCode)
		}
	}
	if c.b.AutoPlugRate <= 0 {
		return
	}
	if c.rnd.Float64() < c.b.AutoPlugRate*hours {
		k := c.conns[c.rnd.IntN(len(c.conns))]
		if !k.plugged && k.errorCode == "" && !k.inoperative && !c.cpInoperative && k.reservation == nil {
			k.plugged, k.finishing = true, false
			k.soc = float64(10 + c.rnd.IntN(60))
			// Without a remote start or a swipe, the driver gives up after a while.
			k.leaveAt = now.Add(time.Duration(10+c.rnd.IntN(20)) * time.Minute)
			if len(c.b.IDTags) > 0 {
				c.startTxLocked(k, c.b.IDTags[c.rnd.IntN(len(c.b.IDTags))], now)
				k.leaveAt = time.Time{}
			}
			c.log.Info("driver plugs in", "connector", k.id)
		}
	}
	for _, k := range c.conns {
		if !k.plugged || !k.leaveAt.IsZero() {
			continue
		}
		st, _ := c.statusOf(k)
		switch st {
		case ocpp.ChargePointStatusFinishing:
			k.leaveAt = now.Add(time.Duration(1+c.rnd.IntN(5)) * time.Minute)
		case ocpp.ChargePointStatusSuspendedEV:
			// Full battery: the car idles (and pays idle fees) before leaving.
			k.leaveAt = now.Add(time.Duration(10+c.rnd.IntN(30)) * time.Minute)
		}
	}
}
