package gateway_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

func TestCallError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want *ocpp.Error
	}{
		{name: "nil", err: nil, want: nil},
		{name: "ocpp error kept", err: fmt.Errorf("boot: %w", ocpp.Errorf(ocpp.SecurityError, "not accepted")), want: &ocpp.Error{Code: ocpp.SecurityError, Description: "not accepted"}},
		{name: "invalid", err: apperr.New(apperr.Invalid, "invalid_input"), want: &ocpp.Error{Code: ocpp.PropertyConstraintViolation, Description: "The request is invalid."}},
		{name: "not found", err: fmt.Errorf("stop: %w", apperr.New(apperr.NotFound, "not_found")), want: &ocpp.Error{Code: ocpp.GenericError, Description: "Not found."}},
		{name: "conflict", err: apperr.New(apperr.Conflict, "conflict"), want: &ocpp.Error{Code: ocpp.GenericError, Description: "This conflicts with existing data."}},
		{name: "unauthorized", err: apperr.New(apperr.Unauthorized, "unauthorized"), want: &ocpp.Error{Code: ocpp.SecurityError, Description: "Please log in."}},
		{name: "forbidden", err: apperr.New(apperr.Forbidden, "forbidden"), want: &ocpp.Error{Code: ocpp.SecurityError, Description: "You do not have permission to do this."}},
		{name: "unavailable", err: apperr.New(apperr.Unavailable, "unavailable"), want: &ocpp.Error{Code: ocpp.InternalError, Description: "The service is unavailable."}},
		{name: "apperr internal hides its cause", err: apperr.Wrap(errors.New("disk full at /var/db"), apperr.Internal, "internal"), want: &ocpp.Error{Code: ocpp.InternalError, Description: "internal error"}},
		{name: "plain error hides itself", err: errors.New("pq: password authentication failed"), want: &ocpp.Error{Code: ocpp.InternalError, Description: "internal error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, gateway.CallError(tt.err)); diff != "" {
				t.Errorf("CallError (-want +got):\n%s", diff)
			}
		})
	}
}
