// Package ocpp provides the OCPP 1.6J protocol: the three OCPP-J frames
// (CALL, CALLRESULT, CALLERROR), the 1.6 error codes, typed request and
// confirmation messages for every action of OCPP 1.6 edition 2 and of the
// 1.6 security extension, and validation of payloads against the schema of
// each action, mapping every violation to the OCPP-J error code a peer
// expects.
//
// The schema of a message lives in one place: the struct tags of its Go
// type (json tags give names and which fields are required, ocpp tags give
// string limits, formats and array bounds, enum types give allowed values).
// Lenient validation (Options.Lenient) accepts known vendor quirks and
// reports each one as a Quirk for logging.
//
// The package is pure protocol. It must not open connections, touch a
// database, read the clock or import any other package of the project; the
// gateway and the simulator build on it.
package ocpp
