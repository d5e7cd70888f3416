package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	MySQL    Engine = "mysql"
	Postgres Engine = "postgres"
)

// DB is an open database of one engine.
type DB struct {
	*sqlx.DB
	// Engine is the database engine.
	Engine Engine
	// Path is the SQLite file, empty for other engines.
	Path string
}

// Open connects to the database named by dsn: empty means SQLite at
// dataDir/campuscharge.db; otherwise sqlite://path, mysql://user:pass@host:port/db
// or postgres://…. It does not migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	engine, driverDSN, path, err := parseDSN(dsn, dataDir)
	if err != nil {
		return nil, err
	}
	driver := map[Engine]string{SQLite: "sqlite", MySQL: "mysql", Postgres: "pgx"}[engine]
	sdb, err := sql.Open(driver, driverDSN)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	bind := sqlx.QUESTION
	if engine == Postgres {
		bind = sqlx.DOLLAR
	}
	db := &DB{DB: sqlx.NewDb(sdb, driver), Engine: engine, Path: path}
	sqlx.BindDriver(driver, bind)
	switch engine {
	case SQLite:
		// One writer at a time is SQLite's rule; WAL lets readers go on.
		db.SetMaxOpenConns(8)
	default:
		db.SetMaxOpenConns(32)
		db.SetConnMaxLifetime(30 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", engine, err)
	}
	return db, nil
}

func parseDSN(dsn, dataDir string) (engine Engine, driverDSN, path string, err error) {
	switch {
	case dsn == "" || strings.HasPrefix(dsn, "sqlite://") || strings.HasPrefix(dsn, "file:"):
		path = strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "file:")
		if path == "" {
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return "", "", "", fmt.Errorf("create data dir: %w", err)
			}
			path = filepath.Join(dataDir, "campuscharge.db")
		}
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		return SQLite, "file:" + path + "?" + q.Encode(), path, nil
	case strings.HasPrefix(dsn, "mysql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", "", fmt.Errorf("parse mysql DSN: %w", err)
		}
		c := mysql.NewConfig()
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
		c.Net = "tcp"
		c.Addr = u.Host
		if u.Port() == "" {
			c.Addr += ":3306"
		}
		c.DBName = strings.TrimPrefix(u.Path, "/")
		c.Params = map[string]string{}
		for k, v := range u.Query() {
			c.Params[k] = v[0]
		}
		c.ClientFoundRows = true // RowsAffected counts matched rows, as on the other engines
		c.ParseTime = true       // goose's version table has a TIMESTAMP (migrate status reads it)
		c.Params["charset"] = "utf8mb4"
		c.Params["time_zone"] = "'+00:00'"
		return MySQL, c.FormatDSN(), "", nil
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, dsn, "", nil
	}
	return "", "", "", fmt.Errorf("database DSN %q: want empty (SQLite), sqlite://path, mysql://… or postgres://…", redact(dsn))
}

// redact hides a password in a DSN for error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}

// Q is what both *sqlx.DB and *sqlx.Tx offer: queries with rebinding.
type Q interface {
	sqlx.ExtContext
	Rebind(string) string
}

// get runs a query written with ? placeholders and scans one row into dest.
func get(ctx context.Context, q Q, dest any, query string, args ...any) error {
	return mapErr(sqlx.GetContext(ctx, q, dest, q.Rebind(query), args...))
}

// sel runs a query written with ? placeholders and scans all rows into dest.
func sel(ctx context.Context, q Q, dest any, query string, args ...any) error {
	return mapErr(sqlx.SelectContext(ctx, q, dest, q.Rebind(query), args...))
}

// exec runs a statement written with ? placeholders.
func exec(ctx context.Context, q Q, query string, args ...any) (sql.Result, error) {
	res, err := q.ExecContext(ctx, q.Rebind(query), args...)
	return res, mapErr(err)
}

// execOne runs a statement that must change exactly one row.
func execOne(ctx context.Context, q Q, query string, args ...any) error {
	res, err := exec(ctx, q, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return mapErr(sql.ErrNoRows)
	}
	return nil
}

// Tx runs fn in a transaction, committing when it returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return mapErr(fmt.Errorf("begin transaction: %w", err))
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.Engine, err)
	}
	var one int
	return get(ctx, db, &one, "SELECT 1")
}

// ms converts a time to epoch milliseconds for storage; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored epoch milliseconds to a UTC time; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
