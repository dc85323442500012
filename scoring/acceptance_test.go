package scoring_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// TestAcceptance scores the engine's headless run of the outsider's fixture in
// testdata/acceptance and compares it, as its README says, with the scores, items, open and
// not-in-play actions and gaps they worked out by hand from the design documents.
func TestAcceptance(t *testing.T) {
	dir := filepath.Join("..", "testdata", "acceptance")
	set, diags := scenarios.LoadFS(os.DirFS(dir))
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	rh := set.Rehearsals["acceptance-run"]
	require.NotNil(t, rh)
	sc := set.Scenarios[rh.ScenarioName]
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	got := scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events})

	var want struct {
		Exercise scoring.ExerciseInfo `json:"exercise"`
		Score    scoring.Scores       `json:"score"`
		Ratings  scoring.Ratings      `json:"ratings"`
		Items    []struct {
			Kind        string            `json:"kind"`
			ID          string            `json:"id"`
			Team        string            `json:"team"`
			TriggeredAt *scoring.Duration `json:"triggered_at"`
			Deadline    *scoring.Duration `json:"deadline"`
			DoneAt      *scoring.Duration `json:"done_at"`
			By          string            `json:"by"`
			Answer      string            `json:"answer"`
			Credit      float64           `json:"credit"`
			Weight      float64           `json:"weight"`
			Gaps        []string          `json:"gaps"`
		} `json:"items"`
		NotInPlay []string `json:"not_in_play"`
		Open      []string `json:"open"`
		Gaps      []struct {
			Item, Team, Kind string
		} `json:"gaps"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "expected_scores.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &want))
	// expected_scores.json was worked out before v2's scores by objective; its scenario has
	// no objective, so there are none.
	if want.Score.ByObjective == nil && want.Ratings.ByObjective == nil {
		want.Score.ByObjective, want.Ratings.ByObjective = map[string]float64{}, map[string]string{}
	}

	assert.Equal(t, want.Exercise.Scenario, got.Exercise.Scenario)
	assert.Equal(t, want.Exercise.Plan, got.Exercise.Plan)
	assert.Equal(t, want.Exercise.PlanVersion, got.Exercise.PlanVersion)
	assert.Equal(t, want.Score, got.Score)
	assert.Equal(t, want.Ratings, got.Ratings)
	assert.ElementsMatch(t, want.NotInPlay, got.NotInPlay)
	assert.ElementsMatch(t, want.Open, got.Open)

	scored := 0
	for _, it := range got.Items {
		if it.Scored() {
			scored++
		}
	}
	assert.Equal(t, len(want.Items), scored, "scored items")
	for _, w := range want.Items {
		g := mustItem(t, got, w.Kind, w.ID, w.Team)
		name := w.Kind + " " + w.ID + " " + w.Team
		require.NotNil(t, g.Credit, name)
		assert.Equal(t, w.Credit, *g.Credit, name)
		assert.Equal(t, w.Weight, g.Weight, name)
		assert.Equal(t, w.Gaps, g.Gaps, name)
		assert.Equal(t, w.Answer, g.Answer, name)
		if w.Kind == "action" {
			// Here an absent done_at or by means nobody recorded it; decisions in the
			// fixture give only the answer.
			assert.Equal(t, w.By, g.By, name)
			assert.Equal(t, w.TriggeredAt, &g.TriggeredAt, name)
			assert.Equal(t, w.Deadline, g.Deadline, name)
			assert.Equal(t, w.DoneAt, g.DoneAt, name)
		}
	}
	type gapKey struct{ Item, Team, Kind string }
	var wantGaps, gotGaps []gapKey
	for _, g := range want.Gaps {
		wantGaps = append(wantGaps, gapKey(g))
	}
	for _, g := range got.Gaps {
		gotGaps = append(gotGaps, gapKey{g.Item, g.Team, g.Kind})
	}
	assert.ElementsMatch(t, wantGaps, gotGaps)

	// The report's timeline against theirs, in their line format. The report also names the
	// decision an inject puts; their lines do not, so it is left out here.
	var lines []string
	for _, te := range got.Timeline {
		l := te.T.String() + " " + te.Kind
		add := func(k, v string) {
			if v != "" {
				l += " " + k + "=" + v
			}
		}
		add("inject", te.Inject)
		add("action", te.Action)
		if te.Kind != "inject_delivered" {
			add("decision", te.Decision)
		}
		add("team", te.Team)
		if te.Kind != "exercise_started" { // v2 names the teams in play there; their v1 lines do not
			add("to", strings.Join(te.To, ","))
		}
		add("option", te.Option)
		add("severity", te.Severity)
		if te.Due != nil {
			add("due", te.Due.String())
		}
		lines = append(lines, l)
	}
	timeline, err := os.ReadFile(filepath.Join(dir, "expected_timeline.txt"))
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(timeline)), strings.Join(lines, "\n"))
}
