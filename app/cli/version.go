package cli

import (
	"context"
	"fmt"
	"runtime"

	"jiashu/app/buildinfo"
)

// cmdVersion: app version prints the version and commit the program was
// built from (set by release/build), and the Go toolchain and platform.
func cmdVersion(_ context.Context, e *env, args []string) int {
	if len(args) != 0 {
		fmt.Fprintln(e.stderr, "usage: app version")
		return exitUnusable
	}
	b := buildinfo.Get()
	fmt.Fprintf(e.stdout, "jiashu %s (commit %s, %s, %s/%s)\n", b.Version, b.Commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
