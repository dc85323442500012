package web

import (
	"context"
	"log/slog"
	"time"
)

// GuessCounter keeps the guessing limit's buckets where every replica counts them
// (design/scale.md: the limit holds across replicas): engine/postgres's guesses table. A
// bucket is named by key, holds up to burst tokens and refills at rate a second, by the
// counter's own clock; a bucket never used is full.
type GuessCounter interface {
	// GuessHas reports whether bucket key has a token now.
	GuessHas(ctx context.Context, key string, rate, burst float64) (bool, error)
	// GuessTake takes a token from bucket key, if it has one.
	GuessTake(ctx context.Context, key string, rate, burst float64) error
	// GuessTrust notes that key presented a right credential now.
	GuessTrust(ctx context.Context, key string) error
	// GuessTrusted reports whether key presented a right credential within d.
	GuessTrusted(ctx context.Context, key string, d time.Duration) (bool, error)
}

// credentialLimiter is the guessing limit a Server applies: guessLimiter on one server,
// sharedGuesses across replicas.
type credentialLimiter interface {
	allowed(space, ip string) bool
	failed(space, ip string)
	succeeded(ip string)
}

var (
	_ credentialLimiter = (*guessLimiter)(nil)
	_ credentialLimiter = (*sharedGuesses)(nil)
)

// guessTimeout bounds one look at the shared counts.
const guessTimeout = 5 * time.Second

// sharedGuesses is guessLimiter's rule with its buckets in a GuessCounter: per address, per
// credential space, and the addresses trusted for an hour. A counter that cannot be read lets
// the credential be checked (the database being away fails the check itself soon enough)
// and is logged.
type sharedGuesses struct {
	counter    GuessCounter
	log        *slog.Logger
	rate       float64
	burst      float64
	globalRate float64
	globalSize float64
}

func newSharedGuesses(counter GuessCounter, log *slog.Logger, perMinute, burst, globalPerMinute, globalBurst int) *sharedGuesses {
	return &sharedGuesses{counter: counter, log: log,
		rate: float64(perMinute) / 60, burst: float64(burst),
		globalRate: float64(globalPerMinute) / 60, globalSize: float64(globalBurst)}
}

func (l *sharedGuesses) allowed(space, ip string) bool {
	key := addressKey(ip)
	ctx, cancel := context.WithTimeout(context.Background(), guessTimeout)
	defer cancel()
	if ok, err := l.counter.GuessHas(ctx, "addr:"+key, l.rate, l.burst); err != nil {
		return l.failedOpen(err)
	} else if !ok {
		return false
	}
	ok, err := l.counter.GuessHas(ctx, "space:"+space, l.globalRate, l.globalSize)
	if err != nil {
		return l.failedOpen(err)
	}
	if ok {
		return true
	}
	ok, err = l.counter.GuessTrusted(ctx, "trust:"+key, trustFor)
	if err != nil {
		return l.failedOpen(err)
	}
	return ok
}

func (l *sharedGuesses) failed(space, ip string) {
	key := addressKey(ip)
	ctx, cancel := context.WithTimeout(context.Background(), guessTimeout)
	defer cancel()
	for _, err := range []error{
		l.counter.GuessTake(ctx, "addr:"+key, l.rate, l.burst),
		l.counter.GuessTake(ctx, "space:"+space, l.globalRate, l.globalSize),
	} {
		if err != nil {
			l.log.Warn("count a wrong credential", slog.Any("err", err))
		}
	}
}

func (l *sharedGuesses) succeeded(ip string) {
	ctx, cancel := context.WithTimeout(context.Background(), guessTimeout)
	defer cancel()
	if err := l.counter.GuessTrust(ctx, "trust:"+addressKey(ip)); err != nil {
		l.log.Warn("note a right credential", slog.Any("err", err))
	}
}

func (l *sharedGuesses) failedOpen(err error) bool {
	l.log.Warn("read the guessing limit's counts", slog.Any("err", err))
	return true
}
