package scoring

import (
	"cmp"
	"slices"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// The live status of a critical task in an EEG.
const (
	TaskWaiting   = "waiting"    // not yet triggered or put to the team
	TaskPending   = "pending"    // triggered, not done, its deadline (if any) not passed
	TaskDone      = "done"       // done (recorded or answered) on time
	TaskLate      = "late"       // done after its deadline
	TaskMissed    = "missed"     // its deadline passed without it, or its default was recorded
	TaskNotPlayed = "not_played" // its team has not played (no participant joined, not marked)
)

// EEG is an Exercise Evaluation Guide (HSEEP) generated from the plan and the scenario: for
// each objective its capabilities, and under each capability its critical tasks (the plan
// actions and scored decisions of that capability, for the teams in play) with where each
// stands at the simulated time Now, the evaluators' observations of the capability so far and
// their ratings beside the automatic one. Capabilities no objective names come last, under an
// objective with no name ("Other capabilities").
type EEG struct {
	Exercise   string         `json:"exercise"`
	Status     string         `json:"status"`
	Now        Duration       `json:"now"`
	Objectives []EEGObjective `json:"objectives"`
}

// EEGObjective is one objective of an EEG.
type EEGObjective struct {
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	Score        *float64        `json:"score"`
	Rating       string          `json:"rating,omitempty"`
	Capabilities []EEGCapability `json:"capabilities"`
}

// EEGCapability is one capability of an EEG objective.
type EEGCapability struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Automatic is the capability's rating from its scored items, "" while none is scored.
	Automatic    string           `json:"automatic,omitempty"`
	Evaluators   *EvaluatorRating `json:"evaluators"` // nil before the first observation
	Tasks        []EEGTask        `json:"tasks"`
	Observations []Observation    `json:"observations"`
}

// EEGTask is one critical task: an action of the plan for its owner, or a decision for one
// team it is put to.
type EEGTask struct {
	Kind     string    `json:"kind"` // KindAction or KindDecision
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Team     string    `json:"team"`
	Critical bool      `json:"critical,omitempty"` // a plan action marked critical
	Status   string    `json:"status"`             // one of the Task* statuses
	Deadline *Duration `json:"deadline,omitempty"`
	DoneAt   *Duration `json:"done_at,omitempty"`
	By       string    `json:"by,omitempty"`
	Answer   string    `json:"answer,omitempty"` // decisions
}

// TaskStatus is where a critical task stands at simulated time now: its item in the report
// (nil when it has none yet) and whether its team is among the report's not played. This is
// the one rule of the evaluator's page and of the EEG endpoint.
func TaskStatus(it *Item, notPlayed bool, now time.Duration) string {
	switch {
	case notPlayed:
		return TaskNotPlayed
	case it == nil:
		return TaskWaiting
	case it.Defaulted:
		return TaskMissed
	case it.DoneAt != nil && slices.Contains(it.Gaps, GapLate):
		return TaskLate
	case it.DoneAt != nil:
		return TaskDone
	case slices.Contains(it.Gaps, GapMissed), it.Deadline != nil && now > time.Duration(*it.Deadline):
		return TaskMissed
	}
	return TaskPending
}

// NewEEG builds the EEG of the exercise of report r, played from scenario sc, at simulated
// time now.
func NewEEG(r Report, sc *scenarios.Scenario, now time.Duration) EEG {
	g := EEG{Exercise: r.Exercise.ID, Status: r.Exercise.Status, Now: Duration(now), Objectives: []EEGObjective{}}
	tasks := eegTasks(r, sc, now)
	named := map[string]bool{}
	for _, o := range r.Objectives {
		eo := EEGObjective{Name: o.Name, Title: o.Title, Rating: r.Ratings.ByObjective[o.Name], Capabilities: []EEGCapability{}}
		if v, ok := r.Score.ByObjective[o.Name]; ok {
			eo.Score = &v
		}
		for _, c := range o.Capabilities {
			named[c] = true
			eo.Capabilities = append(eo.Capabilities, eegCapability(r, c, tasks[c]))
		}
		g.Objectives = append(g.Objectives, eo)
	}
	other := EEGObjective{Title: "Other capabilities", Capabilities: []EEGCapability{}}
	for _, c := range eegCapabilityOrder(sc) {
		if !named[c] && len(tasks[c]) > 0 {
			other.Capabilities = append(other.Capabilities, eegCapability(r, c, tasks[c]))
		}
	}
	if len(other.Capabilities) > 0 {
		g.Objectives = append(g.Objectives, other)
	}
	return g
}

func eegCapability(r Report, c string, tasks []EEGTask) EEGCapability {
	ec := EEGCapability{Name: c, Title: CapabilityTitle(c), Automatic: r.Ratings.ByCapability[c],
		Tasks: tasks, Observations: []Observation{}}
	if ec.Tasks == nil {
		ec.Tasks = []EEGTask{}
	}
	if er, ok := r.EvaluatorRatings[c]; ok {
		ec.Evaluators = &er
	}
	for _, o := range r.Observations {
		if o.Capability == c {
			ec.Observations = append(ec.Observations, o)
		}
	}
	return ec
}

// eegCapabilityOrder is the capabilities of the plan's actions, then of the scenario's
// decisions, each once, in file order.
func eegCapabilityOrder(sc *scenarios.Scenario) []string {
	var out []string
	add := func(c string) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, a := range sc.Plan.Actions {
		add(a.Capability)
	}
	for _, in := range sc.Injects {
		if in.Decision != nil {
			add(in.Decision.Capability)
		}
	}
	return out
}

// eegTasks are the critical tasks by capability: every plan action whose owner is in play,
// then every scored decision for each team in play it is put to, in file order.
func eegTasks(r Report, sc *scenarios.Scenario, now time.Duration) map[string][]EEGTask {
	type key struct{ kind, id, team string }
	items := make(map[key]*Item, len(r.Items))
	for i := range r.Items {
		it := &r.Items[i]
		items[key{it.Kind, it.ID, it.Team}] = it
	}
	notPlayed := make(map[key]bool, len(r.NotPlayed))
	for _, np := range r.NotPlayed {
		notPlayed[key{np.Kind, np.ID, np.Team}] = true
	}
	inPlay := map[string]bool{}
	for _, t := range r.Exercise.TeamsInPlay {
		inPlay[t] = true
	}
	external := map[string]bool{}
	for _, t := range sc.Plan.Teams {
		external[t.Name] = t.External
	}
	out := map[string][]EEGTask{}
	add := func(capability string, t EEGTask) {
		k := key{t.Kind, t.ID, t.Team}
		it := items[k]
		t.Status = TaskStatus(it, notPlayed[k], now)
		if it != nil {
			t.Deadline, t.DoneAt, t.By, t.Answer = it.Deadline, it.DoneAt, it.By, it.Answer
		}
		out[capability] = append(out[capability], t)
	}
	for _, a := range sc.Plan.Actions {
		if a.Capability != "" && inPlay[a.Owner] {
			add(a.Capability, EEGTask{Kind: KindAction, ID: a.Name, Title: a.Title, Team: a.Owner, Critical: a.Critical})
		}
	}
	for _, in := range sc.Injects {
		d := in.Decision
		if d == nil || d.Capability == "" || d.IsDiscussion() {
			continue
		}
		for _, team := range sc.Plan.DecidingTeams(d, in.To) {
			if inPlay[team] && !external[team] {
				add(d.Capability, EEGTask{Kind: KindDecision, ID: d.Name, Title: cmp.Or(d.Prompt, in.Subject), Team: team})
			}
		}
	}
	return out
}
