package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"campuscharge/internal/config"
	"campuscharge/internal/payment/wechatpay/wechatpaytest"
	"campuscharge/internal/testutil"
)

// fakeWeChatLogin answers jscode2session: code "c-<x>" logs in openid "o-<x>".
func fakeWeChatLogin(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code, ok := strings.CutPrefix(q.Get("js_code"), "c-")
		if r.URL.Path != "/sns/jscode2session" || q.Get("appid") != wechatpaytest.AppID || q.Get("secret") != "wx-secret" || !ok {
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40029, "errmsg": "invalid code"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"openid": "o-" + code, "session_key": "k"})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// startWeChatServer starts a server whose payments go to a fake WeChat Pay
// and whose drivers log in through a fake WeChat.
func startWeChatServer(t *testing.T, e testutil.Engine) (*testServer, *wechatpaytest.Server) {
	t.Helper()
	fake := wechatpaytest.New(t)
	login := fakeWeChatLogin(t)
	s := startServer(t, e, func(c *config.Config) {
		c.WeChatAppID, c.WeChatSecret, c.WeChatBaseURL = wechatpaytest.AppID, "wx-secret", login
		c.WeChatPayMchID, c.WeChatPayAPIv3Key, c.WeChatPayCertSerial = wechatpaytest.MchID, wechatpaytest.APIv3Key, wechatpaytest.MchCertSerial
		c.WeChatPayPrivateKey, c.WeChatPayPublicKey, c.WeChatPayPublicKeyID = fake.MchPrivateKeyPath, fake.PublicKeyPath, wechatpaytest.PublicKeyID
		c.WeChatPayAPIBaseURL = fake.URL
	})
	t.Cleanup(func() {
		if fails := fake.AuthFailures(); len(fails) > 0 {
			t.Errorf("fake WeChat Pay refused our request signatures: %v", fails)
		}
	})
	return s, fake
}

// billDetail is GET /api/v1/bills/{id}: the bill and its payments.
func (s *testServer) billDetail(id, token string) (map[string]any, []any) {
	s.t.Helper()
	status, body := s.call("GET", "/api/v1/bills/"+id, token, nil)
	if status != http.StatusOK {
		s.t.Fatalf("GET bill %s: %d %v", id, status, body)
	}
	return body["bill"].(map[string]any), body["payments"].([]any)
}

// TestWeChatPayEndToEnd: a driver logged in through WeChat pays bills by
// Native (QR) and JSAPI against a fake WeChat Pay that checks our
// signatures; its notifications mark bills paid once, out-of-order and
// duplicate ones are harmless, forged ones are refused with 401 and change
// nothing, a wrong amount is refused and flagged, and refunds go back
// through WeChat Pay, on every configured database.
func TestWeChatPayEndToEnd(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s, fake := startWeChatServer(t, e)
			keys := wechatpaytest.TestKeys()
			admin := s.login("admin", "admin-password")
			if status, _ := s.call("POST", "/api/v1/auth/dev-login", "", map[string]any{"phone": "13900002222"}); status != http.StatusForbidden {
				t.Errorf("dev login with WeChat configured: got %d, want 403", status)
			}
			status, login := s.call("POST", "/api/v1/auth/wechat", "", map[string]any{"code": "c-driver1", "source": "miniprogram"})
			if status != http.StatusOK {
				t.Fatalf("WeChat login: %d %v", status, login)
			}
			driver := login["token"].(string)
			_, password := s.registerCharger(admin, "CP-WX-1", "fast", 60000)
			cp := s.connect("CP-WX-1", password)
			tag := s.appTag(driver)
			start := s.clock.Now().Add(-48 * time.Hour).Truncate(time.Hour)
			cp.charge(t, tag, start, start.Add(time.Hour), 20000)
			cp.charge(t, tag, start.Add(2*time.Hour), start.Add(3*time.Hour), 10000)
			_, bills := s.callList("GET", "/api/v1/bills", driver)
			if len(bills) != 2 {
				t.Fatalf("got %d bills, want 2", len(bills))
			}
			native, jsapi := bills[1], bills[0] // newest first
			for _, b := range bills {
				if b["status"] != "unpaid" || b["total_fen"].(float64) <= 0 {
					t.Fatalf("new bill = %v, want unpaid with money due", b)
				}
			}

			t.Run("native, paid, duplicate and out-of-order notifications, refund", func(t *testing.T) {
				id, total := native["id"].(string), native["total_fen"].(float64)
				status, pay := s.call("POST", "/api/v1/bills/"+id+"/pay", driver, map[string]any{"provider": "wechatpay", "method": "native"})
				if status != http.StatusOK || pay["provider"] != "wechatpay" || pay["method"] != "native" || pay["amount_fen"] != total ||
					!strings.HasPrefix(pay["code_url"].(string), "weixin://wxpay/") {
					t.Fatalf("pay native: %d %v", status, pay)
				}
				pid := pay["payment_id"].(string)
				if o, ok := fake.Order(pid); !ok || o.TotalFen != int64(total) || o.TradeType != "NATIVE" {
					t.Fatalf("fake's order = %+v, %v; want a native order of %v fen", o, ok, total)
				}
				if b, _ := s.billDetail(id, driver); b["status"] != "paying" {
					t.Errorf("bill while paying: got status %v, want paying", b["status"])
				}
				url := fake.NotifyURL(t, pid)
				if !strings.HasPrefix(url, s.URL) || !strings.HasSuffix(url, "/api/v1/payments/notify/wechatpay") {
					t.Fatalf("notify_url %q does not point at this server's notify path", url)
				}

				fake.Pay(t, pid, s.clock.Now())
				body, h := wechatpaytest.Notice{EventType: "TRANSACTION.SUCCESS", Resource: wechatpaytest.PaidResource(pid, int64(total), s.clock.Now()), At: s.clock.Now()}.Build(t)
				for i := range 2 { // the second is WeChat Pay retrying the same notification
					ack, err := wechatpaytest.Send(t.Context(), url, body, h)
					if err != nil || ack.Status != http.StatusOK || ack.Code != "SUCCESS" {
						t.Fatalf("delivery %d: got %+v, %v; want 200 SUCCESS", i+1, ack, err)
					}
				}
				paid, payments := s.billDetail(id, driver)
				if paid["status"] != "paid" || paid["paid_fen"] != total || len(payments) != 1 || payments[0].(map[string]any)["state"] != "paid" {
					t.Fatalf("after payment and a duplicate: bill %v, payments %v", paid, payments)
				}
				// The paid bill is in the report of its day, as in the sandbox journey.
				started, err := time.Parse(time.RFC3339, paid["started_at"].(string))
				if err != nil {
					t.Fatal(err)
				}
				day := started.In(shanghaiTZ(t)).Format("2006-01-02")
				var wantFen, wantSessions float64
				for _, b := range bills {
					if st, _ := time.Parse(time.RFC3339, b["started_at"].(string)); st.In(shanghaiTZ(t)).Format("2006-01-02") == day {
						wantFen, wantSessions = wantFen+b["total_fen"].(float64), wantSessions+1
					}
				}
				status, report := s.call("GET", "/api/v1/reports?by=charger&period=day&from="+day+"&to="+day, admin, nil)
				rtotal, _ := report["total"].(map[string]any)
				if status != 200 || rtotal["total_fen"] != wantFen || rtotal["sessions"] != wantSessions || wantFen < total {
					t.Fatalf("report of %s: %d %v; want %v fen over %v sessions, the paid bill included", day, status, report, wantFen, wantSessions)
				}

				// A failure arriving after the success changes nothing.
				ack := wechatpaytest.Notify(t, url, wechatpaytest.Notice{EventType: "TRANSACTION.SUCCESS", Resource: wechatpaytest.FailedResource(pid, int64(total), "PAYERROR"), At: s.clock.Now()})
				if ack.Status != http.StatusOK {
					t.Errorf("late failure: got %+v, want 200 (acknowledged, ignored)", ack)
				}
				again, payments2 := s.billDetail(id, driver)
				if diff := cmp.Diff(paid, again); diff != "" {
					t.Errorf("late failure changed the bill (-before +after):\n%s", diff)
				}
				if diff := cmp.Diff(payments, payments2); diff != "" {
					t.Errorf("late failure changed the payment (-before +after):\n%s", diff)
				}

				status, refunded := s.call("POST", "/api/v1/bills/"+id+"/refund", admin, map[string]any{"amount_fen": total, "reason": "充电桩故障 charger fault"})
				if status != http.StatusOK || refunded["status"] != "refunded" || refunded["refunded_fen"] != total {
					t.Fatalf("refund: %d %v", status, refunded)
				}
				o, _ := fake.Order(pid)
				if len(o.Refunds) != 1 || o.State != "REFUND" {
					t.Fatalf("fake's order after refund = %+v, want one refund", o)
				}
				for refundID, fen := range o.Refunds {
					if fen != int64(total) {
						t.Errorf("WeChat Pay was asked to refund %d fen, want %v", fen, total)
					}
					ack := wechatpaytest.Notify(t, url, wechatpaytest.Notice{EventType: "REFUND.SUCCESS", Resource: wechatpaytest.RefundResource(pid, refundID, fen, int64(total), s.clock.Now()), At: s.clock.Now()})
					if ack.Status != http.StatusOK || ack.Code != "SUCCESS" {
						t.Errorf("refund notification: got %+v, want 200 SUCCESS", ack)
					}
				}
				if b, _ := s.billDetail(id, driver); b["status"] != "refunded" || b["refunded_fen"] != total || b["paid_fen"] != total {
					t.Errorf("after the refund notification: %v", b)
				}
			})

			t.Run("jsapi, forged and wrong-amount notifications", func(t *testing.T) {
				id, total := jsapi["id"].(string), jsapi["total_fen"].(float64)
				status, pay := s.call("POST", "/api/v1/bills/"+id+"/pay", driver, map[string]any{"provider": "wechatpay", "method": "jsapi", "openid": "o-driver1"})
				if status != http.StatusOK || pay["method"] != "jsapi" || pay["jsapi"] == nil {
					t.Fatalf("pay jsapi: %d %v", status, pay)
				}
				p := pay["jsapi"].(map[string]any)
				if p["appId"] != wechatpaytest.AppID || p["package"] != "prepay_id=wx201410272009395522657a690389285100" || p["signType"] != "RSA" {
					t.Errorf("jsapi params = %v", p)
				}
				sig, err := base64.StdEncoding.DecodeString(p["paySign"].(string))
				sum := sha256.Sum256([]byte(p["appId"].(string) + "\n" + p["timeStamp"].(string) + "\n" + p["nonceStr"].(string) + "\n" + p["package"].(string) + "\n"))
				if err != nil || rsa.VerifyPKCS1v15(&keys.Mch.PublicKey, crypto.SHA256, sum[:], sig) != nil {
					t.Errorf("paySign %q does not verify with the merchant key", p["paySign"])
				}
				pid := pay["payment_id"].(string)
				if o, _ := fake.Order(pid); o.PayerOpenID != "o-driver1" || o.TradeType != "JSAPI" {
					t.Errorf("fake's order = %+v, want a JSAPI order for o-driver1", o)
				}
				url := fake.NotifyURL(t, pid)
				before, beforePayments := s.billDetail(id, driver)

				forged := wechatpaytest.Notice{EventType: "TRANSACTION.SUCCESS", Resource: wechatpaytest.PaidResource(pid, int64(total), s.clock.Now()), At: s.clock.Now(), Signer: keys.Stranger}
				if ack := wechatpaytest.Notify(t, url, forged); ack.Status != http.StatusUnauthorized || ack.Code != "FAIL" {
					t.Errorf("forged notification: got %+v, want 401 FAIL", ack)
				}
				after, afterPayments := s.billDetail(id, driver)
				if diff := cmp.Diff(before, after); diff != "" {
					t.Errorf("forged notification changed the bill (-before +after):\n%s", diff)
				}
				if diff := cmp.Diff(beforePayments, afterPayments); diff != "" {
					t.Errorf("forged notification changed the payment (-before +after):\n%s", diff)
				}

				short := wechatpaytest.Notice{EventType: "TRANSACTION.SUCCESS", Resource: wechatpaytest.PaidResource(pid, int64(total)-1, s.clock.Now()), At: s.clock.Now()}
				if ack := wechatpaytest.Notify(t, url, short); ack.Status != http.StatusBadRequest || ack.Code != "FAIL" {
					t.Errorf("wrong amount: got %+v, want 400 FAIL", ack)
				}
				b, payments := s.billDetail(id, driver)
				if b["status"] == "paid" || b["paid_fen"] != 0.0 {
					t.Errorf("bill after a wrong amount: status %v paid_fen %v, want unpaid", b["status"], b["paid_fen"])
				}
				if len(payments) != 1 {
					t.Fatalf("got %d payments, want 1", len(payments))
				}
				got := payments[0].(map[string]any)
				if got["state"] == "paid" || !strings.Contains(got["flag"].(string), "amount mismatch") {
					t.Errorf("payment after a wrong amount: state %v flag %q, want unpaid and flagged", got["state"], got["flag"])
				}
			})
		})
	}
}

// TestWeChatPayRefundOutcomes: refunds stay "refunding" until WeChat Pay
// says how they ended. REFUND.ABNORMAL marks the refund failed and flagged
// and gives its amount back to the bill (paid or partly refunded again);
// REFUND.SUCCESS marks it refunded; repeated notifications change nothing.
func TestWeChatPayRefundOutcomes(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			s, fake := startWeChatServer(t, e)
			admin := s.login("admin", "admin-password")
			_, login := s.call("POST", "/api/v1/auth/wechat", "", map[string]any{"code": "c-driver2", "source": "miniprogram"})
			driver := login["token"].(string)
			_, password := s.registerCharger(admin, "CP-WX-2", "fast", 60000)
			cp := s.connect("CP-WX-2", password)
			start := s.clock.Now().Add(-48 * time.Hour).Truncate(time.Hour)
			cp.charge(t, s.appTag(driver), start, start.Add(time.Hour), 20000)
			_, bills := s.callList("GET", "/api/v1/bills", driver)
			id, total := bills[0]["id"].(string), int64(bills[0]["total_fen"].(float64))
			_, pay := s.call("POST", "/api/v1/bills/"+id+"/pay", driver, map[string]any{"provider": "wechatpay", "method": "native"})
			pid := pay["payment_id"].(string)
			url := fake.NotifyURL(t, pid)
			fake.Pay(t, pid, s.clock.Now())
			if ack := wechatpaytest.Notify(t, url, wechatpaytest.Notice{EventType: "TRANSACTION.SUCCESS", Resource: wechatpaytest.PaidResource(pid, total, s.clock.Now()), At: s.clock.Now()}); ack.Status != http.StatusOK {
				t.Fatalf("paid: %+v", ack)
			}

			first, rest := total/2, total-total/2
			for _, fen := range []int64{first, rest} {
				if status, body := s.call("POST", "/api/v1/bills/"+id+"/refund", admin, map[string]any{"amount_fen": fen, "reason": "test"}); status != http.StatusOK {
					t.Fatalf("refund %d: %d %v", fen, status, body)
				}
			}
			refunds := func() []map[string]any {
				t.Helper()
				_, body := s.call("GET", "/api/v1/bills/"+id, admin, nil)
				var out []map[string]any
				for _, r := range body["refunds"].([]any) {
					out = append(out, r.(map[string]any))
				}
				return out
			}
			rs := refunds()
			if len(rs) != 2 || rs[0]["state"] != "refunding" || rs[1]["state"] != "refunding" {
				t.Fatalf("refunds before any notification = %v, want two refunding", rs)
			}
			byAmount := map[float64]string{}
			for _, r := range rs {
				byAmount[r["amount_fen"].(float64)] = r["id"].(string)
			}
			firstID, restID := byAmount[float64(first)], byAmount[float64(rest)]
			abnormal := wechatpaytest.RefundResource(pid, firstID, first, total, s.clock.Now())
			abnormal["refund_status"] = "ABNORMAL"
			delete(abnormal, "success_time")
			success := wechatpaytest.RefundResource(pid, restID, rest, total, s.clock.Now())
			for i := range 2 { // each twice: WeChat Pay retries
				for _, n := range []wechatpaytest.Notice{{EventType: "REFUND.ABNORMAL", Resource: abnormal, At: s.clock.Now()}, {EventType: "REFUND.SUCCESS", Resource: success, At: s.clock.Now()}} {
					if ack := wechatpaytest.Notify(t, url, n); ack.Status != http.StatusOK || ack.Code != "SUCCESS" {
						t.Fatalf("%s #%d: got %+v, want 200 SUCCESS", n.EventType, i+1, ack)
					}
				}
			}
			b, _ := s.billDetail(id, admin)
			if b["status"] != "partly_refunded" || b["refunded_fen"] != float64(rest) || b["paid_fen"] != float64(total) {
				t.Errorf("bill after a failed and a successful refund = %v; want partly refunded, %d fen refunded", b, rest)
			}
			for _, r := range refunds() {
				switch r["id"] {
				case firstID:
					if r["state"] != "refund_failed" || !strings.Contains(r["flag"].(string), "refund failed") {
						t.Errorf("abnormal refund = %v, want refund_failed and flagged", r)
					}
				case restID:
					if r["state"] != "refunded" || r["flag"] != "" {
						t.Errorf("successful refund = %v, want refunded", r)
					}
				}
			}
			_, audit := s.callList("GET", "/api/v1/audit?action=bill.refund_failed", admin)
			n := 0
			for _, a := range audit {
				if a["action"] == "bill.refund_failed" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("got %d bill.refund_failed audit entries, want 1: %v", n, audit)
			}
		})
	}
}
