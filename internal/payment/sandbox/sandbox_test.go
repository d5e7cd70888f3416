package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
)

func TestPayAndFail(t *testing.T) {
	tests := []struct {
		name   string
		action string
		want   payment.Notification
	}{
		{"pay", "pay", payment.Notification{OrderID: "ORDER-pay1", State: payment.StatePaid, AmountFen: 1234, PaidAt: t0}},
		{"fail", "fail", payment.Notification{OrderID: "ORDER-fail1", State: payment.StateFailed, AmountFen: 1234}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			pp, err := h.p.Prepay(context.Background(), order(tt.want.OrderID, 1234), payment.MethodJSAPI)
			if err != nil {
				t.Fatalf("Prepay: %v", err)
			}
			if pp.Provider != Name || pp.Method != payment.MethodSandbox {
				t.Errorf("got provider %q method %q, want sandbox/sandbox", pp.Provider, pp.Method)
			}
			if want := h.srv.URL + "/pay/sandbox/" + tt.want.OrderID + "?sig="; !strings.HasPrefix(pp.PayURL, want) {
				t.Errorf("got PayURL %q, want prefix %q", pp.PayURL, want)
			}
			code, page := h.get(t, pp.PayURL)
			if code != http.StatusOK {
				t.Fatalf("got page status %d, want 200", code)
			}
			for _, s := range []string{"沙箱支付 — 模拟支付，不会真实扣款", "Sandbox payment — no real money", "¥12.34", "支付成功 / Pay", "支付失败 / Fail", "充电费 Charging fee"} {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			code, loc := h.press(t, pp.PayURL, tt.action)
			if code != http.StatusSeeOther || loc != "/bills/"+tt.want.OrderID {
				t.Errorf("got %d to %q, want 303 to /bills/%s", code, loc, tt.want.OrderID)
			}
			got := h.next(t)
			if diff := cmp.Diff(tt.want, got, ignoreIDs); diff != "" {
				t.Errorf("notification (-want +got):\n%s", diff)
			}
			if got.ProviderTxID == "" || got.EventID == "" {
				t.Errorf("got tx id %q event id %q, want both set", got.ProviderTxID, got.EventID)
			}
			if got.Matches(1234) != (tt.action == "pay") {
				t.Errorf("got Matches(1234) = %v after %s", got.Matches(1234), tt.action)
			}
			q, err := h.p.Query(context.Background(), tt.want.OrderID)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if diff := cmp.Diff(got, q, cmpopts.IgnoreFields(payment.Notification{}, "EventID")); diff != "" {
				t.Errorf("Query differs from notification (-notify +query):\n%s", diff)
			}
		})
	}
}

func TestPayTwiceNotifiesOnce(t *testing.T) {
	h := newHarness(t)
	pp, err := h.p.Prepay(context.Background(), order("ORDER-twice", 500), payment.MethodNative)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := h.press(t, pp.PayURL, "pay"); code != http.StatusSeeOther {
		t.Fatalf("first press: got %d, want 303", code)
	}
	h.next(t)
	if code, _ := h.press(t, pp.PayURL, "pay"); code != http.StatusConflict {
		t.Errorf("second press: got %d, want 409", code)
	}
	if code, _ := h.press(t, pp.PayURL, "fail"); code != http.StatusConflict {
		t.Errorf("fail after pay: got %d, want 409", code)
	}
	h.none(t)
	code, page := h.get(t, pp.PayURL)
	if code != http.StatusOK || strings.Contains(page, `value="pay"`) || !strings.Contains(page, "该订单已支付") {
		t.Errorf("paid page: got %d, buttons shown or no paid note:\n%s", code, page)
	}
}

func TestRetryAfterFail(t *testing.T) {
	h := newHarness(t)
	pp, err := h.p.Prepay(context.Background(), order("ORDER-retry", 800), payment.MethodSandbox)
	if err != nil {
		t.Fatal(err)
	}
	h.press(t, pp.PayURL, "fail")
	if got := h.next(t).State; got != payment.StateFailed {
		t.Errorf("got %s, want failed", got)
	}
	h.press(t, pp.PayURL, "pay")
	if got := h.next(t).State; got != payment.StatePaid {
		t.Errorf("got %s, want paid", got)
	}
}

func TestPageRefusals(t *testing.T) {
	h := newHarness(t)
	pp, err := h.p.Prepay(context.Background(), order("ORDER-refuse", 100), payment.MethodSandbox)
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.p.Prepay(context.Background(), order("ORDER-other", 100), payment.MethodSandbox)
	if err != nil {
		t.Fatal(err)
	}
	otherSig := other.PayURL[strings.Index(other.PayURL, "?"):]
	tests := []struct {
		name string
		url  string
		want int
	}{
		{"no sig", h.srv.URL + "/pay/sandbox/ORDER-refuse", http.StatusForbidden},
		{"other order's sig", h.srv.URL + "/pay/sandbox/ORDER-refuse" + otherSig, http.StatusForbidden},
		{"bad sig", h.srv.URL + "/pay/sandbox/ORDER-refuse?sig=AAAA", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _ := h.get(t, tt.url); code != tt.want {
				t.Errorf("GET: got %d, want %d", code, tt.want)
			}
			if code, _ := h.press(t, tt.url, "pay"); code != tt.want {
				t.Errorf("POST: got %d, want %d", code, tt.want)
			}
		})
	}
	t.Run("bad action", func(t *testing.T) {
		if code, _ := h.press(t, pp.PayURL, "steal"); code != http.StatusBadRequest {
			t.Errorf("got %d, want 400", code)
		}
	})
	t.Run("expired", func(t *testing.T) {
		h.clock.Advance(31 * time.Minute)
		defer h.clock.Set(t0)
		if code, _ := h.press(t, pp.PayURL, "pay"); code != http.StatusConflict {
			t.Errorf("got %d, want 409", code)
		}
	})
	t.Run("closed", func(t *testing.T) {
		if err := h.p.Close(context.Background(), "ORDER-refuse"); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if code, _ := h.press(t, pp.PayURL, "pay"); code != http.StatusConflict {
			t.Errorf("got %d, want 409", code)
		}
	})
	h.none(t)
	if q, _ := h.p.Query(context.Background(), "ORDER-refuse"); q.State != payment.StateClosed {
		t.Errorf("got state %s, want closed", q.State)
	}
}

func TestParseNotifyRejectsForgeries(t *testing.T) {
	h := newHarness(t)
	forger, err := New(Config{BaseURL: h.srv.URL, Secret: []byte("not-the-secret-0123456789"), Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	paid := payment.Notification{OrderID: "ORDER-forge", ProviderTxID: "SBX1", State: payment.StatePaid, AmountFen: 100, PaidAt: t0}
	tests := []struct {
		name   string
		mutate func(body []byte, hd http.Header) []byte
		signer *Provider
		want   apperr.Code // "" = accepted
	}{
		{"genuine", nil, h.p, ""},
		{"wrong secret", nil, forger, apperr.Unauthorized},
		{"amount raised after signing", func(b []byte, _ http.Header) []byte {
			return []byte(strings.Replace(string(b), `"amount_fen":100`, `"amount_fen":1`, 1))
		}, h.p, apperr.Unauthorized},
		{"no signature", func(b []byte, hd http.Header) []byte { hd.Del(HeaderSignature); return b }, h.p, apperr.Unauthorized},
		{"garbage signature", func(b []byte, hd http.Header) []byte { hd.Set(HeaderSignature, "!!"); return b }, h.p, apperr.Unauthorized},
		{"other nonce", func(b []byte, hd http.Header) []byte { hd.Set(HeaderNonce, "X"); return b }, h.p, apperr.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, hd, err := tt.signer.Sign(paid)
			if err != nil {
				t.Fatal(err)
			}
			if tt.mutate != nil {
				body = tt.mutate(body, hd)
			}
			r := httptest.NewRequest(http.MethodPost, payment.NotifyPath(Name), strings.NewReader(string(body)))
			r.Header = hd
			n, err := h.p.ParseNotify(context.Background(), r)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				if diff := cmp.Diff(paid, n, cmpopts.IgnoreFields(payment.Notification{}, "EventID")); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			if got := apperr.CodeOf(err); got != tt.want {
				t.Errorf("got code %q (err %v), want %q", got, err, tt.want)
			}
		})
	}
	t.Run("stale", func(t *testing.T) {
		body, hd, err := h.p.Sign(paid)
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(MaxSkew + time.Second)
		defer h.clock.Set(t0)
		r := httptest.NewRequest(http.MethodPost, payment.NotifyPath(Name), strings.NewReader(string(body)))
		r.Header = hd
		if _, err := h.p.ParseNotify(context.Background(), r); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("got %v, want unauthorized", err)
		}
	})
}

func TestRefund(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	pp, err := h.p.Prepay(ctx, order("ORDER-refund", 1000), payment.MethodSandbox)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.p.Refund(ctx, payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-0", AmountFen: 100, TotalFen: 1000}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("refund before payment: got %v, want conflict", err)
	}
	h.press(t, pp.PayURL, "pay")
	h.next(t)

	tests := []struct {
		name      string
		req       payment.RefundRequest
		want      payment.Refund
		wantErr   apperr.Code
		wantNotif bool
	}{
		{"partial", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-1", Reason: "故障", AmountFen: 300, TotalFen: 1000},
			payment.Refund{RefundID: "REFUND-1", State: payment.StateRefunded, AmountFen: 300}, "", true},
		{"same id again is idempotent", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-1", AmountFen: 300, TotalFen: 1000},
			payment.Refund{RefundID: "REFUND-1", State: payment.StateRefunded, AmountFen: 300}, "", false},
		{"same id other amount", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-1", AmountFen: 200, TotalFen: 1000},
			payment.Refund{}, apperr.Conflict, false},
		{"more than left", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-2", AmountFen: 701, TotalFen: 1000},
			payment.Refund{}, apperr.Invalid, false},
		{"wrong total", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-2", AmountFen: 10, TotalFen: 999},
			payment.Refund{}, apperr.Invalid, false},
		{"unknown order", payment.RefundRequest{OrderID: "ORDER-none", RefundID: "REFUND-3", AmountFen: 10, TotalFen: 1000},
			payment.Refund{}, apperr.NotFound, false},
		{"the rest", payment.RefundRequest{OrderID: "ORDER-refund", RefundID: "REFUND-4", AmountFen: 700, TotalFen: 1000},
			payment.Refund{RefundID: "REFUND-4", State: payment.StateRefunded, AmountFen: 700}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.p.Refund(ctx, tt.req)
			if tt.wantErr != "" {
				if c := apperr.CodeOf(err); c != tt.wantErr {
					t.Fatalf("got code %q (err %v), want %q", c, err, tt.wantErr)
				}
				h.none(t)
				return
			}
			if err != nil {
				t.Fatalf("Refund: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(payment.Refund{}, "ProviderRefundID")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if !tt.wantNotif {
				h.none(t)
				return
			}
			n := h.next(t)
			want := payment.Notification{OrderID: tt.req.OrderID, State: payment.StateRefunded, AmountFen: tt.req.AmountFen, PaidAt: t0, RefundID: tt.req.RefundID}
			if diff := cmp.Diff(want, n, ignoreIDs); diff != "" {
				t.Errorf("refund notification (-want +got):\n%s", diff)
			}
			if !n.IsRefund() || n.ProviderRefundID != got.ProviderRefundID || n.Matches(tt.req.AmountFen) {
				t.Errorf("got refund notification %+v: want IsRefund, provider id %q, never Matches", n, got.ProviderRefundID)
			}
		})
	}
	if err := h.p.Close(ctx, "ORDER-refund"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("close refunded order: got %v, want conflict", err)
	}
}

func TestPrepayAndQueryErrors(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.p.Prepay(ctx, order("ORDER-dup", 100), payment.MethodSandbox); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		o    payment.Order
		want apperr.Code
	}{
		{"short id", order("A1", 100), apperr.Invalid},
		{"id with slash", order("ORDER/../x", 100), apperr.Invalid},
		{"zero amount", order("ORDER-zero", 0), apperr.Invalid},
		{"offsite return", func() payment.Order { o := order("ORDER-evil", 100); o.ReturnURL = "https://evil.example/x"; return o }(), apperr.Invalid},
		{"scheme-relative return", func() payment.Order { o := order("ORDER-evil2", 100); o.ReturnURL = "//evil.example/x"; return o }(), apperr.Invalid},
		{"amount changed", order("ORDER-dup", 200), apperr.Conflict},
		{"same again", order("ORDER-dup", 100), ""},
		{"absolute return on our site", func() payment.Order { o := order("ORDER-abs", 100); o.ReturnURL = h.srv.URL + "/bills/x"; return o }(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.p.Prepay(ctx, tt.o, payment.MethodSandbox)
			if got := apperr.CodeOf(err); err != nil && got != tt.want || err == nil && tt.want != "" {
				t.Errorf("got %v, want code %q", err, tt.want)
			}
		})
	}
	if _, err := h.p.Query(ctx, "ORDER-none"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Query unknown: got %v, want not found", err)
	}
	if err := h.p.Close(ctx, "ORDER-none"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Close unknown: got %v, want not found", err)
	}
	for range 2 {
		if err := h.p.Close(ctx, "ORDER-dup"); err != nil {
			t.Errorf("Close: got %v, want nil (idempotent)", err)
		}
	}
}

func TestDeliveryFailureIsReconciledByQuery(t *testing.T) {
	var calls int
	p, err := New(Config{BaseURL: "http://campus.test", Secret: []byte("0123456789abcdef"), Clock: clock.NewFake(t0),
		Deliver: func(context.Context, []byte, http.Header) error { calls++; return errors.New("billing down") }})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := p.Prepay(context.Background(), order("ORDER-down", 100), payment.MethodSandbox)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(pp.PayURL)
	r := httptest.NewRequest(http.MethodPost, u.Path, strings.NewReader(url.Values{"sig": {u.Query().Get("sig")}, "action": {"pay"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	p.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303", w.Code)
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("got %d deliveries, want 1", calls)
	}
	q, err := p.Query(context.Background(), "ORDER-down")
	if err != nil || !q.Matches(100) {
		t.Errorf("got %+v, %v; want a paid order matching 100 fen", q, err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no base", Config{Secret: []byte("0123456789abcdef")}},
		{"relative base", Config{BaseURL: "/x", Secret: []byte("0123456789abcdef")}},
		{"short secret", Config{BaseURL: "http://x.test", Secret: []byte("short")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil {
				t.Error("got nil error, want one")
			}
		})
	}
}

func TestYuan(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{{0, "0.00"}, {5, "0.05"}, {100, "1.00"}, {1234, "12.34"}, {-250, "-2.50"}, {123456789, "1234567.89"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Yuan(tt.fen); got != tt.want {
				t.Errorf("Yuan(%d): got %q, want %q", tt.fen, got, tt.want)
			}
		})
	}
}
