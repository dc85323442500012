package engine

import (
	"math"
	"time"
)

// Speed limits: simulated seconds per real second.
const (
	MinSpeed = 0.1
	MaxSpeed = 3600
)

// simClock is an exercise's simulated clock. While running, simulated time is base plus the
// real time elapsed since baseReal, times speed; while stopped it stays at base. It holds no
// clock of its own: every method takes the real time, read once per step by its caller.
type simClock struct {
	base     time.Duration // simulated time at baseReal
	baseReal time.Time
	speed    float64
	running  bool
}

// now returns the simulated time at real time real.
func (c *simClock) now(real time.Time) time.Duration {
	if !c.running {
		return c.base
	}
	elapsed := real.Sub(c.baseReal)
	if elapsed <= 0 {
		return c.base
	}
	return c.base + time.Duration(float64(elapsed)*c.speed)
}

// start runs the clock from simulated time at, from real time real.
func (c *simClock) start(real time.Time, at time.Duration) {
	c.base, c.baseReal, c.running = at, real, true
}

// stop freezes the clock at its current simulated time.
func (c *simClock) stop(real time.Time) {
	c.base, c.running = c.now(real), false
}

// setSpeed changes the speed from now on; the simulated time so far is kept.
func (c *simClock) setSpeed(real time.Time, speed float64) {
	c.base, c.baseReal, c.speed = c.now(real), real, speed
}

// jump sets the simulated time to at, from real time real.
func (c *simClock) jump(real time.Time, at time.Duration) {
	c.base, c.baseReal = at, real
}

// realUntil returns the real time from real until simulated time at, rounded up so that the
// clock has reached at when it has passed; ok is false when the clock is stopped.
func (c *simClock) realUntil(real time.Time, at time.Duration) (d time.Duration, ok bool) {
	if !c.running {
		return 0, false
	}
	left := at - c.now(real)
	if left <= 0 {
		return 0, true
	}
	return time.Duration(math.Ceil(float64(left) / c.speed)), true
}

// checkSpeed returns an EInvalid error for a speed ttx does not run at.
func checkSpeed(speed float64) error {
	if math.IsNaN(speed) || speed < MinSpeed || speed > MaxSpeed {
		return Errorf(EInvalid, "speed: %v is outside %v to %v simulated seconds per real second", speed, MinSpeed, MaxSpeed)
	}
	return nil
}
