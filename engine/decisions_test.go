package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// ransomScenario puts the decision ransom to cmt and legal at 10m, due in 30m; the inject
// follow comes 5m after it is settled, and check at 1h when the choice was to negotiate.
func ransomScenario(def string) *scenarios.Scenario {
	return testScenario(2*h,
		inj("demand", at(10*m), to("cmt", "legal", "irt"), decision("ransom", "refuse", "pay", "refuse", "negotiate"),
			decidedBy("cmt", "legal"), dueIn(30*m, def)),
		inj("follow", afterDecision("ransom", 5*m), to("cmt")),
		inj("check", at(h), to("cmt"), when(`decision.ransom.choice == "negotiate"`)),
	)
}

// TestDecisions: a decision is put to its deciding teams; the first answer counts and settles
// it; at delivery + due each deciding team in play that has not answered gets the default, in
// decided_by order, and can answer no more; without a default a late answer is taken. An
// answer stamped exactly at the due is on time: it comes before the defaults of its moment.
func TestDecisions(t *testing.T) {
	demand := []string{
		"10m0s inject_delivered demand",
	}
	tests := []struct {
		name   string
		def    string   // the decision's default
		teams  []string // in play; nil: all
		steps  []scenarios.Step
		want   []string // after demand
		errors []string
	}{
		{
			name: "nobody answers: each deciding team gets the default, in decided_by order",
			def:  "negotiate",
			want: []string{
				"40m0s decision_defaulted cmt ransom negotiate",
				"40m0s decision_defaulted legal ransom negotiate",
				"45m0s inject_delivered follow",
				"1h0m0s inject_delivered check",
			},
		},
		{
			name:  "the first answer settles it; a later answer counts for nothing; a team outside decided_by is refused",
			def:   "negotiate",
			steps: []scenarios.Step{choose("irt", "ransom", "pay", 15*m), choose("cmt", "ransom", "refuse", 20*m), choose("cmt", "ransom", "negotiate", 22*m)},
			want: []string{
				"20m0s decision_answered cmt ransom refuse",
				"22m0s decision_answered cmt ransom negotiate",
				"25m0s inject_delivered follow",
				"40m0s decision_defaulted legal ransom negotiate",
				"1h0m0s inject_skipped check",
			},
			errors: []string{"r.hcl:10: decision: ransom is decided by cmt, legal; team irt cannot answer it"},
		},
		{
			name:  "an answer exactly at the due is on time",
			def:   "negotiate",
			steps: []scenarios.Step{choose("legal", "ransom", "pay", 40*m)},
			want: []string{
				"40m0s decision_answered legal ransom pay",
				"40m0s decision_defaulted cmt ransom negotiate",
				"45m0s inject_delivered follow",
				"1h0m0s inject_skipped check",
			},
		},
		{
			name:  "after its default a team can answer no more",
			def:   "negotiate",
			steps: []scenarios.Step{choose("cmt", "ransom", "refuse", 41*m)},
			want: []string{
				"40m0s decision_defaulted cmt ransom negotiate",
				"40m0s decision_defaulted legal ransom negotiate",
				"45m0s inject_delivered follow",
				"1h0m0s inject_delivered check",
			},
			errors: []string{"r.hcl:10: decision: the time to answer ransom ran out at 40m0s; team cmt was given its default, negotiate"},
		},
		{
			name:  "defaults only for teams in play",
			def:   "negotiate",
			teams: []string{"cmt", "irt"},
			want: []string{
				"40m0s decision_defaulted cmt ransom negotiate",
				"45m0s inject_delivered follow",
				"1h0m0s inject_delivered check",
			},
		},
		{
			name:  "without a default a late answer is taken",
			steps: []scenarios.Step{choose("legal", "ransom", "negotiate", 50*m)},
			want: []string{
				"50m0s decision_answered legal ransom negotiate",
				"55m0s inject_delivered follow",
				"1h0m0s inject_delivered check",
			},
		},
		{
			name: "never settled: the injects after it are not reached",
			want: []string{
				"1h0m0s inject_skipped check",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := ransomScenario(tt.def)
			res, err := engine.Rehearse(context.Background(), sc, &scenarios.Rehearsal{Name: "r", Teams: tt.teams, Steps: setSteps(tt.steps)}, nil)
			require.NoError(t, err)
			got := afterStart(res.Events)
			want := append(append(append([]string(nil), demand...), tt.want...), "2h0m0s exercise_ended")
			assert.Equal(t, want, got)
			assert.Equal(t, tt.errors, rehearsalErrors(res))
		})
	}
}

func TestSettledAndFacts(t *testing.T) {
	sc := ransomScenario("negotiate")
	res, err := engine.Rehearse(context.Background(), sc, &scenarios.Rehearsal{Name: "r", Steps: setSteps([]scenarios.Step{
		choose("legal", "ransom", "pay", 20*m), choose("cmt", "ransom", "refuse", 30*m),
	})}, nil)
	require.NoError(t, err)
	st := res.State
	settled := st.Settled["ransom"]
	assert.Equal(t, "legal", settled.Team)
	assert.Equal(t, "pay", settled.Option)
	assert.Equal(t, 20*m, settled.T)
	assert.Equal(t, "pay", st.Facts(nil, 2*h).Decisions["ransom"], "decision.ransom.choice is the first option")
	assert.Equal(t, map[string]bool{"cmt": true, "legal": true}, st.Put["ransom"], "put to the deciding teams, not irt")
	assert.Empty(t, st.Defaults["ransom"], "both answered")
}

// TestDefaultSettlesTheChoice: a default that comes first is the choice `when` sees.
func TestDefaultSettlesTheChoice(t *testing.T) {
	res, err := engine.Rehearse(context.Background(), ransomScenario("negotiate"), &scenarios.Rehearsal{Name: "r", Teams: []string{"cmt"}}, nil)
	require.NoError(t, err)
	assert.Equal(t, engine.DecisionAnswer{Team: "cmt", Option: "negotiate", T: 40 * m, Seq: res.State.Settled["ransom"].Seq}, res.State.Settled["ransom"])
	assert.Equal(t, "negotiate", res.State.Defaulted("ransom", "cmt"))
	assert.Equal(t, "", res.State.Defaulted("ransom", "legal"), "legal is not in play")
	assert.True(t, res.State.Injects["check"].Delivered)
}

// TestDefaultsLive: the live exercise fires a default when its clock reaches the due, and Run
// sleeps until then; advance jumps to a decision's due when it comes first.
func TestDefaultsLive(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, ransomScenario("negotiate"), 60)
	require.NoError(t, f.x.Advance(ctx)) // demand at 10m
	require.NoError(t, f.x.Advance(ctx)) // its due at 40m, before follow
	got := afterStart(f.x.EventsSince(0))
	assert.Equal(t, []string{
		"10m0s clock advanced",
		"10m0s inject_delivered demand",
		"40m0s clock advanced",
		"40m0s decision_defaulted cmt ransom negotiate",
		"40m0s decision_defaulted legal ransom negotiate",
	}, got[len(got)-5:])
	_, err := f.x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "pay")
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err))
	assert.EqualError(t, err, "decision: the time to answer ransom ran out at 40m0s; team cmt was given its default, negotiate")
	assert.Equal(t, 45*m, f.x.Snapshot().Upcoming[0].Due, "follow comes 5m after the default settled it")
}

// TestRestoreKeepsADecisionDue: an exercise restored while a decision waits for its due
// defaults it when the clock gets there, and chains after it as before.
func TestRestoreKeepsADecisionDue(t *testing.T) {
	ctx := context.Background()
	sc := ransomScenario("negotiate")
	f := mustStart(t, sc, 60)
	f.advance(t, 20*time.Second) // 20m: demand delivered at 10m, due at 40m
	_, err := f.x.Choose(ctx, engine.Response{Team: "legal"}, "ransom", "pay")
	require.NoError(t, err)
	y, err := engine.Restore(ctx, f.x.Record(), sc, f.clock, f.store)
	require.NoError(t, err)
	require.NoError(t, y.Resume(ctx))
	f.clock.Advance(25 * time.Second) // 45m
	require.NoError(t, y.Tick(ctx))
	got := timeline(y.EventsSince(0))
	assert.Equal(t, []string{
		"20m0s decision_answered legal ransom pay",
		"20m0s clock paused",
		"20m0s clock resumed",
		"25m0s inject_delivered follow",
		"40m0s decision_defaulted cmt ransom negotiate",
	}, got[len(got)-5:])
}

// TestRunWakesForADecisionDue: Run sleeps until a decision's due, not only the next inject's.
func TestRunWakesForADecisionDue(t *testing.T) {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	f := mustStart(t, ransomScenario("negotiate"), 60)
	f.advance(t, 10*time.Second) // 10m: demand
	events, cancel := f.x.Subscribe()
	defer cancel()
	done := goRun(ctx, f.x)
	require.NoError(t, f.clock.BlockUntilContext(ctx, 1))
	f.clock.Advance(30 * time.Second) // 40m
	assert.Equal(t, "40m0s decision_defaulted cmt ransom negotiate", line(nextEvent(t, ctx, events)))
	stop()
	waitFor(t, done, "Run returns once its context is done")
}
