package ocpp

import (
	"errors"
	"fmt"
)

// ErrorCode is an OCPP-J CALLERROR code, spelled exactly as in OCPP 1.6.
type ErrorCode string

// The OCPP 1.6J error codes. OccurenceConstraintViolation keeps the
// specification's spelling (one r).
const (
	// NotImplemented means the requested action is not known.
	NotImplemented ErrorCode = "NotImplemented"
	// NotSupported means the action is known but not supported here.
	NotSupported ErrorCode = "NotSupported"
	// InternalError means the receiver failed while processing the action.
	InternalError ErrorCode = "InternalError"
	// ProtocolError means the frame is incomplete or malformed.
	ProtocolError ErrorCode = "ProtocolError"
	// SecurityError means the action was refused for security reasons.
	SecurityError ErrorCode = "SecurityError"
	// FormationViolation means the payload is syntactically wrong or has
	// properties the schema does not allow.
	FormationViolation ErrorCode = "FormationViolation"
	// PropertyConstraintViolation means a field holds a value outside its
	// constraints (enum, length, format).
	PropertyConstraintViolation ErrorCode = "PropertyConstraintViolation"
	// OccurenceConstraintViolation means a required field is missing or an
	// array has too few items.
	OccurenceConstraintViolation ErrorCode = "OccurenceConstraintViolation"
	// TypeConstraintViolation means a field has the wrong JSON type.
	TypeConstraintViolation ErrorCode = "TypeConstraintViolation"
	// GenericError is any other error.
	GenericError ErrorCode = "GenericError"
)

// Error is an OCPP error: the code and description carried by a CALLERROR.
type Error struct {
	// Code is the OCPP-J error code.
	Code ErrorCode
	// Description says what is wrong, naming the field when there is one.
	Description string
	// Details is sent as the CALLERROR's details object; it may be nil.
	// Validation errors carry {"field": "path.to.field"}.
	Details map[string]any
}

// Error returns "Code: Description".
func (e *Error) Error() string {
	return string(e.Code) + ": " + e.Description
}

// Errorf returns an *Error with the given code and a formatted description.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Description: fmt.Sprintf(format, args...)}
}

// fieldError returns a validation error about the field at path.
func fieldError(code ErrorCode, path, format string, args ...any) *Error {
	desc := fmt.Sprintf(format, args...)
	if path == "" {
		return &Error{Code: code, Description: desc}
	}
	return &Error{Code: code, Description: path + ": " + desc, Details: map[string]any{"field": path}}
}

// AsError returns the *Error in err's chain, or wraps any other non-nil
// error as an InternalError, so that every error can be answered with a
// CALLERROR. It returns nil for a nil error.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: InternalError, Description: err.Error()}
}
