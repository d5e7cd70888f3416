package stats

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
)

// Lookback bounds how long before a period a session may have started and
// still overlap it: sessions are closed as abandoned long before this.
const Lookback = 72 * time.Hour

// heatmapSlice is the width of the start-time buckets the store counts;
// 15 minutes fits every time zone's offset.
const heatmapSlice = 15 * time.Minute

// Service answers statistics queries.
type Service struct {
	store Store
	clock clock.Clock
	loc   *time.Location
}

// NewService returns the statistics service; loc is the site time zone in
// which days and hours are counted (bills carry their day in it).
func NewService(st Store, clk clock.Clock, loc *time.Location) *Service {
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: st, clock: clk, loc: loc}
}

// period is a checked query: whole local days [from, to] and the instants
// [start, end) they span, end capped at now.
type period struct {
	from, to   time.Time
	start, end time.Time
	fromDay    int
	toDay      int
	site       string
}

func (s *Service) period(q Query) (period, error) {
	now := s.clock.Now().In(s.loc)
	if q.From.IsZero() && q.To.IsZero() {
		q.To = now
		q.From = now.AddDate(0, 0, -29)
	}
	if q.To.IsZero() {
		q.To = now
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -29)
	}
	from := time.Date(q.From.Year(), q.From.Month(), q.From.Day(), 0, 0, 0, 0, s.loc)
	to := time.Date(q.To.Year(), q.To.Month(), q.To.Day(), 0, 0, 0, 0, s.loc)
	if to.Before(from) || to.Sub(from) > MaxDays*24*time.Hour {
		return period{}, apperr.Field("query.from", "bad_period", MaxDays)
	}
	p := period{from: from, to: to, start: from.UTC(), end: to.AddDate(0, 0, 1).UTC(), fromDay: dayNumber(from), toDay: dayNumber(to), site: q.SiteID}
	if p.end.After(now) {
		p.end = now.UTC()
	}
	if p.end.Before(p.start) {
		p.end = p.start
	}
	return p, nil
}

// Daily returns sessions, energy and revenue per day of the period (every
// day listed, zero when quiet) and their totals. A session counts on its
// bill's day: the day it started, in its site's time zone.
func (s *Service) Daily(ctx context.Context, q Query) ([]Day, Totals, error) {
	p, err := s.period(q)
	if err != nil {
		return nil, Totals{}, err
	}
	rows, err := s.store.Daily(ctx, p.fromDay, p.toDay, p.site)
	if err != nil {
		return nil, Totals{}, fmt.Errorf("daily statistics: %w", err)
	}
	days := fillDays(p.from, p.to, rows)
	var t Totals
	for _, d := range days {
		t.Sessions += d.Sessions
		t.EnergyWh += d.EnergyWh
		t.RevenueFen += d.RevenueFen
	}
	return days, t, nil
}

// Utilisation returns every charger's use of the period. Charging and
// occupied time come from sessions overlapping the period (occupied = the
// idle minutes billed, charging = the rest of the transaction time); faulted
// time is approximated from each connector's current status (Faulted since
// its last status change), as no fault history is kept yet; idle is the rest.
func (s *Service) Utilisation(ctx context.Context, q Query) ([]ChargerUse, error) {
	p, err := s.period(q)
	if err != nil {
		return nil, err
	}
	chargers, err := s.store.Chargers(ctx, p.site)
	if err != nil {
		return nil, fmt.Errorf("utilisation chargers: %w", err)
	}
	totals, err := s.store.ChargerTotals(ctx, p.fromDay, p.toDay, p.site)
	if err != nil {
		return nil, fmt.Errorf("utilisation totals: %w", err)
	}
	busy, err := s.store.Busy(ctx, p.start, p.end, Lookback, p.site)
	if err != nil {
		return nil, fmt.Errorf("utilisation busy time: %w", err)
	}
	byTotal := map[string]ChargerTotal{}
	for _, t := range totals {
		byTotal[t.ChargerID] = t
	}
	byBusy := map[string]int64{}
	for _, b := range busy {
		byBusy[b.ChargerID] = b.BusyMS
	}
	out := make([]ChargerUse, 0, len(chargers))
	for _, c := range chargers {
		out = append(out, utilisation(c, byTotal[c.ID], byBusy[c.ID], p.start, p.end))
	}
	return out, nil
}

// Split returns the fast and slow chargers' share of the period.
func (s *Service) Split(ctx context.Context, q Query) ([]KindSplit, error) {
	uses, err := s.Utilisation(ctx, q)
	if err != nil {
		return nil, err
	}
	return split(uses), nil
}

// Ranking returns the n most used and the n least used chargers.
func (s *Service) Ranking(ctx context.Context, q Query, n int) (top, least []ChargerUse, err error) {
	if n <= 0 || n > 100 {
		n = 10
	}
	uses, err := s.Utilisation(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	top, least = rank(uses, n)
	return top, least, nil
}

// Heatmap counts session starts in the period by weekday and hour, in the
// site time zone.
func (s *Service) Heatmap(ctx context.Context, q Query) (Heatmap, error) {
	p, err := s.period(q)
	if err != nil {
		return Heatmap{}, err
	}
	bs, err := s.store.StartBuckets(ctx, p.start, p.end, heatmapSlice, p.site)
	if err != nil {
		return Heatmap{}, fmt.Errorf("heatmap: %w", err)
	}
	return heatmap(bs, s.loc), nil
}

// Dashboard returns the chargers' state now and today's totals.
func (s *Service) Dashboard(ctx context.Context, siteID string) (Dashboard, error) {
	cs, err := s.store.Chargers(ctx, siteID)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard chargers: %w", err)
	}
	d := dashboard(cs)
	d.At = s.clock.Now()
	if d.ActiveSessions, err = s.store.ActiveSessions(ctx, siteID); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard sessions: %w", err)
	}
	today := dayNumber(d.At.In(s.loc))
	rows, err := s.store.Daily(ctx, today, today, siteID)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard today: %w", err)
	}
	for _, r := range rows {
		d.Today = Totals{Sessions: r.Sessions, EnergyWh: r.EnergyWh, RevenueFen: r.RevenueFen}
	}
	return d, nil
}

// Scheduling returns reservation outcomes in the period (no-show = a
// direct reservation that expired unused) and the average wait of the queue
// tickets first called in it, from joining the queue to that call (a ticket
// called again after missing its window counts once, by its first call).
func (s *Service) Scheduling(ctx context.Context, q Query) (Scheduling, error) {
	p, err := s.period(q)
	if err != nil {
		return Scheduling{}, err
	}
	rows, err := s.store.ReservationOutcomes(ctx, p.start, p.end, p.site)
	if err != nil {
		return Scheduling{}, fmt.Errorf("reservation outcomes: %w", err)
	}
	w, err := s.store.QueueWaits(ctx, p.start, p.end, p.site)
	if err != nil {
		return Scheduling{}, fmt.Errorf("queue waits: %w", err)
	}
	return scheduling(rows, w), nil
}
