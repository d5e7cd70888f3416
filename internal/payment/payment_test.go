package payment

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
)

func TestOrderValidate(t *testing.T) {
	ok := Order{ID: "01JNB7Q2ZK", Description: "充电费", AmountFen: 1}
	tests := []struct {
		name   string
		mutate func(*Order)
		valid  bool
	}{
		{"ok", func(*Order) {}, true},
		{"32-char id", func(o *Order) { o.ID = strings.Repeat("a", 32) }, true},
		{"id with _ and -", func(o *Order) { o.ID = "a_b-c1" }, true},
		{"5-char id", func(o *Order) { o.ID = "abcde" }, false},
		{"33-char id", func(o *Order) { o.ID = strings.Repeat("a", 33) }, false},
		{"id with space", func(o *Order) { o.ID = "abc def" }, false},
		{"id with non-ASCII", func(o *Order) { o.ID = "订单123456" }, false},
		{"empty description", func(o *Order) { o.Description = "" }, false},
		{"127-byte description", func(o *Order) { o.Description = strings.Repeat("x", 127) }, true},
		{"128-byte description", func(o *Order) { o.Description = strings.Repeat("x", 128) }, false},
		{"zero amount", func(o *Order) { o.AmountFen = 0 }, false},
		{"negative amount", func(o *Order) { o.AmountFen = -5 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.mutate(&o)
			err := o.Validate()
			if tt.valid != (err == nil) {
				t.Fatalf("got %v, want valid=%v", err, tt.valid)
			}
			if err != nil && !apperr.Is(err, apperr.Invalid) {
				t.Errorf("got code %q, want invalid", apperr.CodeOf(err))
			}
		})
	}
}

func TestTruncateDescription(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "充电费", "充电费"},
		{"ascii cut", strings.Repeat("a", 200), strings.Repeat("a", 127)},
		// 42 three-byte characters are 126 bytes; the 43rd would end at 129.
		{"never splits a character", strings.Repeat("充", 50), strings.Repeat("充", 42)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TruncateDescription(tt.in)
			if got != tt.want || !utf8.ValidString(got) || len(got) > MaxDescriptionBytes {
				t.Errorf("got %q (%d bytes), want %q", got, len(got), tt.want)
			}
		})
	}
}

func TestNotificationMatches(t *testing.T) {
	paid := Notification{OrderID: "ORDER-1", State: StatePaid, AmountFen: 1234}
	tests := []struct {
		name string
		n    Notification
		fen  int64
		want bool
	}{
		{"exact", paid, 1234, true},
		{"less paid", paid, 1235, false},
		{"more paid", paid, 1233, false},
		{"not paid", Notification{OrderID: "ORDER-1", State: StateFailed, AmountFen: 1234}, 1234, false},
		{"refund of the same amount", Notification{OrderID: "ORDER-1", State: StatePaid, AmountFen: 1234, RefundID: "R-000001"}, 1234, false},
		{"zero bill", Notification{OrderID: "ORDER-1", State: StatePaid}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.n.Matches(tt.fen); got != tt.want {
				t.Errorf("Matches(%d): got %v, want %v", tt.fen, got, tt.want)
			}
		})
	}
}

func TestRefundRequestValidate(t *testing.T) {
	tests := []struct {
		name string
		r    RefundRequest
		ok   bool
	}{
		{"ok", RefundRequest{OrderID: "ORDER-1", RefundID: "REFUND-1", AmountFen: 5, TotalFen: 10}, true},
		{"full", RefundRequest{OrderID: "ORDER-1", RefundID: "REFUND-1", AmountFen: 10, TotalFen: 10}, true},
		{"over total", RefundRequest{OrderID: "ORDER-1", RefundID: "REFUND-1", AmountFen: 11, TotalFen: 10}, false},
		{"zero", RefundRequest{OrderID: "ORDER-1", RefundID: "REFUND-1", AmountFen: 0, TotalFen: 10}, false},
		{"bad refund id", RefundRequest{OrderID: "ORDER-1", RefundID: "R1", AmountFen: 5, TotalFen: 10}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.r.Validate(); (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestNotifyAck(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
	}{
		{"accepted", nil, http.StatusOK, "SUCCESS"},
		{"forged", Unauthorized(errors.New("bad signature")), http.StatusUnauthorized, "FAIL"},
		{"invalid", apperr.New(apperr.Invalid, "invalid_input"), http.StatusBadRequest, "FAIL"},
		{"our fault", errors.New("database down"), http.StatusInternalServerError, "FAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			NotifyAck(w, tt.err)
			var body struct{ Code, Message string }
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body.String(), err)
			}
			if diff := cmp.Diff([2]any{tt.wantStatus, tt.wantCode}, [2]any{w.Code, body.Code}); diff != "" {
				t.Errorf("status and code (-want +got):\n%s", diff)
			}
			if tt.err != nil && (body.Message == "" || strings.Contains(body.Message, "database")) {
				t.Errorf("got message %q, want a short reason that leaks nothing", body.Message)
			}
		})
	}
	if !apperr.Is(Unauthorized(errors.New("x")), apperr.Unauthorized) {
		t.Error("Unauthorized does not carry apperr.Unauthorized")
	}
}
