package account

import (
	"context"
	"time"
)

// User is a person using Campus Charge: staff or driver.
type User struct {
	ID string
	// Name is the staff login name; empty for drivers.
	Name string
	// DisplayName is shown in the UI.
	DisplayName string
	// Phone is the driver's mobile number, if known.
	Phone string
	// WeChatOpenID identifies a driver who logged in with WeChat.
	WeChatOpenID string
	Role         Role
	// PasswordHash is the argon2id hash of a staff password.
	PasswordHash  string
	Blocked       bool
	BlockedReason string
	// FailedLogins counts consecutive failed password logins.
	FailedLogins int
	// LockedUntil is when a lockout ends; zero when not locked.
	LockedUntil time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LastLoginAt time.Time
}

// Token is a login: a browser session cookie or a bearer token. Only the
// SHA-256 of the secret is stored.
type Token struct {
	ID        string
	Hash      string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	// RevokedAt is when the token was revoked (logout, block); zero if live.
	RevokedAt time.Time
	UserAgent string
}

// Filter selects users in a list.
type Filter struct {
	// Query matches name, display name or phone, case-insensitively.
	Query string
	// Role, when set, keeps only that role.
	Role Role
	// Blocked, when set, keeps only blocked (true) or active (false) users.
	Blocked *bool
	// Limit is the page size.
	Limit int
	// Cursor is the last ID of the previous page.
	Cursor string
}

// Store is the persistence the account service needs.
type Store interface {
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByName(ctx context.Context, name string) (User, error)
	UserByPhone(ctx context.Context, phone string) (User, error)
	UserByOpenID(ctx context.Context, openID string) (User, error)
	// UpdateUser stores every mutable field of u.
	UpdateUser(ctx context.Context, u User) error
	ListUsers(ctx context.Context, f Filter) ([]User, error)
	CountRole(ctx context.Context, r Role) (int, error)
	CreateToken(ctx context.Context, t Token) error
	TokenByHash(ctx context.Context, hash string) (Token, error)
	RevokeToken(ctx context.Context, hash string, at time.Time) error
	RevokeUserTokens(ctx context.Context, userID string, at time.Time) error
}
