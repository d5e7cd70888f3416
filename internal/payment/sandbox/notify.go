package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/payment"
)

// The headers of a sandbox notification.
const (
	// HeaderTimestamp carries the signing time, in Unix seconds.
	HeaderTimestamp = "Sandbox-Timestamp"
	// HeaderNonce carries a random string.
	HeaderNonce = "Sandbox-Nonce"
	// HeaderSignature carries base64(HMAC-SHA256(secret,
	// "notify\n" + timestamp + "\n" + nonce + "\n" + body + "\n")).
	HeaderSignature = "Sandbox-Signature"
)

// MaxSkew is how far a notification's timestamp may be from now.
const MaxSkew = 5 * time.Minute

// wireNotification is the JSON body of a sandbox notification.
type wireNotification struct {
	EventID          string        `json:"event_id"`
	OrderID          string        `json:"order_id"`
	TransactionID    string        `json:"transaction_id,omitempty"`
	State            payment.State `json:"state"`
	AmountFen        int64         `json:"amount_fen"`
	SuccessTime      *time.Time    `json:"success_time,omitempty"`
	RefundID         string        `json:"refund_id,omitempty"`
	ProviderRefundID string        `json:"provider_refund_id,omitempty"`
}

// Sign encodes n as a signed notification: the body and the headers to send
// with it. The handler uses it; tests may use it to forge variations.
func (p *Provider) Sign(n payment.Notification) ([]byte, http.Header, error) {
	w := wireNotification{
		EventID: "SBE" + randomText(), OrderID: n.OrderID, TransactionID: n.ProviderTxID, State: n.State,
		AmountFen: n.AmountFen, RefundID: n.RefundID, ProviderRefundID: n.ProviderRefundID,
	}
	if !n.PaidAt.IsZero() {
		t := n.PaidAt.UTC()
		w.SuccessTime = &t
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: encode notification for %s: %w", n.OrderID, err)
	}
	ts := strconv.FormatInt(p.clock.Now().Unix(), 10)
	nonce := randomText()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(p.mac(notifyMessage(ts, nonce, body))))
	return body, h, nil
}

// notifyMessage is the signed text of a notification.
func notifyMessage(ts, nonce string, body []byte) string {
	return "notify\n" + ts + "\n" + nonce + "\n" + string(body) + "\n"
}

// ParseNotify verifies the HMAC and timestamp of a sandbox notification and
// decodes it. Anything unsigned, badly signed or stale is rejected with
// apperr.Unauthorized.
func (p *Provider) ParseNotify(_ context.Context, r *http.Request) (payment.Notification, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, payment.MaxNotifyBytes+1))
	if err != nil {
		return payment.Notification{}, fmt.Errorf("sandbox notify: read body: %w", err)
	}
	if len(body) > payment.MaxNotifyBytes {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("sandbox notify: body over %d bytes", payment.MaxNotifyBytes))
	}
	if err := p.verify(r.Header, body); err != nil {
		return payment.Notification{}, payment.Unauthorized(fmt.Errorf("sandbox notify: %w", err))
	}
	var w wireNotification
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return payment.Notification{}, fmt.Errorf("sandbox notify: decode: %v: %w", err, apperr.New(apperr.Invalid, "invalid_input"))
	}
	if !payment.ValidOrderID(w.OrderID) || !knownState(w.State) || w.AmountFen < 0 {
		return payment.Notification{}, fmt.Errorf("sandbox notify: bad fields in %s: %w", w.OrderID, apperr.New(apperr.Invalid, "invalid_input"))
	}
	n := payment.Notification{
		EventID: w.EventID, OrderID: w.OrderID, ProviderTxID: w.TransactionID, State: w.State, AmountFen: w.AmountFen,
		RefundID: w.RefundID, ProviderRefundID: w.ProviderRefundID,
	}
	if w.SuccessTime != nil {
		n.PaidAt = w.SuccessTime.UTC()
	}
	return n, nil
}

// verify checks the signature headers of a notification body.
func (p *Provider) verify(h http.Header, body []byte) error {
	ts, nonce, sig := h.Get(HeaderTimestamp), h.Get(HeaderNonce), h.Get(HeaderSignature)
	if ts == "" || nonce == "" || sig == "" {
		return errors.New("missing signature headers")
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, p.mac(notifyMessage(ts, nonce, body))) {
		return errors.New("bad signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("bad timestamp %q", ts)
	}
	if skew := p.clock.Now().Sub(time.Unix(sec, 0)); skew > MaxSkew || skew < -MaxSkew {
		return fmt.Errorf("timestamp %s is %s from now", ts, skew)
	}
	return nil
}

// knownState reports whether s is one of the payment states.
func knownState(s payment.State) bool {
	switch s {
	case payment.StatePaying, payment.StatePaid, payment.StateFailed, payment.StateClosed,
		payment.StateRefunding, payment.StateRefunded, payment.StateRefundFailed:
		return true
	}
	return false
}

// notifyAsync signs n and delivers it in the background, like a real
// provider's callback; Wait waits for it.
func (p *Provider) notifyAsync(ctx context.Context, n payment.Notification) {
	body, h, err := p.Sign(n)
	if err != nil {
		p.log.Error("sandbox payment: sign notification", "order_id", n.OrderID, "err", err)
		return
	}
	ctx = context.WithoutCancel(ctx)
	p.inflight.Add(1)
	go func() {
		defer p.inflight.Done()
		ctx, cancel := context.WithTimeout(ctx, notifyTimeout)
		defer cancel()
		if err := p.deliver(ctx, body, h); err != nil {
			p.log.Warn("sandbox payment: notification not acknowledged; billing will see it through Query",
				"order_id", n.OrderID, "state", n.State, "err", err)
		}
	}()
}

// postTo returns a Deliver that POSTs to notifyURL and wants a 2xx answer.
func postTo(hc *http.Client, notifyURL string) func(context.Context, []byte, http.Header) error {
	return func(ctx context.Context, body []byte, h http.Header) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, notifyURL, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("sandbox notify request: %w", err)
		}
		for k, v := range h {
			req.Header[k] = v
		}
		resp, err := hc.Do(req)
		if err != nil {
			return fmt.Errorf("sandbox notify %s: %w", notifyURL, err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("sandbox notify %s: HTTP %d", notifyURL, resp.StatusCode)
		}
		return nil
	}
}

// randomText returns a random 26-character base32 string.
func randomText() string { return rand.Text() }
