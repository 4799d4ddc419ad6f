// Command app is the 反诈家书 service: the web server, and the command-line
// tools administrators use on the same database (import, letters, users).
// Everything is behind cli.Run, so tests run commands in-process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"jiashu/app/cli"
)

func main() {
	cli.PrivateUmask()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
