// Package tariff provides time-of-use tariffs and the pricing of a charging
// session: choosing the tariff version in force, validating a version's
// periods, finding the current period, listing a day's timeline and turning a
// session's meter data into an itemised bill in integer fen.
//
// Everything here is a pure function of its arguments. The package must not
// do I/O, read the clock, keep state between calls or import any other
// package of the project; callers pass the site's *time.Location and the
// times they mean. Money is integer fen (分), prices are integer 1/10000 yuan
// per kWh, energy is integer Wh and every time returned is in UTC.
package tariff
