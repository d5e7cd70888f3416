package wechatpaytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test merchant's identities.
const (
	// MchID is the merchant id (商户号).
	MchID = "1900000109"
	// AppID is the app id payers' openids belong to.
	AppID = "wxd678efh567hg6787"
	// APIv3Key is the merchant's API v3 key (32 bytes).
	APIv3Key = "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
	// MchCertSerial is the serial number of the merchant API certificate.
	MchCertSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
	// PublicKeyID is the id of the WeChat Pay public key (Wechatpay-Serial).
	PublicKeyID = "PUB_KEY_ID_0119000001092025030100000000"
)

// Order is what the fake knows of one transaction.
type Order struct {
	// TotalFen is the order amount, in fen.
	TotalFen int64
	// State is WeChat Pay's trade_state: NOTPAY, SUCCESS, CLOSED or REFUND.
	State string
	// TxID is WeChat Pay's transaction id once paid.
	TxID string
	// PaidAt is the success time, RFC 3339 in +08:00, once paid.
	PaidAt string
	// NotifyURL is where the order's notifications go.
	NotifyURL string
	// TradeType is JSAPI or NATIVE.
	TradeType string
	// PayerOpenID is the payer of a JSAPI order.
	PayerOpenID string
	// Refunds maps out_refund_no to the refunded amount, in fen.
	Refunds map[string]int64
}

// Server is a local WeChat Pay API v3 server: it checks every request's
// WECHATPAY2-SHA256-RSA2048 signature with the merchant public key and
// signs its answers with the WeChat Pay key, like the real one. It serves
// JSAPI and Native prepay, query and close by out_trade_no, and domestic
// refunds. Safe for concurrent use.
type Server struct {
	// URL is the fake's base URL, for the provider's API base URL.
	URL string
	// MchPrivateKeyPath is a PEM file (PKCS #8) of the merchant API private key.
	MchPrivateKeyPath string
	// PublicKeyPath is a PEM file (PKIX) of the WeChat Pay public key.
	PublicKeyPath string
	// Keys are the test's keys.
	Keys Keys

	mu           sync.Mutex
	orders       map[string]*Order
	bodies       []map[string]any
	authFailures []string
	answerKey    *rsa.PrivateKey
}

// New starts a fake WeChat Pay server, writes the key files into a
// temporary directory and stops the server when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	k := TestKeys()
	s := &Server{Keys: k, answerKey: k.Platform, orders: map[string]*Order{}}
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(k.Mch)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.Platform.PublicKey)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	s.MchPrivateKeyPath, s.PublicKeyPath = filepath.Join(dir, "apiclient_key.pem"), filepath.Join(dir, "pub_key.pem")
	for path, b := range map[string]*pem.Block{s.MchPrivateKeyPath: {Type: "PRIVATE KEY", Bytes: der}, s.PublicKeyPath: {Type: "PUBLIC KEY", Bytes: pub}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatalf("wechatpaytest: %v", err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/pay/transactions/jsapi", s.prepay("JSAPI"))
	mux.HandleFunc("POST /v3/pay/transactions/native", s.prepay("NATIVE"))
	mux.HandleFunc("GET /v3/pay/transactions/out-trade-no/{no}", s.query)
	mux.HandleFunc("POST /v3/pay/transactions/out-trade-no/{no}/close", s.close)
	mux.HandleFunc("POST /v3/refund/domestic/refunds", s.refund)
	srv := httptest.NewServer(s.checkAuth(mux))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// AuthFailures lists why requests were refused for their signature.
func (s *Server) AuthFailures() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.authFailures...)
}

// LastBody is the JSON body of the latest request that had one.
func (s *Server) LastBody() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bodies) == 0 {
		return nil
	}
	return s.bodies[len(s.bodies)-1]
}

// Order returns a copy of what the fake knows of an order.
func (s *Server) Order(no string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[no]
	if !ok {
		return Order{}, false
	}
	c := *o
	c.Refunds = map[string]int64{}
	for k, v := range o.Refunds {
		c.Refunds[k] = v
	}
	return c, true
}

// SignAnswersWith makes the fake sign its answers with key (a forgery when
// it is not Keys.Platform).
func (s *Server) SignAnswersWith(key *rsa.PrivateKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answerKey = key
}

// Pay marks an order paid at at, as if the payer paid; it fails the test
// for an unknown order.
func (s *Server) Pay(t testing.TB, no string, at time.Time) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[no]
	if !ok {
		t.Fatalf("wechatpaytest: pay unknown order %q", no)
	}
	o.State, o.TxID, o.PaidAt = "SUCCESS", "4200000001"+no, at.In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
}

// checkAuth verifies the Authorization header of every request:
// WECHATPAY2-SHA256-RSA2048 over "METHOD\nURL\ntimestamp\nnonce\nbody\n".
func (s *Server) checkAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if err := s.verifyAuth(r, body); err != nil {
			s.mu.Lock()
			s.authFailures = append(s.authFailures, err.Error())
			s.mu.Unlock()
			s.answer(w, http.StatusUnauthorized, map[string]string{"code": "SIGN_ERROR", "message": err.Error()})
			return
		}
		if len(body) > 0 {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				s.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "bad json"})
				return
			}
			s.mu.Lock()
			s.bodies = append(s.bodies, m)
			s.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) verifyAuth(r *http.Request, body []byte) error {
	scheme, params, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || scheme != "WECHATPAY2-SHA256-RSA2048" {
		return fmt.Errorf("authorization scheme %q", scheme)
	}
	kv := map[string]string{}
	for _, part := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(part, "=")
		kv[k] = strings.Trim(v, `"`)
	}
	if kv["mchid"] != MchID || kv["serial_no"] != MchCertSerial {
		return fmt.Errorf("mchid %q serial %q", kv["mchid"], kv["serial_no"])
	}
	// The SDK signs with the wall clock, so the fake checks against it.
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
	if err := rsa.VerifyPKCS1v15(&s.Keys.Mch.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	return nil
}

// Sign signs "timestamp\nnonce\nbody\n" with key at ts and returns the
// Wechatpay-Timestamp, -Nonce, -Serial (PublicKeyID) and -Signature headers.
func Sign(key *rsa.PrivateKey, ts time.Time, body []byte) http.Header {
	nonce := rand.Text()
	tss := strconv.FormatInt(ts.Unix(), 10)
	sum := sha256.Sum256([]byte(tss + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(fmt.Sprintf("wechatpaytest: sign: %v", err))
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", tss)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Serial", PublicKeyID)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	return h
}

// answer writes a signed JSON answer (or an empty one for 204). The SDK
// checks answers against the wall clock, so they carry the real time.
func (s *Server) answer(w http.ResponseWriter, status int, v any) {
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	s.mu.Lock()
	key := s.answerKey
	s.mu.Unlock()
	for k, vs := range Sign(key, time.Now(), body) {
		w.Header()[k] = vs
	}
	w.Header().Set("Request-Id", "fake-"+rand.Text())
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) prepay(tradeType string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		b := s.LastBody()
		no, _ := b["out_trade_no"].(string)
		notify, _ := b["notify_url"].(string)
		amount, _ := b["amount"].(map[string]any)
		total, _ := amount["total"].(float64)
		payer, _ := b["payer"].(map[string]any)
		openid, _ := payer["openid"].(string)
		s.mu.Lock()
		o, ok := s.orders[no]
		paid := ok && o.State == "SUCCESS"
		if !paid {
			s.orders[no] = &Order{TotalFen: int64(total), State: "NOTPAY", NotifyURL: notify, TradeType: tradeType, PayerOpenID: openid}
		}
		s.mu.Unlock()
		switch {
		case paid:
			s.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "该订单已支付"})
		case tradeType == "JSAPI":
			s.answer(w, http.StatusOK, map[string]string{"prepay_id": "wx201410272009395522657a690389285100"})
		default:
			s.answer(w, http.StatusOK, map[string]string{"code_url": "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})
		}
	}
}

// transaction is the API's view of an order; the caller holds s.mu.
func transaction(no string, o *Order) map[string]any {
	tx := map[string]any{
		"appid": AppID, "mchid": MchID, "out_trade_no": no, "trade_state": o.State, "trade_state_desc": o.State, "trade_type": o.TradeType,
		"amount": map[string]any{"total": o.TotalFen, "payer_total": o.TotalFen, "currency": "CNY", "payer_currency": "CNY"},
	}
	if o.TxID != "" {
		tx["transaction_id"], tx["success_time"] = o.TxID, o.PaidAt
	}
	if o.PayerOpenID != "" {
		tx["payer"] = map[string]any{"openid": o.PayerOpenID}
	}
	return tx
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("mchid") != MchID {
		s.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "mchid"})
		return
	}
	no := r.PathValue("no")
	s.mu.Lock()
	o, ok := s.orders[no]
	var tx map[string]any
	if ok {
		tx = transaction(no, o)
	}
	s.mu.Unlock()
	if !ok {
		s.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
		return
	}
	s.answer(w, http.StatusOK, tx)
}

func (s *Server) close(w http.ResponseWriter, r *http.Request) {
	if s.LastBody()["mchid"] != MchID {
		s.answer(w, http.StatusBadRequest, map[string]string{"code": "PARAM_ERROR", "message": "mchid"})
		return
	}
	s.mu.Lock()
	o, ok := s.orders[r.PathValue("no")]
	paid := ok && o.State == "SUCCESS"
	if ok && !paid {
		o.State = "CLOSED"
	}
	s.mu.Unlock()
	switch {
	case !ok:
		s.answer(w, http.StatusNotFound, map[string]string{"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
	case paid:
		s.answer(w, http.StatusBadRequest, map[string]string{"code": "ORDERPAID", "message": "订单已支付"})
	default:
		s.answer(w, http.StatusNoContent, nil)
	}
}

func (s *Server) refund(w http.ResponseWriter, _ *http.Request) {
	b := s.LastBody()
	no, _ := b["out_trade_no"].(string)
	rno, _ := b["out_refund_no"].(string)
	amount, _ := b["amount"].(map[string]any)
	refund, _ := amount["refund"].(float64)
	total, _ := amount["total"].(float64)
	s.mu.Lock()
	o, ok := s.orders[no]
	okState := ok && (o.State == "SUCCESS" || o.State == "REFUND")
	var refunded int64
	if ok {
		for _, v := range o.Refunds {
			refunded += v
		}
	}
	okAmount := ok && int64(total) == o.TotalFen && refund > 0 && refunded+int64(refund) <= o.TotalFen
	if okState && okAmount {
		if o.Refunds == nil {
			o.Refunds = map[string]int64{}
		}
		o.Refunds[rno], o.State = int64(refund), "REFUND"
	}
	var txID string
	var orderTotal int64
	if ok {
		txID, orderTotal = o.TxID, o.TotalFen
	}
	s.mu.Unlock()
	switch {
	case !ok:
		s.answer(w, http.StatusNotFound, map[string]string{"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
	case !okState || !okAmount:
		s.answer(w, http.StatusBadRequest, map[string]string{"code": "INVALID_REQUEST", "message": "订单状态或金额不符"})
	default:
		s.answer(w, http.StatusOK, map[string]any{
			"refund_id": "50000000382019052709732678859", "out_refund_no": rno, "transaction_id": txID, "out_trade_no": no,
			"channel": "ORIGINAL", "user_received_account": "招商银行信用卡0403", "create_time": "2025-03-01T16:31:00+08:00",
			"status": "PROCESSING", "funds_account": "AVAILABLE",
			"amount": map[string]any{"total": orderTotal, "refund": int64(refund), "payer_total": orderTotal, "payer_refund": int64(refund),
				"settlement_refund": int64(refund), "settlement_total": orderTotal, "discount_refund": 0, "currency": "CNY"},
		})
	}
}
