package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/testutil"
)

// TestStaffJourneyAndBadInput drives the API over HTTP on every configured
// database: login, users, roles, blocking, audit; and bad input of every
// kind, checking each gets a clear 4xx and nothing stored changes.
func TestStaffJourneyAndBadInput(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s := startServer(t, e, nil)
			status, body := s.call("POST", "/api/v1/auth/login", "", map[string]any{"name": "admin", "password": "admin-password"}, "en")
			if status != http.StatusOK || body["token"] == "" {
				t.Fatalf("login: %d %v", status, body)
			}
			admin := body["token"].(string)

			status, body = s.call("POST", "/api/v1/users", admin, map[string]any{"name": "ops", "role": "operator", "password": "ops-password"})
			if status != http.StatusCreated || body["role"] != "operator" {
				t.Fatalf("create operator: %d %v", status, body)
			}
			opsID := body["id"].(string)

			// Bad input: each a clear 4xx with a problem document.
			for _, tc := range []struct {
				name, method, path string
				body               any
				want               int
				detail             string
			}{
				{"malformed JSON", "POST", "/api/v1/users", `{"name": "x",`, 400, ""},
				{"unknown field", "POST", "/api/v1/users", map[string]any{"name": "x1", "role": "support", "password": "12345678", "admin": true}, 422, ""},
				{"wrong type", "POST", "/api/v1/users", map[string]any{"name": 5, "role": "support", "password": "12345678"}, 422, ""},
				{"bad role", "POST", "/api/v1/users", map[string]any{"name": "x2", "role": "root", "password": "12345678"}, 422, ""},
				{"SQL in name", "POST", "/api/v1/users", map[string]any{"name": "x'; DROP TABLE users; --", "role": "support", "password": "12345678"}, 422, "用户名须为 2 到 64 个字母、数字、'.'、'_' 或 '-'。"},
				{"duplicate name", "POST", "/api/v1/users", map[string]any{"name": "ops", "role": "support", "password": "12345678"}, 409, `用户名 "ops" 已被占用。`},
				{"huge body", "POST", "/api/v1/users", `{"name":"` + strings.Repeat("a", 200<<10) + `"}`, 413, ""},
				{"unknown user", "POST", "/api/v1/users/01ZZZZZZZZZZZZZZZZZZZZZZZZ/block", map[string]any{}, 404, "用户不存在。"},
				{"SQL in search", "GET", "/api/v1/users?q=%27%3B%20DROP%20TABLE%20users%3B--", nil, 200, ""},
				{"limit too big", "GET", "/api/v1/users?limit=100000", nil, 422, ""},
			} {
				status, body := s.call(tc.method, tc.path, admin, tc.body)
				if status != tc.want {
					t.Errorf("%s: got %d %v, want %d", tc.name, status, body, tc.want)
					continue
				}
				if status >= 400 && (body["type"] == nil || body["title"] == nil || body["code"] == nil) {
					t.Errorf("%s: not a problem document: %v", tc.name, body)
				}
				if tc.detail != "" && body["detail"] != tc.detail {
					t.Errorf("%s: detail %q, want %q", tc.name, body["detail"], tc.detail)
				}
			}
			status, body = s.call("GET", "/api/v1/users", admin, nil)
			if items := body["items"].([]any); status != 200 || len(items) != 2 {
				t.Fatalf("after bad input there are %d users, want 2 (admin, ops)", len(items))
			}

			// Ten wrong passwords: locked out with a clear message; the right
			// password is refused while locked.
			var last map[string]any
			for i := 0; i < 10; i++ {
				status, last = s.call("POST", "/api/v1/auth/login", "", map[string]any{"name": "ops", "password": "guess"}, "en")
				want := http.StatusUnauthorized
				if i >= 4 {
					want = http.StatusTooManyRequests
				}
				if status != want {
					t.Fatalf("attempt %d: got %d %v, want %d", i+1, status, last, want)
				}
			}
			if last["detail"] != "Too many failed attempts. Try again in 15 minutes." {
				t.Errorf("lockout detail = %q", last["detail"])
			}
			if status, _ := s.call("POST", "/api/v1/auth/login", "", map[string]any{"name": "ops", "password": "ops-password"}); status != http.StatusTooManyRequests {
				t.Errorf("right password while locked: got %d, want 429", status)
			}

			// Forged and revoked tokens.
			if status, _ := s.call("GET", "/api/v1/me", "forged", nil); status != http.StatusUnauthorized {
				t.Errorf("forged token: got %d", status)
			}
			driver := s.devLogin("13800000001")
			status, body = s.call("GET", "/api/v1/me", driver, nil)
			if status != 200 || body["role"] != "driver" {
				t.Fatalf("driver me: %d %v", status, body)
			}
			driverID := body["id"].(string)
			if status, _ := s.call("GET", "/api/v1/users", driver, nil); status != http.StatusForbidden {
				t.Errorf("driver listing users: got %d, want 403", status)
			}
			if status, _ := s.call("POST", "/api/v1/users/"+driverID+"/block", admin, map[string]any{"reason": "test"}); status != 200 {
				t.Fatalf("block: %d", status)
			}
			if status, _ := s.call("GET", "/api/v1/me", driver, nil); status != http.StatusUnauthorized {
				t.Errorf("blocked driver's token still works: %d", status)
			}
			status, body = s.call("POST", "/api/v1/auth/dev-login", "", map[string]any{"phone": "13800000001"}, "en")
			if status != http.StatusForbidden || body["detail"] != "This account is blocked: test" {
				t.Errorf("blocked driver login: %d %v", status, body)
			}
			if status, _ := s.call("POST", "/api/v1/auth/logout", admin, map[string]any{}); status != http.StatusNoContent {
				t.Errorf("logout: %d", status)
			}
			if status, _ := s.call("GET", "/api/v1/me", admin, nil); status != http.StatusUnauthorized {
				t.Errorf("token after logout: %d", status)
			}

			admin = s.login("admin", "admin-password")
			status, body = s.call("GET", "/api/v1/audit?target_id="+opsID, admin, nil)
			if items := body["items"].([]any); status != 200 || len(items) != 1 || items[0].(map[string]any)["action"] != "user.create" {
				t.Errorf("audit of ops: %d %v", status, body)
			}
			s.clock.Advance(15 * time.Minute)
			operator := s.login("ops", "ops-password")
			if status, _ := s.call("GET", "/api/v1/audit", operator, nil); status != http.StatusForbidden {
				t.Errorf("operator reading audit: %d", status)
			}
		})
	}
}

func (s *testServer) devLogin(phone string) string {
	s.t.Helper()
	status, body := s.call("POST", "/api/v1/auth/dev-login", "", map[string]any{"phone": phone})
	if status != http.StatusOK {
		s.t.Fatalf("dev login: %d %v", status, body)
	}
	return body["token"].(string)
}
