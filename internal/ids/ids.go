// Package ids generates the application's record IDs: ULIDs, unique and
// ordered by creation time, so inserts need no engine-specific RETURNING.
package ids

import "github.com/oklog/ulid/v2"

// New returns a new 26-character ULID string.
func New() string { return ulid.Make().String() }
