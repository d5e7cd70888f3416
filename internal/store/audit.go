package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"campuscharge/internal/audit"
	"campuscharge/internal/clock"
	"campuscharge/internal/ids"
)

// Audit stores the audit log; entries are never changed or deleted.
type Audit struct {
	db    *DB
	clock clock.Clock
}

var _ audit.Recorder = (*Audit)(nil)

// NewAudit returns the audit log store.
func NewAudit(db *DB, clk clock.Clock) *Audit { return &Audit{db: db, clock: clk} }

type auditRow struct {
	ID         string `db:"id"`
	At         int64  `db:"at"`
	ActorID    string `db:"actor_id"`
	ActorName  string `db:"actor_name"`
	Action     string `db:"action"`
	TargetType string `db:"target_type"`
	TargetID   string `db:"target_id"`
	Summary    string `db:"summary"`
	Before     string `db:"before_json"`
	After      string `db:"after_json"`
}

func jsonText(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// Record appends an entry, filling its ID and time.
func (a *Audit) Record(ctx context.Context, e audit.Entry) error {
	if e.ID == "" {
		e.ID = ids.New()
	}
	if e.At.IsZero() {
		e.At = a.clock.Now()
	}
	before, err := jsonText(e.Before)
	if err != nil {
		return fmt.Errorf("audit before: %w", err)
	}
	after, err := jsonText(e.After)
	if err != nil {
		return fmt.Errorf("audit after: %w", err)
	}
	_, err = exec(ctx, a.db, `INSERT INTO audit_log (id, at, actor_id, actor_name, action, target_type, target_id, summary, before_json, after_json) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		e.ID, ms(e.At), e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, truncate(e.Summary, 250), before, after)
	if err != nil {
		return fmt.Errorf("record audit %s: %w", e.Action, err)
	}
	return nil
}

// List returns entries newest first; Before and After come back as
// json.RawMessage.
func (a *Audit) List(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"actor_id", f.ActorID}, {"action", f.Action}, {"target_id", f.TargetID}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.Cursor != "" {
		where = append(where, "id < ?")
		args = append(args, f.Cursor)
	}
	q := `SELECT id, at, actor_id, actor_name, action, target_type, target_id, summary, before_json, after_json FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	var rows []auditRow
	if err := sel(ctx, a.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{ID: r.ID, At: fromMS(r.At), ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action, TargetType: r.TargetType, TargetID: r.TargetID, Summary: r.Summary, Before: raw(r.Before), After: raw(r.After)}
	}
	return out, nil
}

func raw(s string) any {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
