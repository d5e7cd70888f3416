package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/testutil"
)

// TestEveryRouteEnforcesItsPermission walks every registered API route with
// every role (and with no login) and checks that it is allowed or forbidden
// exactly as the route declares; then the plain routes outside the API's
// operations: the event stream (any login) and the public health, metrics
// and API description endpoints.
func TestEveryRouteEnforcesItsPermission(t *testing.T) {
	s := startServer(t, testutil.Engine{Name: "sqlite"}, nil)
	for _, r := range account.Roles() {
		if r.Staff() && r != account.RoleAdmin {
			s.staff(r, string(r)+"1")
		}
	}
	tokenFor := func(r account.Role) string {
		switch r {
		case account.RoleAdmin:
			return s.login("admin", "admin-password")
		case account.RoleDriver:
			l, err := s.accounts.DevLogin(context.Background(), "13700137000", "test")
			if err != nil {
				t.Fatal(err)
			}
			return l.Secret
		}
		return s.login(string(r)+"1", string(r)+"1-password")
	}
	routes := s.api.Routes()
	if len(routes) < 10 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, rt := range routes {
		path := strings.NewReplacer("{action}", "Reset", "{number}", "NOCARD").Replace(rt.Path)
		path = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(path, "01ZZZZZZZZZZZZZZZZZZZZZZZZ")
		var body any
		if rt.Method != http.MethodGet {
			body = map[string]any{}
		}
		status, _ := s.call(rt.Method, path, "", body)
		if rt.Perm == "" {
			if status == http.StatusUnauthorized || status == http.StatusForbidden {
				t.Errorf("public %s %s without login: got %d", rt.Method, rt.Path, status)
			}
		} else if status != http.StatusUnauthorized {
			t.Errorf("%s %s without login: got %d, want 401", rt.Method, rt.Path, status)
		}
		for _, role := range account.Roles() {
			// A fresh login per request: some routes (logout) end the login.
			status, prob := s.call(rt.Method, path, tokenFor(role), body)
			allowed := role.Can(rt.Perm)
			denied := status == http.StatusForbidden && prob["code"] == "forbidden" && prob["detail"] == "您没有执行此操作的权限。"
			if allowed && (status == http.StatusUnauthorized || denied) {
				t.Errorf("%s %s as %s: got %d %v, want allowed (%s)", rt.Method, rt.Path, role, status, prob, rt.Perm)
			}
			if !allowed && !denied {
				t.Errorf("%s %s as %s: got %d %v, want 403 forbidden (%s)", rt.Method, rt.Path, role, status, prob, rt.Perm)
			}
		}
	}

	for _, rt := range []struct {
		path, contentType string
		public            bool
	}{
		{"/api/v1/events", "text/event-stream", false},
		{"/healthz", "", true},
		{"/readyz", "", true},
		{"/metrics", "text/plain", true},
		{"/api/v1/openapi.json", "application/", true},
		{"/api/v1/docs", "text/html", true},
	} {
		tokens := map[string]string{"anonymous": ""}
		for _, role := range account.Roles() {
			tokens[string(role)] = tokenFor(role)
		}
		for who, token := range tokens {
			status, ct := plainGet(t, s.URL+rt.path, token)
			switch {
			case !rt.public && token == "":
				if status != http.StatusUnauthorized {
					t.Errorf("GET %s as %s: got %d, want 401", rt.path, who, status)
				}
			case status != http.StatusOK || !strings.HasPrefix(ct, rt.contentType):
				t.Errorf("GET %s as %s: got %d %q, want 200 %s", rt.path, who, status, ct, rt.contentType)
			}
		}
	}
}

// plainGet does a GET with an optional bearer token and returns the status
// and content type, without reading the body (the event stream never ends).
func plainGet(t *testing.T, url, token string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}
