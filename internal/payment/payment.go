package payment

import (
	"context"
	"net/http"
	"time"
	"unicode/utf8"

	"campuscharge/internal/apperr"
)

// Method is how the payer pays.
type Method string

// The payment methods.
const (
	// MethodJSAPI pays inside WeChat (in-app browser or mini program); the
	// order needs the payer's OpenID.
	MethodJSAPI Method = "jsapi"
	// MethodNative shows a QR code (a weixin:// URL) for desktop browsers.
	MethodNative Method = "native"
	// MethodSandbox opens the sandbox's simulated payment page.
	MethodSandbox Method = "sandbox"
)

// State is the state of a payment or refund as the provider reports it.
type State string

// The payment and refund states.
const (
	// StatePaying means the order awaits the payer.
	StatePaying State = "paying"
	// StatePaid means the payer paid.
	StatePaid State = "paid"
	// StateFailed means the payment failed (e.g. the bank refused it).
	StateFailed State = "failed"
	// StateClosed means the order was closed or revoked unpaid.
	StateClosed State = "closed"
	// StateRefunding means a refund was accepted and is being processed.
	StateRefunding State = "refunding"
	// StateRefunded means money went back to the payer (for an order: at
	// least one refund was made).
	StateRefunded State = "refunded"
	// StateRefundFailed means a refund was closed or went abnormal.
	StateRefundFailed State = "refund_failed"
)

// NotifyPath returns the path of the notify endpoint for the named provider,
// where providers POST their asynchronous results.
func NotifyPath(provider string) string { return "/api/v1/payments/notify/" + provider }

// MaxNotifyBytes is the largest notification body a provider reads, in bytes.
const MaxNotifyBytes = 64 << 10

// MaxDescriptionBytes is the longest order description WeChat Pay accepts, in
// bytes of UTF-8.
const MaxDescriptionBytes = 127

// Order is what the payer is asked to pay.
type Order struct {
	// ID is our order number (WeChat's out_trade_no): 6 to 32 characters of
	// [A-Za-z0-9_-].
	ID string
	// Description is shown to the payer; at most MaxDescriptionBytes bytes.
	Description string
	// AmountFen is the amount to pay, in fen; positive.
	AmountFen int64
	// PayerOpenID is the payer's OpenID under our app id (jsapi only).
	PayerOpenID string
	// ExpireAt is when the order stops accepting payment, UTC; zero means the
	// provider's default.
	ExpireAt time.Time
	// ReturnURL is where the sandbox page sends the browser afterwards (e.g.
	// the bill page); a path on our own site. Optional.
	ReturnURL string
}

// Validate reports whether the order can be sent to a provider; errors carry
// apperr.Invalid.
func (o Order) Validate() error {
	if !ValidOrderID(o.ID) {
		return apperr.Field("order.id", "bad_code")
	}
	if o.Description == "" || len(o.Description) > MaxDescriptionBytes || !utf8.ValidString(o.Description) {
		return apperr.Field("order.description", "invalid_input")
	}
	if o.AmountFen <= 0 {
		return apperr.Field("order.amount_fen", "invalid_input")
	}
	return nil
}

// ValidOrderID reports whether id is a valid order or refund number: 6 to 32
// characters of [A-Za-z0-9_-] (WeChat also allows '*', '|' and '@', which we
// never generate).
func ValidOrderID(id string) bool {
	if len(id) < 6 || len(id) > 32 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// TruncateDescription shortens s to at most MaxDescriptionBytes bytes without
// splitting a UTF-8 character.
func TruncateDescription(s string) string {
	if len(s) <= MaxDescriptionBytes {
		return s
	}
	n := MaxDescriptionBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// JSAPIParams are exactly the arguments of wx.requestPayment /
// WeixinJSBridge.invoke("getBrandWCPayRequest"), with their JSON names.
type JSAPIParams struct {
	// AppID is our WeChat app id.
	AppID string `json:"appId"`
	// TimeStamp is the signing time, in Unix seconds as a decimal string.
	TimeStamp string `json:"timeStamp"`
	// NonceStr is a random string.
	NonceStr string `json:"nonceStr"`
	// Package is "prepay_id=…".
	Package string `json:"package"`
	// SignType is "RSA".
	SignType string `json:"signType"`
	// PaySign is the base64 SHA256-RSA signature by the merchant key of
	// "appId\ntimeStamp\nnonceStr\npackage\n".
	PaySign string `json:"paySign"`
}

// Prepay is what the driver's browser needs to pay an order.
type Prepay struct {
	// Provider is the provider's name.
	Provider string
	// Method is the method actually used.
	Method Method
	// JSAPI holds the parameters for wx.requestPayment (jsapi only).
	JSAPI *JSAPIParams
	// CodeURL is the weixin:// URL to show as a QR code (native only).
	CodeURL string
	// PayURL is the page the driver opens (sandbox only).
	PayURL string
}

// Notification is a verified, decoded payment or refund result.
type Notification struct {
	// EventID is the provider's id of the notification, if any (for logs).
	EventID string
	// OrderID is our order number.
	OrderID string
	// ProviderTxID is the provider's transaction id.
	ProviderTxID string
	// State is the payment's state, or the refund's for a refund result.
	State State
	// AmountFen is the amount paid (payment) or refunded (refund), in fen.
	AmountFen int64
	// PaidAt is when the payment (or refund) succeeded, UTC; zero if it did not.
	PaidAt time.Time
	// RefundID is our refund number; set only for refund results.
	RefundID string
	// ProviderRefundID is the provider's refund id; set only for refund results.
	ProviderRefundID string
}

// IsRefund reports whether n is a refund result rather than a payment result.
func (n Notification) IsRefund() bool { return n.RefundID != "" }

// Matches reports whether n is a successful payment of exactly amountFen.
// Billing must not mark a bill paid unless this holds for the bill's total.
func (n Notification) Matches(amountFen int64) bool {
	return !n.IsRefund() && n.State == StatePaid && amountFen > 0 && n.AmountFen == amountFen
}

// RefundRequest asks for (part of) a paid order back.
type RefundRequest struct {
	// OrderID is our order number of the paid order.
	OrderID string
	// RefundID is our refund number (out_refund_no), 6 to 32 characters of
	// [A-Za-z0-9_-]; retrying with the same number is safe.
	RefundID string
	// Reason is shown to the payer; optional.
	Reason string
	// AmountFen is the amount to refund, in fen.
	AmountFen int64
	// TotalFen is the order's paid total, in fen.
	TotalFen int64
}

// Validate reports whether the request is well formed; errors carry
// apperr.Invalid.
func (r RefundRequest) Validate() error {
	if !ValidOrderID(r.OrderID) {
		return apperr.Field("refund.order_id", "bad_code")
	}
	if !ValidOrderID(r.RefundID) {
		return apperr.Field("refund.refund_id", "bad_code")
	}
	if r.AmountFen <= 0 || r.TotalFen <= 0 || r.AmountFen > r.TotalFen {
		return apperr.Field("refund.amount_fen", "out_of_range", 1, r.TotalFen)
	}
	return nil
}

// Refund is a provider's answer to a refund request.
type Refund struct {
	// RefundID is our refund number.
	RefundID string
	// ProviderRefundID is the provider's refund id.
	ProviderRefundID string
	// State is StateRefunding, StateRefunded or StateRefundFailed.
	State State
	// AmountFen is the amount refunded, in fen.
	AmountFen int64
}

// Provider is a payment provider. Implementations are safe for concurrent use.
type Provider interface {
	// Name returns the provider's name, as used in NotifyPath.
	Name() string
	// Prepay registers the order with the provider and returns what the
	// payer's browser needs to pay it.
	Prepay(ctx context.Context, o Order, m Method) (Prepay, error)
	// ParseNotify verifies and decodes an asynchronous notification request
	// (payment or refund); a forged or invalid one returns an error wrapping
	// apperr.Unauthorized and must not be trusted.
	ParseNotify(ctx context.Context, r *http.Request) (Notification, error)
	// Query asks the provider for the order's current state; an unknown
	// order is apperr.NotFound.
	Query(ctx context.Context, orderID string) (Notification, error)
	// Close closes an unpaid order so it can no longer be paid.
	Close(ctx context.Context, orderID string) error
	// Refund asks for money back; it is idempotent per RefundID.
	Refund(ctx context.Context, req RefundRequest) (Refund, error)
}

// RejectedKey is the apperr message key of a rejected notification.
const RejectedKey = "payment_notify_rejected"

// Unauthorized wraps err as a rejected (forged or invalid) notification: an
// apperr.Unauthorized error with key RejectedKey.
func Unauthorized(err error) error {
	return apperr.Wrap(err, apperr.Unauthorized, RejectedKey)
}
