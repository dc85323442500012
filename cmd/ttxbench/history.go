package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// The history benchmark (issue 17): `ttx serve`, built from this tree and run as its own
// process, over databases holding 0, 100 and 1,000 finished exercises. Figures: the time from
// exec to the first answered request and the RSS then; at the largest archive, the first and
// second report of a finished exercise, the review list and a plan's readiness (once the rows
// are kept, as after the first read of each). Baseline: the same server over an empty
// database, in the same run.

// historyAdmin is the admin token of the benchmarked servers.
const historyAdmin = "ttxbench-history-admin-token-0123456789"

// historyStarts is how many times each start-up is measured. The fastest is held to the
// target: on a shared machine every other figure says as much about the neighbours; the
// median is shown beside it.
const historyStarts = 5

func benchHistory(ctx context.Context, sizes []int) ([]Row, error) {
	dir, err := os.MkdirTemp("", "ttxbench-history-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "ttx")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/ttx")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build ttx: %v: %s", err, out)
	}
	base, events, err := playedExercise(ctx)
	if err != nil {
		return nil, err
	}
	type measured struct{ start, median, rss float64 }
	at := map[int]measured{}
	var rows []Row
	sizes = append([]int{0}, sizes...)
	for _, n := range sizes {
		db := filepath.Join(dir, fmt.Sprintf("archive-%d.db", n))
		if err := seedArchive(ctx, db, base, events, n); err != nil {
			return nil, fmt.Errorf("seed %d finished exercises: %w", n, err)
		}
		start, med, rss, err := measureStarts(ctx, bin, db)
		if err != nil {
			return nil, err
		}
		at[n] = measured{start, med, rss}
		if n == 0 {
			continue
		}
		bench := fmt.Sprintf("history N=%d", n)
		rows = append(rows,
			Row{Bench: bench, Figure: "start-up (fastest)", Unit: unitDuration, Value: start, Base: at[0].start,
				Target: "< 1.5x", Met: start < 1.5*at[0].start},
			Row{Bench: bench, Figure: "start-up (median)", Unit: unitDuration, Value: med, Base: at[0].median},
			Row{Bench: bench, Figure: "RSS at start", Unit: unitBytes, Value: rss, Base: at[0].rss,
				Target: "< +20 MiB", Met: rss < at[0].rss+20<<20})
		if n == sizes[len(sizes)-1] {
			reads, err := historyReads(ctx, bin, db, bench)
			if err != nil {
				return nil, err
			}
			rows = append(rows, reads...)
		}
	}
	return rows, nil
}

// playedExercise plays one exercise of the bundled library to its close on a fake clock
// and returns its record and log, to be copied into archives.
func playedExercise(ctx context.Context) (engine.ExerciseRecord, []engine.Event, error) {
	lib, diags := scenarios.LoadFS(scenarios.Library())
	if diags.HasErrors() {
		return engine.ExerciseRecord{}, nil, fmt.Errorf("load the library: %s", diags.Error())
	}
	names := make([]string, 0, len(lib.Scenarios))
	for name := range lib.Scenarios {
		names = append(names, name)
	}
	sort.Strings(names)
	store := engine.NewMemoryStore()
	m := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader)
	defer m.Close()
	c, err := m.Create(ctx, names[0], 60)
	if err != nil {
		return engine.ExerciseRecord{}, nil, err
	}
	x, err := m.Exercise(c.ID)
	if err != nil {
		return engine.ExerciseRecord{}, nil, err
	}
	if err := x.Start(ctx); err != nil {
		return engine.ExerciseRecord{}, nil, err
	}
	for i := 0; i < 1000 && !x.Ended(); i++ {
		if err := x.Advance(ctx); err != nil {
			break // nothing more is due: end it by hand
		}
	}
	if !x.Ended() {
		if err := x.End(ctx); err != nil {
			return engine.ExerciseRecord{}, nil, err
		}
	}
	if err := x.Close(ctx); err != nil {
		return engine.ExerciseRecord{}, nil, err
	}
	rec, err := store.Exercise(ctx, c.ID)
	if err != nil {
		return engine.ExerciseRecord{}, nil, err
	}
	events, err := store.Events(ctx, c.ID)
	return rec, events, err
}

// seedArchive writes n copies of the played exercise into a new database at db, each with
// its own id and credentials, a day apart.
func seedArchive(ctx context.Context, db string, base engine.ExerciseRecord, events []engine.Event, n int) error {
	store, err := sqlite.Open(db)
	if err != nil {
		return err
	}
	defer store.Close()
	for i := range n {
		rec := base
		rec.ID = fmt.Sprintf("hist%06d", i)
		rec.CreatedAt = base.CreatedAt.Add(time.Duration(i) * 24 * time.Hour)
		rec.Credentials = map[string]string{}
		for key := range base.Credentials {
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return err
			}
			rec.Credentials[key] = hex.EncodeToString(b)
		}
		if err := store.CreateExercise(ctx, rec); err != nil {
			return err
		}
		shifted := make([]engine.Event, len(events))
		for j, e := range events {
			e.Wall = e.Wall.Add(time.Duration(i) * 24 * time.Hour)
			shifted[j] = e
		}
		if err := store.Append(ctx, rec.ID, shifted); err != nil {
			return err
		}
	}
	return nil
}

// server is a `ttx serve` process.
type server struct {
	cmd  *exec.Cmd
	url  string
	took time.Duration // from exec to the first answered request
}

// startServe runs bin serve over db and waits for its first answered request.
func startServe(ctx context.Context, bin, db string) (*server, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-db", db)
	cmd.Env = append(os.Environ(), "TTX_ADMIN_TOKEN="+historyAdmin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "ttx serving on "); ok {
			s.url = addr
			break
		}
	}
	go func() {
		for lines.Scan() {
		}
	}()
	if s.url == "" {
		s.stop()
		return nil, errors.New("ttx serve did not say where it listens")
	}
	for {
		if _, err := s.get(ctx, "/api/whoami"); err == nil {
			s.took = time.Since(began)
			return s, nil
		}
		if ctx.Err() != nil {
			s.stop()
			return nil, fmt.Errorf("ttx serve answered nothing: %w", ctx.Err())
		}
		time.Sleep(time.Millisecond) // polling a process we do not control: no channel to wait on
	}
}

// get asks path as the admin and returns how long the answer took.
func (s *server) get(ctx context.Context, path string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+historyAdmin)
	began := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var buf [32 << 10]byte
	for {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return time.Since(began), nil
}

// rss returns the resident set size of the server process.
func (s *server) rss() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// measureStarts starts the server over db historyStarts times and returns the fastest and the
// median start-up time and the median RSS at the first answer.
func measureStarts(ctx context.Context, bin, db string) (fastest, med, rss float64, err error) {
	var starts, rsss []float64
	for range historyStarts {
		s, err := startServe(ctx, bin, db)
		if err != nil {
			return 0, 0, 0, err
		}
		r, err := s.rss()
		s.stop()
		if err != nil {
			return 0, 0, 0, err
		}
		starts = append(starts, float64(s.took))
		rsss = append(rsss, r)
	}
	return slices.Min(starts), median(starts), median(rsss), nil
}

// historyReads measures, over the archive db, the first and second report of a finished
// exercise and the first review list ever (which computes and keeps every row, once), then,
// after a restart, the review list and readiness from the kept rows and the RSS after them.
func historyReads(ctx context.Context, bin, db, bench string) ([]Row, error) {
	s, err := startServe(ctx, bin, db)
	if err != nil {
		return nil, err
	}
	defer func() { s.stop() }()
	timed := func(path string) (float64, error) {
		d, err := s.get(ctx, path)
		return float64(d), err
	}
	var rows []Row
	report := "/api/exercises/hist000007/report?format=html"
	first, err := timed(report)
	if err != nil {
		return nil, err
	}
	second, err := timed(report)
	if err != nil {
		return nil, err
	}
	rows = append(rows,
		Row{Bench: bench, Figure: "first report (loaded)", Unit: unitDuration, Value: first},
		Row{Bench: bench, Figure: "second report (kept)", Unit: unitDuration, Value: second})
	once, err := timed("/api/review/exercises?limit=1000")
	if err != nil {
		return nil, err
	}
	if _, err := timed("/api/exercises"); err != nil { // lists them all: each listing kept
		return nil, err
	}
	rss, err := s.rss()
	if err != nil {
		return nil, err
	}
	rows = append(rows,
		Row{Bench: bench, Figure: "review list, first ever (each row computed)", Unit: unitDuration, Value: once},
		Row{Bench: bench, Figure: "RSS after computing every row", Unit: unitBytes, Value: rss})

	// A restart: from now on every row is kept.
	s.stop()
	if s, err = startServe(ctx, bin, db); err != nil {
		return nil, err
	}
	plan, err := planOf(db)
	if err != nil {
		return nil, err
	}
	for _, r := range []struct{ figure, path string }{
		{"review list (1,000)", "/api/review/exercises?limit=1000"},
		{"review list page (100)", "/api/review/exercises"},
		{"readiness", "/api/plans/" + plan + "/readiness"},
	} {
		// The first answer after the restart decodes the kept rows; the target is held to it.
		cold, err := timed(r.path)
		if err != nil {
			return nil, err
		}
		var ds []float64
		for range 5 {
			d, err := timed(r.path)
			if err != nil {
				return nil, err
			}
			ds = append(ds, d)
		}
		rows = append(rows,
			Row{Bench: bench, Figure: r.figure + ", first", Unit: unitDuration, Value: cold,
				Target: "< 200ms", Met: cold < float64(200*time.Millisecond)},
			Row{Bench: bench, Figure: r.figure + ", again (median)", Unit: unitDuration, Value: median(ds)})
	}
	if rss, err = s.rss(); err != nil {
		return nil, err
	}
	rows = append(rows, Row{Bench: bench, Figure: "RSS after these reads (restarted)", Unit: unitBytes, Value: rss})
	return rows, nil
}

// planOf returns the plan of the archive's exercises.
func planOf(db string) (string, error) {
	store, err := sqlite.Open(db)
	if err != nil {
		return "", err
	}
	defer store.Close()
	rec, err := store.Exercise(context.Background(), "hist000000")
	return rec.Plan, err
}
