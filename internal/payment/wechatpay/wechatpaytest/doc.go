// Package wechatpaytest provides a fake WeChat Pay API v3 server for tests:
// it checks the merchant's request signatures, keeps orders and refunds in
// memory, signs its answers with a WeChat Pay key, writes the keys as PEM
// files for a server's configuration, and builds and sends signed,
// AES-256-GCM-encrypted payment and refund notifications.
//
// It is imported only from _test.go files. It must not import the wechatpay
// package (whose own tests use it), touch the network beyond loopback, or
// hold package state: every Server is independent.
package wechatpaytest
