//go:build !unix

package store

import "context"

// lockDatabase has no lock to take on this system: a restore cannot tell
// whether the database is in use, so stop the service before restoring.
func lockDatabase(string, bool) (func(), error) { return func() {}, nil }

// lockFileWait has no lock to take on this system: instances starting
// together on one SQLite file are not serialised (start them one by one).
func lockFileWait(context.Context, string) (func(), error) { return func() {}, nil }
