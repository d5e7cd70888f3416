package maintenance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/charging"
	"campuscharge/internal/ids"
	"campuscharge/internal/ocpp"
)

// MaxPhotoBytes is the largest photo a finished task may carry.
const MaxPhotoBytes = 2 << 20

// TaskInput is what staff give to create a task.
type TaskInput struct {
	// ChargerID is the charger's id or charge point id.
	ChargerID   string
	Kind        string
	Title       string
	Description string
	AssigneeID  string
	// WindowStart is when the charger is taken out of service (zero = now).
	WindowStart time.Time
	// WindowEnd is when the work should be over (zero = open-ended).
	WindowEnd time.Time
	// EveryDays repeats the task every that many days (0 = one-off).
	EveryDays int
}

// Done is what a maintainer reports when a task is finished.
type Done struct {
	Note string
	// Photo is an optional image (JPEG, PNG, WebP or GIF), at most MaxPhotoBytes.
	Photo []byte
}

// Notice is what drivers see on a charger taken out of service by a task.
type Notice struct {
	// Kind is the task's kind (repair, maintenance, cleaning).
	Kind string
	// Since is when the charger went out of service (or the window start).
	Since time.Time
	// Until is when the work should be over; zero when open-ended.
	Until time.Time
}

func checkWindow(start, end time.Time) error {
	if !end.IsZero() && !end.After(start) {
		return apperr.Field("body.window_end", "bad_window")
	}
	return nil
}

// CreateTask creates a task; when its window has started the charger is
// taken out of service at once (or once its session ends).
func (s *Service) CreateTask(ctx context.Context, actor account.User, in TaskInput) (Task, error) {
	return s.createTask(ctx, actor, in, "")
}

func (s *Service) createTask(ctx context.Context, actor account.User, in TaskInput, alarmID string) (Task, error) {
	now := s.clock.Now()
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.WindowStart.IsZero() {
		in.WindowStart = now
	}
	switch {
	case !slices.Contains(TaskKinds(), in.Kind):
		return Task{}, apperr.Field("body.kind", "bad_task_kind")
	case in.Title == "":
		return Task{}, apperr.Field("body.title", "required")
	case len([]rune(in.Title)) > 100:
		return Task{}, apperr.Field("body.title", "too_long", 100)
	case len([]rune(in.Description)) > 2000:
		return Task{}, apperr.Field("body.description", "too_long", 2000)
	case in.EveryDays < 0 || in.EveryDays > 365:
		return Task{}, apperr.Field("body.every_days", "out_of_range", 0, 365)
	}
	if err := checkWindow(in.WindowStart, in.WindowEnd); err != nil {
		return Task{}, err
	}
	if err := s.checkAssignee(ctx, in.AssigneeID); err != nil {
		return Task{}, err
	}
	c, err := s.charging.Charger(ctx, in.ChargerID)
	if apperr.Is(err, apperr.NotFound) {
		return Task{}, apperr.Field("body.charger_id", "charger_not_found")
	}
	if err != nil {
		return Task{}, fmt.Errorf("task charger: %w", err)
	}
	t := Task{ID: ids.New(), ChargerID: c.ID, SiteID: c.SiteID, Kind: in.Kind, Title: in.Title, Description: in.Description, AlarmID: alarmID,
		AssigneeID: in.AssigneeID, Status: TaskScheduled, WindowStart: in.WindowStart.UTC(), WindowEnd: in.WindowEnd.UTC(), EveryDays: in.EveryDays,
		CreatedBy: actor.ID, CreatedAt: now, UpdatedAt: now}
	if in.WindowEnd.IsZero() {
		t.WindowEnd = time.Time{}
	}
	if err := s.store.CreateTask(ctx, t); err != nil {
		return Task{}, fmt.Errorf("create task: %w", err)
	}
	if err := s.record(ctx, actor, "task.create", "task", t.ID, t.Kind+": "+t.Title, map[string]any{"charger_id": t.ChargerID, "window_start": t.WindowStart, "every_days": t.EveryDays}); err != nil {
		return Task{}, err
	}
	s.publish(EventTaskUpdated, t.ChargerID, t.SiteID, t)
	if !t.WindowStart.After(now) {
		if err := s.applyWindows(ctx, t.ChargerID); err != nil {
			s.log.Warn("take charger out of service", "charger", t.ChargerID, "task", t.ID, "err", err)
		}
		return s.Task(ctx, t.ID)
	}
	return t, nil
}

// CreateTaskFromAlarm creates a repair task for an alarm's charger in one
// step, links the two and acknowledges the alarm. Empty fields of in take
// defaults: title from the alarm, the alarm's assignee, starting now.
func (s *Service) CreateTaskFromAlarm(ctx context.Context, actor account.User, alarmID string, in TaskInput) (Task, error) {
	a, err := s.Alarm(ctx, alarmID)
	if err != nil {
		return Task{}, err
	}
	if a.Status == AlarmResolved {
		return Task{}, apperr.New(apperr.Conflict, "alarm_resolved")
	}
	if a.TaskID != "" {
		if t, err := s.store.Task(ctx, a.TaskID); err == nil && (t.Status == TaskScheduled || t.Status == TaskActive) {
			return Task{}, apperr.New(apperr.Conflict, "alarm_has_task", t.ID)
		}
	}
	in.ChargerID, in.Kind = a.ChargerID, KindRepair
	if strings.TrimSpace(in.Title) == "" {
		in.Title = "Repair: " + a.Code
	}
	if in.Description == "" {
		in.Description = a.Detail
	}
	if in.AssigneeID == "" {
		in.AssigneeID = a.AssigneeID
	}
	t, err := s.createTask(ctx, actor, in, a.ID)
	if err != nil {
		return Task{}, err
	}
	_, err = s.change(ctx, actor, a.ID, "task", func(x *Alarm) error {
		x.TaskID = t.ID
		if x.Status == AlarmOpen {
			x.Status, x.AckedBy, x.AckedAt = AlarmAcked, actor.ID, s.clock.Now()
		}
		return nil
	})
	return t, err
}

// Task returns one task.
func (s *Service) Task(ctx context.Context, id string) (Task, error) {
	t, err := s.store.Task(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Task{}, apperr.Wrap(err, apperr.NotFound, "task_not_found")
	}
	return t, err
}

// Tasks lists tasks newest first; the next cursor is "" at the end.
func (s *Service) Tasks(ctx context.Context, f TaskFilter) ([]Task, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	want := f.Limit
	f.Limit++
	ts, err := s.store.Tasks(ctx, f)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ts) > want {
		ts, next = ts[:want], ts[want-1].ID
	}
	return ts, next, nil
}

// Photo returns the photo of a finished task.
func (s *Service) Photo(ctx context.Context, taskID string) (Photo, error) {
	p, err := s.store.Photo(ctx, taskID)
	if apperr.Is(err, apperr.NotFound) {
		return Photo{}, apperr.Wrap(err, apperr.NotFound, "photo_not_found")
	}
	return p, err
}

// editTask applies fn to an open task, stores, audits and publishes it.
func (s *Service) editTask(ctx context.Context, actor account.User, id, action string, fn func(*Task) error) (Task, error) {
	s.taskMu.Lock()
	t, err := s.Task(ctx, id)
	if err != nil {
		s.taskMu.Unlock()
		return Task{}, err
	}
	if t.Status != TaskScheduled && t.Status != TaskActive {
		s.taskMu.Unlock()
		return Task{}, apperr.New(apperr.Conflict, "task_closed", t.Status)
	}
	if err := fn(&t); err != nil {
		s.taskMu.Unlock()
		return Task{}, err
	}
	t.UpdatedAt = s.clock.Now()
	err = s.store.UpdateTask(ctx, t)
	s.taskMu.Unlock()
	if err != nil {
		return Task{}, fmt.Errorf("update task %s: %w", t.ID, err)
	}
	if err := s.record(ctx, actor, "task."+action, "task", t.ID, t.Kind+": "+t.Title, map[string]any{"assignee_id": t.AssigneeID, "window_start": t.WindowStart, "window_end": t.WindowEnd}); err != nil {
		return Task{}, err
	}
	s.publish(EventTaskUpdated, t.ChargerID, t.SiteID, t)
	if !t.WindowStart.After(s.clock.Now()) {
		if err := s.applyWindows(ctx, t.ChargerID); err != nil {
			s.log.Warn("take charger out of service", "charger", t.ChargerID, "task", t.ID, "err", err)
		}
		return s.Task(ctx, t.ID)
	}
	return t, nil
}

// AssignTask gives a task to a maintainer ("" = nobody).
func (s *Service) AssignTask(ctx context.Context, actor account.User, id, assigneeID string) (Task, error) {
	if err := s.checkAssignee(ctx, assigneeID); err != nil {
		return Task{}, err
	}
	return s.editTask(ctx, actor, id, "assign", func(t *Task) error {
		t.AssigneeID = assigneeID
		return nil
	})
}

// ScheduleTask moves a task's window. Once the window has started only its
// end may move.
func (s *Service) ScheduleTask(ctx context.Context, actor account.User, id string, start, end time.Time) (Task, error) {
	return s.editTask(ctx, actor, id, "schedule", func(t *Task) error {
		if t.Status == TaskActive || start.IsZero() {
			start = t.WindowStart
		}
		if err := checkWindow(start, end); err != nil {
			return err
		}
		t.WindowStart, t.WindowEnd = start.UTC(), end.UTC()
		if end.IsZero() {
			t.WindowEnd = time.Time{}
		}
		return nil
	})
}

// CompleteTask marks a task done with a note and optional photo, puts its
// charger back in service and, for a recurring task, schedules the next
// occurrence.
func (s *Service) CompleteTask(ctx context.Context, actor account.User, id string, d Done) (Task, error) {
	d.Note = strings.TrimSpace(d.Note)
	if len([]rune(d.Note)) > 2000 {
		return Task{}, apperr.Field("body.note", "too_long", 2000)
	}
	var photo *Photo
	if len(d.Photo) > 0 {
		if len(d.Photo) > MaxPhotoBytes {
			return Task{}, apperr.Field("body.photo", "photo_too_large", MaxPhotoBytes>>20)
		}
		ct := http.DetectContentType(d.Photo)
		if !slices.Contains([]string{"image/jpeg", "image/png", "image/webp", "image/gif"}, ct) {
			return Task{}, apperr.Field("body.photo", "bad_photo")
		}
		photo = &Photo{TaskID: id, ContentType: ct, Data: d.Photo, CreatedAt: s.clock.Now()}
	}
	return s.closeTask(ctx, actor, id, TaskDone, d.Note, photo)
}

// CancelTask closes a task without doing it and puts its charger back in
// service. A recurring task's series ends with it.
func (s *Service) CancelTask(ctx context.Context, actor account.User, id, note string) (Task, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 2000 {
		return Task{}, apperr.Field("body.note", "too_long", 2000)
	}
	return s.closeTask(ctx, actor, id, TaskCancelled, note, nil)
}

func (s *Service) closeTask(ctx context.Context, actor account.User, id, status, note string, photo *Photo) (Task, error) {
	s.taskMu.Lock()
	defer s.taskMu.Unlock()
	t, err := s.Task(ctx, id)
	if err != nil {
		return Task{}, err
	}
	if t.Status != TaskScheduled && t.Status != TaskActive {
		return Task{}, apperr.New(apperr.Conflict, "task_closed", t.Status)
	}
	now := s.clock.Now()
	t.Status, t.DoneBy, t.DoneAt, t.Note, t.HasPhoto, t.UpdatedAt = status, actor.ID, now, note, photo != nil, now
	if t.Availability == AvailUnavailable {
		t.Availability = AvailRestoring
	} else if t.Availability == AvailWaiting {
		t.Availability = AvailNone
	}
	var next *Task
	if status == TaskDone && t.EveryDays > 0 {
		next = nextOccurrence(t, now)
	}
	if err := s.store.CloseTask(ctx, t, photo, next); err != nil {
		return Task{}, fmt.Errorf("close task %s: %w", t.ID, err)
	}
	if err := s.record(ctx, actor, "task."+status, "task", t.ID, t.Kind+": "+t.Title, map[string]any{"note": note, "photo": photo != nil}); err != nil {
		return Task{}, err
	}
	s.publish(EventTaskUpdated, t.ChargerID, t.SiteID, t)
	if next != nil {
		s.publish(EventTaskUpdated, next.ChargerID, next.SiteID, *next)
	}
	if t.Availability == AvailRestoring {
		if err := s.restore(ctx, &t); err != nil {
			s.log.Warn("put charger back in service: will retry", "charger", t.ChargerID, "task", t.ID, "err", err)
		}
	}
	return t, nil
}

// nextOccurrence is the first occurrence of a recurring task after now,
// with the same duration, title and assignee.
func nextOccurrence(t Task, now time.Time) *Task {
	every := time.Duration(t.EveryDays) * 24 * time.Hour
	start := t.WindowStart.Add(every)
	for !start.After(now) {
		start = start.Add(every)
	}
	n := Task{ID: ids.New(), ChargerID: t.ChargerID, SiteID: t.SiteID, Kind: t.Kind, Title: t.Title, Description: t.Description, AssigneeID: t.AssigneeID,
		Status: TaskScheduled, WindowStart: start, EveryDays: t.EveryDays, PreviousID: t.ID, CreatedBy: t.CreatedBy, CreatedAt: now, UpdatedAt: now}
	if !t.WindowEnd.IsZero() {
		n.WindowEnd = start.Add(t.WindowEnd.Sub(t.WindowStart))
	}
	return &n
}

// applyWindows starts due task windows (of one charger, or all when
// chargerID is ""), takes their chargers out of service when free, and
// retries putting back chargers whose restore failed.
func (s *Service) applyWindows(ctx context.Context, chargerID string) error {
	s.taskMu.Lock()
	defer s.taskMu.Unlock()
	due, err := s.store.DueTasks(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	for i := range due {
		t := &due[i]
		if chargerID != "" && t.ChargerID != chargerID {
			continue
		}
		if err := s.applyTask(ctx, t); err != nil {
			s.log.Warn("task window", "charger", t.ChargerID, "task", t.ID, "err", err)
		}
	}
	return nil
}

// applyTask moves one due task along; s.taskMu is held.
func (s *Service) applyTask(ctx context.Context, t *Task) error {
	if t.Availability == AvailRestoring {
		return s.restore(ctx, t)
	}
	if t.Status != TaskScheduled && t.Status != TaskActive {
		return nil
	}
	before := *t
	defer func() {
		if *t != before {
			t.UpdatedAt = s.clock.Now()
			if err := s.store.UpdateTask(ctx, *t); err != nil {
				s.log.Error("store task", "task", t.ID, "err", err)
				return
			}
			s.publish(EventTaskUpdated, t.ChargerID, t.SiteID, *t)
		}
	}()
	t.Status = TaskActive
	if t.Availability == AvailUnavailable {
		return nil
	}
	busy, _, err := s.charging.Sessions(ctx, charging.SessionFilter{ChargerID: t.ChargerID, Status: charging.SessionActive, Limit: 1})
	if err != nil {
		return fmt.Errorf("sessions of %s: %w", t.ChargerID, err)
	}
	if len(busy) > 0 {
		t.Availability = AvailWaiting
		return nil
	}
	status, err := s.changeAvailability(ctx, t.ChargerID, ocpp.AvailabilityTypeInoperative)
	if err != nil {
		return err
	}
	switch status {
	case ocpp.AvailabilityStatusAccepted, ocpp.AvailabilityStatusScheduled:
		t.Availability, t.AppliedAt = AvailUnavailable, s.clock.Now()
		s.log.Info("charger out of service for a task", "charger", t.ChargerID, "task", t.ID, "kind", t.Kind, "answer", status)
		return nil
	}
	return fmt.Errorf("charger refused ChangeAvailability Inoperative: %s", status)
}

// restore puts a closed task's charger back in service, unless another
// active task still holds it; s.taskMu is held.
func (s *Service) restore(ctx context.Context, t *Task) error {
	others, err := s.store.Tasks(ctx, TaskFilter{ChargerID: t.ChargerID, Status: TaskActive, Limit: 200})
	if err != nil {
		return err
	}
	held := slices.ContainsFunc(others, func(o Task) bool {
		return o.ID != t.ID && (o.Availability == AvailUnavailable || o.Availability == AvailWaiting)
	})
	if !held {
		status, err := s.changeAvailability(ctx, t.ChargerID, ocpp.AvailabilityTypeOperative)
		if err != nil {
			return err
		}
		if status != ocpp.AvailabilityStatusAccepted && status != ocpp.AvailabilityStatusScheduled {
			return fmt.Errorf("charger refused ChangeAvailability Operative: %s", status)
		}
		s.log.Info("charger back in service", "charger", t.ChargerID, "task", t.ID)
	}
	t.Availability, t.UpdatedAt = AvailRestored, s.clock.Now()
	if err := s.store.UpdateTask(ctx, *t); err != nil {
		return fmt.Errorf("store task %s: %w", t.ID, err)
	}
	s.publish(EventTaskUpdated, t.ChargerID, t.SiteID, *t)
	return nil
}

// changeAvailability sends ChangeAvailability for the whole charger.
func (s *Service) changeAvailability(ctx context.Context, chargerID string, typ ocpp.AvailabilityType) (ocpp.AvailabilityStatus, error) {
	c, err := s.charging.Charger(ctx, chargerID)
	if err != nil {
		return "", fmt.Errorf("charger %s: %w", chargerID, err)
	}
	raw, err := s.charging.Send(ctx, c, "ChangeAvailability", &ocpp.ChangeAvailabilityRequest{ConnectorID: 0, Type: typ})
	if err != nil {
		return "", fmt.Errorf("ChangeAvailability %s: %w", typ, err)
	}
	var resp ocpp.ChangeAvailabilityResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return "", fmt.Errorf("ChangeAvailability answer: %w", err)
	}
	return resp.Status, nil
}

// Notices returns, per charger id, what drivers should see on chargers out
// of service for a task: the active task with the latest end.
func (s *Service) Notices(ctx context.Context) (map[string]Notice, error) {
	due, err := s.store.DueTasks(ctx, s.clock.Now())
	if err != nil {
		return nil, fmt.Errorf("due tasks: %w", err)
	}
	out := map[string]Notice{}
	for _, t := range due {
		if t.Status != TaskActive {
			continue
		}
		n := Notice{Kind: t.Kind, Since: t.WindowStart, Until: t.WindowEnd}
		if !t.AppliedAt.IsZero() {
			n.Since = t.AppliedAt
		}
		if old, ok := out[t.ChargerID]; ok && (old.Until.IsZero() || !n.Until.IsZero() && !n.Until.After(old.Until)) {
			continue
		}
		out[t.ChargerID] = n
	}
	return out, nil
}
