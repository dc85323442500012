package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// agenda holds what is waiting for its due time: the scenario injects that are neither
// delivered nor skipped and whose due time is known (an `at` inject, or an `after` inject
// whose inject, decision or action has happened), in the order they fire: due time, then file
// order; and (v2) the dues of delivered decisions, in order of due time, then file order.
type agenda struct {
	items []agendaItem
	dues  []agendaItem // in: the inject carrying the decision
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
		if is.Rescheduled {
			a.items = append(a.items, agendaItem{due: is.DueAt, in: in})
		} else if in.HasAt {
			a.items = append(a.items, agendaItem{due: in.At, in: in})
		} else if t, ok := st.happened(chainOf(in)); ok {
			a.items = append(a.items, agendaItem{due: t + in.Delay, in: in})
		}
	}
	sort.Slice(a.items, func(i, j int) bool { return a.items[i].before(a.items[j]) })
	return a
}

// happened returns when what c names first happened: the inject delivered, the decision
// settled, the action first recorded by any team (language.md v2).
func (st *State) happened(c chain) (time.Duration, bool) {
	switch c.kind {
	case scenarios.AfterDecision:
		s, ok := st.Settled[c.name]
		return s.T, ok
	case scenarios.AfterAction:
		if recs := st.Records[c.name]; len(recs) > 0 {
			return recs[0].T, true
		}
		return 0, false
	default:
		if is := st.Injects[c.name]; is != nil && is.Delivered {
			return is.At, true
		}
		return 0, false
	}
}

// rebuildAgenda makes the agenda again from the fold, x.st: the injects waiting for their due
// time and the dues of the decisions that may still default. Called under x.mu (or before x is
// shared).
func (x *Exercise) rebuildAgenda() {
	x.agenda = newAgenda(x.st)
	x.agenda.addDues(x.st, x.inPlay)
}

// addDues puts on the agenda the dues of the delivered decisions that may still default for
// a team in play (an exercise restored from its log).
func (a *agenda) addDues(st *State, inPlay map[string]bool) {
	for _, in := range st.ix.sc.Injects {
		d := in.Decision
		if is := st.Injects[in.Name]; d == nil || d.Due <= 0 || !is.Delivered {
			continue
		}
		due := st.Injects[in.Name].At + d.Due
		if due > st.T || len(defaulting(st, in, inPlay)) > 0 {
			a.dues = insertItem(a.dues, agendaItem{due: due, in: in})
		}
	}
}

// defaulting returns the teams of in's decision that get its default when it falls due now:
// each deciding team in play that has neither answered nor been defaulted, in decided_by
// order; none without a default (language.md v2).
func defaulting(st *State, in *scenarios.Inject, inPlay map[string]bool) []string {
	d := in.Decision
	if d.Default == "" {
		return nil
	}
	var teams []string
	for _, team := range st.ix.deciders[d.Name] {
		if inPlay[team] && st.Answered(d.Name, team) == "" && st.Defaulted(d.Name, team) == "" {
			teams = append(teams, team)
		}
	}
	return teams
}

func insertItem(items []agendaItem, it agendaItem) []agendaItem {
	i := sort.Search(len(items), func(i int) bool { return it.before(items[i]) })
	items = append(items, agendaItem{})
	copy(items[i+1:], items[i:])
	items[i] = it
	return items
}

func (a *agenda) add(in *scenarios.Inject, due time.Duration) {
	a.items = insertItem(a.items, agendaItem{due: due, in: in})
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

// What falls due at one simulated moment happens in this order (language.md v2, "One moment,
// one order"): clock events, module starts, injects, the responses stamped then, decision
// defaults.
const (
	dueModule = iota
	dueInject
	dueDefault
)

// upTo says how much of what is due at the batch's moment itself fires in a catchUp: the
// rest waits for the command's own events (see the order above). Whatever is due earlier
// always fires.
type upTo int

const (
	beforeClock     upTo = iota // nothing due now: a clock command's event comes first
	beforeResponses             // module starts and injects due now: a response comes after them
	everything                  // all that is due now, defaults included
)

func (u upTo) includes(class int) bool {
	switch u {
	case beforeResponses:
		return class <= dueInject
	case everything:
		return true
	}
	return false
}

// dueNext is the next thing due: a module start, an inject or a decision's due.
type dueNext struct {
	class  int
	due    time.Duration
	module *scenarios.Module
	item   agendaItem
}

// nextThing returns what falls due next, in the order of one moment.
func (x *Exercise) nextThing() (dueNext, bool) {
	var next dueNext
	found := false
	consider := func(n dueNext) {
		if !found || n.due < next.due || n.due == next.due && n.class < next.class {
			next, found = n, true
		}
	}
	if md := x.nextModule(); md != nil {
		consider(dueNext{class: dueModule, due: md.At, module: md})
	}
	if it, ok := x.agenda.next(x.st); ok {
		consider(dueNext{class: dueInject, due: it.due, item: it})
	}
	if len(x.agenda.dues) > 0 {
		consider(dueNext{class: dueDefault, due: x.agenda.dues[0].due, item: x.agenda.dues[0]})
	}
	return next, found
}

// catchUp fires everything due before the batch's simulated time, and what is due at it as
// far as u says, each stamped with its due time, in order; then the end, if `duration` has
// come (everything due at `duration` fires before it). Nothing fires before the start or
// after the end.
func (x *Exercise) catchUp(b *batch, u upTo) {
	for b.err == nil {
		if x.st.Status != StatusRunning && x.st.Status != StatusPaused {
			return
		}
		end := x.sc.Duration
		if n, ok := x.nextThing(); ok && n.due <= end && (n.due < b.now || n.due == b.now && u.includes(n.class) || b.now >= end) {
			x.fireNext(b, n)
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

func (x *Exercise) fireNext(b *batch, n dueNext) {
	t := x.stamp(n.due)
	switch n.class {
	case dueModule:
		x.emit(b, Event{T: t, Kind: KindModuleStarted, Module: n.module.Name})
	case dueInject:
		x.fire(b, n.item)
	case dueDefault:
		x.agenda.dues = x.agenda.dues[1:]
		d := n.item.in.Decision
		for _, team := range defaulting(x.st, n.item.in, x.inPlay) {
			x.emit(b, Event{T: t, Kind: KindDecisionDefaulted, Team: team, Decision: d.Name, Option: d.Default})
		}
	}
}

// stamp returns the time something due at due fires: its due time, or the time of the last
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

// deliver sends a scenario inject to its teams at t (to teams not in play too: the
// facilitators see it, and its severity and triggers take effect), raises the severity and
// triggers its actions. Its event puts the injects chained after it on the agenda (schedule).
func (x *Exercise) deliver(b *batch, in *scenarios.Inject, t time.Duration) {
	x.agenda.remove(in.Name)
	x.emit(b, Event{T: t, Kind: KindInjectDelivered, Inject: in.Name, To: append([]string(nil), in.To...)})
	if in.Severity != "" {
		x.raise(b, in.Severity, t)
	}
	for _, name := range in.Triggers {
		x.trigger(b, name, t)
	}
}

// schedule puts on the agenda what e makes due: the injects chained after the inject it
// delivered, the decision it settled or the action it recorded first; and the due of the
// decision it delivered.
func (x *Exercise) schedule(e Event) {
	var c chain
	switch e.Kind {
	case KindInjectDelivered:
		if e.AdHoc != nil {
			return
		}
		in := x.st.ix.injects[e.Inject]
		if d := in.Decision; d != nil && d.Due > 0 {
			x.agenda.dues = insertItem(x.agenda.dues, agendaItem{due: e.T + d.Due, in: in})
		}
		c = chain{kind: scenarios.AfterInject, name: e.Inject}
	case KindActionRecorded:
		if len(x.st.Records[e.Action]) != 1 {
			return
		}
		c = chain{kind: scenarios.AfterAction, name: e.Action}
	case KindDecisionAnswered, KindDecisionDefaulted:
		if x.st.Settled[e.Decision].Seq != e.Seq {
			return
		}
		c = chain{kind: scenarios.AfterDecision, name: e.Decision}
	default:
		return
	}
	for _, child := range x.st.ix.children[c] {
		if is := x.st.Injects[child.Name]; !is.Delivered && !is.Skipped && !is.Rescheduled {
			x.agenda.add(child, e.T+child.Delay)
		}
	}
}

// skip records that in does not fire, and cascades, in file order, to every inject chained
// after it or after its decision (language.md v2), and after those.
func (x *Exercise) skip(b *batch, in *scenarios.Inject, t time.Duration, reason string) {
	x.agenda.remove(in.Name)
	x.emit(b, Event{T: t, Kind: KindInjectSkipped, Inject: in.Name, Reason: reason})
	type skipped struct {
		in     *scenarios.Inject
		reason string
	}
	var chained []skipped
	var walk func(parent *scenarios.Inject)
	walk = func(parent *scenarios.Inject) {
		follow := func(c chain, reason string) {
			for _, child := range x.st.ix.children[c] {
				if is := x.st.Injects[child.Name]; !is.Delivered && !is.Skipped && !slices.ContainsFunc(chained, func(s skipped) bool { return s.in == child }) {
					chained = append(chained, skipped{child, reason})
					walk(child)
				}
			}
		}
		follow(chain{kind: scenarios.AfterInject, name: parent.Name}, fmt.Sprintf("it follows inject %s, which was skipped", parent.Name))
		if d := parent.Decision; d != nil {
			follow(chain{kind: scenarios.AfterDecision, name: d.Name}, fmt.Sprintf("it follows decision %s of inject %s, which was skipped", d.Name, parent.Name))
		}
	}
	walk(in)
	sort.SliceStable(chained, func(i, j int) bool { return chained[i].in.Order < chained[j].in.Order })
	for _, s := range chained {
		x.agenda.remove(s.in.Name)
		x.emit(b, Event{T: t, Kind: KindInjectSkipped, Inject: s.in.Name, Reason: s.reason})
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

// nextDue returns the simulated time of the next thing to happen: the next module start,
// inject that is not held, or decision due (v2), or the end.
func (x *Exercise) nextDue() time.Duration {
	end := x.sc.Duration
	if n, ok := x.nextThing(); ok && n.due < end {
		return max(n.due, x.st.T)
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
		if HasEnded(x.st.Status) {
			x.mu.Unlock()
			return
		}
		now := x.now()
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
	if err := CheckName("inject", name, true); err != nil {
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
