// Package wechatpay provides the WeChat Pay API v3 payment provider, built on
// github.com/wechatpay-apiv3/wechatpay-go: JSAPI prepay (with the
// wx.requestPayment parameters signed by the merchant key) and Native prepay
// (a code_url for a QR code), order query and close, domestic refunds, and
// verification and decryption of WeChat Pay's asynchronous notifications
// (signature by the WeChat Pay public key or platform certificate, resource
// by AES-256-GCM with the API v3 key).
//
// It must not know about bills or the database, decide what a notification
// means for a bill (billing checks amounts and idempotency), keep package
// state, or trust any notification or answer whose signature it has not
// verified.
package wechatpay
