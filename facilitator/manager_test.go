package facilitator_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

const planHCL = `
plan "p" {
  title   = "Plan"
  version = "1"
  team "a" {
    title = "Team A"
    tier  = 1
  }
  team "b" {
    title = "Team B"
    tier  = 2
  }
  severity "low" {
    level = 1
    title = "Low"
  }
  action "act" {
    title      = "Act"
    owner      = team.a
    phase      = "detection"
    capability = "c"
    due        = "15m"
  }
}
`

const scenarioHCL = `
scenario "s" {
  title    = "Scenario"
  plan     = "p"
  duration = "2h"
  inject "first" {
    at      = "0s"
    to      = [team.a]
    channel = "email"
    subject = "First"
  }
  inject "later" {
    at      = "10m"
    to      = [team.b]
    channel = "chat"
    subject = "Later"
  }
}
`

// mustLibrary loads the test plan and scenario, and more HCL files after them.
func mustLibrary(tb testing.TB, more ...string) *scenarios.Set {
	tb.Helper()
	fsys := fstest.MapFS{
		"lib/plan.hcl":     {Data: []byte(planHCL)},
		"lib/scenario.hcl": {Data: []byte(scenarioHCL)},
	}
	for i, text := range more {
		fsys[fmt.Sprintf("lib/more%d.hcl", i)] = &fstest.MapFile{Data: []byte(text)}
	}
	lib, diags := scenarios.LoadFS(fsys)
	require.False(tb, diags.HasErrors(), diags.Error())
	return lib
}

func mustManager(tb testing.TB, store engine.Store, clock clockwork.Clock) *facilitator.Manager {
	tb.Helper()
	m := facilitator.NewManager(store, mustLibrary(tb), clock, rand.Reader, facilitator.WithAdminToken("the-admin"))
	tb.Cleanup(m.Close)
	return m
}

func TestCreateHandsOutCredentials(t *testing.T) {
	store := engine.NewMemoryStore()
	m := mustManager(t, store, clockwork.NewFakeClock())
	ctx := context.Background()
	x, err := m.Create(ctx, "s", 60)
	require.NoError(t, err)

	assert.Regexp(t, `^[a-z2-7]{10}$`, x.ID)
	require.Len(t, x.Teams, 2)
	for _, code := range x.Teams {
		assert.Regexp(t, `^[`+facilitator.CodeAlphabet+`]{4}-[`+facilitator.CodeAlphabet+`]{4}$`, code)
	}
	assert.Len(t, facilitator.CodeAlphabet, 30)
	assert.False(t, strings.ContainsAny(facilitator.CodeAlphabet, "0O1IL"), "no ambiguous characters")

	for token, want := range map[string]facilitator.Principal{
		"the-admin":        {Role: facilitator.RoleAdmin},
		x.FacilitatorToken: {Role: facilitator.RoleFacilitator, Exercise: x.ID},
		x.ReviewerToken:    {Role: facilitator.RoleReviewer, Exercise: x.ID},
		x.EvaluatorToken:   {Role: facilitator.RoleEvaluator, Exercise: x.ID},
	} {
		p, err := m.Authenticate(token)
		require.NoError(t, err)
		assert.Equal(t, want, p)
	}
	code := x.Teams["b"]
	for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", " "), strings.ReplaceAll(code, "-", "")} {
		id, team, err := m.Join(typed)
		require.NoError(t, err, typed)
		assert.Equal(t, x.ID, id)
		assert.Equal(t, "b", team)
	}

	// Every wrong credential gets the same answer.
	_, errToken := m.Authenticate("nope")
	_, errEmpty := m.Authenticate("")
	_, errCode := m.Authenticate(code)
	_, _, errJoin := m.Join("AAAA-AAAA")
	_, _, errJoinToken := m.Join(x.FacilitatorToken)
	for _, err := range []error{errToken, errEmpty, errCode, errJoin, errJoinToken} {
		assert.Equal(t, engine.EUnauthorized, engine.ErrorCode(err))
		assert.Equal(t, errToken.Error(), err.Error())
	}

	// The record holds the sources, only hashes of the tokens, and the join codes both hashed
	// (for checking) and in clear (for showing them again: docs/reliability.md).
	rec, err := store.Exercise(ctx, x.ID)
	require.NoError(t, err)
	assert.Equal(t, "s", rec.Scenario)
	assert.Equal(t, "p", rec.Plan)
	assert.Equal(t, 60.0, rec.Speed)
	assert.Equal(t, map[string]string{"lib/plan.hcl": planHCL, "lib/scenario.hcl": scenarioHCL}, rec.Sources)
	creds, err := json.Marshal(rec.Credentials)
	require.NoError(t, err)
	assert.Len(t, rec.Credentials, 7)
	for _, secret := range []string{x.FacilitatorToken, x.ReviewerToken, x.EvaluatorToken} {
		assert.NotContains(t, string(creds), secret)
	}
	listed, err := m.Exercise(x.ID)
	require.NoError(t, err)
	assert.Equal(t, x.Teams, listed.JoinCodes(), "the codes handed out can be read again")
	sc, err := facilitator.ScenarioFromSources(rec)
	require.NoError(t, err)
	assert.Equal(t, "Scenario", sc.Title)
	assert.Equal(t, "p", sc.Plan.Name)
}

func TestCreateRefusesBadInput(t *testing.T) {
	m := mustManager(t, engine.NewMemoryStore(), clockwork.NewFakeClock())
	for _, tt := range []struct {
		scenario string
		speed    float64
		want     string
	}{
		{"nope", 60, `scenario: there is no scenario named "nope"`},
		{"s", 0, "speed: 0 is out of range"},
		{"s", 0.09, "out of range"},
		{"s", 3600.5, "out of range"},
		{"s", -5, "out of range"},
	} {
		_, err := m.Create(context.Background(), tt.scenario, tt.speed)
		assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
		assert.ErrorContains(t, err, tt.want)
	}
	assert.Empty(t, m.Exercises())
}

// zeros is a broken random source.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestJoinCodesAreUnique(t *testing.T) {
	// With a source that repeats itself the second team's code would be the first's: Create
	// refuses rather than hand out one code twice (or loop for ever).
	m := facilitator.NewManager(engine.NewMemoryStore(), mustLibrary(t), clockwork.NewFakeClock(), zeros{})
	t.Cleanup(m.Close)
	_, err := m.Create(context.Background(), "s", 1)
	assert.ErrorContains(t, err, "random source repeats itself")
	assert.Empty(t, m.Exercises())

	good := mustManager(t, engine.NewMemoryStore(), clockwork.NewFakeClock())
	seen := map[string]bool{}
	for range 50 {
		x, err := good.Create(context.Background(), "s", 1)
		require.NoError(t, err)
		for _, code := range x.Teams {
			assert.False(t, seen[code], code)
			seen[code] = true
		}
	}
}

func TestRestoreBringsBackExercisesAndCredentials(t *testing.T) {
	store := engine.NewMemoryStore()
	clock := clockwork.NewFakeClock()
	ctx := context.Background()
	m1 := facilitator.NewManager(store, mustLibrary(t), clock, rand.Reader)
	x, err := m1.Create(ctx, "s", 60)
	require.NoError(t, err)
	l, err := m1.Exercise(x.ID)
	require.NoError(t, err)
	require.NoError(t, l.Start(ctx))
	m1.Close()

	// The new manager's library does not even hold the scenario: it comes from the sources.
	empty, diags := scenarios.LoadFS(fstest.MapFS{})
	require.False(t, diags.HasErrors())
	m2 := facilitator.NewManager(store, empty, clock, rand.Reader)
	t.Cleanup(m2.Close)
	require.NoError(t, m2.Restore(ctx))
	p, err := m2.Authenticate(x.FacilitatorToken)
	require.NoError(t, err)
	assert.Equal(t, facilitator.Principal{Role: facilitator.RoleFacilitator, Exercise: x.ID}, p)
	id, team, err := m2.Join(x.Teams["a"])
	require.NoError(t, err)
	assert.Equal(t, x.ID, id)
	assert.Equal(t, "a", team)
	list := m2.Exercises()
	require.Len(t, list, 1)
	assert.Equal(t, engine.StatusPaused, list[0].Snapshot().Status)
	assert.Equal(t, "s", list[0].ScenarioName)

	// Restoring twice changes nothing.
	require.NoError(t, m2.Restore(ctx))
	assert.Len(t, m2.Exercises(), 1)

	_, err = m2.Exercise("nosuch")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
}

func TestRestoreReportsAnExerciseThatCannotComeBack(t *testing.T) {
	store := engine.NewMemoryStore()
	ctx := context.Background()
	require.NoError(t, store.CreateExercise(ctx, engine.ExerciseRecord{ID: "broken", Scenario: "s",
		Sources: map[string]string{"x.hcl": "scenario {"}}))
	m := mustManager(t, store, clockwork.NewFakeClock())
	x, err := m.Create(ctx, "s", 1)
	require.NoError(t, err)

	m2 := mustManager(t, store, clockwork.NewFakeClock())
	err = m2.Restore(ctx)
	assert.ErrorContains(t, err, "restore exercise broken")
	_, err = m2.Exercise(x.ID)
	assert.NoError(t, err, "the others come back")
}

// TestManagerDrivesTheClock: the manager runs each exercise's clock driver on its clock, so
// injects fire as the (fake) time passes.
func TestManagerDrivesTheClock(t *testing.T) {
	clock := clockwork.NewFakeClock()
	m := mustManager(t, engine.NewMemoryStore(), clock)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	x, err := m.Create(ctx, "s", 60)
	require.NoError(t, err)
	l, err := m.Exercise(x.ID)
	require.NoError(t, err)
	events, stop := l.Subscribe()
	defer stop()
	require.NoError(t, l.Start(ctx))
	require.NoError(t, clock.BlockUntilContext(ctx, 1)) // Run sleeps until "later" is due
	clock.Advance(10 * time.Second)                     // 10 simulated minutes at speed 60
	for {
		select {
		case e := <-events:
			if e.Kind == engine.KindInjectDelivered && e.Inject == "later" {
				assert.Equal(t, 10*time.Minute, e.T)
				return
			}
		case <-ctx.Done():
			t.Fatal("the later inject never fired")
		}
	}
}

func TestNormalizeJoinCode(t *testing.T) {
	assert.Equal(t, "KQ7M2XPA", facilitator.NormalizeJoinCode(" kq7m-2xpa "))
	assert.Equal(t, "KQ7M2XPA", facilitator.NormalizeJoinCode("KQ7M 2XPA"))
}

// TestReplaceFacilitatorToken: the admin's new facilitator token works at once and after a
// restart, and the old one no longer does.
func TestReplaceFacilitatorToken(t *testing.T) {
	ctx := context.Background()
	store := engine.NewMemoryStore()
	lib := mustLibrary(t)
	m := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader)
	t.Cleanup(m.Close)
	x, err := m.Create(ctx, "s", 60)
	require.NoError(t, err)
	fresh, err := m.ReplaceFacilitatorToken(ctx, x.ID)
	require.NoError(t, err)
	assert.NotEqual(t, x.FacilitatorToken, fresh)
	p, err := m.Authenticate(fresh)
	require.NoError(t, err)
	assert.Equal(t, facilitator.Principal{Role: facilitator.RoleFacilitator, Exercise: x.ID}, p)
	_, err = m.Authenticate(x.FacilitatorToken)
	assert.Equal(t, engine.EUnauthorized, engine.ErrorCode(err), "the lost token no longer works")
	_, err = m.ReplaceFacilitatorToken(ctx, "nope")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))

	again := facilitator.NewManager(store, lib, clockwork.NewFakeClock(), rand.Reader)
	t.Cleanup(again.Close)
	require.NoError(t, again.Restore(ctx))
	_, err = again.Authenticate(fresh)
	assert.NoError(t, err, "the new token survives a restart")
	_, err = again.Authenticate(x.FacilitatorToken)
	assert.Error(t, err)
}
