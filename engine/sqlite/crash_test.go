package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/scenarios"
)

// helperEnv names the database file of the child process TestHelperProcess runs as.
const helperEnv = "TTX_CRASH_HELPER_DB"

func crashScenario() *scenarios.Scenario {
	plan := &scenarios.Plan{
		Name:       "p",
		Teams:      []*scenarios.Team{{Name: "irt", Tier: 2}, {Name: "cmt", Tier: 4}},
		Severities: []*scenarios.Severity{{Name: "local", Level: 1}, {Name: "crisis", Level: 2}},
		Actions: []*scenarios.Action{
			{Name: "contain", Owner: "irt", Phase: "containment", Due: time.Hour, Weight: 1},
			{Name: "brief", Owner: "irt", Phase: "detection", Due: time.Hour, EscalateTo: "cmt", Weight: 1},
		},
	}
	return &scenarios.Scenario{
		Name: "s", PlanName: "p", Plan: plan, Duration: 8 * time.Hour,
		Injects: []*scenarios.Inject{{Name: "call", HasAt: true, To: []string{"irt"}, Channel: "phone", Subject: "Call", Triggers: []string{"contain", "brief"}}},
	}
}

var crashRecord = engine.ExerciseRecord{ID: "x1", Scenario: "s", Plan: "p", Speed: 60, CreatedAt: epoch}

// TestHelperProcess is the child of TestSIGKILLLosesNothingReported: it opens the database,
// creates or restores the exercise, and records responses from several goroutines as fast as
// it can, printing each seq once its call returned (that is, once it is reported stored),
// until it is killed. Run as a normal test, it does nothing.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		return
	}
	ctx := context.Background()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	store, err := sqlite.Open(path)
	if err != nil {
		fail(err)
	}
	sc, clock := crashScenario(), clockwork.NewFakeClockAt(epoch)
	var x *engine.Exercise
	if _, err := store.Exercise(ctx, crashRecord.ID); engine.ErrorCode(err) == engine.ENotFound {
		if err := store.CreateExercise(ctx, crashRecord); err != nil {
			fail(err)
		}
		x = engine.New(crashRecord, sc, clock, store)
		if err := x.Start(ctx); err != nil {
			fail(err)
		}
	} else {
		if x, err = engine.Restore(ctx, crashRecord, sc, clock, store); err != nil {
			fail(err)
		}
		if err := x.Resume(ctx); err != nil {
			fail(err)
		}
	}
	round := os.Getenv(helperEnv + "_ROUND")
	var out sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100000; i++ {
				r := engine.Response{Team: "irt", Name: fmt.Sprintf("r%s-w%d", round, w), Ref: strconv.Itoa(i)}
				var e engine.Event
				var err error
				if i%3 == 0 {
					e, err = x.Escalate(ctx, r, "cmt", "status update")
				} else {
					e, err = x.Note(ctx, r, "note")
				}
				if err != nil {
					fail(err)
				}
				out.Lock()
				fmt.Fprintf(os.Stdout, "%d\n", e.Seq)
				out.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}

// TestSIGKILLLosesNothingReported kills a process that records responses at a random point,
// mid-write included, and checks that every response it reported stored is in the database
// exactly once, that the log has no gap, and that the restored exercise is the fold of it.
func TestSIGKILLLosesNothingReported(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	printed := make(map[int64]bool)
	for round := range 4 {
		after := 1 + rand.IntN(400)
		t.Logf("round %d: kill after %d reported responses", round, after)

		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), helperEnv+"="+path, fmt.Sprintf("%s_ROUND=%d", helperEnv, round))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		lines := bufio.NewScanner(stdout)
		read := func() bool {
			if !lines.Scan() {
				return false
			}
			seq, err := strconv.ParseInt(lines.Text(), 10, 64)
			require.NoError(t, err, "child printed %q", lines.Text())
			assert.False(t, printed[seq], "seq %d reported twice", seq)
			printed[seq] = true
			return true
		}
		n := 0
		for n < after && read() {
			n++
		}
		if n < after {
			_ = cmd.Wait()
			require.FailNow(t, "the child stopped early", "after %d responses: %s", n, stderr.String())
		}
		require.NoError(t, cmd.Process.Kill())
		for read() { // what it printed before the signal landed was reported stored too
		}
		_ = cmd.Wait()

		store, err := sqlite.Open(path)
		require.NoError(t, err)
		events, err := store.Events(ctx, crashRecord.ID)
		require.NoError(t, err)
		for i, e := range events {
			require.Equal(t, int64(i+1), e.Seq, "the log has no gap and no repeat")
		}
		for seq := range printed {
			assert.LessOrEqual(t, seq, int64(len(events)), "seq %d was reported stored and is lost", seq)
		}
		folded, err := engine.FoldEvents(crashScenario(), events)
		require.NoError(t, err)

		x, err := engine.Restore(ctx, crashRecord, crashScenario(), clockwork.NewFakeClockAt(epoch), store)
		require.NoError(t, err)
		restored := x.EventsSince(0)
		require.Len(t, restored, len(events)+1, "restoring a running exercise appends one clock event")
		assert.Equal(t, events, restored[:len(events)])
		assert.Equal(t, engine.Event{Seq: int64(len(events) + 1), T: folded.T, Wall: epoch, Kind: engine.KindClock, Clock: engine.ClockPaused, Reason: "server restarted"}, restored[len(events)])
		refolded, err := engine.FoldEvents(crashScenario(), restored)
		require.NoError(t, err)
		snap := x.Snapshot()
		assert.Equal(t, engine.StatusPaused, snap.Status)
		assert.Equal(t, refolded.LastSeq, snap.Seq)
		assert.Equal(t, len(refolded.Records["brief"]), len(folded.Records["brief"]))
		require.NoError(t, store.Close())
	}
}

// BenchmarkExerciseResponses records notes into one exercise from many goroutines through the
// engine, as the participants of a large exercise do: each returns once committed, and group
// commit lets them share transactions.
func BenchmarkExerciseResponses(b *testing.B) {
	ctx := context.Background()
	store := mustOpen(b, filepath.Join(b.TempDir(), "ttx.db"))
	require.NoError(b, store.CreateExercise(ctx, crashRecord))
	x := engine.New(crashRecord, crashScenario(), clockwork.NewFakeClockAt(epoch), store)
	require.NoError(b, x.Start(ctx))
	var next sync.Mutex
	id := 0
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		next.Lock()
		id++
		r := engine.Response{Team: "irt", Name: fmt.Sprint("p", id)}
		next.Unlock()
		for pb.Next() {
			if _, err := x.Note(ctx, r, "a response"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
