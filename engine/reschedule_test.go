package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// TestReschedule: an upcoming inject fires at its new due time, earlier or later than its
// `at`, an `after` inject too, before the inject it waited for; the log replays the same
// agenda; times outside what is left and injects already fired are refused.
func TestReschedule(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(4*h,
		inj("a", at(2*h)),
		inj("b", at(30*m)),
		inj("c", after("a", 10*m)),
	)
	f := mustStart(t, sc, 60)
	x := f.x
	require.NoError(t, x.Reschedule(ctx, "a", 20*m))
	require.NoError(t, x.Reschedule(ctx, "b", 3*h))
	require.NoError(t, x.Reschedule(ctx, "c", 25*m))

	f.advance(t, 20*time.Second) // 20m: a fires at its new time
	snap := x.Snapshot()
	require.NotEmpty(t, snap.Upcoming)
	assert.Equal(t, "c", snap.Upcoming[0].Name, "c is next, at its own new time, not 10m after a")
	assert.Equal(t, 25*m, snap.Upcoming[0].Due)
	f.advance(t, 5*time.Second)  // 25m: c
	f.advance(t, 10*time.Second) // 35m: b no longer fires at 30m
	stored, err := f.store.Events(ctx, x.ID())
	require.NoError(t, err)
	var got []engine.Event
	for _, e := range stored {
		if e.Kind == engine.KindInjectRescheduled || e.Kind == engine.KindInjectDelivered {
			got = append(got, e)
		}
	}
	assert.Equal(t, []string{"0s inject_rescheduled a", "0s inject_rescheduled b", "0s inject_rescheduled c",
		"20m0s inject_delivered a", "25m0s inject_delivered c"}, timeline(got))
	assert.Equal(t, 3*h, got[1].Due, "the new due time, from the start")

	// Refused: the past, beyond the end, an inject already delivered, one that does not exist.
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(x.Reschedule(ctx, "b", 10*m)))
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(x.Reschedule(ctx, "b", 5*h)))
	assert.Equal(t, engine.EConflict, engine.ErrorCode(x.Reschedule(ctx, "a", 3*h)))
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(x.Reschedule(ctx, "nope", 3*h)))

	// Restored from its log, b still waits for 3h.
	again, err := engine.Restore(ctx, x.Record(), sc, f.clock, f.store)
	require.NoError(t, err)
	up := again.Snapshot().Upcoming
	require.Len(t, up, 1)
	assert.Equal(t, "b", up[0].Name)
	assert.Equal(t, 3*h, up[0].Due)
}
