package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

func when(src string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			panic(diags.Error())
		}
		in.When = expr
	}
}

func respond(team, action string, t time.Duration) scenarios.Step {
	return scenarios.Step{Kind: scenarios.StepRespond, Team: team, Action: action, At: t}
}

func choose(team, decision, option string, t time.Duration) scenarios.Step {
	return scenarios.Step{Kind: scenarios.StepChoose, Team: team, Decision: decision, Option: option, At: t}
}

func escalate(from, to string, t time.Duration) scenarios.Step {
	return scenarios.Step{Kind: scenarios.StepEscalate, Team: from, To: to, Text: "help", At: t}
}

const (
	m = time.Minute
	h = time.Hour
)

// start is what every exercise of testPlan begins with.
var start = []string{
	"0s exercise_started",
	"0s severity_changed local",
	"0s action_triggered open_bridge irt due 10m0s",
}

func TestScheduling(t *testing.T) {
	tests := []timelineCase{
		{
			name: "at, after and delay",
			injects: []*scenarios.Inject{
				inj("b", at(30*m)),
				inj("a", at(10*m)),
				inj("c", after("a", 15*m)),
				inj("d", after("c", 0)),
			},
			want: []string{
				"10m0s inject_delivered a",
				"25m0s inject_delivered c",
				"25m0s inject_delivered d",
				"30m0s inject_delivered b",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "equal due times fire in file order",
			injects: []*scenarios.Inject{
				inj("first", at(20*m)),
				inj("parent", at(10*m)),
				inj("chained", after("parent", 10*m)),
				inj("last", at(20*m)),
			},
			want: []string{
				"10m0s inject_delivered parent",
				"20m0s inject_delivered first",
				"20m0s inject_delivered chained",
				"20m0s inject_delivered last",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "when true and false, skips cascade down the chain",
			injects: []*scenarios.Inject{
				inj("call", at(0), triggers("contain_hosts")),
				inj("spreading", at(40*m), when("!action.contain_hosts.done")),
				inj("reporter", after("spreading", h)),
				inj("follow", after("reporter", 0)),
				inj("unrelated", at(50*m), when("action.contain_hosts.done && action.contain_hosts.by == \"irt\" && action.contain_hosts.on_time")),
			},
			steps: []scenarios.Step{respond("irt", "contain_hosts", 30*m)},
			want: []string{
				"0s inject_delivered call",
				"0s action_triggered contain_hosts irt due 1h0m0s",
				"30m0s action_recorded contain_hosts irt",
				"40m0s inject_skipped spreading",
				"40m0s inject_skipped reporter",
				"40m0s inject_skipped follow",
				"50m0s inject_delivered unrelated",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "on_time is false when the owner was late, or another team recorded it",
			injects: []*scenarios.Inject{
				inj("call", at(0), triggers("log_report", "contain_hosts")),
				inj("late", at(50*m), when("action.log_report.on_time")),
				inj("wrong", at(50*m), when("action.contain_hosts.on_time || action.contain_hosts.by != \"cmt\"")),
			},
			steps: []scenarios.Step{respond("service_desk", "log_report", 16*m), respond("cmt", "contain_hosts", 20*m)},
			want: []string{
				"0s inject_delivered call",
				"0s action_triggered log_report service_desk due 15m0s",
				"0s action_triggered contain_hosts irt due 1h0m0s",
				"16m0s action_recorded log_report service_desk",
				"20m0s action_recorded contain_hosts cmt",
				"50m0s inject_skipped late",
				"50m0s inject_skipped wrong",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "severity only rises, and each level reached triggers its actions once",
			injects: []*scenarios.Inject{
				inj("crisis", at(10*m), severity("crisis")),
				inj("calmer", at(20*m), severity("operational")),
				inj("again", at(30*m), severity("crisis"), triggers("invoke_bcp", "log_report")),
			},
			want: []string{
				"10m0s inject_delivered crisis",
				"10m0s severity_changed crisis",
				"10m0s action_triggered invoke_bcp cmt due 1h0m0s",
				"10m0s action_triggered notify_regulator legal due 72h0m0s",
				"20m0s inject_delivered calmer",
				"30m0s inject_delivered again",
				"30m0s action_triggered log_report service_desk due 15m0s",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "when sees severity.level, elapsed, inject.delivered and decision.choice",
			injects: []*scenarios.Inject{
				inj("up", at(10*m), severity("operational")),
				inj("demand", at(10*m), to("cmt"), decision("ransom", "refuse", "pay", "refuse")),
				inj("level", at(20*m), when("severity.level == 2 && elapsed == 1200 && inject.up.delivered")),
				inj("paid", after("demand", 20*m), when("decision.ransom.choice == \"pay\"")),
				inj("refused", after("demand", 20*m), when("decision.ransom.choice == \"refuse\"")),
			},
			steps: []scenarios.Step{choose("cmt", "ransom", "pay", 15*m), choose("cmt", "ransom", "refuse", 16*m)},
			want: []string{
				"10m0s inject_delivered up",
				"10m0s severity_changed operational",
				"10m0s inject_delivered demand",
				"15m0s decision_answered cmt ransom pay",
				"16m0s decision_answered cmt ransom refuse",
				"20m0s inject_delivered level",
				"30m0s inject_delivered paid",
				"30m0s inject_skipped refused",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "injects due at a moment fire before the responses stamped with it",
			injects: []*scenarios.Inject{
				inj("demand", at(20*m), to("cmt"), decision("ransom", "refuse", "pay", "refuse")),
				inj("check", at(30*m), when("!action.contain_hosts.done")),
			},
			steps: []scenarios.Step{choose("cmt", "ransom", "refuse", 20*m), respond("irt", "contain_hosts", 30*m)},
			want: []string{
				"20m0s inject_delivered demand",
				"20m0s decision_answered cmt ransom refuse",
				"30m0s inject_delivered check",
				"30m0s action_recorded contain_hosts irt",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "an escalation records the sender's escalate_to actions",
			injects: []*scenarios.Inject{
				inj("call", at(0), triggers("escalate_to_irt")),
			},
			steps: []scenarios.Step{escalate("service_desk", "irt", 5*m), escalate("service_desk", "cmt", 6*m), escalate("irt", "service_desk", 7*m)},
			want: []string{
				"0s inject_delivered call",
				"0s action_triggered escalate_to_irt service_desk due 30m0s",
				"5m0s escalation service_desk ->irt",
				"5m0s action_recorded escalate_to_irt service_desk",
				"6m0s escalation service_desk ->cmt",
				"7m0s escalation irt ->service_desk",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "injects due at the end fire before it; later ones never",
			injects: []*scenarios.Inject{
				inj("last", at(h)),
				inj("too-late", after("last", 0)),
				inj("never", after("last", m)),
			},
			want: []string{
				"1h0m0s inject_delivered last",
				"1h0m0s inject_delivered too-late",
				"1h0m0s exercise_ended",
			},
		},
	}
	runTimelineCases(t, tests)
}

func TestSkipReasons(t *testing.T) {
	sc := testScenario(h,
		inj("a", at(10*m), when("false")),
		inj("b", after("a", 0)),
	)
	res, err := engine.Rehearse(context.Background(), sc, &scenarios.Rehearsal{Name: "r"}, nil)
	require.NoError(t, err)
	var reasons []string
	for _, e := range res.Events {
		if e.Kind == engine.KindInjectSkipped {
			reasons = append(reasons, e.Inject+": "+e.Reason)
		}
	}
	assert.Equal(t, []string{
		"a: its when condition was false",
		"b: it follows inject a, which was skipped",
	}, reasons)
}

func TestRehearsalInputErrors(t *testing.T) {
	sc := testScenario(h, inj("demand", at(30*m), to("cmt"), decision("ransom", "refuse", "pay", "refuse")))
	steps := []scenarios.Step{
		choose("cmt", "ransom", "refuse", 10*m),
		respond("ghosts", "log_report", 20*m),
		respond("irt", "no_such_action", 20*m),
		choose("irt", "ransom", "refuse", 40*m),
		choose("cmt", "ransom", "maybe", 40*m),
		respond("irt", "contain_hosts", 2*h),
	}
	for i := range steps {
		steps[i].Order = i
		steps[i].DeclRange = hcl.Range{Filename: "r.hcl", Start: hcl.Pos{Line: 10 + i}}
	}
	res, err := engine.Rehearse(context.Background(), sc, &scenarios.Rehearsal{Name: "r", Steps: steps}, nil)
	require.NoError(t, err)
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Error())
	}
	assert.Equal(t, []string{
		"r.hcl:10: decision: ransom has not been put to team cmt",
		`r.hcl:11: team: the plan has no team "ghosts"`,
		`r.hcl:12: action: the plan has no action "no_such_action"`,
		"r.hcl:13: decision: ransom is decided by cmt; team irt cannot answer it",
		`r.hcl:14: option: "maybe" is not an option of decision ransom; choose one of pay, refuse`,
		"r.hcl:15: cannot record a response: the exercise has ended",
	}, got)
	assert.Equal(t, engine.StatusEnded, res.State.Status)
}
