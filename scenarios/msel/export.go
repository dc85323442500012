package msel

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/ttx-dev/ttx/scenarios"
)

// Workbook is an MSEL as text cells, sheet by sheet, each a header row and then its rows.
type Workbook struct {
	// MSEL holds one row per inject, in the order they come due.
	MSEL [][]string
	// Scenario holds the scenario's own fields, a row of field and value each.
	Scenario [][]string
	// Plan lists the plan's teams, severities and actions, for reference; import ignores it.
	Plan [][]string
}

// Sheet names of the XLSX.
const (
	SheetMSEL     = "MSEL"
	SheetScenario = "Scenario"
	SheetPlan     = "Plan"
)

// Export lays sc out as an MSEL. files are the parsed sources sc was loaded from
// (scenarios.Set.Files), from which a `when` condition is copied as written.
func Export(sc *scenarios.Scenario, files map[string]*hcl.File) Workbook {
	due := newDueTimes(sc)
	injects := append([]*scenarios.Inject(nil), sc.Injects...)
	sort.SliceStable(injects, func(i, j int) bool {
		a, b := due.of(injects[i]), due.of(injects[j])
		if a.at != b.at {
			return a.at < b.at
		}
		if a.depth != b.depth {
			return a.depth < b.depth
		}
		return injects[i].Order < injects[j].Order
	})
	wb := Workbook{MSEL: [][]string{Headers()}}
	for _, in := range injects {
		wb.MSEL = append(wb.MSEL, injectRow(sc, in, due.of(in), files))
	}
	wb.Scenario = scenarioRows(sc)
	wb.Plan = planRows(sc.Plan)
	return wb
}

// injectRow is in's row, its cells in the order of columns.
func injectRow(sc *scenarios.Scenario, in *scenarios.Inject, due dueTime, files map[string]*hcl.File) []string {
	cells := map[string]string{
		ColNumber:    strconv.Itoa(in.Order + 1),
		ColInject:    in.Name,
		ColModule:    moduleAt(sc, due.at),
		ColFrom:      in.From,
		ColTo:        strings.Join(in.To, ", "),
		ColChannel:   in.Channel,
		ColSubject:   in.Subject,
		ColBody:      in.Body,
		ColSeverity:  in.Severity,
		ColTriggers:  strings.Join(in.Triggers, ", "),
		ColPrompts:   strings.Join(in.Prompts, ", "),
		ColQuestions: questionLines(in.Questions),
		ColObjective: objectivesOf(sc, in),
		ColNotes:     in.Notes,
	}
	if in.HasAt {
		cells[ColTime] = FormatTime(in.At)
	} else {
		kind := in.AfterKind
		if kind == "" {
			kind = scenarios.AfterInject
		}
		cells[ColAfter] = kind + "." + in.After
		if in.Delay > 0 {
			cells[ColDelay] = scenarios.ShortDuration(in.Delay)
		}
	}
	if due.fixed && !sc.StartTime.IsZero() {
		cells[ColWallClock] = sc.StartTime.Add(due.at).Format("Mon 2 Jan 2006 15:04")
	}
	if in.When != nil {
		cells[ColCondition] = exprSource(in.When, files)
	}
	if d := in.Decision; d != nil {
		decisionCells(cells, sc, in, d)
	}
	row := make([]string, len(columns))
	for i, c := range columns {
		row[i] = cells[c.header]
	}
	return row
}

// decisionCells fills the decision's columns of an inject's row.
func decisionCells(cells map[string]string, sc *scenarios.Scenario, in *scenarios.Inject, d *scenarios.Decision) {
	cells[ColDecision] = d.Name
	cells[ColPrompt] = d.Prompt
	opts := make([]string, len(d.Options))
	var credit []string
	for i, o := range d.Options {
		opts[i] = o.Key + ": " + o.Label
		if c, ok := d.Credit[o.Key]; ok {
			credit = append(credit, o.Key+": "+strconv.FormatFloat(c, 'f', -1, 64))
		}
	}
	cells[ColOptions] = strings.Join(opts, "\n")
	cells[ColCredit] = strings.Join(credit, "\n")
	cells[ColExpected] = d.Expected
	if !sameTeams(d.DecidedBy, defaultDeciders(sc.Plan, in)) {
		cells[ColDecidedBy] = strings.Join(d.DecidedBy, ", ")
	}
	if d.Due > 0 {
		cells[ColDecisionDue] = scenarios.ShortDuration(d.Due)
	}
	cells[ColDefault] = d.Default
	cells[ColDecisionCap] = d.Capability
	cells[ColDecisionPh] = d.Phase
	if d.Weight != 1 {
		cells[ColDecisionWt] = strconv.FormatFloat(d.Weight, 'f', -1, 64)
	}
}

// defaultDeciders are the teams a decision is put to without decided_by: the inject's `to`
// that are not external (language.md).
func defaultDeciders(p *scenarios.Plan, in *scenarios.Inject) []string {
	external := map[string]bool{}
	if p != nil {
		for _, t := range p.Teams {
			external[t.Name] = t.External
		}
	}
	var out []string
	for _, t := range in.To {
		if !external[t] {
			out = append(out, t)
		}
	}
	return out
}

// sameTeams reports whether decided is what the loader resolves when decided_by is not
// written: every recipient that is not external. An empty DecidedBy (a v1 loader) is that too.
func sameTeams(decided, to []string) bool {
	if len(decided) == 0 {
		return true
	}
	return strings.Join(decided, ",") == strings.Join(to, ",")
}

func questionLines(qs []scenarios.Question) string {
	lines := make([]string, len(qs))
	for i, q := range qs {
		lines[i] = q.Text
	}
	return strings.Join(lines, "\n")
}

// objectivesOf lists the capabilities the inject's expected actions and decision serve, each
// under the objective that covers it when the scenario has objectives.
func objectivesOf(sc *scenarios.Scenario, in *scenarios.Inject) string {
	var caps []string
	seen := map[string]bool{}
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			caps = append(caps, c)
		}
	}
	for _, name := range in.Triggers {
		for _, a := range sc.Plan.Actions {
			if a.Name == name {
				add(a.Capability)
			}
		}
	}
	if in.Decision != nil {
		add(in.Decision.Capability)
	}
	var lines []string
	covered := map[string]bool{}
	for _, o := range sc.Objectives {
		var served []string
		for _, c := range o.Capabilities {
			if seen[c] {
				served = append(served, c)
				covered[c] = true
			}
		}
		if len(served) > 0 {
			lines = append(lines, fmt.Sprintf("%s (%s)", o.Name, strings.Join(served, ", ")))
		}
	}
	var rest []string
	for _, c := range caps {
		if !covered[c] {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		lines = append(lines, strings.Join(rest, ", "))
	}
	return strings.Join(lines, "\n")
}

// moduleAt names the module a time falls in: the last one starting at or before it.
func moduleAt(sc *scenarios.Scenario, at time.Duration) string {
	name := ""
	for _, m := range sc.Modules {
		if m.At <= at {
			name = m.Name
		}
	}
	return name
}

// exprSource is the text an expression was written as, from its file.
func exprSource(expr hcl.Expression, files map[string]*hcl.File) string {
	rng := expr.Range()
	f := files[rng.Filename]
	if f == nil || rng.End.Byte > len(f.Bytes) || rng.Start.Byte > rng.End.Byte {
		return ""
	}
	return string(f.Bytes[rng.Start.Byte:rng.End.Byte])
}

// scenarioRows are the rows of the Scenario sheet: field and value.
func scenarioRows(sc *scenarios.Scenario) [][]string {
	rows := [][]string{
		{"Field", "Value"},
		{"name", sc.Name},
		{"title", sc.Title},
		{"summary", sc.Summary},
		{"plan", sc.PlanName},
		{"duration", scenarios.ShortDuration(sc.Duration)},
	}
	if !sc.StartTime.IsZero() {
		rows = append(rows, []string{"start_time", sc.StartTime.Format(time.RFC3339)})
	} else {
		rows = append(rows, []string{"start_time", ""})
	}
	for _, o := range sc.Objectives {
		rows = append(rows,
			[]string{"objective." + o.Name + ".title", o.Title},
			[]string{"objective." + o.Name + ".capabilities", strings.Join(o.Capabilities, ", ")})
	}
	for _, m := range sc.Modules {
		rows = append(rows,
			[]string{"module." + m.Name + ".title", m.Title},
			[]string{"module." + m.Name + ".at", scenarios.ShortDuration(m.At)})
		for _, q := range m.Questions {
			rows = append(rows, []string{"module." + m.Name + ".question", q.Text})
		}
	}
	return rows
}

// planRows are the rows of the Plan sheet: every team, severity and action of the plan.
func planRows(p *scenarios.Plan) [][]string {
	rows := [][]string{{"Kind", "Name", "Title", "Owner, tier or level", "Phase", "Capability", "Due", "Notes"}}
	if p == nil {
		return rows
	}
	for _, t := range p.Teams {
		note := ""
		if t.External {
			note = "external"
		}
		rows = append(rows, []string{"team", t.Name, t.Title, "tier " + strconv.Itoa(t.Tier), "", "", "", note})
	}
	for _, s := range p.Severities {
		rows = append(rows, []string{"severity", s.Name, s.Title, "level " + strconv.Itoa(s.Level), "", "", "", ""})
	}
	for _, a := range p.Actions {
		var notes []string
		if len(a.After) > 0 {
			notes = append(notes, "after "+strings.Join(a.After, ", "))
		}
		if a.EscalateTo != "" {
			notes = append(notes, "escalate to "+a.EscalateTo)
		}
		if a.OnSeverity != "" {
			notes = append(notes, "on severity "+a.OnSeverity)
		}
		if a.Fixed {
			notes = append(notes, "fixed deadline")
		}
		if a.Critical {
			notes = append(notes, "critical")
		}
		rows = append(rows, []string{"action", a.Name, a.Title, a.Owner, a.Phase, a.Capability, scenarios.ShortDuration(a.Due), strings.Join(notes, "; ")})
	}
	return rows
}

// FormatTime writes an offset as the MSEL's Time: T+H:MM, or T+H:MM:SS when it has seconds
// (T+1:30 is 1h30m); an offset with a fraction of a second as a Go duration.
func FormatTime(d time.Duration) string {
	if d%time.Second != 0 {
		return d.String()
	}
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	if s == 0 {
		return fmt.Sprintf("T+%d:%02d", h, m)
	}
	return fmt.Sprintf("T+%d:%02d:%02d", h, m, s)
}

// dueTime is when an inject is expected to come due, for ordering the rows: exact (fixed) for
// an `at` inject and a chain of injects from one, else the earliest it can.
type dueTime struct {
	at    time.Duration
	depth int // how many chain links from a fixed time
	fixed bool
}

// dueTimes works out every inject's dueTime once.
type dueTimes struct {
	sc       *scenarios.Scenario
	byName   map[string]*scenarios.Inject
	decision map[string]*scenarios.Inject // the inject carrying each decision
	memo     map[string]dueTime
	visiting map[string]bool
}

func newDueTimes(sc *scenarios.Scenario) *dueTimes {
	d := &dueTimes{sc: sc, byName: map[string]*scenarios.Inject{}, decision: map[string]*scenarios.Inject{},
		memo: map[string]dueTime{}, visiting: map[string]bool{}}
	for _, in := range sc.Injects {
		d.byName[in.Name] = in
		if in.Decision != nil {
			d.decision[in.Decision.Name] = in
		}
	}
	return d
}

func (d *dueTimes) of(in *scenarios.Inject) dueTime {
	if t, ok := d.memo[in.Name]; ok {
		return t
	}
	if d.visiting[in.Name] {
		return dueTime{at: d.sc.Duration}
	}
	d.visiting[in.Name] = true
	defer delete(d.visiting, in.Name)
	var t dueTime
	switch {
	case in.HasAt:
		t = dueTime{at: in.At, fixed: true}
	case in.AfterKind == scenarios.AfterDecision:
		t = d.after(d.decision[in.After], in.Delay)
		t.fixed = false
	case in.AfterKind == scenarios.AfterAction:
		t = d.after(d.triggerOf(in.After), in.Delay)
		t.fixed = false
	default:
		t = d.after(d.byName[in.After], in.Delay)
	}
	d.memo[in.Name] = t
	return t
}

// after is the due time delay after parent's.
func (d *dueTimes) after(parent *scenarios.Inject, delay time.Duration) dueTime {
	if parent == nil {
		return dueTime{at: d.sc.Duration}
	}
	p := d.of(parent)
	return dueTime{at: p.at + delay, depth: p.depth + 1, fixed: p.fixed}
}

// triggerOf is the inject that first triggers action, or nil.
func (d *dueTimes) triggerOf(action string) *scenarios.Inject {
	var first *scenarios.Inject
	for _, in := range d.sc.Injects {
		for _, a := range in.Triggers {
			if a == action && (first == nil || d.of(in).at < d.of(first).at) {
				first = in
			}
		}
	}
	return first
}
