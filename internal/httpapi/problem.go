package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"campuscharge/internal/apperr"
	"github.com/danielgtaylor/huma/v2"
)

// Problem is an RFC 9457 problem document. Title and Detail are in the
// request's language; Type and Code are stable.
type Problem struct {
	Type   string         `json:"type" doc:"Stable URI naming the kind of problem"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Code   string         `json:"code" doc:"Stable error code: invalid, not_found, conflict, unauthorized, forbidden, rate_limited, unavailable, internal"`
	Errors []FieldProblem `json:"errors,omitempty" doc:"Field-level details for validation errors"`
}

// FieldProblem is one invalid field.
type FieldProblem struct {
	Location string `json:"location" doc:"Where the field is, e.g. body.name or query.limit"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// Error returns the detail.
func (p *Problem) Error() string { return p.Detail }

// GetStatus returns the HTTP status.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

var statusOf = map[apperr.Code]int{
	apperr.Invalid:      http.StatusUnprocessableEntity,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.RateLimited:  http.StatusTooManyRequests,
	apperr.Unavailable:  http.StatusServiceUnavailable,
	apperr.Internal:     http.StatusInternalServerError,
}

func codeOfStatus(status int) apperr.Code {
	for c, s := range statusOf {
		if s == status {
			return c
		}
	}
	if status >= 500 {
		return apperr.Internal
	}
	return apperr.Invalid
}

func newProblem(lang string, code apperr.Code, detail string) *Problem {
	status := statusOf[code]
	if status == 0 {
		code, status = apperr.Internal, http.StatusInternalServerError
	}
	return &Problem{Type: "urn:campuscharge:problem:" + string(code), Title: apperr.Translate(lang, string(code)), Status: status, Detail: detail, Code: string(code)}
}

// problemFor turns any error into a Problem in the request's language: the
// one place service errors become HTTP errors. Unexpected errors are logged
// and hidden behind a generic message.
func problemFor(ctx context.Context, log *slog.Logger, err error) *Problem {
	lang := langOf(ctx)
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code == apperr.Internal {
		log.ErrorContext(ctx, "request failed", "err", err)
		return newProblem(lang, apperr.Internal, apperr.Translate(lang, "internal"))
	}
	pr := newProblem(lang, ae.Code, ae.Message(lang))
	for _, f := range ae.Fields {
		pr.Errors = append(pr.Errors, FieldProblem{Location: f.Field, Message: apperr.Translate(lang, f.Key, f.Args...)})
	}
	if len(ae.Fields) == 1 {
		pr.Detail = pr.Errors[0].Message
	}
	return pr
}

// localizeHumaError converts huma's own errors (validation, bad JSON, body
// too large) into a Problem in the request's language. It is a huma
// transformer, so it sees every response body.
func localizeHumaError(ctx huma.Context, _ string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	lang := parseLang(ctx.Header("Accept-Language"))
	p := newProblem(lang, codeOfStatus(em.Status), em.Detail)
	p.Status = em.Status
	switch em.Status {
	case http.StatusRequestEntityTooLarge:
		p.Title = apperr.Translate(lang, "body_too_large")
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		p.Title = apperr.Translate(lang, "invalid_input")
	}
	if lang != "en" && p.Title != "" {
		p.Detail = p.Title + " " + em.Detail
	}
	for _, d := range em.Errors {
		p.Errors = append(p.Errors, FieldProblem{Location: d.Location, Message: d.Message, Value: d.Value})
	}
	return p, nil
}

type langKey struct{}

// parseLang picks "en" or "zh-CN" (the default) from an Accept-Language header.
func parseLang(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh-CN"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "zh-CN"
}

func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "zh-CN"
}
