package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"campuscharge/internal/account"
	"campuscharge/internal/clock"
	"campuscharge/internal/config"
	"campuscharge/internal/httpapi"
	"campuscharge/internal/store"
)

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level, _ := cfg.SlogLevel()
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadConfig parses flags for a subcommand, printing its help on -h.
func loadConfig(name string, args, environ []string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("campuscharge "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	cfg, err := config.Load(fs, args, environ)
	return cfg, fs, err
}

func cmdServe(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cfg, _, err := loadConfig("serve", args, environ, stderr, nil)
	if err != nil {
		return err
	}
	m, err := NewMain(ctx, cfg, Options{Log: newLogger(cfg, stderr), Out: stdout})
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Run(ctx)
}

func cmdMigrate(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return errors.New("usage: campuscharge migrate up|status [--db DSN] [--data-dir DIR]")
	}
	cfg, _, err := loadConfig("migrate "+args[0], args[1:], environ, stderr, nil)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "up" {
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: applied %d migration(s)\n", db.Engine, n)
		return nil
	}
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Source)
	}
	return nil
}

func cmdUser(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: campuscharge user create --role admin|operator|maintainer|support --name NAME [--password P]")
	}
	var role, name, display, password string
	cfg, _, err := loadConfig("user create", args[1:], environ, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "operator", "role: admin, operator, maintainer or support")
		fs.StringVar(&name, "name", "", "login name")
		fs.StringVar(&display, "display-name", "", "name shown in the console")
		fs.StringVar(&password, "password", "", "password (generated and printed when empty)")
	})
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	clk := clock.Real{}
	svc, err := account.NewService(store.NewUsers(db), store.NewAudit(db, clk), clk, account.DefaultPolicy(), nil)
	if err != nil {
		return err
	}
	generated := password == ""
	if generated {
		raw := make([]byte, 12)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		password = base64.RawURLEncoding.EncodeToString(raw)
	}
	u, err := svc.CreateStaff(ctx, account.User{}, account.NewStaff{Name: name, DisplayName: display, Role: account.Role(role), Password: password})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintf(stdout, "created %s %q (id %s)\n", u.Role, u.Name, u.ID)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n", password)
	}
	return nil
}

// cmdOpenAPI prints the API's OpenAPI document; it needs no database.
func cmdOpenAPI(stdout io.Writer) error {
	s := httpapi.New(httpapi.Deps{Log: slog.New(slog.NewTextHandler(os.Stderr, nil)), Version: version})
	b, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	if err != nil {
		return fmt.Errorf("encode OpenAPI: %w", err)
	}
	_, err = fmt.Fprintln(stdout, string(b))
	return err
}
