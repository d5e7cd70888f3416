package account_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/clock"
	"campuscharge/internal/store"
	"campuscharge/internal/testutil"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

type env struct {
	svc   *account.Service
	clock *clock.Fake
	audit *store.Audit
}

func fastPolicy() account.Policy {
	p := account.DefaultPolicy()
	p.Hash = account.HashParams{Memory: 64, Time: 1, Threads: 1}
	return p
}

func newEnv(t *testing.T, db *store.DB, wechat *account.WeChat) env {
	t.Helper()
	clk := clock.NewFake(t0)
	a := store.NewAudit(db, clk)
	svc, err := account.NewService(store.NewUsers(db), a, clk, fastPolicy(), wechat)
	if err != nil {
		t.Fatal(err)
	}
	return env{svc: svc, clock: clk, audit: a}
}

func wantCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil || got != want {
		t.Fatalf("got error %v (code %s), want code %s", err, got, want)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := account.HashPassword("correct horse", account.DefaultHashParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse", true}, {"correct horsE", false}, {"", false}} {
		got, err := account.CheckPassword(h, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	if _, err := account.CheckPassword("$md5$abc", "x"); err == nil {
		t.Error("a non-argon2id hash was accepted")
	}
}

func TestRoleCan(t *testing.T) {
	for _, tc := range []struct {
		role account.Role
		perm account.Permission
		want bool
	}{
		{account.RoleAdmin, account.PermSystemWrite, true},
		{account.RoleOperator, account.PermChargersControl, true},
		{account.RoleOperator, account.PermAuditRead, false},
		{account.RoleMaintainer, account.PermFaultsWrite, true},
		{account.RoleMaintainer, account.PermOrdersRead, false},
		{account.RoleSupport, account.PermSupportWrite, true},
		{account.RoleSupport, account.PermOrdersWrite, false},
		{account.RoleDriver, account.PermSelf, true},
		{account.RoleDriver, account.PermUsersRead, false},
		{account.Role("root"), account.PermSelf, false},
		{account.RoleDriver, "", true},
	} {
		if got := tc.role.Can(tc.perm); got != tc.want {
			t.Errorf("%s.Can(%s) = %v, want %v", tc.role, tc.perm, got, tc.want)
		}
	}
}

func TestLoginLockout(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, nil)
		if _, created, err := e.svc.EnsureAdmin(ctx, "s3cret-pass"); err != nil || !created {
			t.Fatalf("EnsureAdmin = %v, %v", created, err)
		}
		if _, created, _ := e.svc.EnsureAdmin(ctx, "other"); created {
			t.Fatal("a second admin was created")
		}
		for i := 1; i <= 4; i++ {
			_, err := e.svc.PasswordLogin(ctx, "admin", "wrong", "")
			wantCode(t, err, apperr.Unauthorized)
		}
		_, err := e.svc.PasswordLogin(ctx, "admin", "wrong", "")
		wantCode(t, err, apperr.RateLimited)
		if msg := err.(*apperr.Error).Message("en"); msg != "Too many failed attempts. Try again in 15 minutes." {
			t.Errorf("lockout message = %q", msg)
		}
		// Even the right password is refused while locked.
		e.clock.Advance(14 * time.Minute)
		_, err = e.svc.PasswordLogin(ctx, "admin", "s3cret-pass", "")
		wantCode(t, err, apperr.RateLimited)
		e.clock.Advance(time.Minute)
		l, err := e.svc.PasswordLogin(ctx, "admin", "s3cret-pass", "test")
		if err != nil {
			t.Fatalf("login after lockout: %v", err)
		}
		u, err := e.svc.Authenticate(ctx, l.Secret)
		if err != nil || u.Name != "admin" || u.FailedLogins != 0 {
			t.Fatalf("Authenticate = %+v, %v", u, err)
		}
		_, err = e.svc.PasswordLogin(ctx, "nobody", "x", "")
		wantCode(t, err, apperr.Unauthorized)
	})
}

func TestTokensExpireAndRevoke(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, nil)
		l, err := e.svc.DevLogin(ctx, "13800138000", "")
		if err != nil {
			t.Fatal(err)
		}
		if l.User.Role != account.RoleDriver || l.User.Phone != "13800138000" {
			t.Fatalf("dev login user = %+v", l.User)
		}
		again, err := e.svc.DevLogin(ctx, "13800138000", "")
		if err != nil || again.User.ID != l.User.ID {
			t.Fatalf("second dev login made user %v (err %v), want %v", again.User.ID, err, l.User.ID)
		}
		if err := e.svc.Logout(ctx, l.Secret); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Authenticate(ctx, l.Secret)
		wantCode(t, err, apperr.Unauthorized)
		if _, err := e.svc.Authenticate(ctx, again.Secret); err != nil {
			t.Fatalf("other login was revoked too: %v", err)
		}
		e.clock.Advance(fastPolicy().TokenTTL)
		_, err = e.svc.Authenticate(ctx, again.Secret)
		wantCode(t, err, apperr.Unauthorized)
		_, err = e.svc.Authenticate(ctx, "forged-token")
		wantCode(t, err, apperr.Unauthorized)
		_, err = e.svc.DevLogin(ctx, "12345", "")
		wantCode(t, err, apperr.Invalid)
	})
}

func TestStaffManagement(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, nil)
		if _, _, err := e.svc.EnsureAdmin(ctx, "admin-pass"); err != nil {
			t.Fatal(err)
		}
		admin := login(t, e, "admin", "admin-pass")
		_, err := e.svc.CreateStaff(ctx, admin, account.NewStaff{Name: "op1", Role: account.RoleOperator, Password: "operator-pass"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CreateStaff(ctx, admin, account.NewStaff{Name: "op1", Role: account.RoleSupport, Password: "operator-pass"})
		wantCode(t, err, apperr.Conflict)
		_, err = e.svc.CreateStaff(ctx, admin, account.NewStaff{Name: "x'; DROP TABLE users;--", Role: account.RoleSupport, Password: "operator-pass"})
		wantCode(t, err, apperr.Invalid)
		_, err = e.svc.CreateStaff(ctx, admin, account.NewStaff{Name: "short", Role: account.RoleSupport, Password: "123"})
		wantCode(t, err, apperr.Invalid)

		operator := login(t, e, "op1", "operator-pass")
		_, err = e.svc.CreateStaff(ctx, operator, account.NewStaff{Name: "boss", Role: account.RoleAdmin, Password: "operator-pass"})
		wantCode(t, err, apperr.Forbidden)
		_, err = e.svc.Block(ctx, operator, admin.ID, "no")
		wantCode(t, err, apperr.Forbidden)
		_, err = e.svc.SetRole(ctx, admin, admin.ID, account.RoleDriver)
		wantCode(t, err, apperr.Forbidden)

		driverLogin, err := e.svc.DevLogin(ctx, "13900139000", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.SetRole(ctx, operator, driverLogin.User.ID, account.RoleSupport)
		wantCode(t, err, apperr.Invalid)
		blocked, err := e.svc.Block(ctx, operator, driverLogin.User.ID, "unpaid bills")
		if err != nil || !blocked.Blocked {
			t.Fatalf("Block = %+v, %v", blocked, err)
		}
		_, err = e.svc.Authenticate(ctx, driverLogin.Secret)
		wantCode(t, err, apperr.Unauthorized)
		_, err = e.svc.DevLogin(ctx, "13900139000", "")
		wantCode(t, err, apperr.Forbidden)
		if _, err := e.svc.Unblock(ctx, operator, driverLogin.User.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.DevLogin(ctx, "13900139000", ""); err != nil {
			t.Fatalf("login after unblock: %v", err)
		}

		if err := e.svc.ChangePassword(ctx, operator, "wrong", "new-password"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("ChangePassword with wrong old = %v", err)
		}
		if err := e.svc.ChangePassword(ctx, operator, "operator-pass", "new-password"); err != nil {
			t.Fatal(err)
		}
		login(t, e, "op1", "new-password")

		us, next, err := e.svc.List(ctx, account.Filter{Query: "%'; DROP TABLE users; --", Limit: 10})
		if err != nil || len(us) != 0 || next != "" {
			t.Fatalf("List(metacharacters) = %v, %q, %v", us, next, err)
		}
		us, next, err = e.svc.List(ctx, account.Filter{Limit: 2})
		if err != nil || len(us) != 2 || next == "" {
			t.Fatalf("List page 1 = %d users, next %q, %v", len(us), next, err)
		}
		rest, next2, err := e.svc.List(ctx, account.Filter{Limit: 2, Cursor: next})
		if err != nil || len(rest) != 1 || next2 != "" {
			t.Fatalf("List page 2 = %d users, next %q, %v", len(rest), next2, err)
		}
		drivers, _, err := e.svc.List(ctx, account.Filter{Role: account.RoleDriver, Query: "139"})
		if err != nil || len(drivers) != 1 || drivers[0].ID != driverLogin.User.ID {
			t.Fatalf("List(driver, 139) = %v, %v", drivers, err)
		}

		entries, err := e.audit.List(ctx, audit.Filter{TargetID: driverLogin.User.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action+" by "+en.ActorName)
		}
		want := []string{"user.unblock by op1", "user.block by op1"}
		if len(actions) != 2 || actions[0] != want[0] || actions[1] != want[1] {
			t.Fatalf("audit = %v, want %v", actions, want)
		}
		var after map[string]any
		if err := json.Unmarshal(entries[1].After.(json.RawMessage), &after); err != nil || after["blocked"] != true {
			t.Fatalf("block audit after = %v (%v)", after, err)
		}
	})
}

func login(t *testing.T, e env, name, pw string) account.User {
	t.Helper()
	l, err := e.svc.PasswordLogin(context.Background(), name, pw, "")
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	return l.User
}

func TestWeChatLogin(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("appid") != "wxapp" || q.Get("secret") != "sek" {
			http.Error(w, "bad app", 400)
			return
		}
		code := q.Get("js_code") + q.Get("code")
		switch {
		case r.URL.Path == "/sns/jscode2session" && code == "good":
			_ = json.NewEncoder(w).Encode(map[string]any{"openid": "o-123", "session_key": "k"})
		case r.URL.Path == "/sns/oauth2/access_token" && code == "web":
			_ = json.NewEncoder(w).Encode(map[string]any{"openid": "o-123", "access_token": "t"})
		default:
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		}
	}))
	defer fake.Close()
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, account.NewWeChat("wxapp", "sek", fake.URL))
		l, err := e.svc.WeChatLogin(ctx, "good", "miniprogram", "")
		if err != nil || l.User.WeChatOpenID != "o-123" || l.User.Role != account.RoleDriver {
			t.Fatalf("WeChatLogin = %+v, %v", l.User, err)
		}
		l2, err := e.svc.WeChatLogin(ctx, "web", "oauth", "")
		if err != nil || l2.User.ID != l.User.ID {
			t.Fatalf("oauth login user = %v, %v; want %v", l2.User.ID, err, l.User.ID)
		}
		_, err = e.svc.WeChatLogin(ctx, "bad", "miniprogram", "")
		wantCode(t, err, apperr.Unauthorized)
		_, err = e.svc.DevLogin(ctx, "13800138000", "")
		wantCode(t, err, apperr.Forbidden)
	})
}
