package engine

import (
	"context"
	"fmt"
	"time"
)

// KindInjectRescheduled is the facilitator's new due time for a scenario inject that has not
// fired (facilitators only, an extension of protocol.md): Event.Inject names it and
// Event.Due is its new due time from the start of the exercise (not from T, unlike
// action_triggered's). From then on it fires at that time, whatever its `at` or `after` said;
// a hold still holds it.
const KindInjectRescheduled = "inject_rescheduled"

// Reschedule gives the scenario inject a new due time, due, in simulated time from the
// start: not before now, not after the scenario's duration. EInvalid for another time or an
// inject the scenario does not have; EConflict once it has fired or been skipped, or once the
// exercise has ended.
func (x *Exercise) Reschedule(ctx context.Context, inject string, due time.Duration) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("reschedule an inject", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		in, err := x.pendingInject("reschedule", inject)
		if err != nil {
			return Event{}, err
		}
		if due < b.now || due > x.sc.Duration {
			return Event{}, Errorf(EInvalid, "due: T+%s is outside the time left to the exercise: choose from T+%s (now) to T+%s (its end)",
				due, b.now.Truncate(time.Second), x.sc.Duration)
		}
		x.agenda.remove(in.Name)
		x.agenda.add(in, due)
		return x.emit(b, Event{T: b.now, Kind: KindInjectRescheduled, Inject: in.Name, Due: due}), nil
	})
	return err
}

// applyRescheduled folds an inject_rescheduled event into the state.
func (st *State) applyRescheduled(e Event) error {
	in := st.Injects[e.Inject]
	if in == nil {
		return fmt.Errorf("event %d: the scenario has no inject %q", e.Seq, e.Inject)
	}
	in.Rescheduled, in.DueAt = true, e.Due
	return nil
}
