package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
)

// defaultGuessLimiter is the limiter NewServer builds with the default Config.
func defaultGuessLimiter(clock clockwork.Clock) *guessLimiter {
	return newGuessLimiter(clock, 10, 50, 6, 1000)
}

// TestARoomBehindOneAddressIsNeverLockedOut: 40 typos from one address (a NAT, the reverse
// proxy) still let 200 people behind it in, and a wrong guess every 6 s never locks it.
func TestARoomBehindOneAddressIsNeverLockedOut(t *testing.T) {
	clock := clockwork.NewFakeClock()
	l := defaultGuessLimiter(clock)
	const room = "198.51.100.7"
	for range 40 {
		assert.True(t, l.allowed(spaceCode, room))
		l.failed(spaceCode, room)
	}
	for i := range 200 {
		if !assert.True(t, l.allowed(spaceCode, room), "person %d", i) {
			return
		}
		l.succeeded(room) // right codes are never counted
	}
	for i := range 600 { // an hour of one wrong guess every 6 s
		clock.Advance(6 * time.Second)
		l.failed(spaceCode, room)
		if !assert.True(t, l.allowed(spaceCode, room), "after %d slow guesses", i+1) {
			return
		}
	}
}

// TestGuessingIsBoundedFromAnyNumberOfAddresses: wrong join codes from ever new addresses are
// checked no more often than the global budget; rooms already in still come in.
func TestGuessingIsBoundedFromAnyNumberOfAddresses(t *testing.T) {
	clock := clockwork.NewFakeClock()
	l := defaultGuessLimiter(clock)
	const room = "198.51.100.7"
	l.succeeded(room)
	checked := 0
	for i := range 5000 {
		ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		if l.allowed(spaceCode, ip) {
			checked++
			l.failed(spaceCode, ip)
		}
	}
	assert.Equal(t, 1000, checked, "the global burst")
	assert.True(t, l.allowed(spaceCode, room), "a room that is in keeps coming in")
	assert.False(t, l.allowed(spaceCode, "192.0.2.1"), "a new address waits for the budget")
	assert.True(t, l.allowed(spaceToken, "192.0.2.1"), "tokens have a budget of their own")
	clock.Advance(10 * time.Second)
	assert.True(t, l.allowed(spaceCode, "192.0.2.1"), "one guess earned back")

	// One host's IPv6 /64 is one address.
	for i := range 50 {
		l.failed(spaceToken, fmt.Sprintf("2001:db8::%x", i+1))
	}
	assert.False(t, l.allowed(spaceToken, "2001:db8::ffff"))
	assert.True(t, l.allowed(spaceToken, "2001:db8:0:1::1"))
}
