// Package scenarios is the ttx scenario language (design/language.md): the model of plans,
// scenarios and rehearsals, loading and validating HCL files with positioned diagnostics,
// formatting, the `when` expressions, and the bundled library.
//
// It imports no other package of ttx; every other package builds on it.
package scenarios

import (
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

// Team is a group of participants with an escalation tier (1 reports, 2 responds, 3 supports,
// 4 decides).
type Team struct {
	Name      string
	Title     string
	Tier      int
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
	Injects   []*Inject // in file order
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Inject is one entry of the Master Scenario Events List.
type Inject struct {
	Name     string
	HasAt    bool          // true: due at At; false: due Delay after the After inject is delivered
	At       time.Duration // with HasAt
	After    string        // inject name, without HasAt
	Delay    time.Duration // with After; default 0
	To       []string      // team names, at least one
	Channel  string
	From     string
	Subject  string
	Body     string // Markdown
	Severity string // severity name, or ""
	// When is the condition evaluated when the inject comes due; nil means always.
	When      hcl.Expression
	Triggers  []string // action names
	Decision  *Decision
	Order     int // position in the scenario, from 0
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Decision is a question put to every team an inject is delivered to.
type Decision struct {
	Name       string
	Prompt     string
	Options    []Option // sorted by key, for a stable order
	Expected   string
	Capability string
	Phase      string
	Weight     float64 // default 1
	DeclRange  hcl.Range
	// AttrRanges holds the range of each attribute written, by name, for diagnostics and tools
	// that point at a line.
	AttrRanges map[string]hcl.Range
}

// Option is one answer to a decision.
type Option struct {
	Key   string
	Label string
}

// Rehearsal is a script of responses for playing a scenario headless.
type Rehearsal struct {
	Name         string
	ScenarioName string
	Steps        []Step // sorted by At, then file order
	DeclRange    hcl.Range
}

// Step kinds of a rehearsal, named as their blocks.
const (
	StepRespond  = "respond"
	StepEscalate = "escalate"
	StepChoose   = "choose"
	StepNote     = "note"
)

// Step is one scripted input of a rehearsal.
type Step struct {
	Kind      string // StepRespond, StepEscalate, StepChoose or StepNote
	Team      string // the acting team (respond, choose, note; `from` of escalate)
	Action    string // respond
	To        string // escalate
	Text      string // escalate, note
	Decision  string // choose
	Option    string // choose
	At        time.Duration
	Order     int // position in the file, from 0
	DeclRange hcl.Range
	// AttrRanges holds the range of each attribute written, by name, so a run can point at
	// the line of a step that fails.
	AttrRanges map[string]hcl.Range
}
