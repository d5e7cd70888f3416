package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"campuscharge/internal/account"
	"campuscharge/internal/config"
	"campuscharge/internal/testutil"
)

// runCmd runs one subcommand as main does and returns its output.
func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, nil, &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestMigrateAndUserCreate runs `migrate status|up` and `user create` on
// every engine: status lists every migration pending, then applied; a
// second up applies nothing; a created staff account can log in with the
// printed password, and bad input is refused without creating anything.
func TestMigrateAndUserCreate(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dsn := testutil.NewDSN(t, e)
			db := []string{"--db", dsn, "--data-dir", t.TempDir()}

			out, err := runCmd(t, append([]string{"migrate", "status"}, db...)...)
			if err != nil {
				t.Fatalf("migrate status: %v\n%s", err, out)
			}
			pending := strings.Count(out, "pending")
			if pending == 0 || strings.Contains(out, "applied") {
				t.Fatalf("status of a new database: want only pending migrations, got\n%s", out)
			}
			out, err = runCmd(t, append([]string{"migrate", "up"}, db...)...)
			if err != nil {
				t.Fatalf("migrate up: %v\n%s", err, out)
			}
			if want := regexp.MustCompile(`applied (\d+) migration`).FindStringSubmatch(out); want == nil || want[1] == "0" {
				t.Fatalf("migrate up said %q, want it to apply the %d pending migrations", out, pending)
			}
			out, err = runCmd(t, append([]string{"migrate", "status"}, db...)...)
			if err != nil || strings.Count(out, "applied") != pending || strings.Contains(out, "pending") {
				t.Fatalf("status after up: want %d applied, got %v\n%s", pending, err, out)
			}
			if out, _ = runCmd(t, append([]string{"migrate", "up"}, db...)...); !strings.Contains(out, "applied 0 migration") {
				t.Fatalf("second migrate up: %q, want nothing applied", out)
			}
			if _, err := runCmd(t, "migrate", "down"); err == nil {
				t.Fatal("migrate down: want a usage error")
			}

			out, err = runCmd(t, append([]string{"user", "create", "--role", "maintainer", "--name", "li.wei"}, db...)...)
			if err != nil {
				t.Fatalf("user create: %v\n%s", err, out)
			}
			m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
			if !strings.Contains(out, `created maintainer "li.wei"`) || m == nil {
				t.Fatalf("user create printed %q, want the account and its generated password", out)
			}
			for _, bad := range [][]string{
				{"--role", "maintainer", "--name", "li.wei"},          // taken
				{"--role", "driver", "--name", "someone"},             // not a staff role
				{"--role", "admin", "--name", "x'; DROP TABLE users"}, // not a login name
				{"--role", "admin", "--name", "short", "--password", "1"},
			} {
				if out, err := runCmd(t, append(append([]string{"user", "create"}, bad...), db...)...); err == nil {
					t.Errorf("user create %v: succeeded (%s), want an error", bad, out)
				}
			}

			// The account works on a server started on that database.
			s := startServer(t, e, func(c *config.Config) { c.DB = dsn })
			tok := s.login("li.wei", m[1])
			code, me := s.call(http.MethodGet, "/api/v1/me", tok, nil)
			if code != http.StatusOK || me["role"] != string(account.RoleMaintainer) {
				t.Fatalf("GET /me as the new maintainer: %d %v", code, me)
			}
			admin := s.login("admin", "admin-password")
			_, users := s.callList(http.MethodGet, "/api/v1/users?limit=100", admin)
			var names []string
			for _, u := range users {
				if u["role"] != string(account.RoleDriver) {
					names = append(names, u["name"].(string))
				}
			}
			if strings.Join(names, ",") != "admin,li.wei" && strings.Join(names, ",") != "li.wei,admin" {
				t.Fatalf("staff after the refused creations: %v, want admin and li.wei only", names)
			}
		})
	}
}

// TestPlainEndpoints checks health, readiness (503 once the database is
// gone), metrics, the OpenAPI document and its reference page.
func TestPlainEndpoints(t *testing.T) {
	s := startServer(t, testutil.Engine{Name: "sqlite"}, nil)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct{ path, want string }{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/metrics", "campuscharge_ocpp_connections"},
		{"/api/v1/openapi.json", `"openapi":"3.1`},
		{"/api/v1/docs", "/api/v1/openapi.json"},
	} {
		code, body := get(tc.path)
		if code != http.StatusOK || !strings.Contains(strings.ReplaceAll(body, " ", ""), strings.ReplaceAll(tc.want, " ", "")) {
			t.Errorf("GET %s: %d, body without %q:\n%.300s", tc.path, code, tc.want, body)
		}
	}
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the database closed: %d %q, want 503", code, body)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz with the database closed: %d, want 200 (the process lives)", code)
	}
}

// TestUsage checks that a bad or missing command says how to use the binary.
func TestUsage(t *testing.T) {
	if out, err := runCmd(t); err == nil || !strings.Contains(out, "campuscharge serve") {
		t.Errorf("no command: %v %q, want usage and an error", err, out)
	}
	if out, err := runCmd(t, "frobnicate"); err == nil {
		t.Errorf("unknown command: no error (%q)", out)
	}
	if out, err := runCmd(t, "serve", "--help"); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "CAMPUSCHARGE_DB") {
		t.Errorf("serve --help: %v, output without the variables:\n%.300s", err, out)
	}
}

// TestCommittedOpenAPIMatches checks that web/openapi.json, from which the
// web apps' API types are generated, is what `campuscharge openapi` prints:
// regenerate both (see web/README.md) when the API changes.
func TestCommittedOpenAPIMatches(t *testing.T) {
	var out bytes.Buffer
	if err := cmdOpenAPI(&out); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../web/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(out.Bytes()), bytes.TrimSpace(committed)) {
		t.Error("web/openapi.json is stale: run `go run ./cmd/campuscharge openapi > web/openapi.json && (cd web && npm run gen:api)`")
	}
}
