package facilitator_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestEveryExerciseComesBackAfterARestart: a file holding two scenarios whose plans live in
// two other files, both named plan.hcl and loaded through "..", a layout `ttx validate`
// accepts. Each exercise stores every file it needs under a key of its own and comes back
// from them alone.
func TestEveryExerciseComesBackAfterARestart(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, name), []byte(text), 0o644))
	}
	write("a/plan.hcl", planHCL)
	write("b/plan.hcl", strings.Replace(planHCL, `plan "p"`, `plan "q"`, 1))
	write("work/both.hcl", scenarioHCL+strings.NewReplacer(`scenario "s"`, `scenario "t"`, `plan     = "p"`, `plan     = "q"`).Replace(scenarioHCL))
	t.Chdir(filepath.Join(root, "work"))
	lib, diags := scenarios.Load("../a/plan.hcl", "../b/plan.hcl", "both.hcl")
	require.False(t, diags.HasErrors(), diags.Error())
	require.Equal(t, "q", lib.Scenarios["t"].PlanName)

	store := engine.NewMemoryStore()
	ctx := context.Background()
	m1 := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader)
	var created []facilitator.Created
	for _, name := range []string{"s", "t"} {
		x, err := m1.Create(ctx, name, 60)
		require.NoError(t, err, name)
		created = append(created, x)
		rec, err := store.Exercise(ctx, x.ID)
		require.NoError(t, err)
		assert.Len(t, rec.Sources, 3, "both plans and the scenarios' file, none overwriting another: %v", keys(rec.Sources))
	}
	m1.Close()

	empty, diags := scenarios.LoadFS(fstest.MapFS{})
	require.False(t, diags.HasErrors())
	m2 := facilitator.NewManager(store, empty, clockwork.NewFakeClock(), rand.Reader)
	t.Cleanup(m2.Close)
	require.NoError(t, m2.Restore(ctx))
	assert.Empty(t, m2.Unrestored())
	for _, x := range created {
		p, err := m2.Authenticate(x.FacilitatorToken)
		require.NoError(t, err, "exercise %s came back", x.ID)
		assert.Equal(t, x.ID, p.Exercise)
	}
}

// TestSourceKeysNeverCollide: the key of a stored source is one to one with its file name.
func TestSourceKeysNeverCollide(t *testing.T) {
	names := []string{"plan.hcl", "../plan.hcl", "../../plan.hcl", "a/plan.hcl", "../a/plan.hcl",
		"/a/plan.hcl", "/plan.hcl", "%2E%2E/plan.hcl", "%2F/a/plan.hcl", "a/../b/plan.hcl", "b/plan.hcl"}
	seen := map[string]string{}
	for _, name := range names {
		key := facilitator.SourceKey(name)
		assert.True(t, fsValid(key), "%q → %q is a valid fs.FS path", name, key)
		if other, dup := seen[key]; dup && filepath.Clean(other) != filepath.Clean(name) {
			t.Errorf("%q and %q share the key %q", other, name, key)
		}
		seen[key] = name
	}
}

// TestAnExerciseThatCannotComeBackIsListed: the reason is kept and listed; the record and
// log stay as they were.
func TestAnExerciseThatCannotComeBackIsListed(t *testing.T) {
	store := engine.NewMemoryStore()
	ctx := context.Background()
	require.NoError(t, store.CreateExercise(ctx, engine.ExerciseRecord{ID: "broken", Scenario: "s",
		Sources: map[string]string{"x.hcl": "scenario {"}}))
	m := mustManager(t, store, clockwork.NewFakeClock())
	assert.Error(t, m.Restore(ctx))
	lost := m.Unrestored()
	require.Len(t, lost, 1)
	assert.Equal(t, "broken", lost[0].ID)
	assert.Contains(t, lost[0].Reason, "load the stored sources of scenario s")
	_, err := store.Exercise(ctx, "broken")
	assert.NoError(t, err, "the record is kept")
}

func fsValid(key string) bool { return fs.ValidPath(key) }

// TestTruncateCutsCharacters: an id quoted in an error is cut after 40 characters, never
// through one.
func TestTruncateCutsCharacters(t *testing.T) {
	m := mustManager(t, engine.NewMemoryStore(), clockwork.NewFakeClock())
	_, err := m.Exercise(strings.Repeat("é", 50))
	require.Error(t, err)
	assert.True(t, utf8.ValidString(err.Error()), "%q", err.Error())
	assert.Contains(t, err.Error(), strings.Repeat("é", 40)+"…")
}

// TestJoinCodesAreDrawnWithoutBias: a random byte from 240 up would favour the first
// sixteen characters (256 = 8 × 30 + 16); it is thrown away, 240 included, and the next one
// drawn.
func TestJoinCodesAreDrawnWithoutBias(t *testing.T) {
	src := bytes.NewReader([]byte{240, 250, 255, 0, 1, 2, 3, 4, 5, 6, 7})
	code, err := facilitator.NewJoinCode(src)
	require.NoError(t, err)
	assert.Equal(t, facilitator.CodeAlphabet[:4]+"-"+facilitator.CodeAlphabet[4:8], code)
	assert.Zero(t, src.Len(), "every byte was read")
}
