package maintenance_test

import (
	"context"
	"testing"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/events"
	"campuscharge/internal/maintenance"
	"github.com/google/go-cmp/cmp"
)

// alarmKey is what identifies a raised alarm in these tests.
type alarmKey struct {
	Charger   string
	Connector int
	Source    string
	Code      string
	Severity  maintenance.Severity
	Session   string
}

func keyOf(a maintenance.Alarm) alarmKey {
	return alarmKey{a.ChargerID, a.ConnectorID, a.Source, a.Code, a.Severity, a.SessionID}
}

func TestAlarmSources(t *testing.T) {
	running := charging.Session{ID: "X1", ChargerID: "C1", SiteID: "S1", ConnectorID: 1, Status: charging.SessionActive, StartedAt: t0, LastMeterAt: t0, EnergyWh: 500}
	with := func(energy int64, power int) charging.Session {
		x := running
		x.EnergyWh, x.PowerW = energy, power
		return x
	}
	tests := []struct {
		name    string
		events  []events.Event
		advance time.Duration // then Tick
		want    []alarmKey
	}{
		{"faulted with an electrical error is critical", []events.Event{statusEvent("C1", 1, "Faulted", "GroundFailure")},
			0, []alarmKey{{"C1", 1, maintenance.SourceStatus, "GroundFailure", maintenance.Critical, ""}}},
		{"faulted with another error is major", []events.Event{statusEvent("C2", 2, "Faulted", "ConnectorLockFailure")},
			0, []alarmKey{{"C2", 2, maintenance.SourceStatus, "ConnectorLockFailure", maintenance.Major, ""}}},
		{"faulted without an error code", []events.Event{statusEvent("C1", 0, "Faulted", "NoError")},
			0, []alarmKey{{"C1", 0, maintenance.SourceStatus, maintenance.CodeFaulted, maintenance.Major, ""}}},
		{"an error while still working is minor", []events.Event{statusEvent("C1", 1, "Available", "WeakSignal")},
			0, []alarmKey{{"C1", 1, maintenance.SourceStatus, "WeakSignal", maintenance.Minor, ""}}},
		{"a healthy status raises nothing", []events.Event{statusEvent("C1", 1, "Charging", "NoError")}, 0, nil},
		{"offline", []events.Event{{Type: events.ChargerOffline, ChargerID: "C2", SiteID: "S1", Data: map[string]any{"reason": "silent"}}},
			0, []alarmKey{{"C2", 0, maintenance.SourceOffline, maintenance.CodeOffline, maintenance.Major, ""}}},
		{"failed command", []events.Event{{Type: events.CommandFailed, ChargerID: "C1", Data: map[string]any{"action": "Reset", "error": "timeout"}}},
			0, []alarmKey{{"C1", 0, maintenance.SourceCommand, "command_failed:Reset", maintenance.Minor, ""}}},
		{"energy going backwards", []events.Event{sessionEvent(events.SessionUpdated, with(900, 0)), sessionEvent(events.SessionUpdated, with(400, 0))},
			0, []alarmKey{{"C1", 1, maintenance.SourceMeter, maintenance.CodeEnergyBackwards, maintenance.Major, "X1"}}},
		{"energy going forwards raises nothing", []events.Event{sessionEvent(events.SessionUpdated, with(400, 0)), sessionEvent(events.SessionUpdated, with(900, 7000))},
			0, nil},
		{"power above the connector's maximum", []events.Event{sessionEvent(events.SessionUpdated, with(900, 7701))},
			0, []alarmKey{{"C1", 1, maintenance.SourceMeter, maintenance.CodePowerOverMax, maintenance.Major, "X1"}}},
		{"power within the tolerance", []events.Event{sessionEvent(events.SessionUpdated, with(900, 7700))}, 0, nil},
		{"no meter values for too long", nil, 16 * time.Minute,
			[]alarmKey{{"C1", 1, maintenance.SourceMeter, maintenance.CodeMeterSilent, maintenance.Minor, "X1"}}},
		{"meter values recently", nil, 14 * time.Minute, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.ch.setSessions(running)
			for _, e := range tc.events {
				f.handle(t, e)
			}
			if tc.advance > 0 {
				f.clock.Advance(tc.advance)
				f.tick(t)
			}
			var got []alarmKey
			for _, a := range f.alarms(t) {
				got = append(got, keyOf(a))
				if a.Count != 1 || a.Status != maintenance.AlarmOpen || !a.FirstSeen.Equal(f.clock.Now()) || a.SiteID != "S1" {
					t.Errorf("alarm %s: count %d, status %s, first seen %s, site %q; want 1, open, %s, S1", a.Code, a.Count, a.Status, a.FirstSeen, a.SiteID, f.clock.Now())
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("alarms (-want +got):\n%s", diff)
			}
			var wantEvents []string
			for range tc.want {
				wantEvents = append(wantEvents, maintenance.EventAlarmRaised)
			}
			if diff := cmp.Diff(wantEvents, f.drain()); diff != "" {
				t.Errorf("published (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlarmMergesRecurrencesWithinTheWindow(t *testing.T) {
	f := newFixture(t)
	fault := statusEvent("C1", 1, "Faulted", "OverCurrentFailure")
	f.handle(t, fault)
	f.clock.Advance(10 * time.Minute)
	f.handle(t, statusEvent("C1", 1, "Available", "NoError")) // cleared
	if as := f.alarms(t); len(as) != 1 || as[0].ClearedAt.IsZero() {
		t.Fatalf("after Available: got %+v, want one cleared alarm", as)
	}
	f.clock.Advance(15 * time.Minute) // 25 min after the last occurrence
	f.handle(t, fault)
	as := f.alarms(t)
	if len(as) != 1 {
		t.Fatalf("recurrence within 30 min: got %d alarms, want 1", len(as))
	}
	a := as[0]
	if a.Count != 2 || !a.FirstSeen.Equal(t0) || !a.LastSeen.Equal(t0.Add(25*time.Minute)) || !a.ClearedAt.IsZero() {
		t.Errorf("merged alarm: count %d, first %s, last %s, cleared %s; want 2, %s, %s, zero", a.Count, a.FirstSeen, a.LastSeen, a.ClearedAt, t0, t0.Add(25*time.Minute))
	}
	if diff := cmp.Diff([]string{maintenance.EventAlarmRaised, maintenance.EventAlarmUpdated, maintenance.EventAlarmUpdated}, f.drain()); diff != "" {
		t.Errorf("published (-want +got):\n%s", diff)
	}

	// Another connector or another code is another alarm.
	f.handle(t, statusEvent("C1", 0, "Faulted", "OverCurrentFailure"))
	f.handle(t, statusEvent("C1", 1, "Faulted", "HighTemperature"))
	if n := len(f.alarms(t)); n != 3 {
		t.Errorf("other connector and other code: got %d alarms, want 3", n)
	}

	// Beyond the window: a new alarm.
	f.clock.Advance(31 * time.Minute)
	f.handle(t, fault)
	if n := len(f.alarms(t)); n != 4 {
		t.Errorf("31 min after the last occurrence: got %d alarms, want 4", n)
	}

	// Once resolved, a recurrence is a new alarm even within the window.
	latest := f.alarms(t)[0]
	if _, err := f.svc.Resolve(context.Background(), f.fixer, latest.ID, "replaced the contactor"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	f.handle(t, fault)
	as = f.alarms(t)
	if len(as) != 5 || as[0].Count != 1 || as[0].Status != maintenance.AlarmOpen {
		t.Errorf("after resolving: got %d alarms, newest %+v; want 5, a fresh open one", len(as), as[0])
	}
}

func TestAlarmClearedWhenTheConditionEnds(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	running := charging.Session{ID: "X1", ChargerID: "C1", SiteID: "S1", ConnectorID: 1, Status: charging.SessionActive, StartedAt: t0, LastMeterAt: t0}
	f.ch.setSessions(running)
	f.handle(t, events.Event{Type: events.ChargerOffline, ChargerID: "C2"})
	f.clock.Advance(16 * time.Minute)
	f.tick(t)
	f.tick(t) // still silent: the same alarm, not counted again
	if as := f.alarms(t); len(as) != 2 || as[0].Code != maintenance.CodeMeterSilent || as[0].Count != 1 {
		t.Fatalf("got %+v, want a meter-silence alarm counted once and an offline alarm", as)
	}
	f.clock.Advance(time.Minute)
	f.handle(t, events.Event{Type: events.ChargerOnline, ChargerID: "C2"})
	running.LastMeterAt = f.clock.Now()
	f.handle(t, sessionEvent(events.SessionUpdated, running))
	for _, a := range f.alarms(t) {
		if !a.ClearedAt.Equal(f.clock.Now()) || a.Status != maintenance.AlarmOpen {
			t.Errorf("%s: cleared at %s, status %s; want %s, still open (staff resolve)", a.Code, a.ClearedAt, a.Status, f.clock.Now())
		}
	}
	// A session's meter alarms clear when it stops.
	running.EnergyWh = 100
	f.handle(t, sessionEvent(events.SessionUpdated, running))
	running.EnergyWh = 50
	f.clock.Advance(time.Minute)
	f.handle(t, sessionEvent(events.SessionUpdated, running))
	f.clock.Advance(time.Minute)
	running.Status = charging.SessionStopped
	f.handle(t, sessionEvent(events.SessionStopped, running))
	as, _, err := f.svc.Alarms(ctx, maintenance.AlarmFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if as[0].Code != maintenance.CodeEnergyBackwards || !as[0].ClearedAt.Equal(f.clock.Now()) {
		t.Errorf("after the session stopped: got %s cleared at %s, want %s cleared at %s", as[0].Code, as[0].ClearedAt, maintenance.CodeEnergyBackwards, f.clock.Now())
	}
}

func TestAlarmAcknowledgeAssignResolve(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.handle(t, statusEvent("C1", 1, "Faulted", "GroundFailure"))
	id := f.alarms(t)[0].ID
	f.drain()

	f.clock.Advance(time.Minute)
	a, err := f.svc.Acknowledge(ctx, f.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != maintenance.AlarmAcked || a.AckedBy != f.admin.ID || !a.AckedAt.Equal(f.clock.Now()) {
		t.Errorf("acknowledged: status %s by %s at %s, want %s by %s at %s", a.Status, a.AckedBy, a.AckedAt, maintenance.AlarmAcked, f.admin.ID, f.clock.Now())
	}

	assign := []struct {
		name, who string
		want      apperr.Code
	}{
		{"a driver", f.driver.ID, apperr.Invalid},
		{"nobody known", "01NOBODY000000000000000000", apperr.Invalid},
		{"a maintainer", f.fixer.ID, ""},
	}
	for _, tc := range assign {
		t.Run("assign to "+tc.name, func(t *testing.T) {
			a, err := f.svc.Assign(ctx, f.admin, id, tc.who)
			if tc.want != "" {
				if !apperr.Is(err, tc.want) {
					t.Errorf("got %v, want %s", err, tc.want)
				}
				return
			}
			if err != nil || a.AssigneeID != tc.who {
				t.Errorf("got %q, %v; want assignee %q", a.AssigneeID, err, tc.who)
			}
		})
	}

	if _, err := f.svc.Resolve(ctx, f.fixer, id, "  "); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("resolve without a note: got %v, want invalid", err)
	}
	a, err = f.svc.Resolve(ctx, f.fixer, id, "Reset the RCD; tested OK")
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != maintenance.AlarmResolved || a.ResolvedBy != f.fixer.ID || a.ResolutionNote != "Reset the RCD; tested OK" || a.AckedBy != f.admin.ID {
		t.Errorf("resolved: %+v", a)
	}
	for name, op := range map[string]func() error{
		"acknowledge": func() error { _, err := f.svc.Acknowledge(ctx, f.admin, id); return err },
		"assign":      func() error { _, err := f.svc.Assign(ctx, f.admin, id, f.fixer.ID); return err },
		"resolve":     func() error { _, err := f.svc.Resolve(ctx, f.admin, id, "again"); return err },
		"make a task": func() error {
			_, err := f.svc.CreateTaskFromAlarm(ctx, f.admin, id, maintenance.TaskInput{})
			return err
		},
	} {
		if err := op(); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("%s a resolved alarm: got %v, want a conflict", name, err)
		}
	}
	if _, err := f.svc.Acknowledge(ctx, f.admin, "01ZZZZZZZZZZZZZZZZZZZZZZZZ"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown alarm: got %v, want not found", err)
	}
	if diff := cmp.Diff([]string{maintenance.EventAlarmUpdated, maintenance.EventAlarmUpdated, maintenance.EventAlarmUpdated}, f.drain()); diff != "" {
		t.Errorf("published (-want +got):\n%s", diff)
	}
}
