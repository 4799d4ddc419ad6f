package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestBackupDuringAcknowledgementsRestoresEveryOneBeforeIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	s := openTest(t, live, 1)
	sc := mustSchool(t, s, "阳光小学")
	mustImport(t, s, sc.ID, ImportOptions{}, genClass(3, 1, 1, 300))
	camp, err := s.CreateCampaign(ctx, Campaign{Name: "秋季反诈", SchoolIDs: []int64{sc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	classes, _ := s.Classes(ctx, sc.ID)
	sts, _ := s.Students(ctx, classes[0].ID)
	var ids []int64
	for _, st := range sts {
		ids = append(ids, st.ID)
	}
	letters, err := s.IssueLetters(ctx, camp.ID, ids)
	if err != nil {
		t.Fatal(err)
	}

	// Two parents' phones acknowledge one letter after another while the
	// backup runs; answered records the letters whose acknowledgement had
	// returned (committed) before the backup began.
	var mu sync.Mutex
	var done []int64
	var answered []int64
	next := make(chan Letter)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range next {
				if _, err := s.Acknowledge(ctx, Ack{LetterID: l.ID, Channel: ChannelQR, Relation: "母亲"}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				done = append(done, l.ID)
				mu.Unlock()
			}
		}()
	}
	backup := filepath.Join(dir, "backup.db")
	backupErr := make(chan error, 1)
	for i, l := range letters {
		next <- l
		if i == 150 {
			mu.Lock()
			answered = append(answered, done...)
			mu.Unlock()
			go func() { backupErr <- s.Backup(ctx, backup) }()
		}
	}
	close(next)
	wg.Wait()
	if err := <-backupErr; err != nil {
		t.Fatal(err)
	}
	if len(answered) < 100 {
		t.Fatalf("only %d acknowledgements before the backup", len(answered))
	}

	t.Run("the restore refuses a database in use and replaces it once it is not", func(t *testing.T) {
		if err := Restore(ctx, backup, live); !errors.Is(err, ErrDatabaseInUse) {
			t.Fatalf("restore over the open database: %v, want ErrDatabaseInUse", err)
		}
		s.Close()
		if err := Restore(ctx, backup, live); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(live + "-wal"); err == nil {
			if fi, _ := os.Stat(live + "-wal"); fi.Size() > 0 {
				t.Fatal("the old write-ahead log was left beside the restored file")
			}
		}
	})
	t.Run("the restored store works and has every acknowledgement answered before the backup", func(t *testing.T) {
		r := openTest(t, live, 2)
		acked := map[int64]bool{}
		rows, err := r.DB().QueryContext(ctx, `SELECT id FROM letters WHERE acknowledged_at IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			acked[id] = true
		}
		rows.Close()
		for _, id := range answered {
			if !acked[id] {
				t.Errorf("letter %d was acknowledged before the backup and is not in the restore", id)
			}
		}
		if _, err := r.Acknowledge(ctx, Ack{LetterID: letters[len(letters)-1].ID, Channel: ChannelPaper}); err != nil {
			t.Fatalf("writing to the restored store: %v", err)
		}
	})
	t.Run("a backup never overwrites and a bad file is not restored", func(t *testing.T) {
		r := openTest(t, live, 3)
		if err := r.Backup(ctx, backup); err == nil {
			t.Fatal("backup over an existing file succeeded")
		}
		r.Close()
		junk := filepath.Join(dir, "junk.db")
		os.WriteFile(junk, []byte("not a database at all, just text"), 0o600)
		if err := Restore(ctx, junk, live); !errors.Is(err, ErrBadBackup) {
			t.Fatalf("restoring junk: %v, want ErrBadBackup", err)
		}
	})
}

func TestBackupIsForSQLiteOnly(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Store) {
		err := s.Backup(context.Background(), filepath.Join(t.TempDir(), "b.db"))
		if s.Dialect() == Postgres && !errors.Is(err, ErrNotSQLite) {
			t.Fatalf("PostgreSQL backup: %v, want ErrNotSQLite", err)
		}
		if s.Dialect() == SQLite && err != nil {
			t.Fatal(err)
		}
	})
}
