package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/native"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"campuscharge/internal/apperr"
	"campuscharge/internal/payment"
)

// chinaTime is UTC+8, the offset WeChat Pay writes its times in.
var chinaTime = time.FixedZone("CST", 8*3600)

// Name returns "wechatpay".
func (p *Provider) Name() string { return Name }

// Prepay creates a JSAPI or Native transaction. For JSAPI it returns the
// wx.requestPayment parameters signed with the merchant key; for Native the
// code_url to show as a QR code.
func (p *Provider) Prepay(ctx context.Context, o payment.Order, m payment.Method) (payment.Prepay, error) {
	if err := o.Validate(); err != nil {
		return payment.Prepay{}, fmt.Errorf("wechatpay prepay %s: %w", o.ID, err)
	}
	var expire *time.Time
	if !o.ExpireAt.IsZero() {
		t := o.ExpireAt.Truncate(time.Second).In(chinaTime)
		expire = &t
	}
	switch m {
	case payment.MethodJSAPI:
		if o.PayerOpenID == "" {
			return payment.Prepay{}, fmt.Errorf("wechatpay prepay %s: jsapi needs the payer's OpenID: %w", o.ID, apperr.Field("order.payer_openid", "invalid_input"))
		}
		svc := jsapi.JsapiApiService{Client: p.client}
		resp, _, err := svc.Prepay(ctx, jsapi.PrepayRequest{
			Appid: core.String(p.appID), Mchid: core.String(p.mchID), Description: core.String(o.Description),
			OutTradeNo: core.String(o.ID), TimeExpire: expire, NotifyUrl: core.String(p.notifyURL),
			Amount: &jsapi.Amount{Total: core.Int64(o.AmountFen), Currency: core.String("CNY")},
			Payer:  &jsapi.Payer{Openid: core.String(o.PayerOpenID)},
		})
		if err != nil {
			return payment.Prepay{}, fmt.Errorf("wechatpay jsapi prepay %s: %w", o.ID, classify(err))
		}
		if resp.PrepayId == nil || *resp.PrepayId == "" {
			return payment.Prepay{}, fmt.Errorf("wechatpay jsapi prepay %s: no prepay_id: %w", o.ID, apperr.New(apperr.Unavailable, "unavailable"))
		}
		params, err := p.jsapiParams(ctx, *resp.PrepayId)
		if err != nil {
			return payment.Prepay{}, fmt.Errorf("wechatpay jsapi prepay %s: %w", o.ID, err)
		}
		return payment.Prepay{Provider: Name, Method: m, JSAPI: &params}, nil
	case payment.MethodNative:
		svc := native.NativeApiService{Client: p.client}
		resp, _, err := svc.Prepay(ctx, native.PrepayRequest{
			Appid: core.String(p.appID), Mchid: core.String(p.mchID), Description: core.String(o.Description),
			OutTradeNo: core.String(o.ID), TimeExpire: expire, NotifyUrl: core.String(p.notifyURL),
			Amount: &native.Amount{Total: core.Int64(o.AmountFen), Currency: core.String("CNY")},
		})
		if err != nil {
			return payment.Prepay{}, fmt.Errorf("wechatpay native prepay %s: %w", o.ID, classify(err))
		}
		if resp.CodeUrl == nil || *resp.CodeUrl == "" {
			return payment.Prepay{}, fmt.Errorf("wechatpay native prepay %s: no code_url: %w", o.ID, apperr.New(apperr.Unavailable, "unavailable"))
		}
		return payment.Prepay{Provider: Name, Method: m, CodeURL: *resp.CodeUrl}, nil
	default:
		return payment.Prepay{}, fmt.Errorf("wechatpay prepay %s: method %q: %w", o.ID, m, apperr.Field("method", "invalid_input"))
	}
}

// jsapiParams signs the wx.requestPayment parameters for a prepay id.
func (p *Provider) jsapiParams(ctx context.Context, prepayID string) (payment.JSAPIParams, error) {
	nonce, err := utils.GenerateNonce()
	if err != nil {
		return payment.JSAPIParams{}, fmt.Errorf("nonce: %w", err)
	}
	params := payment.JSAPIParams{
		AppID: p.appID, TimeStamp: strconv.FormatInt(p.clock.Now().Unix(), 10), NonceStr: nonce,
		Package: "prepay_id=" + prepayID, SignType: "RSA",
	}
	sig, err := p.client.Sign(ctx, JSAPIMessage(params))
	if err != nil {
		return payment.JSAPIParams{}, fmt.Errorf("sign payment parameters: %w", err)
	}
	params.PaySign = sig.Signature
	return params, nil
}

// JSAPIMessage is the text whose signature is paySign:
// "appId\ntimeStamp\nnonceStr\npackage\n".
func JSAPIMessage(j payment.JSAPIParams) string {
	return j.AppID + "\n" + j.TimeStamp + "\n" + j.NonceStr + "\n" + j.Package + "\n"
}

// Query asks WeChat Pay for the transaction of our order number.
func (p *Provider) Query(ctx context.Context, orderID string) (payment.Notification, error) {
	svc := native.NativeApiService{Client: p.client}
	tx, _, err := svc.QueryOrderByOutTradeNo(ctx, native.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(orderID), Mchid: core.String(p.mchID)})
	if err != nil {
		return payment.Notification{}, fmt.Errorf("wechatpay query %s: %w", orderID, classify(err))
	}
	n, err := p.fromTransaction(transactionOf(tx))
	if err != nil {
		return payment.Notification{}, fmt.Errorf("wechatpay query %s: %w", orderID, err)
	}
	return n, nil
}

// Close closes an unpaid transaction. Closing a paid one is a conflict.
func (p *Provider) Close(ctx context.Context, orderID string) error {
	svc := native.NativeApiService{Client: p.client}
	if _, err := svc.CloseOrder(ctx, native.CloseOrderRequest{OutTradeNo: core.String(orderID), Mchid: core.String(p.mchID)}); err != nil {
		return fmt.Errorf("wechatpay close %s: %w", orderID, classify(err))
	}
	return nil
}

// Refund asks for a domestic refund; WeChat Pay treats a repeated
// out_refund_no as the same refund. The result usually says refunding; the
// outcome arrives as a REFUND.* notification.
func (p *Provider) Refund(ctx context.Context, req payment.RefundRequest) (payment.Refund, error) {
	if err := req.Validate(); err != nil {
		return payment.Refund{}, fmt.Errorf("wechatpay refund %s: %w", req.RefundID, err)
	}
	cr := refunddomestic.CreateRequest{
		OutTradeNo: core.String(req.OrderID), OutRefundNo: core.String(req.RefundID), NotifyUrl: core.String(p.notifyURL),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(req.AmountFen), Total: core.Int64(req.TotalFen), Currency: core.String("CNY")},
	}
	if req.Reason != "" {
		cr.Reason = core.String(truncate(req.Reason, 80))
	}
	svc := refunddomestic.RefundsApiService{Client: p.client}
	resp, _, err := svc.Create(ctx, cr)
	if err != nil {
		return payment.Refund{}, fmt.Errorf("wechatpay refund %s of %s: %w", req.RefundID, req.OrderID, classify(err))
	}
	r := payment.Refund{RefundID: deref(resp.OutRefundNo), ProviderRefundID: deref(resp.RefundId)}
	if resp.Status != nil {
		r.State = refundState(string(*resp.Status))
	}
	if resp.Amount != nil && resp.Amount.Refund != nil {
		r.AmountFen = *resp.Amount.Refund
	}
	if r.RefundID != req.RefundID || r.State == "" {
		return payment.Refund{}, fmt.Errorf("wechatpay refund %s: answer for %q in status %q: %w", req.RefundID, r.RefundID, r.State, apperr.New(apperr.Unavailable, "unavailable"))
	}
	return r, nil
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// classify maps an SDK error to the error vocabulary, keeping it as cause.
func classify(err error) error {
	var api *core.APIError
	if !errors.As(err, &api) {
		// Network failures and answers whose signature did not verify.
		return apperr.Wrap(err, apperr.Unavailable, "unavailable")
	}
	switch api.Code {
	case "ORDERPAID", "ORDER_CLOSED", "ORDERCLOSED", "NOT_ENOUGH", "USER_ACCOUNT_ABNORMAL", "FREQUENCY_LIMITED":
		return apperr.Wrap(err, apperr.Conflict, "conflict")
	case "ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS":
		return apperr.Wrap(err, apperr.NotFound, "not_found")
	case "PARAM_ERROR", "INVALID_REQUEST", "OUT_TRADE_NO_USED":
		return apperr.Wrap(err, apperr.Invalid, "invalid_input")
	}
	if api.StatusCode == http.StatusNotFound {
		return apperr.Wrap(err, apperr.NotFound, "not_found")
	}
	if api.StatusCode >= 500 || api.StatusCode == http.StatusTooManyRequests {
		return apperr.Wrap(err, apperr.Unavailable, "unavailable")
	}
	return apperr.Wrap(err, apperr.Internal, "internal")
}

// deref returns *s or "".
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// transaction is the part of a WeChat Pay transaction we read, from a query
// answer or a decrypted notification.
type transaction struct {
	AppID         string `json:"appid"`
	MchID         string `json:"mchid"`
	OutTradeNo    string `json:"out_trade_no"`
	TransactionID string `json:"transaction_id"`
	TradeState    string `json:"trade_state"`
	SuccessTime   string `json:"success_time"`
	Amount        struct {
		// Total is the order amount, in fen.
		Total int64 `json:"total"`
	} `json:"amount"`
}

// transactionOf copies the SDK's transaction model.
func transactionOf(tx *payments.Transaction) transaction {
	var t transaction
	if tx == nil {
		return t
	}
	t.AppID, t.MchID, t.OutTradeNo = deref(tx.Appid), deref(tx.Mchid), deref(tx.OutTradeNo)
	t.TransactionID, t.TradeState, t.SuccessTime = deref(tx.TransactionId), deref(tx.TradeState), deref(tx.SuccessTime)
	if tx.Amount != nil && tx.Amount.Total != nil {
		t.Amount.Total = *tx.Amount.Total
	}
	return t
}

// fromTransaction turns a transaction into a Notification, refusing ones for
// another merchant or app.
func (p *Provider) fromTransaction(t transaction) (payment.Notification, error) {
	if t.MchID != p.mchID || (t.AppID != "" && t.AppID != p.appID) {
		return payment.Notification{}, fmt.Errorf("transaction for merchant %q app %q, not ours: %w", t.MchID, t.AppID, apperr.New(apperr.Invalid, "invalid_input"))
	}
	state := tradeState(t.TradeState)
	if state == "" || !payment.ValidOrderID(t.OutTradeNo) {
		return payment.Notification{}, fmt.Errorf("transaction %q in state %q: %w", t.OutTradeNo, t.TradeState, apperr.New(apperr.Invalid, "invalid_input"))
	}
	n := payment.Notification{OrderID: t.OutTradeNo, ProviderTxID: t.TransactionID, State: state, AmountFen: t.Amount.Total}
	if t.SuccessTime != "" {
		at, err := time.Parse(time.RFC3339, t.SuccessTime)
		if err != nil {
			return payment.Notification{}, fmt.Errorf("transaction %s success_time %q: %w", t.OutTradeNo, t.SuccessTime, apperr.New(apperr.Invalid, "invalid_input"))
		}
		n.PaidAt = at.UTC()
	}
	return n, nil
}

// tradeState maps WeChat Pay's trade_state; "" means unknown.
func tradeState(s string) payment.State {
	switch s {
	case "SUCCESS":
		return payment.StatePaid
	case "REFUND":
		return payment.StateRefunded
	case "NOTPAY", "USERPAYING", "ACCEPT":
		return payment.StatePaying
	case "CLOSED", "REVOKED":
		return payment.StateClosed
	case "PAYERROR":
		return payment.StateFailed
	}
	return ""
}

// refundState maps WeChat Pay's refund status; "" means unknown.
func refundState(s string) payment.State {
	switch s {
	case "SUCCESS":
		return payment.StateRefunded
	case "PROCESSING":
		return payment.StateRefunding
	case "CLOSED", "ABNORMAL":
		return payment.StateRefundFailed
	}
	return ""
}
