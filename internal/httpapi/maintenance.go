package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/maintenance"
	"github.com/danielgtaylor/huma/v2"
)

// AlarmView is an alarm as the API shows it.
type AlarmView struct {
	ID          string     `json:"id"`
	ChargerID   string     `json:"charger_id"`
	SiteID      string     `json:"site_id"`
	ConnectorID int        `json:"connector_id" doc:"0 = the whole charger"`
	SessionID   string     `json:"session_id,omitempty" doc:"The session a meter anomaly concerns"`
	Source      string     `json:"source" enum:"status,offline,command,meter"`
	Code        string     `json:"code" doc:"OCPP error code (e.g. GroundFailure), Faulted, offline, command_failed:<action>, energy_backwards, power_over_max or meter_silent"`
	Severity    string     `json:"severity" enum:"critical,major,minor"`
	Detail      string     `json:"detail"`
	Status      string     `json:"status" enum:"open,acknowledged,resolved"`
	Count       int        `json:"count" doc:"Occurrences merged into this alarm"`
	FirstSeen   time.Time  `json:"first_seen"`
	LastSeen    time.Time  `json:"last_seen"`
	ClearedAt   *time.Time `json:"cleared_at,omitempty" doc:"When the condition went away (the alarm stays until staff resolve it)"`
	AckedBy     string     `json:"acked_by,omitempty"`
	AckedAt     *time.Time `json:"acked_at,omitempty"`
	AssigneeID  string     `json:"assignee_id,omitempty"`
	ResolvedBy  string     `json:"resolved_by,omitempty"`
	ResolvedAt  *time.Time `json:"resolved_at,omitempty"`
	Resolution  string     `json:"resolution_note,omitempty"`
	TaskID      string     `json:"task_id,omitempty" doc:"The repair task created from this alarm"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func viewAlarm(a maintenance.Alarm) AlarmView {
	return AlarmView{ID: a.ID, ChargerID: a.ChargerID, SiteID: a.SiteID, ConnectorID: a.ConnectorID, SessionID: a.SessionID, Source: a.Source, Code: a.Code,
		Severity: string(a.Severity), Detail: a.Detail, Status: a.Status, Count: a.Count, FirstSeen: a.FirstSeen, LastSeen: a.LastSeen,
		ClearedAt: optTime(a.ClearedAt), AckedBy: a.AckedBy, AckedAt: optTime(a.AckedAt), AssigneeID: a.AssigneeID, ResolvedBy: a.ResolvedBy,
		ResolvedAt: optTime(a.ResolvedAt), Resolution: a.ResolutionNote, TaskID: a.TaskID, UpdatedAt: a.UpdatedAt}
}

// TaskView is a maintenance task as the API shows it.
type TaskView struct {
	ID           string     `json:"id"`
	ChargerID    string     `json:"charger_id"`
	SiteID       string     `json:"site_id"`
	Kind         string     `json:"kind" enum:"repair,maintenance,cleaning"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	AlarmID      string     `json:"alarm_id,omitempty"`
	AssigneeID   string     `json:"assignee_id,omitempty"`
	Status       string     `json:"status" enum:"scheduled,active,done,cancelled" doc:"active: the window started and the charger is (being) taken out of service"`
	WindowStart  time.Time  `json:"window_start"`
	WindowEnd    *time.Time `json:"window_end,omitempty" doc:"When the work should be over; the charger stays out of service until the task is done"`
	EveryDays    int        `json:"every_days" doc:"Repeats every that many days once done; 0 = one-off"`
	Availability string     `json:"availability" enum:",waiting,unavailable,restoring,restored" doc:"waiting: the charger is in use, it goes out of service when the session ends"`
	Overdue      bool       `json:"overdue" doc:"Still open after its window's end"`
	AppliedAt    *time.Time `json:"applied_at,omitempty" doc:"When the charger went out of service"`
	DoneBy       string     `json:"done_by,omitempty"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	Note         string     `json:"note,omitempty"`
	PhotoURL     string     `json:"photo_url,omitempty"`
	PreviousID   string     `json:"previous_id,omitempty" doc:"The previous occurrence of a recurring task"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func viewTask(t maintenance.Task, now time.Time) TaskView {
	v := TaskView{ID: t.ID, ChargerID: t.ChargerID, SiteID: t.SiteID, Kind: t.Kind, Title: t.Title, Description: t.Description, AlarmID: t.AlarmID,
		AssigneeID: t.AssigneeID, Status: t.Status, WindowStart: t.WindowStart, WindowEnd: optTime(t.WindowEnd), EveryDays: t.EveryDays,
		Availability: t.Availability, AppliedAt: optTime(t.AppliedAt), DoneBy: t.DoneBy, DoneAt: optTime(t.DoneAt), Note: t.Note, PreviousID: t.PreviousID,
		CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	v.Overdue = (t.Status == maintenance.TaskScheduled || t.Status == maintenance.TaskActive) && !t.WindowEnd.IsZero() && now.After(t.WindowEnd)
	if t.HasPhoto {
		v.PhotoURL = "/api/v1/tasks/" + t.ID + "/photo"
	}
	return v
}

// MaintenanceNotice tells drivers a charger is out of service for work.
type MaintenanceNotice struct {
	Kind  string     `json:"kind" enum:"repair,maintenance,cleaning"`
	Since time.Time  `json:"since"`
	Until *time.Time `json:"until,omitempty" doc:"When the work should be over, if planned"`
}

// maintenanceNotices maps charger ids to their notice; nil without the service.
func (s *Server) maintenanceNotices(ctx context.Context) map[string]*MaintenanceNotice {
	if s.deps.Maintenance == nil {
		return nil
	}
	ns, err := s.deps.Maintenance.Notices(ctx)
	if err != nil {
		s.deps.Log.Warn("maintenance notices", "err", err)
		return nil
	}
	out := make(map[string]*MaintenanceNotice, len(ns))
	for id, n := range ns {
		out[id] = &MaintenanceNotice{Kind: n.Kind, Since: n.Since, Until: optTime(n.Until)}
	}
	return out
}

// TaskBody is the input for creating a task.
type TaskBody struct {
	ChargerID   string    `json:"charger_id" maxLength:"64" doc:"Charger id or charge point id"`
	Kind        string    `json:"kind" enum:"repair,maintenance,cleaning"`
	Title       string    `json:"title" maxLength:"100"`
	Description string    `json:"description,omitempty" maxLength:"2000"`
	AssigneeID  string    `json:"assignee_id,omitempty" maxLength:"26"`
	WindowStart time.Time `json:"window_start,omitempty" doc:"When the charger goes out of service; default now"`
	WindowEnd   time.Time `json:"window_end,omitempty" doc:"When the work should be over; default open-ended"`
	EveryDays   int       `json:"every_days,omitempty" minimum:"0" maximum:"365" doc:"Repeat every that many days (e.g. 7 for weekly cleaning); 0 = one-off"`
}

// FromAlarmBody is the input for creating a repair task from an alarm; every field is optional.
type FromAlarmBody struct {
	Title       string    `json:"title,omitempty" maxLength:"100" doc:"Default: Repair: <alarm code>"`
	Description string    `json:"description,omitempty" maxLength:"2000" doc:"Default: the alarm's detail"`
	AssigneeID  string    `json:"assignee_id,omitempty" maxLength:"26" doc:"Default: the alarm's assignee"`
	WindowStart time.Time `json:"window_start,omitempty" doc:"Default now"`
	WindowEnd   time.Time `json:"window_end,omitempty"`
}

// DoneBody is what a maintainer sends when a task is finished.
type DoneBody struct {
	Note        string `json:"note,omitempty" maxLength:"2000"`
	PhotoBase64 string `json:"photo_base64,omitempty" maxLength:"2800000" doc:"Optional JPEG/PNG/WebP/GIF photo (at most 2 MB), base64 or a data: URL"`
}

func decodePhoto(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "data:") {
		if i := strings.Index(s, ","); i >= 0 {
			s = s[i+1:]
		}
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, apperr.Field("body.photo_base64", "bad_base64")
	}
	return b, nil
}

type alarmOut struct{ Body AlarmView }
type taskOut struct{ Body TaskView }

// assigneeOf turns "me" into the caller's id.
func assigneeOf(ctx context.Context, v string) string {
	if v == "me" {
		return currentUser(ctx).ID
	}
	return v
}

func (s *Server) registerMaintenance() {
	tags := []string{"alarms"}
	type alarmList struct {
		PageParams
		Status     string `query:"status" enum:"open,acknowledged,resolved,"`
		Unresolved bool   `query:"unresolved" doc:"Only open and acknowledged alarms"`
		Severity   string `query:"severity" enum:"critical,major,minor,"`
		ChargerID  string `query:"charger_id" maxLength:"26"`
		Assignee   string `query:"assignee" maxLength:"26" doc:"A user id, or me"`
	}
	register(s, huma.Operation{OperationID: "alarms-list", Method: http.MethodGet, Path: "/alarms", Summary: "List alarms, newest first", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *alarmList) (*struct{ Body Page[AlarmView] }, error) {
			as, next, err := s.deps.Maintenance.Alarms(ctx, maintenance.AlarmFilter{Status: in.Status, Unresolved: in.Unresolved, Severity: maintenance.Severity(in.Severity),
				ChargerID: in.ChargerID, AssigneeID: assigneeOf(ctx, in.Assignee), Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[AlarmView] }{}
			out.Body.Items, out.Body.NextCursor = make([]AlarmView, len(as)), next
			for i, a := range as {
				out.Body.Items[i] = viewAlarm(a)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "alarms-get", Method: http.MethodGet, Path: "/alarms/{id}", Summary: "One alarm", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *IDParam) (*alarmOut, error) {
			a, err := s.deps.Maintenance.Alarm(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &alarmOut{Body: viewAlarm(a)}, nil
		})
	register(s, huma.Operation{OperationID: "alarms-ack", Method: http.MethodPost, Path: "/alarms/{id}/ack", Summary: "Acknowledge an alarm", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *IDParam) (*alarmOut, error) {
			a, err := s.deps.Maintenance.Acknowledge(ctx, currentUser(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &alarmOut{Body: viewAlarm(a)}, nil
		})
	type assignIn struct {
		IDParam
		Body struct {
			AssigneeID string `json:"assignee_id" maxLength:"26" doc:"A maintainer's or admin's user id, me, or empty for nobody"`
		}
	}
	register(s, huma.Operation{OperationID: "alarms-assign", Method: http.MethodPost, Path: "/alarms/{id}/assign", Summary: "Assign an alarm to a maintainer (acknowledges it)", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *assignIn) (*alarmOut, error) {
			a, err := s.deps.Maintenance.Assign(ctx, currentUser(ctx), in.ID, assigneeOf(ctx, in.Body.AssigneeID))
			if err != nil {
				return nil, err
			}
			return &alarmOut{Body: viewAlarm(a)}, nil
		})
	register(s, huma.Operation{OperationID: "alarms-resolve", Method: http.MethodPost, Path: "/alarms/{id}/resolve", Summary: "Resolve an alarm with a note", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				Note string `json:"note" minLength:"1" maxLength:"1000" doc:"What was found and done"`
			}
		}) (*alarmOut, error) {
			a, err := s.deps.Maintenance.Resolve(ctx, currentUser(ctx), in.ID, in.Body.Note)
			if err != nil {
				return nil, err
			}
			return &alarmOut{Body: viewAlarm(a)}, nil
		})
	register(s, huma.Operation{OperationID: "alarms-create-task", Method: http.MethodPost, Path: "/alarms/{id}/task", Summary: "Create a repair task from an alarm (one click)",
		Description: "The task starts now unless a window is given, so the charger goes out of service (once free) until the task is done.", Tags: tags, DefaultStatus: http.StatusCreated}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body *FromAlarmBody
		}) (*taskOut, error) {
			var b FromAlarmBody
			if in.Body != nil {
				b = *in.Body
			}
			t, err := s.deps.Maintenance.CreateTaskFromAlarm(ctx, currentUser(ctx), in.ID, maintenance.TaskInput{Title: b.Title, Description: b.Description,
				AssigneeID: assigneeOf(ctx, b.AssigneeID), WindowStart: b.WindowStart, WindowEnd: b.WindowEnd})
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	s.registerTasks()
}

func (s *Server) registerTasks() {
	tags := []string{"tasks"}
	type taskList struct {
		PageParams
		Assignee  string `query:"assignee" maxLength:"26" doc:"A user id, or me (a maintainer's own list)"`
		Status    string `query:"status" enum:"scheduled,active,done,cancelled,"`
		Open      bool   `query:"open" doc:"Only scheduled and active tasks"`
		Kind      string `query:"kind" enum:"repair,maintenance,cleaning,"`
		ChargerID string `query:"charger_id" maxLength:"26"`
	}
	register(s, huma.Operation{OperationID: "tasks-list", Method: http.MethodGet, Path: "/tasks", Summary: "List maintenance and cleaning tasks, newest first", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *taskList) (*struct{ Body Page[TaskView] }, error) {
			ts, next, err := s.deps.Maintenance.Tasks(ctx, maintenance.TaskFilter{AssigneeID: assigneeOf(ctx, in.Assignee), Status: in.Status, Open: in.Open, Kind: in.Kind,
				ChargerID: in.ChargerID, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			now := s.deps.Clock.Now()
			out := &struct{ Body Page[TaskView] }{}
			out.Body.Items, out.Body.NextCursor = make([]TaskView, len(ts)), next
			for i, t := range ts {
				out.Body.Items[i] = viewTask(t, now)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "tasks-create", Method: http.MethodPost, Path: "/tasks", Summary: "Create a repair, maintenance or cleaning task",
		Description: "At the window's start the charger is made Unavailable (ChangeAvailability Inoperative), or as soon as its running session ends.", Tags: tags, DefaultStatus: http.StatusCreated}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct{ Body TaskBody }) (*taskOut, error) {
			b := in.Body
			t, err := s.deps.Maintenance.CreateTask(ctx, currentUser(ctx), maintenance.TaskInput{ChargerID: b.ChargerID, Kind: b.Kind, Title: b.Title, Description: b.Description,
				AssigneeID: assigneeOf(ctx, b.AssigneeID), WindowStart: b.WindowStart, WindowEnd: b.WindowEnd, EveryDays: b.EveryDays})
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "tasks-get", Method: http.MethodGet, Path: "/tasks/{id}", Summary: "One task", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *IDParam) (*taskOut, error) {
			t, err := s.deps.Maintenance.Task(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	type assignIn struct {
		IDParam
		Body struct {
			AssigneeID string `json:"assignee_id" maxLength:"26" doc:"A maintainer's or admin's user id, me, or empty for nobody"`
		}
	}
	register(s, huma.Operation{OperationID: "tasks-assign", Method: http.MethodPost, Path: "/tasks/{id}/assign", Summary: "Assign a task", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *assignIn) (*taskOut, error) {
			t, err := s.deps.Maintenance.AssignTask(ctx, currentUser(ctx), in.ID, assigneeOf(ctx, in.Body.AssigneeID))
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "tasks-schedule", Method: http.MethodPost, Path: "/tasks/{id}/schedule", Summary: "Move a task's window (only its end once started)", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				WindowStart time.Time `json:"window_start,omitempty"`
				WindowEnd   time.Time `json:"window_end,omitempty"`
			}
		}) (*taskOut, error) {
			t, err := s.deps.Maintenance.ScheduleTask(ctx, currentUser(ctx), in.ID, in.Body.WindowStart, in.Body.WindowEnd)
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "tasks-done", Method: http.MethodPost, Path: "/tasks/{id}/done", Summary: "Mark a task done (note, optional photo); the charger goes back in service",
		Description: "A recurring task schedules its next occurrence.", Tags: tags, MaxBodyBytes: 3 << 20}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body DoneBody
		}) (*taskOut, error) {
			photo, err := decodePhoto(in.Body.PhotoBase64)
			if err != nil {
				return nil, err
			}
			t, err := s.deps.Maintenance.CompleteTask(ctx, currentUser(ctx), in.ID, maintenance.Done{Note: in.Body.Note, Photo: photo})
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "tasks-cancel", Method: http.MethodPost, Path: "/tasks/{id}/cancel", Summary: "Cancel a task (ends a recurring series); the charger goes back in service", Tags: tags}, account.PermFaultsWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				Note string `json:"note,omitempty" maxLength:"2000"`
			}
		}) (*taskOut, error) {
			t, err := s.deps.Maintenance.CancelTask(ctx, currentUser(ctx), in.ID, in.Body.Note)
			if err != nil {
				return nil, err
			}
			return &taskOut{Body: viewTask(t, s.deps.Clock.Now())}, nil
		})
	register(s, huma.Operation{OperationID: "tasks-photo", Method: http.MethodGet, Path: "/tasks/{id}/photo", Summary: "The photo of a finished task", Tags: tags}, account.PermChargersRead,
		func(ctx context.Context, in *IDParam) (*struct {
			ContentType  string `header:"Content-Type"`
			CacheControl string `header:"Cache-Control"`
			Body         []byte
		}, error) {
			p, err := s.deps.Maintenance.Photo(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct {
				ContentType  string `header:"Content-Type"`
				CacheControl string `header:"Cache-Control"`
				Body         []byte
			}{ContentType: p.ContentType, CacheControl: "private, max-age=86400", Body: p.Data}, nil
		})
}
