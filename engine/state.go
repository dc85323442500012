package engine

import (
	"fmt"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// Status of an exercise.
const (
	StatusCreated = "created"
	StatusRunning = "running"
	StatusPaused  = "paused"
	StatusEnded   = "ended"
)

// State is what an exercise's log adds up to: the fold of its events (FoldEvents). The live
// exercise applies each event it records through the same fold, so a restarted process that
// folds the stored log gets exactly the state the exercise had.
type State struct {
	Status    string
	LastSeq   int64
	T         time.Duration // simulated time of the last event
	Speed     float64
	Severity  string // name of the current level; "" before the start
	Level     int    // current level; 0 before the start
	EndReason string // "duration" or "facilitator" once ended

	Injects   map[string]*InjectState     // every scenario inject, by name
	Triggered map[string]ActionTrigger    // triggered actions, by name
	Records   map[string][]ActionRecord   // records of each action, in log order
	Answers   map[string][]DecisionAnswer // answers to each decision, in log order
	// Put holds, for each decision, the teams it was put to by a delivered inject.
	Put map[string]map[string]bool
	// Refs maps each response's (Team, Name, Ref) to the seq of the event it recorded.
	Refs map[RefKey]int64
	// Responses counts the responses of each participant (RefKeyOf without a ref), for the
	// response budget.
	Responses map[RefKey]int

	ix *index
}

// InjectState is where one scenario inject stands.
type InjectState struct {
	Delivered  bool
	Skipped    bool
	Held       bool
	At         time.Duration // delivery or skip time
	SkipReason string
}

// ActionTrigger is the moment an action's deadline started, and the deadline's offset.
type ActionTrigger struct {
	At  time.Duration
	Due time.Duration
	Seq int64
}

// Deadline is the simulated time by which the action was expected.
func (a ActionTrigger) Deadline() time.Duration { return a.At + a.Due }

// ActionRecord is one team's record of an action.
type ActionRecord struct {
	Team string
	T    time.Duration
	Seq  int64
}

// DecisionAnswer is one team's answer to a decision.
type DecisionAnswer struct {
	Team   string
	Option string
	T      time.Duration
	Seq    int64
}

// RefKey identifies a response for recording a retry once: the team, the participant's id
// (protocol.md v2) or, for a participant without one, its display name, and the client's
// ref. RefKeyOf is the one rule that builds it.
type RefKey struct {
	Team, Name, Participant, Ref string
}

// RefKeyOf is the key of a response's ref: by participant id when there is one, else by
// display name, so that two people with one name never share a ref.
func RefKeyOf(team, name, participant, ref string) RefKey {
	if participant != "" {
		return RefKey{Team: team, Participant: participant, Ref: ref}
	}
	return RefKey{Team: team, Name: name, Ref: ref}
}

// NewState returns the state of an exercise of sc before its first event.
func NewState(sc *scenarios.Scenario) *State {
	st := &State{
		ix:        newIndex(sc),
		Status:    StatusCreated,
		Injects:   make(map[string]*InjectState, len(sc.Injects)),
		Triggered: make(map[string]ActionTrigger),
		Records:   make(map[string][]ActionRecord),
		Answers:   make(map[string][]DecisionAnswer),
		Put:       make(map[string]map[string]bool),
		Refs:      make(map[RefKey]int64),
		Responses: make(map[RefKey]int),
	}
	for _, in := range sc.Injects {
		st.Injects[in.Name] = &InjectState{}
	}
	return st
}

// FoldEvents builds the state of an exercise of sc from its log. It fails when the log does not
// fit the scenario (a gap in seq, time running backwards, a name the scenario does not know),
// which means the log was written for another scenario or is damaged.
func FoldEvents(sc *scenarios.Scenario, events []Event) (*State, error) {
	st := NewState(sc)
	for _, e := range events {
		if err := st.Apply(e); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// Apply folds one event into st (a state made by NewState for the same scenario). Events must come in seq order, without gaps.
func (st *State) Apply(e Event) error {
	if e.Seq != st.LastSeq+1 {
		return fmt.Errorf("event %d follows event %d: the log has a gap", e.Seq, st.LastSeq)
	}
	if e.T < st.T {
		return fmt.Errorf("event %d at %s is earlier than the event before it at %s", e.Seq, e.T, st.T)
	}
	switch e.Kind {
	case KindExerciseStarted:
		st.Status = StatusRunning
		st.Speed = e.Speed
	case KindClock:
		switch e.Clock {
		case ClockPaused:
			st.Status = StatusPaused
		case ClockResumed:
			st.Status = StatusRunning
		case ClockSpeed:
			st.Speed = e.Speed
		case ClockAdvanced:
		default:
			return fmt.Errorf("event %d: unknown clock change %q", e.Seq, e.Clock)
		}
	case KindInjectDelivered:
		if e.AdHoc == nil {
			in := st.Injects[e.Inject]
			if in == nil {
				return fmt.Errorf("event %d: the scenario has no inject %q", e.Seq, e.Inject)
			}
			in.Delivered, in.Held, in.At = true, false, e.T
			if d := st.ix.injects[e.Inject].Decision; d != nil {
				teams := st.Put[d.Name]
				if teams == nil {
					teams = make(map[string]bool)
					st.Put[d.Name] = teams
				}
				for _, team := range e.To {
					teams[team] = true
				}
			}
		}
	case KindInjectSkipped:
		in := st.Injects[e.Inject]
		if in == nil {
			return fmt.Errorf("event %d: the scenario has no inject %q", e.Seq, e.Inject)
		}
		in.Skipped, in.Held, in.At, in.SkipReason = true, false, e.T, e.Reason
	case KindInjectHeld, KindInjectReleased:
		in := st.Injects[e.Inject]
		if in == nil {
			return fmt.Errorf("event %d: the scenario has no inject %q", e.Seq, e.Inject)
		}
		in.Held = e.Kind == KindInjectHeld
	case KindSeverityChanged:
		sev := st.ix.severities[e.Severity]
		if sev == nil {
			return fmt.Errorf("event %d: the plan has no severity %q", e.Seq, e.Severity)
		}
		st.Severity, st.Level = sev.Name, sev.Level
	case KindActionTriggered:
		if st.ix.actions[e.Action] == nil {
			return fmt.Errorf("event %d: the plan has no action %q", e.Seq, e.Action)
		}
		st.Triggered[e.Action] = ActionTrigger{At: e.T, Due: e.Due, Seq: e.Seq}
	case KindActionRecorded:
		if st.ix.actions[e.Action] == nil {
			return fmt.Errorf("event %d: the plan has no action %q", e.Seq, e.Action)
		}
		st.Records[e.Action] = append(st.Records[e.Action], ActionRecord{Team: e.Team, T: e.T, Seq: e.Seq})
	case KindDecisionAnswered:
		if st.ix.decisions[e.Decision] == nil {
			return fmt.Errorf("event %d: the scenario has no decision %q", e.Seq, e.Decision)
		}
		st.Answers[e.Decision] = append(st.Answers[e.Decision], DecisionAnswer{Team: e.Team, Option: e.Option, T: e.T, Seq: e.Seq})
	case KindEscalation, KindNote, KindObservation:
	case KindExerciseEnded:
		st.Status = StatusEnded
		st.EndReason = e.Reason
	default:
		return fmt.Errorf("event %d: unknown kind %q", e.Seq, e.Kind)
	}
	if e.Ref != "" {
		st.Responses[RefKeyOf(e.Team, e.Name, e.Participant, "")]++
		key := RefKeyOf(e.Team, e.Name, e.Participant, e.Ref)
		if _, seen := st.Refs[key]; !seen {
			st.Refs[key] = e.Seq
		}
	}
	st.LastSeq, st.T = e.Seq, e.T
	return nil
}

// Answered returns the option team chose first for decision, or "".
func (st *State) Answered(decision, team string) string {
	for _, a := range st.Answers[decision] {
		if a.Team == team {
			return a.Option
		}
	}
	return ""
}

// index looks up a scenario's names in constant time, so that folding a long log of a large
// scenario stays linear.
type index struct {
	sc         *scenarios.Scenario
	injects    map[string]*scenarios.Inject
	actions    map[string]*scenarios.Action
	severities map[string]*scenarios.Severity
	teams      map[string]*scenarios.Team
	decisions  map[string]*scenarios.Inject   // the inject carrying each decision
	children   map[string][]*scenarios.Inject // injects chained `after` each inject, in file order
}

func newIndex(sc *scenarios.Scenario) *index {
	ix := &index{
		sc:         sc,
		injects:    make(map[string]*scenarios.Inject, len(sc.Injects)),
		actions:    make(map[string]*scenarios.Action, len(sc.Plan.Actions)),
		severities: make(map[string]*scenarios.Severity, len(sc.Plan.Severities)),
		teams:      make(map[string]*scenarios.Team, len(sc.Plan.Teams)),
		decisions:  make(map[string]*scenarios.Inject),
		children:   make(map[string][]*scenarios.Inject),
	}
	for _, in := range sc.Injects {
		ix.injects[in.Name] = in
		if in.Decision != nil {
			ix.decisions[in.Decision.Name] = in
		}
		if !in.HasAt {
			ix.children[in.After] = append(ix.children[in.After], in)
		}
	}
	for _, a := range sc.Plan.Actions {
		ix.actions[a.Name] = a
	}
	for _, s := range sc.Plan.Severities {
		ix.severities[s.Name] = s
	}
	for _, t := range sc.Plan.Teams {
		ix.teams[t.Name] = t
	}
	return ix
}
