package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rehearseCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(append([]string{"rehearse"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

const acceptanceDir = "../../testdata/acceptance"

func TestRehearseIsByteIdentical(t *testing.T) {
	for _, args := range [][]string{
		{"--rehearsal", acceptanceDir + "/rehearsal.hcl", acceptanceDir},
		{"--rehearsal", acceptanceDir + "/rehearsal.hcl", "--json", acceptanceDir},
		{"--rehearsal", "../../scenarios/library/hospital-ransomware-rehearsals.hcl", "--name", "hospital-struggling", "--json"},
	} {
		code, first, stderr := rehearseCmd(args...)
		require.Equal(t, 0, code, stderr)
		for range 3 {
			_, again, _ := rehearseCmd(args...)
			assert.Equal(t, first, again, "%v", args)
		}
	}
}

func TestRehearseText(t *testing.T) {
	code, out, stderr := rehearseCmd("--rehearsal", acceptanceDir+"/rehearsal.hcl", acceptanceDir)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"Rehearsal acceptance-run of scenario acceptance (plan acceptance-plan 1.0), 4h00m simulated\n",
		"T+0h00m    severity_changed    local (level 1)\n",
		"T+0h30m    inject_delivered    spread → desk, irt  \"More screens\"\n",
		"T+0h30m    action_triggered    brief_cmt → irt, due by T+1h00m\n",
		"T+1h00m    inject_skipped      quiet-press: it follows inject quiet, which was skipped\n",
		"T+1h45m    decision_answered   ransom: cmt chose pay\n",
		"T+4h00m    exercise_ended      duration\n",
		"Every scripted input fitted.\n",
		"Score: 56.3 (M)\n",
		"Not in play: press_release\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestRehearseJSON(t *testing.T) {
	code, out, stderr := rehearseCmd("--json", "--rehearsal", acceptanceDir+"/rehearsal.hcl", acceptanceDir)
	require.Equal(t, 0, code, stderr)
	var r struct {
		Exercise struct {
			ID, Scenario, Plan, Status string
		}
		Score struct {
			Overall float64
		}
		Timeline []struct {
			Seq    int64
			T      string
			Kind   string
			Inject string
			Action string
		}
		InputErrors []any `json:"input_errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "rehearsal-acceptance-run", r.Exercise.ID)
	assert.Equal(t, "acceptance", r.Exercise.Scenario)
	assert.Equal(t, "ended", r.Exercise.Status)
	assert.Equal(t, 56.3, r.Score.Overall)
	assert.Empty(t, r.InputErrors)
	require.Len(t, r.Timeline, 37)
	assert.Equal(t, int64(11), r.Timeline[10].Seq)
	assert.Equal(t, "30m0s", r.Timeline[10].T)
	assert.Equal(t, "inject_delivered", r.Timeline[10].Kind)
	assert.Equal(t, "spread", r.Timeline[10].Inject)
}

func TestRehearseReportsInputsThatDoNotFit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.hcl")
	require.NoError(t, os.WriteFile(file, []byte(`rehearsal "bad" {
  scenario = "acceptance"

  choose {
    team     = "cmt"
    decision = "ransom"
    option   = "refuse"
    at       = "10m"
  }
  respond {
    team   = "marketing"
    action = "log"
    at     = "20m"
  }
  note {
    team = "cmt"
    text = "too late"
    at   = "5h"
  }
}
`), 0o644))
	code, out, stderr := rehearseCmd("--rehearsal", file, acceptanceDir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Scripted inputs that did not fit (3):\n")
	assert.Contains(t, out, file+":4: choose at T+0h10m: decision: ransom has not been put to team cmt\n")
	assert.Contains(t, out, file+":10: respond at T+0h20m: team: the plan has no team \"marketing\"\n")
	assert.Contains(t, out, file+":15: note at T+5h00m: cannot record a response: the exercise has ended\n")

	code, out, stderr = rehearseCmd("--rehearsal", file, "--json", acceptanceDir)
	require.Equal(t, 0, code, stderr)
	var r struct {
		InputErrors []struct{ Pos, Kind, Team, At, Error string } `json:"input_errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Len(t, r.InputErrors, 3)
	assert.Equal(t, file+":10", r.InputErrors[1].Pos)
	assert.Equal(t, "marketing", r.InputErrors[1].Team)
	assert.Equal(t, "20m0s", r.InputErrors[1].At)
}

func TestRehearseStoresTheRunForReport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	args := []string{"--rehearsal", "../../scenarios/library/supplier-outage-rehearsals.hcl", "--name", "supplier-strong", "--db", db}
	code, _, stderr := rehearseCmd(args...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "stored as exercise rehearsal-supplier-strong in "+db)
	code, _, stderr = rehearseCmd(args...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "stored as exercise rehearsal-supplier-strong-2 in "+db, "a second run gets a new id")

	var out, errb bytes.Buffer
	require.Equal(t, 0, Main([]string{"report", "rehearsal-supplier-strong-2", "--db", db, "--format", "json"}, &out, &errb), errb.String())
	var r struct {
		Exercise struct{ ID, Status string }
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &r))
	assert.Equal(t, "rehearsal-supplier-strong-2", r.Exercise.ID)
	assert.Equal(t, "ended", r.Exercise.Status)
}

func TestRehearseErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "give the rehearsal file with --rehearsal FILE"},
		{[]string{"--rehearsal", "nope.hcl"}, 1, "rehearsal file: stat nope.hcl"},
		{[]string{"--rehearsal", "../../scenarios/library/hospital-ransomware-rehearsals.hcl"}, 1,
			"holds 2 rehearsals (hospital-strong, hospital-struggling): choose one with --name"},
		{[]string{"--rehearsal", acceptanceDir + "/rehearsal.hcl", "--name", "zzz", acceptanceDir}, 1, `there is no rehearsal "zzz"`},
		{[]string{"--rehearsal", acceptanceDir + "/plan.hcl", acceptanceDir}, 1, "plan.hcl holds no rehearsal"},
	}
	for _, tt := range tests {
		code, out, stderr := rehearseCmd(tt.args...)
		assert.Equal(t, tt.code, code, "%v", tt.args)
		assert.Empty(t, out)
		assert.True(t, strings.Contains(stderr, tt.msg), "%v: %s", tt.args, stderr)
	}
}
