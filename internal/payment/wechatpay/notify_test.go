package wechatpay

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/payment"
)

// paidTx is the decrypted resource of a TRANSACTION.SUCCESS notification.
func paidTx(orderID string, fen int64) map[string]any {
	return map[string]any{
		"appid": testAppID, "mchid": testMchID, "out_trade_no": orderID, "transaction_id": "4200000002" + orderID,
		"trade_type": "JSAPI", "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "CMC",
		"success_time": "2025-03-01T16:31:05+08:00", "payer": map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
		"amount": map[string]any{"total": fen, "payer_total": fen, "currency": "CNY", "payer_currency": "CNY"},
	}
}

// refundDone is the decrypted resource of a REFUND.SUCCESS notification.
func refundDone(orderID, refundID string, fen, total int64) map[string]any {
	return map[string]any{
		"mchid": testMchID, "out_trade_no": orderID, "transaction_id": "4200000002" + orderID, "out_refund_no": refundID,
		"refund_id": "50000000382019052709732678859", "refund_status": "SUCCESS", "success_time": "2025-03-01T16:40:00+08:00",
		"user_received_account": "招商银行信用卡0403",
		"amount":                map[string]any{"total": total, "refund": fen, "payer_total": total, "payer_refund": fen},
	}
}

func TestParseNotify(t *testing.T) {
	p, _, clk := setup(t)
	k := genKeys()
	paidAt := time.Date(2025, 3, 1, 8, 31, 5, 0, time.UTC)
	genuine := func(t *testing.T, event string, res any) ([]byte, http.Header) {
		return notification(t, event, res, testAPIv3Key, k.Platform, clk.Now())
	}
	tests := []struct {
		name    string
		build   func(t *testing.T) ([]byte, http.Header)
		want    payment.Notification
		wantErr apperr.Code
	}{
		{"payment success", func(t *testing.T) ([]byte, http.Header) {
			return genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-n1", 1234))
		},
			payment.Notification{OrderID: "ORDER-n1", ProviderTxID: "4200000002ORDER-n1", State: payment.StatePaid, AmountFen: 1234, PaidAt: paidAt}, ""},
		{"amount mismatch is surfaced, not hidden", func(t *testing.T) ([]byte, http.Header) {
			return genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-n2", 1))
		},
			payment.Notification{OrderID: "ORDER-n2", ProviderTxID: "4200000002ORDER-n2", State: payment.StatePaid, AmountFen: 1, PaidAt: paidAt}, ""},
		{"refund before any payment is returned as is", func(t *testing.T) ([]byte, http.Header) {
			return genuine(t, "REFUND.SUCCESS", refundDone("ORDER-n3", "REFUND-n3", 300, 1000))
		}, payment.Notification{OrderID: "ORDER-n3", ProviderTxID: "4200000002ORDER-n3", State: payment.StateRefunded, AmountFen: 300,
			PaidAt: time.Date(2025, 3, 1, 8, 40, 0, 0, time.UTC), RefundID: "REFUND-n3", ProviderRefundID: "50000000382019052709732678859"}, ""},
		{"refund abnormal", func(t *testing.T) ([]byte, http.Header) {
			r := refundDone("ORDER-n4", "REFUND-n4", 300, 1000)
			r["refund_status"], r["success_time"] = "ABNORMAL", ""
			return genuine(t, "REFUND.ABNORMAL", r)
		}, payment.Notification{OrderID: "ORDER-n4", ProviderTxID: "4200000002ORDER-n4", State: payment.StateRefundFailed, AmountFen: 300,
			RefundID: "REFUND-n4", ProviderRefundID: "50000000382019052709732678859"}, ""},
		{"signed by a stranger", func(t *testing.T) ([]byte, http.Header) {
			return notification(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f1", 1234), testAPIv3Key, k.Stranger, clk.Now())
		}, payment.Notification{}, apperr.Unauthorized},
		{"unknown key serial", func(t *testing.T) ([]byte, http.Header) {
			b, h := genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f2", 1234))
			h.Set("Wechatpay-Serial", "PUB_KEY_ID_SOMEONE_ELSE")
			return b, h
		}, payment.Notification{}, apperr.Unauthorized},
		{"no signature", func(t *testing.T) ([]byte, http.Header) {
			b, h := genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f3", 1234))
			h.Del("Wechatpay-Signature")
			return b, h
		}, payment.Notification{}, apperr.Unauthorized},
		{"signature probe", func(t *testing.T) ([]byte, http.Header) {
			b, h := genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f4", 1234))
			h.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/"+h.Get("Wechatpay-Signature"))
			return b, h
		}, payment.Notification{}, apperr.Unauthorized},
		{"body changed after signing", func(t *testing.T) ([]byte, http.Header) {
			b, h := genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f5", 1234))
			return append(b, ' '), h
		}, payment.Notification{}, apperr.Unauthorized},
		{"tampered ciphertext, re-signed", func(t *testing.T) ([]byte, http.Header) {
			b, _ := genuine(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f6", 1234))
			b = flipCiphertext(t, b)
			return b, sign(k.Platform, clk.Now(), b)
		}, payment.Notification{}, apperr.Unauthorized},
		{"encrypted with another v3 key", func(t *testing.T) ([]byte, http.Header) {
			return notification(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f7", 1234), "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", k.Platform, clk.Now())
		}, payment.Notification{}, apperr.Unauthorized},
		{"stale timestamp", func(t *testing.T) ([]byte, http.Header) {
			return notification(t, "TRANSACTION.SUCCESS", paidTx("ORDER-f8", 1234), testAPIv3Key, k.Platform, clk.Now().Add(-MaxSkew-time.Second))
		}, payment.Notification{}, apperr.Unauthorized},
		{"another merchant", func(t *testing.T) ([]byte, http.Header) {
			tx := paidTx("ORDER-f9", 1234)
			tx["mchid"] = "1900000999"
			return genuine(t, "TRANSACTION.SUCCESS", tx)
		}, payment.Notification{}, apperr.Invalid},
		{"unknown trade state", func(t *testing.T) ([]byte, http.Header) {
			tx := paidTx("ORDER-f10", 1234)
			tx["trade_state"] = "MAYBE"
			return genuine(t, "TRANSACTION.SUCCESS", tx)
		}, payment.Notification{}, apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, h := tt.build(t)
			got, err := p.ParseNotify(context.Background(), request(body, h))
			if tt.wantErr != "" {
				if c := apperr.CodeOf(err); c != tt.wantErr {
					t.Fatalf("got code %q (err %v, notification %+v), want %q", c, err, got, tt.wantErr)
				}
				t.Logf("rejected: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("ParseNotify: %v", err)
			}
			if got.EventID == "" {
				t.Error("got no event id")
			}
			got.EventID = ""
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDuplicateNotifyIsHarmless(t *testing.T) {
	p, _, clk := setup(t)
	body, h := notification(t, "TRANSACTION.SUCCESS", paidTx("ORDER-dup", 1234), testAPIv3Key, genKeys().Platform, clk.Now())
	first, err := p.ParseNotify(context.Background(), request(body, h))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	again, err := p.ParseNotify(context.Background(), request(body, h))
	if err != nil {
		t.Fatalf("second delivery: %v", err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("second delivery differs (-first +again):\n%s", diff)
	}
	if !again.Matches(1234) || again.Matches(1233) {
		t.Errorf("got Matches(1234)=%v Matches(1233)=%v, want true, false", again.Matches(1234), again.Matches(1233))
	}
}

func TestNotifyAckForWechat(t *testing.T) {
	p, _, clk := setup(t)
	body, h := notification(t, "TRANSACTION.SUCCESS", paidTx("ORDER-ack", 1), testAPIv3Key, genKeys().Stranger, clk.Now())
	_, err := p.ParseNotify(context.Background(), request(body, h))
	w := httptest.NewRecorder()
	payment.NotifyAck(w, err)
	var got map[string]string
	if jerr := json.Unmarshal(w.Body.Bytes(), &got); jerr != nil {
		t.Fatal(jerr)
	}
	if w.Code != http.StatusUnauthorized || got["code"] != "FAIL" || got["message"] == "" {
		t.Errorf("got %d %v, want 401 with code FAIL and a message", w.Code, got)
	}
}

// flipCiphertext changes one byte of the encrypted resource of body.
func flipCiphertext(t *testing.T, body []byte) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	res := env["resource"].(map[string]any)
	ct, err := base64.StdEncoding.DecodeString(res["ciphertext"].(string))
	if err != nil {
		t.Fatal(err)
	}
	ct[len(ct)/2] ^= 0x01
	res["ciphertext"] = base64.StdEncoding.EncodeToString(ct)
	out, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
