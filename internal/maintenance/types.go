package maintenance

import (
	"context"
	"time"
)

// Severity ranks an alarm.
type Severity string

// The severities, most urgent first.
const (
	Critical Severity = "critical"
	Major    Severity = "major"
	Minor    Severity = "minor"
)

// Severities lists every severity, most urgent first.
func Severities() []Severity { return []Severity{Critical, Major, Minor} }

func (s Severity) rank() int {
	switch s {
	case Critical:
		return 3
	case Major:
		return 2
	case Minor:
		return 1
	}
	return 0
}

// Alarm sources: what raised an alarm.
const (
	SourceStatus  = "status"  // a StatusNotification with an error code or Faulted
	SourceOffline = "offline" // the charger went offline
	SourceCommand = "command" // a remote command failed
	SourceMeter   = "meter"   // a meter anomaly
)

// Alarm codes of the sources other than status (whose code is the OCPP
// error code, or "Faulted" when a Faulted status carries NoError).
const (
	CodeOffline         = "offline"
	CodeFaulted         = "Faulted"
	CodeCommandFailed   = "command_failed"
	CodeEnergyBackwards = "energy_backwards"
	CodePowerOverMax    = "power_over_max"
	CodeMeterSilent     = "meter_silent"
)

// Alarm states.
const (
	AlarmOpen     = "open"
	AlarmAcked    = "acknowledged"
	AlarmResolved = "resolved"
)

// Alarm is a fault or anomaly on a charger, merged over its recurrences.
type Alarm struct {
	ID        string
	ChargerID string
	SiteID    string
	// ConnectorID is the connector concerned; 0 is the whole charger.
	ConnectorID int
	// SessionID is the session a meter anomaly concerns, if any.
	SessionID string
	// Source is one of the Source constants.
	Source string
	// Code names the fault: an OCPP error code or one of the Code constants.
	Code     string
	Severity Severity
	// Detail describes the latest occurrence (vendor error, command, figures).
	Detail string
	// Status is AlarmOpen, AlarmAcked or AlarmResolved.
	Status string
	// Count is how many occurrences were merged into this alarm.
	Count     int
	FirstSeen time.Time
	LastSeen  time.Time
	// ClearedAt is when the condition went away (zero while it lasts).
	ClearedAt      time.Time
	AckedBy        string
	AckedAt        time.Time
	AssigneeID     string
	ResolvedBy     string
	ResolvedAt     time.Time
	ResolutionNote string
	// TaskID is the repair task created from this alarm, if any.
	TaskID    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Task kinds.
const (
	KindRepair      = "repair"
	KindMaintenance = "maintenance"
	KindCleaning    = "cleaning"
)

// TaskKinds lists the task kinds.
func TaskKinds() []string { return []string{KindRepair, KindMaintenance, KindCleaning} }

// Task states.
const (
	TaskScheduled = "scheduled" // its window has not started
	TaskActive    = "active"    // its window started: the charger is (being) taken out of service
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// Availability of a task's charger, as the task sees it.
const (
	AvailNone        = ""            // nothing sent yet
	AvailWaiting     = "waiting"     // the charger is in use: waiting for its session to end
	AvailUnavailable = "unavailable" // ChangeAvailability Inoperative accepted
	AvailRestoring   = "restoring"   // closed: ChangeAvailability Operative to be sent (retried until it is)
	AvailRestored    = "restored"    // back in service
)

// Task is a repair, maintenance or cleaning job on a charger.
type Task struct {
	ID        string
	ChargerID string
	SiteID    string
	// Kind is KindRepair, KindMaintenance or KindCleaning.
	Kind        string
	Title       string
	Description string
	// AlarmID is the alarm the task was created from, if any.
	AlarmID    string
	AssigneeID string
	// Status is TaskScheduled, TaskActive, TaskDone or TaskCancelled.
	Status string
	// WindowStart is when the charger is taken out of service.
	WindowStart time.Time
	// WindowEnd is when the work should be over (zero = open-ended). The
	// charger stays out of service until the task is done or cancelled.
	WindowEnd time.Time
	// EveryDays repeats the task every that many days (0 = one-off).
	EveryDays int
	// Availability is one of the Avail constants.
	Availability string
	// AppliedAt is when the charger was taken out of service.
	AppliedAt time.Time
	DoneBy    string
	DoneAt    time.Time
	// Note is the maintainer's note when done (or the reason when cancelled).
	Note     string
	HasPhoto bool
	// PreviousID is the occurrence of a recurring task this one follows.
	PreviousID string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Photo is an image attached to a task when it is done.
type Photo struct {
	TaskID      string
	ContentType string
	Data        []byte
	CreatedAt   time.Time
}

// AlarmFilter selects alarms; empty fields select all.
type AlarmFilter struct {
	ChargerID  string
	Status     string
	Severity   Severity
	AssigneeID string
	// Unresolved keeps open and acknowledged alarms.
	Unresolved bool
	Limit      int
	Cursor     string
}

// TaskFilter selects tasks; empty fields select all.
type TaskFilter struct {
	ChargerID  string
	AssigneeID string
	Status     string
	Kind       string
	// Open keeps scheduled and active tasks.
	Open   bool
	Limit  int
	Cursor string
}

// Store is the persistence the maintenance service needs.
type Store interface {
	CreateAlarm(ctx context.Context, a Alarm) error
	// UpdateAlarm stores every field of an existing alarm.
	UpdateAlarm(ctx context.Context, a Alarm) error
	Alarm(ctx context.Context, id string) (Alarm, error)
	// LatestUnresolved returns the most recently seen unresolved alarm with
	// that charger, connector and code, or a NotFound error.
	LatestUnresolved(ctx context.Context, chargerID string, connectorID int, code string) (Alarm, error)
	// Alarms lists alarms newest first.
	Alarms(ctx context.Context, f AlarmFilter) ([]Alarm, error)

	CreateTask(ctx context.Context, t Task) error
	// UpdateTask stores every field of a task that is still scheduled or
	// active; a closed task is a Conflict.
	UpdateTask(ctx context.Context, t Task) error
	// CloseTask stores a task that is being closed (done or cancelled),
	// with its photo and the next occurrence if any, in one transaction; a
	// task already closed is a Conflict and nothing changes.
	CloseTask(ctx context.Context, t Task, photo *Photo, next *Task) error
	Task(ctx context.Context, id string) (Task, error)
	// Tasks lists tasks newest first.
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// DueTasks lists scheduled or active tasks whose window started at or
	// before now, and closed tasks whose charger is still to be put back in
	// service (availability AvailRestoring).
	DueTasks(ctx context.Context, now time.Time) ([]Task, error)
	Photo(ctx context.Context, taskID string) (Photo, error)
}
