package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"campuscharge/internal/apperr"
	"campuscharge/internal/audit"
	"campuscharge/internal/ids"
)

// NewStaff is the input for creating a staff account.
type NewStaff struct {
	Name        string
	DisplayName string
	Role        Role
	Password    string
}

// summary is what the audit log keeps of a user.
func (u User) summary() map[string]any {
	return map[string]any{"name": u.Name, "display_name": u.DisplayName, "role": u.Role, "blocked": u.Blocked}
}

// mayManage reports whether actor may change target (or give it role r):
// only admins manage admins.
func mayManage(actor User, targetRole Role) bool {
	return actor.Role == RoleAdmin || targetRole != RoleAdmin
}

// CreateStaff creates a staff account. actor is who asks (nil-User = the
// command line, which may do anything).
func (s *Service) CreateStaff(ctx context.Context, actor User, in NewStaff) (User, error) {
	in.Name = strings.TrimSpace(in.Name)
	if !nameRE.MatchString(in.Name) {
		return User{}, apperr.Field("body.name", "bad_name")
	}
	if !in.Role.Staff() {
		return User{}, apperr.Field("body.role", "bad_role", in.Role)
	}
	if actor.ID != "" && !mayManage(actor, in.Role) {
		return User{}, apperr.New(apperr.Forbidden, "role_not_allowed")
	}
	if len([]rune(in.Password)) < s.policy.MinPasswordLen {
		return User{}, apperr.Field("body.password", "password_too_short", s.policy.MinPasswordLen)
	}
	hash, err := HashPassword(in.Password, s.policy.Hash)
	if err != nil {
		return User{}, err
	}
	now := s.clock.Now()
	display := strings.TrimSpace(in.DisplayName)
	if display == "" {
		display = in.Name
	}
	u := User{ID: ids.New(), Name: in.Name, DisplayName: display, Role: in.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return User{}, apperr.Wrap(err, apperr.Conflict, "name_taken", in.Name)
		}
		return User{}, fmt.Errorf("create staff %q: %w", in.Name, err)
	}
	return u, s.record(ctx, actor, "user.create", u, nil, u.summary())
}

// EnsureAdmin creates the first admin named "admin" when no admin exists.
// It returns the password it set (password, or a generated one when empty)
// and whether it created the account.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (string, bool, error) {
	n, err := s.store.CountRole(ctx, RoleAdmin)
	if err != nil {
		return "", false, fmt.Errorf("count admins: %w", err)
	}
	if n > 0 {
		return "", false, nil
	}
	if password == "" {
		raw := make([]byte, 12)
		if _, err := rand.Read(raw); err != nil {
			return "", false, fmt.Errorf("generate password: %w", err)
		}
		password = base64.RawURLEncoding.EncodeToString(raw)
	}
	if _, err := s.CreateStaff(ctx, User{}, NewStaff{Name: "admin", DisplayName: "Administrator", Role: RoleAdmin, Password: password}); err != nil {
		return "", false, err
	}
	return password, true, nil
}

// User returns one user.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, err := s.store.UserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.Wrap(err, apperr.NotFound, "user_not_found")
	}
	return u, err
}

// List returns a page of users and the cursor of the next page ("" at the end).
func (s *Service) List(ctx context.Context, f Filter) ([]User, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if f.Role != "" && !f.Role.Valid() {
		return nil, "", apperr.Field("query.role", "bad_role", f.Role)
	}
	want := f.Limit
	f.Limit++
	us, err := s.store.ListUsers(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	next := ""
	if len(us) > want {
		us = us[:want]
		next = us[want-1].ID
	}
	return us, next, nil
}

// change loads a user, lets edit change it after the common checks, stores it
// and records the change in the audit log.
func (s *Service) change(ctx context.Context, actor User, id, action string, edit func(*User) error) (User, error) {
	u, err := s.User(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.ID == actor.ID {
		return User{}, apperr.New(apperr.Forbidden, "cannot_change_self")
	}
	if !mayManage(actor, u.Role) {
		return User{}, apperr.New(apperr.Forbidden, "role_not_allowed")
	}
	before := u.summary()
	if err := edit(&u); err != nil {
		return User{}, err
	}
	u.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return User{}, fmt.Errorf("%s %s: %w", action, id, err)
	}
	return u, s.record(ctx, actor, action, u, before, u.summary())
}

// SetRole changes a user's role. Drivers stay drivers: staff roles need a
// staff account with a password.
func (s *Service) SetRole(ctx context.Context, actor User, id string, role Role) (User, error) {
	if !role.Valid() {
		return User{}, apperr.Field("body.role", "bad_role", role)
	}
	if !mayManage(actor, role) {
		return User{}, apperr.New(apperr.Forbidden, "role_not_allowed")
	}
	return s.change(ctx, actor, id, "user.role", func(u *User) error {
		if u.Name == "" && role != RoleDriver {
			return apperr.Field("body.role", "staff_only_password")
		}
		u.Role = role
		return nil
	})
}

// Block stops a user from logging in or charging and ends their logins.
func (s *Service) Block(ctx context.Context, actor User, id, reason string) (User, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 200 {
		return User{}, apperr.Field("body.reason", "too_long", 200)
	}
	u, err := s.change(ctx, actor, id, "user.block", func(u *User) error {
		u.Blocked, u.BlockedReason = true, reason
		return nil
	})
	if err != nil {
		return User{}, err
	}
	if err := s.store.RevokeUserTokens(ctx, u.ID, s.clock.Now()); err != nil {
		return User{}, fmt.Errorf("revoke logins of %s: %w", u.ID, err)
	}
	return u, nil
}

// Unblock lets a blocked user back in.
func (s *Service) Unblock(ctx context.Context, actor User, id string) (User, error) {
	return s.change(ctx, actor, id, "user.unblock", func(u *User) error {
		u.Blocked, u.BlockedReason = false, ""
		return nil
	})
}

// ChangePassword changes a staff member's own password after checking the
// old one, and ends their other logins.
func (s *Service) ChangePassword(ctx context.Context, actor User, oldPassword, newPassword string) error {
	u, err := s.User(ctx, actor.ID)
	if err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return apperr.New(apperr.Forbidden, "staff_only_password")
	}
	if ok, _ := CheckPassword(u.PasswordHash, oldPassword); !ok {
		return apperr.Field("body.old_password", "wrong_old_password")
	}
	if len([]rune(newPassword)) < s.policy.MinPasswordLen {
		return apperr.Field("body.new_password", "password_too_short", s.policy.MinPasswordLen)
	}
	if u.PasswordHash, err = HashPassword(newPassword, s.policy.Hash); err != nil {
		return err
	}
	u.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("change password of %s: %w", u.ID, err)
	}
	return s.record(ctx, actor, "user.password", u, nil, nil)
}

func (s *Service) record(ctx context.Context, actor User, action string, target User, before, after any) error {
	return Record(ctx, s.audit, actor, action, "user", target.ID, target.Label(), before, after)
}

// Record writes a staff write to the audit log: who (actor; the zero User
// is the system itself), what, on which record, and small before/after
// summaries. A nil recorder records nothing.
func Record(ctx context.Context, rec audit.Recorder, actor User, action, targetType, targetID, summary string, before, after any) error {
	if rec == nil {
		return nil
	}
	if actor.ID == "" {
		actor = User{ID: "system", Name: "system"}
	}
	return rec.Record(ctx, audit.Entry{ActorID: actor.ID, ActorName: actor.Label(), Action: action, TargetType: targetType, TargetID: targetID, Summary: summary, Before: before, After: after})
}

// Label names a user for logs and the audit trail: login name, else phone,
// else display name.
func (u User) Label() string {
	switch {
	case u.Name != "":
		return u.Name
	case u.Phone != "":
		return u.Phone
	}
	return u.DisplayName
}
