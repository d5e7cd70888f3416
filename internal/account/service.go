package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/clock"
	"campuscharge/internal/ids"
)

// Policy holds the login rules.
type Policy struct {
	// MaxFailures is how many consecutive wrong passwords lock an account.
	MaxFailures int
	// Lockout is how long a locked account stays locked.
	Lockout time.Duration
	// TokenTTL is how long a login stays valid.
	TokenTTL time.Duration
	// MinPasswordLen is the shortest staff password accepted.
	MinPasswordLen int
	// Hash is the argon2id cost.
	Hash HashParams
}

// DefaultPolicy: 5 failures lock for 15 minutes; logins last 30 days.
func DefaultPolicy() Policy {
	return Policy{MaxFailures: 5, Lockout: 15 * time.Minute, TokenTTL: 30 * 24 * time.Hour, MinPasswordLen: 8, Hash: DefaultHashParams()}
}

// Service is the account service.
type Service struct {
	store  Store
	audit  audit.Recorder
	clock  clock.Clock
	policy Policy
	wechat *WeChat
	// dummyHash is checked for unknown names so their timing matches real ones.
	dummyHash string
}

// NewService returns the account service. wechat may be nil: then drivers
// log in with the development phone login.
func NewService(store Store, rec audit.Recorder, clk clock.Clock, policy Policy, wechat *WeChat) (*Service, error) {
	dummy, err := HashPassword("not a password", policy.Hash)
	if err != nil {
		return nil, err
	}
	return &Service{store: store, audit: rec, clock: clk, policy: policy, wechat: wechat, dummyHash: dummy}, nil
}

// Login is the result of a successful login.
type Login struct {
	// Secret is the token to present as a bearer token or cookie value.
	Secret    string
	ExpiresAt time.Time
	User      User
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]{2,64}$`)
var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// WeChatEnabled reports whether WeChat login is configured; when it is not,
// the development phone login is available instead.
func (s *Service) WeChatEnabled() bool { return s.wechat != nil }

// WeChatAppID returns the configured app id, or "".
func (s *Service) WeChatAppID() string {
	if s.wechat == nil {
		return ""
	}
	return s.wechat.AppID
}

// PasswordLogin logs a staff member in by name and password. Wrong passwords
// count towards a lockout; a locked or blocked account cannot log in.
func (s *Service) PasswordLogin(ctx context.Context, name, password, userAgent string) (Login, error) {
	now := s.clock.Now()
	u, err := s.store.UserByName(ctx, name)
	if apperr.Is(err, apperr.NotFound) {
		_, _ = CheckPassword(s.dummyHash, password)
		return Login{}, apperr.New(apperr.Unauthorized, "bad_credentials")
	}
	if err != nil {
		return Login{}, fmt.Errorf("login %q: %w", name, err)
	}
	if now.Before(u.LockedUntil) {
		return Login{}, lockedErr(u.LockedUntil.Sub(now))
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil || !ok {
		u.FailedLogins++
		if !u.LockedUntil.IsZero() && !now.Before(u.LockedUntil) {
			u.FailedLogins, u.LockedUntil = 1, time.Time{}
		}
		if u.FailedLogins >= s.policy.MaxFailures {
			u.LockedUntil = now.Add(s.policy.Lockout)
		}
		u.UpdatedAt = now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return Login{}, fmt.Errorf("record failed login of %s: %w", u.ID, err)
		}
		if !u.LockedUntil.IsZero() {
			return Login{}, lockedErr(s.policy.Lockout)
		}
		return Login{}, apperr.New(apperr.Unauthorized, "bad_credentials")
	}
	return s.start(ctx, u, userAgent)
}

func lockedErr(left time.Duration) error {
	minutes := int((left + time.Minute - 1) / time.Minute)
	return apperr.New(apperr.RateLimited, "locked_out", minutes)
}

// DevLogin logs a driver in by phone number alone, creating the account on
// first use. It exists only while WeChat login is not configured.
func (s *Service) DevLogin(ctx context.Context, phone, userAgent string) (Login, error) {
	if s.wechat != nil {
		return Login{}, apperr.New(apperr.Forbidden, "dev_login_disabled")
	}
	phone = strings.TrimSpace(phone)
	if !phoneRE.MatchString(phone) {
		return Login{}, apperr.Field("body.phone", "bad_phone")
	}
	u, err := s.store.UserByPhone(ctx, phone)
	if apperr.Is(err, apperr.NotFound) {
		u, err = s.createDriver(ctx, User{Phone: phone, DisplayName: phone[:3] + "****" + phone[7:]})
	}
	if err != nil {
		return Login{}, fmt.Errorf("dev login %s: %w", phone, err)
	}
	return s.start(ctx, u, userAgent)
}

// WeChatLogin exchanges a WeChat login code for the driver's openid and logs
// them in, creating the account on first use. source is "miniprogram" for
// wx.login codes or "oauth" for the in-app browser's OAuth redirect.
func (s *Service) WeChatLogin(ctx context.Context, code, source, userAgent string) (Login, error) {
	if s.wechat == nil {
		return Login{}, apperr.New(apperr.Forbidden, "wechat_disabled")
	}
	openID, err := s.wechat.Exchange(ctx, code, source)
	if err != nil {
		return Login{}, err
	}
	u, err := s.store.UserByOpenID(ctx, openID)
	if apperr.Is(err, apperr.NotFound) {
		u, err = s.createDriver(ctx, User{WeChatOpenID: openID, DisplayName: "微信用户"})
	}
	if err != nil {
		return Login{}, fmt.Errorf("wechat login: %w", err)
	}
	return s.start(ctx, u, userAgent)
}

func (s *Service) createDriver(ctx context.Context, u User) (User, error) {
	now := s.clock.Now()
	u.ID, u.Role, u.CreatedAt, u.UpdatedAt = ids.New(), RoleDriver, now, now
	if err := s.store.CreateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("create driver: %w", err)
	}
	return u, nil
}

// start opens a login for u after its credentials were checked.
func (s *Service) start(ctx context.Context, u User, userAgent string) (Login, error) {
	if u.Blocked {
		return Login{}, apperr.New(apperr.Forbidden, "account_blocked", u.BlockedReason)
	}
	now := s.clock.Now()
	u.FailedLogins, u.LockedUntil, u.LastLoginAt, u.UpdatedAt = 0, time.Time{}, now, now
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return Login{}, fmt.Errorf("record login of %s: %w", u.ID, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Login{}, fmt.Errorf("token: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	t := Token{ID: ids.New(), Hash: hashToken(secret), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.policy.TokenTTL), UserAgent: truncate(userAgent, 250)}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return Login{}, fmt.Errorf("store token: %w", err)
	}
	return Login{Secret: secret, ExpiresAt: t.ExpiresAt, User: u}, nil
}

// Authenticate returns the user a token secret belongs to, if the token is
// live and the user not blocked.
func (s *Service) Authenticate(ctx context.Context, secret string) (User, error) {
	if secret == "" || len(secret) > 100 {
		return User{}, apperr.New(apperr.Unauthorized, "unauthorized")
	}
	t, err := s.store.TokenByHash(ctx, hashToken(secret))
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.New(apperr.Unauthorized, "unauthorized")
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if !t.RevokedAt.IsZero() || !s.clock.Now().Before(t.ExpiresAt) {
		return User{}, apperr.New(apperr.Unauthorized, "unauthorized")
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if u.Blocked {
		return User{}, apperr.New(apperr.Forbidden, "account_blocked", u.BlockedReason)
	}
	return u, nil
}

// Logout revokes the token.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if err := s.store.RevokeToken(ctx, hashToken(secret), s.clock.Now()); err != nil && !apperr.Is(err, apperr.NotFound) {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// truncate shortens s to at most n characters; cutting bytes could split
// a character and leave invalid UTF-8, which MySQL and PostgreSQL refuse.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
