// Package scoring turns an exercise's event log into the after-action report of
// design/scoring.md: items, credits, gaps and scores, exact and traced to the events that show
// them; the report in JSON, Markdown, HTML and CSV with server-side SVG charts; readiness over
// time for a plan; and proposed plan revisions.
//
// Everything here is a pure function of its inputs: no clock, no I/O beyond the writers given.
package scoring

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Input is what Score needs: the exercise's identity, the scenario it ran (with its plan), its
// event log, and what its record says of it (v2).
type Input struct {
	ID       string
	Scenario *scenarios.Scenario
	// Events is the exercise's log; Score orders it by seq.
	Events []engine.Event
	// Mode, Kind and Teams are the record's (engine.ExerciseRecord). Left empty, the mode and
	// the teams in play are the log's exercise_started's, else training (an exercise stored
	// before v2) and every team of the plan that is not external; the kind is live.
	Mode  string
	Kind  string
	Teams []string
}

// InputOf is the Input of a stored exercise: its record, the scenario it ran and its log.
func InputOf(rec engine.ExerciseRecord, sc *scenarios.Scenario, events []engine.Event) Input {
	return Input{ID: rec.ID, Scenario: sc, Events: events, Mode: rec.Mode, Kind: rec.Kind, Teams: rec.Teams}
}

// answerKey names a decision put to a team.
type answerKey struct{ decision, team string }

// scoring holds what Score has gathered from the log.
type scoring struct {
	sc       *scenarios.Scenario
	plan     *scenarios.Plan
	actions  map[string]*scenarios.Action
	injects  map[string]*scenarios.Inject
	teams    map[string]*scenarios.Team
	events   []engine.Event
	records  map[string][]ActionRecord  // by action, in seq order
	answers  map[answerKey]engine.Event // the first answer of each decision by each team
	defaults map[answerKey]engine.Event // the default recorded for a team (v2)
	prompts  map[string][]engine.Event  // deliveries of injects that prompt each action (v2)
	texts    map[string]string          // question texts by ID (v2)
	replies  map[string][]Answer        // answers by question ID, in log order (v2)
	mode     string
	kind     string
	inPlay   []string
	played   map[string]bool
	ended    bool
	endT     time.Duration
	endSeq   int64
}

// Score scores one exercise by the rules of design/scoring.md and returns its report.
func Score(in Input) Report {
	s := newScoring(in)
	r := Report{
		Exercise:         s.exerciseInfo(in.ID),
		Items:            []Item{},
		NotInPlay:        []string{},
		Open:             []string{},
		Gaps:             []Gap{},
		Strengths:        []Strength{},
		ImprovementPlan:  []CorrectiveAction{},
		Observations:     []Observation{},
		Notes:            []Note{},
		Timeline:         []TimelineEntry{},
		NotPlayed:        []NotPlayedItem{},
		Discussions:      []Discussion{},
		Answers:          []Answer{},
		Feedback:         []FeedbackEntry{},
		NotReached:       []string{},
		EvaluatorRatings: map[string]EvaluatorRating{},
	}
	triggered, put, reached := s.readLog(&r)
	r.NotInPlay = s.notInPlay(triggered, put)
	for _, it := range r.Items {
		if it.Status == StatusOpen {
			r.Open = append(r.Open, it.ID)
		}
	}
	if s.ended {
		for _, inj := range s.sc.Injects {
			if !reached[inj.Name] {
				r.NotReached = append(r.NotReached, inj.Name)
			}
		}
	}
	r.Objectives, r.Modules = s.objectives(), s.modules()
	r.Score, r.Ratings = scores(r.Items, s.sc.Objectives)
	r.EvaluatorRatings = evaluatorRatings(r.Observations, r.Ratings.ByCapability)
	r.Gaps = s.gaps(r.Items)
	r.Strengths = s.strengths(r.Items)
	r.ImprovementPlan = s.improvementPlan(r.Items)
	return r
}

// readLog reads the log in order into r: its timeline, the items of each action at its first
// trigger and of each decision at the first delivery of its inject (a discussion for an
// unscored one), and the observations, notes, answers and feedback forms. It returns the actions triggered, the
// decisions put and the injects reached (delivered or skipped).
func (s *scoring) readLog(r *Report) (triggered, put, reached map[string]bool) {
	triggered, put, reached = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range s.events {
		r.Timeline = append(r.Timeline, s.timelineEntry(e))
		switch e.Kind {
		case engine.KindActionTriggered:
			if a := s.actions[e.Action]; a != nil && !triggered[a.Name] {
				triggered[a.Name] = true
				s.addAction(r, a, e)
			}
		case engine.KindInjectDelivered, engine.KindInjectSkipped:
			reached[e.Inject] = true
			inj := s.injects[e.Inject]
			if e.Kind != engine.KindInjectDelivered || e.AdHoc != nil || inj == nil || inj.Decision == nil || put[inj.Decision.Name] {
				break
			}
			put[inj.Decision.Name] = true
			s.addDecision(r, inj, e)
		case engine.KindObservation:
			r.Observations = append(r.Observations, Observation{
				Seq: e.Seq, T: Duration(e.T), Wall: e.Wall.UTC(),
				Text: e.Text, Capability: e.Capability, Rating: e.Rating, By: e.By, Team: e.Team,
			})
		case engine.KindNote:
			r.Notes = append(r.Notes, Note{
				Seq: e.Seq, T: Duration(e.T), Wall: e.Wall.UTC(),
				Team: e.Team, Name: e.Name, Text: e.Text,
			})
		case engine.KindAnswerRecorded:
			r.Answers = append(r.Answers, s.answerOf(e))
		case engine.KindFeedbackRecorded:
			r.Feedback = append(r.Feedback, feedbackOf(e))
		}
	}
	return triggered, put, reached
}

func newScoring(in Input) *scoring {
	if in.Scenario == nil {
		in.Scenario = &scenarios.Scenario{}
	}
	s := &scoring{
		sc:       in.Scenario,
		plan:     in.Scenario.Plan,
		actions:  map[string]*scenarios.Action{},
		injects:  map[string]*scenarios.Inject{},
		teams:    map[string]*scenarios.Team{},
		records:  map[string][]ActionRecord{},
		answers:  map[answerKey]engine.Event{},
		defaults: map[answerKey]engine.Event{},
		prompts:  map[string][]engine.Event{},
		texts:    map[string]string{},
		replies:  map[string][]Answer{},
		kind:     cmp.Or(in.Kind, engine.ExerciseLive),
	}
	if s.plan == nil {
		s.plan = &scenarios.Plan{Name: in.Scenario.PlanName}
	}
	for _, a := range s.plan.Actions {
		s.actions[a.Name] = a
	}
	for _, t := range s.plan.Teams {
		s.teams[t.Name] = t
	}
	for _, inj := range in.Scenario.Injects {
		s.injects[inj.Name] = inj
		for _, q := range inj.Questions {
			s.texts[q.ID] = q.Text
		}
	}
	for _, mod := range in.Scenario.Modules {
		for _, q := range mod.Questions {
			s.texts[q.ID] = q.Text
		}
	}
	s.events = append([]engine.Event(nil), in.Events...)
	sort.SliceStable(s.events, func(i, j int) bool { return s.events[i].Seq < s.events[j].Seq })

	// s.events is in seq order, so each action's records are appended in seq order.
	for _, e := range s.events {
		s.gather(e)
	}
	if !s.ended && len(s.events) > 0 {
		last := s.events[len(s.events)-1]
		s.endT, s.endSeq = last.T, last.Seq
		for _, e := range s.events {
			s.endT = max(s.endT, e.T)
		}
	}
	s.mode, s.inPlay = s.modeAndTeams(in)
	s.played = s.teamsPlayed()
	return s
}

// gather notes what one event of the log tells the rules.
func (s *scoring) gather(e engine.Event) {
	switch e.Kind {
	case engine.KindActionRecorded:
		s.records[e.Action] = append(s.records[e.Action], ActionRecord{Team: e.Team, T: e.T, Seq: e.Seq})
	case engine.KindEscalation:
		// Should the engine also log these as action_recorded, the earliest record is the
		// same moment, so nothing counts twice.
		for _, a := range s.plan.EscalatedActions(e.Team, e.To) {
			s.records[a.Name] = append(s.records[a.Name], ActionRecord{Team: e.Team, T: e.T, Seq: e.Seq})
		}
	case engine.KindInjectDelivered:
		if inj := s.injects[e.Inject]; inj != nil && e.AdHoc == nil {
			for _, a := range inj.Prompts {
				s.prompts[a] = append(s.prompts[a], e)
			}
		}
	case engine.KindDecisionAnswered:
		k := answerKey{e.Decision, e.Team}
		if _, answered := s.answers[k]; !answered {
			s.answers[k] = e
		}
	case engine.KindDecisionDefaulted:
		k := answerKey{e.Decision, e.Team}
		if _, done := s.defaults[k]; !done {
			s.defaults[k] = e
		}
	case engine.KindAnswerRecorded:
		s.replies[e.Question] = append(s.replies[e.Question], s.answerOf(e))
	case engine.KindExerciseEnded:
		if !s.ended {
			s.ended, s.endT, s.endSeq = true, e.T, e.Seq
		}
	}
}

// modeAndTeams are the exercise's mode and teams in play: the record's, else the log's
// exercise_started's, else training and every team of the plan that is not external.
func (s *scoring) modeAndTeams(in Input) (string, []string) {
	mode, teams := in.Mode, in.Teams
	for _, e := range s.events {
		if e.Kind == engine.KindExerciseStarted {
			mode = cmp.Or(mode, e.Mode)
			if len(teams) == 0 {
				teams = e.Teams
			}
			break
		}
	}
	if len(teams) == 0 {
		for _, t := range s.plan.Teams {
			if !t.External {
				teams = append(teams, t.Name)
			}
		}
	}
	return cmp.Or(mode, engine.ModeTraining), append([]string{}, teams...)
}

// teamsPlayed are the teams in play that played (scoring.md, "Precisions", Teams): with a
// team_joined or team_marked_played event before exercise_ended; every one of them when the
// log has no team_joined at all (a rehearsal, an exercise stored before v2). External teams
// never play.
func (s *scoring) teamsPlayed() map[string]bool {
	joined, anyJoined := map[string]bool{}, false
	for _, e := range s.events {
		if e.Kind == engine.KindTeamJoined {
			anyJoined = true
		}
		if (e.Kind == engine.KindTeamJoined || e.Kind == engine.KindTeamMarkedPlayed) && (!s.ended || e.Seq < s.endSeq) {
			joined[e.Team] = true
		}
	}
	played := map[string]bool{}
	for _, t := range s.inPlay {
		if tm := s.teams[t]; tm != nil && tm.External {
			continue
		}
		if !anyJoined || joined[t] {
			played[t] = true
		}
	}
	return played
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
		Mode:          s.mode,
		Kind:          s.kind,
		TeamsInPlay:   s.inPlay,
		TeamsPlayed:   []string{},
	}
	for _, t := range s.inPlay {
		if s.played[t] {
			info.TeamsPlayed = append(info.TeamsPlayed, t)
		}
	}
	if s.ended {
		info.Status = ExerciseEnded
	}
	for _, t := range s.plan.Teams {
		info.Teams = append(info.Teams, TeamInfo{Name: t.Name, Title: t.Title, Tier: t.Tier, External: t.External})
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
		case engine.KindExerciseClosed:
			if info.ClosedAt == nil {
				w := e.Wall.UTC()
				info.ClosedAt = &w
			}
		}
	}
	if !s.sc.StartTime.IsZero() {
		st := s.sc.StartTime.UTC()
		info.SimStart = &st
	}
	return info
}

// notInPlay lists the plan's actions never triggered, then the scored decisions whose inject
// was never delivered, in file order.
func (s *scoring) notInPlay(triggered, put map[string]bool) []string {
	out := []string{}
	for _, a := range s.plan.Actions {
		if !triggered[a.Name] {
			out = append(out, a.Name)
		}
	}
	for _, inj := range s.sc.Injects {
		if d := inj.Decision; d != nil && !d.IsDiscussion() && !put[d.Name] {
			out = append(out, d.Name)
		}
	}
	return out
}

// addAction lists action a, triggered by trig: not played when its owner did not play, else
// scored or open.
func (s *scoring) addAction(r *Report, a *scenarios.Action, trig engine.Event) {
	owner := cmp.Or(a.Owner, trig.Team)
	if !s.played[owner] {
		r.NotPlayed = append(r.NotPlayed, NotPlayedItem{Kind: KindAction, ID: a.Name, Team: owner})
		return
	}
	r.Items = append(r.Items, s.actionItem(a, owner, trig))
}

// addDecision lists the decision of inj, delivered by del: a discussion's answers, or one
// item per deciding team (not played when that team did not play).
func (s *scoring) addDecision(r *Report, inj *scenarios.Inject, del engine.Event) {
	d := inj.Decision
	if d.IsDiscussion() {
		dis := Discussion{Decision: d.Name, Inject: inj.Name, Prompt: d.Prompt, Answers: map[string]string{}}
		for k, e := range s.answers {
			if k.decision == d.Name {
				dis.Answers[k.team] = e.Option
			}
		}
		r.Discussions = append(r.Discussions, dis)
		return
	}
	// The deciding teams of the recipients the log names (the engine delivers to the
	// inject's `to`).
	to := del.To
	if len(to) == 0 {
		to = inj.To
	}
	for _, team := range s.plan.DecidingTeams(d, to) {
		if !s.played[team] {
			r.NotPlayed = append(r.NotPlayed, NotPlayedItem{Kind: KindDecision, ID: d.Name, Team: team})
			continue
		}
		r.Items = append(r.Items, s.decisionItem(d, team, del))
	}
}

// actionItem scores action a of owner, triggered by event trig (design/scoring.md, "Credit of
// an action item").
func (s *scoring) actionItem(a *scenarios.Action, owner string, trig engine.Event) Item {
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

	rec, ok := engine.CountingRecord(s.records[a.Name], owner)
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
	it.DoneAt, it.By = durPtr(rec.T), rec.Team
	it.Evidence = append(it.Evidence, rec.Seq)
	timing, late := TimingCredit(rec.T, T, due)
	prompt, prompted := s.prompt(a.Name, rec)
	missing := s.prerequisitesMissing(a, rec.T)
	f := ActionFactors{WrongOwner: rec.Team != owner, Prompted: prompted, OutOfOrder: len(missing) > 0}
	if late {
		it.Gaps = append(it.Gaps, GapLate)
	}
	if f.WrongOwner {
		it.Gaps = append(it.Gaps, GapWrongOwner)
	}
	if f.Prompted {
		it.Gaps = append(it.Gaps, GapPrompted)
	}
	if f.OutOfOrder {
		it.Gaps = append(it.Gaps, GapOutOfOrder)
		it.Evidence = append(it.Evidence, s.firstRecords(missing)...)
	}
	if prompted {
		it.Evidence = append(it.Evidence, prompt.Seq)
	}
	credit := ratFloat(ActionCredit(timing, f))
	it.Credit = &credit
	return it
}

// prompt is the first delivery, at or before the counting record, of an inject whose prompts
// name the action, to the team whose record counts (scoring.md step 6).
func (s *scoring) prompt(action string, rec ActionRecord) (engine.Event, bool) {
	for _, e := range s.prompts[action] {
		if e.T > rec.T {
			continue
		}
		to := e.To
		if inj := s.injects[e.Inject]; len(to) == 0 && inj != nil {
			to = inj.To
		}
		if slices.Contains(to, rec.Team) {
			return e, true
		}
	}
	return engine.Event{}, false
}

// prerequisitesMissing returns the actions in a's `after` that nobody had recorded at or
// before t.
func (s *scoring) prerequisitesMissing(a *scenarios.Action, t time.Duration) []string {
	var missing []string
	for _, p := range a.After {
		done := false
		for _, r := range s.records[p] {
			if r.T <= t {
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

// firstRecords are the sequence numbers of the first records of the actions named, those
// recorded at all: the evidence of an order gap, the prerequisites done late.
func (s *scoring) firstRecords(actions []string) []int64 {
	var seqs []int64
	for _, p := range actions {
		if rs := s.records[p]; len(rs) > 0 {
			seqs = append(seqs, rs[0].Seq)
		}
	}
	return seqs
}

// decisionItem scores decision d put to team by the delivery event del (design/scoring.md,
// "Credit of a decision item" and its v2 precisions).
func (s *scoring) decisionItem(d *scenarios.Decision, team string, del engine.Event) Item {
	it := Item{
		Kind: KindDecision, ID: d.Name, Team: team,
		Capability: d.Capability, Phase: d.Phase, Expected: d.Expected,
		TriggeredAt: Duration(del.T), Weight: weightOf(d.Weight),
		Gaps: []string{}, Evidence: []int64{del.Seq},
	}
	if d.Due > 0 {
		it.Due, it.Deadline = durPtr(d.Due), durPtr(del.T+d.Due)
	}
	if inj := s.injects[del.Inject]; inj != nil {
		it.Title = inj.Subject
	}
	k := answerKey{d.Name, team}
	// The first answer counts; looked up rather than searched for, so that scoring stays
	// linear in the log when thousands of decisions are put.
	e, answered := s.answers[k]
	def, defaulted := s.defaults[k]
	switch {
	case answered && (!defaulted || e.Seq < def.Seq):
		late := d.Due > 0 && e.T > del.T+d.Due
		credit := ratFloat(DecisionCredit(d, e.Option, late))
		if late {
			it.Gaps = append(it.Gaps, GapLate)
		}
		switch option := d.OptionCredit(e.Option); {
		case option <= 0:
			it.Gaps = append(it.Gaps, GapWrongChoice)
		case option < 1:
			it.Gaps = append(it.Gaps, GapPartial)
		}
		it.Status, it.Credit = StatusScored, &credit
		it.Answer, it.By, it.DoneAt = e.Option, e.Team, durPtr(e.T)
		it.Evidence = append(it.Evidence, e.Seq)
	case defaulted:
		it.Status, it.Credit, it.Defaulted = StatusScored, new(float64), true
		it.Answer, it.DoneAt = def.Option, durPtr(def.T)
		it.Gaps = append(it.Gaps, GapMissed)
		it.Evidence = append(it.Evidence, def.Seq)
	case !s.ended || (d.Due > 0 && s.endT < del.T+d.Due):
		// The team may still answer, or the exercise stopped before the answer was due: not
		// yet a gap.
		it.Status = StatusOpen
	default:
		it.Status, it.Credit = StatusScored, new(float64)
		it.Gaps = append(it.Gaps, GapMissed)
		it.Evidence = append(it.Evidence, s.endSeq)
	}
	return it
}

// scores computes the weighted scores and their ratings over the scored items, by group and
// by objective (an objective's items are those of its capabilities).
func scores(items []Item, objectives []*scenarios.Objective) (Scores, Ratings) {
	var overall weighted
	byTeam, byCap, byPhase, byObj := map[string]*weighted{}, map[string]*weighted{}, map[string]*weighted{}, map[string]*weighted{}
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
		for _, o := range objectives {
			if it.Capability != "" && slices.Contains(o.Capabilities, it.Capability) {
				add(byObj, o.Name, *it.Credit, it.Weight)
			}
		}
	}
	sc := Scores{ByTeam: map[string]float64{}, ByCapability: map[string]float64{}, ByPhase: map[string]float64{}, ByObjective: map[string]float64{}}
	rt := Ratings{ByTeam: map[string]string{}, ByCapability: map[string]string{}, ByPhase: map[string]string{}, ByObjective: map[string]string{}}
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
	fill(sc.ByObjective, rt.ByObjective, byObj)
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
		return fmt.Sprintf("the exercise ended at %s", HumanTime(s.endT))
	}
	return fmt.Sprintf("the log stops at %s", HumanTime(s.endT))
}
