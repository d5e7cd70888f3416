package wechatpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core/consts"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"campuscharge/internal/apperr"
	"campuscharge/internal/payment"
)

// MaxSkew is how far a notification's Wechatpay-Timestamp may be from now.
const MaxSkew = 5 * time.Minute

// envelope is the outer JSON of a WeChat Pay notification.
type envelope struct {
	ID           string `json:"id"`
	CreateTime   string `json:"create_time"`
	EventType    string `json:"event_type"`
	ResourceType string `json:"resource_type"`
	Summary      string `json:"summary"`
	Resource     struct {
		Algorithm      string `json:"algorithm"`
		Ciphertext     string `json:"ciphertext"`
		AssociatedData string `json:"associated_data"`
		Nonce          string `json:"nonce"`
		OriginalType   string `json:"original_type"`
	} `json:"resource"`
}

// refundResult is the decrypted resource of a REFUND.* notification.
type refundResult struct {
	MchID         string `json:"mchid"`
	OutTradeNo    string `json:"out_trade_no"`
	TransactionID string `json:"transaction_id"`
	OutRefundNo   string `json:"out_refund_no"`
	RefundID      string `json:"refund_id"`
	RefundStatus  string `json:"refund_status"`
	SuccessTime   string `json:"success_time"`
	Amount        struct {
		// Total is the order amount, in fen.
		Total int64 `json:"total"`
		// Refund is the refunded amount, in fen.
		Refund int64 `json:"refund"`
	} `json:"amount"`
}

// ParseNotify verifies a WeChat Pay notification (the Wechatpay-Signature
// over "timestamp\nnonce\nbody\n" with the key named by Wechatpay-Serial, and
// a timestamp within MaxSkew), decrypts its resource with the API v3 key and
// decodes the payment (TRANSACTION.*) or refund (REFUND.*) result. Anything
// that fails verification or decryption is apperr.Unauthorized.
func (p *Provider) ParseNotify(ctx context.Context, r *http.Request) (payment.Notification, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, payment.MaxNotifyBytes+1))
	if err != nil {
		return payment.Notification{}, fmt.Errorf("wechatpay notify: read body: %w", err)
	}
	if len(body) > payment.MaxNotifyBytes {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("wechatpay notify: body over %d bytes", payment.MaxNotifyBytes))
	}
	if err := p.verifyNotify(ctx, r.Header, body); err != nil {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("wechatpay notify: %w", err))
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return payment.Notification{}, fmt.Errorf("wechatpay notify: decode: %v: %w", err, apperr.New(apperr.Invalid, "invalid_input"))
	}
	if env.Resource.Algorithm != "AEAD_AES_256_GCM" {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("wechatpay notify %s: algorithm %q", env.ID, env.Resource.Algorithm))
	}
	plain, err := utils.DecryptAES256GCM(p.apiV3Key, env.Resource.AssociatedData, env.Resource.Nonce, env.Resource.Ciphertext)
	if err != nil {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("wechatpay notify %s: decrypt resource: %w", env.ID, err))
	}
	var n payment.Notification
	switch {
	case strings.HasPrefix(env.EventType, "TRANSACTION."):
		n, err = p.decodeTransaction([]byte(plain))
	case strings.HasPrefix(env.EventType, "REFUND."):
		n, err = p.decodeRefund([]byte(plain))
	default:
		err = fmt.Errorf("event type %q: %w", env.EventType, apperr.New(apperr.Invalid, "invalid_input"))
	}
	if err != nil {
		return payment.Notification{}, fmt.Errorf("wechatpay notify %s: %w", env.ID, err)
	}
	n.EventID = env.ID
	return n, nil
}

// verifyNotify checks the signature headers of a notification.
func (p *Provider) verifyNotify(ctx context.Context, h http.Header, body []byte) error {
	ts, nonce := h.Get(consts.WechatPayTimestamp), h.Get(consts.WechatPayNonce)
	sig, serial := h.Get(consts.WechatPaySignature), h.Get(consts.WechatPaySerial)
	if ts == "" || nonce == "" || sig == "" || serial == "" {
		return errors.New("missing Wechatpay-* signature headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("bad timestamp %q", ts)
	}
	if skew := p.clock.Now().Sub(time.Unix(sec, 0)); skew > MaxSkew || skew < -MaxSkew {
		return fmt.Errorf("timestamp %s is %s from now", ts, skew)
	}
	if err := p.verifier.Verify(ctx, serial, ts+"\n"+nonce+"\n"+string(body)+"\n", sig); err != nil {
		return fmt.Errorf("signature by %s: %w", serial, err)
	}
	return nil
}

// decodeTransaction decodes a decrypted payment result.
func (p *Provider) decodeTransaction(plain []byte) (payment.Notification, error) {
	var t transaction
	if err := json.Unmarshal(plain, &t); err != nil {
		return payment.Notification{}, fmt.Errorf("decode transaction: %v: %w", err, apperr.New(apperr.Invalid, "invalid_input"))
	}
	return p.fromTransaction(t)
}

// decodeRefund decodes a decrypted refund result.
func (p *Provider) decodeRefund(plain []byte) (payment.Notification, error) {
	var rr refundResult
	if err := json.Unmarshal(plain, &rr); err != nil {
		return payment.Notification{}, fmt.Errorf("decode refund: %v: %w", err, apperr.New(apperr.Invalid, "invalid_input"))
	}
	if rr.MchID != p.mchID {
		return payment.Notification{}, fmt.Errorf("refund for merchant %q, not ours: %w", rr.MchID, apperr.New(apperr.Invalid, "invalid_input"))
	}
	state := refundState(rr.RefundStatus)
	if state == "" || !payment.ValidOrderID(rr.OutTradeNo) || rr.OutRefundNo == "" {
		return payment.Notification{}, fmt.Errorf("refund %q of %q in status %q: %w", rr.OutRefundNo, rr.OutTradeNo, rr.RefundStatus, apperr.New(apperr.Invalid, "invalid_input"))
	}
	n := payment.Notification{
		OrderID: rr.OutTradeNo, ProviderTxID: rr.TransactionID, State: state, AmountFen: rr.Amount.Refund,
		RefundID: rr.OutRefundNo, ProviderRefundID: rr.RefundID,
	}
	if rr.SuccessTime != "" {
		at, err := time.Parse(time.RFC3339, rr.SuccessTime)
		if err != nil {
			return payment.Notification{}, fmt.Errorf("refund %s success_time %q: %w", rr.OutRefundNo, rr.SuccessTime, apperr.New(apperr.Invalid, "invalid_input"))
		}
		n.PaidAt = at.UTC()
	}
	return n, nil
}
