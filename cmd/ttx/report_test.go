package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// mustStoreRehearsal plays a bundled rehearsal into a fresh SQLite file as exercise id, with
// the scenario's and plan's sources stored beside it as the server stores them.
func mustStoreRehearsal(tb testing.TB, db, id, rehearsal string) (*scenarios.Scenario, []byte) {
	tb.Helper()
	lib := scenarios.Library()
	set, diags := scenarios.LoadFS(lib)
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	rh := set.Rehearsals[rehearsal]
	require.NotNil(tb, rh)
	sc := set.Scenarios[rh.ScenarioName]
	sources := map[string]string{}
	for _, name := range []string{sc.DeclRange.Filename, sc.Plan.DeclRange.Filename} {
		b, err := fs.ReadFile(lib, name)
		require.NoError(tb, err)
		sources[name] = string(b)
	}
	store, err := sqlite.Open(db)
	require.NoError(tb, err)
	defer store.Close()
	_, err = engine.RehearseExercise(context.Background(), engine.ExerciseRecord{ID: id, Sources: sources}, sc, rh, store)
	require.NoError(tb, err)
	plan, err := fs.ReadFile(lib, sc.Plan.DeclRange.Filename)
	require.NoError(tb, err)
	return sc, plan
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestReportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	sc, _ := mustStoreRehearsal(t, db, "ex-1", "hospital-struggling")

	code, out, stderr := run("report", "ex-1", "--db", db, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var r scoring.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "ex-1", r.Exercise.ID)
	assert.Equal(t, sc.Name, r.Exercise.Scenario)
	assert.Equal(t, "ended", r.Exercise.Status)
	require.NotNil(t, r.Score.Overall)
	assert.NotEmpty(t, r.Gaps)

	for format, marker := range map[string]string{"md": "# After-action report", "html": "<!DOCTYPE html>", "csv": "kind,id,title"} {
		code, out, stderr := run("report", "--db", db, "--format", format, "ex-1")
		require.Equal(t, 0, code, stderr)
		assert.True(t, strings.HasPrefix(out, marker), "%s starts with %q", format, marker)
	}
	code, out, _ = run("report", "ex-1", "--db", db, "--format", "csv", "--table", "timeline")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "seq,t,wall,kind"))
}

func TestReportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ttx.db")
	mustStoreRehearsal(t, db, "ex-1", "hospital-strong")
	for name, tc := range map[string]struct {
		args []string
		code int
		want string
	}{
		"no id":          {[]string{"report", "--db", db}, 2, "exactly one exercise id"},
		"unknown format": {[]string{"report", "ex-1", "--db", db, "--format", "pdf"}, 2, `unknown format "pdf"`},
		"unknown table":  {[]string{"report", "ex-1", "--db", db, "--format", "csv", "--table", "x"}, 2, `unknown table "x"`},
		"unknown id":     {[]string{"report", "nope", "--db", db}, 1, `no exercise "nope"`},
		"no database":    {[]string{"report", "ex-1", "--db", filepath.Join(dir, "missing.db")}, 1, "no database at"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
	_, err := os.Stat(filepath.Join(dir, "missing.db"))
	assert.True(t, os.IsNotExist(err), "a mistyped --db creates nothing")
}

func TestReviseCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ttx.db")
	sc, plan := mustStoreRehearsal(t, db, "ex-1", "hospital-struggling")
	mustStoreRehearsal(t, db, "ex-2", "hospital-struggling")
	planFile := filepath.Join(dir, "plan.hcl")
	require.NoError(t, os.WriteFile(planFile, plan, 0o644))

	code, out, stderr := run("revise", "--plan", planFile, "ex-1", "ex-2", "--db", db)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "--- a/"+strings.TrimLeft(filepath.ToSlash(planFile), "/"))
	assert.Contains(t, out, "Changes to plan "+sc.Plan.Name)
	unchanged, err := os.ReadFile(planFile)
	require.NoError(t, err)
	assert.Equal(t, plan, unchanged, "without --write the file is left alone")

	code, out, stderr = run("revise", "--plan", planFile, "--write", "--db", db, "ex-1", "ex-2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "wrote "+planFile)
	revised, err := os.ReadFile(planFile)
	require.NoError(t, err)
	assert.NotEqual(t, plan, revised)
	assert.Contains(t, string(revised), "# ttx revise")

	// The revised plan still loads with the scenario that ran it.
	lib := scenarios.Library()
	scenarioSrc, err := fs.ReadFile(lib, sc.DeclRange.Filename)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scenario.hcl"), scenarioSrc, 0o644))
	set, diags := scenarios.Load(filepath.Join(dir, "plan.hcl"), filepath.Join(dir, "scenario.hcl"))
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	assert.NotEqual(t, sc.Plan.Version, set.Plans[sc.Plan.Name].Version)

	code, _, stderr = run("revise", "ex-1", "--db", db)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--plan")
}

// TestAnUnrestorableExerciseStaysReadable: an exercise whose log no longer folds (here an
// event naming an inject its scenario lacks) is not restored by the server, which lists it
// with the reason; `ttx report` still reads its log. It has ended, so the server finds out
// when it is first asked for it (issue 17: ended exercises are not restored at start-up).
func TestAnUnrestorableExerciseStaysReadable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	mustStoreRehearsal(t, db, "ex-1", "hospital-struggling")
	ctx := context.Background()
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	events, err := store.Events(ctx, "ex-1")
	require.NoError(t, err)
	last := events[len(events)-1]
	require.NoError(t, store.Append(ctx, "ex-1", []engine.Event{{Seq: last.Seq + 1, T: last.T, Wall: last.Wall,
		Kind: engine.KindInjectDelivered, Inject: "no-such-inject"}}))
	lib, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors())
	m := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader)
	require.NoError(t, m.Restore(ctx), "an ended exercise is filed, not restored")
	_, err = m.Exercise("ex-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-inject")
	lost := m.Unrestored()
	require.Len(t, lost, 1)
	assert.Contains(t, lost[0].Reason, "no-such-inject")
	m.Close()
	require.NoError(t, store.Close())

	code, out, stderr := run("report", "ex-1", "--db", db, "--format", "md")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "# After-action report")
}
