package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// agenda holds the scenario injects that are neither delivered nor skipped and whose due time
// is known (an `at` inject, or an `after` inject whose predecessor was delivered), in the
// order they fire: due time, then file order.
type agenda struct {
	items []agendaItem
}

type agendaItem struct {
	due time.Duration
	in  *scenarios.Inject
}

func (a agendaItem) before(b agendaItem) bool {
	if a.due != b.due {
		return a.due < b.due
	}
	return a.in.Order < b.in.Order
}

func newAgenda(st *State) agenda {
	var a agenda
	for _, in := range st.ix.sc.Injects {
		is := st.Injects[in.Name]
		if is.Delivered || is.Skipped {
			continue
		}
		if in.HasAt {
			a.items = append(a.items, agendaItem{due: in.At, in: in})
		} else if parent := st.Injects[in.After]; parent != nil && parent.Delivered {
			a.items = append(a.items, agendaItem{due: parent.At + in.Delay, in: in})
		}
	}
	sort.Slice(a.items, func(i, j int) bool { return a.items[i].before(a.items[j]) })
	return a
}

func (a *agenda) add(in *scenarios.Inject, due time.Duration) {
	it := agendaItem{due: due, in: in}
	i := sort.Search(len(a.items), func(i int) bool { return it.before(a.items[i]) })
	a.items = append(a.items, agendaItem{})
	copy(a.items[i+1:], a.items[i:])
	a.items[i] = it
}

func (a *agenda) remove(name string) {
	for i, it := range a.items {
		if it.in.Name == name {
			a.items = append(a.items[:i], a.items[i+1:]...)
			return
		}
	}
}

// next returns the first inject to fire that is not held.
func (a *agenda) next(st *State) (agendaItem, bool) {
	for _, it := range a.items {
		if !st.Injects[it.in.Name].Held {
			return it, true
		}
	}
	return agendaItem{}, false
}

// catchUp fires everything due at or before the batch's simulated time, each stamped with its
// due time, in order; then the end, if `duration` has come. Nothing fires before the start or
// after the end.
func (x *Exercise) catchUp(b *batch) {
	for b.err == nil {
		if x.st.Status != StatusRunning && x.st.Status != StatusPaused {
			return
		}
		end := x.sc.Duration
		if it, ok := x.agenda.next(x.st); ok && it.due <= b.now && it.due <= end {
			x.fire(b, it)
			continue
		}
		if b.now >= end {
			x.emit(b, Event{T: end, Kind: KindExerciseEnded, Reason: "duration"})
			x.sim.stop(b.real)
			x.sim.base = end
		}
		return
	}
}

// stamp returns the time an inject due at due fires: its due time, or the time of the last
// event when it was held past its due time.
func (x *Exercise) stamp(due time.Duration) time.Duration {
	return max(due, x.st.T)
}

// fire evaluates an inject's `when` at its due time and delivers or skips it.
func (x *Exercise) fire(b *batch, it agendaItem) {
	t := x.stamp(it.due)
	ok, err := x.whenHolds(it.in, t)
	switch {
	case err != nil:
		x.skip(b, it.in, t, fmt.Sprintf("its when condition could not be evaluated: %v", err))
	case !ok:
		x.skip(b, it.in, t, "its when condition was false")
	default:
		x.deliver(b, it.in, t)
	}
}

// deliver sends a scenario inject to its teams at t, raises the severity and triggers its
// actions, and puts the injects chained after it on the agenda.
func (x *Exercise) deliver(b *batch, in *scenarios.Inject, t time.Duration) {
	x.agenda.remove(in.Name)
	x.emit(b, Event{T: t, Kind: KindInjectDelivered, Inject: in.Name, To: append([]string(nil), in.To...)})
	for _, child := range x.st.ix.children[in.Name] {
		if is := x.st.Injects[child.Name]; !is.Delivered && !is.Skipped {
			x.agenda.add(child, t+child.Delay)
		}
	}
	if in.Severity != "" {
		x.raise(b, in.Severity, t)
	}
	for _, name := range in.Triggers {
		x.trigger(b, name, t)
	}
}

// skip records that in does not fire, and cascades to every inject chained after it, in file
// order.
func (x *Exercise) skip(b *batch, in *scenarios.Inject, t time.Duration, reason string) {
	x.agenda.remove(in.Name)
	x.emit(b, Event{T: t, Kind: KindInjectSkipped, Inject: in.Name, Reason: reason})
	var chained []*scenarios.Inject
	var walk func(name string)
	walk = func(name string) {
		for _, child := range x.st.ix.children[name] {
			if is := x.st.Injects[child.Name]; !is.Delivered && !is.Skipped {
				chained = append(chained, child)
				walk(child.Name)
			}
		}
	}
	walk(in.Name)
	sort.SliceStable(chained, func(i, j int) bool { return chained[i].Order < chained[j].Order })
	for _, child := range chained {
		x.agenda.remove(child.Name)
		x.emit(b, Event{T: t, Kind: KindInjectSkipped, Inject: child.Name,
			Reason: fmt.Sprintf("it follows inject %s, which was skipped", child.After)})
	}
}

// raise lifts the severity to the named level if that is higher (severity never falls), and
// triggers the actions whose on_severity the incident has now reached, in plan order.
func (x *Exercise) raise(b *batch, severity string, t time.Duration) {
	sev := x.st.ix.severities[severity]
	if sev == nil || sev.Level <= x.st.Level {
		return
	}
	x.emit(b, Event{T: t, Kind: KindSeverityChanged, Severity: sev.Name})
	for _, a := range x.sc.Plan.Actions {
		if a.OnSeverity == "" {
			continue
		}
		if on := x.st.ix.severities[a.OnSeverity]; on != nil && on.Level <= sev.Level {
			x.trigger(b, a.Name, t)
		}
	}
}

// trigger starts an action's deadline, once.
func (x *Exercise) trigger(b *batch, action string, t time.Duration) {
	a := x.st.ix.actions[action]
	if a == nil {
		return
	}
	if _, done := x.st.Triggered[action]; done {
		return
	}
	x.emit(b, Event{T: t, Kind: KindActionTriggered, Action: a.Name, Team: a.Owner, Due: a.Due})
}

// nextDue returns the simulated time of the next thing to happen: the next inject that is not
// held, or the end.
func (x *Exercise) nextDue() time.Duration {
	end := x.sc.Duration
	if it, ok := x.agenda.next(x.st); ok && it.due < end {
		return max(it.due, x.st.T)
	}
	return end
}

// Tick fires everything due at the current simulated time: injects, and the end at
// `duration`. Run calls it; tests and rehearsals call it after moving a fake clock.
func (x *Exercise) Tick(ctx context.Context) error {
	_, err := x.do(ctx, func(*batch) (Event, error) { return Event{}, nil })
	return err
}

// Run drives the exercise from its clock until ctx is done or the exercise ends; while its log
// cannot be stored it waits for a command, which heals it once the store answers again. It
// sleeps on a clock timer until the next due moment and wakes
// early on any command that changes the schedule.
func (x *Exercise) Run(ctx context.Context) {
	for {
		x.mu.Lock()
		if x.st.Status == StatusEnded {
			x.mu.Unlock()
			return
		}
		now := x.clock.Now()
		wait, running := x.sim.realUntil(now, x.nextDue())
		x.mu.Unlock()
		var fired <-chan time.Time
		stop := func() bool { return false }
		if running && wait > 0 {
			timer := x.clock.NewTimer(wait)
			fired, stop = timer.Chan(), timer.Stop
			// A clock that moved on between reading it and setting the timer (a fake one
			// advanced by a test) would leave the timer late by that much: look again.
			if !x.clock.Now().Before(now.Add(wait)) {
				stop()
				wait = 0
			}
		}
		if running && wait == 0 {
			if err := x.Tick(ctx); err != nil && !x.awaitCommand(ctx) {
				return
			}
			continue
		}
		select {
		case <-ctx.Done():
			stop()
			return
		case <-x.wake:
			stop()
		case <-fired:
		}
		if err := x.Tick(ctx); err != nil && !x.awaitCommand(ctx) {
			return
		}
	}
}

// Trigger delivers a scheduled inject now, whatever its due time, hold or `when`. The injects
// chained after it come due from now.
func (x *Exercise) Trigger(ctx context.Context, inject string) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		in, err := x.pendingInject("trigger", inject)
		if err != nil {
			return Event{}, err
		}
		x.deliver(b, in, b.now)
		return Event{}, nil
	})
	return err
}

// Hold holds back a scheduled inject (held true): it does not fire until it is released
// (held false); released after its due time, it fires at once. Holding a held inject, or
// releasing one that is not held, records nothing.
func (x *Exercise) Hold(ctx context.Context, inject string, held bool) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		verb := "hold"
		if !held {
			verb = "release"
		}
		if err := x.conflictUnless(verb+" an inject", StatusCreated, StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		in, err := x.pendingInject(verb, inject)
		if err != nil {
			return Event{}, err
		}
		if x.st.Injects[in.Name].Held == held {
			return Event{}, nil
		}
		kind := KindInjectHeld
		if !held {
			kind = KindInjectReleased
		}
		return x.emit(b, Event{T: b.now, Kind: kind, Inject: in.Name}), nil
	})
	return err
}

// pendingInject returns the named scenario inject if it has neither fired nor been skipped.
func (x *Exercise) pendingInject(verb, name string) (*scenarios.Inject, error) {
	if verb == "trigger" {
		if err := x.conflictUnless("trigger an inject", StatusRunning, StatusPaused); err != nil {
			return nil, err
		}
	}
	if err := checkName("inject", name, true); err != nil {
		return nil, err // and a name of any length is not quoted back
	}
	in := x.st.ix.injects[name]
	if in == nil {
		return nil, Errorf(EInvalid, "inject: the scenario has no inject %q", name)
	}
	switch is := x.st.Injects[name]; {
	case is.Delivered:
		return nil, Errorf(EConflict, "cannot %s inject %s: it was already delivered at %s", verb, name, is.At)
	case is.Skipped:
		return nil, Errorf(EConflict, "cannot %s inject %s: it was skipped at %s", verb, name, is.At)
	}
	return in, nil
}
