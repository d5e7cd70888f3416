package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
	"github.com/google/go-cmp/cmp"
)

func alarmIDs(as []maintenance.Alarm) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func taskIDs(ts []maintenance.Task) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestMaintenanceStoreAlarms(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := store.NewMaintenance(db)
		t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		mk := func(id, charger, code, status string, last time.Time) maintenance.Alarm {
			return maintenance.Alarm{ID: id, ChargerID: charger, SiteID: "S1", ConnectorID: 1, Source: maintenance.SourceStatus, Code: code,
				Severity: maintenance.Major, Detail: "Faulted", Status: status, Count: 1, FirstSeen: t0, LastSeen: last, CreatedAt: t0, UpdatedAt: last}
		}
		all := []maintenance.Alarm{
			mk("01A0000000000000000000000A", "C1", "GroundFailure", maintenance.AlarmResolved, t0.Add(3*time.Hour)),
			mk("01A0000000000000000000000B", "C1", "GroundFailure", maintenance.AlarmOpen, t0.Add(time.Hour)),
			mk("01A0000000000000000000000C", "C1", "GroundFailure", maintenance.AlarmAcked, t0.Add(2*time.Hour)),
			mk("01A0000000000000000000000D", "C2", "offline", maintenance.AlarmOpen, t0),
		}
		for _, a := range all {
			if err := st.CreateAlarm(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.CreateAlarm(ctx, all[0]); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("duplicate id: got %v, want a conflict", err)
		}

		got, err := st.LatestUnresolved(ctx, "C1", 1, "GroundFailure")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != all[2].ID {
			t.Errorf("latest unresolved: got %s, want %s (the resolved one is newer but closed)", got.ID, all[2].ID)
		}
		if _, err := st.LatestUnresolved(ctx, "C1", 2, "GroundFailure"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("other connector: got %v, want not found", err)
		}

		// Every field survives a round trip.
		upd := all[1]
		upd.Count, upd.ClearedAt, upd.AckedBy, upd.AckedAt, upd.AssigneeID = 4, t0.Add(90*time.Minute), "U1", t0.Add(91*time.Minute), "U2"
		upd.ResolvedBy, upd.ResolvedAt, upd.ResolutionNote, upd.TaskID, upd.SessionID, upd.Severity = "U3", t0.Add(2*time.Hour), "replaced the RCD", "T1", "X1", maintenance.Critical
		if err := st.UpdateAlarm(ctx, upd); err != nil {
			t.Fatal(err)
		}
		back, err := st.Alarm(ctx, upd.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(upd, back); diff != "" {
			t.Errorf("alarm round trip (-want +got):\n%s", diff)
		}
		if err := st.UpdateAlarm(ctx, maintenance.Alarm{ID: "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("update of a missing alarm: got %v, want not found", err)
		}

		tests := []struct {
			name string
			f    maintenance.AlarmFilter
			want []string
		}{
			{"all, newest first", maintenance.AlarmFilter{}, []string{all[3].ID, all[2].ID, all[1].ID, all[0].ID}},
			{"by charger", maintenance.AlarmFilter{ChargerID: "C2"}, []string{all[3].ID}},
			{"unresolved", maintenance.AlarmFilter{Unresolved: true, ChargerID: "C1"}, []string{all[2].ID, all[1].ID}},
			{"by status", maintenance.AlarmFilter{Status: maintenance.AlarmResolved}, []string{all[0].ID}},
			{"by severity", maintenance.AlarmFilter{Severity: maintenance.Critical}, []string{all[1].ID}},
			{"by assignee", maintenance.AlarmFilter{AssigneeID: "U2"}, []string{all[1].ID}},
			{"page", maintenance.AlarmFilter{Limit: 2, Cursor: all[2].ID}, []string{all[1].ID, all[0].ID}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				as, err := st.Alarms(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, alarmIDs(as)); diff != "" {
					t.Errorf("alarms (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestMaintenanceStoreTasks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := store.NewMaintenance(db)
		t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		mk := func(id, charger, status string, start time.Time) maintenance.Task {
			return maintenance.Task{ID: id, ChargerID: charger, SiteID: "S1", Kind: maintenance.KindCleaning, Title: "Weekly clean", Description: "Wipe the screen",
				AssigneeID: "U1", Status: status, WindowStart: start, WindowEnd: start.Add(time.Hour), EveryDays: 7, CreatedBy: "U0", CreatedAt: t0, UpdatedAt: t0}
		}
		ts := []maintenance.Task{
			mk("01T0000000000000000000000A", "C1", maintenance.TaskActive, t0),
			mk("01T0000000000000000000000B", "C1", maintenance.TaskScheduled, t0.Add(time.Hour)),
			mk("01T0000000000000000000000C", "C2", maintenance.TaskScheduled, t0.Add(2*time.Hour)),
			mk("01T0000000000000000000000D", "C2", maintenance.TaskDone, t0),
		}
		ts[3].Availability = maintenance.AvailRestoring
		ts[3].AssigneeID = "U2"
		for _, x := range ts {
			if err := st.CreateTask(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		due, err := st.DueTasks(ctx, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{ts[3].ID, ts[1].ID, ts[0].ID}, taskIDs(due)); diff != "" {
			t.Errorf("due tasks at 09:00 (-want +got):\n%s", diff)
		}

		tests := []struct {
			name string
			f    maintenance.TaskFilter
			want []string
		}{
			{"all", maintenance.TaskFilter{}, []string{ts[3].ID, ts[2].ID, ts[1].ID, ts[0].ID}},
			{"by assignee", maintenance.TaskFilter{AssigneeID: "U2"}, []string{ts[3].ID}},
			{"open of a charger", maintenance.TaskFilter{ChargerID: "C2", Open: true}, []string{ts[2].ID}},
			{"by status", maintenance.TaskFilter{Status: maintenance.TaskActive}, []string{ts[0].ID}},
			{"by kind", maintenance.TaskFilter{Kind: maintenance.KindRepair}, []string{}},
			{"page", maintenance.TaskFilter{Limit: 1, Cursor: ts[2].ID}, []string{ts[1].ID}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := st.Tasks(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, taskIDs(got)); diff != "" {
					t.Errorf("tasks (-want +got):\n%s", diff)
				}
			})
		}

		// Closing stores the task, its photo and the next occurrence together.
		done := ts[0]
		done.Status, done.DoneBy, done.DoneAt, done.Note, done.HasPhoto, done.Availability = maintenance.TaskDone, "U1", t0.Add(30*time.Minute), "clean", true, maintenance.AvailRestoring
		next := mk("01T0000000000000000000000E", "C1", maintenance.TaskScheduled, t0.Add(7*24*time.Hour))
		next.PreviousID = done.ID
		photo := &maintenance.Photo{TaskID: done.ID, ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n\x00\x01binary\xff"), CreatedAt: t0.Add(30 * time.Minute)}
		if err := st.CloseTask(ctx, done, photo, &next); err != nil {
			t.Fatal(err)
		}
		for _, want := range []maintenance.Task{done, next} {
			got, err := st.Task(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("task %s round trip (-want +got):\n%s", want.ID, diff)
			}
		}
		p, err := st.Photo(ctx, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.ContentType != "image/png" || !bytes.Equal(p.Data, photo.Data) {
			t.Errorf("photo: got %s %q, want image/png %q", p.ContentType, p.Data, photo.Data)
		}

		// A second close changes nothing: no second photo, no second occurrence.
		again := done
		again.Note = "again"
		other := next
		other.ID = "01T0000000000000000000000F"
		if err := st.CloseTask(ctx, again, nil, &other); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second close: got %v, want a conflict", err)
		}
		if _, err := st.Task(ctx, other.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("next occurrence of a refused close: got %v, want not found", err)
		}
		if got, _ := st.Task(ctx, done.ID); got.Note != "clean" {
			t.Errorf("note after a refused close: got %q, want %q", got.Note, "clean")
		}
		if _, err := st.Photo(ctx, ts[1].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("photo of a task without one: got %v, want not found", err)
		}
	})
}
