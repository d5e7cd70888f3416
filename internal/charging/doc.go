// Package charging is the charging service: sites, chargers and their
// connectors, id tags, sessions (OCPP transactions) and meter samples. It
// handles what chargers send (as the gateway's Handler and Authenticator),
// sends remote commands through the gateway, detects offline chargers,
// closes abandoned sessions, and publishes live events. It knows nothing of
// WebSockets or HTTP, and nothing of money.
package charging
