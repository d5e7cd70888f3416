package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrationFS embed.FS

// MigrationStatus is one migration's state.
type MigrationStatus struct {
	// Version is the migration's number.
	Version int64
	// Source is the migration file's name.
	Source string
	// Applied is true once the migration ran.
	Applied bool
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFS, "migrations/"+string(db.Engine))
	if err != nil {
		return nil, fmt.Errorf("migrations of %s: %w", db.Engine, err)
	}
	dialect := map[Engine]goose.Dialect{SQLite: goose.DialectSQLite3, MySQL: goose.DialectMySQL, Postgres: goose.DialectPostgres}[db.Engine]
	p, err := goose.NewProvider(dialect, db.DB.DB, sub)
	if err != nil {
		return nil, fmt.Errorf("migration provider: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration and returns how many ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate %s: %w", db.Engine, err)
	}
	return len(res), nil
}

// MigrationStatus lists every migration and whether it ran.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{Version: s.Source.Version, Source: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}
