package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/ttx-dev/ttx/scenarios"
)

// RehearsalEpoch is the wall clock at T+0 of a rehearsal whose scenario has no start_time, so
// that every run of it stamps the same Wall times.
var RehearsalEpoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// RehearsalResult is what a rehearsal played: the exercise, its log and final state, and the
// scripted inputs that did not fit.
type RehearsalResult struct {
	Exercise ExerciseRecord
	Events   []Event
	State    *State
	Errors   []RehearsalError
}

// RehearsalError is a scripted input that did not fit the exercise at its time: an unknown
// team or action, a decision not yet put to the team, an input after the end, (v2) a step by a
// team that does not play, a choice by a team outside decided_by.
type RehearsalError struct {
	Step    scenarios.Step
	Pos     string // FILE:LINE of the step
	Message string
}

// Error returns "FILE:LINE: message".
func (e RehearsalError) Error() string { return e.Pos + ": " + e.Message }

// Rehearse plays sc with the scripted inputs of rh at full speed on a fake clock and returns
// the log and the inputs that did not fit. The exercise is "rehearsal-" + rh.Name; store keeps
// it (nil: a MemoryStore). Deterministic: same scenario and rehearsal, same log, Wall times
// included.
func Rehearse(ctx context.Context, sc *scenarios.Scenario, rh *scenarios.Rehearsal, store Store) (RehearsalResult, error) {
	return RehearseExercise(ctx, ExerciseRecord{ID: "rehearsal-" + rh.Name}, sc, rh, store)
}

// RehearseExercise is Rehearse with the exercise's record given by the caller (its id, and the
// sources to keep with it, and its mode); Scenario, Plan, Speed, CreatedAt, Kind (rehearsal)
// and Teams (the rehearsal's teams; every team that is not external when it names none) are
// filled in. It stores the record with store.CreateExercise first.
//
// The clock is a fake one at the scenario's start_time (or RehearsalEpoch) running at speed 1,
// so each event's Wall is the simulated wall clock. Inputs play in order of `at`, then file
// order; the injects due at or before an input's time fire before it; then the exercise runs
// to `duration`.
func RehearseExercise(ctx context.Context, rec ExerciseRecord, sc *scenarios.Scenario, rh *scenarios.Rehearsal, store Store) (RehearsalResult, error) {
	if store == nil {
		store = NewMemoryStore()
	}
	start := sc.StartTime
	if start.IsZero() {
		start = RehearsalEpoch
	}
	clock := clockwork.NewFakeClockAt(start.UTC())
	rec.Scenario, rec.Plan, rec.Speed, rec.CreatedAt = sc.Name, sc.PlanName, 1, start.UTC()
	rec.Kind, rec.Teams = ExerciseRehearsal, slices.Clone(rh.Teams)
	rec = rec.WithDefaults(sc)
	if err := store.CreateExercise(ctx, rec); err != nil {
		return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
	}
	x := New(rec, sc, clock, store)
	if err := x.Start(ctx); err != nil {
		return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
	}
	steps := append([]scenarios.Step(nil), rh.Steps...)
	sort.SliceStable(steps, func(i, j int) bool {
		if steps[i].At != steps[j].At {
			return steps[i].At < steps[j].At
		}
		return steps[i].Order < steps[j].Order
	})
	res := RehearsalResult{Exercise: rec}
	for _, step := range steps {
		if err := x.advanceTo(ctx, clock, step.At); err != nil {
			return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
		}
		err := x.play(ctx, step)
		var input *Error
		switch {
		case err == nil:
		case errors.As(err, &input) && input.Code != EInternal:
			res.Errors = append(res.Errors, RehearsalError{
				Step:    step,
				Pos:     fmt.Sprintf("%s:%d", step.DeclRange.Filename, step.DeclRange.Start.Line),
				Message: input.Message,
			})
		default:
			return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
		}
	}
	if err := x.advanceTo(ctx, clock, sc.Duration); err != nil {
		return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
	}
	res.Events = x.EventsSince(0)
	st, err := FoldEvents(sc, res.Events)
	if err != nil {
		return RehearsalResult{}, fmt.Errorf("rehearse %s: %w", rh.Name, err)
	}
	res.State = st
	return res, nil
}

// advanceTo moves the fake clock of a rehearsal (speed 1) to simulated time t, if it is not
// there yet, stopping at each moment something falls due on the way and ticking there, so
// that every event's Wall is the wall clock at its own simulated time, not at t. At t itself
// it fires what comes before a response stamped then.
func (x *Exercise) advanceTo(ctx context.Context, clock *clockwork.FakeClock, t time.Duration) error {
	for {
		x.mu.Lock()
		now := x.sim.now(clock.Now())
		next := t
		if x.st.Status == StatusRunning {
			next = min(t, x.nextDue())
		}
		x.mu.Unlock()
		if next > now {
			clock.Advance(next - now)
		}
		if next >= t {
			// The step's own moment: what a response comes before (decision defaults) waits
			// for it.
			_, err := x.doAfter(ctx, beforeResponses, nil)
			return err
		}
		if err := x.Tick(ctx); err != nil {
			return err
		}
	}
}

// play records one scripted input; a step by a team of the organisation that does not play
// in the rehearsal is an input error (language.md v2). An external team never plays, yet
// control may script it escalating and writing notes, as in a live exercise; its other steps
// get the engine's refusal of an external team.
func (x *Exercise) play(ctx context.Context, step scenarios.Step) error {
	r := Response{Team: step.Team}
	if t := x.st.ix.teams[step.Team]; t != nil && x.sitsOut(t) {
		return Errorf(EInvalid, "team: %s does not play in this rehearsal; it plays %s", step.Team, strings.Join(x.rec.Teams, ", "))
	}
	var err error
	switch step.Kind {
	case scenarios.StepRespond:
		_, err = x.Act(ctx, r, step.Action)
	case scenarios.StepEscalate:
		_, err = x.Escalate(ctx, r, step.To, step.Text)
	case scenarios.StepChoose:
		_, err = x.Choose(ctx, r, step.Decision, step.Option)
	case scenarios.StepNote:
		_, err = x.Note(ctx, r, step.Text)
	case scenarios.StepAnswer:
		_, err = x.Answer(ctx, r, step.Question, step.Text)
	default:
		err = Errorf(EInvalid, "unknown step kind %q", step.Kind)
	}
	return err
}
