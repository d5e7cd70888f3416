// Package dispatch provides the pure algorithms of the campus charging-dispatch
// problem: the waiting area and per-charger queues of a site (request, change,
// cancel, charger fault and recovery, advancing time), exact batch placement
// with the Hungarian algorithm, the reservations policy and load sharing under
// a site power limit.
//
// Every function takes the state and the current time as arguments and returns
// the new state and the decisions taken; the input state is never modified.
// The package must not do I/O, read the clock, touch a database or know about
// OCPP or money: services (internal/scheduling) store the state and act on the
// decisions, and prices come from internal/tariff.
package dispatch
