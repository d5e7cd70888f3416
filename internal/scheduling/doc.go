// Package scheduling is the scheduling service: it applies the pure
// algorithms of internal/dispatch to live chargers. It keeps each site's
// scheduling settings and dispatch state in the database (one JSON document
// per site, changed only under that site's lock, in one place: apply), runs
// the queue (join, change energy or mode, cancel, call, hold, plug-in,
// miss), reserves connectors for drivers (OCPP ReserveNow, or in software
// when a charger cannot), re-dispatches the cars of faulted or offline
// chargers, and shares a site's power limit among its sessions with
// SetChargingProfile. It listens to the event bus (charger status, online,
// offline; session started and stopped), advances time on a background loop
// driven by the injected clock, and publishes queue.updated and
// reservation.updated events carrying the driver's user id.
//
// It must not price anything (fees come from the tariff through billing),
// talk to chargers except through the charging service, or put dispatch
// rules anywhere but internal/dispatch.
package scheduling
