package gateway

import (
	"errors"

	"campuscharge/internal/apperr"
	"campuscharge/internal/ocpp"
)

// CallError is the one place that turns a Handler's error into the
// CALLERROR sent to the charger:
//   - an *ocpp.Error in the chain is sent as it is;
//   - apperr.Invalid → PropertyConstraintViolation (the payload passed the
//     schema, so what the service refuses is a value);
//   - apperr.Unauthorized, apperr.Forbidden → SecurityError;
//   - apperr.NotFound, apperr.Conflict, apperr.RateLimited → GenericError;
//   - apperr.Unavailable → InternalError (a temporary failure; the charger
//     retries);
//   - anything else (apperr.Internal, plain errors, panics) → InternalError.
//
// The description is the English catalogue text of an apperr error, which
// is written for users and names no internals, and a fixed "internal
// error" otherwise; causes are never sent, only logged.
func CallError(err error) *ocpp.Error {
	if err == nil {
		return nil
	}
	var oe *ocpp.Error
	if errors.As(err, &oe) {
		return oe
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return internalError()
	}
	code := ocpp.InternalError
	switch ae.Code {
	case apperr.Invalid:
		code = ocpp.PropertyConstraintViolation
	case apperr.Unauthorized, apperr.Forbidden:
		code = ocpp.SecurityError
	case apperr.NotFound, apperr.Conflict, apperr.RateLimited:
		code = ocpp.GenericError
	case apperr.Unavailable:
		code = ocpp.InternalError
	default:
		return internalError()
	}
	return &ocpp.Error{Code: code, Description: ae.Message("en")}
}

// internalError is the CALLERROR for a failure whose cause stays private.
func internalError() *ocpp.Error {
	return &ocpp.Error{Code: ocpp.InternalError, Description: "internal error"}
}
