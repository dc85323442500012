// Package scoring turns an exercise's event log into the after-action report of
// design/scoring.md: items, credits, gaps and scores, exact and traced to the events that show
// them; the report in JSON, Markdown, HTML and CSV with server-side SVG charts; readiness over
// time for a plan; and proposed plan revisions.
//
// Everything here is a pure function of its inputs: no clock, no I/O beyond the writers given.
package scoring

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Input is what Score needs: the exercise's identity, the scenario it ran (with its plan) and
// its event log.
type Input struct {
	ID       string
	Scenario *scenarios.Scenario
	// Events is the exercise's log; Score orders it by seq.
	Events []engine.Event
}

// record is one recording of an action by a team: an action_recorded event, or an escalation
// that does the sender's actions whose escalate_to is its recipient.
type record struct {
	team string
	t    time.Duration
	seq  int64
}

// answerKey names a decision put to a team.
type answerKey struct{ decision, team string }

// scoring holds what Score has gathered from the log.
type scoring struct {
	sc      *scenarios.Scenario
	plan    *scenarios.Plan
	actions map[string]*scenarios.Action
	injects map[string]*scenarios.Inject
	events  []engine.Event
	records map[string][]record        // by action, in seq order
	answers map[answerKey]engine.Event // the first answer of each decision by each team
	ended   bool
	endT    time.Duration
	endSeq  int64
}

// Score scores one exercise by the rules of design/scoring.md and returns its report.
func Score(in Input) Report {
	s := newScoring(in)
	r := Report{
		Exercise:        s.exerciseInfo(in.ID),
		Items:           []Item{},
		NotInPlay:       []string{},
		Open:            []string{},
		Gaps:            []Gap{},
		Strengths:       []Strength{},
		ImprovementPlan: []CorrectiveAction{},
		Observations:    []Observation{},
		Notes:           []Note{},
		Timeline:        []TimelineEntry{},
	}

	triggered := map[string]bool{}
	for _, e := range s.events {
		r.Timeline = append(r.Timeline, s.timelineEntry(e))
		switch e.Kind {
		case engine.KindActionTriggered:
			if a := s.actions[e.Action]; a != nil && !triggered[a.Name] {
				triggered[a.Name] = true
				r.Items = append(r.Items, s.actionItem(a, e))
			}
		case engine.KindInjectDelivered:
			inj := s.injects[e.Inject]
			if e.AdHoc != nil || inj == nil || inj.Decision == nil {
				break
			}
			to := e.To
			if len(to) == 0 {
				to = inj.To
			}
			for _, team := range to {
				r.Items = append(r.Items, s.decisionItem(inj.Decision, team, e))
			}
		case engine.KindObservation:
			r.Observations = append(r.Observations, Observation{
				Seq: e.Seq, T: Duration(e.T), Wall: e.Wall.UTC(),
				Text: e.Text, Capability: e.Capability, Rating: e.Rating,
			})
		case engine.KindNote:
			r.Notes = append(r.Notes, Note{
				Seq: e.Seq, T: Duration(e.T), Wall: e.Wall.UTC(),
				Team: e.Team, Name: e.Name, Text: e.Text,
			})
		}
	}
	for _, a := range s.plan.Actions {
		if !triggered[a.Name] {
			r.NotInPlay = append(r.NotInPlay, a.Name)
		}
	}
	for _, it := range r.Items {
		if it.Status == StatusOpen {
			r.Open = append(r.Open, it.ID)
		}
	}
	r.Score, r.Ratings = scores(r.Items)
	r.Gaps = s.gaps(r.Items)
	r.Strengths = s.strengths(r.Items)
	r.ImprovementPlan = s.improvementPlan(r.Gaps)
	return r
}

func newScoring(in Input) *scoring {
	if in.Scenario == nil {
		in.Scenario = &scenarios.Scenario{}
	}
	s := &scoring{
		sc:      in.Scenario,
		plan:    in.Scenario.Plan,
		actions: map[string]*scenarios.Action{},
		injects: map[string]*scenarios.Inject{},
		records: map[string][]record{},
		answers: map[answerKey]engine.Event{},
	}
	if s.plan == nil {
		s.plan = &scenarios.Plan{Name: in.Scenario.PlanName}
	}
	for _, a := range s.plan.Actions {
		s.actions[a.Name] = a
	}
	for _, inj := range in.Scenario.Injects {
		s.injects[inj.Name] = inj
	}
	s.events = append([]engine.Event(nil), in.Events...)
	sort.SliceStable(s.events, func(i, j int) bool { return s.events[i].Seq < s.events[j].Seq })

	// s.events is in seq order, so each action's records are appended in seq order.
	for _, e := range s.events {
		switch e.Kind {
		case engine.KindActionRecorded:
			s.records[e.Action] = append(s.records[e.Action], record{e.Team, e.T, e.Seq})
		case engine.KindEscalation:
			// An escalation does every action of the sender's whose escalate_to is its
			// recipient (language.md). Should the engine also log those as action_recorded,
			// the earliest record is the same moment, so nothing counts twice.
			for _, a := range s.plan.Actions {
				if a.Owner == e.Team && a.EscalateTo != "" && slices.Contains(e.To, a.EscalateTo) {
					s.records[a.Name] = append(s.records[a.Name], record{e.Team, e.T, e.Seq})
				}
			}
		case engine.KindDecisionAnswered:
			k := answerKey{e.Decision, e.Team}
			if _, answered := s.answers[k]; !answered {
				s.answers[k] = e
			}
		case engine.KindExerciseEnded:
			if !s.ended {
				s.ended, s.endT, s.endSeq = true, e.T, e.Seq
			}
		}
	}
	if !s.ended && len(s.events) > 0 {
		last := s.events[len(s.events)-1]
		s.endT, s.endSeq = last.T, last.Seq
		for _, e := range s.events {
			s.endT = max(s.endT, e.T)
		}
	}
	return s
}

func (s *scoring) exerciseInfo(id string) ExerciseInfo {
	info := ExerciseInfo{
		ID:            id,
		Scenario:      s.sc.Name,
		ScenarioTitle: s.sc.Title,
		Summary:       s.sc.Summary,
		Plan:          s.plan.Name,
		PlanTitle:     s.plan.Title,
		PlanVersion:   s.plan.Version,
		Teams:         []TeamInfo{},
		Status:        ExerciseInProgress,
		Duration:      Duration(s.sc.Duration),
		Elapsed:       Duration(s.endT),
	}
	if s.ended {
		info.Status = ExerciseEnded
	}
	for _, t := range s.plan.Teams {
		info.Teams = append(info.Teams, TeamInfo{Name: t.Name, Title: t.Title, Tier: t.Tier})
	}
	for _, e := range s.events {
		switch e.Kind {
		case engine.KindExerciseStarted:
			if info.StartedAt == nil {
				w := e.Wall.UTC()
				info.StartedAt = &w
			}
		case engine.KindExerciseEnded:
			if info.EndedAt == nil {
				w := e.Wall.UTC()
				info.EndedAt = &w
			}
		}
	}
	if !s.sc.StartTime.IsZero() {
		st := s.sc.StartTime.UTC()
		info.SimStart = &st
	}
	return info
}

// actionItem scores action a, triggered by event trig (design/scoring.md, "Credit of an
// action item").
func (s *scoring) actionItem(a *scenarios.Action, trig engine.Event) Item {
	owner := a.Owner
	if owner == "" {
		owner = trig.Team
	}
	due := trig.Due
	if due <= 0 {
		due = a.Due
	}
	T := trig.T
	it := Item{
		Kind: KindAction, ID: a.Name, Title: a.Title, Team: owner,
		Capability: a.Capability, Phase: a.Phase,
		TriggeredAt: Duration(T), Deadline: durPtr(T + due), Due: durPtr(due),
		Weight: weightOf(a.Weight), Gaps: []string{}, Evidence: []int64{trig.Seq},
	}

	rec, ok := s.countingRecord(a.Name, owner)
	if !ok {
		if s.endT < T+due {
			it.Status = StatusOpen
			return it
		}
		it.Status = StatusScored
		it.Credit = new(float64)
		it.Gaps = append(it.Gaps, GapMissed)
		it.Evidence = append(it.Evidence, s.endSeq)
		return it
	}

	it.Status = StatusScored
	it.DoneAt, it.By = durPtr(rec.t), rec.team
	it.Evidence = append(it.Evidence, rec.seq)
	credit := 1.0
	switch {
	case rec.t <= T+due:
	case rec.t <= T+2*due:
		credit = 0.5
		it.Gaps = append(it.Gaps, GapLate)
	default:
		credit = 0.25
		it.Gaps = append(it.Gaps, GapLate)
	}
	if rec.team != owner {
		credit /= 2
		it.Gaps = append(it.Gaps, GapWrongOwner)
	}
	if late := s.prerequisitesMissing(a, rec.t); len(late) > 0 {
		credit = max(credit-0.25, 0)
		it.Gaps = append(it.Gaps, GapOutOfOrder)
		for _, p := range late {
			if rs := s.records[p]; len(rs) > 0 {
				it.Evidence = append(it.Evidence, rs[0].seq)
			}
		}
	}
	it.Credit = &credit
	return it
}

// countingRecord is the record of action that counts: the owner's earliest, else anyone's.
func (s *scoring) countingRecord(action, owner string) (record, bool) {
	rs := s.records[action]
	for _, r := range rs {
		if r.team == owner {
			return r, true
		}
	}
	if len(rs) > 0 {
		return rs[0], true
	}
	return record{}, false
}

// prerequisitesMissing returns the actions in a's `after` that nobody had recorded at or
// before t.
func (s *scoring) prerequisitesMissing(a *scenarios.Action, t time.Duration) []string {
	var missing []string
	for _, p := range a.After {
		done := false
		for _, r := range s.records[p] {
			if r.t <= t {
				done = true
				break
			}
		}
		if !done {
			missing = append(missing, p)
		}
	}
	return missing
}

// decisionItem scores decision d put to team by the delivery event del.
func (s *scoring) decisionItem(d *scenarios.Decision, team string, del engine.Event) Item {
	it := Item{
		Kind: KindDecision, ID: d.Name, Team: team,
		Capability: d.Capability, Phase: d.Phase, Expected: d.Expected,
		TriggeredAt: Duration(del.T), Weight: weightOf(d.Weight),
		Gaps: []string{}, Evidence: []int64{del.Seq},
	}
	if inj := s.injects[del.Inject]; inj != nil {
		it.Title = inj.Subject
	}
	// The first answer counts; looked up rather than searched for, so that scoring stays
	// linear in the log when thousands of decisions are put.
	if e, ok := s.answers[answerKey{d.Name, team}]; ok {
		credit := 0.0
		if e.Option == d.Expected {
			credit = 1
		} else {
			it.Gaps = append(it.Gaps, GapWrongChoice)
		}
		it.Status, it.Credit = StatusScored, &credit
		it.Answer, it.By, it.DoneAt = e.Option, e.Team, durPtr(e.T)
		it.Evidence = append(it.Evidence, e.Seq)
		return it
	}
	if !s.ended {
		// The team may still answer: not yet a gap.
		it.Status = StatusOpen
		return it
	}
	it.Status, it.Credit = StatusScored, new(float64)
	it.Gaps = append(it.Gaps, GapMissed)
	it.Evidence = append(it.Evidence, s.endSeq)
	return it
}

// scores computes the weighted scores and their ratings over the scored items.
func scores(items []Item) (Scores, Ratings) {
	var overall weighted
	byTeam, byCap, byPhase := map[string]*weighted{}, map[string]*weighted{}, map[string]*weighted{}
	add := func(m map[string]*weighted, key string, credit, weight float64) {
		if key == "" {
			return
		}
		if m[key] == nil {
			m[key] = &weighted{}
		}
		m[key].add(credit, weight)
	}
	for _, it := range items {
		if !it.Scored() {
			continue
		}
		overall.add(*it.Credit, it.Weight)
		add(byTeam, it.Team, *it.Credit, it.Weight)
		add(byCap, it.Capability, *it.Credit, it.Weight)
		add(byPhase, it.Phase, *it.Credit, it.Weight)
	}
	sc := Scores{ByTeam: map[string]float64{}, ByCapability: map[string]float64{}, ByPhase: map[string]float64{}}
	rt := Ratings{ByTeam: map[string]string{}, ByCapability: map[string]string{}, ByPhase: map[string]string{}}
	if v, ok := overall.score(); ok {
		rating := Rating(v)
		sc.Overall, rt.Overall = &v, &rating
	}
	fill := func(dst map[string]float64, rdst map[string]string, src map[string]*weighted) {
		for k, w := range src {
			if v, ok := w.score(); ok {
				dst[k], rdst[k] = v, Rating(v)
			}
		}
	}
	fill(sc.ByTeam, rt.ByTeam, byTeam)
	fill(sc.ByCapability, rt.ByCapability, byCap)
	fill(sc.ByPhase, rt.ByPhase, byPhase)
	return sc, rt
}

func weightOf(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// endPhrase says when the exercise ended, or where its log stops.
func (s *scoring) endPhrase() string {
	if s.ended {
		return fmt.Sprintf("the exercise ended at %s", s.endT)
	}
	return fmt.Sprintf("the log stops at %s", s.endT)
}
