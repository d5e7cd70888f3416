// Package audit defines the audit log's entry and the interface services use
// to record staff writes (who, what, when, before and after). Storage lives
// in the store package; this package holds no state.
package audit

import (
	"context"
	"time"
)

// Entry is one staff write.
type Entry struct {
	ID         string
	At         time.Time
	ActorID    string
	ActorName  string
	Action     string
	TargetType string
	TargetID   string
	Summary    string
	// Before and After are small summaries of the target, stored as JSON.
	Before, After any
}

// Recorder stores audit entries; it fills ID and At when empty.
type Recorder interface {
	Record(ctx context.Context, e Entry) error
}

// Filter selects audit entries.
type Filter struct {
	ActorID string
	Action  string
	// TargetID, when set, keeps entries about that record.
	TargetID string
	Limit    int
	// Cursor is the last ID of the previous page; entries come newest first.
	Cursor string
}
