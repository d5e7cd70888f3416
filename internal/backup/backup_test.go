package backup_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"campuscharge/internal/backup"
	"campuscharge/internal/clock"
	"campuscharge/internal/store"
	"github.com/google/go-cmp/cmp"
)

// openDB opens (creating and migrating) the SQLite database of a data dir.
func openDB(t *testing.T, dataDir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// fingerprint is what must survive a round trip: row counts of the main
// tables and a checksum over every bill.
type fingerprint struct {
	Counts map[string]int64
	Bills  string
}

func fingerprintOf(t *testing.T, db *store.DB) fingerprint {
	t.Helper()
	ctx := context.Background()
	fp := fingerprint{Counts: map[string]int64{}}
	for _, table := range []string{"users", "bills", "feedback", "chat_messages", "goose_db_version"} {
		var n int64
		if err := db.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table); err != nil {
			t.Fatal(err)
		}
		fp.Counts[table] = n
	}
	var sum struct {
		N     int64 `db:"n"`
		Total int64 `db:"total"`
		Hash  int64 `db:"hash"`
	}
	if err := db.GetContext(ctx, &sum, `SELECT COUNT(*) AS n, COALESCE(SUM(total_fen), 0) AS total,
		COALESCE(SUM(total_fen * connector_id + energy_wh * 7 + local_day), 0) AS hash FROM bills`); err != nil {
		t.Fatal(err)
	}
	var numbers []string
	if err := db.SelectContext(ctx, &numbers, "SELECT number || ':' || total_fen || ':' || status FROM bills ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	fp.Bills = fmt.Sprint(sum, numbers)
	return fp
}

func seed(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		if _, err := db.ExecContext(ctx, `INSERT INTO bills (id, number, session_id, user_id, charger_id, site_id, connector_id, started_at, stopped_at, duration_s,
			energy_wh, energy_fee, service_fee, total_fen, status, line_items, local_day, local_week, local_month, created_at, updated_at)
			VALUES (?, ?, ?, 'U', 'C', '', ?, 1, 2, 1, ?, 1, 1, ?, 'paid', '[]', 20250101, 202501, 202501, 1, 1)`,
			fmt.Sprintf("B%03d", i), fmt.Sprintf("N%03d", i), fmt.Sprintf("S%03d", i), i%2+1, 1000*i, 137*i+1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO chat_messages (id, user_id, sender_id, body, created_at) VALUES ('M1', 'U', 'U', '你好', 1)`); err != nil {
		t.Fatal(err)
	}
}

func TestBackupWipeRestore(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	db := openDB(t, dataDir)
	seed(t, db, 25)
	want := fingerprintOf(t, db)

	clk := clock.NewFake(time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC))
	m := backup.NewManager(db, backup.Dir(dataDir), 2, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var made []string
	for range 3 {
		f, err := m.Create(ctx)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, f.Name)
		clk.Advance(24 * time.Hour)
	}
	list, err := m.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range list {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{made[2], made[1]}, names); diff != "" {
		t.Errorf("kept backups (-want +got):\n%s", diff)
	}
	if _, _, err := m.Open("../campuscharge.db"); err == nil {
		t.Error("opening a path outside the backups: got no error")
	}

	// While the server holds the data dir, restore refuses.
	lock, err := backup.Acquire(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(backup.Dir(dataDir), made[2])
	if _, err := backup.Restore(ctx, src, db.Path, dataDir); !errors.Is(err, backup.ErrLocked) {
		t.Errorf("restore while locked: got %v, want ErrLocked", err)
	}
	if err := lock.Release(); err != nil {
		t.Fatal(err)
	}

	// Wipe: the data changes after the backup, then the server stops.
	if _, err := db.ExecContext(ctx, "DELETE FROM bills WHERE connector_id = 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE bills SET total_fen = 0"); err != nil {
		t.Fatal(err)
	}
	wiped := fingerprintOf(t, db)
	db.Close()

	info, err := backup.Restore(ctx, src, db.Path, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Version < 6 || info.Tables == 0 {
		t.Errorf("got %+v, want migration version ≥ 6 and tables", info)
	}
	restored := openDB(t, dataDir)
	defer restored.Close()
	if diff := cmp.Diff(want, fingerprintOf(t, restored)); diff != "" {
		t.Errorf("restored data (-want +got):\n%s", diff)
	}
	old, err := store.Open(ctx, "sqlite://"+db.Path+".bak", "")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if diff := cmp.Diff(wiped, fingerprintOf(t, old)); diff != "" {
		t.Errorf("kept .bak (-want +got):\n%s", diff)
	}
}

func TestCheckBackupRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := openDB(t, filepath.Join(dir, "good"))
	goodFile := filepath.Join(dir, "good.db")
	if err := good.BackupTo(ctx, goodFile, nil); err != nil {
		t.Fatal(err)
	}
	good.Close()
	raw, err := os.ReadFile(goodFile)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A SQLite file that is not ours.
	other, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "other.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	corrupt := append([]byte{}, raw...)
	for i := 4096; i < len(corrupt) && i < 4096*6; i++ {
		corrupt[i] = 0xA5
	}
	tests := []struct {
		name string
		path string
		ok   bool
	}{
		{"good", goodFile, true},
		{"missing", filepath.Join(dir, "nope.db"), false},
		{"text", write("text.db", []byte("hello, not a database")), false},
		{"not ours", filepath.Join(dir, "other.db"), false},
		{"truncated", write("short.db", raw[:len(raw)/3]), false},
		{"corrupt pages", write("corrupt.db", corrupt), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := store.CheckBackup(ctx, tt.path)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestDumpHint(t *testing.T) {
	tests := []struct {
		dsn, engine, want string
	}{
		{"", "sqlite", ""},
		{"mysql://cc:secret@db.example:3307/charge", "mysql", "mysqldump --single-transaction --quick --routines -h db.example -P 3307 -u cc -p charge > campuscharge-$(date +%Y%m%d%H%M%S).sql"},
		{"postgres://cc:secret@pg.example/charge?sslmode=require", "postgres", "pg_dump -Fc -h pg.example -p 5432 -U cc -d charge -f campuscharge-$(date +%Y%m%d%H%M%S).dump"},
	}
	for _, tt := range tests {
		t.Run(tt.engine, func(t *testing.T) {
			e, got := store.DumpHint(tt.dsn)
			if string(e) != tt.engine || got != tt.want {
				t.Errorf("got %s %q, want %s %q", e, got, tt.engine, tt.want)
			}
		})
	}
}
