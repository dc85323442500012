package web

import (
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// bucket is a token bucket: up to burst tokens, refilled at rate per second. Not safe for
// concurrent use; its owner serialises access.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate, burst float64, now time.Time) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// refill adds the tokens earned since the last refill.
func (b *bucket) refill(now time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed*b.rate)
		b.last = now
	}
}

// take takes one token if there is one.
func (b *bucket) take(now time.Time) bool {
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// full reports whether the bucket has refilled completely at now, so that it can be
// forgotten.
func (b *bucket) full(now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*b.rate >= b.burst
}

// guessLimiter slows down guessing of tokens and join codes: each client IP has a bucket of
// failed attempts. While a bucket is empty every credential from that IP is refused, right or
// wrong, so that guessing gains nothing.
type guessLimiter struct {
	clock clockwork.Clock
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
	sweeps  int
}

func newGuessLimiter(clock clockwork.Clock, perMinute, burst int) *guessLimiter {
	return &guessLimiter{
		clock:   clock,
		rate:    float64(perMinute) / 60,
		burst:   float64(burst),
		buckets: make(map[string]*bucket),
	}
}

// allowed reports whether ip may try a credential now.
func (l *guessLimiter) allowed(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[ip]
	if !ok {
		return true
	}
	now := l.clock.Now()
	if b.full(now) {
		delete(l.buckets, ip)
		return true
	}
	b.refill(now)
	return b.tokens >= 1
}

// failed counts a wrong credential from ip.
func (l *guessLimiter) failed(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	b, ok := l.buckets[ip]
	if !ok {
		b = newBucket(l.rate, l.burst, now)
		l.buckets[ip] = b
	}
	b.take(now)
	// Forget refilled buckets now and then, so that the map does not grow without bound.
	if l.sweeps++; l.sweeps%1024 == 0 {
		for k, other := range l.buckets {
			if other.full(now) {
				delete(l.buckets, k)
			}
		}
	}
}
