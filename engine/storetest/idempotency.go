package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// keeperOf is st as the engine.IdempotencyKeeper every store of ttx is.
func keeperOf(t *testing.T, st engine.Store) engine.IdempotencyKeeper {
	t.Helper()
	k, ok := st.(engine.IdempotencyKeeper)
	require.True(t, ok, "the store keeps Idempotency-Keys")
	return k
}

func claim(scope string, body string, at time.Time) engine.IdempotencyClaim {
	return engine.IdempotencyClaim{Scope: scope, BodyHash: []byte("hash of " + body), ClaimedAt: at}
}

// IdempotencyContract is what every engine.IdempotencyKeeper does, MemoryIdempotency too: the
// first claim of a scope is claimed and the next ones find it, running and then answered with
// the answer kept; a forgotten claim is claimed again; claims older than
// engine.IdempotencyRetention are forgotten by the next claim, younger ones are not.
func IdempotencyContract(t *testing.T, k engine.IdempotencyKeeper) {
	t.Helper()
	ctx := context.Background()
	mustClaim := func(c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool) {
		t.Helper()
		kept, claimed, err := k.ClaimIdempotency(ctx, c)
		require.NoError(t, err)
		return kept, claimed
	}
	_, claimed := mustClaim(claim("s1", "a", epoch))
	require.True(t, claimed, "the first claim")
	kept, claimed := mustClaim(claim("s1", "b", epoch.Add(time.Second)))
	require.False(t, claimed, "the scope is claimed")
	assert.Equal(t, []byte("hash of a"), kept.BodyHash, "the first claim's body")
	assert.True(t, kept.ClaimedAt.Equal(epoch), "claimed at %v", kept.ClaimedAt)
	assert.False(t, kept.Answered, "still running")

	answer := engine.IdempotentAnswer{Status: 201, ContentType: "application/json; charset=utf-8", Body: []byte(`{"seq":7}`)}
	require.NoError(t, k.AnswerIdempotency(ctx, "s1", answer))
	kept, claimed = mustClaim(claim("s1", "a", epoch.Add(2*time.Second)))
	require.False(t, claimed)
	assert.True(t, kept.Answered)
	assert.Equal(t, answer, kept.Answer, "the answer as kept")
	assert.Equal(t, []byte("hash of a"), kept.BodyHash)

	_, claimed = mustClaim(claim("s2", "a", epoch))
	require.True(t, claimed, "another scope")
	require.NoError(t, k.AnswerIdempotency(ctx, "s2", engine.IdempotentAnswer{Status: 200}))
	kept, _ = mustClaim(claim("s2", "a", epoch))
	assert.Equal(t, engine.IdempotentAnswer{Status: 200}, kept.Answer, "an empty answer")
	require.NoError(t, k.ForgetIdempotency(ctx, "s2"))
	_, claimed = mustClaim(claim("s2", "a", epoch.Add(time.Second)))
	assert.True(t, claimed, "a forgotten claim is claimed again")

	late := epoch.Add(engine.IdempotencyRetention)
	_, claimed = mustClaim(claim("s3", "a", late))
	require.True(t, claimed)
	_, claimed = mustClaim(claim("s1", "a", late))
	assert.False(t, claimed, "a claim of exactly the retention's age is kept")
	_, claimed = mustClaim(claim("s1", "a", late.Add(time.Second)))
	assert.True(t, claimed, "an older one is forgotten")
	_, claimed = mustClaim(claim("s3", "a", late.Add(time.Second)))
	assert.False(t, claimed, "a younger one is not")
}

// idempotencySurvivesAReopen: an answered claim and a running one are there when the database
// is opened again.
func idempotencySurvivesAReopen(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	k := keeperOf(t, st)
	for _, scope := range []string{"answered", "running"} {
		_, claimed, err := k.ClaimIdempotency(ctx, claim(scope, "a", epoch))
		require.NoError(t, err)
		require.True(t, claimed)
	}
	answer := engine.IdempotentAnswer{Status: 503, ContentType: "application/json", Body: []byte(`{"error":"…"}`)}
	require.NoError(t, k.AnswerIdempotency(ctx, "answered", answer))
	require.NoError(t, st.Close())

	k = keeperOf(t, s.store(t))
	kept, claimed, err := k.ClaimIdempotency(ctx, claim("answered", "b", epoch.Add(time.Minute)))
	require.NoError(t, err)
	require.False(t, claimed)
	assert.Equal(t, answer, kept.Answer)
	kept, claimed, err = k.ClaimIdempotency(ctx, claim("running", "b", epoch.Add(time.Minute)))
	require.NoError(t, err)
	require.False(t, claimed)
	assert.False(t, kept.Answered, "a claim whose server died before answering stays unanswered")
}

// idempotencyClaimedOnce: requests claiming one scope at once through two stores on one
// database (two replicas, or two processes on one SQLite file): exactly one is claimed.
func idempotencyClaimedOnce(t *testing.T, s *suite) {
	ctx := context.Background()
	keepers := []engine.IdempotencyKeeper{keeperOf(t, s.store(t)), keeperOf(t, s.store(t))}
	const scopes, claimants = 20, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	claims := make(map[string]int)
	for i := range claimants {
		wg.Go(func() {
			for n := range scopes {
				scope := fmt.Sprint("scope-", n)
				_, claimed, err := keepers[i%2].ClaimIdempotency(ctx, claim(scope, "a", epoch))
				if !assert.NoError(t, err) {
					return
				}
				if claimed {
					mu.Lock()
					claims[scope]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for n := range scopes {
		assert.Equal(t, 1, claims[fmt.Sprint("scope-", n)], "scope-%d claimed once", n)
	}
}
