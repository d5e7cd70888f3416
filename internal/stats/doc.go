// Package stats provides the statistics of the admin console: sessions,
// energy and revenue per day, utilisation per charger, a weekday × hour
// demand heatmap, the fast/slow split, top and least used chargers, the live
// dashboard counts and the scheduling figures (queue wait, reservation
// no-shows). It only reads: it changes nothing, holds no state between calls,
// and reaches the data through the read-only Store interface it declares.
// The arithmetic that turns rows into figures is pure and takes its times
// as arguments.
package stats
