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

// archiveOfThree stores one exercise that can still change (created), one in its hot wash
// and one closed, and returns their credentials.
func archiveOfThree(t *testing.T, store engine.Store, clock clockwork.Clock) (live, hotWash, closed facilitator.Created) {
	t.Helper()
	ctx := context.Background()
	m := facilitator.NewManager(store, mustLibrary(t), clock, rand.Reader)
	defer m.Close()
	var err error
	live, err = m.Create(ctx, "s", 60)
	require.NoError(t, err)
	for i, c := range []*facilitator.Created{&hotWash, &closed} {
		*c, err = m.Create(ctx, "s", 60)
		require.NoError(t, err)
		x, err := m.Exercise(c.ID)
		require.NoError(t, err)
		require.NoError(t, x.Start(ctx))
		require.NoError(t, x.End(ctx))
		if i == 1 {
			require.NoError(t, x.Close(ctx))
		}
	}
	return live, hotWash, closed
}

// TestRestartRestoresOnlyWhatCanChange: over an archive, a restart restores the live
// exercise only; the ended ones are filed with their credentials, which answer at once, and
// come into memory when asked for.
func TestRestartRestoresOnlyWhatCanChange(t *testing.T) {
	store := engine.NewMemoryStore()
	clock := clockwork.NewFakeClock()
	live, hotWash, closed := archiveOfThree(t, store, clock)

	m := facilitator.NewManager(store, mustLibrary(t), clock, rand.Reader)
	t.Cleanup(m.Close)
	require.NoError(t, m.Restore(context.Background()))
	inMemory := []string{}
	for _, x := range m.Exercises() {
		inMemory = append(inMemory, x.ID())
	}
	assert.Equal(t, []string{live.ID}, inMemory, "only the exercise that can change is restored")
	assert.Zero(t, m.Resident())
	ended := map[string]bool{}
	for _, f := range m.Filed() {
		ended[f.ID] = f.Ended
	}
	assert.Equal(t, map[string]bool{live.ID: false, hotWash.ID: true, closed.ID: true}, ended, "every exercise is filed")

	// Credentials of the archive answer without loading anything.
	p, err := m.Authenticate(closed.ReviewerToken)
	require.NoError(t, err)
	assert.Equal(t, facilitator.Principal{Role: facilitator.RoleReviewer, Exercise: closed.ID}, p)
	id, team, err := m.Join(hotWash.Teams["a"])
	require.NoError(t, err)
	assert.Equal(t, []string{hotWash.ID, "a"}, []string{id, team})
	require.NoError(t, m.Allowed(facilitator.ActReport, p, closed.ID))
	assert.Len(t, m.Reviewable(p), 2, "the reviewer finds both ended exercises of its plan")
	assert.Zero(t, m.Resident(), "nor does deciding who may read what")

	// Asked for, an ended exercise comes from the store as it was.
	x, err := m.Exercise(closed.ID)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusClosed, x.Snapshot().Status)
	h, err := m.Exercise(hotWash.ID)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusEnded, h.Snapshot().Status)
	assert.Equal(t, 2, m.Resident())
}

// TestResidentExercisesLeaveWhenIdle: an ended exercise brought into memory leaves it after
// ResidentIdle on the manager's clock, unless someone follows it; it comes back the same.
func TestResidentExercisesLeaveWhenIdle(t *testing.T) {
	store := engine.NewMemoryStore()
	clock := clockwork.NewFakeClock()
	_, hotWash, closed := archiveOfThree(t, store, clock)
	m := facilitator.NewManager(store, mustLibrary(t), clock, rand.Reader)
	t.Cleanup(m.Close)
	require.NoError(t, m.Restore(context.Background()))

	x, err := m.Exercise(closed.ID)
	require.NoError(t, err)
	before := x.EventsSince(0)
	h, err := m.Exercise(hotWash.ID)
	require.NoError(t, err)
	_, cancel := h.Subscribe() // a WebSocket hub follows the hot wash

	clock.Advance(facilitator.ResidentIdle - 1)
	m.Sweep()
	assert.Equal(t, 2, m.Resident(), "not idle yet")
	clock.Advance(2)
	m.Sweep()
	assert.Equal(t, 1, m.Resident(), "the closed exercise left; the followed one stays")
	_, in := m.InMemory(closed.ID)
	assert.False(t, in)
	cancel()
	m.Sweep()
	assert.Zero(t, m.Resident(), "unfollowed, the idle hot wash leaves too")

	again, err := m.Exercise(closed.ID)
	require.NoError(t, err)
	assert.Equal(t, before, again.EventsSince(0), "it comes back as it left")
	f, ok := m.FiledExercise(hotWash.ID)
	require.True(t, ok)
	require.NotNil(t, f.Listing)
	assert.Equal(t, engine.StatusEnded, f.Listing.Status, "what the list shows of it is kept")
}

// TestLiveExerciseThatEndsBecomesHistory: an exercise that ends while the server runs leaves
// memory when idle like the archive's, and at most MaxResident ended exercises stay.
func TestLiveExerciseThatEndsBecomesHistory(t *testing.T) {
	ctx := context.Background()
	clock := clockwork.NewFakeClock()
	m := facilitator.NewManager(engine.NewMemoryStore(), mustLibrary(t), clock, rand.Reader)
	t.Cleanup(m.Close)
	var ids []string
	for range facilitator.MaxResident + 2 {
		c, err := m.Create(ctx, "s", 60)
		require.NoError(t, err)
		x, err := m.Exercise(c.ID)
		require.NoError(t, err)
		require.NoError(t, x.Start(ctx))
		require.NoError(t, x.End(ctx))
		ids = append(ids, c.ID)
	}
	m.Sweep()
	assert.Equal(t, facilitator.MaxResident, m.Resident(), "past the bound, the least recently used go")
	clock.Advance(facilitator.ResidentIdle)
	m.Sweep()
	assert.Zero(t, m.Resident())
	assert.Empty(t, m.Exercises())
	assert.Len(t, m.Filed(), len(ids), "still filed")
}

// TestAHotWashObservationOnTheArchive: an observation recorded in the hot wash of an
// exercise that was not in memory is stored, filed with its new last seq, and there when the
// exercise comes back after leaving memory.
func TestAHotWashObservationOnTheArchive(t *testing.T) {
	ctx := context.Background()
	store := engine.NewMemoryStore()
	clock := clockwork.NewFakeClock()
	_, hotWash, _ := archiveOfThree(t, store, clock)
	m := facilitator.NewManager(store, mustLibrary(t), clock, rand.Reader)
	t.Cleanup(m.Close)
	require.NoError(t, m.Restore(ctx))
	before, ok := m.FiledExercise(hotWash.ID)
	require.True(t, ok)

	x, err := m.Exercise(hotWash.ID)
	require.NoError(t, err)
	e, err := x.Observe(ctx, engine.Observation{Text: "the runbook was out of date", Capability: "c", Rating: "M", By: "evaluator"})
	require.NoError(t, err)
	assert.Equal(t, before.LastSeq+1, e.Seq)

	clock.Advance(facilitator.ResidentIdle)
	m.Sweep()
	_, in := m.InMemory(hotWash.ID)
	require.False(t, in)
	after, ok := m.FiledExercise(hotWash.ID)
	require.True(t, ok)
	assert.Equal(t, e.Seq, after.LastSeq, "filed with the seq of the observation: what was kept before it is stale")
	again, err := m.Exercise(hotWash.ID)
	require.NoError(t, err)
	events := again.EventsSince(e.Seq - 1)
	require.Len(t, events, 1)
	assert.Equal(t, "the runbook was out of date", events[0].Text)
}
