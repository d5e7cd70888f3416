package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"campuscharge/internal/backup"
	"campuscharge/internal/clock"
	"campuscharge/internal/httpapi"
	"campuscharge/internal/store"
)

// cmdBackup backs the SQLite database up to a file, showing progress; for
// MySQL and PostgreSQL it prints the engine's own dump command and fails.
func cmdBackup(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	var out string
	cfg, _, err := loadConfig("backup", args, environ, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "backup file (default <data-dir>/backups/campuscharge-<time>.db)")
	})
	if err != nil {
		return err
	}
	if engine, cmd := store.DumpHint(cfg.DB); engine != store.SQLite {
		fmt.Fprintf(stderr, "campuscharge backs up SQLite only. Back up this %s database with its own tool, for example:\n  %s\n", engine, cmd)
		return fmt.Errorf("backup: %s databases are backed up with %s", engine, map[store.Engine]string{store.MySQL: "mysqldump", store.Postgres: "pg_dump"}[engine])
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if out == "" {
		out = filepath.Join(backup.Dir(cfg.DataDir), backup.NameAt(clock.Real{}.Now()))
	}
	if err := mkdirFor(out); err != nil {
		return err
	}
	start := time.Now()
	err = db.BackupTo(ctx, out, func(done, total int64) {
		pct := int64(100)
		if total > 0 {
			pct = done * 100 / total
		}
		fmt.Fprintf(stderr, "\rbacking up… %3d%% (%s of %s)", pct, mib(done), mib(total))
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	info, err := store.CheckBackup(ctx, out)
	if err != nil {
		return fmt.Errorf("check the new backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s (%s, schema version %d, %s)\n", out, mib(info.SizeBytes), info.Version, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore replaces the SQLite database with a backup.
func cmdRestore(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	cfg, fs, err := loadConfig("restore", args, environ, stderr, nil)
	if err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return errors.New("usage: campuscharge restore FILE [--data-dir DIR | --db sqlite://path]")
	}
	if engine, cmd := store.DumpHint(cfg.DB); engine != store.SQLite {
		return fmt.Errorf("restore: %s databases are restored with their own tool (backed up with: %s)", engine, cmd)
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	path := db.Path
	db.Close()
	info, err := backup.Restore(ctx, file, path, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s (%s, schema version %d); the previous database is %s.bak\n", file, path, mib(info.SizeBytes), info.Version, path)
	return nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func mkdirFor(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	return nil
}

// systemStatus reports the settings in use for GET /system/status.
func (m *Main) systemStatus(ctx context.Context) (httpapi.SystemStatus, error) {
	st := httpapi.SystemStatus{DatabaseEngine: string(m.db.Engine), PaymentProvider: "sandbox", WeChatLogin: m.cfg.WeChatAppID != "",
		WeChatPay: m.cfg.WeChatPayMchID != "", Timezone: m.cfg.Timezone, BaseURL: m.cfg.BaseURL, BackupsSupported: m.db.Engine == store.SQLite,
		BackupKeep: m.cfg.BackupKeep, AcceptUnknownCharge: m.cfg.AcceptUnknownChargers}
	if st.WeChatPay {
		st.PaymentProvider = "wechatpay"
	}
	if st.BackupsSupported {
		st.BackupEveryS = int64(m.cfg.BackupEvery / time.Second)
	} else {
		_, st.BackupHint = store.DumpHint(m.cfg.DB)
	}
	var err error
	if st.DatabaseVersion, err = m.db.ServerVersion(ctx); err != nil {
		return st, err
	}
	if st.SchemaVersion, err = m.db.SchemaVersion(ctx); err != nil {
		return st, err
	}
	return st, nil
}
