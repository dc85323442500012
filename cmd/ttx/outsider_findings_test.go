package main

// The outsider audit's findings, each a test that failed before its fix.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rehearsal plays at speed 1 from started_at without pauses, so each event's wall time
// is started_at + t, and wall times never run ahead of later events' simulated times.
func TestOutsiderRehearseWallTimes(t *testing.T) {
	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", outsiderPath("valid", "steady-hands.hcl"), outsiderPath("valid"))
	require.Equal(t, 0, code, stderr)
	var r struct {
		Exercise struct {
			StartedAt time.Time `json:"started_at"`
		} `json:"exercise"`
		Timeline []struct {
			Seq  int       `json:"seq"`
			T    string    `json:"t"`
			Wall time.Time `json:"wall"`
			Kind string    `json:"kind"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	for _, e := range r.Timeline {
		d, err := time.ParseDuration(e.T)
		require.NoError(t, err)
		assert.Equal(t, r.Exercise.StartedAt.Add(d), e.Wall, "seq %d %s at %s", e.Seq, e.Kind, e.T)
	}
}

// A quoted reference gets a suggestion that can be pasted.
func TestOutsiderQuotedReferenceHint(t *testing.T) {
	_, _, stderr := outsiderRun("validate", outsiderPath("invalid", "plan-shape.hcl"))
	assert.Contains(t, stderr, "Write team.desk, without quotes.")
	assert.NotContains(t, stderr, "team.team.desk")
}

// Messages read as English: "An action", "An inject".
func TestOutsiderDuplicateGrammar(t *testing.T) {
	_, _, stderr := outsiderRun("validate", outsiderPath("invalid", "plan-names.hcl"))
	assert.NotContains(t, stderr, "A action named")
	_, _, stderr = outsiderRun("validate", outsiderPath("valid", "harbour-plan.hcl"), outsiderPath("invalid", "scenario-values.hcl"))
	assert.NotContains(t, stderr, "A inject named")
}

// An unknown inject lists the known ones, as unknown teams, actions and decisions do.
func TestOutsiderUnknownInjectListsKnown(t *testing.T) {
	_, _, stderr := outsiderRun("validate", outsiderPath("valid", "harbour-plan.hcl"), outsiderPath("invalid", "scenario-injects.hcl"))
	found := false
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, `no inject named "vanished"`) {
			found = true
			assert.Contains(t, l, "Known: ")
		}
	}
	assert.True(t, found, "no diagnostic names the unknown inject: %s", stderr)
}

// ttx revise --write changes only the lines it revises (scoring.md v2: lines it does not
// change are byte for byte as they were), so the file is never reformatted: every line of the
// original is still in it, in order, but the changed ones.
func TestOutsiderRevisedPlanKeepsItsLines(t *testing.T) {
	db, plan, original := mustFerryExercises(t)
	code, _, stderr := outsiderRun("revise", "--plan", plan, "--db", db, "--write", "rehearsal-first", "rehearsal-second")
	require.Equal(t, 0, code, stderr)
	revised, err := os.ReadFile(plan)
	require.NoError(t, err)
	kept := strings.Split(string(revised), "\n")
	j := 0
	for _, l := range strings.Split(string(original), "\n") {
		found := false
		for k := j; k < len(kept); k++ {
			if kept[k] == l {
				j, found = k+1, true
				break
			}
		}
		if !found {
			changed := strings.Contains(l, "version =") || strings.Contains(l, "owner ") || strings.Contains(l, "due ")
			assert.True(t, changed, "a line the revision should have kept byte for byte: %q", l)
		}
	}
}

// A database in a directory that does not exist gets one sentence saying so, not the path
// twice and SQLite's error code.
func TestOutsiderDatabaseInMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	db := filepath.Join(dir, "ttx.db")
	for _, args := range [][]string{
		{"rehearse", "--db", db, "--rehearsal", outsiderPath("valid", "steady-hands.hcl"), outsiderPath("valid")},
		{"serve", "--db", db, "--scenarios", outsiderPath("valid")},
	} {
		code, _, stderr := outsiderRun(args...)
		assert.Equal(t, 1, code, stderr)
		assert.Equal(t, "ttx "+args[0]+": open database "+db+": the directory "+dir+" does not exist\n", stderr)
	}
}
