package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// dbFileBytes reads the SQLite file and its write-ahead log.
func dbFileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestPurgeLeavesNoTokenBytesInTheDatabaseFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "purge.db")
	s := openTest(t, path, 1)
	ctx := context.Background()
	f := newPurgeFixture(t, s)
	before := dbFileBytes(t, path)
	for _, l := range f.doneLetters[:3] {
		if !bytes.Contains(before, []byte(l.Token)) {
			t.Fatalf("token %s not found in the file before the purge: the test would prove nothing", l.Token)
		}
	}
	if _, err := s.PurgeCampaign(ctx, PurgeOptions{CampaignID: f.done.ID}); err != nil {
		t.Fatal(err)
	}
	after := dbFileBytes(t, path)
	for _, l := range f.doneLetters {
		if bytes.Contains(after, []byte(l.Token)) {
			t.Errorf("purged token %s still in the database file", l.Token)
		}
	}
	if !bytes.Contains(after, []byte(f.otherLetters[0].Token)) {
		t.Errorf("a letter of the running campaign is gone from the file")
	}
}
