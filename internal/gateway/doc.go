// Package gateway provides the OCPP-J 1.6 WebSocket server that chargers
// connect to: the handshake (subprotocol ocpp1.6, HTTP Basic auth of
// security profile 1, unknown chargers refused or accepted as Pending), one
// connection per charge point (a reconnecting charger replaces its old
// socket), framing and validation of every message through package ocpp,
// in-order answering of the CALLs a charger sends, outgoing CALLs with
// one outstanding at a time per connection, timeouts, keepalive pings and
// counters for metrics.
//
// The gateway knows connections and OCPP framing only. It must not know
// money, sessions, tariffs or the database: what a CALL means is decided by
// the Handler, who may connect is decided by the Authenticator, and both
// are supplied by the caller.
package gateway
