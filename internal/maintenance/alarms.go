package maintenance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
)

// raise is one occurrence of a fault.
type raise struct {
	chargerID, siteID string
	connectorID       int
	sessionID         string
	source, code      string
	severity          Severity
	detail            string
	// once: an unresolved alarm about the same session is this condition
	// still lasting (a periodic check), not a new occurrence.
	once bool
}

// criticalCodes are OCPP error codes that make a Faulted connector unsafe.
var criticalCodes = map[string]bool{"GroundFailure": true, "OverCurrentFailure": true, "OverVoltage": true, "HighTemperature": true, "PowerSwitchFailure": true}

// statusSeverity ranks a StatusNotification's error: critical for electrical
// and thermal faults of a Faulted connector, major for other faults, minor
// for an error reported while the connector still works.
func statusSeverity(status, code string) Severity {
	switch {
	case status != "Faulted":
		return Minor
	case criticalCodes[code]:
		return Critical
	}
	return Major
}

func intOf(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func (s *Service) onStatus(ctx context.Context, e events.Event) error {
	m, _ := e.Data.(map[string]any)
	status, _ := m["status"].(string)
	code, _ := m["error_code"].(string)
	vendor, _ := m["vendor_error"].(string)
	info, _ := m["info"].(string)
	connector := intOf(m["connector_id"])
	if code == "" || code == "NoError" {
		if status != "Faulted" {
			return s.clear(ctx, e.ChargerID, func(a Alarm) bool { return a.Source == SourceStatus && a.ConnectorID == connector })
		}
		code = CodeFaulted
	}
	detail := strings.TrimSpace(strings.Join([]string{status, vendor, info}, " "))
	_, err := s.raise(ctx, raise{chargerID: e.ChargerID, siteID: e.SiteID, connectorID: connector, source: SourceStatus, code: code,
		severity: statusSeverity(status, code), detail: truncate(detail, 255)})
	return err
}

// onMeter checks a running session's latest figures: energy going backwards
// and power above what the connector (or charger) can deliver.
func (s *Service) onMeter(ctx context.Context, x charging.Session) error {
	s.mu.Lock()
	prev, seen := s.lastEnergy[x.ID]
	s.lastEnergy[x.ID] = x.EnergyWh
	s.mu.Unlock()
	if a, err := s.store.LatestUnresolved(ctx, x.ChargerID, x.ConnectorID, CodeMeterSilent); err == nil && a.SessionID == x.ID && a.ClearedAt.IsZero() {
		if err := s.clear(ctx, x.ChargerID, func(b Alarm) bool { return b.ID == a.ID }); err != nil {
			return err
		}
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return fmt.Errorf("meter silence alarm: %w", err)
	}
	if seen && x.EnergyWh < prev {
		if _, err := s.raise(ctx, raise{chargerID: x.ChargerID, siteID: x.SiteID, connectorID: x.ConnectorID, sessionID: x.ID, source: SourceMeter,
			code: CodeEnergyBackwards, severity: Major, detail: fmt.Sprintf("energy went from %d Wh to %d Wh in session %s", prev, x.EnergyWh, x.ID)}); err != nil {
			return err
		}
	}
	if x.PowerW <= 0 {
		return nil
	}
	c, err := s.charging.Charger(ctx, x.ChargerID)
	if err != nil {
		return fmt.Errorf("charger of session %s: %w", x.ID, err)
	}
	maxW := c.MaxPowerW
	for _, k := range c.Connectors {
		if k.ConnectorID == x.ConnectorID && k.MaxPowerW > 0 {
			maxW = k.MaxPowerW
		}
	}
	if maxW > 0 && int64(x.PowerW)*100 > int64(maxW)*int64(100+s.opt.PowerTolerancePct) {
		_, err := s.raise(ctx, raise{chargerID: x.ChargerID, siteID: x.SiteID, connectorID: x.ConnectorID, sessionID: x.ID, source: SourceMeter,
			code: CodePowerOverMax, severity: Major, detail: fmt.Sprintf("%d W above the maximum %d W in session %s", x.PowerW, maxW, x.ID)})
		return err
	}
	return nil
}

// checkMeterSilence raises an alarm for each running session whose last
// meter value (or start) is older than MeterSilence.
func (s *Service) checkMeterSilence(ctx context.Context) error {
	now := s.clock.Now()
	cursor := ""
	for {
		xs, next, err := s.charging.Sessions(ctx, charging.SessionFilter{Status: charging.SessionActive, Limit: 200, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, x := range xs {
			last := x.LastMeterAt
			if last.IsZero() {
				last = x.StartedAt
			}
			if now.Sub(last) < s.opt.MeterSilence {
				continue
			}
			if _, err := s.raise(ctx, raise{chargerID: x.ChargerID, siteID: x.SiteID, connectorID: x.ConnectorID, sessionID: x.ID, source: SourceMeter,
				code: CodeMeterSilent, severity: Minor, once: true,
				detail: fmt.Sprintf("no meter values since %s in session %s", last.Format("2006-01-02T15:04:05Z"), x.ID)}); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// raise records one occurrence: merged into the latest unresolved alarm of
// the same charger, connector and code when that was last seen within the
// merge window, a new alarm otherwise.
func (s *Service) raise(ctx context.Context, r raise) (Alarm, error) {
	if r.chargerID == "" {
		return Alarm{}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	a, err := s.store.LatestUnresolved(ctx, r.chargerID, r.connectorID, r.code)
	switch {
	case err == nil && r.once && a.SessionID == r.sessionID:
		return a, nil
	case err == nil && now.Sub(a.LastSeen) <= s.opt.MergeWindow:
		a.Count++
		if now.After(a.LastSeen) {
			a.LastSeen = now
		}
		if r.severity.rank() > a.Severity.rank() {
			a.Severity = r.severity
		}
		a.Detail, a.SessionID, a.ClearedAt, a.UpdatedAt = r.detail, r.sessionID, time.Time{}, now
		if err := s.store.UpdateAlarm(ctx, a); err != nil {
			return Alarm{}, fmt.Errorf("merge alarm %s: %w", a.ID, err)
		}
		s.publish(EventAlarmUpdated, a.ChargerID, a.SiteID, a)
		return a, nil
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return Alarm{}, fmt.Errorf("find alarm: %w", err)
	}
	if r.siteID == "" {
		if c, err := s.charging.Charger(ctx, r.chargerID); err == nil {
			r.siteID = c.SiteID
		}
	}
	a = Alarm{ID: ids.New(), ChargerID: r.chargerID, SiteID: r.siteID, ConnectorID: r.connectorID, SessionID: r.sessionID, Source: r.source, Code: r.code,
		Severity: r.severity, Detail: r.detail, Status: AlarmOpen, Count: 1, FirstSeen: now, LastSeen: now, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateAlarm(ctx, a); err != nil {
		return Alarm{}, fmt.Errorf("create alarm: %w", err)
	}
	s.log.Warn("alarm raised", "charger", a.ChargerID, "code", a.Code, "severity", a.Severity, "detail", a.Detail)
	s.publish(EventAlarmRaised, a.ChargerID, a.SiteID, a)
	return a, nil
}

// clear records that the condition of a charger's unresolved alarms
// matching pred went away.
func (s *Service) clear(ctx context.Context, chargerID string, pred func(Alarm) bool) error {
	if chargerID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.store.Alarms(ctx, AlarmFilter{ChargerID: chargerID, Unresolved: true, Limit: 200})
	if err != nil {
		return fmt.Errorf("alarms of %s: %w", chargerID, err)
	}
	now := s.clock.Now()
	for _, a := range as {
		if !a.ClearedAt.IsZero() || !pred(a) {
			continue
		}
		a.ClearedAt, a.UpdatedAt = now, now
		if err := s.store.UpdateAlarm(ctx, a); err != nil {
			return fmt.Errorf("clear alarm %s: %w", a.ID, err)
		}
		s.publish(EventAlarmUpdated, a.ChargerID, a.SiteID, a)
	}
	return nil
}

// Alarm returns one alarm.
func (s *Service) Alarm(ctx context.Context, id string) (Alarm, error) {
	a, err := s.store.Alarm(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Alarm{}, apperr.Wrap(err, apperr.NotFound, "alarm_not_found")
	}
	return a, err
}

// Alarms lists alarms newest first; the next cursor is "" at the end.
func (s *Service) Alarms(ctx context.Context, f AlarmFilter) ([]Alarm, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	want := f.Limit
	f.Limit++
	as, err := s.store.Alarms(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(as) > want {
		as, next = as[:want], as[want-1].ID
	}
	return as, next, nil
}

// change applies fn to an unresolved alarm, stores it, audits and publishes it.
func (s *Service) change(ctx context.Context, actor account.User, id, action string, fn func(*Alarm) error) (Alarm, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.Alarm(ctx, id)
	if err != nil {
		return Alarm{}, err
	}
	if a.Status == AlarmResolved {
		return Alarm{}, apperr.New(apperr.Conflict, "alarm_resolved")
	}
	if err := fn(&a); err != nil {
		return Alarm{}, err
	}
	a.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateAlarm(ctx, a); err != nil {
		return Alarm{}, fmt.Errorf("update alarm %s: %w", a.ID, err)
	}
	if err := s.record(ctx, actor, "alarm."+action, "alarm", a.ID, a.Code, map[string]any{"status": a.Status, "assignee_id": a.AssigneeID, "note": a.ResolutionNote}); err != nil {
		return Alarm{}, err
	}
	s.publish(EventAlarmUpdated, a.ChargerID, a.SiteID, a)
	return a, nil
}

// Acknowledge marks an alarm as seen by actor.
func (s *Service) Acknowledge(ctx context.Context, actor account.User, id string) (Alarm, error) {
	return s.change(ctx, actor, id, "acknowledge", func(a *Alarm) error {
		if a.Status == AlarmOpen {
			a.Status, a.AckedBy, a.AckedAt = AlarmAcked, actor.ID, s.clock.Now()
		}
		return nil
	})
}

// Assign gives an alarm to a maintainer ("" = nobody); assigning
// acknowledges it.
func (s *Service) Assign(ctx context.Context, actor account.User, id, assigneeID string) (Alarm, error) {
	if err := s.checkAssignee(ctx, assigneeID); err != nil {
		return Alarm{}, err
	}
	return s.change(ctx, actor, id, "assign", func(a *Alarm) error {
		a.AssigneeID = assigneeID
		if a.Status == AlarmOpen && assigneeID != "" {
			a.Status, a.AckedBy, a.AckedAt = AlarmAcked, actor.ID, s.clock.Now()
		}
		return nil
	})
}

// Resolve closes an alarm with a note saying what was done.
func (s *Service) Resolve(ctx context.Context, actor account.User, id, note string) (Alarm, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return Alarm{}, apperr.Field("body.note", "required")
	}
	if len([]rune(note)) > 1000 {
		return Alarm{}, apperr.Field("body.note", "too_long", 1000)
	}
	return s.change(ctx, actor, id, "resolve", func(a *Alarm) error {
		now := s.clock.Now()
		if a.AckedAt.IsZero() {
			a.AckedBy, a.AckedAt = actor.ID, now
		}
		a.Status, a.ResolvedBy, a.ResolvedAt, a.ResolutionNote = AlarmResolved, actor.ID, now, note
		return nil
	})
}

// checkAssignee makes sure id ("" = nobody) is staff who handle faults.
func (s *Service) checkAssignee(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	u, err := s.users.User(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.Field("body.assignee_id", "bad_assignee")
	}
	if err != nil {
		return fmt.Errorf("assignee: %w", err)
	}
	if u.Blocked || !u.Role.Can(account.PermFaultsWrite) {
		return apperr.Field("body.assignee_id", "bad_assignee")
	}
	return nil
}
