package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/maintenance"
	"github.com/jmoiron/sqlx"
)

// Maintenance stores alarms, maintenance tasks and their photos.
type Maintenance struct{ db *DB }

var _ maintenance.Store = (*Maintenance)(nil)

// NewMaintenance returns the maintenance store.
func NewMaintenance(db *DB) *Maintenance { return &Maintenance{db: db} }

type alarmRow struct {
	ID             string `db:"id"`
	ChargerID      string `db:"charger_id"`
	SiteID         string `db:"site_id"`
	ConnectorID    int    `db:"connector_id"`
	SessionID      string `db:"session_id"`
	Source         string `db:"source"`
	Code           string `db:"code"`
	Severity       string `db:"severity"`
	Detail         string `db:"detail"`
	Status         string `db:"status"`
	Count          int    `db:"occurrences"`
	FirstSeen      int64  `db:"first_seen"`
	LastSeen       int64  `db:"last_seen"`
	ClearedAt      int64  `db:"cleared_at"`
	AckedBy        string `db:"acked_by"`
	AckedAt        int64  `db:"acked_at"`
	AssigneeID     string `db:"assignee_id"`
	ResolvedBy     string `db:"resolved_by"`
	ResolvedAt     int64  `db:"resolved_at"`
	ResolutionNote string `db:"resolution_note"`
	TaskID         string `db:"task_id"`
	CreatedAt      int64  `db:"created_at"`
	UpdatedAt      int64  `db:"updated_at"`
}

const alarmCols = `id, charger_id, site_id, connector_id, session_id, source, code, severity, detail, status, occurrences, first_seen, last_seen,
	cleared_at, acked_by, acked_at, assignee_id, resolved_by, resolved_at, resolution_note, task_id, created_at, updated_at`

func (r alarmRow) alarm() maintenance.Alarm {
	return maintenance.Alarm{ID: r.ID, ChargerID: r.ChargerID, SiteID: r.SiteID, ConnectorID: r.ConnectorID, SessionID: r.SessionID, Source: r.Source,
		Code: r.Code, Severity: maintenance.Severity(r.Severity), Detail: r.Detail, Status: r.Status, Count: r.Count, FirstSeen: fromMS(r.FirstSeen),
		LastSeen: fromMS(r.LastSeen), ClearedAt: fromMS(r.ClearedAt), AckedBy: r.AckedBy, AckedAt: fromMS(r.AckedAt), AssigneeID: r.AssigneeID,
		ResolvedBy: r.ResolvedBy, ResolvedAt: fromMS(r.ResolvedAt), ResolutionNote: r.ResolutionNote, TaskID: r.TaskID, CreatedAt: fromMS(r.CreatedAt),
		UpdatedAt: fromMS(r.UpdatedAt)}
}

func alarmArgs(a maintenance.Alarm) []any {
	return []any{a.ChargerID, a.SiteID, a.ConnectorID, a.SessionID, a.Source, a.Code, string(a.Severity), a.Detail, a.Status, a.Count, ms(a.FirstSeen),
		ms(a.LastSeen), ms(a.ClearedAt), a.AckedBy, ms(a.AckedAt), a.AssigneeID, a.ResolvedBy, ms(a.ResolvedAt), a.ResolutionNote, a.TaskID,
		ms(a.CreatedAt), ms(a.UpdatedAt)}
}

// CreateAlarm inserts an alarm.
func (s *Maintenance) CreateAlarm(ctx context.Context, a maintenance.Alarm) error {
	args := append([]any{a.ID}, alarmArgs(a)...)
	if _, err := exec(ctx, s.db, `INSERT INTO alarms (`+alarmCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...); err != nil {
		return fmt.Errorf("insert alarm: %w", err)
	}
	return nil
}

// UpdateAlarm stores every field of an existing alarm.
func (s *Maintenance) UpdateAlarm(ctx context.Context, a maintenance.Alarm) error {
	args := append(alarmArgs(a), a.ID)
	err := execOne(ctx, s.db, `UPDATE alarms SET charger_id=?, site_id=?, connector_id=?, session_id=?, source=?, code=?, severity=?, detail=?, status=?,
		occurrences=?, first_seen=?, last_seen=?, cleared_at=?, acked_by=?, acked_at=?, assignee_id=?, resolved_by=?, resolved_at=?, resolution_note=?,
		task_id=?, created_at=?, updated_at=? WHERE id=?`, args...)
	if err != nil {
		return fmt.Errorf("update alarm %s: %w", a.ID, err)
	}
	return nil
}

// Alarm returns one alarm.
func (s *Maintenance) Alarm(ctx context.Context, id string) (maintenance.Alarm, error) {
	var r alarmRow
	if err := get(ctx, s.db, &r, `SELECT `+alarmCols+` FROM alarms WHERE id = ?`, id); err != nil {
		return maintenance.Alarm{}, fmt.Errorf("alarm %s: %w", id, err)
	}
	return r.alarm(), nil
}

// LatestUnresolved returns the most recently seen unresolved alarm with that
// charger, connector and code.
func (s *Maintenance) LatestUnresolved(ctx context.Context, chargerID string, connectorID int, code string) (maintenance.Alarm, error) {
	var r alarmRow
	err := get(ctx, s.db, &r, `SELECT `+alarmCols+` FROM alarms WHERE charger_id = ? AND connector_id = ? AND code = ? AND status <> ?
		ORDER BY last_seen DESC, id DESC LIMIT 1`, chargerID, connectorID, code, maintenance.AlarmResolved)
	if err != nil {
		return maintenance.Alarm{}, fmt.Errorf("unresolved alarm %s/%d/%s: %w", chargerID, connectorID, code, err)
	}
	return r.alarm(), nil
}

// Alarms lists alarms newest first.
func (s *Maintenance) Alarms(ctx context.Context, f maintenance.AlarmFilter) ([]maintenance.Alarm, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.ChargerID != "" {
		add("charger_id = ?", f.ChargerID)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.Unresolved {
		add("status <> ?", maintenance.AlarmResolved)
	}
	if f.Severity != "" {
		add("severity = ?", string(f.Severity))
	}
	if f.AssigneeID != "" {
		add("assignee_id = ?", f.AssigneeID)
	}
	if f.Cursor != "" {
		add("id < ?", f.Cursor)
	}
	q := `SELECT ` + alarmCols + ` FROM alarms`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var rows []alarmRow
	if err := sel(ctx, s.db, &rows, q+" ORDER BY id DESC LIMIT ?", append(args, f.Limit)...); err != nil {
		return nil, fmt.Errorf("alarms: %w", err)
	}
	out := make([]maintenance.Alarm, len(rows))
	for i, r := range rows {
		out[i] = r.alarm()
	}
	return out, nil
}

type taskRow struct {
	ID           string `db:"id"`
	ChargerID    string `db:"charger_id"`
	SiteID       string `db:"site_id"`
	Kind         string `db:"kind"`
	Title        string `db:"title"`
	Description  string `db:"description"`
	AlarmID      string `db:"alarm_id"`
	AssigneeID   string `db:"assignee_id"`
	Status       string `db:"status"`
	WindowStart  int64  `db:"window_start"`
	WindowEnd    int64  `db:"window_end"`
	EveryDays    int    `db:"every_days"`
	Availability string `db:"availability"`
	AppliedAt    int64  `db:"applied_at"`
	DoneBy       string `db:"done_by"`
	DoneAt       int64  `db:"done_at"`
	Note         string `db:"note"`
	HasPhoto     bool   `db:"has_photo"`
	PreviousID   string `db:"previous_id"`
	CreatedBy    string `db:"created_by"`
	CreatedAt    int64  `db:"created_at"`
	UpdatedAt    int64  `db:"updated_at"`
}

const taskCols = `id, charger_id, site_id, kind, title, description, alarm_id, assignee_id, status, window_start, window_end, every_days, availability,
	applied_at, done_by, done_at, note, has_photo, previous_id, created_by, created_at, updated_at`

func (r taskRow) task() maintenance.Task {
	return maintenance.Task{ID: r.ID, ChargerID: r.ChargerID, SiteID: r.SiteID, Kind: r.Kind, Title: r.Title, Description: r.Description,
		AlarmID: r.AlarmID, AssigneeID: r.AssigneeID, Status: r.Status, WindowStart: fromMS(r.WindowStart), WindowEnd: fromMS(r.WindowEnd),
		EveryDays: r.EveryDays, Availability: r.Availability, AppliedAt: fromMS(r.AppliedAt), DoneBy: r.DoneBy, DoneAt: fromMS(r.DoneAt), Note: r.Note,
		HasPhoto: r.HasPhoto, PreviousID: r.PreviousID, CreatedBy: r.CreatedBy, CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt)}
}

func taskArgs(t maintenance.Task) []any {
	return []any{t.ChargerID, t.SiteID, t.Kind, t.Title, t.Description, t.AlarmID, t.AssigneeID, t.Status, ms(t.WindowStart), ms(t.WindowEnd),
		t.EveryDays, t.Availability, ms(t.AppliedAt), t.DoneBy, ms(t.DoneAt), t.Note, t.HasPhoto, t.PreviousID, t.CreatedBy, ms(t.CreatedAt), ms(t.UpdatedAt)}
}

const taskInsert = `INSERT INTO maintenance_tasks (` + taskCols + `) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

const taskUpdate = `UPDATE maintenance_tasks SET charger_id=?, site_id=?, kind=?, title=?, description=?, alarm_id=?, assignee_id=?, status=?,
	window_start=?, window_end=?, every_days=?, availability=?, applied_at=?, done_by=?, done_at=?, note=?, has_photo=?, previous_id=?, created_by=?,
	created_at=?, updated_at=? WHERE id=?`

// CreateTask inserts a task.
func (s *Maintenance) CreateTask(ctx context.Context, t maintenance.Task) error {
	if _, err := exec(ctx, s.db, taskInsert, append([]any{t.ID}, taskArgs(t)...)...); err != nil {
		return fmt.Errorf("insert task: %w", err)
	}
	return nil
}

// UpdateTask stores every field of a task.
func (s *Maintenance) UpdateTask(ctx context.Context, t maintenance.Task) error {
	if err := execOne(ctx, s.db, taskUpdate, append(taskArgs(t), t.ID)...); err != nil {
		return fmt.Errorf("update task %s: %w", t.ID, err)
	}
	return nil
}

// CloseTask stores a closing task with its photo and next occurrence in one
// transaction; a task already closed is a Conflict.
func (s *Maintenance) CloseTask(ctx context.Context, t maintenance.Task, photo *maintenance.Photo, next *maintenance.Task) error {
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		err := execOne(ctx, tx, taskUpdate+` AND status IN (?, ?)`, append(append(taskArgs(t), t.ID), maintenance.TaskScheduled, maintenance.TaskActive)...)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Wrap(err, apperr.Conflict, "conflict")
		}
		if err != nil {
			return err
		}
		if photo != nil {
			if _, err := exec(ctx, tx, `INSERT INTO task_photos (task_id, content_type, data, created_at) VALUES (?,?,?,?)`,
				photo.TaskID, photo.ContentType, photo.Data, ms(photo.CreatedAt)); err != nil {
				return fmt.Errorf("insert photo: %w", err)
			}
		}
		if next != nil {
			if _, err := exec(ctx, tx, taskInsert, append([]any{next.ID}, taskArgs(*next)...)...); err != nil {
				return fmt.Errorf("insert next occurrence: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("close task %s: %w", t.ID, err)
	}
	return nil
}

// Task returns one task.
func (s *Maintenance) Task(ctx context.Context, id string) (maintenance.Task, error) {
	var r taskRow
	if err := get(ctx, s.db, &r, `SELECT `+taskCols+` FROM maintenance_tasks WHERE id = ?`, id); err != nil {
		return maintenance.Task{}, fmt.Errorf("task %s: %w", id, err)
	}
	return r.task(), nil
}

func (s *Maintenance) tasks(ctx context.Context, where []string, args []any, limit int) ([]maintenance.Task, error) {
	q := `SELECT ` + taskCols + ` FROM maintenance_tasks`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	var rows []taskRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	out := make([]maintenance.Task, len(rows))
	for i, r := range rows {
		out[i] = r.task()
	}
	return out, nil
}

// Tasks lists tasks newest first.
func (s *Maintenance) Tasks(ctx context.Context, f maintenance.TaskFilter) ([]maintenance.Task, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where, args = append(where, cond), append(args, v...) }
	if f.ChargerID != "" {
		add("charger_id = ?", f.ChargerID)
	}
	if f.AssigneeID != "" {
		add("assignee_id = ?", f.AssigneeID)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Open {
		add("status IN (?, ?)", maintenance.TaskScheduled, maintenance.TaskActive)
	}
	if f.Cursor != "" {
		add("id < ?", f.Cursor)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	return s.tasks(ctx, where, args, f.Limit)
}

// DueTasks lists scheduled or active tasks whose window started by now,
// and closed tasks whose charger is still to be put back in service.
func (s *Maintenance) DueTasks(ctx context.Context, now time.Time) ([]maintenance.Task, error) {
	return s.tasks(ctx, []string{"((status IN (?, ?) AND window_start <= ?) OR availability = ?)"},
		[]any{maintenance.TaskScheduled, maintenance.TaskActive, ms(now), maintenance.AvailRestoring}, 0)
}

// Photo returns a task's photo.
func (s *Maintenance) Photo(ctx context.Context, taskID string) (maintenance.Photo, error) {
	var r struct {
		TaskID      string `db:"task_id"`
		ContentType string `db:"content_type"`
		Data        []byte `db:"data"`
		CreatedAt   int64  `db:"created_at"`
	}
	if err := get(ctx, s.db, &r, `SELECT task_id, content_type, data, created_at FROM task_photos WHERE task_id = ?`, taskID); err != nil {
		return maintenance.Photo{}, fmt.Errorf("photo of task %s: %w", taskID, err)
	}
	return maintenance.Photo{TaskID: r.TaskID, ContentType: r.ContentType, Data: r.Data, CreatedAt: fromMS(r.CreatedAt)}, nil
}
