// Package apperr is the one error vocabulary of Campus Charge: a small set of
// codes that services return, the store maps driver errors to, and the HTTP
// API and OCPP gateway translate in one place each. It must not know about
// HTTP or OCPP.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for its callers.
type Code string

// The error codes.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	RateLimited  Code = "rate_limited"
	Unavailable  Code = "unavailable"
	Internal     Code = "internal"
)

// FieldError names one invalid input field.
type FieldError struct {
	// Field is the input's name, e.g. "body.name".
	Field string
	// Key is the message key in the catalogue.
	Key string
	// Args fill the message's placeholders.
	Args []any
}

// Error is an error with a code and a translatable message.
type Error struct {
	// Code classifies the error.
	Code Code
	// Key selects the message in the catalogue (see messages.go).
	Key string
	// Args fill the message's placeholders.
	Args []any
	// Fields lists invalid input fields, for validation errors.
	Fields []FieldError
	// Err is the underlying cause, if any.
	Err error
}

// New returns an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap returns an error with a code and message key that wraps cause.
func Wrap(cause error, code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args, Err: cause}
}

// Field returns an Invalid error about one input field.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Key: "invalid_input", Fields: []FieldError{{Field: field, Key: key, Args: args}}}
}

// Error returns the English message, with the cause if any.
func (e *Error) Error() string {
	msg := e.Message("en")
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Message returns the message in the given language ("en" or "zh-CN").
func (e *Error) Message(lang string) string { return Translate(lang, e.Key, e.Args...) }

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Translate returns the catalogue message for key in lang, falling back to
// English, then to the key itself.
func Translate(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	tmpl := m.en
	if lang != "en" && m.zh != "" {
		tmpl = m.zh
	}
	if len(args) == 0 {
		return tmpl
	}
	return fmt.Sprintf(tmpl, args...)
}
