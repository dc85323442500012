package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// TestTwoPeopleWithOneName: two participants of one team under one name, each with its own
// id, never share a ref; each one's retry is still recorded once.
func TestTwoPeopleWithOneName(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, testScenario(h), 60)
	sam1 := engine.Response{Team: "irt", Name: "Sam", Participant: "p-one", Ref: "a1"}
	sam2 := engine.Response{Team: "irt", Name: "Sam", Participant: "p-two", Ref: "a1"}
	e1, err := f.x.Act(ctx, sam1, "contain_hosts")
	require.NoError(t, err)
	e2, err := f.x.Note(ctx, sam2, "the second Sam")
	require.NoError(t, err)
	assert.NotEqual(t, e1.Seq, e2.Seq, "the second Sam is recorded")
	assert.Equal(t, "p-two", e2.Participant)
	again, err := f.x.Note(ctx, sam2, "the second Sam")
	require.NoError(t, err)
	assert.Equal(t, e2.Seq, again.Seq, "a retry is recorded once")
}
