package web

import (
	"net"
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

// has reports whether a token is there now, without taking it.
func (b *bucket) has(now time.Time) bool {
	b.refill(now)
	return b.tokens >= 1
}

// full reports whether the bucket has refilled completely at now, so that it can be
// forgotten.
func (b *bucket) full(now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*b.rate >= b.burst
}

// The credential spaces guessed separately: join codes (8 characters of 30) and tokens.
const (
	spaceCode  = "code"
	spaceToken = "token"
)

// trustFor is how long an address that presented a right credential is trusted past an
// empty global budget.
const trustFor = time.Hour

// guessLimiter bounds the guessing of tokens and join codes (docs/reliability.md gives the
// arithmetic). Only wrong credentials are counted; a right one never is.
//
//   - Each address (an IPv4 address, an IPv6 /64) has a bucket of wrong attempts, large
//     enough for a room's typos. While it is empty every credential from it is refused (429)
//     until a token comes back: the address is slowed, a room behind it is not locked out by
//     its own typos.
//   - Each credential space has one global bucket of wrong attempts, shared by every address.
//     While it is empty, an address that has not presented a right credential in the last
//     hour is refused unchecked: guessing from any number of addresses gets no further than
//     the global budget, while rooms already in keep coming in.
type guessLimiter struct {
	clock      clockwork.Clock
	rate       float64
	burst      float64
	globalRate float64
	globalSize float64

	mu      sync.Mutex
	buckets map[string]*bucket   // by address
	global  map[string]*bucket   // by space
	trusted map[string]time.Time // address → its last right credential
	sweeps  int
}

func newGuessLimiter(clock clockwork.Clock, perMinute, burst, globalPerMinute, globalBurst int) *guessLimiter {
	now := clock.Now()
	l := &guessLimiter{
		clock:      clock,
		rate:       float64(perMinute) / 60,
		burst:      float64(burst),
		globalRate: float64(globalPerMinute) / 60,
		globalSize: float64(globalBurst),
		buckets:    make(map[string]*bucket),
		global:     make(map[string]*bucket),
		trusted:    make(map[string]time.Time),
	}
	for _, space := range []string{spaceCode, spaceToken} {
		l.global[space] = newBucket(l.globalRate, l.globalSize, now)
	}
	return l
}

// addressKey is what is counted for ip: the address, or its /64 for IPv6, where one host
// commonly holds a whole /64.
func addressKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil || parsed.To4() != nil {
		return ip
	}
	return parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// allowed reports whether ip may have a credential of space checked now.
func (l *guessLimiter) allowed(space, ip string) bool {
	key := addressKey(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	if b, ok := l.buckets[key]; ok {
		if b.full(now) {
			delete(l.buckets, key)
		} else if !b.has(now) {
			return false
		}
	}
	if l.global[space].has(now) {
		return true
	}
	last, ok := l.trusted[key]
	return ok && now.Sub(last) < trustFor
}

// failed counts a wrong credential of space from ip.
func (l *guessLimiter) failed(space, ip string) {
	key := addressKey(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	b, ok := l.buckets[key]
	if !ok {
		b = newBucket(l.rate, l.burst, now)
		l.buckets[key] = b
	}
	b.take(now)
	l.global[space].take(now)
	l.sweepLocked(now)
}

// succeeded notes a right credential from ip: it is not counted, and the address is trusted
// for an hour.
func (l *guessLimiter) succeeded(ip string) {
	key := addressKey(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.trusted[key] = now
	l.sweepLocked(now)
}

// sweepLocked forgets refilled buckets and old trust now and then, so that the maps do not
// grow without bound.
func (l *guessLimiter) sweepLocked(now time.Time) {
	if l.sweeps++; l.sweeps%1024 != 0 {
		return
	}
	for k, b := range l.buckets {
		if b.full(now) {
			delete(l.buckets, k)
		}
	}
	for k, t := range l.trusted {
		if now.Sub(t) >= trustFor {
			delete(l.trusted, k)
		}
	}
}
