package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"campuscharge/internal/apperr"
)

// BackupTo writes a consistent copy of a SQLite database to path with
// VACUUM INTO (one read transaction: the server keeps running), through a
// temporary file renamed into place. progress, if not nil, is called about
// every 200 ms with the bytes written so far and the database's size.
func (db *DB) BackupTo(ctx context.Context, path string, progress func(done, total int64)) error {
	if db.Engine != SQLite {
		tool := map[Engine]string{MySQL: "mysqldump", Postgres: "pg_dump"}[db.Engine]
		return apperr.New(apperr.Unavailable, "backup_engine", string(db.Engine), tool)
	}
	var pages, size int64
	if err := get(ctx, db, &pages, "PRAGMA page_count"); err != nil {
		return fmt.Errorf("backup: page count: %w", err)
	}
	if err := get(ctx, db, &size, "PRAGMA page_size"); err != nil {
		return fmt.Errorf("backup: page size: %w", err)
	}
	tmp := path + ".part"
	_ = os.Remove(tmp)
	done := make(chan struct{})
	if progress != nil {
		go func() {
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					if st, err := os.Stat(tmp); err == nil {
						progress(min(st.Size(), pages*size), pages*size)
					}
				}
			}
		}()
	}
	_, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp)
	close(done)
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: move into place: %w", err)
	}
	if progress != nil {
		if st, err := os.Stat(path); err == nil {
			progress(st.Size(), st.Size())
		}
	}
	return nil
}

// DumpHint returns, for a MySQL or PostgreSQL DSN, the engine and the
// command that backs the database up with the engine's own tool, built from
// the DSN's parts (never its password: the tool asks for it). For SQLite it
// returns the engine and no command.
func DumpHint(dsn string) (Engine, string) {
	engine, _, _, err := parseDSN(dsn, os.TempDir())
	if err != nil || engine == SQLite {
		return engine, ""
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return engine, ""
	}
	name := strings.TrimPrefix(u.Path, "/")
	user := u.User.Username()
	host, port := u.Hostname(), u.Port()
	stamp := "campuscharge-$(date +%Y%m%d%H%M%S)"
	switch engine {
	case MySQL:
		if port == "" {
			port = "3306"
		}
		return engine, fmt.Sprintf("mysqldump --single-transaction --quick --routines -h %s -P %s -u %s -p %s > %s.sql", host, port, user, name, stamp)
	case Postgres:
		if port == "" {
			port = "5432"
		}
		return engine, fmt.Sprintf("pg_dump -Fc -h %s -p %s -U %s -d %s -f %s.dump", host, port, user, name, stamp)
	}
	return engine, ""
}

// BackupInfo describes a checked backup file.
type BackupInfo struct {
	// SizeBytes is the file's size, in bytes.
	SizeBytes int64
	// Version is the newest migration applied to it.
	Version int64
	// Tables counts its tables.
	Tables int
}

// CheckBackup opens a file read-only and checks that it is a SQLite
// database that passes PRAGMA integrity_check and carries our migrations'
// version table.
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup file: %w", err)
	}
	head := make([]byte, 16)
	f, err := os.Open(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup file: %w", err)
	}
	_, err = f.Read(head)
	f.Close()
	if err != nil || string(head) != "SQLite format 3\x00" {
		return BackupInfo{}, fmt.Errorf("%s is not a SQLite database", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup file: %w", err)
	}
	sdb, err := sql.Open("sqlite", "file:"+abs+"?mode=ro")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("open backup: %w", err)
	}
	defer sdb.Close()
	var result string
	if err := sdb.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return BackupInfo{}, fmt.Errorf("integrity check of %s: %w", path, err)
	}
	if result != "ok" {
		return BackupInfo{}, fmt.Errorf("integrity check of %s failed: %s", path, result)
	}
	info := BackupInfo{SizeBytes: st.Size()}
	if err := sdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").Scan(&info.Tables); err != nil {
		return BackupInfo{}, fmt.Errorf("tables of %s: %w", path, err)
	}
	err = sdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&info.Version)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%s has no Campus Charge migration table: %w", path, err)
	}
	if info.Version == 0 {
		return BackupInfo{}, errors.New(path + " has no migrations applied")
	}
	return info, nil
}

// ServerVersion returns the database engine's version string.
func (db *DB) ServerVersion(ctx context.Context) (string, error) {
	q := map[Engine]string{SQLite: "SELECT sqlite_version()", MySQL: "SELECT VERSION()", Postgres: "SHOW server_version"}[db.Engine]
	var v string
	if err := get(ctx, db, &v, q); err != nil {
		return "", fmt.Errorf("%s version: %w", db.Engine, err)
	}
	return v, nil
}

// SchemaVersion returns the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := get(ctx, db, &v, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version"); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
