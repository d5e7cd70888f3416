// Package replay runs a charging-dispatch scenario on a fake clock and
// prints what happens: after each timeline event every charger's queue and
// the waiting area, at the end every bill and each charger's totals. It is
// the engine of the `campuscharge replay scenario.json` subcommand and of the
// dispatch golden tests.
//
// Replay is pure: it reads only the io.Reader and writes only the io.Writer
// it is given, never reads the wall clock (the scenario's start time and
// event offsets are the clock) and never touches a database. Dispatch rules
// live in internal/dispatch and prices in internal/tariff (through a
// Pricer); replay only drives them and formats the results.
package replay
