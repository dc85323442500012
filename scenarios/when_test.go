package scenarios_test

import (
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

const whenPlan = `plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "contain" {
    owner = team.a
    phase = "containment"
    due   = "1h"
  }
  action "report" {
    owner = team.b
    phase = "detection"
    due   = "15m"
  }
}
`

// mustWhenScenario loads a scenario with a decision "ransom", injects "first" and "demand", and
// an inject "cond" whose when is expr.
func mustWhenScenario(tb testing.TB, expr string) (*scenarios.Scenario, *scenarios.Inject, hcl.Diagnostics) {
	tb.Helper()
	src := whenPlan + fmt.Sprintf(`
scenario "s" {
  plan     = "p"
  duration = "8h"
  inject "first" {
    at       = "0s"
    to       = [team.a]
    channel  = "email"
    triggers = [action.contain, action.report]
  }
  inject "demand" {
    at      = "1h"
    to      = [team.b]
    channel = "email"
    decision "ransom" {
      prompt   = "Pay?"
      options  = { refuse = "Refuse", pay = "Pay" }
      expected = "refuse"
    }
  }
  inject "cond" {
    at      = "2h"
    to      = [team.a]
    channel = "chat"
    when    = %s
  }
}
`, expr)
	set, diags := scenarios.LoadFS(fstest.MapFS{"s.hcl": {Data: []byte(src)}})
	s := set.Scenarios["s"]
	if s == nil || len(s.Injects) < 3 {
		return nil, nil, diags
	}
	return s, s.Injects[2], diags
}

func TestEvalWhen(t *testing.T) {
	done := scenarios.Facts{
		Actions:       map[string]scenarios.ActionFacts{"contain": {Done: true, OnTime: false, By: "b"}},
		Injects:       map[string]bool{"first": true},
		Decisions:     map[string]string{"ransom": "pay"},
		SeverityLevel: 2,
		Elapsed:       90 * time.Minute,
	}
	cases := []struct {
		expr        string
		none, facts bool // the result with no facts, and with done
	}{
		{"true", true, true},
		{"!action.contain.done", true, false},
		{"action.contain.done", false, true},
		{"action.contain.on_time", false, false},
		{"!action.contain.on_time", true, true},
		{`action.contain.by == "b"`, false, true},
		{`action.contain.by == ""`, true, false},
		{`action["contain"].done`, false, true},
		{"action.report.done", false, false}, // an action missing from the facts is not done
		{"inject.first.delivered", false, true},
		{"inject.demand.delivered", false, false},
		{`decision.ransom.choice == "pay"`, false, true},
		{`decision.ransom.choice == ""`, true, false},
		{"severity.level >= 2", false, true},
		{"severity.level == 0", true, false},
		{"elapsed > 3600", false, true},
		{"elapsed == 5400", false, true},
		{`action.contain.done && (decision.ransom.choice != "refuse" || severity.level > 3)`, false, true},
		{`elapsed > 60 ? inject.first.delivered : true`, true, true},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			s, in, diags := mustWhenScenario(t, c.expr)
			require.Empty(t, diags, describe(diags))
			got, err := s.EvalWhen(in, scenarios.Facts{})
			require.NoError(t, err)
			assert.Equal(t, c.none, got, "with no facts")
			got, err = s.EvalWhen(in, done)
			require.NoError(t, err)
			assert.Equal(t, c.facts, got, "with facts")
		})
	}
}

func TestEvalWhenWithoutCondition(t *testing.T) {
	s, _, diags := mustWhenScenario(t, "true")
	require.Empty(t, diags)
	ok, err := s.EvalWhen(s.Injects[0], scenarios.Facts{})
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestEvalWhenRuntimeError checks that a when the loader did not see (a scenario built in
// code) gives an error, not a panic or a silent answer, when it is not true or false.
func TestEvalWhenRuntimeError(t *testing.T) {
	expr, diags := hclsyntax.ParseExpression([]byte(`decision.x.choice`), "when", hcl.InitialPos)
	require.Empty(t, diags)
	s := &scenarios.Scenario{Name: "code"}
	in := &scenarios.Inject{Name: "i", When: expr}
	_, err := s.EvalWhen(in, scenarios.Facts{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not true or false")

	expr, diags = hclsyntax.ParseExpression([]byte(`elapsed / severity.level > 1`), "when", hcl.InitialPos)
	require.Empty(t, diags)
	in.When = expr
	_, err = s.EvalWhen(in, scenarios.Facts{Elapsed: 0, SeverityLevel: 0})
	assert.Error(t, err, "0/0 must be an error")
}

// TestWhenComparedLiterals checks (v2) that a when comparing decision.NAME.choice or
// action.NAME.by with a string literal is refused when the literal names no option or team,
// whichever side of == or != it is written on, and that "" and known names pass.
func TestWhenComparedLiterals(t *testing.T) {
	cases := []struct {
		expr    string
		summary string // "" when the expression loads clean
	}{
		{`decision.ransom.choice == "paay"`, "Unknown option in when"},
		{`"paay" != decision.ransom.choice`, "Unknown option in when"},
		{`decision["ransom"].choice == "Pay"`, "Unknown option in when"},
		{`!(decision.ransom.choice == "refuse" || decision.ransom.choice == "pai")`, "Unknown option in when"},
		{`action.contain.by == "c"`, "Unknown team in when"},
		{`"c" == action.report.by`, "Unknown team in when"},
		{`decision.ransom.choice == "pay"`, ""},
		{`"" == decision.ransom.choice`, ""},
		{`action.contain.by != "a"`, ""},
		{`action.contain.by == ""`, ""},
		{`decision.ransom.choice == action.contain.by`, ""}, // no literal: nothing to check
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			_, _, diags := mustWhenScenario(t, c.expr)
			if c.summary == "" {
				assert.Empty(t, diags, describe(diags))
				return
			}
			require.Len(t, diags, 1, describe(diags))
			assert.Equal(t, c.summary, diags[0].Summary)
			assert.Equal(t, hcl.DiagError, diags[0].Severity)
		})
	}
}

// TestWhenCheckedAtStart checks that the load-time evaluation of when uses the facts of the
// start of an exercise, where the severity is the plan's lowest level, not 0.
func TestWhenCheckedAtStart(t *testing.T) {
	s, in, diags := mustWhenScenario(t, "elapsed / severity.level >= 0")
	require.Empty(t, diags, describe(diags))
	ok, err := s.EvalWhen(in, scenarios.Facts{SeverityLevel: 1})
	require.NoError(t, err)
	assert.True(t, ok)
}
