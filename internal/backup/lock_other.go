//go:build !unix

package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Lock is an exclusive lock on a data directory, held while serving.
type Lock struct{ path string }

// LockName is the lock file's name in the data directory.
const LockName = "campuscharge.lock"

// ErrLocked means another process holds the data directory.
var ErrLocked = errors.New("the data directory is in use by a running server")

// Acquire takes the data directory's lock by creating the lock file
// exclusively; a server that crashed leaves it behind, to be removed by hand.
func Acquire(dataDir string) (*Lock, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	p := filepath.Join(dataDir, LockName)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s (remove %s if no server runs): %w", dataDir, p, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("create lock file: %w", err)
	}
	f.Close()
	return &Lock{path: p}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil || l.path == "" {
		return nil
	}
	err := os.Remove(l.path)
	l.path = ""
	return err
}
