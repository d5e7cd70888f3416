package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/clock"
	"campuscharge/internal/config"
	"campuscharge/internal/testutil"
)

// testServer is a real Main serving on a random port.
type testServer struct {
	*Main
	URL   string
	clock *clock.Fake
	t     *testing.T
}

// startServer runs a real server on a fresh database of engine e.
func startServer(t *testing.T, e testutil.Engine, edit func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Timezone: "Asia/Shanghai", LogLevel: "warn", LogFormat: "text",
		SessionTTL: time.Hour, AbandonAfter: 24 * time.Hour, AdminPassword: "admin-password", DB: testutil.NewDSN(t, e)}
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hp := account.HashParams{Memory: 64, Time: 1, Threads: 1}
	clk := clock.NewFake(time.Now())
	m, err := NewMain(ctx, cfg, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), HashParams: &hp, Clock: clk})
	if err != nil {
		cancel()
		t.Fatalf("start server: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server stopped with %v", err)
		}
		m.Close()
	})
	return &testServer{Main: m, URL: "http://" + m.Addr(), clock: clk, t: t}
}

// call does an HTTP request with an optional bearer token and JSON body
// (a string is sent as is) and returns the status and decoded body.
func (s *testServer) call(method, path, token string, body any, lang ...string) (int, map[string]any) {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if len(lang) > 0 {
		req.Header.Set("Accept-Language", lang[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// callList does a GET and returns the list it answers: a bare JSON array,
// or the items of a page.
func (s *testServer) callList(method, path, token string) (int, []map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var list []map[string]any
	if json.Unmarshal(raw, &list) != nil {
		var page struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			s.t.Fatalf("%s %s: not a list: %s", method, path, raw)
		}
		list = page.Items
	}
	return resp.StatusCode, list
}

// login logs a staff member in through the service (not HTTP, so the
// per-address login rate limit does not get in the way).
func (s *testServer) login(name, password string) string {
	s.t.Helper()
	l, err := s.accounts.PasswordLogin(context.Background(), name, password, "test")
	if err != nil {
		s.t.Fatalf("login %s: %v", name, err)
	}
	return l.Secret
}

func (s *testServer) staff(role account.Role, name string) {
	s.t.Helper()
	if _, err := s.accounts.CreateStaff(context.Background(), account.User{}, account.NewStaff{Name: name, Role: role, Password: name + "-password"}); err != nil {
		s.t.Fatal(err)
	}
}
