package scoring_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

func mustReviseFixture(tb testing.TB) ([]byte, *scenarios.Scenario) {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "revise", "plan.hcl"))
	require.NoError(tb, err)
	set, diags := scenarios.LoadFS(os.DirFS(filepath.Join("testdata", "revise")))
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	sc := set.Scenarios["ward-ransomware"]
	require.NotNil(tb, sc)
	return src, sc
}

// reviseExercise plays the fixture scenario: log_report always by irt (wrong owner),
// escalate_to_irt on time, contain_hosts recorded containAt (late), notify_regulator (fixed)
// recorded notifyAt (late), invoke_bcp never (missed).
func reviseExercise(tb testing.TB, sc *scenarios.Scenario, id string, containAt, notifyAt time.Duration) scoring.Report {
	tb.Helper()
	l := newLog().
		deliver(0, "helpdesk-call", "service_desk").
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		trig(0, "contain_hosts", "irt", h).
		rec(5*m, "log_report", "irt").
		rec(10*m, "escalate_to_irt", "service_desk").
		rec(containAt, "contain_hosts", "irt").
		deliver(h, "outage", "cmt", "legal").
		trig(h, "invoke_bcp", "cmt", h).
		trig(h, "notify_regulator", "legal", 72*h).
		rec(notifyAt, "notify_regulator", "legal").
		end(96 * h)
	r := scoring.Score(scoring.Input{ID: id, Scenario: sc, Events: l.events})
	require.Equal(tb, "ended", r.Exercise.Status)
	return r
}

func TestRevise(t *testing.T) {
	src, sc := mustReviseFixture(t)
	a := reviseExercise(t, sc, "ex-a", h+10*m, 80*h)
	b := reviseExercise(t, sc, "ex-b", h+22*m, 76*h)
	require.Equal(t, []string{"late"}, mustItem(t, a, "action", "contain_hosts", "irt").Gaps)
	require.Equal(t, []string{"wrong_owner"}, mustItem(t, b, "action", "log_report", "service_desk").Gaps)

	rv, err := scoring.Revise("plan.hcl", src, []scoring.Report{a, b}, scoring.ReviseOptions{})
	require.NoError(t, err)
	assert.Equal(t, "2.1", rv.OldVersion)
	assert.Equal(t, "2.2", rv.NewVersion)
	assert.Equal(t, []string{"ex-a", "ex-b"}, rv.Exercises)

	require.Len(t, rv.Changes, 3)
	assert.Equal(t, "log_report", rv.Changes[0].Action)
	assert.Equal(t, "owner", rv.Changes[0].Attribute)
	assert.Equal(t, "team.service_desk", rv.Changes[0].Old)
	assert.Equal(t, "team.irt", rv.Changes[0].New)
	// (v2) The median of 1h10m and 1h22m is their mean, 1h16m: rounded up to the next 5
	// minutes, 1h20m (v1 took the slowest, 1h25m).
	assert.Equal(t, scoring.Change{Action: "contain_hosts", Attribute: "due", Old: "1h", New: "1h20m", Rule: "late",
		Reason:   rv.Changes[1].Reason,
		Evidence: rv.Changes[1].Evidence}, rv.Changes[1])
	assert.Contains(t, rv.Changes[1].Reason, "ex-a triggered 0s, recorded 1h10m0s; ex-b triggered 0s, recorded 1h22m0s")
	assert.Equal(t, "version", rv.Changes[2].Attribute)

	out := string(rv.Source)
	// The comments and layout of the original survive.
	for _, kept := range []string{
		"# Acme Health incident response plan, as the continuity manager keeps it.\n",
		`  version = "2.2" # bumped by every accepted revision` + "\n",
		"  # The service desk logs every report first.\n",
		`    due        = "15m" # the SLA of a P1 ticket` + "\n",
		`    due         = "72h"` + "\n",
		`    fixed       = true # a legal deadline: revisions never relax it` + "\n",
	} {
		assert.Contains(t, out, kept)
	}
	// A comment with the evidence directly above each changed line.
	assert.Contains(t, out, "    # ttx revise 2.2: owner was team.service_desk; wrong_owner in every exercise, always done by irt: ex-a at 5m0s; ex-b at 5m0s\n    owner      = team.irt\n")
	// (v2) The changed line keeps its alignment: lines not changed are byte for byte.
	assert.Contains(t, out, "    # ttx revise 2.2: due was \"1h\"; late in every exercise, median 1h16m0s from trigger to record, rounded up to 1h20m: ex-a triggered 0s, recorded 1h10m0s; ex-b triggered 0s, recorded 1h22m0s\n    due        = \"1h20m\"\n")
	assert.Contains(t, out, "  # ttx revise: version 2.2 follows 2.1, from exercises ex-a, ex-b\n  version = \"2.2\"")

	// Never relax a fixed deadline: notify_regulator was late both times, and is a
	// recommendation; invoke_bcp was missed both times, also a recommendation.
	var recs []string
	for _, r := range rv.Recommendations {
		recs = append(recs, r.Action+":"+r.Rule)
	}
	assert.ElementsMatch(t, []string{"notify_regulator:late", "invoke_bcp:missed"}, recs)

	// The revised plan loads and says what the changes say.
	set, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: rv.Source},
		"scenario.hcl": {Data: mustRead(t, "testdata/revise/scenario.hcl")},
	})
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	plan := set.Plans["acme-irp"]
	assert.Equal(t, "2.2", plan.Version)
	byName := map[string]*scenarios.Action{}
	for _, act := range plan.Actions {
		byName[act.Name] = act
	}
	assert.Equal(t, "irt", byName["log_report"].Owner)
	assert.Equal(t, h+20*m, byName["contain_hosts"].Due)
	assert.Equal(t, 72*h, byName["notify_regulator"].Due)

	// (v2) Every line of the original that the revision does not change is in it byte for
	// byte: the diff removes only the changed lines.
	assertOnlyChangedLinesRemoved(t, rv.Diff, `version = "2.1"`, "owner      = team.service_desk", `due        = "1h"`)

	golden(t, "revised-plan.hcl", rv.Source)
	golden(t, "revise.diff", []byte(rv.Diff))
	assert.True(t, strings.HasPrefix(rv.Diff, "--- a/plan.hcl\n+++ b/plan.hcl\n@@ "))
}

// TestReviseKeepsTheAuthorsLayout: a plan not in canonical layout is not reformatted by a
// revision, so the diff shows only the changes.
func TestReviseKeepsTheAuthorsLayout(t *testing.T) {
	src, sc := mustReviseFixture(t)
	const own = `    capability="incident_reporting"` + "\n"
	src = []byte(strings.Replace(string(src), `    capability = "incident_reporting"`+"\n", own, 1))
	require.NotEqual(t, string(scenarios.Format(src)), string(src))
	a := reviseExercise(t, sc, "ex-a", h+10*m, 80*h)
	b := reviseExercise(t, sc, "ex-b", h+22*m, 76*h)

	rv, err := scoring.Revise("plan.hcl", src, []scoring.Report{a, b}, scoring.ReviseOptions{})
	require.NoError(t, err)
	require.True(t, rv.Changed())
	assert.Contains(t, string(rv.Source), own)
	assert.Contains(t, string(rv.Source), "    due        = \"1h20m\"\n")
	assert.NotContains(t, rv.Diff, "\n-"+own)
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	require.NoError(tb, err)
	return b
}

func TestReviseOnlyWhenEveryExerciseAgrees(t *testing.T) {
	src, sc := mustReviseFixture(t)
	a := reviseExercise(t, sc, "ex-a", h+10*m, 80*h)
	// ex-c: contain_hosts on time, log_report by cmt instead of irt.
	l := newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		trig(0, "contain_hosts", "irt", h).
		rec(5*m, "log_report", "cmt").
		rec(10*m, "escalate_to_irt", "service_desk").
		rec(40*m, "contain_hosts", "irt").
		end(96 * h)
	c := scoring.Score(scoring.Input{ID: "ex-c", Scenario: sc, Events: l.events})

	rv, err := scoring.Revise("plan.hcl", src, []scoring.Report{a, c}, scoring.ReviseOptions{})
	require.NoError(t, err)
	// wrong_owner in both, but by different teams; late only in one. notify_regulator and
	// invoke_bcp were only scored in ex-a: their rules hold over that one exercise.
	for _, ch := range rv.Changes {
		assert.NotEqual(t, "log_report", ch.Action)
		assert.NotEqual(t, "contain_hosts", ch.Action)
	}
	assert.False(t, rv.Changed())
	assert.Equal(t, "2.1", rv.NewVersion)
	assert.Equal(t, src, rv.Source)
	assert.Empty(t, rv.Diff)
	// (v2) Every gap is listed with the rule it met and why it did not change the plan.
	whys := map[string]string{}
	for _, r := range rv.Recommendations {
		whys[r.Action+":"+r.Rule] = r.Why
	}
	assert.Equal(t, map[string]string{
		"log_report:wrong_owner": "The plan is not changed: done by different teams: no one team to give it to.",
		"contain_hosts:late":     "The plan is not changed: seen in 1 of the 2 exercises in which it was scored: the rule needs it in every one.",
		"notify_regulator:late":  "The plan is not changed: seen in 1 of the 2 exercises needed.",
		"invoke_bcp:missed":      "The plan is not changed: no rule edits it for Missed (a step not done is trained, never dropped from the plan).",
	}, whys)
	assert.Contains(t, rv.Summary, "No change")
}

func TestReviseOwnerThatIsTheEscalationTarget(t *testing.T) {
	src, sc := mustReviseFixture(t)
	l := newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		rec(5*m, "log_report", "service_desk").
		rec(10*m, "escalate_to_irt", "irt").
		end(96 * h)
	r := scoring.Score(scoring.Input{ID: "ex-d", Scenario: sc, Events: l.events})
	rv, err := scoring.Revise("plan.hcl", src, []scoring.Report{r}, scoring.ReviseOptions{MinExercises: 1})
	require.NoError(t, err)
	assert.False(t, rv.Changed(), "owner = team.irt would make escalate_to its own owner")
	require.Len(t, rv.Recommendations, 1)
	assert.Equal(t, "escalate_to_irt", rv.Recommendations[0].Action)
	assert.Equal(t, "wrong_owner", rv.Recommendations[0].Rule)
	assert.Contains(t, rv.Recommendations[0].Why, "the team it escalates to")
}

func TestReviseErrors(t *testing.T) {
	src, sc := mustReviseFixture(t)
	a := reviseExercise(t, sc, "ex-a", h+10*m, 80*h)
	running := scoring.Score(scoring.Input{ID: "ex-r", Scenario: sc, Events: newLog().trig(0, "log_report", "service_desk", 15*m).events})
	other := a
	other.Exercise.Plan = "other"
	other.Exercise.ID = "ex-o"

	for name, tc := range map[string]struct {
		src     []byte
		reports []scoring.Report
		want    string
	}{
		"no reports":    {src, nil, "at least one finished exercise"},
		"not ended":     {src, []scoring.Report{a, running}, "exercise ex-r has not ended"},
		"two plans":     {src, []scoring.Report{a, other}, "different plans"},
		"twice":         {src, []scoring.Report{a, a}, "exercise ex-a is given twice"},
		"plan not here": {mustRead(t, "testdata/revise/scenario.hcl"), []scoring.Report{a}, `has no plan "acme-irp"`},
		"bad syntax":    {[]byte("plan \"acme-irp\" {\n  version = \n"), []scoring.Report{a}, "plan.hcl:"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := scoring.Revise("plan.hcl", tc.src, tc.reports, scoring.ReviseOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestReviseAddsAMissingVersion(t *testing.T) {
	src, sc := mustReviseFixture(t)
	noVersion := strings.Replace(string(src), "  version = \"2.1\" # bumped by every accepted revision\n", "", 1)
	require.NotEqual(t, string(src), noVersion)
	a := reviseExercise(t, sc, "ex-a", h+10*m, 80*h)

	rv, err := scoring.Revise("plan.hcl", []byte(noVersion), []scoring.Report{a}, scoring.ReviseOptions{MinExercises: 1})
	require.NoError(t, err)
	assert.Equal(t, "", rv.OldVersion)
	assert.Equal(t, "1", rv.NewVersion)
	assert.Contains(t, string(rv.Source), "  # ttx revise: version 1 (the plan had none), from exercises ex-a\n  version = \"1\"\n}\n")
	set, diags := scenarios.LoadFS(fstest.MapFS{"plan.hcl": {Data: rv.Source}})
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	assert.Equal(t, "1", set.Plans["acme-irp"].Version)
}

// assertOnlyChangedLinesRemoved checks that the diff removes no line of the original but
// those that contain one of changed.
func assertOnlyChangedLinesRemoved(tb testing.TB, diff string, changed ...string) {
	tb.Helper()
	for _, l := range strings.Split(diff, "\n") {
		if !strings.HasPrefix(l, "-") || strings.HasPrefix(l, "---") {
			continue
		}
		ok := false
		for _, c := range changed {
			ok = ok || strings.Contains(l, c)
		}
		assert.True(tb, ok, "the revision changed a line it should have kept: %q", l)
	}
}
