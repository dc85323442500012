package engine

import (
	"context"
	"slices"

	"github.com/ttx-dev/ttx/scenarios"
)

// Start starts the simulated clock at 0: the incident starts at the plan's lowest severity,
// which triggers the actions on that level, and the modules and injects due at 0 start and
// fire. Its exercise_started event logs the exercise's mode and teams in play. EConflict
// unless the exercise has not started yet.
func (x *Exercise) Start(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("start the exercise", StatusCreated); err != nil {
			return Event{}, err
		}
		x.sim.start(b.real, 0)
		b.now = 0
		e := x.emit(b, Event{T: 0, Kind: KindExerciseStarted, Speed: x.sim.speed,
			Mode: x.rec.Mode, Teams: slices.Clone(x.rec.Teams)})
		if sev := x.sc.Plan.Severities; len(sev) > 0 {
			x.raise(b, sev[0].Name, 0)
		}
		return e, nil
	})
	return err
}

// Pause stops the simulated clock. EConflict unless the exercise is running.
func (x *Exercise) Pause(ctx context.Context) error {
	_, err := x.doClock(ctx, func(b *batch) (Event, error) {
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
	_, err := x.doClock(ctx, func(b *batch) (Event, error) {
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
	_, err := x.doClock(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("change the speed", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		x.sim.setSpeed(b.real, speed)
		return x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockSpeed, Speed: speed}), nil
	})
	return err
}

// Advance jumps the simulated clock to the earliest of the next inject not yet fired (held
// injects aside), the next module start and the next decision due (v2), which then happens;
// with nothing left before `duration`, it jumps to the end. A paused exercise stays paused.
// EConflict unless running or paused.
func (x *Exercise) Advance(ctx context.Context) error {
	_, err := x.doClock(ctx, func(b *batch) (Event, error) {
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

// End ends the exercise now (reason "facilitator"), after whatever is due at this moment,
// decision defaults included; nothing fires after it, and (v2) only observations, answers and
// feedback are taken, stamped with the end's time, until Close. EConflict once it has ended.
func (x *Exercise) End(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("end the exercise", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		x.catchUp(b, everything)
		if x.st.Status == StatusEnded {
			return Event{}, nil // `duration` came at this very moment
		}
		x.sim.stop(b.real)
		return x.emit(b, Event{T: b.now, Kind: KindExerciseEnded, Reason: "facilitator"}), nil
	})
	return err
}

// Close ends the hot wash (v2): it records exercise_closed, and every command after it is
// refused with an EConflict error that says the exercise is closed. EConflict unless the
// exercise has ended.
func (x *Exercise) Close(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		switch x.st.Status {
		case StatusEnded:
		case StatusClosed:
			return Event{}, x.conflictUnless("close the exercise")
		default:
			return Event{}, Errorf(EConflict, "cannot close the exercise: it has not ended")
		}
		return x.emit(b, Event{T: b.now, Kind: KindExerciseClosed}), nil
	})
	return err
}

// AdvanceToModule jumps the simulated clock to the start of the next module that has not
// started (v2, the console's "next module"): everything due before it fires first, in order,
// each at its own time, then the clock event, then the module starts with its questions. A
// paused exercise stays paused. EConflict unless running or paused, and when no module is
// left to start.
func (x *Exercise) AdvanceToModule(ctx context.Context) error {
	_, err := x.doClock(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("advance to the next module", StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		next := x.nextModule()
		if next == nil {
			return Event{}, Errorf(EConflict, "cannot advance to the next module: every module of the scenario has started")
		}
		target := max(next.At, b.now)
		x.sim.jump(b.real, target)
		b.now = target
		x.catchUp(b, beforeClock) // what falls due on the way, each at its own time
		if x.st.Status != StatusRunning && x.st.Status != StatusPaused {
			return Event{}, nil // `duration` came on the way
		}
		return x.emit(b, Event{T: target, Kind: KindClock, Clock: ClockAdvanced}), nil
	})
	return err
}

// nextModule is the first module of the scenario that has not started, or nil.
func (x *Exercise) nextModule() *scenarios.Module {
	for _, md := range x.sc.Modules {
		if _, started := x.st.ModuleStarts[md.Name]; !started {
			return md
		}
	}
	return nil
}
