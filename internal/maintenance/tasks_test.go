package maintenance_test

import (
	"context"
	"testing"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/events"
	"campuscharge/internal/maintenance"
	"campuscharge/internal/ocpp"
	"github.com/google/go-cmp/cmp"
)

func (f *fixture) task(t *testing.T, id string) maintenance.Task {
	t.Helper()
	x, err := f.svc.Task(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestTaskWindowTakesTheChargerOutOfServiceUntilDone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	start, end := t0.Add(time.Hour), t0.Add(90*time.Minute)
	x, err := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "CP-1", Kind: maintenance.KindCleaning, Title: "Clean bay 3",
		AssigneeID: f.fixer.ID, WindowStart: start, WindowEnd: end})
	if err != nil {
		t.Fatal(err)
	}
	if x.ChargerID != "C1" || x.SiteID != "S1" || x.Status != maintenance.TaskScheduled || x.Availability != maintenance.AvailNone {
		t.Fatalf("created: %+v", x)
	}
	f.clock.Set(start.Add(-time.Second))
	f.tick(t)
	if got := f.ch.commands(); len(got) != 0 {
		t.Fatalf("before the window: sent %v, want nothing", got)
	}
	if n, _ := f.svc.Notices(ctx); len(n) != 0 {
		t.Errorf("notices before the window: %v", n)
	}

	f.clock.Set(start)
	f.tick(t)
	f.tick(t) // idempotent
	if diff := cmp.Diff([]string{"CP-1 ChangeAvailability 0 Inoperative"}, f.ch.commands()); diff != "" {
		t.Errorf("at the window's start (-want +got):\n%s", diff)
	}
	x = f.task(t, x.ID)
	if x.Status != maintenance.TaskActive || x.Availability != maintenance.AvailUnavailable || !x.AppliedAt.Equal(start) {
		t.Errorf("at the window's start: status %s, availability %s, applied %s; want active, unavailable, %s", x.Status, x.Availability, x.AppliedAt, start)
	}
	notices, err := f.svc.Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]maintenance.Notice{"C1": {Kind: maintenance.KindCleaning, Since: start, Until: end}}, notices); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}

	// Past the window's end the charger stays out of service until done.
	f.clock.Set(end.Add(10 * time.Minute))
	f.tick(t)
	if n := len(f.ch.commands()); n != 1 {
		t.Errorf("after the window's end: %d commands, want 1", n)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	done, err := f.svc.CompleteTask(ctx, f.fixer, x.ID, maintenance.Done{Note: "Wiped and tidied", Photo: png})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != maintenance.TaskDone || done.Availability != maintenance.AvailRestored || done.DoneBy != f.fixer.ID || !done.HasPhoto || done.Note != "Wiped and tidied" {
		t.Errorf("done: %+v", done)
	}
	if diff := cmp.Diff([]string{"CP-1 ChangeAvailability 0 Inoperative", "CP-1 ChangeAvailability 0 Operative"}, f.ch.commands()); diff != "" {
		t.Errorf("after done (-want +got):\n%s", diff)
	}
	if p, err := f.svc.Photo(ctx, x.ID); err != nil || p.ContentType != "image/png" {
		t.Errorf("photo: %s, %v; want image/png", p.ContentType, err)
	}
	if n, _ := f.svc.Notices(ctx); len(n) != 0 {
		t.Errorf("notices after done: %v", n)
	}
	if _, err := f.svc.CompleteTask(ctx, f.fixer, x.ID, maintenance.Done{}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("done twice: got %v, want a conflict", err)
	}
	if n := len(f.ch.commands()); n != 2 {
		t.Errorf("after done twice: %d commands, want 2", n)
	}
}

func TestTaskOnAChargerInUseWaitsForTheSessionToEnd(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	x1 := charging.Session{ID: "X1", ChargerID: "C2", SiteID: "S1", ConnectorID: 1, Status: charging.SessionActive, StartedAt: t0, LastMeterAt: t0}
	f.ch.setSessions(x1)
	x, err := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "C2", Kind: maintenance.KindMaintenance, Title: "Annual check"})
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != maintenance.TaskActive || x.Availability != maintenance.AvailWaiting || len(f.ch.commands()) != 0 {
		t.Fatalf("in use: status %s, availability %s, commands %v; want active, waiting, none", x.Status, x.Availability, f.ch.commands())
	}
	f.tick(t)
	if n := len(f.ch.commands()); n != 0 {
		t.Errorf("tick while in use: %d commands, want 0", n)
	}
	// Another charger's session ending changes nothing.
	f.handle(t, sessionEvent(events.SessionStopped, charging.Session{ID: "X9", ChargerID: "C1", Status: charging.SessionStopped}))
	if n := len(f.ch.commands()); n != 0 {
		t.Errorf("another charger's stop: %d commands, want 0", n)
	}
	f.clock.Advance(5 * time.Minute)
	f.ch.setSessions()
	x1.Status = charging.SessionStopped
	f.handle(t, sessionEvent(events.SessionStopped, x1))
	if diff := cmp.Diff([]string{"CP-2 ChangeAvailability 0 Inoperative"}, f.ch.commands()); diff != "" {
		t.Errorf("after the session ended (-want +got):\n%s", diff)
	}
	if got := f.task(t, x.ID); got.Availability != maintenance.AvailUnavailable || !got.AppliedAt.Equal(f.clock.Now()) {
		t.Errorf("after the session ended: availability %s applied %s, want unavailable at %s", got.Availability, got.AppliedAt, f.clock.Now())
	}
	// Cancelling puts it back.
	if _, err := f.svc.CancelTask(ctx, f.admin, x.ID, "postponed"); err != nil {
		t.Fatal(err)
	}
	if got := f.ch.commands(); len(got) != 2 || got[1] != "CP-2 ChangeAvailability 0 Operative" {
		t.Errorf("after cancel: %v, want Operative last", got)
	}
}

func TestRecurringTaskSpawnsTheNextOccurrence(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	x, err := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "C1", Kind: maintenance.KindCleaning, Title: "Weekly clean", AssigneeID: f.fixer.ID,
		WindowStart: t0, WindowEnd: t0.Add(30 * time.Minute), EveryDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(20 * time.Minute)
	if _, err := f.svc.CompleteTask(ctx, f.fixer, x.ID, maintenance.Done{Note: "ok"}); err != nil {
		t.Fatal(err)
	}
	open, _, err := f.svc.Tasks(ctx, maintenance.TaskFilter{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 {
		t.Fatalf("open tasks after done: %d, want 1", len(open))
	}
	n := open[0]
	want := maintenance.Task{ID: n.ID, ChargerID: "C1", SiteID: "S1", Kind: maintenance.KindCleaning, Title: "Weekly clean", AssigneeID: f.fixer.ID,
		Status: maintenance.TaskScheduled, WindowStart: t0.Add(7 * 24 * time.Hour), WindowEnd: t0.Add(7*24*time.Hour + 30*time.Minute), EveryDays: 7,
		PreviousID: x.ID, CreatedBy: f.admin.ID, CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()}
	if diff := cmp.Diff(want, n); diff != "" {
		t.Errorf("next occurrence (-want +got):\n%s", diff)
	}
	// Done late (after a whole period), the next one is still in the future.
	f.clock.Set(t0.Add(15 * 24 * time.Hour))
	f.tick(t)
	if _, err := f.svc.CompleteTask(ctx, f.fixer, n.ID, maintenance.Done{}); err != nil {
		t.Fatal(err)
	}
	open, _, _ = f.svc.Tasks(ctx, maintenance.TaskFilter{Open: true})
	if len(open) != 1 || !open[0].WindowStart.Equal(t0.Add(21*24*time.Hour)) {
		t.Errorf("after a late done: %+v, want one occurrence at %s", open, t0.Add(21*24*time.Hour))
	}
	// A cancelled occurrence ends the series.
	if _, err := f.svc.CancelTask(ctx, f.admin, open[0].ID, "charger removed"); err != nil {
		t.Fatal(err)
	}
	if open, _, _ = f.svc.Tasks(ctx, maintenance.TaskFilter{Open: true}); len(open) != 0 {
		t.Errorf("after cancel: %d open tasks, want 0", len(open))
	}
}

func TestTaskFromAlarm(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.handle(t, statusEvent("C1", 1, "Faulted", "PowerMeterFailure"))
	a := f.alarms(t)[0]
	if _, err := f.svc.Assign(ctx, f.admin, a.ID, f.fixer.ID); err != nil {
		t.Fatal(err)
	}
	x, err := f.svc.CreateTaskFromAlarm(ctx, f.admin, a.ID, maintenance.TaskInput{})
	if err != nil {
		t.Fatal(err)
	}
	if x.Kind != maintenance.KindRepair || x.ChargerID != "C1" || x.AlarmID != a.ID || x.AssigneeID != f.fixer.ID || x.Title != "Repair: PowerMeterFailure" {
		t.Errorf("task: %+v", x)
	}
	if x.Availability != maintenance.AvailUnavailable {
		t.Errorf("repair starting now: availability %s, want unavailable", x.Availability)
	}
	a, _ = f.svc.Alarm(ctx, a.ID)
	if a.TaskID != x.ID || a.Status != maintenance.AlarmAcked {
		t.Errorf("alarm: task %s status %s, want %s acknowledged", a.TaskID, a.Status, x.ID)
	}
	if _, err := f.svc.CreateTaskFromAlarm(ctx, f.admin, a.ID, maintenance.TaskInput{}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second task while the first is open: got %v, want a conflict", err)
	}
	if mine, _, _ := f.svc.Tasks(ctx, maintenance.TaskFilter{AssigneeID: f.fixer.ID}); len(mine) != 1 {
		t.Errorf("the maintainer's tasks: %d, want 1", len(mine))
	}
}

func TestRestoreRetriedWhenTheChargerWasOffline(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	x, err := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "C1", Kind: maintenance.KindRepair, Title: "Fix"})
	if err != nil {
		t.Fatal(err)
	}
	f.ch.setOffline("C1", true)
	done, err := f.svc.CompleteTask(ctx, f.fixer, x.ID, maintenance.Done{Note: "fixed"})
	if err != nil {
		t.Fatal(err)
	}
	if done.Availability != maintenance.AvailRestoring {
		t.Errorf("done while offline: availability %s, want restoring", done.Availability)
	}
	f.tick(t)
	if got := f.task(t, x.ID); got.Availability != maintenance.AvailRestoring {
		t.Errorf("tick while offline: availability %s, want restoring", got.Availability)
	}
	f.ch.setOffline("C1", false)
	f.tick(t)
	if got := f.task(t, x.ID); got.Availability != maintenance.AvailRestored {
		t.Errorf("tick once online: availability %s, want restored", got.Availability)
	}
	if diff := cmp.Diff([]string{"CP-1 ChangeAvailability 0 Inoperative", "CP-1 ChangeAvailability 0 Operative"}, f.ch.commands()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestOverlappingTasksRestoreOnlyAtTheLast(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a, _ := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "C1", Kind: maintenance.KindRepair, Title: "Fix the screen"})
	b, _ := f.svc.CreateTask(ctx, f.admin, maintenance.TaskInput{ChargerID: "C1", Kind: maintenance.KindCleaning, Title: "Clean"})
	if _, err := f.svc.CompleteTask(ctx, f.fixer, b.ID, maintenance.Done{}); err != nil {
		t.Fatal(err)
	}
	if got := f.ch.commands(); got[len(got)-1] == "CP-1 ChangeAvailability 0 Operative" {
		t.Errorf("back in service while a repair is still open: %v", got)
	}
	if _, err := f.svc.CompleteTask(ctx, f.fixer, a.ID, maintenance.Done{}); err != nil {
		t.Fatal(err)
	}
	if got := f.ch.commands(); got[len(got)-1] != "CP-1 ChangeAvailability 0 Operative" {
		t.Errorf("after the last task: %v, want Operative last", got)
	}
}

func TestTaskInputChecks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ok := maintenance.TaskInput{ChargerID: "C1", Kind: maintenance.KindCleaning, Title: "Clean", WindowStart: t0.Add(time.Hour)}
	tests := []struct {
		name  string
		edit  func(*maintenance.TaskInput)
		field string
	}{
		{"kind", func(in *maintenance.TaskInput) { in.Kind = "paint" }, "body.kind"},
		{"title", func(in *maintenance.TaskInput) { in.Title = " " }, "body.title"},
		{"window", func(in *maintenance.TaskInput) { in.WindowEnd = in.WindowStart }, "body.window_end"},
		{"recurrence", func(in *maintenance.TaskInput) { in.EveryDays = 400 }, "body.every_days"},
		{"assignee", func(in *maintenance.TaskInput) { in.AssigneeID = f.driver.ID }, "body.assignee_id"},
		{"charger", func(in *maintenance.TaskInput) { in.ChargerID = "nope" }, "body.charger_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.edit(&in)
			_, err := f.svc.CreateTask(ctx, f.admin, in)
			var e *apperr.Error
			if !apperr.Is(err, apperr.Invalid) || !errorsAs(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
				t.Errorf("got %v, want invalid %s", err, tc.field)
			}
		})
	}
	x, err := f.svc.CreateTask(ctx, f.admin, ok)
	if err != nil {
		t.Fatal(err)
	}
	photos := []struct {
		name  string
		photo []byte
		key   string
	}{
		{"too large", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, maintenance.MaxPhotoBytes)...), "photo_too_large"},
		{"not an image", []byte("%PDF-1.7 hello"), "bad_photo"},
	}
	for _, tc := range photos {
		t.Run("photo "+tc.name, func(t *testing.T) {
			_, err := f.svc.CompleteTask(ctx, f.fixer, x.ID, maintenance.Done{Photo: tc.photo})
			var e *apperr.Error
			if !errorsAs(err, &e) || len(e.Fields) != 1 || e.Fields[0].Key != tc.key {
				t.Errorf("got %v, want %s", err, tc.key)
			}
		})
	}
	// Rescheduling a scheduled task moves its window; a refused ChangeAvailability is retried.
	f.ch.answer = ocpp.AvailabilityStatusRejected
	moved, err := f.svc.ScheduleTask(ctx, f.admin, x.ID, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != maintenance.TaskActive || moved.Availability != maintenance.AvailNone {
		t.Errorf("refused: status %s availability %q, want active and nothing applied", moved.Status, moved.Availability)
	}
	f.ch.answer = ocpp.AvailabilityStatusAccepted
	f.tick(t)
	if got := f.task(t, x.ID); got.Availability != maintenance.AvailUnavailable {
		t.Errorf("after a retry: availability %s, want unavailable", got.Availability)
	}
}
