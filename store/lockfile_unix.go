//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockDatabase takes the lock beside an SQLite file (FILE.lock): shared
// for a Store (several processes may share the file), exclusive for a
// restore. Neither waits: a conflict is ErrDatabaseInUse. flock locks
// belong to the open file, so they conflict within one process too, and
// the kernel drops them when a process dies.
func lockDatabase(dbPath string, exclusive bool) (unlock func(), err error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", dbPath, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	// A Store that has just closed can hold its lock a moment longer: a
	// child process being started anywhere in its program shares the
	// lock's open file until it executes. A restore gives it a second.
	for i := 0; exclusive && errors.Is(err, syscall.EWOULDBLOCK) && i < 50; i++ {
		time.Sleep(20 * time.Millisecond)
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			if exclusive {
				return nil, fmt.Errorf("%w (%s)", ErrDatabaseInUse, dbPath)
			}
			return nil, fmt.Errorf("store: %s is being restored; start again when the restore has finished", dbPath)
		}
		return nil, fmt.Errorf("store: lock %s: %w", dbPath, err)
	}
	return func() { f.Close() }, nil
}
