package engine

// TEMPORARY STUBS (branch webv2): the v2 engine methods the web package codes against, with
// simple behaviour so that web's tests run. The real versions come from the engine's own v2
// work; at the merge delete this file, the applyV2Stub call in state.go's Apply and the
// stubDecidedBy call in responses.go's Choose.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// feedbackKeys are the statements of HSEEP's participant feedback form (protocol.md v2).
var feedbackKeys = []string{"structured", "realistic", "facilitated", "right_people", "understanding", "decisions"}

// stubState is what the stubs remember of one State's fold, beside it.
type stubState struct {
	closed   bool
	joined   map[string]bool
	feedback map[string]bool // by participant key
}

var stubStates sync.Map // *State -> *stubState

func stubOf(st *State) *stubState {
	v, _ := stubStates.LoadOrStore(st, &stubState{joined: map[string]bool{}, feedback: map[string]bool{}})
	return v.(*stubState)
}

func feedbackKey(e Event) string {
	if e.Participant != "" {
		return "p:" + e.Participant
	}
	return "n:" + e.Team + "\x00" + e.Name
}

// applyV2Stub folds the v2 kinds the stubs and the scheduler's v2 record; false for any other.
func applyV2Stub(st *State, e Event) bool {
	switch e.Kind {
	case KindDecisionDefaulted, KindModuleStarted, KindAnswerRecorded, KindTeamMarkedPlayed:
	case KindTeamJoined:
		stubOf(st).joined[e.Team] = true
	case KindFeedbackRecorded:
		stubOf(st).feedback[feedbackKey(e)] = true
	case KindExerciseClosed:
		stubOf(st).closed = true
	default:
		return false
	}
	return true
}

// stubDecidedBy refuses a choice from a team outside the decision's decided_by.
func stubDecidedBy(in *scenarios.Inject, team string) error {
	d := in.Decision
	if len(d.DecidedBy) > 0 && !slices.Contains(d.DecidedBy, team) {
		return Errorf(EInvalid, "decision: %s is decided by %s; team %s sees it but does not decide it", d.Name, strings.Join(d.DecidedBy, ", "), team)
	}
	return nil
}

func (x *Exercise) refuseClosed() error {
	if stubOf(x.st).closed {
		return Errorf(EConflict, "the exercise is closed: the hot wash is over and nothing more is taken")
	}
	return nil
}

// hotWash runs a response that is taken while the exercise runs and during the hot wash (after
// the end, until it is closed), answering a retry with its first event.
func (x *Exercise) hotWash(ctx context.Context, r Response, fn func(b *batch) (Event, error)) (Event, error) {
	if err := firstErr(checkName("team", r.Team, true), checkName("name", r.Name, false), checkName("ref", r.Ref, false)); err != nil {
		return Event{}, err
	}
	var retry int64
	e, err := x.do(ctx, func(b *batch) (Event, error) {
		if r.Ref != "" {
			if seq, ok := x.st.Refs[RefKey{Team: r.Team, Name: r.Name, Ref: r.Ref}]; ok {
				retry = seq
				return Event{}, nil
			}
		}
		if err := x.refuseClosed(); err != nil {
			return Event{}, err
		}
		if x.st.Status == StatusCreated {
			return Event{}, Errorf(EConflict, "the exercise has not started yet")
		}
		if x.st.ix.teams[r.Team] == nil {
			return Event{}, Errorf(EInvalid, "team: the plan has no team %q", r.Team)
		}
		return fn(b)
	})
	if err == nil && retry > 0 {
		return x.log.committed(ctx, retry)
	}
	return e, err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Answer (stub) records r.Team's free-text answer to a question of a started module or of an
// inject delivered to the team.
func (x *Exercise) Answer(ctx context.Context, r Response, question, text string) (Event, error) {
	if err := firstErr(checkName("question", question, true), checkText("text", text)); err != nil {
		return Event{}, err
	}
	return x.hotWash(ctx, r, func(b *batch) (Event, error) {
		if !x.questionPut(question, r.Team, b.now) {
			return Event{}, Errorf(EInvalid, "question: %q is not a question put to team %s", question, r.Team)
		}
		return x.emit(b, Event{T: b.now, Kind: KindAnswerRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Question: question, Text: text}), nil
	})
}

func (x *Exercise) questionPut(id, team string, now time.Duration) bool {
	for _, m := range x.sc.Modules {
		if m.At <= now && slices.ContainsFunc(m.Questions, func(q scenarios.Question) bool { return q.ID == id }) {
			return true
		}
	}
	for _, in := range x.sc.Injects {
		if slices.ContainsFunc(in.Questions, func(q scenarios.Question) bool { return q.ID == id }) {
			return x.st.Injects[in.Name].Delivered && slices.Contains(in.To, team)
		}
	}
	return false
}

// Feedback (stub) records one participant's feedback form, once, after the end.
func (x *Exercise) Feedback(ctx context.Context, r Response, fb Feedback) (Event, error) {
	for k, v := range fb.Ratings {
		if !slices.Contains(feedbackKeys, k) {
			return Event{}, Errorf(EInvalid, "ratings: %q is not a statement of the form; use %v", k, feedbackKeys)
		}
		if v < 1 || v > 5 {
			return Event{}, Errorf(EInvalid, "ratings: %s is %d; rate from 1 to 5", k, v)
		}
	}
	for _, f := range []struct{ name, v string }{{"strengths", fb.Strengths}, {"improvements", fb.Improvements}, {"comment", fb.Comment}} {
		if f.v != "" {
			if err := checkText(f.name, f.v); err != nil {
				return Event{}, err
			}
		}
	}
	return x.hotWash(ctx, r, func(b *batch) (Event, error) {
		if x.st.Status != StatusEnded {
			return Event{}, Errorf(EConflict, "the feedback form opens when the exercise has ended")
		}
		e := Event{T: b.now, Kind: KindFeedbackRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Feedback: &fb}
		if stubOf(x.st).feedback[feedbackKey(e)] {
			return Event{}, Errorf(EConflict, "you have already sent your feedback form; it is sent once")
		}
		return x.emit(b, e), nil
	})
}

// Close (stub) ends the hot wash. EConflict unless the exercise has ended and is not closed.
func (x *Exercise) Close(ctx context.Context) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.refuseClosed(); err != nil {
			return Event{}, err
		}
		if x.st.Status != StatusEnded {
			return Event{}, Errorf(EConflict, "cannot close the exercise: it has not ended; end it first")
		}
		return x.emit(b, Event{T: b.now, Kind: KindExerciseClosed}), nil
	})
	return err
}

// TeamJoined (stub) records team_joined the first time a participant of team says hello.
func (x *Exercise) TeamJoined(ctx context.Context, team string) error {
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if x.st.ix.teams[team] == nil {
			return Event{}, Errorf(EInvalid, "team: the plan has no team %q", team)
		}
		if stubOf(x.st).joined[team] || stubOf(x.st).closed {
			return Event{}, nil
		}
		return x.emit(b, Event{T: b.now, Kind: KindTeamJoined, Team: team}), nil
	})
	return err
}

// MarkPlayed (stub) records the facilitator's word that team played.
func (x *Exercise) MarkPlayed(ctx context.Context, team string) error {
	if err := checkName("team", team, true); err != nil {
		return err
	}
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.refuseClosed(); err != nil {
			return Event{}, err
		}
		if x.st.ix.teams[team] == nil {
			return Event{}, Errorf(EInvalid, "team: the plan has no team %q", team)
		}
		return x.emit(b, Event{T: b.now, Kind: KindTeamMarkedPlayed, Team: team}), nil
	})
	return err
}
