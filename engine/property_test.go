package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestRandomCommandsKeepTheInvariants plays seeded random mixes of clock commands, holds,
// triggers and responses (v2: answers, feedback, joins, marks, observations, close), and
// checks after each what must always hold: only input errors, seqs without gaps, time never
// running backwards, every inject fired at most once and never before its due time unless
// triggered, the fold of the stored log equal to the live state, and a restore giving that
// state back.
func TestRandomCommandsKeepTheInvariants(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			f := mustExercise(t, propertyScenario(), 60)
			triggered := map[string]bool{}
			for step := range 200 {
				if err := playRandomCommand(f, rng, triggered); err != nil {
					code := engine.ErrorCode(err)
					require.Contains(t, []string{engine.EInvalid, engine.EConflict, engine.EForbidden}, code, "step %d: %v", step, err)
				}
			}
			checkInvariants(t, f, triggered)
		})
	}
}

// The names the random commands pick from, each list with one the scenario does not have.
var (
	propertyInjects   = []string{"call", "spreading", "reporter", "demand", "crisis", "nope"}
	propertyTeams     = []string{"service_desk", "irt", "cmt", "legal", "ghosts", "regulator"}
	propertyQuestions = []string{"module.one.1", "module.two.1", "inject.demand.1", "inject.nope.1"}
	propertyActions   = []string{"log_report", "escalate_to_irt", "contain_hosts", "invoke_bcp", "dance"}
)

// propertyScenario is busyScenario with an external team and (v2) a decision with a due and a
// default, chains on it and on an action, and modules.
func propertyScenario() *scenarios.Scenario {
	sc := withExternal(busyScenario())
	demand := findInject(sc, "demand")
	demand.Decision.DecidedBy, demand.Decision.Due, demand.Decision.Default = []string{"cmt"}, 20*m, "refuse"
	demand.Questions = []scenarios.Question{{ID: "inject.demand.1", Text: "Why?"}}
	sc.Injects = append(sc.Injects,
		inj("settled", afterDecision("ransom", 5*m), to("cmt")),
		inj("contained", afterAction("contain_hosts", 10*m), to("irt")))
	for i, in := range sc.Injects {
		in.Order = i
	}
	sc.Modules = []*scenarios.Module{module("one", 0, "Who?"), module("two", 2*h, "What?")}
	return sc
}

// playRandomCommand plays one command rng picks, noting in triggered the injects triggered.
func playRandomCommand(f *fixture, rng *rand.Rand, triggered map[string]bool) error {
	ctx := context.Background()
	x := f.x
	var err error
	team := propertyTeams[rng.IntN(len(propertyTeams))]
	r := engine.Response{Team: team, Name: "p", Ref: fmt.Sprint(rng.IntN(50))}
	switch op := rng.IntN(20); op {
	case 0:
		err = x.Start(ctx)
	case 1:
		err = x.Pause(ctx)
	case 2:
		err = x.Resume(ctx)
	case 3:
		err = x.SetSpeed(ctx, []float64{0.05, 1, 60, 600, 3600, 4000}[rng.IntN(6)])
	case 4:
		err = x.Advance(ctx)
	case 5:
		if rng.IntN(10) == 0 {
			err = x.End(ctx)
		}
	case 6:
		in := propertyInjects[rng.IntN(len(propertyInjects))]
		if err = x.Trigger(ctx, in); err == nil {
			triggered[in] = true
		}
	case 7:
		err = x.Hold(ctx, propertyInjects[rng.IntN(len(propertyInjects))], rng.IntN(2) == 0)
	case 8:
		_, err = x.Act(ctx, r, propertyActions[rng.IntN(len(propertyActions))])
	case 9:
		_, err = x.Choose(ctx, r, "ransom", []string{"pay", "refuse", "maybe"}[rng.IntN(3)])
	case 10:
		_, err = x.Escalate(ctx, r, propertyTeams[rng.IntN(len(propertyTeams))], "help")
	case 11:
		_, err = x.Note(ctx, r, "note")
	case 12:
		_, err = x.Answer(ctx, r, propertyQuestions[rng.IntN(len(propertyQuestions))], "an answer")
	case 13:
		_, err = x.Feedback(ctx, r, engine.Feedback{Ratings: map[string]int{"realistic": rng.IntN(7)}})
	case 14:
		err = x.TeamJoined(ctx, team)
	case 15:
		err = x.MarkPlayed(ctx, team)
	case 16:
		_, err = x.Observe(ctx, engine.Observation{Text: "seen", Rating: "S", By: "evaluator", Team: team})
	case 17:
		if rng.IntN(10) == 0 {
			err = x.Close(ctx)
		}
	default:
		f.clock.Advance(time.Duration(rng.IntN(120)) * time.Second)
		err = x.Tick(ctx)
	}
	return err
}

// checkInvariants checks what must hold of f's log whatever was played (see
// TestRandomCommandsKeepTheInvariants).
func checkInvariants(t *testing.T, f *fixture, triggered map[string]bool) {
	t.Helper()
	ctx := context.Background()
	x := f.x
	events := x.EventsSince(0)
	fired := map[string]bool{}
	var last time.Duration
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Seq)
		require.GreaterOrEqual(t, e.T, last, "event %d", e.Seq)
		last = e.T
		if (e.Kind == engine.KindInjectDelivered && e.AdHoc == nil) || e.Kind == engine.KindInjectSkipped {
			assert.False(t, fired[e.Inject], "inject %s fired twice", e.Inject)
			fired[e.Inject] = true
			in := findInject(f.sc, e.Inject)
			if in.HasAt && !triggered[e.Inject] {
				assert.GreaterOrEqual(t, e.T, in.At, "inject %s fired early", e.Inject)
			}
		}
	}
	stored, err := f.store.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, events, stored)
	folded, err := engine.FoldEvents(f.sc, stored)
	require.NoError(t, err)
	assert.Equal(t, x.LiveState(), folded)

	y, err := engine.Restore(ctx, x.Record(), f.sc, f.clock, f.store)
	require.NoError(t, err)
	if folded.Status == engine.StatusRunning {
		folded.Status = engine.StatusPaused
	}
	restored := y.Snapshot()
	assert.Equal(t, folded.Status, restored.Status)
	assert.Equal(t, folded.Severity, restored.Severity)
	assert.Equal(t, folded.T, restored.SimTime)
}
