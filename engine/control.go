package engine

import "context"

// Start starts the simulated clock at 0: the incident starts at the plan's lowest severity,
// which triggers the actions on that level, and the injects due at 0 fire. EConflict unless
// the exercise has not started yet.
func (x *Exercise) Start(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("start the exercise", StatusCreated); err != nil {
			return Event{}, err
		}
		x.sim.start(b.real, 0)
		b.now = 0
		e := x.emit(b, Event{T: 0, Kind: KindExerciseStarted, Speed: x.sim.speed})
		if sev := x.sc.Plan.Severities; len(sev) > 0 {
			x.raise(b, sev[0].Name, 0)
		}
		return e, nil
	})
	return err
}

// Pause stops the simulated clock. EConflict unless the exercise is running.
func (x *Exercise) Pause(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("pause the exercise", StatusRunning); err != nil {
			return Event{}, err
		}
		x.sim.stop(b.real)
		return x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockPaused}), nil
	})
	return err
}

// Resume restarts a paused clock from where it stopped. EConflict unless the exercise is
// paused.
func (x *Exercise) Resume(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("resume the exercise", StatusPaused); err != nil {
			return Event{}, err
		}
		x.sim.start(b.real, b.now)
		return x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockResumed}), nil
	})
	return err
}

// SetSpeed sets how many simulated seconds pass per real second, from now on. EInvalid for a
// speed outside MinSpeed..MaxSpeed; EConflict once the exercise has ended.
func (x *Exercise) SetSpeed(ctx context.Context, speed float64) error {
	if err := checkSpeed(speed); err != nil {
		return err
	}
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("change the speed", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		x.sim.setSpeed(b.real, speed)
		return x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockSpeed, Speed: speed}), nil
	})
	return err
}

// Advance jumps the simulated clock to the due time of the next inject not yet fired (held
// injects aside), which then fires; with nothing left to fire before `duration`, it jumps to
// the end. A paused exercise stays paused. EConflict unless running or paused.
func (x *Exercise) Advance(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("advance the clock", StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		target := max(x.nextDue(), b.now)
		x.sim.jump(b.real, target)
		b.now = target
		return x.emit(b, Event{T: target, Kind: KindClock, Clock: ClockAdvanced}), nil
	})
	return err
}

// End ends the exercise now (reason "facilitator"); nothing fires or is recorded after it.
// EConflict once it has ended.
func (x *Exercise) End(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("end the exercise", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		x.sim.stop(b.real)
		return x.emit(b, Event{T: b.now, Kind: KindExerciseEnded, Reason: "facilitator"}), nil
	})
	return err
}
