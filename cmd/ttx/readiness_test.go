package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scoring"
)

func TestReadinessCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	sc, _ := mustStoreRehearsal(t, db, "ex-1", "hospital-struggling")
	mustStoreRehearsal(t, db, "ex-2", "hospital-strong")
	plan := sc.Plan.Name

	// Rehearsals (or, stored without a kind and mode, training exercises) are left out by
	// default, and the trend says so.
	code, out, stderr := run("readiness", plan, "--db", db, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var tr scoring.Trend
	require.NoError(t, json.Unmarshal([]byte(out), &tr))
	assert.Empty(t, tr.Exercises)
	assert.Equal(t, 2, tr.LeftOut.Rehearsals+tr.LeftOut.Training)

	code, out, stderr = run("readiness", plan, "--include", "rehearsals,training", "--db", db, "--format", "json")
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &tr))
	require.Len(t, tr.Exercises, 2)
	assert.Equal(t, sc.Name, tr.Exercises[0].Scenario)
	assert.Equal(t, scoring.LeftOut{}, tr.LeftOut)

	code, out, _ = run("readiness", plan, "--include", "rehearsals,training", "--db", db, "--format", "svg")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "<svg"))
	assert.Contains(t, out, `data-exercise="ex-2"`)

	code, out, _ = run("readiness", plan, "--db", db)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "# Readiness of")
	assert.Contains(t, out, "Left out:")

	code, _, stderr = run("readiness", plan, "--include", "drills", "--db", db)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown "drills"`)
	code, _, stderr = run("readiness", "no-such-plan", "--db", db)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no exercise of plan")
	code, _, _ = run("readiness", plan, "--db", db, "--format", "pdf")
	assert.Equal(t, 2, code)
}
