package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/ttx-dev/ttx/scenarios"
)

// Exercise is one exercise: its scenario, simulated clock, log and state. It is safe for
// concurrent use.
//
// Every command runs the same way: under the exercise's lock it reads the clock once, fires
// whatever came due up to that moment (the world moves before people answer), validates the
// input, gives each new event the next seq and folds it into the state, and queues the events
// to the store; then it releases the lock and waits for the commit, so that many concurrent
// responses share one transaction. Nothing is returned or published before it is committed.
type Exercise struct {
	rec    ExerciseRecord
	sc     *scenarios.Scenario
	clock  clockwork.Clock
	store  Store
	inPlay map[string]bool // rec.Teams

	mu     sync.Mutex // guards st, sim and agenda
	st     *State     // the fold of every event recorded, committed or not yet
	sim    simClock
	agenda agenda
	wake   chan struct{} // Run wakes on it after every command
	budget int           // responses per participant (SetResponseBudget)

	log publisher

	// A replica's (NewReplica, RestoreReplica): its store, the skew of the database's clock
	// from its own, and the wall time of the last event folded (guarded by mu).
	shared   SharedStore
	skew     time.Duration
	lastWall time.Time
}

// New returns a new exercise of sc, not started, at rec.Speed (1 when rec.Speed is not a valid
// speed), with rec's defaults filled in (WithDefaults: mode evaluation, every team that is not
// external in play, kind live). The caller stores rec with Store.CreateExercise before the
// exercise records anything.
func New(rec ExerciseRecord, sc *scenarios.Scenario, clock clockwork.Clock, store Store) *Exercise {
	return newExercise(rec, sc, clock, store, NewState(sc), nil)
}

// WithDefaults returns rec with what was left out filled in for sc (protocol.md v2): Mode
// ModeEvaluation, Teams every team of the plan that is not external, Kind ExerciseLive. A
// record stored before v2 reads Mode training from its store, which this keeps.
func (rec ExerciseRecord) WithDefaults(sc *scenarios.Scenario) ExerciseRecord {
	rec = rec.Stored()
	if len(rec.Teams) == 0 {
		rec.Teams = nil
		for _, t := range sc.Plan.Teams {
			if !t.External {
				rec.Teams = append(rec.Teams, t.Name)
			}
		}
	} else {
		rec.Teams = slices.Clone(rec.Teams)
	}
	return rec
}

// Stored returns rec as a Store keeps it: v2's defaults for what is left out, Mode
// ModeEvaluation and Kind ExerciseLive; Teams as given (none means every team that is not
// external, which only the scenario knows).
func (rec ExerciseRecord) Stored() ExerciseRecord {
	rec.Mode = cmp.Or(rec.Mode, ModeEvaluation)
	rec.Kind = cmp.Or(rec.Kind, ExerciseLive)
	return rec
}

// stoppedAt is the simulated clock of an exercise folded to st, stopped at st's time: at the
// speed of its last speed event or, when no event has set one yet, the one it was created
// with.
func stoppedAt(st *State, rec ExerciseRecord) simClock {
	speed := st.Speed
	if speed == 0 {
		speed = initialSpeed(rec)
	}
	return simClock{base: st.T, speed: speed}
}

func initialSpeed(rec ExerciseRecord) float64 {
	if checkSpeed(rec.Speed) != nil {
		return 1
	}
	return rec.Speed
}

// Restore rebuilds an exercise from its stored log: its state is the fold of the events. An
// exercise that was running when the process stopped comes back paused at the simulated time
// of its last event, and a clock event {Clock: "paused", Reason: "server restarted"} is
// appended, so that nobody's deadline runs out while the server was down and the facilitator
// resumes it when the teams are back.
func Restore(ctx context.Context, rec ExerciseRecord, sc *scenarios.Scenario, clock clockwork.Clock, store Store) (*Exercise, error) {
	events, st, err := readLog(ctx, rec, sc, store)
	if err != nil {
		return nil, err
	}
	x := newExercise(rec, sc, clock, store, st, events)
	if st.Status == StatusRunning {
		_, err := x.do(ctx, func(b *batch) (Event, error) {
			x.sim.stop(b.real)
			return x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockPaused, Reason: PauseServerRestarted}), nil
		})
		if err != nil {
			return nil, fmt.Errorf("restore exercise %s: %w", rec.ID, err)
		}
	}
	return x, nil
}

// readLog reads rec's stored log and folds it, for Restore and RestoreReplica.
func readLog(ctx context.Context, rec ExerciseRecord, sc *scenarios.Scenario, store Store) ([]Event, *State, error) {
	events, err := store.Events(ctx, rec.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("restore exercise %s: %w", rec.ID, err)
	}
	st, err := FoldEvents(sc, events)
	if err != nil {
		return nil, nil, fmt.Errorf("restore exercise %s: %w", rec.ID, err)
	}
	return events, st, nil
}

func newExercise(rec ExerciseRecord, sc *scenarios.Scenario, clock clockwork.Clock, store Store, st *State, events []Event) *Exercise {
	rec = rec.WithDefaults(sc)
	x := &Exercise{
		rec:    rec,
		sc:     sc,
		clock:  clock,
		store:  store,
		inPlay: make(map[string]bool, len(rec.Teams)),
		st:     st,
		sim:    stoppedAt(st, rec),
		wake:   make(chan struct{}, 1),
		budget: DefaultResponseBudget,
	}
	for _, team := range rec.Teams {
		x.inPlay[team] = true
	}
	x.rebuildAgenda()
	x.log.init(sc, events)
	return x
}

// ID returns the exercise's id.
func (x *Exercise) ID() string { return x.rec.ID }

// Record returns what is stored about the exercise besides its log, with its defaults filled
// in (WithDefaults).
func (x *Exercise) Record() ExerciseRecord { return x.rec }

// Scenario returns the scenario the exercise plays.
func (x *Exercise) Scenario() *scenarios.Scenario { return x.sc }

// batch collects the events one command records: all of them are committed in one Append.
type batch struct {
	real   time.Time     // the real time, read once for the command
	wall   time.Time     // real, in UTC, for the events' Wall
	now    time.Duration // the simulated time at real
	events []Event
	err    error // a fold failure: a bug, reported as an internal error
	// resp is the response the command records, if it is one: its events carry the
	// participant's id.
	resp *Response
}

// do runs one command: fn validates its input and emits its events under the exercise lock,
// after everything due has fired (what is due at this very moment as far as the order of one
// moment puts it before a response); do then commits the batch and returns fn's event once
// committed. Events that fired before fn rejected its input are committed all the same.
func (x *Exercise) do(ctx context.Context, fn func(b *batch) (Event, error)) (Event, error) {
	return x.doAfter(ctx, beforeResponses, fn)
}

// doClock runs a clock command as do does, but before anything due at this very moment: a
// clock event comes first at its moment.
func (x *Exercise) doClock(ctx context.Context, fn func(b *batch) (Event, error)) (Event, error) {
	return x.doAfter(ctx, beforeClock, fn)
}

// runLocked runs fn in the order of one moment: what is due at the batch's moment fires
// before fn as far as u says, the rest after it; a nil fn fires only what u says. The one
// place a command meets the schedule, for doAfter and a replica's doShared. Called under x.mu.
func (x *Exercise) runLocked(b *batch, u upTo, fn func(b *batch) (Event, error)) (Event, error) {
	x.catchUp(b, u)
	if b.err != nil || fn == nil {
		return Event{}, nil
	}
	e, err := fn(b)
	x.catchUp(b, everything)
	return e, err
}

// doAfter is do and doClock: what is due at this very moment fires before fn as far as u says,
// the rest after it. A nil fn fires only what u says.
func (x *Exercise) doAfter(ctx context.Context, u upTo, fn func(b *batch) (Event, error)) (Event, error) {
	if x.shared != nil {
		return x.doShared(ctx, u, fn)
	}
	x.mu.Lock()
	healed, err := x.healLocked(ctx)
	if err != nil {
		x.mu.Unlock()
		return Event{}, err
	}
	real := x.clock.Now()
	b := &batch{real: real, wall: real.UTC(), now: x.simNow(real)}
	if healed {
		x.pauseHealed(b)
	}
	e, err := x.runLocked(b, u, fn)
	if b.err != nil {
		x.mu.Unlock()
		x.log.fail(b.err)
		return Event{}, Errorf(EInternal, "exercise %s: %v", x.rec.ID, b.err)
	}
	if len(b.events) == 0 {
		x.mu.Unlock()
		return e, err
	}
	wait := x.log.queue(ctx, x.store, x.rec.ID, b.events)
	x.mu.Unlock()
	x.signalWake()
	if werr := wait(ctx); werr != nil {
		return Event{}, werr
	}
	return e, err
}

// emit gives e the next seq and the batch's wall time, folds it into the state and adds it to
// the batch. e.T must be set by the caller.
func (x *Exercise) emit(b *batch, e Event) Event {
	if b.err != nil {
		return e
	}
	e.Seq = x.st.LastSeq + 1
	e.Wall = b.wall
	if r := b.resp; r != nil && e.Team == r.Team && e.Name == r.Name {
		e.Participant, e.Issued = r.Participant, r.Issued
	}
	if err := x.st.Apply(e); err != nil {
		b.err = err
		return e
	}
	b.events = append(b.events, e)
	x.schedule(e)
	if x.shared != nil {
		x.sim.follow(e) // every replica computes the clock from the log alone
		x.lastWall = e.Wall
	}
	return e
}

// simNow returns the simulated time at real, truncated to the millisecond as every event's
// time is (language.md v2).
func (x *Exercise) simNow(real time.Time) time.Duration {
	return x.sim.now(real).Truncate(time.Millisecond)
}

func (x *Exercise) signalWake() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// conflictUnless returns an EConflict error naming what the facilitator tried when the
// exercise is in none of statuses.
func (x *Exercise) conflictUnless(what string, statuses ...string) error {
	for _, s := range statuses {
		if x.st.Status == s {
			return nil
		}
	}
	switch x.st.Status {
	case StatusCreated:
		return Errorf(EConflict, "cannot %s: the exercise has not started yet", what)
	case StatusRunning:
		return Errorf(EConflict, "cannot %s: the exercise is already running", what)
	case StatusPaused:
		return Errorf(EConflict, "cannot %s: the exercise is paused", what)
	case StatusClosed:
		return Errorf(EConflict, "cannot %s: the exercise is closed", what)
	default:
		return Errorf(EConflict, "cannot %s: the exercise has ended", what)
	}
}
