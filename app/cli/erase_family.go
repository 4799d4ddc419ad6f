package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"jiashu/app/config"
	"jiashu/store"
)

// cmdEraseFamily: app erase-family --student ID [--dry-run] erases a
// family on request (store.EraseFamily): the student, the siblings who
// share a guardian with them, and those guardians; the figures stay exact.
func cmdEraseFamily(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("erase-family", flag.ContinueOnError)
	student := fs.Int64("student", 0, "id of the student (on the class page and in the API)")
	dryRun := fs.Bool("dry-run", false, "only count what would be erased")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if *student <= 0 || fs.NArg() != 0 {
		fmt.Fprintln(e.stderr, "usage: app erase-family --student ID [--dry-run]")
		return exitUnusable
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "app erase-family: %v\n", err)
		return exitUnusable
	}
	defer st.Close()
	res, err := st.EraseFamily(ctx, *student, store.EraseOptions{DryRun: *dryRun})
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(e.stderr, "app erase-family: 没有编号为 %d 的学生（或已删除）\n", *student)
		return exitProblems
	}
	return reportErasure(e, "erase-family", fmt.Sprintf("学生 %d 的家庭（共用家长的兄弟姐妹和这些家长）", *student), res, err)
}

// isNotCompacted: the erasure is committed, only the compaction failed.
func isNotCompacted(err error) bool { return errors.Is(err, store.ErrNotCompacted) }
