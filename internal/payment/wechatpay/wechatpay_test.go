package wechatpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/apperr"
	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
	"campuscharge/internal/payment/wechatpay/wechatpaytest"
)

var t0 = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

// setup returns a provider talking to a fresh fake WeChat Pay server; the
// test fails if the fake ever saw a badly signed request.
func setup(t *testing.T) (*Provider, *wechatpaytest.Server, *clock.Fake) {
	t.Helper()
	f := wechatpaytest.New(t)
	clk := clock.NewFake(t0)
	k := genKeys()
	p, err := New(context.Background(), Config{
		MchID: testMchID, AppID: testAppID, APIv3Key: testAPIv3Key, MchCertSerial: testMchSerial, MchPrivateKey: k.Mch,
		PublicKeyID: testPubKeyID, PublicKey: &k.Platform.PublicKey, NotifyURL: testNotifyURL, APIBaseURL: f.URL, Clock: clk,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if fails := f.AuthFailures(); len(fails) > 0 {
			t.Errorf("fake WeChat Pay refused our signatures: %v", fails)
		}
	})
	return p, f, clk
}

func testOrder(id string, fen int64) payment.Order {
	return payment.Order{ID: id, Description: "校园充电-3号桩 Charging", AmountFen: fen, PayerOpenID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", ExpireAt: t0.Add(30 * time.Minute)}
}

func TestPrepayJSAPI(t *testing.T) {
	p, f, _ := setup(t)
	pp, err := p.Prepay(context.Background(), testOrder("ORDER-jsapi1", 1234), payment.MethodJSAPI)
	if err != nil {
		t.Fatalf("Prepay: %v", err)
	}
	if pp.JSAPI == nil {
		t.Fatal("got no JSAPI params")
	}
	j := *pp.JSAPI
	want := payment.JSAPIParams{AppID: testAppID, TimeStamp: strconv.FormatInt(t0.Unix(), 10), NonceStr: j.NonceStr,
		Package: "prepay_id=wx201410272009395522657a690389285100", SignType: "RSA", PaySign: j.PaySign}
	if diff := cmp.Diff(want, j); diff != "" {
		t.Errorf("JSAPI params (-want +got):\n%s", diff)
	}
	if len(j.NonceStr) < 16 {
		t.Errorf("got nonce %q, want at least 16 characters", j.NonceStr)
	}
	sig, err := base64.StdEncoding.DecodeString(j.PaySign)
	if err != nil {
		t.Fatalf("paySign not base64: %v", err)
	}
	sum := sha256.Sum256([]byte(testAppID + "\n" + j.TimeStamp + "\n" + j.NonceStr + "\n" + j.Package + "\n"))
	if err := rsa.VerifyPKCS1v15(&genKeys().Mch.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("paySign does not verify with the merchant public key: %v", err)
	}
	wantBody := map[string]any{
		"appid": testAppID, "mchid": testMchID, "description": "校园充电-3号桩 Charging", "out_trade_no": "ORDER-jsapi1",
		"time_expire": "2025-03-01T17:00:00+08:00", "notify_url": testNotifyURL,
		"amount": map[string]any{"total": float64(1234), "currency": "CNY"},
		"payer":  map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
	}
	if diff := cmp.Diff(wantBody, f.LastBody()); diff != "" {
		t.Errorf("request body (-want +got):\n%s", diff)
	}
}

func TestPrepayNative(t *testing.T) {
	p, f, _ := setup(t)
	pp, err := p.Prepay(context.Background(), testOrder("ORDER-native1", 50), payment.MethodNative)
	if err != nil {
		t.Fatalf("Prepay: %v", err)
	}
	want := payment.Prepay{Provider: Name, Method: payment.MethodNative, CodeURL: "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}
	if diff := cmp.Diff(want, pp); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := f.LastBody()["payer"]; ok {
		t.Error("native request carries a payer")
	}
}

func TestPrepayErrors(t *testing.T) {
	p, f, _ := setup(t)
	ctx := context.Background()
	if _, err := p.Prepay(ctx, testOrder("ORDER-paid", 100), payment.MethodNative); err != nil {
		t.Fatal(err)
	}
	f.Pay(t, "ORDER-paid", t0)
	noOpenID := testOrder("ORDER-noid", 100)
	noOpenID.PayerOpenID = ""
	tests := []struct {
		name string
		o    payment.Order
		m    payment.Method
		want apperr.Code
	}{
		{"jsapi without openid", noOpenID, payment.MethodJSAPI, apperr.Invalid},
		{"sandbox method", testOrder("ORDER-sbx", 100), payment.MethodSandbox, apperr.Invalid},
		{"bad order id", testOrder("no", 100), payment.MethodNative, apperr.Invalid},
		{"description too long", func() payment.Order {
			o := testOrder("ORDER-long", 100)
			o.Description = strings.Repeat("充", 43)
			return o
		}(), payment.MethodNative, apperr.Invalid},
		{"already paid", testOrder("ORDER-paid", 100), payment.MethodNative, apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Prepay(ctx, tt.o, tt.m)
			if got := apperr.CodeOf(err); got != tt.want {
				t.Errorf("got code %q (err %v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestForgedAnswerIsRefused(t *testing.T) {
	p, f, _ := setup(t)
	f.SignAnswersWith(genKeys().Stranger)
	_, err := p.Prepay(context.Background(), testOrder("ORDER-forged", 100), payment.MethodNative)
	if !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("got %v, want unavailable (answer signature must not verify)", err)
	}
}

func TestFakeRefusesWrongMerchantKey(t *testing.T) {
	f := wechatpaytest.New(t)
	k := genKeys()
	p, err := New(context.Background(), Config{
		MchID: testMchID, AppID: testAppID, APIv3Key: testAPIv3Key, MchCertSerial: testMchSerial, MchPrivateKey: k.Stranger,
		PublicKeyID: testPubKeyID, PublicKey: &k.Platform.PublicKey, NotifyURL: testNotifyURL, APIBaseURL: f.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Prepay(context.Background(), testOrder("ORDER-badkey", 100), payment.MethodNative); err == nil {
		t.Error("got nil error, want the fake to refuse a request signed with another key")
	}
	if got := len(f.AuthFailures()); got != 1 {
		t.Errorf("got %d auth failures, want 1", got)
	}
}

func TestQueryAndClose(t *testing.T) {
	p, f, _ := setup(t)
	ctx := context.Background()
	for _, id := range []string{"ORDER-q-paid", "ORDER-q-open"} {
		if _, err := p.Prepay(ctx, testOrder(id, 880), payment.MethodNative); err != nil {
			t.Fatal(err)
		}
	}
	f.Pay(t, "ORDER-q-paid", t0.Add(time.Minute))

	got, err := p.Query(ctx, "ORDER-q-paid")
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	want := payment.Notification{OrderID: "ORDER-q-paid", ProviderTxID: "4200000001ORDER-q-paid", State: payment.StatePaid, AmountFen: 880, PaidAt: t0.Add(time.Minute)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Query paid (-want +got):\n%s", diff)
	}
	got, err = p.Query(ctx, "ORDER-q-open")
	if err != nil || got.State != payment.StatePaying {
		t.Errorf("Query open: got %+v, %v; want paying", got, err)
	}
	if _, err := p.Query(ctx, "ORDER-q-none"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Query unknown: got %v, want not found", err)
	}

	if err := p.Close(ctx, "ORDER-q-open"); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got, err := p.Query(ctx, "ORDER-q-open"); err != nil || got.State != payment.StateClosed {
		t.Errorf("after Close: got %+v, %v; want closed", got, err)
	}
	if err := p.Close(ctx, "ORDER-q-paid"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("Close paid: got %v, want conflict", err)
	}
}

func TestRefund(t *testing.T) {
	p, f, _ := setup(t)
	ctx := context.Background()
	if _, err := p.Prepay(ctx, testOrder("ORDER-r1", 1000), payment.MethodNative); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Refund(ctx, payment.RefundRequest{OrderID: "ORDER-r1", RefundID: "REFUND-r0", AmountFen: 100, TotalFen: 1000}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("refund unpaid: got %v, want invalid", err)
	}
	f.Pay(t, "ORDER-r1", t0)
	got, err := p.Refund(ctx, payment.RefundRequest{OrderID: "ORDER-r1", RefundID: "REFUND-r1", Reason: "充电桩故障", AmountFen: 300, TotalFen: 1000})
	if err != nil {
		t.Fatalf("Refund: %v", err)
	}
	want := payment.Refund{RefundID: "REFUND-r1", ProviderRefundID: "50000000382019052709732678859", State: payment.StateRefunding, AmountFen: 300}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantBody := map[string]any{"out_trade_no": "ORDER-r1", "out_refund_no": "REFUND-r1", "reason": "充电桩故障", "notify_url": testNotifyURL,
		"amount": map[string]any{"refund": float64(300), "total": float64(1000), "currency": "CNY"}}
	if diff := cmp.Diff(wantBody, f.LastBody()); diff != "" {
		t.Errorf("request body (-want +got):\n%s", diff)
	}
	if _, err := p.Refund(ctx, payment.RefundRequest{OrderID: "ORDER-r1", RefundID: "REFUND-r2", AmountFen: 2000, TotalFen: 1000}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("refund above total: got %v, want invalid", err)
	}
	if q, err := p.Query(ctx, "ORDER-r1"); err != nil || q.State != payment.StateRefunded {
		t.Errorf("Query after refund: got %+v, %v; want refunded", q, err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	k := genKeys()
	good := Config{MchID: testMchID, AppID: testAppID, APIv3Key: testAPIv3Key, MchCertSerial: testMchSerial, MchPrivateKey: k.Mch,
		PublicKeyID: testPubKeyID, PublicKey: &k.Platform.PublicKey, NotifyURL: testNotifyURL}
	tests := []struct {
		name   string
		mutate func(*Config)
	}{
		{"no mchid", func(c *Config) { c.MchID = "" }},
		{"no appid", func(c *Config) { c.AppID = "" }},
		{"short v3 key", func(c *Config) { c.APIv3Key = "short" }},
		{"no serial", func(c *Config) { c.MchCertSerial = "" }},
		{"no private key", func(c *Config) { c.MchPrivateKey = nil }},
		{"no wechat key", func(c *Config) { c.PublicKey = nil }},
		{"no public key id", func(c *Config) { c.PublicKeyID = "" }},
		{"relative notify url", func(c *Config) { c.NotifyURL = "/api/v1/payments/notify/wechatpay" }},
		{"notify url with query", func(c *Config) { c.NotifyURL = testNotifyURL + "?x=1" }},
		{"missing key file", func(c *Config) { c.MchPrivateKey, c.MchPrivateKeyPath = nil, "/nonexistent/apiclient_key.pem" }},
		{"bad api base", func(c *Config) { c.APIBaseURL = "ftp://x" }},
	}
	if _, err := New(context.Background(), good); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mutate(&c)
			if _, err := New(context.Background(), c); err == nil {
				t.Error("got nil error, want one")
			}
		})
	}
}

func TestNewLoadsPEMFiles(t *testing.T) {
	f := wechatpaytest.New(t)
	p, err := New(context.Background(), Config{MchID: testMchID, AppID: testAppID, APIv3Key: testAPIv3Key, MchCertSerial: testMchSerial,
		MchPrivateKeyPath: f.MchPrivateKeyPath, PublicKeyID: testPubKeyID, PublicKeyPath: f.PublicKeyPath, NotifyURL: testNotifyURL, APIBaseURL: f.URL})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := p.Prepay(context.Background(), testOrder("ORDER-pem", 1), payment.MethodNative); err != nil {
		t.Errorf("Prepay with keys from files: %v", err)
	}
	if fails := f.AuthFailures(); len(fails) > 0 {
		t.Errorf("fake refused our signatures: %v", fails)
	}
}

func TestStateMaps(t *testing.T) {
	trade := map[string]payment.State{"SUCCESS": payment.StatePaid, "REFUND": payment.StateRefunded, "NOTPAY": payment.StatePaying,
		"USERPAYING": payment.StatePaying, "CLOSED": payment.StateClosed, "REVOKED": payment.StateClosed, "PAYERROR": payment.StateFailed, "WHAT": ""}
	for in, want := range trade {
		t.Run("trade "+in, func(t *testing.T) {
			if got := tradeState(in); got != want {
				t.Errorf("tradeState(%q): got %q, want %q", in, got, want)
			}
		})
	}
	refund := map[string]payment.State{"SUCCESS": payment.StateRefunded, "PROCESSING": payment.StateRefunding,
		"CLOSED": payment.StateRefundFailed, "ABNORMAL": payment.StateRefundFailed, "WHAT": ""}
	for in, want := range refund {
		t.Run("refund "+in, func(t *testing.T) {
			if got := refundState(in); got != want {
				t.Errorf("refundState(%q): got %q, want %q", in, got, want)
			}
		})
	}
}
