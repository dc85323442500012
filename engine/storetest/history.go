package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// The cases of issue 17 (history that weighs nothing): the catalogue, the credentials index
// and the derived rows, which every store of ttx keeps.

// catalogTellsEndedExercises: the catalogue lists every exercise without its sources, with
// whether it ended and its last seq as the last committed append left them, oldest first,
// and the same once the database is opened again.
func catalogTellsEndedExercises(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	cat, ok := st.(engine.Cataloguer)
	require.True(t, ok, "%T lists a catalogue", st)
	for _, c := range []struct {
		id    string
		kinds []string
	}{
		{"empty", nil},
		{"running", []string{engine.KindExerciseStarted, engine.KindNote}},
		{"ended", []string{engine.KindExerciseStarted, engine.KindExerciseEnded, engine.KindFeedbackRecorded}},
	} {
		mustCreate(t, st, c.id)
		var events []engine.Event
		for i, k := range c.kinds {
			e := note(int64(i+1), "x")
			e.Kind = k
			events = append(events, e)
		}
		if len(events) > 0 {
			require.NoError(t, st.Append(ctx, c.id, events))
		}
	}
	entry := func(id string, ended bool, last int64) engine.CatalogEntry {
		rec := record(id)
		return engine.CatalogEntry{Record: engine.ExerciseRecord{ID: id, Scenario: rec.Scenario, Plan: rec.Plan,
			Speed: rec.Speed, CreatedAt: rec.CreatedAt, Mode: rec.Mode, Kind: rec.Kind}, Ended: ended, LastSeq: last}
	}
	want := map[bool][]engine.CatalogEntry{
		true:  {entry("ended", true, 3)},
		false: {entry("empty", false, 0), entry("running", false, 2)},
	}
	check := func(cat engine.Cataloguer, when string) {
		for _, ended := range []bool{true, false} {
			got, err := cat.Catalog(ctx, ended)
			require.NoError(t, err)
			for i := range got {
				assert.Nil(t, got[i].Record.Sources, "a start-up reads no sources")
				// A store that indexes credentials need not read them (engine.CatalogEntry).
				got[i].Record.Credentials, got[i].Record.Teams = nil, nil
			}
			assert.Equal(t, want[ended], got, "ended %v, %s", ended, when)
		}
	}
	check(cat, "as appended")

	// A note of the running exercise and its end, committed together, show at once.
	require.NoError(t, st.Append(ctx, "running", []engine.Event{
		{Seq: 3, Wall: epoch, Kind: engine.KindNote}, {Seq: 4, Wall: epoch, Kind: engine.KindExerciseEnded}}))
	want = map[bool][]engine.CatalogEntry{
		true:  {entry("ended", true, 3), entry("running", true, 4)},
		false: {entry("empty", false, 0)},
	}
	check(cat, "after the end")
	require.NoError(t, st.Close())
	check(s.store(t).(engine.Cataloguer), "after a reopen")
}

// credentialIndexFollowsTheRecords: the credentials index finds each credential of every
// record with its key, nothing for a hash no record holds, and follows a credential replaced
// (CredentialsUpdater): the new one is found, the old one no more.
func credentialIndexFollowsTheRecords(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	idx, ok := st.(engine.CredentialIndex)
	require.True(t, ok, "%T indexes credentials", st)
	for _, id := range []string{"x1", "x2"} {
		rec := record(id)
		rec.Credentials = map[string]string{"facilitator": "h-" + id, "team:irt": "h-" + id + "-code"}
		require.NoError(t, st.CreateExercise(ctx, rec))
	}
	found := func(hash string) []string {
		t.Helper()
		id, key, ok, err := idx.CredentialOf(ctx, hash)
		require.NoError(t, err)
		if !ok {
			return nil
		}
		return []string{id, key}
	}
	assert.Equal(t, []string{"x2", "team:irt"}, found("h-x2-code"))
	assert.Equal(t, []string{"x1", "facilitator"}, found("h-x1"))
	assert.Nil(t, found("no-such-hash"))

	require.NoError(t, st.(engine.CredentialsUpdater).SetCredential(ctx, "x1", "facilitator", "h-x1-new"))
	assert.Equal(t, []string{"x1", "facilitator"}, found("h-x1-new"), "the replaced token is found")
	assert.Nil(t, found("h-x1"), "the old token is no more")
	assert.Equal(t, []string{"x1", "team:irt"}, found("h-x1-code"), "the other credentials stay")
	require.NoError(t, st.Close())
	idx = s.store(t).(engine.CredentialIndex)
	assert.Equal(t, []string{"x1", "facilitator"}, found("h-x1-new"), "after a reopen")
}

// derivedRowsAreReplaced: a kept row is read back byte for byte and replaced by a later one of
// the same name; a row of an unknown exercise is refused.
func derivedRowsAreReplaced(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	keeper, ok := st.(engine.DerivedKeeper)
	require.True(t, ok, "%T keeps derived rows", st)
	mustCreate(t, st, "x1")
	mustCreate(t, st, "x2")
	_, ok, err := keeper.Derived(ctx, "x1", "row")
	require.NoError(t, err)
	assert.False(t, ok)
	body := []byte("\x00binary\xff")
	require.NoError(t, keeper.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 3, Body: body}))
	require.NoError(t, keeper.PutDerived(ctx, engine.Derived{ExerciseID: "x2", Name: "row", Seq: 1, Body: []byte("b")}))
	require.NoError(t, keeper.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "report.md", Seq: 3, Body: []byte("md")}))
	assert.Error(t, keeper.PutDerived(ctx, engine.Derived{ExerciseID: "ghost", Name: "row", Seq: 1, Body: []byte("b")}))
	d, ok, err := keeper.Derived(ctx, "x1", "row")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 3, Body: body}, d)
	require.NoError(t, keeper.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 5, Body: []byte("later")}))
	require.NoError(t, st.Close())
	all, err := s.store(t).(engine.DerivedKeeper).DerivedAll(ctx, "row")
	require.NoError(t, err)
	assert.Equal(t, []engine.Derived{
		{ExerciseID: "x1", Name: "row", Seq: 5, Body: []byte("later")},
		{ExerciseID: "x2", Name: "row", Seq: 1, Body: []byte("b")},
	}, all)
}
