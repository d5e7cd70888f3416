// Package payment declares what Campus Charge needs from a payment provider
// (prepay an order, verify and decode asynchronous notifications, query,
// close and refund) and the provider-neutral types that cross that line:
// orders, prepay parameters, notifications and refunds, all in integer fen.
// Providers live in the subpackages sandbox (the default simulator) and
// wechatpay (WeChat Pay API v3).
//
// It must not know about bills, the database or HTTP routes: billing owns
// those and decides what a verified notification means for a bill (amount
// checks, idempotency, out-of-order results).
package payment
