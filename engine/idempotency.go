package engine

import (
	"context"
	"slices"
	"sync"
	"time"
)

// IdempotencyKeeper is implemented by stores that keep the claims and answers of commands
// sent with an Idempotency-Key (engine/sqlite, engine/postgres, MemoryStore), so that a retry
// is recognised after a restart and on every replica of a shared database. The store keeps
// what it is given; the rules (what a scope is, which answers are kept, how long a retry waits)
// are the web server's.
type IdempotencyKeeper interface {
	// ClaimIdempotency claims c.Scope for the request c describes, unless a claim of that
	// scope is kept: claimed is true when none was, and the caller then answers the claim
	// with AnswerIdempotency or drops it with ForgetIdempotency; otherwise kept is the claim
	// kept, answered or still running, and nothing is written. Claiming is atomic: of
	// requests claiming one scope at once, on any number of servers, one is claimed. Claims
	// made more than IdempotencyRetention before c.ClaimedAt are forgotten first.
	ClaimIdempotency(ctx context.Context, c IdempotencyClaim) (kept IdempotencyClaim, claimed bool, err error)
	// AnswerIdempotency keeps a as the answer of the claim of scope.
	AnswerIdempotency(ctx context.Context, scope string, a IdempotentAnswer) error
	// ForgetIdempotency drops the claim of scope, so that the next request with it runs.
	ForgetIdempotency(ctx context.Context, scope string) error
}

// IdempotencyRetention is how long a store keeps a claim: a retry a day later runs again.
const IdempotencyRetention = 24 * time.Hour

// IdempotencyClaim is what a store keeps of the first request of a scope (a key, from one
// credential, to one route).
type IdempotencyClaim struct {
	Scope    string // opaque to the store; at most 100 bytes
	BodyHash []byte // of the request's body, so that a retry with another body is told apart
	// ClaimedAt is the claiming server's time. A claim's age (how long a retry waits for it)
	// and its retention are reckoned from it by the servers' clocks, which replicas are
	// assumed to keep within seconds of each other (NTP); an atomic claim, not a clock, is
	// what makes a command run once.
	ClaimedAt time.Time
	// Answered says that Answer is the first request's answer; while false, it still runs
	// (or its server died before answering).
	Answered bool
	Answer   IdempotentAnswer
}

// IdempotentAnswer is the answer to the first request of a scope, given again to its retries.
type IdempotentAnswer struct {
	Status      int
	ContentType string
	Body        []byte // as the web server seals it: the store never reads it
}

// MaxMemoryIdempotency bounds the claims a MemoryIdempotency keeps: past it the oldest are
// forgotten, so that a server without a database holds a bounded memory however many keys it
// is sent.
const MaxMemoryIdempotency = 10000

// MemoryIdempotency is an IdempotencyKeeper in memory, for one server's life: MemoryStore's,
// and the web server's when its store keeps none. It keeps the newest MaxMemoryIdempotency
// claims of the last IdempotencyRetention.
type MemoryIdempotency struct {
	mu     sync.Mutex
	claims map[string]IdempotencyClaim
	order  []string // scopes, oldest claim first
}

var _ IdempotencyKeeper = (*MemoryIdempotency)(nil)

// NewMemoryIdempotency returns an empty MemoryIdempotency.
func NewMemoryIdempotency() *MemoryIdempotency {
	return &MemoryIdempotency{claims: make(map[string]IdempotencyClaim)}
}

// ClaimIdempotency claims c.Scope unless it is claimed.
func (k *MemoryIdempotency) ClaimIdempotency(ctx context.Context, c IdempotencyClaim) (IdempotencyClaim, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.pruneLocked(c.ClaimedAt)
	if kept, ok := k.claims[c.Scope]; ok {
		return cloneClaim(kept), false, nil
	}
	k.claims[c.Scope] = cloneClaim(c)
	k.order = append(k.order, c.Scope)
	for len(k.order) > MaxMemoryIdempotency {
		k.dropOldestLocked()
	}
	return IdempotencyClaim{}, true, nil
}

// pruneLocked forgets the claims made more than IdempotencyRetention before now.
func (k *MemoryIdempotency) pruneLocked(now time.Time) {
	for len(k.order) > 0 {
		oldest, ok := k.claims[k.order[0]]
		if ok && !oldest.ClaimedAt.Before(now.Add(-IdempotencyRetention)) {
			return
		}
		k.dropOldestLocked()
	}
}

// dropOldestLocked forgets the oldest claim; a scope forgotten and claimed again since is in
// order twice, and only its newest place holds it.
func (k *MemoryIdempotency) dropOldestLocked() {
	scope := k.order[0]
	k.order = k.order[1:]
	if !slices.Contains(k.order, scope) {
		delete(k.claims, scope)
	}
}

// AnswerIdempotency keeps a as the answer of scope's claim; nothing when it was forgotten.
func (k *MemoryIdempotency) AnswerIdempotency(ctx context.Context, scope string, a IdempotentAnswer) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	c, ok := k.claims[scope]
	if !ok {
		return nil
	}
	c.Answered = true
	c.Answer = IdempotentAnswer{Status: a.Status, ContentType: a.ContentType, Body: slices.Clone(a.Body)}
	k.claims[scope] = c
	return nil
}

// ForgetIdempotency drops scope's claim.
func (k *MemoryIdempotency) ForgetIdempotency(ctx context.Context, scope string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.claims, scope)
	return nil
}

func cloneClaim(c IdempotencyClaim) IdempotencyClaim {
	c.BodyHash = slices.Clone(c.BodyHash)
	c.Answer.Body = slices.Clone(c.Answer.Body)
	return c
}
