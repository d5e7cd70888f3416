package httpapi

import (
	"context"
	"net"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/apperr"
	"github.com/danielgtaylor/huma/v2"
)

// UserView is a user as the API shows it.
type UserView struct {
	ID            string    `json:"id"`
	Name          string    `json:"name" doc:"Staff login name; empty for drivers"`
	DisplayName   string    `json:"display_name"`
	Phone         string    `json:"phone"`
	Role          string    `json:"role" enum:"admin,operator,maintainer,support,driver"`
	Blocked       bool      `json:"blocked"`
	BlockedReason string    `json:"blocked_reason"`
	CreatedAt     time.Time `json:"created_at"`
	LastLoginAt   time.Time `json:"last_login_at"`
}

func viewUser(u account.User) UserView {
	return UserView{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Phone: u.Phone, Role: string(u.Role), Blocked: u.Blocked, BlockedReason: u.BlockedReason, CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt}
}

type loginBody struct {
	Token     string    `json:"token" doc:"Bearer token; also set as the session cookie"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserView  `json:"user"`
}

type loginOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      loginBody
}

// ClientInfo is what a login records about the client.
type ClientInfo struct {
	UserAgent string `header:"User-Agent"`
}

func (s *Server) loginResult(l account.Login) *loginOutput {
	return &loginOutput{
		SetCookie: http.Cookie{Name: CookieName, Value: l.Secret, Path: "/", Expires: l.ExpiresAt, HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteLaxMode},
		Body:      loginBody{Token: l.Secret, ExpiresAt: l.ExpiresAt, User: viewUser(l.User)},
	}
}

// limitLogins rejects clients that try logins too fast, before any work.
func (s *Server) limitLogins(ctx huma.Context, next func(huma.Context)) {
	ip, _, err := net.SplitHostPort(ctx.RemoteAddr())
	if err != nil {
		ip = ctx.RemoteAddr()
	}
	if !s.limiter.allow(ip) {
		lang := parseLang(ctx.Header("Accept-Language"))
		s.writeProblem(ctx, newProblem(lang, apperr.RateLimited, apperr.Translate(lang, "rate_limited")))
		return
	}
	next(ctx)
}

func (s *Server) registerAuth() {
	type optionsOut struct {
		Body struct {
			WeChatEnabled   bool   `json:"wechat_enabled"`
			DevLoginEnabled bool   `json:"dev_login_enabled" doc:"True when WeChat is not configured: drivers log in by phone number (development only)"`
			WeChatAppID     string `json:"wechat_app_id"`
		}
	}
	register(s, huma.Operation{OperationID: "auth-options", Method: http.MethodGet, Path: "/auth/options", Summary: "Which login methods are available", Tags: []string{"auth"}}, "",
		func(ctx context.Context, _ *struct{}) (*optionsOut, error) {
			out := &optionsOut{}
			out.Body.WeChatEnabled = s.deps.Accounts.WeChatEnabled()
			out.Body.DevLoginEnabled = !out.Body.WeChatEnabled
			out.Body.WeChatAppID = s.deps.Accounts.WeChatAppID()
			return out, nil
		})

	register(s, huma.Operation{OperationID: "config", Method: http.MethodGet, Path: "/config", Summary: "Public configuration for the web apps", Tags: []string{"auth"}}, "",
		func(ctx context.Context, _ *struct{}) (*struct{ Body PublicConfig }, error) {
			out := &struct{ Body PublicConfig }{Body: s.deps.Public}
			out.Body.Version = s.deps.Version
			return out, nil
		})

	type loginIn struct {
		ClientInfo
		Body struct {
			Name     string `json:"name" minLength:"1" maxLength:"64"`
			Password string `json:"password" minLength:"1" maxLength:"256"`
		}
	}
	register(s, huma.Operation{OperationID: "auth-login", Method: http.MethodPost, Path: "/auth/login", Summary: "Staff login with name and password",
		Description: "Five wrong passwords in a row lock the account for 15 minutes (429).", Tags: []string{"auth"}, Middlewares: huma.Middlewares{s.limitLogins}}, "",
		func(ctx context.Context, in *loginIn) (*loginOutput, error) {
			l, err := s.deps.Accounts.PasswordLogin(ctx, in.Body.Name, in.Body.Password, in.UserAgent)
			if err != nil {
				return nil, err
			}
			return s.loginResult(l), nil
		})

	type devLoginIn struct {
		ClientInfo
		Body struct {
			Phone string `json:"phone" maxLength:"20" doc:"11-digit mainland mobile number"`
		}
	}
	register(s, huma.Operation{OperationID: "auth-dev-login", Method: http.MethodPost, Path: "/auth/dev-login", Summary: "Development driver login by phone number",
		Description: "Only while WeChat login is not configured. Creates the driver on first use.", Tags: []string{"auth"}, Middlewares: huma.Middlewares{s.limitLogins}}, "",
		func(ctx context.Context, in *devLoginIn) (*loginOutput, error) {
			l, err := s.deps.Accounts.DevLogin(ctx, in.Body.Phone, in.UserAgent)
			if err != nil {
				return nil, err
			}
			return s.loginResult(l), nil
		})

	type wechatIn struct {
		ClientInfo
		Body struct {
			Code   string `json:"code" minLength:"1" maxLength:"128" doc:"wx.login code (mini program) or OAuth code (WeChat browser)"`
			Source string `json:"source,omitempty" enum:"miniprogram,oauth" doc:"Where the code came from; default miniprogram"`
		}
	}
	register(s, huma.Operation{OperationID: "auth-wechat", Method: http.MethodPost, Path: "/auth/wechat", Summary: "Driver login with a WeChat code", Tags: []string{"auth"}, Middlewares: huma.Middlewares{s.limitLogins}}, "",
		func(ctx context.Context, in *wechatIn) (*loginOutput, error) {
			l, err := s.deps.Accounts.WeChatLogin(ctx, in.Body.Code, in.Body.Source, in.UserAgent)
			if err != nil {
				return nil, err
			}
			return s.loginResult(l), nil
		})

	type logoutOut struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}
	register(s, huma.Operation{OperationID: "auth-logout", Method: http.MethodPost, Path: "/auth/logout", Summary: "Log out (revokes the token)", Tags: []string{"auth"}, DefaultStatus: http.StatusNoContent}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*logoutOut, error) {
			secret, _ := ctx.Value(secretKey{}).(string)
			if err := s.deps.Accounts.Logout(ctx, secret); err != nil {
				return nil, err
			}
			return &logoutOut{SetCookie: http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteLaxMode}}, nil
		})

	type meOut struct{ Body UserView }
	register(s, huma.Operation{OperationID: "me", Method: http.MethodGet, Path: "/me", Summary: "The logged-in user", Tags: []string{"users"}}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*meOut, error) {
			return &meOut{Body: viewUser(currentUser(ctx))}, nil
		})

	type passwordIn struct {
		Body struct {
			OldPassword string `json:"old_password" maxLength:"256"`
			NewPassword string `json:"new_password" maxLength:"256"`
		}
	}
	register(s, huma.Operation{OperationID: "me-password", Method: http.MethodPut, Path: "/me/password", Summary: "Change my password (staff)", Tags: []string{"users"}, DefaultStatus: http.StatusNoContent}, account.PermSelf,
		func(ctx context.Context, in *passwordIn) (*struct{}, error) {
			return nil, s.deps.Accounts.ChangePassword(ctx, currentUser(ctx), in.Body.OldPassword, in.Body.NewPassword)
		})
}
