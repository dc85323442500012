package engine

import (
	"context"
	"sync"

	"github.com/ttx-dev/ttx/scenarios"
)

// SubscriberBuffer is how many events a subscriber may fall behind before it is dropped.
const SubscriberBuffer = 1024

// publisher holds the committed part of an exercise's log: the events, their fold, and the
// subscribers. Events enter it queued (staged) in seq order, under the exercise lock, and
// leave the queue once the store reports them committed; only then are they visible.
type publisher struct {
	mu      sync.Mutex
	events  []Event // committed, events[i].Seq == i+1
	staged  []Event // queued to the store, not yet committed, in seq order
	state   *State  // the fold of events
	subs    map[*subscriber]struct{}
	changed chan struct{} // closed and replaced whenever events grows
	err     error         // the first failure to store; nothing is recorded after it
}

type subscriber struct {
	ch chan Event
}

func (p *publisher) init(sc *scenarios.Scenario, events []Event) {
	p.events = append([]Event(nil), events...)
	p.state = NewState(sc)
	for _, e := range events {
		// The events were folded once already by the caller; they fit.
		_ = p.state.Apply(e)
	}
	p.subs = make(map[*subscriber]struct{})
	p.changed = make(chan struct{})
}

// queue stages events and hands them to store; the returned func waits for the commit and
// publishes. queue is called under the exercise lock, which keeps appends in seq order: a
// store with QueuedAppender commits them in that order from its writer, any other store is
// called right here, under the lock.
func (p *publisher) queue(ctx context.Context, store Store, exerciseID string, events []Event) func(context.Context) error {
	p.mu.Lock()
	p.staged = append(p.staged, events...)
	p.mu.Unlock()
	last := events[len(events)-1].Seq
	if qa, ok := store.(QueuedAppender); ok {
		done := make(chan error, 1)
		qa.QueueAppend(exerciseID, events, func(err error) {
			done <- p.settle(last, err)
		})
		// A caller that stops waiting (its ctx is done: a stalled disk) is told so and does
		// not know whether its input was stored; the commit settles all the same, and nothing
		// is acked or published before it.
		return func(ctx context.Context) error {
			select {
			case err := <-done:
				return err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	err := p.settle(last, store.Append(ctx, exerciseID, events))
	return func(context.Context) error { return err }
}

// settle marks the staged events up to seq last committed (err nil) or failed, and publishes
// the committed ones to subscribers in seq order.
func (p *publisher) settle(last int64, err error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for n < len(p.staged) && p.staged[n].Seq <= last {
		n++
	}
	if err != nil {
		// These events are not committed and never will be: they leave the queue unpublished,
		// and the exercise heals from the stored log once nothing is in flight (healLocked).
		p.staged = append(p.staged[:0], p.staged[n:]...)
		if p.err == nil {
			p.err = Errorf(EInternal, "the exercise's log could not be stored: %v", err)
		}
		return p.err
	}
	if n == 0 {
		return nil
	}
	p.publishLocked(p.staged[:n])
	p.staged = append(p.staged[:0], p.staged[n:]...)
	return nil
}

// publishLocked makes events committed, in seq order: appended to the log, folded into its
// state and sent to every subscriber (one whose buffer is full is dropped, never waited for),
// then wakes whoever waits for the log to grow. The one way events are published, whether
// this process committed them (settle), found them stored after a failure (reset) or another
// replica committed them (adopt). Called under p.mu.
func (p *publisher) publishLocked(events []Event) {
	for _, e := range events {
		p.events = append(p.events, e)
		_ = p.state.Apply(e)
		for s := range p.subs {
			select {
			case s.ch <- e:
			default:
				delete(p.subs, s)
				close(s.ch)
			}
		}
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *publisher) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = Errorf(EInternal, "the exercise's log is inconsistent: %v", err)
	}
}

func (p *publisher) failure() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// committed waits until event seq is committed and returns it.
func (p *publisher) committed(ctx context.Context, seq int64) (Event, error) {
	for {
		p.mu.Lock()
		if int64(len(p.events)) >= seq {
			e := p.events[seq-1]
			p.mu.Unlock()
			return e, nil
		}
		if p.err != nil {
			err := p.err
			p.mu.Unlock()
			return Event{}, err
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// EventsSince returns the committed events with a seq greater than seq, in order.
func (x *Exercise) EventsSince(seq int64) []Event {
	p := &x.log
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.since(seq)
}

func (p *publisher) since(seq int64) []Event {
	if seq < 0 {
		seq = 0
	}
	if seq >= int64(len(p.events)) {
		return nil
	}
	return append([]Event(nil), p.events[seq:]...)
}

// Subscribe returns a channel that receives every event committed from now on, in seq order,
// and a func that cancels the subscription. The channel holds SubscriberBuffer events; a
// subscriber that falls further behind is dropped: its channel is closed, and it catches up
// with EventsSince or SubscribeSince.
func (x *Exercise) Subscribe() (<-chan Event, func()) {
	_, ch, cancel := x.SubscribeSince(int64(1) << 62)
	return ch, cancel
}

// SubscribeSince returns the committed events with a seq greater than seq and, atomically with
// them, a subscription to every later event (see Subscribe): no event is missed or repeated
// at the seam.
func (x *Exercise) SubscribeSince(seq int64) ([]Event, <-chan Event, func()) {
	p := &x.log
	s := &subscriber{ch: make(chan Event, SubscriberBuffer)}
	p.mu.Lock()
	defer p.mu.Unlock()
	past := p.since(seq)
	p.subs[s] = struct{}{}
	cancel := func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, ok := p.subs[s]; ok {
			delete(p.subs, s)
			close(s.ch)
		}
	}
	return past, s.ch, cancel
}

// Subscribers returns how many subscriptions to the exercise are open: a server keeps an
// exercise someone follows in memory, so that every follower sees the one instance.
func (x *Exercise) Subscribers() int {
	x.log.mu.Lock()
	defer x.log.mu.Unlock()
	return len(x.log.subs)
}
