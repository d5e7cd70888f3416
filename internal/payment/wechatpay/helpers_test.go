package wechatpay

import (
	"crypto/rsa"
	"net/http"
	"testing"
	"time"

	"campuscharge/internal/payment/wechatpay/wechatpaytest"
)

// Test identities: the fake server's merchant.
const (
	testMchID     = wechatpaytest.MchID
	testAppID     = wechatpaytest.AppID
	testAPIv3Key  = wechatpaytest.APIv3Key
	testMchSerial = wechatpaytest.MchCertSerial
	testPubKeyID  = wechatpaytest.PublicKeyID
	testNotifyURL = "https://charge.example.edu/api/v1/payments/notify/wechatpay"
)

// genKeys returns the fixed test keys.
func genKeys() wechatpaytest.Keys { return wechatpaytest.TestKeys() }

// notification builds a notify request's body and headers: the resource
// encrypted with key and the body signed by signer at ts.
func notification(t *testing.T, eventType string, resource any, key string, signer *rsa.PrivateKey, ts time.Time) ([]byte, http.Header) {
	t.Helper()
	return wechatpaytest.Notice{EventType: eventType, Resource: resource, At: ts, APIv3Key: key, Signer: signer}.Build(t)
}

// request wraps a notification as the request our endpoint receives.
func request(body []byte, h http.Header) *http.Request { return wechatpaytest.Request(body, h) }

// sign signs a body as WeChat Pay does.
func sign(key *rsa.PrivateKey, ts time.Time, body []byte) http.Header {
	return wechatpaytest.Sign(key, ts, body)
}
