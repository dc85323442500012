package web

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
)

// memGuesses is a GuessCounter in memory on a fake clock, as the database keeps one for
// every replica.
type memGuesses struct {
	clock   clockwork.Clock
	mu      sync.Mutex
	buckets map[string]*bucket
	trusted map[string]time.Time
}

func newMemGuesses(clock clockwork.Clock) *memGuesses {
	return &memGuesses{clock: clock, buckets: map[string]*bucket{}, trusted: map[string]time.Time{}}
}

func (m *memGuesses) bucket(key string, rate, burst float64) *bucket {
	b, ok := m.buckets[key]
	if !ok {
		b = newBucket(rate, burst, m.clock.Now())
		m.buckets[key] = b
	}
	return b
}

func (m *memGuesses) GuessHas(_ context.Context, key string, rate, burst float64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bucket(key, rate, burst).has(m.clock.Now()), nil
}

func (m *memGuesses) GuessTake(_ context.Context, key string, rate, burst float64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bucket(key, rate, burst).take(m.clock.Now())
	return nil
}

func (m *memGuesses) GuessTrust(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trusted[key] = m.clock.Now()
	return nil
}

func (m *memGuesses) GuessTrusted(_ context.Context, key string, d time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.trusted[key]
	return ok && m.clock.Now().Sub(t) < d, nil
}

// TestGuessingLimitHoldsAcrossReplicas: wrong codes from one address spread over two
// replicas count in one bucket: the address is refused on both once the burst is spent
// between them, as on a single server; and the global budget is shared too, except for an
// address trusted on either replica.
func TestGuessingLimitHoldsAcrossReplicas(t *testing.T) {
	clock := clockwork.NewFakeClock()
	counter := newMemGuesses(clock)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	replicas := []credentialLimiter{
		newSharedGuesses(counter, quiet, 10, 50, 6, 1000),
		newSharedGuesses(counter, quiet, 10, 50, 6, 1000),
	}
	const guesser = "203.0.113.9"
	for i := range 50 {
		r := replicas[i%2]
		assert.True(t, r.allowed(spaceCode, guesser), "guess %d", i)
		r.failed(spaceCode, guesser)
	}
	for i, r := range replicas {
		assert.False(t, r.allowed(spaceCode, guesser), "replica %d refuses the address", i)
	}
	clock.Advance(6 * time.Second) // one token back
	assert.True(t, replicas[1].allowed(spaceCode, guesser))

	// The global budget, spent from many addresses over both replicas.
	for i := range 1000 {
		replicas[i%2].failed(spaceToken, "198.51.100."+string(rune('a'+i%26)))
	}
	replicas[0].succeeded("192.0.2.1")
	assert.False(t, replicas[1].allowed(spaceToken, "192.0.2.200"), "a new address past the global budget")
	assert.True(t, replicas[1].allowed(spaceToken, "192.0.2.1"), "trusted on the other replica")
}
