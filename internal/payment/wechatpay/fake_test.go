package wechatpay

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test identities; the keys are generated once per test binary.
const (
	testMchID     = "1900000109"
	testAppID     = "wxd678efh567hg6787"
	testAPIv3Key  = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
	testMchSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
	testPubKeyID  = "PUB_KEY_ID_0119000001092025030100000000"
	testNotifyURL = "https://charge.example.edu/api/v1/payments/notify/wechatpay"
)

// testKeys are the merchant key, the WeChat Pay key and a stranger's key.
type testKeys struct{ mch, platform, other *rsa.PrivateKey }

var genKeys = sync.OnceValue(func() testKeys {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	return testKeys{gen(), gen(), gen()}
})

// fakeOrder is what the fake server knows of one transaction.
type fakeOrder struct {
	Total   int64
	State   string
	TxID    string
	PaidAt  string
	Refunds map[string]int64
}

// fakeWechat is a local WeChat Pay API v3 server: it checks our request
// signatures with the merchant public key and signs its answers with the
// WeChat Pay key, like the real one.
type fakeWechat struct {
	t        *testing.T
	mchPub   *rsa.PublicKey
	platform *rsa.PrivateKey
	srv      *httptest.Server

	mu           sync.Mutex
	orders       map[string]*fakeOrder
	bodies       []map[string]any
	authFailures []string
	answerKey    *rsa.PrivateKey // signs answers; platform unless a test forges
}

func newFakeWechat(t *testing.T) *fakeWechat {
	t.Helper()
	k := genKeys()
	f := &fakeWechat{t: t, mchPub: &k.mch.PublicKey, platform: k.platform, answerKey: k.platform, orders: map[string]*fakeOrder{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/pay/transactions/jsapi", f.prepay("prepay_id"))
	mux.HandleFunc("POST /v3/pay/transactions/native", f.prepay("code_url"))
	mux.HandleFunc("GET /v3/pay/transactions/out-trade-no/{no}", f.query)
	mux.HandleFunc("POST /v3/pay/transactions/out-trade-no/{no}/close", f.close)
	mux.HandleFunc("POST /v3/refund/domestic/refunds", f.refund)
	f.srv = httptest.NewServer(f.checkAuth(mux))
	t.Cleanup(f.srv.Close)
	return f
}

// checkAuth verifies the Authorization header of every request:
// WECHATPAY2-SHA256-RSA2048 over "METHOD\nURL\ntimestamp\nnonce\nbody\n".
func (f *fakeWechat) checkAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if err := f.verifyAuth(r, body); err != nil {
			f.mu.Lock()
			f.authFailures = append(f.authFailures, err.Error())
			f.mu.Unlock()
			f.answer(w, http.StatusUnauthorized, map[string]string{"code": "SIGN_ERROR", "message": err.Error()})
			return
		}
		if len(body) > 0 {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "bad json"})
				return
			}
			f.mu.Lock()
			f.bodies = append(f.bodies, m)
			f.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (f *fakeWechat) verifyAuth(r *http.Request, body []byte) error {
	scheme, params, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || scheme != "WECHATPAY2-SHA256-RSA2048" {
		return fmt.Errorf("authorization scheme %q", scheme)
	}
	kv := map[string]string{}
	for _, part := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(part, "=")
		kv[k] = strings.Trim(v, `"`)
	}
	if kv["mchid"] != testMchID || kv["serial_no"] != testMchSerial {
		return fmt.Errorf("mchid %q serial %q", kv["mchid"], kv["serial_no"])
	}
	ts, err := strconv.ParseInt(kv["timestamp"], 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute || kv["nonce_str"] == "" {
		return fmt.Errorf("timestamp %q nonce %q", kv["timestamp"], kv["nonce_str"])
	}
	msg := r.Method + "\n" + r.URL.RequestURI() + "\n" + kv["timestamp"] + "\n" + kv["nonce_str"] + "\n" + string(body) + "\n"
	sig, err := base64.StdEncoding.DecodeString(kv["signature"])
	if err != nil {
		return fmt.Errorf("signature encoding: %w", err)
	}
	sum := sha256.Sum256([]byte(msg))
	if err := rsa.VerifyPKCS1v15(f.mchPub, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	return nil
}

// sign signs "timestamp\nnonce\nbody\n" and returns the Wechatpay-* headers.
func sign(key *rsa.PrivateKey, ts time.Time, body []byte) http.Header {
	nonce := rand.Text()
	tss := strconv.FormatInt(ts.Unix(), 10)
	sum := sha256.Sum256([]byte(tss + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", tss)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Serial", testPubKeyID)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	return h
}

// answer writes a signed JSON answer (or an empty one for 204). The SDK
// checks answers against the wall clock, so they carry the real time.
func (f *fakeWechat) answer(w http.ResponseWriter, status int, v any) {
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	f.mu.Lock()
	key := f.answerKey
	f.mu.Unlock()
	for k, vs := range sign(key, time.Now(), body) {
		w.Header()[k] = vs
	}
	w.Header().Set("Request-Id", "fake-"+rand.Text())
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (f *fakeWechat) lastBody() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.bodies) == 0 {
		return nil
	}
	return f.bodies[len(f.bodies)-1]
}

func (f *fakeWechat) prepay(field string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b := f.lastBody()
		no, _ := b["out_trade_no"].(string)
		amount, _ := b["amount"].(map[string]any)
		total, _ := amount["total"].(float64)
		f.mu.Lock()
		o, ok := f.orders[no]
		paid := ok && o.State == "SUCCESS"
		if !paid {
			f.orders[no] = &fakeOrder{Total: int64(total), State: "NOTPAY"}
		}
		f.mu.Unlock()
		switch {
		case paid:
			f.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "该订单已支付"})
		case field == "prepay_id":
			f.answer(w, http.StatusOK, map[string]string{"prepay_id": "wx201410272009395522657a690389285100"})
		default:
			f.answer(w, http.StatusOK, map[string]string{"code_url": "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})
		}
	}
}

// pay marks an order paid, as if the payer paid.
func (f *fakeWechat) pay(no string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orders[no]
	o.State, o.TxID, o.PaidAt = "SUCCESS", "4200000001"+no, at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
}

func (f *fakeWechat) transaction(no string, o *fakeOrder) map[string]any {
	tx := map[string]any{
		"appid": testAppID, "mchid": testMchID, "out_trade_no": no, "trade_state": o.State, "trade_state_desc": o.State,
		"trade_type": "JSAPI", "amount": map[string]any{"total": o.Total, "payer_total": o.Total, "currency": "CNY", "payer_currency": "CNY"},
	}
	if o.TxID != "" {
		tx["transaction_id"], tx["success_time"] = o.TxID, o.PaidAt
	}
	return tx
}

func (f *fakeWechat) query(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("mchid") != testMchID {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "mchid"})
		return
	}
	no := r.PathValue("no")
	f.mu.Lock()
	o, ok := f.orders[no]
	var tx map[string]any
	if ok {
		tx = f.transaction(no, o)
	}
	f.mu.Unlock()
	if !ok {
		f.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
		return
	}
	f.answer(w, http.StatusOK, tx)
}

func (f *fakeWechat) close(w http.ResponseWriter, r *http.Request) {
	if f.lastBody()["mchid"] != testMchID {
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "mchid"})
		return
	}
	f.mu.Lock()
	o, ok := f.orders[r.PathValue("no")]
	paid := ok && o.State == "SUCCESS"
	if ok && !paid {
		o.State = "CLOSED"
	}
	f.mu.Unlock()
	switch {
	case !ok:
		f.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
	case paid:
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "订单已支付"})
	default:
		f.answer(w, http.StatusNoContent, nil)
	}
}

func (f *fakeWechat) refund(w http.ResponseWriter, _ *http.Request) {
	b := f.lastBody()
	no, _ := b["out_trade_no"].(string)
	rno, _ := b["out_refund_no"].(string)
	amount, _ := b["amount"].(map[string]any)
	refund, _ := amount["refund"].(float64)
	total, _ := amount["total"].(float64)
	f.mu.Lock()
	o, ok := f.orders[no]
	okState := ok && o.State == "SUCCESS" || ok && o.State == "REFUND"
	if okState {
		if o.Refunds == nil {
			o.Refunds = map[string]int64{}
		}
		o.Refunds[rno], o.State = int64(refund), "REFUND"
	}
	f.mu.Unlock()
	switch {
	case !ok:
		f.answer(w, http.StatusNotFound, map[string]string{"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
	case !okState || int64(total) != o.Total:
		f.answer(w, http.StatusBadRequest, map[string]string{"code": "INVALID_REQUEST", "message": "订单状态或金额不符"})
	default:
		f.answer(w, http.StatusOK, map[string]any{
			"refund_id": "50000000382019052709732678859", "out_refund_no": rno, "transaction_id": o.TxID, "out_trade_no": no,
			"channel": "ORIGINAL", "user_received_account": "招商银行信用卡0403", "create_time": "2025-03-01T16:31:00+08:00",
			"status": "PROCESSING", "funds_account": "AVAILABLE",
			"amount": map[string]any{"total": o.Total, "refund": int64(refund), "payer_total": o.Total, "payer_refund": int64(refund),
				"settlement_refund": int64(refund), "settlement_total": o.Total, "discount_refund": 0, "currency": "CNY"},
		})
	}
}

// notification builds a notify request as WeChat Pay sends it: the resource
// encrypted with key by AES-256-GCM and the body signed by signer at ts.
func notification(t *testing.T, eventType string, resource any, key string, signer *rsa.PrivateKey, ts time.Time) (body []byte, h http.Header) {
	t.Helper()
	plain, err := json.Marshal(resource)
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := rand.Text()[:12]
	ad := "transaction"
	if strings.HasPrefix(eventType, "REFUND.") {
		ad = "refund"
	}
	env := map[string]any{
		"id": "EV-" + rand.Text(), "create_time": ts.Format(time.RFC3339), "resource_type": "encrypt-resource",
		"event_type": eventType, "summary": "支付成功",
		"resource": map[string]string{
			"original_type": ad, "algorithm": "AEAD_AES_256_GCM", "associated_data": ad, "nonce": nonce,
			"ciphertext": base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte(ad))),
		},
	}
	body, err = json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return body, sign(signer, ts, body)
}

// request wraps a notification as the request our endpoint receives.
func request(body []byte, h http.Header) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/payments/notify/wechatpay", strings.NewReader(string(body)))
	for k, v := range h {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}
