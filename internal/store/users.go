package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"campuscharge/internal/account"
)

// Users stores users and their login tokens.
type Users struct{ db *DB }

var _ account.Store = (*Users)(nil)

// NewUsers returns the user store.
func NewUsers(db *DB) *Users { return &Users{db: db} }

type userRow struct {
	ID            string         `db:"id"`
	Name          sql.NullString `db:"name"`
	DisplayName   string         `db:"display_name"`
	Phone         sql.NullString `db:"phone"`
	WeChatOpenID  sql.NullString `db:"wechat_openid"`
	Role          string         `db:"role"`
	PasswordHash  string         `db:"password_hash"`
	Blocked       bool           `db:"blocked"`
	BlockedReason string         `db:"blocked_reason"`
	FailedLogins  int            `db:"failed_logins"`
	LockedUntil   int64          `db:"locked_until"`
	CreatedAt     int64          `db:"created_at"`
	UpdatedAt     int64          `db:"updated_at"`
	LastLoginAt   int64          `db:"last_login_at"`
}

const userCols = `id, name, display_name, phone, wechat_openid, role, password_hash, blocked, blocked_reason, failed_logins, locked_until, created_at, updated_at, last_login_at`

func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func (r userRow) user() account.User {
	return account.User{
		ID: r.ID, Name: r.Name.String, DisplayName: r.DisplayName, Phone: r.Phone.String, WeChatOpenID: r.WeChatOpenID.String,
		Role: account.Role(r.Role), PasswordHash: r.PasswordHash, Blocked: r.Blocked, BlockedReason: r.BlockedReason,
		FailedLogins: r.FailedLogins, LockedUntil: fromMS(r.LockedUntil), CreatedAt: fromMS(r.CreatedAt), UpdatedAt: fromMS(r.UpdatedAt), LastLoginAt: fromMS(r.LastLoginAt),
	}
}

// CreateUser inserts a user; a taken name, phone or openid is a conflict.
func (s *Users) CreateUser(ctx context.Context, u account.User) error {
	_, err := exec(ctx, s.db, `INSERT INTO users (`+userCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		u.ID, nullable(u.Name), u.DisplayName, nullable(u.Phone), nullable(u.WeChatOpenID), string(u.Role), u.PasswordHash, u.Blocked, u.BlockedReason,
		u.FailedLogins, ms(u.LockedUntil), ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastLoginAt))
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

func (s *Users) userBy(ctx context.Context, col, v string) (account.User, error) {
	var r userRow
	if err := get(ctx, s.db, &r, `SELECT `+userCols+` FROM users WHERE `+col+` = ?`, v); err != nil {
		return account.User{}, fmt.Errorf("user by %s: %w", col, err)
	}
	return r.user(), nil
}

// UserByID returns a user by ID.
func (s *Users) UserByID(ctx context.Context, id string) (account.User, error) {
	return s.userBy(ctx, "id", id)
}

// UserByName returns a staff user by login name.
func (s *Users) UserByName(ctx context.Context, name string) (account.User, error) {
	return s.userBy(ctx, "name", name)
}

// UserByPhone returns a user by phone number.
func (s *Users) UserByPhone(ctx context.Context, phone string) (account.User, error) {
	return s.userBy(ctx, "phone", phone)
}

// UserByOpenID returns a user by WeChat openid.
func (s *Users) UserByOpenID(ctx context.Context, openID string) (account.User, error) {
	return s.userBy(ctx, "wechat_openid", openID)
}

// UpdateUser stores every mutable field of u.
func (s *Users) UpdateUser(ctx context.Context, u account.User) error {
	err := execOne(ctx, s.db, `UPDATE users SET display_name = ?, phone = ?, role = ?, password_hash = ?, blocked = ?, blocked_reason = ?,
		failed_logins = ?, locked_until = ?, updated_at = ?, last_login_at = ? WHERE id = ?`,
		u.DisplayName, nullable(u.Phone), string(u.Role), u.PasswordHash, u.Blocked, u.BlockedReason,
		u.FailedLogins, ms(u.LockedUntil), ms(u.UpdatedAt), ms(u.LastLoginAt), u.ID)
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.ID, err)
	}
	return nil
}

// ListUsers returns users matching f in ID order, after f.Cursor.
func (s *Users) ListUsers(ctx context.Context, f account.Filter) ([]account.User, error) {
	var where []string
	var args []any
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		where = append(where, `(LOWER(COALESCE(name, '')) LIKE ? ESCAPE '!' OR LOWER(display_name) LIKE ? ESCAPE '!' OR COALESCE(phone, '') LIKE ? ESCAPE '!')`)
		args = append(args, like, like, like)
	}
	if f.Role != "" {
		where = append(where, "role = ?")
		args = append(args, string(f.Role))
	}
	if f.Blocked != nil {
		where = append(where, "blocked = ?")
		args = append(args, *f.Blocked)
	}
	if f.Cursor != "" {
		where = append(where, "id > ?")
		args = append(args, f.Cursor)
	}
	q := `SELECT ` + userCols + ` FROM users`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id LIMIT ?"
	args = append(args, f.Limit)
	var rows []userRow
	if err := sel(ctx, s.db, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// escapeLike escapes LIKE wildcards with '!' as the escape character.
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// CountRole counts users with role r.
func (s *Users) CountRole(ctx context.Context, r account.Role) (int, error) {
	var n int
	if err := get(ctx, s.db, &n, `SELECT COUNT(*) FROM users WHERE role = ?`, string(r)); err != nil {
		return 0, fmt.Errorf("count %s: %w", r, err)
	}
	return n, nil
}

type tokenRow struct {
	ID        string `db:"id"`
	Hash      string `db:"token_hash"`
	UserID    string `db:"user_id"`
	CreatedAt int64  `db:"created_at"`
	ExpiresAt int64  `db:"expires_at"`
	RevokedAt int64  `db:"revoked_at"`
	UserAgent string `db:"user_agent"`
}

// CreateToken stores a login token.
func (s *Users) CreateToken(ctx context.Context, t account.Token) error {
	_, err := exec(ctx, s.db, `INSERT INTO auth_tokens (id, token_hash, user_id, created_at, expires_at, revoked_at, user_agent) VALUES (?,?,?,?,?,?,?)`,
		t.ID, t.Hash, t.UserID, ms(t.CreatedAt), ms(t.ExpiresAt), ms(t.RevokedAt), t.UserAgent)
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// TokenByHash returns a token by the hash of its secret.
func (s *Users) TokenByHash(ctx context.Context, hash string) (account.Token, error) {
	var r tokenRow
	if err := get(ctx, s.db, &r, `SELECT id, token_hash, user_id, created_at, expires_at, revoked_at, user_agent FROM auth_tokens WHERE token_hash = ?`, hash); err != nil {
		return account.Token{}, fmt.Errorf("token: %w", err)
	}
	return account.Token{ID: r.ID, Hash: r.Hash, UserID: r.UserID, CreatedAt: fromMS(r.CreatedAt), ExpiresAt: fromMS(r.ExpiresAt), RevokedAt: fromMS(r.RevokedAt), UserAgent: r.UserAgent}, nil
}

// RevokeToken revokes one token.
func (s *Users) RevokeToken(ctx context.Context, hash string, at time.Time) error {
	if err := execOne(ctx, s.db, `UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at = 0`, ms(at), hash); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return nil
}

// RevokeUserTokens revokes every live token of a user.
func (s *Users) RevokeUserTokens(ctx context.Context, userID string, at time.Time) error {
	if _, err := exec(ctx, s.db, `UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0`, ms(at), userID); err != nil {
		return fmt.Errorf("revoke tokens of %s: %w", userID, err)
	}
	return nil
}
