// Package scenarios is the ttx scenario language (design/language.md): the model of plans,
// scenarios and rehearsals, loading and validating HCL files with positioned diagnostics,
// formatting, the `when` expressions, and the bundled library.
//
// It imports no other package of ttx; every other package builds on it.
package scenarios

import (
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Phases are the six lifecycle phases an action or decision belongs to, in lifecycle order.
var Phases = []string{"preparation", "detection", "containment", "eradication", "recovery", "post_incident"}

// Channels are the ways an inject reaches a team; participants' pages style each differently.
var Channels = []string{"email", "phone", "chat", "news", "social", "ticket", "sitrep"}

// Set is everything loaded from a set of files: plans, scenarios and rehearsals by name, each
// scenario already resolved against its plan.
type Set struct {
	Plans      map[string]*Plan
	Scenarios  map[string]*Scenario
	Rehearsals map[string]*Rehearsal
	// Files holds the parsed sources by file name, for printing diagnostics with snippets.
	Files map[string]*hcl.File
}

// Plan is an organisation's response plan: teams, the severity ladder and expected actions.
type Plan struct {
	Name       string
	Title      string
	Version    string
	Teams      []*Team     // in file order
	Severities []*Severity // lowest level first
	Actions    []*Action   // in file order
	DeclRange  hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// EscalatedActions returns the actions that an escalation from team `from` to the teams `to`
// records (language.md): every action owned by from whose escalate_to is one of to, in plan
// order. The engine records them and scoring counts them by this one rule.
func (p *Plan) EscalatedActions(from string, to []string) []*Action {
	if p == nil {
		return nil
	}
	var out []*Action
	for _, a := range p.Actions {
		if a.Owner == from && a.EscalateTo != "" && slices.Contains(to, a.EscalateTo) {
			out = append(out, a)
		}
	}
	return out
}

// DecidingTeams returns the teams that decide d, put to the teams to (language.md v2): its
// DecidedBy, which the loader always resolves, else (a scenario built without the loader) the
// teams of to that are not external. The loader's default, the engine, scoring (with the
// recipients its log names) and the wire all read this one rule.
func (p *Plan) DecidingTeams(d *Decision, to []string) []string {
	if len(d.DecidedBy) > 0 {
		return d.DecidedBy
	}
	var by []string
	for _, name := range to {
		if t := p.team(name); t == nil || !t.External {
			by = append(by, name)
		}
	}
	return by
}

// team returns the plan's team named name, or nil.
func (p *Plan) team(name string) *Team {
	for _, t := range p.Teams {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Team is a group of participants with an escalation tier (1 reports, 2 responds, 3 supports,
// 4 decides).
type Team struct {
	Name  string
	Title string
	Tier  int
	// External (v2) marks a party outside the organisation (a regulator, the police, a key
	// customer): played by control, reached by escalation, never scored.
	External  bool
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Severity is one rung of a plan's severity ladder.
type Severity struct {
	Name      string
	Title     string
	Level     int
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Action is a step the plan expects, with its owner and a deadline counted from its trigger.
type Action struct {
	Name       string
	Title      string
	Owner      string // team name
	Phase      string
	Capability string
	Due        time.Duration
	After      []string // action names that should be done first
	EscalateTo string   // team name, or ""; done by sending an escalation to that team
	OnSeverity string   // severity name, or ""; triggered when the incident reaches it
	Weight     float64  // default 1
	Fixed      bool     // a legal deadline: revisions never relax it
	Critical   bool     // (v2) a safety or containment step: revisions never relax its deadline
	DeclRange  hcl.Range
	// Ranges of individual attributes, keyed by attribute name ("owner", "due", …), for
	// diagnostics and for plan revisions that point at a line.
	AttrRanges map[string]hcl.Range
}

// Scenario is one exercise: timed injects against a plan.
type Scenario struct {
	Name      string
	Title     string
	Summary   string
	PlanName  string
	Plan      *Plan // resolved at load
	Duration  time.Duration
	StartTime time.Time // zero when not given
	// Objectives (v2) say what the exercise sets out to test, in file order.
	Objectives []*Objective
	// Modules (v2) are named stretches of the timeline, in order of At (strictly increasing,
	// the first at 0).
	Modules   []*Module
	Injects   []*Inject // in file order
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Objective (v2) is what an exercise sets out to test, over some of the plan's capabilities.
type Objective struct {
	Name         string
	Title        string
	Capabilities []string
	DeclRange    hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Module (v2) is a named stretch of a scenario's timeline (CTEP/HSEEP), from its At to the
// next module's; its questions are put to every team in play when it starts.
type Module struct {
	Name      string
	Title     string
	At        time.Duration
	Questions []Question
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Question (v2) is a discussion question put to teams, answered in free text. ID names it by
// where it is put and its place there, counted from 1: "module.NAME.N" or "inject.NAME.N".
type Question struct {
	ID   string
	Text string
}

// Chain kinds (v2): what an inject's `after` names.
const (
	AfterInject   = "inject"
	AfterDecision = "decision"
	AfterAction   = "action"
)

// Inject is one entry of the Master Scenario Events List.
type Inject struct {
	Name  string
	HasAt bool          // true: due at At; false: due Delay after its After happened
	At    time.Duration // with HasAt
	// After names what the inject is chained to, without HasAt: an inject (delivered), a
	// decision (v2: first settled) or a plan action (v2: first recorded), as AfterKind says.
	After     string
	AfterKind string        // AfterInject, AfterDecision or AfterAction; "" with HasAt
	Delay     time.Duration // with After; default 0
	To        []string      // team names, at least one
	Channel   string
	From      string
	Subject   string
	Body      string // Markdown
	Severity  string // severity name, or ""
	// When is the condition evaluated when the inject comes due; nil means always.
	When      hcl.Expression
	Triggers  []string   // action names
	Prompts   []string   // (v2) action names the inject tells its teams to do (a contingency inject)
	Notes     string     // (v2) for facilitators and evaluators only, never participants
	Questions []Question // (v2) discussion questions put to the teams in To
	Decision  *Decision
	Order     int // position in the scenario, from 0
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Decision is a question put to teams an inject is delivered to. With neither Expected nor
// Credit (v2) it is a discussion: answered and reported, never scored.
type Decision struct {
	Name    string
	Prompt  string
	Options []Option // (v2) in the order written
	// DecidedBy (v2) are the teams that decide, resolved at load: the inject's `to` that are
	// not external unless `decided_by` says otherwise.
	DecidedBy []string
	Expected  string
	// Credit (v2) is each option's credit, from 0 to 1, when written instead of Expected;
	// options not listed earn 0. Nil without `credit`.
	Credit map[string]float64
	// Due (v2) is the time to answer from delivery; 0 means no deadline.
	Due time.Duration
	// Default (v2) is the option recorded for a deciding team that has not answered by Due, or "".
	Default    string
	Capability string
	Phase      string
	Weight     float64 // default 1
	DeclRange  hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// IsDiscussion reports whether the decision is unscored (v2): neither expected nor credit.
func (d *Decision) IsDiscussion() bool { return d.Expected == "" && d.Credit == nil }

// OptionCredit is the credit an answer earns before any lateness (v2): 1 for Expected, the
// option's Credit, else 0.
func (d *Decision) OptionCredit(option string) float64 {
	if d.Credit != nil {
		return d.Credit[option]
	}
	if option == d.Expected {
		return 1
	}
	return 0
}

// OptionKeys lists the decision's option keys in the order written.
func (d *Decision) OptionKeys() []string { return optionKeys(d.Options) }

// Option is one answer to a decision.
type Option struct {
	Key   string
	Label string
}

// Rehearsal is a script of responses for playing a scenario headless.
type Rehearsal struct {
	Name         string
	ScenarioName string
	// Teams (v2) are the teams that play; every team of the plan that is not external when
	// not written.
	Teams     []string
	Steps     []Step // sorted by At, then file order
	DeclRange hcl.Range
}

// Step kinds of a rehearsal, named as their blocks.
const (
	StepRespond  = "respond"
	StepEscalate = "escalate"
	StepChoose   = "choose"
	StepNote     = "note"
	StepAnswer   = "answer" // (v2) an answer to a discussion question
)

// Step is one scripted input of a rehearsal.
type Step struct {
	Kind      string // StepRespond, StepEscalate, StepChoose, StepNote or StepAnswer
	Team      string // the acting team (respond, choose, note; `from` of escalate)
	Action    string // respond
	To        string // escalate
	Text      string // escalate, note, answer
	Question  string // answer: the question's ID, such as "inject.forensics-in.1"
	Decision  string // choose
	Option    string // choose
	At        time.Duration
	Order     int // position in the file, from 0
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, so a run can point at
	// the line of a step that fails.
	AttrRanges map[string]hcl.Range
}
