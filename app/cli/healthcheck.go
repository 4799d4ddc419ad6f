package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"jiashu/app/config"
)

// cmdHealthcheck: app healthcheck asks the server this configuration runs
// (--addr; an unspecified host is asked on loopback) for /healthz and exits
// 0 on 200, 1 otherwise. A container image without a shell or curl (the
// Dockerfile's scratch image) uses it as its HEALTHCHECK.
func cmdHealthcheck(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	target := fs.String("url", "", "URL to ask instead of http://ADDR/healthz")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(e.stderr, "usage: app healthcheck [--url URL] [--timeout 5s]")
		return exitUnusable
	}
	if *target == "" {
		*target = healthURL(cfg.Addr)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "app healthcheck: %v\n", err)
		return exitUnusable
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(e.stderr, "app healthcheck: %s: %v\n", *target, err)
		return exitProblems
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	fmt.Fprintf(e.stdout, "%s: %s %s\n", *target, res.Status, body)
	if res.StatusCode != http.StatusOK {
		return exitProblems
	}
	return exitOK
}

// healthURL is /healthz on the listen address, asking loopback when the
// server listens on every address.
func healthURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/healthz"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
