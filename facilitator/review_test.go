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
)

// otherHCL is a second plan and its scenario, in one file.
const otherHCL = `
plan "q" {
  title = "Other plan"
  team "z" {
    title = "Team Z"
    tier  = 1
  }
  severity "low" {
    level = 1
    title = "Low"
  }
}

scenario "t" {
  title    = "Other scenario"
  plan     = "q"
  duration = "1h"
  inject "only" {
    at      = "0s"
    to      = [team.z]
    channel = "chat"
    subject = "Only"
  }
}
`

func mustReviewManager(tb testing.TB) *facilitator.Manager {
	tb.Helper()
	m := facilitator.NewManager(engine.NewMemoryStore(), mustLibrary(tb, otherHCL), clockwork.NewFakeClock(), rand.Reader, facilitator.WithAdminToken("the-admin"))
	tb.Cleanup(m.Close)
	return m
}

func mustCreate(tb testing.TB, m *facilitator.Manager, scenario string, end bool) (facilitator.Created, facilitator.Principal) {
	tb.Helper()
	x, err := m.Create(context.Background(), scenario, 60)
	require.NoError(tb, err)
	if end {
		live, err := m.Exercise(x.ID)
		require.NoError(tb, err)
		require.NoError(tb, live.End(context.Background()))
	}
	p, err := m.Authenticate(x.ReviewerToken)
	require.NoError(tb, err)
	return x, p
}

func ids(xs []facilitator.Filed) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, x.ID)
	}
	return out
}

// TestReviewingReachesThePlan: a reviewer reads its own exercise at any time and every ended
// exercise of its plan, nothing of another plan; the admin reads everything ended; a
// facilitator reviews nothing.
func TestReviewingReachesThePlan(t *testing.T) {
	m := mustReviewManager(t)
	p1, rev1 := mustCreate(t, m, "s", true)
	p2, rev2 := mustCreate(t, m, "s", true)
	p3, rev3 := mustCreate(t, m, "s", false) // still waiting to start
	q1, revQ := mustCreate(t, m, "t", true)
	admin, err := m.Authenticate("the-admin")
	require.NoError(t, err)
	fac, err := m.Authenticate(p1.FacilitatorToken)
	require.NoError(t, err)

	assert.True(t, m.Allowed(facilitator.ActReport, rev1, p1.ID) == nil, "its own exercise")
	assert.True(t, m.Allowed(facilitator.ActReport, rev1, p2.ID) == nil, "an ended exercise of its plan")
	assert.False(t, m.Allowed(facilitator.ActReport, rev1, p3.ID) == nil, "an exercise of its plan that has not ended")
	assert.True(t, m.Allowed(facilitator.ActReport, rev3, p3.ID) == nil, "its own exercise before it ends")
	assert.True(t, m.Allowed(facilitator.ActReport, rev3, p1.ID) == nil)
	assert.False(t, m.Allowed(facilitator.ActReport, rev1, q1.ID) == nil, "another plan")
	assert.False(t, m.Allowed(facilitator.ActReport, revQ, p2.ID) == nil, "another plan")
	assert.False(t, m.Allowed(facilitator.ActReport, rev1, "nosuchthing") == nil)
	assert.False(t, m.Allowed(facilitator.ActReport, fac, p1.ID) == nil, "a facilitator reviews nothing")
	assert.True(t, m.Allowed(facilitator.ActReport, admin, q1.ID) == nil)

	assert.True(t, m.Allowed(facilitator.ActReviewPlan, rev2, "p") == nil)
	assert.False(t, m.Allowed(facilitator.ActReviewPlan, rev2, "q") == nil)
	assert.True(t, m.Allowed(facilitator.ActReviewPlan, revQ, "q") == nil)
	assert.True(t, m.Allowed(facilitator.ActReviewPlan, admin, "q") == nil)
	assert.True(t, m.Allowed(facilitator.ActReviewPlan, admin, "unknown") == nil, "the admin's answer for an unknown plan is up to the caller")
	assert.False(t, m.Allowed(facilitator.ActReviewPlan, fac, "p") == nil)

	assert.ElementsMatch(t, []string{p1.ID, p2.ID}, ids(m.Reviewable(rev3)))
	assert.ElementsMatch(t, []string{q1.ID}, ids(m.Reviewable(revQ)))
	assert.ElementsMatch(t, []string{p1.ID, p2.ID, q1.ID}, ids(m.Reviewable(admin)))
	assert.Empty(t, m.Reviewable(fac))
	assert.Empty(t, m.Reviewable(facilitator.Principal{Role: facilitator.RoleParticipant, Exercise: p1.ID, Team: "a"}))
}
