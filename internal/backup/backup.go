package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/store"
)

// File is one backup in the backups directory.
type File struct {
	Name string
	// SizeBytes is its size, in bytes.
	SizeBytes int64
	// CreatedAt is when it was made (from its name), UTC.
	CreatedAt time.Time
}

const stampLayout = "20060102T150405Z"

var nameRE = regexp.MustCompile(`^campuscharge-(\d{8}T\d{6}Z)\.db$`)

// NameAt is the file name of a backup made at t.
func NameAt(t time.Time) string { return "campuscharge-" + t.UTC().Format(stampLayout) + ".db" }

// Dir is where a data directory keeps its backups.
func Dir(dataDir string) string { return filepath.Join(dataDir, "backups") }

// List returns the backups in dir, newest first; a missing dir has none.
func List(dir string) ([]File, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return []File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	out := []File{}
	for _, e := range ents {
		m := nameRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		at, err := time.Parse(stampLayout, m[1])
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, File{Name: e.Name(), SizeBytes: info.Size(), CreatedAt: at})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// Prune deletes all but the newest keep backups in dir (keep ≤ 0 keeps all).
func Prune(dir string, keep int) error {
	if keep <= 0 {
		return nil
	}
	fs, err := List(dir)
	if err != nil {
		return err
	}
	for _, f := range fs[min(keep, len(fs)):] {
		if err := os.Remove(filepath.Join(dir, f.Name)); err != nil {
			return fmt.Errorf("prune backup %s: %w", f.Name, err)
		}
	}
	return nil
}

// Manager makes, lists and serves the backups of a running server.
type Manager struct {
	db    *store.DB
	dir   string
	keep  int
	clock clock.Clock
	log   *slog.Logger
	// mu lets one backup run at a time.
	mu sync.Mutex
}

// NewManager returns the backup manager for db, writing into dir and
// keeping the newest keep files.
func NewManager(db *store.DB, dir string, keep int, clk clock.Clock, log *slog.Logger) *Manager {
	return &Manager{db: db, dir: dir, keep: keep, clock: clk, log: log}
}

// Create makes a backup now and prunes old ones.
func (m *Manager) Create(ctx context.Context) (File, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := os.MkdirAll(m.dir, 0o750); err != nil {
		return File{}, fmt.Errorf("create backups dir: %w", err)
	}
	now := m.clock.Now()
	name := NameAt(now)
	if err := m.db.BackupTo(ctx, filepath.Join(m.dir, name), nil); err != nil {
		return File{}, err
	}
	if err := Prune(m.dir, m.keep); err != nil {
		return File{}, err
	}
	st, err := os.Stat(filepath.Join(m.dir, name))
	if err != nil {
		return File{}, fmt.Errorf("backup %s: %w", name, err)
	}
	return File{Name: name, SizeBytes: st.Size(), CreatedAt: now.UTC().Truncate(time.Second)}, nil
}

// List returns the backups, newest first.
func (m *Manager) List(context.Context) ([]File, error) { return List(m.dir) }

// Open opens a backup by name for download.
func (m *Manager) Open(name string) (io.ReadCloser, File, error) {
	if !nameRE.MatchString(name) {
		return nil, File{}, apperr.New(apperr.NotFound, "backup_not_found")
	}
	fs, err := List(m.dir)
	if err != nil {
		return nil, File{}, err
	}
	for _, f := range fs {
		if f.Name == name {
			r, err := os.Open(filepath.Join(m.dir, name))
			if err != nil {
				return nil, File{}, fmt.Errorf("open backup %s: %w", name, err)
			}
			return r, f, nil
		}
	}
	return nil, File{}, apperr.New(apperr.NotFound, "backup_not_found")
}

// Run makes a backup every interval until ctx ends; failures are logged
// and retried at the next tick.
func (m *Manager) Run(ctx context.Context, every time.Duration) {
	if every <= 0 || m.db.Engine != store.SQLite {
		return
	}
	clock.Every(ctx, every, func(ctx context.Context) {
		f, err := m.Create(ctx)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("scheduled backup failed", "err", err)
			}
			return
		}
		m.log.Info("scheduled backup made", "file", f.Name, "bytes", f.SizeBytes)
	})
}

// Restore replaces the SQLite database at dbPath with the backup at src
// after checking it (store.CheckBackup) and that no server holds dataDir.
// The old database (and its -wal/-shm files) is kept as dbPath.bak.
func Restore(ctx context.Context, src, dbPath, dataDir string) (store.BackupInfo, error) {
	lock, err := Acquire(dataDir)
	if err != nil {
		return store.BackupInfo{}, err
	}
	defer lock.Release()
	info, err := store.CheckBackup(ctx, src)
	if err != nil {
		return store.BackupInfo{}, err
	}
	if same, _ := sameFile(src, dbPath); same {
		return store.BackupInfo{}, errors.New("the backup is the database itself")
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		return store.BackupInfo{}, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		old := dbPath + suffix
		if _, err := os.Stat(old); err == nil {
			if err := os.Rename(old, strings.Replace(old, dbPath, dbPath+".bak", 1)); err != nil {
				_ = os.Remove(tmp)
				return store.BackupInfo{}, fmt.Errorf("keep the old database: %w", err)
			}
		} else {
			_ = os.Remove(dbPath + ".bak" + suffix)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return store.BackupInfo{}, fmt.Errorf("put the backup in place: %w", err)
	}
	return info, nil
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("sync %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("close %s: %w", dst, err)
	}
	return nil
}
