package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
)

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// runServe is `ttx serve`: the live server over an SQLite file or a PostgreSQL database, with
// the bundled scenarios and any scenario directories. It stops gracefully on SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := dbFlag(fs, "ttx.db")
	var dirs, origins, proxies stringList
	fs.Var(&dirs, "scenarios", "a directory or file of scenarios to serve besides the bundled ones (repeatable)")
	fs.Var(&origins, "allow-origin", "an origin (https://host) besides the server's own that may open the WebSocket (repeatable)")
	fs.Var(&proxies, "trusted-proxy", "the address or CIDR of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
	accessLog := fs.Bool("access-log", false, "log one line per HTTP request (method, path, status, time, client IP)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx serve [--addr 127.0.0.1:8080] [--db ttx.db|postgres://…] [--scenarios DIR]… [--allow-origin URL]… [--trusted-proxy ADDR]… [--access-log]")
		fmt.Fprintln(stderr, "\nTo serve a room, listen on every interface: --addr 0.0.0.0:8080.")
		fmt.Fprintf(stderr, "\nThe admin token is TTX_ADMIN_TOKEN (at least %d characters), or on SQLite a new one printed on stdout at start-up.\n", minAdminTokenRunes)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ttx serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}

	for _, p := range proxies {
		if !validProxy(p) {
			fmt.Fprintf(stderr, "ttx serve: --trusted-proxy %q is not an IP address or CIDR (10.0.0.1, 10.0.0.0/8, ::1)\n", p)
			return 2
		}
	}
	cfg := serveConfig{addr: *addr, db: chooseDB(fs, *db, os.Getenv(envDB)), dirs: dirs, origins: origins,
		proxies: proxies, accessLog: *accessLog, adminToken: os.Getenv("TTX_ADMIN_TOKEN")}
	if err := checkAdminToken(cfg.adminToken); err != nil {
		fmt.Fprintf(stderr, "ttx serve: %v\n", err)
		return 2
	}
	if isPostgres(cfg.db) && cfg.adminToken == "" {
		// Every server on one database must accept the same admin token: none may make its own.
		fmt.Fprintln(stderr, "ttx serve: on PostgreSQL the admin token must be set: give every server the same TTX_ADMIN_TOKEN")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, cfg, stdout, stderr)
}

// minAdminTokenRunes is the shortest TTX_ADMIN_TOKEN accepted: the admin token is the one
// credential a person chooses, and guessing it is slowed down but not made impossible.
const minAdminTokenRunes = 16

// checkAdminToken refuses a TTX_ADMIN_TOKEN that is set but shorter than minAdminTokenRunes.
// An empty one means "generate one".
func checkAdminToken(token string) error {
	if n := utf8.RuneCountInString(token); token != "" && n < minAdminTokenRunes {
		return fmt.Errorf("TTX_ADMIN_TOKEN is %d characters long; use at least %d (or unset it and a random one is printed at start-up)", n, minAdminTokenRunes)
	}
	return nil
}

// validProxy reports whether p is an IP address or a CIDR.
func validProxy(p string) bool {
	if net.ParseIP(p) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(p)
	return err == nil
}

type serveConfig struct {
	addr       string
	db         string
	dirs       []string
	origins    []string
	proxies    []string
	accessLog  bool // --access-log
	adminToken string
	// ready, when set, receives the listening address once the server accepts connections.
	ready chan<- string
}

// serve runs the server until ctx is done.
func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	lib, ok := loadLibrary(cfg.dirs, stderr)
	if !ok {
		return 1
	}
	if !isPostgres(cfg.db) {
		// One process serves one SQLite file for its whole life: a second would split its
		// exercises between two processes. (Servers share a PostgreSQL database by design.)
		unlock, err := sqlite.Lock(cfg.db)
		if err != nil {
			fmt.Fprintf(stderr, "ttx serve: %v\n", err)
			return 1
		}
		defer unlock()
	}
	store, err := openStore(ctx, cfg.db, false)
	if err != nil {
		fmt.Fprintf(stderr, "ttx serve: %v\n", err)
		return 1
	}
	defer store.Close()

	token := cfg.adminToken
	generated := token == ""
	if generated {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			fmt.Fprintf(stderr, "ttx serve: %v\n", err)
			return 1
		}
		token = base64.RawURLEncoding.EncodeToString(b)
	}
	opts := []facilitator.Option{facilitator.WithAdminToken(token)}
	if pg, ok := store.(*postgres.Store); ok {
		// One replica among any number on the database (design/scale.md).
		opts = append(opts, facilitator.WithReplicas(pg, func(err error) {
			logger.Warn("replica", slog.Any("err", err))
		}))
	}
	m := facilitator.NewManager(store, lib, clockwork.NewRealClock(), rand.Reader, opts...)
	defer m.Close()
	if err := m.Restore(ctx); err != nil {
		// The exercises that could not come back are named; the others are served.
		logger.Error("some exercises could not be restored", slog.Any("err", err))
	}
	wcfg := web.Config{Manager: m, Logger: logger, AllowedOrigins: cfg.origins, TrustedProxies: cfg.proxies,
		AccessLog: cfg.accessLog}
	if pg, ok := store.(*postgres.Store); ok {
		wcfg.Guesses = pg // the guessing limit holds across replicas
	}
	srv := web.NewServer(wcfg)
	defer srv.Close()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "ttx serve: %v\n", err)
		return 1
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		// A body (64 KiB at most) trickled slower than this holds no connection; a WebSocket
		// sets its own deadlines once upgraded.
		ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	for _, u := range reachableURLs(ln.Addr()) {
		fmt.Fprintf(stdout, "ttx serving on %s\n", u)
	}
	if generated {
		fmt.Fprintf(stdout, "admin token: %s\n", token)
	} else {
		fmt.Fprintln(stdout, "admin token: the one in TTX_ADMIN_TOKEN")
	}
	if cfg.ready != nil {
		cfg.ready <- ln.Addr().String()
	}

	// Ended exercises asked for leave memory again when idle (facilitator.ResidentIdle).
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-sweep.C:
				m.Sweep()
			}
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "ttx serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "ttx: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// On SQLite, the one server of its exercises pauses them at the simulated time of the
	// stop, before anything closes; on PostgreSQL the other replicas serve on.
	if _, replica := store.(*postgres.Store); !replica {
		if err := m.PauseForStop(shutdownCtx); err != nil {
			logger.Warn("some running exercises could not be paused for the stop", slog.Any("err", err))
		}
	}
	srv.Close() // WebSocket connections are hijacked: Shutdown does not wait for them
	if err := hs.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "ttx serve: shutdown: %v\n", err)
	}
	return 0
}

// loadLibrary loads the bundled scenarios and those of dirs into one set, printing every
// diagnostic of dirs. The bundled library's warnings (its discussions, which language.md
// warns of in case one was an oversight) are not the operator's to act on: `ttx validate`
// shows them, and only its errors are printed here. A scenario in dirs may use only a plan of
// dirs; names must not clash with the bundled ones.
func loadLibrary(dirs []string, stderr io.Writer) (*scenarios.Set, bool) {
	lib, diags := scenarios.LoadFS(scenarios.Library())
	ok := printDiagnostics(stderr, lib, errorsOnly(diags))
	if len(dirs) > 0 {
		more, diags := scenarios.Load(dirs...)
		ok = printDiagnostics(stderr, more, diags) && ok
		if ok {
			ok = mergeSet(lib, more, stderr)
		}
	}
	return lib, ok
}

// errorsOnly returns the errors of diags.
func errorsOnly(diags hcl.Diagnostics) hcl.Diagnostics {
	var errs hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d)
		}
	}
	return errs
}

// printDiagnostics prints diags as `ttx validate` does and reports whether none is an error.
func printDiagnostics(stderr io.Writer, set *scenarios.Set, diags hcl.Diagnostics) bool {
	var files map[string]*hcl.File
	if set != nil {
		files = set.Files
	}
	writeDiagnostics(stderr, files, diags)
	return !diags.HasErrors()
}

// mergeSet adds more's plans, scenarios and files to lib, refusing a name used in both.
func mergeSet(lib, more *scenarios.Set, stderr io.Writer) bool {
	ok := true
	for name, p := range more.Plans {
		if _, dup := lib.Plans[name]; dup {
			fmt.Fprintf(stderr, "ttx serve: plan %q in %s is also a bundled plan; rename it\n", name, p.DeclRange.Filename)
			ok = false
		}
		lib.Plans[name] = p
	}
	for name, sc := range more.Scenarios {
		if _, dup := lib.Scenarios[name]; dup {
			fmt.Fprintf(stderr, "ttx serve: scenario %q in %s is also a bundled scenario; rename it\n", name, sc.DeclRange.Filename)
			ok = false
		}
		lib.Scenarios[name] = sc
	}
	for name, r := range more.Rehearsals {
		lib.Rehearsals[name] = r
	}
	for name, f := range more.Files {
		lib.Files[name] = f
	}
	return ok
}
