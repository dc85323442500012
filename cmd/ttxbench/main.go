// Command ttxbench measures ttx against baselines measured in the same run on the same
// machine (issue 7) and prints one table: each figure, its baseline, and their ratio.
//
//  1. fan-out: a real ttx server in this process (web.Server over facilitator.Manager, SQLite
//     in a temporary directory) on a loopback listener; N gorilla WebSocket participants joined
//     to one exercise; a burst of ad-hoc injects posted through the facilitator API. Baseline:
//     a minimal gorilla broadcast server with the same clients and message sizes.
//  2. responses: participants sending `act` as fast as acks return. Baseline: the same rows
//     inserted into SQLite with the same pragmas, one writer, big transactions.
//     responses-postgres: the same on PostgreSQL (engine/postgres, a private cluster with
//     fsync on, or -postgres); baseline: the same rows inserted into the same schema on the
//     same server, one connection, transactions of 1,000 rows.
//     2b. replicas (design/scale.md): fan-out to -replica-clients participants on each of one
//     and three replicas on PostgreSQL, against one SQLite server with as many; durable
//     responses over one and three replicas, against the raw batched insert on the same
//     server; the takeover of a clock when its owner dies, against the claim period; an
//     event's latency to a client on another replica, against one on the same replica.
//  3. rehearsal: generated scenarios of 100, 1,000 and 10,000 injects over 72 simulated hours
//     with ten times as many scripted responses, loaded, played and scored. Baseline: sorting
//     and iterating as many events, a lower bound.
//  4. loading: a 10,000-inject scenario validated. Baseline: parsing its bytes with hclparse.
//  5. history: `ttx serve` over 100 and 1,000 finished exercises: start-up, RSS, reports,
//     the review list and readiness (history.go). Baseline: the same server over an empty
//     database.
//
// Everything runs on loopback, in bounded loops with deadlines, and stops by itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags set.
type config struct {
	suites     []string
	clients    []int
	messages   int
	repeat     int
	responders int
	respondFor time.Duration
	sizes      []int
	loadSize   int
	history    []int
	markdown   string
	cpuProfile string
	timeout    time.Duration
	postgres   string
	perReplica int
}

var allSuites = []string{"fanout", "responses", "responses-postgres", "replicas", "rehearsal", "loading", "history"}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttxbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	suites := fs.String("suites", strings.Join(allSuites, ","), "which benchmarks to run, comma-separated: "+strings.Join(allSuites, ", "))
	clients := fs.String("clients", "500,2000,5000", "fan-out: numbers of WebSocket participants")
	messages := fs.Int("messages", 10, "fan-out: injects in the burst, after the paced ones (at most 900)")
	repeat := fs.Int("repeat", 2, "fan-out: how many times ttx and the baseline take turns")
	responders := fs.Int("responders", 100, "responses: participants sending actions concurrently")
	respondFor := fs.Duration("respond-for", 5*time.Second, "responses: how long they send")
	sizes := fs.String("sizes", "100,1000,10000", "rehearsal: numbers of injects")
	loadSize := fs.Int("load-injects", 10000, "loading: injects in the validated scenario")
	history := fs.String("history", "100,1000", "history: numbers of finished exercises in the database (besides the empty baseline)")
	markdown := fs.String("markdown", "", "also write the table as Markdown to this file (for docs/performance.md)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	timeout := fs.Duration("timeout", 15*time.Minute, "give up after this long")
	pgURL := fs.String("postgres", "", "responses-postgres: a PostgreSQL server to use (a URL whose user may create databases) instead of a private cluster")
	perReplica := fs.Int("replica-clients", 2000, "replicas: WebSocket participants on each replica in the fan-out")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := config{perReplica: *perReplica, messages: *messages, repeat: *repeat, responders: *responders, respondFor: *respondFor,
		loadSize: *loadSize, markdown: *markdown, cpuProfile: *cpuProfile, timeout: *timeout, postgres: *pgURL}
	var err error
	if cfg.clients, err = intList(*clients); err != nil {
		fmt.Fprintf(stderr, "ttxbench: -clients: %v\n", err)
		return 2
	}
	if cfg.history, err = intList(*history); err != nil {
		fmt.Fprintf(stderr, "ttxbench: -history: %v\n", err)
		return 2
	}
	if cfg.sizes, err = intList(*sizes); err != nil {
		fmt.Fprintf(stderr, "ttxbench: -sizes: %v\n", err)
		return 2
	}
	for _, s := range strings.Split(*suites, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(allSuites, s) {
			fmt.Fprintf(stderr, "ttxbench: -suites: unknown benchmark %q; use some of %s\n", s, strings.Join(allSuites, ", "))
			return 2
		}
		cfg.suites = append(cfg.suites, s)
	}
	if cfg.messages < 1 || cfg.messages > 900 || cfg.repeat < 1 || cfg.repeat > 10 || cfg.responders < 1 || cfg.respondFor <= 0 || cfg.loadSize < 1 {
		fmt.Fprintln(stderr, "ttxbench: -messages must be 1 to 900, -repeat 1 to 10; -responders, -respond-for and -load-injects positive")
		return 2
	}

	if err := raiseOpenFileLimit(); err != nil {
		fmt.Fprintf(stderr, "ttxbench: raise the open-file limit: %v (fan-out to many clients may fail)\n", err)
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "ttxbench: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "ttxbench: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	loadBefore := loadAverage()
	rows, err := runSuites(ctx, cfg, stderr)
	if len(rows) > 0 {
		fmt.Fprintln(stdout)
		// Other work on the machine skews every figure; the ratios less so.
		fmt.Fprintf(stdout, "load average before: %s; after: %s (%d CPUs)\n\n", loadBefore, loadAverage(), runtime.NumCPU())
		if perr := printTable(stdout, rows); perr != nil {
			fmt.Fprintf(stderr, "ttxbench: %v\n", perr)
		}
		if cfg.markdown != "" {
			var b strings.Builder
			fmt.Fprintf(&b, "Load average before: %s; after: %s (%d CPUs).\n\n", loadBefore, loadAverage(), runtime.NumCPU())
			printMarkdown(&b, rows)
			if werr := os.WriteFile(cfg.markdown, []byte(b.String()), 0o644); werr != nil {
				fmt.Fprintf(stderr, "ttxbench: %v\n", werr)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "ttxbench: %v\n", err)
		return 1
	}
	return 0
}

// runSuites runs the chosen benchmarks in order, logging progress to log, and returns the
// rows of those that finished. A benchmark that fails is reported and the next one runs; the
// failures come back joined. Once ctx is done nothing more starts.
func runSuites(ctx context.Context, cfg config, log io.Writer) ([]Row, error) {
	var rows []Row
	var errs []error
	step := func(what string, f func() ([]Row, error)) {
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
			return
		}
		start := time.Now()
		fmt.Fprintf(log, "ttxbench: %s…\n", what)
		r, err := f()
		if err != nil {
			err = fmt.Errorf("%s: %w", what, err)
			fmt.Fprintf(log, "ttxbench: %v\n", err)
			errs = append(errs, err)
			return
		}
		fmt.Fprintf(log, "ttxbench: %s done in %s\n", what, time.Since(start).Round(time.Millisecond))
		rows = append(rows, r...)
	}
	for _, s := range cfg.suites {
		switch s {
		case "fanout":
			for _, n := range cfg.clients {
				if limit := maxClients(); n > limit {
					err := fmt.Errorf("fan-out to %d clients needs about %d open files, and this process may open %d; raise the limit (ulimit -n) or lower -clients",
						n, 2*n+256, 2*limit+256)
					fmt.Fprintf(log, "ttxbench: %v\n", err)
					errs = append(errs, err)
					continue
				}
				step(fmt.Sprintf("fan-out to %d clients", n), func() ([]Row, error) {
					return benchFanout(ctx, n, cfg.messages, cfg.repeat)
				})
			}
		case "responses":
			step(fmt.Sprintf("responses from %d participants", cfg.responders), func() ([]Row, error) {
				return benchResponses(ctx, cfg.responders, cfg.respondFor, sqliteBackend)
			})
		case "responses-postgres":
			step(fmt.Sprintf("responses on PostgreSQL from %d participants", cfg.responders), func() (rows []Row, err error) {
				srv, err := startPostgres(cfg.postgres)
				if err != nil {
					return nil, err
				}
				defer func() { err = errors.Join(err, srv.Close()) }()
				backend, err := postgresBackend(ctx, srv)
				if err != nil {
					return nil, err
				}
				return benchResponses(ctx, cfg.responders, cfg.respondFor, backend)
			})
		case "replicas":
			step(fmt.Sprintf("replicas on PostgreSQL (%d clients each)", cfg.perReplica), func() (rows []Row, err error) {
				srv, err := startPostgres(cfg.postgres)
				if err != nil {
					return nil, err
				}
				defer func() { err = errors.Join(err, srv.Close()) }()
				return benchReplicas(ctx, srv, cfg.perReplica, cfg.messages, cfg.responders, cfg.respondFor)
			})
		case "rehearsal":
			step("rehearsal and scoring", func() ([]Row, error) {
				return benchRehearsal(ctx, cfg.sizes)
			})
		case "history":
			step("history", func() ([]Row, error) {
				return benchHistory(ctx, cfg.history)
			})
		case "loading":
			step(fmt.Sprintf("loading %d injects", cfg.loadSize), func() ([]Row, error) {
				return benchLoading(ctx, cfg.loadSize)
			})
		}
	}
	return rows, errors.Join(errs...)
}

// loadAverage returns the 1, 5 and 15 minute load averages of /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive whole number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// raiseOpenFileLimit lifts the limit on open files: every in-process client holds two
// descriptors, its own and the server's end. It asks for wantOpenFiles (which a privileged
// process may set above its hard limit) and settles for the hard limit.
func raiseOpenFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur >= wantOpenFiles {
		return nil
	}
	want := syscall.Rlimit{Cur: wantOpenFiles, Max: max(lim.Max, wantOpenFiles)}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
		return nil
	}
	lim.Cur = lim.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

const wantOpenFiles = 65536

// maxClients is how many fan-out clients the open-file limit leaves room for: two
// descriptors each, and some to spare for the database, the listener and the runtime.
func maxClients() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0
	}
	return max(int(lim.Cur)-256, 0) / 2
}
