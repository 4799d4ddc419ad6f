package store

import "sync"

// noLock is the Locker of a database that takes concurrent writers.
type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}

// WriteLock is the lock that this process's bursty writers (parents'
// acknowledgements, letter opens, quiz answers) take around their writes.
// SQLite has one writer at a time anyway: queued here, writers never meet
// in SQLite's busy handler, whose sleeps would dominate the tail latency
// of a rush. PostgreSQL takes concurrent writers, so there it locks
// nothing.
func (s *Store) WriteLock() sync.Locker {
	if s.dialect != SQLite {
		return noLock{}
	}
	return &s.writeMu
}
