package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/storetest"
)

// TestMemoryIdempotency: the in-memory keeper, alone and as MemoryStore's, keeps the contract
// of every store.
func TestMemoryIdempotency(t *testing.T) {
	t.Run("alone", func(t *testing.T) { storetest.IdempotencyContract(t, engine.NewMemoryIdempotency()) })
	t.Run("MemoryStore", func(t *testing.T) { storetest.IdempotencyContract(t, engine.NewMemoryStore()) })
}

// TestMemoryIdempotencyIsBounded: past MaxMemoryIdempotency claims the oldest is forgotten; a
// scope forgotten and claimed again is kept as the newest.
func TestMemoryIdempotencyIsBounded(t *testing.T) {
	ctx := context.Background()
	k := engine.NewMemoryIdempotency()
	claimed := func(scope string) bool {
		t.Helper()
		_, claimed, err := k.ClaimIdempotency(ctx, engine.IdempotencyClaim{Scope: scope, ClaimedAt: epoch})
		require.NoError(t, err)
		return claimed
	}
	require.True(t, claimed("again"))
	require.NoError(t, k.ForgetIdempotency(ctx, "again"))
	for i := range engine.MaxMemoryIdempotency - 1 {
		require.True(t, claimed(fmt.Sprint("k", i)))
	}
	require.True(t, claimed("again"), "claimed again as the newest")
	assert.False(t, claimed("k0"), "the oldest of %d is kept", engine.MaxMemoryIdempotency)
	require.True(t, claimed("one more"))
	assert.True(t, claimed("k0"), "past the bound the oldest is forgotten")
	assert.False(t, claimed("again"), "not for its first, forgotten place")
}
