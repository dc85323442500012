package facilitator_test

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestCreateExerciseModeAndTeams: the mode defaults to evaluation, the teams to every team
// that is not external; both are stored in the record, and join codes go to the teams in play
// and the external teams only.
func TestCreateExerciseModeAndTeams(t *testing.T) {
	lib := mustLibrary(t)
	// The v2 loader lands later: the external team is added to the loaded plan.
	lib.Plans["p"].Teams = append(lib.Plans["p"].Teams, &scenarios.Team{Name: "regulator", Title: "Regulator", Tier: 3, External: true})
	store := engine.NewMemoryStore()
	m := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader, facilitator.WithAdminToken("the-admin"))
	t.Cleanup(m.Close)
	ctx := context.Background()

	for _, tc := range []struct {
		name      string
		spec      facilitator.Spec
		mode      string
		teams     []string
		joinCodes []string
	}{
		{"defaults", facilitator.Spec{Scenario: "s", Speed: 60}, engine.ModeEvaluation, []string{"a", "b"}, []string{"a", "b", "regulator"}},
		{"training, one team", facilitator.Spec{Scenario: "s", Speed: 60, Mode: "training", Teams: []string{"b"}}, engine.ModeTraining, []string{"b"}, []string{"b", "regulator"}},
		{"plan order", facilitator.Spec{Scenario: "s", Speed: 60, Mode: "evaluation", Teams: []string{"b", "a"}}, engine.ModeEvaluation, []string{"a", "b"}, []string{"a", "b", "regulator"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := m.CreateExercise(ctx, tc.spec)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, x.Mode)
			assert.ElementsMatch(t, tc.joinCodes, keys(x.Teams))
			rec, err := store.Exercise(ctx, x.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, rec.Mode)
			assert.Equal(t, tc.teams, rec.Teams)
			assert.Equal(t, engine.ExerciseLive, rec.Kind)
			listed, err := m.Exercise(x.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.mode, listed.Mode())
			assert.Equal(t, tc.teams, listed.TeamsInPlay())
		})
	}

	for _, tc := range []struct {
		name string
		spec facilitator.Spec
		want string
	}{
		{"unknown mode", facilitator.Spec{Scenario: "s", Speed: 60, Mode: "exam"}, `mode: "exam" is not a mode`},
		{"unknown team", facilitator.Spec{Scenario: "s", Speed: 60, Teams: []string{"a", "zz"}}, `teams: plan p has no team "zz"`},
		{"external team", facilitator.Spec{Scenario: "s", Speed: 60, Teams: []string{"regulator"}}, "teams: regulator is an external team"},
		{"twice", facilitator.Spec{Scenario: "s", Speed: 60, Teams: []string{"a", "a"}}, "teams: a is listed twice"},
		{"none", facilitator.Spec{Scenario: "s", Speed: 60, Teams: []string{}}, "teams: name at least one team"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := store.Exercises(ctx)
			require.NoError(t, err)
			_, err = m.CreateExercise(ctx, tc.spec)
			require.Error(t, err)
			assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
			assert.Contains(t, err.Error(), tc.want)
			after, err := store.Exercises(ctx)
			require.NoError(t, err)
			assert.Len(t, after, len(before), "nothing stored")
		})
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
