package wechatpaytest

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Notice is one notification as WeChat Pay sends it.
type Notice struct {
	// EventType is TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL…
	EventType string
	// Resource is the plaintext resource (a transaction or refund result),
	// encrypted by Build.
	Resource any
	// At is the notification's time: its Wechatpay-Timestamp.
	At time.Time
	// APIv3Key encrypts the resource; "" means APIv3Key.
	APIv3Key string
	// Signer signs the notification; nil means WeChat Pay's key.
	Signer *rsa.PrivateKey
}

// PaidResource is the resource of a TRANSACTION.SUCCESS notification for
// an order of amountFen fen paid at at.
func PaidResource(orderID string, amountFen int64, at time.Time) map[string]any {
	return map[string]any{
		"appid": AppID, "mchid": MchID, "out_trade_no": orderID, "transaction_id": "4200000002" + orderID,
		"trade_type": "JSAPI", "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "CMC",
		"success_time": at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339), "payer": map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
		"amount": map[string]any{"total": amountFen, "payer_total": amountFen, "currency": "CNY", "payer_currency": "CNY"},
	}
}

// FailedResource is the resource of a transaction notification for an
// order in tradeState (PAYERROR, CLOSED…).
func FailedResource(orderID string, amountFen int64, tradeState string) map[string]any {
	return map[string]any{
		"appid": AppID, "mchid": MchID, "out_trade_no": orderID, "trade_type": "JSAPI", "trade_state": tradeState, "trade_state_desc": tradeState,
		"amount": map[string]any{"total": amountFen, "payer_total": 0, "currency": "CNY", "payer_currency": "CNY"},
	}
}

// RefundResource is the resource of a REFUND.SUCCESS notification: refundFen
// of an order of totalFen given back at at.
func RefundResource(orderID, refundID string, refundFen, totalFen int64, at time.Time) map[string]any {
	return map[string]any{
		"mchid": MchID, "out_trade_no": orderID, "transaction_id": "4200000002" + orderID, "out_refund_no": refundID,
		"refund_id": "50000000382019052709732678859", "refund_status": "SUCCESS", "success_time": at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339),
		"user_received_account": "招商银行信用卡0403",
		"amount":                map[string]any{"total": totalFen, "refund": refundFen, "payer_total": totalFen, "payer_refund": refundFen},
	}
}

// Build encrypts the notice's resource with AEAD_AES_256_GCM (associated
// data "transaction" or "refund") and signs the body, returning the body
// and the Wechatpay-* headers.
func (n Notice) Build(t testing.TB) ([]byte, http.Header) {
	t.Helper()
	key, signer := n.APIv3Key, n.Signer
	if key == "" {
		key = APIv3Key
	}
	if signer == nil {
		signer = TestKeys().Platform
	}
	plain, err := json.Marshal(n.Resource)
	if err != nil {
		t.Fatalf("wechatpaytest: encode resource: %v", err)
	}
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	nonce := rand.Text()[:12]
	ad, summary := "transaction", "支付成功"
	if strings.HasPrefix(n.EventType, "REFUND.") {
		ad, summary = "refund", "退款成功"
	}
	env := map[string]any{
		"id": "EV-" + rand.Text(), "create_time": n.At.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339), "resource_type": "encrypt-resource",
		"event_type": n.EventType, "summary": summary,
		"resource": map[string]string{
			"original_type": ad, "algorithm": "AEAD_AES_256_GCM", "associated_data": ad, "nonce": nonce,
			"ciphertext": base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte(ad))),
		},
	}
	body, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("wechatpaytest: encode notification: %v", err)
	}
	return body, Sign(signer, n.At, body)
}

// Request wraps a built notification as the request a notify endpoint
// receives.
func Request(body []byte, h http.Header) *http.Request {
	r, err := http.NewRequest(http.MethodPost, "http://localhost/api/v1/payments/notify/wechatpay", bytes.NewReader(body))
	if err != nil {
		panic(fmt.Sprintf("wechatpaytest: %v", err))
	}
	for k, v := range h {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

// Ack is a notify endpoint's answer.
type Ack struct {
	// Status is the HTTP status.
	Status int
	// Code is SUCCESS or FAIL.
	Code string `json:"code"`
	// Message says why it failed.
	Message string `json:"message"`
}

// Send posts a built notification (body and headers from Build, perhaps
// altered) to url, as WeChat Pay does, and returns the answer.
func Send(ctx context.Context, url string, body []byte, h http.Header) (Ack, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Ack{}, fmt.Errorf("notify %s: %w", url, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mozilla/4.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Ack{}, fmt.Errorf("notify %s: %w", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Ack{}, fmt.Errorf("notify %s: read answer: %w", url, err)
	}
	ack := Ack{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, &ack); err != nil {
		return ack, fmt.Errorf("notify %s: answer %d %q is not JSON: %w", url, resp.StatusCode, raw, err)
	}
	return ack, nil
}

// Notify builds the notice and sends it to url, failing the test if it
// cannot be delivered; it returns the endpoint's answer.
func Notify(t testing.TB, url string, n Notice) Ack {
	t.Helper()
	body, h := n.Build(t)
	ack, err := Send(context.Background(), url, body, h)
	if err != nil {
		t.Fatal(err)
	}
	return ack
}

// NotifyURL is the notify_url our server gave with an order, failing the
// test for an unknown order.
func (s *Server) NotifyURL(t testing.TB, orderID string) string {
	t.Helper()
	o, ok := s.Order(orderID)
	if !ok || o.NotifyURL == "" {
		t.Fatalf("wechatpaytest: no notify_url for order %q", orderID)
	}
	return o.NotifyURL
}
