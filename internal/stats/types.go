package stats

import (
	"context"
	"time"
)

// Query is the period and scope of a report.
type Query struct {
	// From and To are the first and last day (inclusive), as dates in the
	// service's time zone; only their year, month and day count.
	From, To time.Time
	// SiteID limits the report to one site; empty = every site.
	SiteID string
}

// MaxDays is the longest period one report covers.
const MaxDays = 400

// DayRow is one day's billed sessions, from the store.
type DayRow struct {
	// Day is YYYYMMDD in the site time zone.
	Day      int   `db:"local_day"`
	Sessions int64 `db:"sessions"`
	// EnergyWh in Wh.
	EnergyWh int64 `db:"energy_wh"`
	// RevenueFen is the billed total, in fen.
	RevenueFen int64 `db:"revenue_fen"`
}

// ChargerTotal is one charger's billed sessions in a period, from the store.
type ChargerTotal struct {
	ChargerID string `db:"charger_id"`
	Sessions  int64  `db:"sessions"`
	// EnergyWh in Wh.
	EnergyWh int64 `db:"energy_wh"`
	// RevenueFen in fen.
	RevenueFen int64 `db:"revenue_fen"`
	// IdleMinutes is the billed idle (occupying, not charging) time, in minutes.
	IdleMinutes int64 `db:"idle_minutes"`
}

// ChargerBusy is the time one charger had transactions open within a
// period, from the store.
type ChargerBusy struct {
	ChargerID string `db:"charger_id"`
	// BusyMS is the sum over its sessions of their overlap with the period, in ms.
	BusyMS int64 `db:"busy_ms"`
}

// Bucket counts session starts in one slice of time, from the store.
type Bucket struct {
	// StartMS is the slice's start, epoch ms UTC.
	StartMS int64 `db:"bucket"`
	Count   int64 `db:"n"`
}

// ChargerInfo is a charger and its connectors' current state, from the store.
type ChargerInfo struct {
	ID     string
	CPID   string
	Name   string
	SiteID string
	// Kind is fast or slow.
	Kind string
	// State is active, pending or disabled.
	State      string
	Online     bool
	Connectors []ConnectorInfo
}

// ConnectorInfo is one connector's current OCPP status.
type ConnectorInfo struct {
	ID       int
	Status   string
	StatusAt time.Time
}

// StatusCount counts rows by status, from the store.
type StatusCount struct {
	Status string `db:"status"`
	Count  int64  `db:"n"`
}

// QueueWait sums queue tickets' waits from joining to their first call,
// from the store.
type QueueWait struct {
	// Tickets counts the tickets first called in the period.
	Tickets int64 `db:"tickets"`
	// WaitMS is the sum of their waits, in ms.
	WaitMS int64 `db:"wait_ms"`
}

// Store is what the statistics read. Days are YYYYMMDD integers in the site
// time zone; siteID "" means every site.
type Store interface {
	Daily(ctx context.Context, fromDay, toDay int, siteID string) ([]DayRow, error)
	ChargerTotals(ctx context.Context, fromDay, toDay int, siteID string) ([]ChargerTotal, error)
	// Busy sums, per charger, the overlap of sessions with [from, to);
	// sessions still open count until to. Sessions that started more than
	// lookback before from are not considered.
	Busy(ctx context.Context, from, to time.Time, lookback time.Duration, siteID string) ([]ChargerBusy, error)
	// StartBuckets counts session starts in [from, to) per slice of width.
	StartBuckets(ctx context.Context, from, to time.Time, width time.Duration, siteID string) ([]Bucket, error)
	Chargers(ctx context.Context, siteID string) ([]ChargerInfo, error)
	// ActiveSessions counts open sessions.
	ActiveSessions(ctx context.Context, siteID string) (int64, error)
	// ReservationOutcomes counts direct reservations made in [from, to) by status.
	ReservationOutcomes(ctx context.Context, from, to time.Time, siteID string) ([]StatusCount, error)
	// QueueWaits sums, over the queue tickets first called in [from, to),
	// the time from joining the queue to that first call.
	QueueWaits(ctx context.Context, from, to time.Time, siteID string) (QueueWait, error)
}
