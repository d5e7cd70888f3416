// Package sandbox provides the simulated payment provider that Campus Charge
// uses when no real provider is configured. Prepay returns the URL of a page,
// served by this package's Handler, that is clearly marked as a simulation
// ("沙箱支付 — 模拟支付，不会真实扣款 / Sandbox payment — no real money") and
// lets the driver choose Pay or Fail; the choice is sent, signed with
// HMAC-SHA256, to the same notify endpoint a real provider would call, so the
// whole billing flow runs unchanged. Query, Close and Refund work on the
// in-memory record of what the sandbox saw; refunds succeed at once.
//
// It must not move real money, talk to any outside service, keep state in
// package variables, or know about bills: its state lives in the Provider the
// server owns and is lost on restart (billing reconciles through Query).
package sandbox
