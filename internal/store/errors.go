package store

import (
	"database/sql"
	"errors"

	"strings"

	"campuscharge/internal/apperr"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// mapErr turns driver errors into apperr codes: no rows → not found, unique
// or foreign key violations → conflict. Other errors pass through.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "not_found")
	}
	if isUnique(err) {
		return apperr.Wrap(err, apperr.Conflict, "conflict")
	}
	return err
}

// isUnique reports whether err is a unique-constraint violation on any engine.
func isUnique(err error) bool {
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1062
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	// modernc.org/sqlite: "constraint failed: UNIQUE constraint failed: …" (2067) or PRIMARY KEY (1555).
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "(2067)") || strings.Contains(msg, "(1555)")
}
