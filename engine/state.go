package engine

import (
	"fmt"
	"slices"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// Status of an exercise.
const (
	StatusCreated = "created"
	StatusRunning = "running"
	StatusPaused  = "paused"
	StatusEnded   = "ended"
	StatusClosed  = "closed" // (v2) the hot wash is over: nothing more is taken
)

// HasEnded reports whether status is that of an exercise that has ended: ended, or (v2)
// closed after its hot wash. "Finished" (review lists, readiness) means this.
func HasEnded(status string) bool { return status == StatusEnded || status == StatusClosed }

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
	// PauseReason is the reason of the pause the exercise is in: "" for the facilitator's,
	// PauseServerStopped or PauseServerRestarted for the server's.
	PauseReason string
	// Mode and Teams (v2) are those exercise_started logged; both empty before the start and
	// in logs written before v2.
	Mode  string
	Teams []string

	Injects   map[string]*InjectState     // every scenario inject, by name
	Triggered map[string]ActionTrigger    // triggered actions, by name
	Records   map[string][]ActionRecord   // records of each action, in log order
	Answers   map[string][]DecisionAnswer // answers to each decision, in log order
	// Put holds, for each decision, the teams it was put to by a delivered inject: (v2) its
	// deciding teams.
	Put map[string]map[string]bool
	// Defaults (v2) holds the defaults recorded for each decision, in log order.
	Defaults map[string][]DecisionAnswer
	// Settled (v2) holds, for each settled decision, its first answer or default by a deciding
	// team.
	Settled map[string]DecisionAnswer
	// ModuleStarts (v2) holds the simulated time each module started at, by name.
	ModuleStarts map[string]time.Duration
	// QuestionAnswers (v2) holds the answers to each question, by its ID, in log order.
	QuestionAnswers map[string][]QuestionAnswer
	// Joined and MarkedPlayed (v2) hold the teams a participant joined and the teams the
	// facilitator marked as played, each with the seq of its event.
	Joined       map[string]int64
	MarkedPlayed map[string]int64
	// FeedbackFrom (v2) holds the seq of each participant's feedback, by FeedbackKey.
	FeedbackFrom map[string]int64
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
	// Rescheduled: the facilitator gave it a new due time, DueAt (inject_rescheduled), which
	// replaces what its `at` or `after` said.
	Rescheduled bool
	DueAt       time.Duration
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

// CountingRecord returns the record of an action that counts (scoring.md, "Credit of an action
// item", step 1): the earliest record by its owner, and if the owner never recorded it, the
// earliest by any team. records must be in seq order; false when there is none. The console's
// progress and scoring both read it here.
func CountingRecord(records []ActionRecord, owner string) (ActionRecord, bool) {
	for _, r := range records {
		if r.Team == owner {
			return r, true
		}
	}
	if len(records) > 0 {
		return records[0], true
	}
	return ActionRecord{}, false
}

// DecisionAnswer is one team's answer to a decision.
type DecisionAnswer struct {
	Team   string
	Option string
	T      time.Duration
	Seq    int64
}

// QuestionAnswer (v2) is one team's free-text answer to a question.
type QuestionAnswer struct {
	Team string
	Name string
	Text string
	T    time.Duration
	Seq  int64
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

		Defaults:        make(map[string][]DecisionAnswer),
		Settled:         make(map[string]DecisionAnswer),
		ModuleStarts:    make(map[string]time.Duration),
		QuestionAnswers: make(map[string][]QuestionAnswer),
		Joined:          make(map[string]int64),
		MarkedPlayed:    make(map[string]int64),
		FeedbackFrom:    make(map[string]int64),
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
		st.Mode, st.Teams = e.Mode, e.Teams
	case KindClock:
		if err := st.applyClock(e); err != nil {
			return err
		}
	case KindInjectDelivered, KindInjectSkipped, KindInjectHeld, KindInjectReleased:
		if err := st.applyInject(e); err != nil {
			return err
		}
	case KindInjectRescheduled:
		if err := st.applyRescheduled(e); err != nil {
			return err
		}
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
	case KindDecisionAnswered, KindDecisionDefaulted:
		if st.ix.decisions[e.Decision] == nil {
			return fmt.Errorf("event %d: the scenario has no decision %q", e.Seq, e.Decision)
		}
		a := DecisionAnswer{Team: e.Team, Option: e.Option, T: e.T, Seq: e.Seq}
		recorded := st.Answers
		if e.Kind == KindDecisionDefaulted {
			recorded = st.Defaults
		}
		recorded[e.Decision] = append(recorded[e.Decision], a)
		st.settle(e.Decision, a)
	case KindModuleStarted:
		if st.ix.modules[e.Module] == nil {
			return fmt.Errorf("event %d: the scenario has no module %q", e.Seq, e.Module)
		}
		st.ModuleStarts[e.Module] = e.T
	case KindAnswerRecorded:
		if _, ok := st.ix.questions[e.Question]; !ok {
			return fmt.Errorf("event %d: the scenario has no question %q", e.Seq, e.Question)
		}
		st.QuestionAnswers[e.Question] = append(st.QuestionAnswers[e.Question], QuestionAnswer{Team: e.Team, Name: e.Name, Text: e.Text, T: e.T, Seq: e.Seq})
	case KindTeamJoined, KindTeamMarkedPlayed:
		if st.ix.teams[e.Team] == nil {
			return fmt.Errorf("event %d: the plan has no team %q", e.Seq, e.Team)
		}
		seen := st.Joined
		if e.Kind == KindTeamMarkedPlayed {
			seen = st.MarkedPlayed
		}
		if _, ok := seen[e.Team]; !ok {
			seen[e.Team] = e.Seq
		}
	case KindFeedbackRecorded:
		keys := []string{FeedbackKey(e)}
		if e.Issued != "" {
			keys = append(keys, FeedbackKey(Event{Participant: e.Issued}))
		}
		for _, key := range keys {
			if _, ok := st.FeedbackFrom[key]; !ok {
				st.FeedbackFrom[key] = e.Seq
			}
		}
	case KindEscalation, KindNote, KindObservation:
	case KindExerciseEnded:
		st.Status = StatusEnded
		st.EndReason = e.Reason
	case KindExerciseClosed:
		st.Status = StatusClosed
	default:
		return fmt.Errorf("event %d: unknown kind %q", e.Seq, e.Kind)
	}
	st.countResponse(e)
	st.LastSeq, st.T = e.Seq, e.T
	return nil
}

// applyClock folds a clock event: only a pause and a resume change the status.
func (st *State) applyClock(e Event) error {
	switch e.Clock {
	case ClockPaused:
		st.Status, st.PauseReason = StatusPaused, e.Reason
	case ClockResumed:
		st.Status, st.PauseReason = StatusRunning, ""
	case ClockSpeed:
		st.Speed = e.Speed
	case ClockAdvanced:
	default:
		return fmt.Errorf("event %d: unknown clock change %q", e.Seq, e.Clock)
	}
	return nil
}

// applyInject folds what happened to a scripted inject: delivered (which puts its decision to
// its deciding teams), skipped, held or released. An ad-hoc delivery has no inject to mark.
func (st *State) applyInject(e Event) error {
	if e.Kind == KindInjectDelivered && e.AdHoc != nil {
		return nil
	}
	in := st.Injects[e.Inject]
	if in == nil {
		return fmt.Errorf("event %d: the scenario has no inject %q", e.Seq, e.Inject)
	}
	switch e.Kind {
	case KindInjectDelivered:
		in.Delivered, in.Held, in.At = true, false, e.T
		if d := st.ix.injects[e.Inject].Decision; d != nil {
			teams := st.Put[d.Name]
			if teams == nil {
				teams = make(map[string]bool)
				st.Put[d.Name] = teams
			}
			for _, team := range st.ix.deciders[d.Name] {
				teams[team] = true
			}
		}
	case KindInjectSkipped:
		in.Skipped, in.Held, in.At, in.SkipReason = true, false, e.T, e.Reason
	default: // held or released
		in.Held = e.Kind == KindInjectHeld
	}
	return nil
}

// countResponse counts a response with a ref against its sender's budget and keeps the seq of
// the first event of each ref, which a retry is answered with.
func (st *State) countResponse(e Event) {
	if e.Ref == "" {
		return
	}
	st.Responses[RefKeyOf(e.Team, e.Name, e.Participant, "")]++
	keys := []RefKey{RefKeyOf(e.Team, e.Name, e.Participant, e.Ref)}
	if e.Issued != "" {
		keys = append(keys, RefKeyOf(e.Team, e.Name, e.Issued, e.Ref))
	}
	for _, key := range keys {
		if _, seen := st.Refs[key]; !seen {
			st.Refs[key] = e.Seq
		}
	}
}

// Answered returns the option team chose first for decision, or "".
func (st *State) Answered(decision, team string) string {
	return firstOptionOf(st.Answers[decision], team)
}

// firstOptionOf returns the option of team's first answer in answers, or "".
func firstOptionOf(answers []DecisionAnswer, team string) string {
	for _, a := range answers {
		if a.Team == team {
			return a.Option
		}
	}
	return ""
}

// settle records a as the decision's settlement if it is the first answer or default by one
// of its deciding teams (language.md v2).
func (st *State) settle(decision string, a DecisionAnswer) {
	if _, done := st.Settled[decision]; done {
		return
	}
	if slices.Contains(st.ix.deciders[decision], a.Team) {
		st.Settled[decision] = a
	}
}

// Defaulted returns the option defaulted for team on decision, or "".
func (st *State) Defaulted(decision, team string) string {
	return firstOptionOf(st.Defaults[decision], team)
}

// NotReached returns, once the exercise has ended, the scenario injects neither delivered nor
// skipped (held, past `duration`, or waiting on something that never happened), in file
// order (language.md v2); nil before the end.
func (st *State) NotReached() []string {
	if !HasEnded(st.Status) {
		return nil
	}
	var names []string
	for _, in := range st.ix.sc.Injects {
		if is := st.Injects[in.Name]; !is.Delivered && !is.Skipped {
			names = append(names, in.Name)
		}
	}
	return names
}

// FeedbackKey names the participant who sent a feedback_recorded event, for taking one form
// per participant: the participant's id when it has one, else its team and display name.
func FeedbackKey(e Event) string {
	if e.Participant != "" {
		return "participant " + e.Participant
	}
	return "team " + e.Team + " name " + e.Name
}

// index looks up a scenario's names in constant time, so that folding a long log of a large
// scenario stays linear.
type index struct {
	sc         *scenarios.Scenario
	injects    map[string]*scenarios.Inject
	actions    map[string]*scenarios.Action
	severities map[string]*scenarios.Severity
	teams      map[string]*scenarios.Team
	decisions  map[string]*scenarios.Inject // the inject carrying each decision
	deciders   map[string][]string          // each decision's deciding teams (decidedBy)
	modules    map[string]*scenarios.Module
	questions  map[string]questionSource // every question, by ID
	// children holds the injects chained `after` each inject, decision or action, in file
	// order.
	children map[chain][]*scenarios.Inject
}

// chain names what an inject is chained `after`: its kind (scenarios.AfterInject,
// AfterDecision or AfterAction) and name.
type chain struct {
	kind, name string
}

// chainOf returns what in is chained after; an `after` inject of a v1 scenario, without
// AfterKind, follows an inject.
func chainOf(in *scenarios.Inject) chain {
	kind := in.AfterKind
	if kind == "" {
		kind = scenarios.AfterInject
	}
	return chain{kind: kind, name: in.After}
}

// questionSource is where a question is put: a module's start or an inject's delivery.
type questionSource struct {
	module *scenarios.Module
	inject *scenarios.Inject
}

func newIndex(sc *scenarios.Scenario) *index {
	ix := &index{
		sc:         sc,
		injects:    make(map[string]*scenarios.Inject, len(sc.Injects)),
		actions:    make(map[string]*scenarios.Action, len(sc.Plan.Actions)),
		severities: make(map[string]*scenarios.Severity, len(sc.Plan.Severities)),
		teams:      make(map[string]*scenarios.Team, len(sc.Plan.Teams)),
		decisions:  make(map[string]*scenarios.Inject),
		deciders:   make(map[string][]string),
		modules:    make(map[string]*scenarios.Module, len(sc.Modules)),
		questions:  make(map[string]questionSource),
		children:   make(map[chain][]*scenarios.Inject),
	}
	for _, t := range sc.Plan.Teams {
		ix.teams[t.Name] = t
	}
	for _, md := range sc.Modules {
		ix.modules[md.Name] = md
		for _, q := range md.Questions {
			ix.questions[q.ID] = questionSource{module: md}
		}
	}
	for _, in := range sc.Injects {
		ix.injects[in.Name] = in
		if in.Decision != nil {
			ix.decisions[in.Decision.Name] = in
			ix.deciders[in.Decision.Name] = sc.Plan.DecidingTeams(in.Decision, in.To)
		}
		for _, q := range in.Questions {
			ix.questions[q.ID] = questionSource{inject: in}
		}
		if !in.HasAt {
			c := chainOf(in)
			ix.children[c] = append(ix.children[c], in)
		}
	}
	for _, a := range sc.Plan.Actions {
		ix.actions[a.Name] = a
	}
	for _, s := range sc.Plan.Severities {
		ix.severities[s.Name] = s
	}
	return ix
}
