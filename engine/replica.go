package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/ttx-dev/ttx/scenarios"
)

// SharedStore is a Store that several servers (replicas) share, as on PostgreSQL
// (design/scale.md). A replica's exercise does not decide its commands from its own fold
// alone: each command runs inside the store's transaction that holds the exercise's lock,
// after the events the other replicas appended, at the database's time.
type SharedStore interface {
	Store
	// QueueCommand queues cmd for exerciseID and returns at once. The store's writer runs it
	// inside a transaction that holds the exercise's row lock, in the order commands were
	// queued (several commands may share one transaction), commits, and calls cmd.Done.
	QueueCommand(exerciseID string, cmd Command)
	// EventsAfter returns the events of exerciseID's log past seq after, in seq order.
	EventsAfter(ctx context.Context, exerciseID string, after int64) ([]Event, error)
}

// Command is one command of a replica, run under its exercise's lock (SharedStore).
type Command struct {
	// Folded returns the last seq the replica has folded; the store reads the log past it.
	Folded func() int64
	// Run decides the command against the log as it ends under the lock and returns the
	// events to append, which continue the log.
	Run func(Locked) []Event
	// Done reports the outcome of the transaction that held the events: nil once committed.
	Done func(error)
}

// Locked is what a command learns under its exercise's lock.
type Locked struct {
	Now    time.Time // the database's real time (clock_timestamp()), read once per transaction
	Missed []Event   // the log past Command.Folded, in seq order
	// EveryReplicaDown says that no replica was running for more than the store's limit
	// (ClockUnheldLimit by default) since the exercise's clock was last held: a running
	// exercise pauses. The store decides it, not from the clock's silence alone, which a
	// database outage causes as well while the replicas run on.
	EveryReplicaDown bool
}

// ClockUnheldLimit is how long every replica may be down, the exercise's clock unheld, before
// the next command or holder pauses it (design/scale.md): a shared store's default.
const ClockUnheldLimit = 10 * time.Second

// NoReplicaReason is the reason of the pause appended when every replica was down for more
// than ClockUnheldLimit (Locked.EveryReplicaDown).
const NoReplicaReason = "no replica was running"

// NewReplica is New for a replica of a shared store: its commands run under the exercise's
// lock in the store (SharedStore), its real time is the database's.
func NewReplica(rec ExerciseRecord, sc *scenarios.Scenario, clock clockwork.Clock, store SharedStore) *Exercise {
	x := newExercise(rec, sc, clock, store, NewState(sc), nil)
	x.shared = store
	return x
}

// RestoreReplica is Restore for a replica of a shared store: it folds the log and derives the
// simulated clock from it (a running exercise keeps running, as computed from its clock
// events), and appends no restart pause: another replica may be running it. A pause is
// appended under the lock only when every replica was down (Locked.EveryReplicaDown).
func RestoreReplica(ctx context.Context, rec ExerciseRecord, sc *scenarios.Scenario, clock clockwork.Clock, store SharedStore) (*Exercise, error) {
	events, st, err := readLog(ctx, rec, sc, store)
	if err != nil {
		return nil, err
	}
	x := newExercise(rec, sc, clock, store, st, events)
	x.shared = store
	x.clockFromLog(events)
	return x, nil
}

// follow moves the clock as clock event e says, from e's own times alone, so that every
// replica folding the log computes the same simulated time.
func (c *simClock) follow(e Event) {
	switch e.Kind {
	case KindExerciseStarted:
		if e.Speed > 0 {
			c.speed = e.Speed
		}
		c.start(e.Wall, e.T)
	case KindExerciseEnded:
		c.base, c.running = e.T, false
	case KindClock:
		switch e.Clock {
		case ClockPaused:
			c.base, c.running = e.T, false
		case ClockResumed:
			c.start(e.Wall, e.T)
		case ClockSpeed:
			c.base, c.baseReal, c.speed = e.T, e.Wall, e.Speed
		case ClockAdvanced:
			c.base, c.baseReal = e.T, e.Wall
		}
	}
}

// simFromLog is the simulated clock the events leave, for an exercise created at speed.
func simFromLog(events []Event, speed float64) simClock {
	c := simClock{speed: speed}
	for _, e := range events {
		c.follow(e)
	}
	if len(events) > 0 && !c.running {
		c.base = events[len(events)-1].T
	}
	return c
}

// now returns the real time by the replica's estimate of the database's clock: its own
// clock corrected by the skew last seen, rounded down to the microsecond the database keeps.
func (x *Exercise) now() time.Time {
	return x.clock.Now().Add(x.skew)
}

// doShared is doAfter on a replica: fn runs inside the store's transaction that holds the
// exercise's lock, after the replica has folded what the others appended and fired what came
// due by the database's time; the caller hears once the transaction has committed. A failed
// commit drops what the command folded (the fold is rebuilt from the committed log) and
// answers an error, never an ack.
func (x *Exercise) doShared(ctx context.Context, u upTo, fn func(b *batch) (Event, error)) (Event, error) {
	if err := x.log.failure(); err != nil {
		return Event{}, err
	}
	var (
		e    Event
		ferr error
		last int64 // the seq of the command's last event, 0 when it appended none
		bad  error // the fold could not take the log: a bug or a corrupt log
	)
	res := make(chan error, 1)
	x.shared.QueueCommand(x.rec.ID, Command{
		Folded: x.committedSeq,
		Run: func(lk Locked) []Event {
			x.mu.Lock()
			defer x.mu.Unlock()
			if err := x.absorbLocked(lk.Missed); err != nil {
				bad = err
				return nil
			}
			x.skew = lk.Now.Sub(x.clock.Now())
			real := lk.Now
			if real.Before(x.lastWall) {
				real = x.lastWall // an event's time is never below the previous one's
			}
			b := &batch{real: real, wall: real.UTC()}
			if lk.EveryReplicaDown && x.st.Status == StatusRunning {
				// Every replica was down: nobody's deadline runs out meanwhile, as a lone
				// server's restart pause promises.
				x.emit(b, Event{T: x.st.T, Kind: KindClock, Clock: ClockPaused, Reason: NoReplicaReason})
			}
			b.now = x.simNow(real)
			e, ferr = x.runLocked(b, u, fn)
			if b.err != nil {
				bad = b.err
				return nil
			}
			if len(b.events) > 0 {
				last = b.events[len(b.events)-1].Seq
				x.log.stage(b.events)
				x.signalWake()
			}
			return b.events
		},
		Done: func(err error) {
			if err == nil && bad != nil {
				err = bad
			}
			if err != nil {
				x.mu.Lock()
				x.dropFoldLocked()
				x.mu.Unlock()
				res <- Errorf(EInternal, "exercise %s: the command was not stored: %v", x.rec.ID, err)
				return
			}
			if last > 0 {
				_ = x.log.settle(last, nil)
			}
			res <- nil
		},
	})
	// The wait ignores ctx on purpose, as queue's does: the transaction is under way.
	if err := <-res; err != nil {
		return Event{}, err
	}
	return e, ferr
}

// CatchUp folds and publishes the events other replicas appended to the exercise's log since
// the last one this replica folded. It does nothing while one of the replica's own commands
// is between its lock and its commit: that command folds them itself.
func (x *Exercise) CatchUp(ctx context.Context) error {
	if x.shared == nil {
		return nil
	}
	events, err := x.shared.EventsAfter(ctx, x.rec.ID, x.committedSeq())
	if err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.log.hasStaged() {
		return nil
	}
	return x.absorbLocked(events)
}

// LastSeq returns the seq of the last committed event the exercise has folded.
func (x *Exercise) LastSeq() int64 { return x.committedSeq() }

func (x *Exercise) committedSeq() int64 {
	x.log.mu.Lock()
	defer x.log.mu.Unlock()
	return int64(len(x.log.events))
}

// absorbLocked folds the committed events of others past the fold, publishes them, and moves
// the agenda and the clock with them. Events the fold already has are passed over.
func (x *Exercise) absorbLocked(events []Event) error {
	var fresh []Event
	for _, e := range events {
		if e.Seq <= x.st.LastSeq {
			continue
		}
		if x.log.hasStaged() {
			return fmt.Errorf("event %d arrived while events of this replica were not committed", e.Seq)
		}
		if err := x.st.Apply(e); err != nil {
			return err
		}
		x.sim.follow(e)
		x.lastWall = e.Wall
		fresh = append(fresh, e)
	}
	if len(fresh) == 0 {
		return nil
	}
	x.rebuildAgenda()
	x.log.adopt(fresh)
	x.signalWake()
	return nil
}

// dropFoldLocked forgets what was folded and not committed: the fold, agenda and clock are
// rebuilt from the committed log, which the next command or CatchUp brings up to date.
func (x *Exercise) dropFoldLocked() {
	committed := x.log.dropStaged()
	st, err := FoldEvents(x.sc, committed)
	if err != nil {
		x.log.fail(err)
		return
	}
	x.st = st
	x.rebuildAgenda()
	x.clockFromLog(committed)
}

// clockFromLog sets a replica's simulated clock, and the wall time no event may precede, as
// the committed events leave them.
func (x *Exercise) clockFromLog(events []Event) {
	x.sim = simFromLog(events, initialSpeed(x.rec))
	x.lastWall = time.Time{}
	if len(events) > 0 {
		x.lastWall = events[len(events)-1].Wall
	}
}

// stage queues events as a replica's command decided them, before its transaction commits.
func (p *publisher) stage(events []Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.staged = append(p.staged, events...)
}

func (p *publisher) hasStaged() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.staged) > 0
}

// dropStaged forgets the staged events and returns a copy of the committed ones.
func (p *publisher) dropStaged() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.staged = nil
	return append([]Event(nil), p.events...)
}

// adopt publishes events another replica committed, in seq order, as settle publishes this
// replica's own.
func (p *publisher) adopt(events []Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.publishLocked(events)
}

// Ended reports whether the exercise has ended (HasEnded), as far as its fold knows.
func (x *Exercise) Ended() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return HasEnded(x.st.Status)
}
