package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"jiashu/app/account"
	"jiashu/app/config"
	"jiashu/app/jobs"
	"jiashu/app/web"
	"jiashu/store"
)

// cmdServe runs the web server until ctx is cancelled (SIGINT/SIGTERM), then shuts down gracefully.
func cmdServe(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.BoolVar(&cfg.Demo, "demo", false, "serve a seeded demo district from its own database")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	log := newLogger(e.stderr, cfg.LogFormat)
	if cfg.Demo {
		// The demo never touches the real database (demo.go).
		cfg.DB = demoDSN(cfg)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		log.Error("open database", "err", err)
		return exitUnusable
	}
	defer st.Close()
	if err := startOnce(ctx, e, st, cfg); err != nil {
		log.Error("start", "err", err)
		return exitUnusable
	}
	srv, err := web.New(cfg, st, log)
	if err != nil {
		log.Error("server", "err", err)
		return exitUnusable
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("listen", "addr", cfg.Addr, "err", err)
		return exitUnusable
	}
	log.Info("serving", "addr", ln.Addr().String(), "db", st.Dialect(), "base_url", cfg.BaseURL)
	if !cfg.Demo && !cfg.BaseURLReachable() {
		// Letters printed now would lead nowhere; the center sees a banner too.
		log.Warn("base URL is unset or this machine: letters' QR codes and links will not open on parents' phones; set --base-url or JIASHU_BASE_URL",
			"base_url", cfg.BaseURL, "given", cfg.BaseURLGiven)
	}
	// Background jobs (app/jobs) run until the server's context ends.
	deps := jobs.Deps{Config: cfg, Store: st, Engine: srv.Letters(), Content: srv.Content(), Catalogue: srv.Catalogue(), Log: log, Now: time.Now}
	runner, err := jobs.NewService(deps)
	if err != nil {
		log.Error("jobs", "err", err)
		return exitUnusable
	}
	srv.Jobs = runner
	// Delivery reports of the SMS provider, asked for by whichever
	// instance holds their lease (app/jobs/receipts.go).
	reports, err := jobs.NewReports(deps, runner.Instance)
	if err != nil {
		log.Error("sms reports", "err", err)
		return exitUnusable
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() {
		if reports != nil {
			go reports.Run(jobsCtx)
		}
		runner.Run(jobsCtx)
		close(jobsDone)
	}()
	defer func() { stopJobs(); <-jobsDone }()
	err = serveUntilDone(ctx, srv.HTTPServer(), ln)
	srv.FlushParentViews() // requests have finished: write the last batch of letter views
	if err != nil {
		log.Error("serve", "err", err)
		return exitUnusable
	}
	log.Info("stopped")
	return exitOK
}

// serveUntilDone serves on ln until ctx ends, then lets requests in flight finish.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openStore opens the configured database, creating the data folder for the default SQLite file.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return store.Open(ctx, cfg.DB)
}

// startOnce does what is done once per database (the demo's seed, the first
// administrator), one starting instance at a time (store.AtStart): the
// later ones find it done.
func startOnce(ctx context.Context, e *env, st *store.Store, cfg config.Config) error {
	return st.AtStart(ctx, func() error {
		if cfg.Demo {
			if err := seedDemo(ctx, st, cfg, e.stderr); err != nil {
				return err // says "demo: …"
			}
		}
		if err := account.EnsureFirstAdmin(ctx, st, e.stderr); err != nil {
			return fmt.Errorf("first administrator: %w", err)
		}
		return nil
	})
}
