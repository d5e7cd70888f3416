package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"campuscharge/internal/store"
)

// Engine is a database engine a test can run on.
type Engine struct {
	// Name is sqlite, mysql or postgres.
	Name string
	// DSN is the server's DSN (empty for SQLite).
	DSN string
}

// Engines returns SQLite always, plus MariaDB/MySQL and PostgreSQL when
// CAMPUSCHARGE_TEST_MYSQL_DSN / CAMPUSCHARGE_TEST_POSTGRES_DSN are set. With
// CAMPUSCHARGE_TEST_REQUIRE_DB=1 a missing DSN fails the test instead of
// silently skipping that engine.
func Engines(t testing.TB) []Engine {
	t.Helper()
	es := []Engine{{Name: "sqlite"}}
	for _, e := range []struct{ name, env string }{{"mysql", "CAMPUSCHARGE_TEST_MYSQL_DSN"}, {"postgres", "CAMPUSCHARGE_TEST_POSTGRES_DSN"}} {
		dsn := os.Getenv(e.env)
		if dsn == "" {
			if os.Getenv("CAMPUSCHARGE_TEST_REQUIRE_DB") == "1" {
				t.Fatalf("%s is not set but CAMPUSCHARGE_TEST_REQUIRE_DB=1", e.env)
			}
			continue
		}
		es = append(es, Engine{Name: e.name, DSN: dsn})
	}
	return es
}

// ForEachEngine runs fn as a subtest on a fresh, migrated database of every
// configured engine.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, NewDB(t, e))
		})
	}
}

// NewDSN creates an empty, isolated database on engine e (a new SQLite file,
// MySQL database or PostgreSQL schema), removed when the test ends, and
// returns its DSN.
func NewDSN(t testing.TB, e Engine) string {
	t.Helper()
	ctx := context.Background()
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "cc_test_" + hex.EncodeToString(suffix)
	switch e.Name {
	case "sqlite":
		return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	case "mysql":
		admin, err := store.Open(ctx, e.DSN, "")
		if err != nil {
			t.Fatalf("open mysql: %v", err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
			t.Fatalf("create database: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.ExecContext(context.Background(), "DROP DATABASE "+name)
			admin.Close()
		})
		u, err := url.Parse(e.DSN)
		if err != nil {
			t.Fatalf("parse mysql DSN: %v", err)
		}
		u.Path = "/" + name
		return u.String()
	case "postgres":
		admin, err := store.Open(ctx, e.DSN, "")
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(e.DSN, "?") {
			sep = "&"
		}
		return e.DSN + sep + "search_path=" + name
	}
	t.Fatalf("unknown engine %q", e.Name)
	return ""
}

// NewDB returns a fresh, migrated database on engine e, closed when the test ends.
func NewDB(t testing.TB, e Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, NewDSN(t, e), "")
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	return db
}
