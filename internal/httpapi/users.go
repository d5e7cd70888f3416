package httpapi

import (
	"context"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/audit"
	"github.com/danielgtaylor/huma/v2"
)

// Page is a list response with a cursor for the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor" doc:"Pass as ?cursor= for the next page; empty at the end"`
}

// PageParams are the paging query parameters of every list.
type PageParams struct {
	Limit  int    `query:"limit" minimum:"0" maximum:"200" doc:"Page size (default 50)"`
	Cursor string `query:"cursor" maxLength:"64"`
}

type userOut struct{ Body UserView }

// IDParam is the {id} path parameter.
type IDParam struct {
	ID string `path:"id" maxLength:"26"`
}

func (s *Server) registerUsers() {
	type listIn struct {
		PageParams
		Q       string `query:"q" maxLength:"100" doc:"Matches name, display name or phone"`
		Role    string `query:"role" enum:"admin,operator,maintainer,support,driver,"`
		Blocked string `query:"blocked" enum:"true,false," doc:"Only blocked (true) or active (false) users"`
	}
	register(s, huma.Operation{OperationID: "users-list", Method: http.MethodGet, Path: "/users", Summary: "List and search users", Tags: []string{"users"}}, account.PermUsersRead,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[UserView] }, error) {
			f := account.Filter{Query: in.Q, Role: account.Role(in.Role), Limit: in.Limit, Cursor: in.Cursor}
			if in.Blocked != "" {
				b := in.Blocked == "true"
				f.Blocked = &b
			}
			us, next, err := s.deps.Accounts.List(ctx, f)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[UserView] }{}
			out.Body.Items = make([]UserView, len(us))
			for i, u := range us {
				out.Body.Items[i] = viewUser(u)
			}
			out.Body.NextCursor = next
			return out, nil
		})

	register(s, huma.Operation{OperationID: "users-get", Method: http.MethodGet, Path: "/users/{id}", Summary: "One user", Tags: []string{"users"}}, account.PermUsersRead,
		func(ctx context.Context, in *IDParam) (*userOut, error) {
			u, err := s.deps.Accounts.User(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &userOut{Body: viewUser(u)}, nil
		})

	type createIn struct {
		Body struct {
			Name        string `json:"name" maxLength:"64"`
			DisplayName string `json:"display_name,omitempty" maxLength:"100"`
			Role        string `json:"role" enum:"admin,operator,maintainer,support"`
			Password    string `json:"password" maxLength:"256"`
		}
	}
	register(s, huma.Operation{OperationID: "users-create", Method: http.MethodPost, Path: "/users", Summary: "Create a staff account", Tags: []string{"users"}, DefaultStatus: http.StatusCreated}, account.PermUsersWrite,
		func(ctx context.Context, in *createIn) (*userOut, error) {
			u, err := s.deps.Accounts.CreateStaff(ctx, currentUser(ctx), account.NewStaff{Name: in.Body.Name, DisplayName: in.Body.DisplayName, Role: account.Role(in.Body.Role), Password: in.Body.Password})
			if err != nil {
				return nil, err
			}
			return &userOut{Body: viewUser(u)}, nil
		})

	type roleIn struct {
		IDParam
		Body struct {
			Role string `json:"role" enum:"admin,operator,maintainer,support,driver"`
		}
	}
	register(s, huma.Operation{OperationID: "users-set-role", Method: http.MethodPut, Path: "/users/{id}/role", Summary: "Change a user's role", Tags: []string{"users"}}, account.PermUsersWrite,
		func(ctx context.Context, in *roleIn) (*userOut, error) {
			u, err := s.deps.Accounts.SetRole(ctx, currentUser(ctx), in.ID, account.Role(in.Body.Role))
			if err != nil {
				return nil, err
			}
			return &userOut{Body: viewUser(u)}, nil
		})

	type blockIn struct {
		IDParam
		Body struct {
			Reason string `json:"reason,omitempty" maxLength:"200"`
		}
	}
	register(s, huma.Operation{OperationID: "users-block", Method: http.MethodPost, Path: "/users/{id}/block", Summary: "Block a user (cannot log in or charge; logins end)", Tags: []string{"users"}}, account.PermUsersWrite,
		func(ctx context.Context, in *blockIn) (*userOut, error) {
			u, err := s.deps.Accounts.Block(ctx, currentUser(ctx), in.ID, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &userOut{Body: viewUser(u)}, nil
		})
	register(s, huma.Operation{OperationID: "users-unblock", Method: http.MethodPost, Path: "/users/{id}/unblock", Summary: "Unblock a user", Tags: []string{"users"}}, account.PermUsersWrite,
		func(ctx context.Context, in *IDParam) (*userOut, error) {
			u, err := s.deps.Accounts.Unblock(ctx, currentUser(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &userOut{Body: viewUser(u)}, nil
		})
}

// AuditView is an audit entry as the API shows it.
type AuditView struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Summary    string    `json:"summary"`
	Before     any       `json:"before"`
	After      any       `json:"after"`
}

func (s *Server) registerAudit() {
	type listIn struct {
		PageParams
		ActorID  string `query:"actor_id" maxLength:"64"`
		Action   string `query:"action" maxLength:"64"`
		TargetID string `query:"target_id" maxLength:"64"`
	}
	register(s, huma.Operation{OperationID: "audit-list", Method: http.MethodGet, Path: "/audit", Summary: "Audit log of staff writes, newest first", Tags: []string{"audit"}}, account.PermAuditRead,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[AuditView] }, error) {
			limit := in.Limit
			if limit == 0 {
				limit = 50
			}
			es, err := s.deps.AuditLog.List(ctx, audit.Filter{ActorID: in.ActorID, Action: in.Action, TargetID: in.TargetID, Limit: limit + 1, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[AuditView] }{}
			if len(es) > limit {
				es = es[:limit]
				out.Body.NextCursor = es[limit-1].ID
			}
			out.Body.Items = make([]AuditView, len(es))
			for i, e := range es {
				out.Body.Items[i] = AuditView{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, Summary: e.Summary, Before: e.Before, After: e.After}
			}
			return out, nil
		})
}
