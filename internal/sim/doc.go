// Package sim provides simulated charge points that speak real OCPP 1.6J over
// WebSocket: each Charger dials the central system as <url>/<chargePointId>
// with subprotocol ocpp1.6 and HTTP Basic auth, boots, heartbeats, reports
// connector status, charges cars with a simple AC/DC power model (state of
// charge, tapering, smart-charging limits), streams meter values, queues
// transaction messages while offline and replays them in order, and answers
// every central-system command of OCPP 1.6 with a schema-valid confirmation.
// Scripted actions (Plug, StartLocal, Fault, DropConnection…) drive it from
// tests and from the demo; Fleet runs many chargers and collects call
// latencies for load tests.
//
// The simulator is strict: every CALL and CALLRESULT the server sends is
// validated with package ocpp, and violations are logged and kept in the
// Snapshot, so a broken server shows up in tests. Timestamps come from the
// injected clock; timers (heartbeat, meter interval, backoff, physics tick)
// use real time with configurable intervals so tests run in milliseconds.
//
// The package must not touch the database, the server's internals or any
// service package: it talks to the central system only over OCPP.
package sim
