// Package store is Campus Charge's database access: it opens SQLite (the
// default), MySQL/MariaDB or PostgreSQL from a DSN, applies the embedded goose
// migrations of that engine, and implements the small store interfaces that
// the services declare, in hand-written portable SQL. It maps driver errors to
// apperr codes. It holds no business rules: those live in the services.
package store
