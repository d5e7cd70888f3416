package payment

import (
	"encoding/json"
	"net/http"

	"campuscharge/internal/apperr"
)

// ackBody is the acknowledgement WeChat Pay expects (and the sandbox copies).
type ackBody struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// NotifyAck writes the acknowledgement of a notification: HTTP 200 with
// {"code":"SUCCESS"} when err is nil, so the provider stops retrying;
// otherwise {"code":"FAIL","message":…} with 401 for rejected (forged)
// notifications, 400 for invalid ones and 500 for anything else, so the
// provider retries later.
func NotifyAck(w http.ResponseWriter, err error) {
	status, body := http.StatusOK, ackBody{Code: "SUCCESS"}
	if err != nil {
		body = ackBody{Code: "FAIL", Message: ackMessage(err)}
		switch apperr.CodeOf(err) {
		case apperr.Unauthorized:
			status = http.StatusUnauthorized
		case apperr.Invalid, apperr.NotFound, apperr.Conflict:
			status = http.StatusBadRequest
		default:
			status = http.StatusInternalServerError
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// ackMessage is the short, non-revealing reason sent back to the provider.
func ackMessage(err error) string {
	switch apperr.CodeOf(err) {
	case apperr.Unauthorized:
		return "signature verification failed"
	case apperr.Invalid:
		return "invalid notification"
	case apperr.NotFound:
		return "unknown order"
	case apperr.Conflict:
		return "conflicting notification"
	default:
		return "temporary failure, please retry"
	}
}
