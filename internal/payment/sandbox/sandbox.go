package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
)

// Name is the sandbox provider's name.
const Name = "sandbox"

// PagePath is the path prefix of the sandbox payment page; the order id
// follows it.
const PagePath = "/pay/sandbox/"

// minSecretBytes is the shortest accepted HMAC secret, in bytes.
const minSecretBytes = 16

// notifyTimeout bounds one delivery of a notification.
const notifyTimeout = 10 * time.Second

// Config configures a sandbox Provider.
type Config struct {
	// BaseURL is the site's public base URL, e.g. "https://charge.example.edu";
	// the payment page and the notify endpoint are under it.
	BaseURL string
	// Secret is the HMAC-SHA256 key for page links and notifications; at
	// least 16 bytes.
	Secret []byte
	// Clock gives the time; defaults to clock.Real.
	Clock clock.Clock
	// Deliver sends a signed notification to the notify endpoint; by default
	// it POSTs body and header to BaseURL + payment.NotifyPath("sandbox").
	Deliver func(ctx context.Context, body []byte, header http.Header) error
	// HTTPClient is used by the default Deliver; defaults to a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	// Logger logs failed deliveries; defaults to slog.Default().
	Logger *slog.Logger
}

// Provider is the sandbox payment provider. It is safe for concurrent use.
type Provider struct {
	baseURL string
	secret  []byte
	clock   clock.Clock
	deliver func(ctx context.Context, body []byte, header http.Header) error
	log     *slog.Logger

	mu     sync.Mutex
	orders map[string]*record

	inflight sync.WaitGroup
}

var _ payment.Provider = (*Provider)(nil)

// record is what the sandbox knows about one order.
type record struct {
	order       payment.Order
	state       payment.State
	txID        string
	paidAt      time.Time
	refundedFen int64
	refunds     map[string]payment.Refund
}

// New returns a sandbox provider.
func New(cfg Config) (*Provider, error) {
	base := strings.TrimRight(cfg.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sandbox payment: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if len(cfg.Secret) < minSecretBytes {
		return nil, fmt.Errorf("sandbox payment: secret has %d bytes, want at least %d", len(cfg.Secret), minSecretBytes)
	}
	p := &Provider{
		baseURL: base,
		secret:  append([]byte(nil), cfg.Secret...),
		clock:   cfg.Clock,
		deliver: cfg.Deliver,
		log:     cfg.Logger,
		orders:  make(map[string]*record),
	}
	if p.clock == nil {
		p.clock = clock.Real{}
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.deliver == nil {
		hc := cfg.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: notifyTimeout}
		}
		p.deliver = postTo(hc, base+payment.NotifyPath(Name))
	}
	return p, nil
}

// Name returns "sandbox".
func (p *Provider) Name() string { return Name }

// Prepay records the order and returns the URL of its payment page. Any
// method is accepted and answered with MethodSandbox. Prepaying the same
// order again returns a fresh link; changing its amount or prepaying a paid
// order is a conflict.
func (p *Provider) Prepay(_ context.Context, o payment.Order, _ payment.Method) (payment.Prepay, error) {
	if err := o.Validate(); err != nil {
		return payment.Prepay{}, fmt.Errorf("sandbox prepay %s: %w", o.ID, err)
	}
	if o.ReturnURL != "" && !p.sameSite(o.ReturnURL) {
		return payment.Prepay{}, fmt.Errorf("sandbox prepay %s: %w", o.ID, apperr.Field("order.return_url", "invalid_input"))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if rec, ok := p.orders[o.ID]; ok {
		switch {
		case rec.order.AmountFen != o.AmountFen:
			return payment.Prepay{}, fmt.Errorf("sandbox prepay %s: amount changed from %d to %d fen: %w",
				o.ID, rec.order.AmountFen, o.AmountFen, apperr.New(apperr.Conflict, "conflict"))
		case rec.state != payment.StatePaying && rec.state != payment.StateFailed:
			return payment.Prepay{}, fmt.Errorf("sandbox prepay %s: order is %s: %w", o.ID, rec.state, apperr.New(apperr.Conflict, "conflict"))
		}
		rec.order = o
	} else {
		p.orders[o.ID] = &record{order: o, state: payment.StatePaying}
	}
	return payment.Prepay{
		Provider: Name,
		Method:   payment.MethodSandbox,
		PayURL:   p.baseURL + PagePath + url.PathEscape(o.ID) + "?sig=" + p.pageSig(o.ID),
	}, nil
}

// sameSite reports whether u is a path on our site or an absolute URL under
// BaseURL, so the page never redirects elsewhere.
func (p *Provider) sameSite(u string) bool {
	if strings.HasPrefix(u, "/") {
		return !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, "/\\")
	}
	return strings.HasPrefix(u, p.baseURL+"/")
}

// Query returns the sandbox's view of the order; AmountFen is the order's
// amount and PaidAt is set once paid.
func (p *Provider) Query(_ context.Context, orderID string) (payment.Notification, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec, ok := p.orders[orderID]
	if !ok {
		return payment.Notification{}, fmt.Errorf("sandbox query %s: %w", orderID, apperr.New(apperr.NotFound, "not_found"))
	}
	return rec.notification(), nil
}

// notification describes the payment as it stands.
func (r *record) notification() payment.Notification {
	return payment.Notification{
		OrderID:      r.order.ID,
		ProviderTxID: r.txID,
		State:        r.state,
		AmountFen:    r.order.AmountFen,
		PaidAt:       r.paidAt,
	}
}

// Close closes an unpaid order; closing it again is harmless, closing a paid
// one is a conflict.
func (p *Provider) Close(_ context.Context, orderID string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec, ok := p.orders[orderID]
	if !ok {
		return fmt.Errorf("sandbox close %s: %w", orderID, apperr.New(apperr.NotFound, "not_found"))
	}
	switch rec.state {
	case payment.StatePaying, payment.StateFailed, payment.StateClosed:
		rec.state = payment.StateClosed
		return nil
	default:
		return fmt.Errorf("sandbox close %s: order is %s: %w", orderID, rec.state, apperr.New(apperr.Conflict, "conflict"))
	}
}

// Refund refunds (part of) a paid order at once and sends a refund
// notification. Repeating a RefundID returns the first result.
func (p *Provider) Refund(ctx context.Context, req payment.RefundRequest) (payment.Refund, error) {
	if err := req.Validate(); err != nil {
		return payment.Refund{}, fmt.Errorf("sandbox refund %s: %w", req.RefundID, err)
	}
	p.mu.Lock()
	rec, ok := p.orders[req.OrderID]
	if !ok {
		p.mu.Unlock()
		return payment.Refund{}, fmt.Errorf("sandbox refund %s of %s: %w", req.RefundID, req.OrderID, apperr.New(apperr.NotFound, "not_found"))
	}
	if prev, ok := rec.refunds[req.RefundID]; ok {
		p.mu.Unlock()
		if prev.AmountFen != req.AmountFen {
			return payment.Refund{}, fmt.Errorf("sandbox refund %s: amount differs from the first request: %w", req.RefundID, apperr.New(apperr.Conflict, "conflict"))
		}
		return prev, nil
	}
	if err := rec.checkRefund(req); err != nil {
		p.mu.Unlock()
		return payment.Refund{}, fmt.Errorf("sandbox refund %s of %s: %w", req.RefundID, req.OrderID, err)
	}
	now := p.clock.Now().UTC()
	ref := payment.Refund{RefundID: req.RefundID, ProviderRefundID: "SBR" + randomText(), State: payment.StateRefunded, AmountFen: req.AmountFen}
	if rec.refunds == nil {
		rec.refunds = make(map[string]payment.Refund)
	}
	rec.refunds[req.RefundID] = ref
	rec.refundedFen += req.AmountFen
	rec.state = payment.StateRefunded
	n := payment.Notification{
		OrderID: req.OrderID, ProviderTxID: rec.txID, State: payment.StateRefunded, AmountFen: req.AmountFen,
		PaidAt: now, RefundID: ref.RefundID, ProviderRefundID: ref.ProviderRefundID,
	}
	p.mu.Unlock()
	p.notifyAsync(ctx, n)
	return ref, nil
}

// checkRefund reports whether req fits the order.
func (r *record) checkRefund(req payment.RefundRequest) error {
	if r.state != payment.StatePaid && r.state != payment.StateRefunded {
		return fmt.Errorf("order is %s: %w", r.state, apperr.New(apperr.Conflict, "conflict"))
	}
	if req.TotalFen != r.order.AmountFen {
		return fmt.Errorf("total %d fen, order paid %d fen: %w", req.TotalFen, r.order.AmountFen, apperr.Field("refund.total_fen", "invalid_input"))
	}
	if left := r.order.AmountFen - r.refundedFen; req.AmountFen > left {
		return fmt.Errorf("%d fen asked, %d fen left: %w", req.AmountFen, left, apperr.Field("refund.amount_fen", "out_of_range", 1, left))
	}
	return nil
}

// Wait blocks until notifications in flight are delivered (or fail), or ctx
// ends. Call it when shutting down.
func (p *Provider) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { p.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("sandbox: wait for notifications: %w", ctx.Err())
	}
}

// pageSig signs the link to an order's payment page.
func (p *Provider) pageSig(orderID string) string {
	return base64.RawURLEncoding.EncodeToString(p.mac("page\n" + orderID + "\n"))
}

// validPageSig reports whether sig is the page signature of orderID.
func (p *Provider) validPageSig(orderID, sig string) bool {
	got, err := base64.RawURLEncoding.DecodeString(sig)
	return err == nil && hmac.Equal(got, p.mac("page\n"+orderID+"\n"))
}

// mac is HMAC-SHA256(secret, msg).
func (p *Provider) mac(msg string) []byte {
	h := hmac.New(sha256.New, p.secret)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
