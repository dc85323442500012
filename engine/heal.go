package engine

import "context"

// reasonHealed is the reason of the pause an exercise that was running comes back with once
// its store accepts writes again.
const reasonHealed = "the log could not be stored for a while"

// healLocked brings back an exercise whose log could not be stored, once the store answers
// again: when nothing of it is in flight, it reads the stored log back, folds it, and goes
// on from there, so that what was never committed is forgotten as if the process had
// restarted (and was never acked: an ack waits for the commit). It reports whether it healed
// the exercise; while the store still fails it returns the failure. Called under x.mu.
func (x *Exercise) healLocked(ctx context.Context) (bool, error) {
	p := &x.log
	p.mu.Lock()
	failed, inFlight := p.err, len(p.staged) > 0
	p.mu.Unlock()
	if failed == nil {
		return false, nil
	}
	if inFlight {
		return false, failed
	}
	events, err := x.store.Events(ctx, x.rec.ID)
	if err != nil {
		return false, failed
	}
	st, err := FoldEvents(x.sc, events)
	if err != nil {
		return false, failed
	}
	if f, ok := x.store.(FailureForgetter); ok {
		f.ForgetFailure(x.rec.ID)
	}
	p.reset(events)
	x.st = st
	x.sim = stoppedAt(st, x.rec)
	x.rebuildAgenda()
	return true, nil
}

// pauseHealed: an exercise that was running when its log failed comes back paused at the
// simulated time of its last stored event, as after a restart, so that no deadline ran out
// while nothing could be recorded; the facilitator resumes it.
func (x *Exercise) pauseHealed(b *batch) {
	if x.st.Status == StatusRunning {
		x.emit(b, Event{T: b.now, Kind: KindClock, Clock: ClockPaused, Reason: reasonHealed})
	}
}

// reset makes the stored log events the committed log again after a failure: events stored
// beyond what was published (a commit reported failed that did reach the disk) are published
// now, and the failure is forgotten.
func (p *publisher) reset(events []Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err = nil
	p.staged = nil
	if len(events) <= len(p.events) {
		return
	}
	p.publishLocked(events[len(p.events):])
}

// awaitCommand waits, after the clock driver's tick failed, for the next command (which
// heals the exercise once the store answers again) or for ctx. It reports whether to go on.
func (x *Exercise) awaitCommand(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-x.wake:
		return true
	}
}
