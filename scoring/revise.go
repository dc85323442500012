package scoring

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Revision is a proposed next version of a plan (design/scoring.md, "Plan revisions").
type Revision struct {
	File       string `json:"file"`
	Plan       string `json:"plan"`
	OldVersion string `json:"old_version"`
	NewVersion string `json:"new_version"` // equal to OldVersion when nothing changed
	// Exercises are the ids of the reports the revision is drawn from, in the order given.
	Exercises []string `json:"exercises"`
	// MinExercises is the evidence a rule needed: the action scored in at least that many.
	MinExercises int `json:"min_exercises"`
	// Changes are the edits made, in file order, the version bump last.
	Changes []Change `json:"changes"`
	// Recommendations are the gaps that did not change the plan, each with the corrective
	// action it calls for instead and why the plan was not changed.
	Recommendations []Recommendation `json:"recommendations"`
	// Summary says in a sentence what the revision did, or that it changed nothing.
	Summary string `json:"summary"`
	// Source is the revised file; Diff the unified diff from the original ("" when equal).
	Source []byte `json:"-"`
	Diff   string `json:"diff"`
}

// Changed reports whether the revision edits the plan.
func (rv Revision) Changed() bool { return len(rv.Changes) > 0 }

// Change is one edit of the plan and why.
type Change struct {
	Action    string `json:"action,omitempty"` // "" for the version
	Attribute string `json:"attribute"`        // "owner", "due" or "version"
	Old       string `json:"old"`
	New       string `json:"new"`
	Rule      string `json:"rule"` // the gap kind behind it; "" for the version
	// Reason is the sentence written as a comment above the changed line.
	Reason   string     `json:"reason"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Evidence is the scored item of one exercise that a change or recommendation rests on.
type Evidence struct {
	Exercise    string    `json:"exercise"`
	TriggeredAt Duration  `json:"triggered_at"`
	DoneAt      *Duration `json:"done_at,omitempty"`
	By          string    `json:"by,omitempty"`
	Gaps        []string  `json:"gaps"`
	// Advanced says the facilitator advanced the clock between the trigger and the record:
	// the time observed was not all the team's.
	Advanced bool `json:"advanced,omitempty"`
}

func (e Evidence) has(gap string) bool { return slices.Contains(e.Gaps, gap) }

// Recommendation is a gap that did not change the plan: the corrective action it calls for
// instead, and why the plan was not changed.
type Recommendation struct {
	Action   string     `json:"action"`
	Rule     string     `json:"rule"` // the gap kind
	Element  string     `json:"element"`
	Text     string     `json:"text"`
	Why      string     `json:"why"`
	Evidence []Evidence `json:"evidence"`
}

// ReviseOptions tune the revision rules.
type ReviseOptions struct {
	// MinExercises is how many of the exercises given must have scored an action before a
	// rule may change it; 0 means DefaultMinExercises.
	MinExercises int
}

// DefaultMinExercises is the evidence a rule needs unless told otherwise (scoring.md v2).
const DefaultMinExercises = 2

// planAction is what Revise reads of an action block of the file.
type planAction struct {
	name       string
	owner      string
	due        string
	fixed      bool
	critical   bool
	escalateTo string
}

// planFile is what Revise reads of the plan in the file: its version, its teams (true for an
// external one) and its actions in file order.
type planFile struct {
	version string
	teams   map[string]bool
	actions []planAction
}

// revising is one revision being made: the rules' inputs and what they have decided.
type revising struct {
	rv         *Revision
	min        int
	plan       planFile
	newVersion string
}

// Revise applies the plan-revision rules of design/scoring.md (v2) to the plan in file (its
// content src) from the reports of finished exercises of that plan. A rule changes an action
// only on evidence: scored in at least opts.MinExercises of the exercises, its condition
// holding in every one (an exercise where the action was prompted is no evidence for the
// owner or the deadline):
//   - ownerRule: wrong_owner, always done by the same team X: owner = team.X;
//   - lateRule: late, and neither fixed nor critical: due = the median observed time from
//     trigger to record, rounded up to 5 minutes and at most twice the due;
//   - every other gap, and these short of evidence, is a recommendation with its reason.
//
// It edits with hclwrite, so comments and layout survive, writes a comment with the evidence
// above each changed line, and bumps `version` when anything changed; otherwise the file is
// left byte for byte as it was and Summary says so. The revised file must load as the original
// did; a revision that would not is an error, not a proposal.
func Revise(file string, src []byte, reports []Report, opts ReviseOptions) (Revision, error) {
	rv := Revision{File: file, Exercises: []string{}, Changes: []Change{}, Recommendations: []Recommendation{}, Source: src,
		MinExercises: cmp.Or(opts.MinExercises, DefaultMinExercises)}
	if err := checkReports(&rv, reports); err != nil {
		return rv, err
	}
	plan, err := readPlan(file, src, rv.Plan)
	if err != nil {
		return rv, err
	}
	rv.OldVersion, rv.NewVersion = plan.version, plan.version
	f, diags := hclwrite.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return rv, engine.Errorf(engine.EInvalid, "%s", diags.Error())
	}
	planBlock := f.Body().FirstMatchingBlock("plan", []string{rv.Plan})
	if planBlock == nil {
		return rv, engine.Errorf(engine.EInvalid, "%s has no plan %q", file, rv.Plan)
	}
	r := &revising{rv: &rv, min: rv.MinExercises, plan: plan, newVersion: bumpVersion(plan.version)}
	for _, a := range plan.actions {
		block := planBlock.Body().FirstMatchingBlock("action", []string{a.name})
		ev := evidenceOf(a.name, reports)
		if block == nil || len(ev) == 0 {
			continue
		}
		var comments []pendingComment
		comments = append(comments, r.ownerRule(a, ev, block.Body())...)
		comments = append(comments, r.lateRule(a, ev, block.Body())...)
		r.otherGaps(a, ev)
		if err := insertComments(block.Body(), comments); err != nil {
			return rv, err
		}
	}
	r.decisionGaps(reports)
	if !rv.Changed() {
		rv.Summary = fmt.Sprintf("No change: no rule had the evidence it needs in the %s given; the plan is left as it is, and each gap is listed with why.",
			count(len(rv.Exercises), "exercise"))
		return rv, nil
	}
	if err := r.bumpVersion(planBlock.Body()); err != nil {
		return rv, err
	}
	rv.Source = revisedBytes(f)
	name := strings.TrimLeft(filepath.ToSlash(file), "/")
	rv.Diff = string(scenarios.UnifiedDiff("a/"+name, "b/"+name, src, rv.Source))
	rv.Summary = fmt.Sprintf("Version %s: %s from the %s given.", rv.NewVersion, count(len(rv.Changes)-1, "change"), count(len(rv.Exercises), "exercise"))
	return rv, stillLoads(file, src, rv.Source)
}

// checkReports checks that the reports are of finished exercises of one plan, each given
// once, and notes their ids and plan.
func checkReports(rv *Revision, reports []Report) error {
	if len(reports) == 0 {
		return engine.Errorf(engine.EInvalid, "revise needs the report of at least one finished exercise of the plan")
	}
	seen := map[string]bool{}
	for _, r := range reports {
		if seen[r.Exercise.ID] {
			return engine.Errorf(engine.EInvalid, "exercise %s is given twice: each exercise counts once", r.Exercise.ID)
		}
		seen[r.Exercise.ID] = true
		if r.Exercise.Status != ExerciseEnded {
			return engine.Errorf(engine.EInvalid, "exercise %s has not ended: revise uses finished exercises only", r.Exercise.ID)
		}
		if r.Exercise.Plan != reports[0].Exercise.Plan {
			return engine.Errorf(engine.EInvalid, "exercises %s and %s ran different plans (%s, %s): revise one plan at a time",
				reports[0].Exercise.ID, r.Exercise.ID, reports[0].Exercise.Plan, r.Exercise.Plan)
		}
		rv.Exercises = append(rv.Exercises, r.Exercise.ID)
	}
	rv.Plan = reports[0].Exercise.Plan
	return nil
}

// evidenceOf gathers, over the reports, the scored item of action name in each, and whether
// the facilitator advanced the clock between its trigger and its record.
func evidenceOf(name string, reports []Report) []Evidence {
	var ev []Evidence
	for _, r := range reports {
		for _, it := range r.Items {
			if it.Kind != KindAction || it.ID != name || !it.Scored() {
				continue
			}
			ev = append(ev, Evidence{Exercise: r.Exercise.ID, TriggeredAt: it.TriggeredAt, DoneAt: it.DoneAt, By: it.By,
				Gaps: it.Gaps, Advanced: advancedDuring(r, it)})
			break
		}
	}
	return ev
}

// advancedDuring reports whether a clock `advanced` event has a seq between the item's
// trigger and its record (scoring.md v2, "Revisions, exactly").
func advancedDuring(r Report, it Item) bool {
	if it.DoneAt == nil || len(it.Evidence) < 2 {
		return false
	}
	from, to := it.Evidence[0], it.Evidence[1]
	for _, te := range r.Timeline {
		if te.Kind == engine.KindClock && te.Clock == engine.ClockAdvanced && te.Seq > from && te.Seq < to {
			return true
		}
	}
	return false
}

// unprompted leaves out the exercises where the item was prompted: no evidence for the owner
// or the deadline.
func unprompted(ev []Evidence) []Evidence {
	var out []Evidence
	for _, e := range ev {
		if !e.has(GapPrompted) {
			out = append(out, e)
		}
	}
	return out
}

// shortOfEvidence says why a gap does not meet the evidence rule over ev (the exercises that
// count for it), or "" when it does: the action scored in at least min of them, with the gap
// in every one.
func (r *revising) shortOfEvidence(gap string, ev []Evidence, prompted int) string {
	with := 0
	for _, e := range ev {
		if e.has(gap) {
			with++
		}
	}
	note := ""
	if prompted > 0 {
		note = fmt.Sprintf(" (%s where it was prompted left out)", count(prompted, "exercise"))
	}
	switch {
	case len(ev) < r.min:
		return fmt.Sprintf("seen in %d of the %d exercises needed%s", with, r.min, note)
	case with < len(ev):
		return fmt.Sprintf("seen in %d of the %d exercises in which it was scored%s: the rule needs it in every one", with, len(ev), note)
	}
	return ""
}

// recommend lists a gap that did not change the plan.
func (r *revising) recommend(a planAction, gap, element, text, why string, ev []Evidence) {
	r.rv.Recommendations = append(r.rv.Recommendations, Recommendation{
		Action: a.name, Rule: gap, Element: element, Text: text, Why: why, Evidence: ev,
	})
}

func anyHas(ev []Evidence, gap string) bool {
	return slices.ContainsFunc(ev, func(e Evidence) bool { return e.has(gap) })
}

// ownerRule: wrong_owner in every exercise that counts, always done by the same team X, not
// external and not the action's escalate_to: owner = team.X.
func (r *revising) ownerRule(a planAction, all []Evidence, body *hclwrite.Body) []pendingComment {
	if !anyHas(all, GapWrongOwner) {
		return nil
	}
	ev := unprompted(all)
	const text = "Confirm who owns the step: brief the owner on its responsibility and on the hand-over, or assign it in the plan to the team that does it."
	why := r.shortOfEvidence(GapWrongOwner, ev, len(all)-len(ev))
	x := ""
	if why == "" {
		x = sameBy(ev)
		external, known := r.plan.teams[x]
		switch {
		case x == "":
			why = "done by different teams: no one team to give it to"
		case !known:
			why = fmt.Sprintf("done by %s, which is not a team of the plan", x)
		case external:
			why = fmt.Sprintf("done by %s, an external party, which owns no action", x)
		case x == a.escalateTo:
			why = fmt.Sprintf("done by %s, the team it escalates to, which cannot own it: split the action, or brief %s on it", x, a.owner)
		case x == a.owner:
			why = "done by its owner"
		}
	}
	if why != "" {
		r.recommend(a, GapWrongOwner, ElementOrganisation, fmt.Sprintf("%s was not done by %s. %s", a.name, a.owner, text), "The plan is not changed: "+why+".", all)
		return nil
	}
	reason := fmt.Sprintf("ttx revise %s: owner was team.%s; wrong_owner in every exercise, always done by %s: %s",
		r.newVersion, a.owner, x, evidenceList(ev, false))
	body.SetAttributeTraversal("owner", hcl.Traversal{hcl.TraverseRoot{Name: "team"}, hcl.TraverseAttr{Name: x}})
	r.rv.Changes = append(r.rv.Changes, Change{Action: a.name, Attribute: "owner", Old: "team." + a.owner, New: "team." + x,
		Rule: GapWrongOwner, Reason: reason, Evidence: ev})
	return []pendingComment{{"owner", reason}}
}

// lateRule: late in every exercise that counts, the action neither fixed nor critical: due =
// the median time from trigger to record over the exercises where the clock was not advanced
// in between (at least min of them), rounded up to 5 minutes, at most twice the current due.
func (r *revising) lateRule(a planAction, all []Evidence, body *hclwrite.Body) []pendingComment {
	if !anyHas(all, GapLate) {
		return nil
	}
	text := fmt.Sprintf("Drill %s on %s until it is done within its %s, and prepare what it needs in advance; if it cannot be, raise the resourcing question.", a.owner, a.name, a.due)
	ev := unprompted(all)
	why := r.shortOfEvidence(GapLate, ev, len(all)-len(ev))
	switch {
	case why != "":
	case a.fixed:
		why = "its deadline is fixed, a legal deadline, never relaxed"
	case a.critical:
		why = "it is a safety-critical step, whose deadline is never relaxed"
	}
	old, err := time.ParseDuration(a.due)
	if why == "" && err != nil {
		why = fmt.Sprintf("its due %q is not a duration the rule can relax", a.due)
	}
	var observed []time.Duration
	var kept []Evidence
	if why == "" {
		for _, e := range ev {
			if e.DoneAt != nil && !e.Advanced {
				observed = append(observed, time.Duration(*e.DoneAt)-time.Duration(e.TriggeredAt))
				kept = append(kept, e)
			}
		}
		if len(observed) < r.min {
			why = fmt.Sprintf("the facilitator advanced the clock during %s, leaving %d of the %d observed times needed",
				count(len(ev)-len(observed), "of them"), len(observed), r.min)
		}
	}
	if why != "" {
		r.recommend(a, GapLate, ElementTraining, fmt.Sprintf("%s was late. %s", a.name, text), "The plan is not changed: "+why+".", all)
		return nil
	}
	median := medianDuration(observed)
	due, capped := roundUp(median, 5*time.Minute), ""
	if due > 2*old {
		due, capped = 2*old, ", then capped at twice the due"
	}
	newDue := scenarios.ShortDuration(due)
	reason := fmt.Sprintf("ttx revise %s: due was %q; late in every exercise, median %s from trigger to record, rounded up to %s%s: %s",
		r.newVersion, a.due, median, newDue, capped, evidenceList(kept, true))
	body.SetAttributeValue("due", cty.StringVal(newDue))
	r.rv.Changes = append(r.rv.Changes, Change{Action: a.name, Attribute: "due", Old: a.due, New: newDue,
		Rule: GapLate, Reason: reason, Evidence: kept})
	return []pendingComment{{"due", reason}}
}

// otherGaps lists the gaps no rule edits the plan for, with the corrective action each
// calls for.
func (r *revising) otherGaps(a planAction, ev []Evidence) {
	for _, g := range []struct{ gap, element, text, why string }{
		{GapMissed, ElementTraining,
			fmt.Sprintf("%s was missed: make its trigger explicit in %s's playbook, add it to their checklist and train them on it.", a.name, a.owner),
			"a step not done is trained, never dropped from the plan"},
		{GapPrompted, ElementTraining,
			fmt.Sprintf("%s was done only once the scenario prompted it: train %s to start it on its own signal.", a.name, a.owner),
			"the step is right; the team needs it in hand"},
		{GapOutOfOrder, ElementPlanning,
			fmt.Sprintf("%s was done out of order: add a checklist to %s's playbook that puts the steps before it first.", a.name, a.owner),
			"the order is right; the playbook should carry it"},
	} {
		if anyHas(ev, g.gap) {
			r.recommend(a, g.gap, g.element, g.text, "The plan is not changed: no rule edits it for "+gapName(g.gap)+" ("+g.why+").", ev)
		}
	}
}

// decisionGaps lists the decisions' gaps: a decision is the scenario's, not the plan's, so
// none changes the plan.
func (r *revising) decisionGaps(reports []Report) {
	type key struct{ id, gap string }
	var order []key
	byKey := map[key][]Evidence{}
	for _, rep := range reports {
		for _, it := range rep.Items {
			if it.Kind != KindDecision || !it.Scored() {
				continue
			}
			for _, g := range it.Gaps {
				k := key{it.ID, g}
				if byKey[k] == nil {
					order = append(order, k)
				}
				byKey[k] = append(byKey[k], Evidence{Exercise: rep.Exercise.ID, TriggeredAt: it.TriggeredAt, DoneAt: it.DoneAt, By: it.Team, Gaps: it.Gaps})
			}
		}
	}
	for _, k := range order {
		r.recommend(planAction{name: k.id}, k.gap, ElementTraining,
			fmt.Sprintf("Decision %s (%s): brief the deciding teams on the plan's criteria and who decides, with a deputy.", k.id, gapName(k.gap)),
			"The plan is not changed: a decision and its credit are the scenario's, and no rule edits them.", byKey[k])
	}
}

// bumpVersion sets the plan's version to the next one, with a comment saying why.
func (r *revising) bumpVersion(planBody *hclwrite.Body) error {
	rv := r.rv
	reason := fmt.Sprintf("ttx revise: version %s follows %s, from exercises %s", r.newVersion, r.plan.version, strings.Join(rv.Exercises, ", "))
	if r.plan.version == "" {
		reason = fmt.Sprintf("ttx revise: version %s (the plan had none), from exercises %s", r.newVersion, strings.Join(rv.Exercises, ", "))
	}
	planBody.SetAttributeValue("version", cty.StringVal(r.newVersion))
	if err := insertComments(planBody, []pendingComment{{"version", reason}}); err != nil {
		return err
	}
	rv.Changes = append(rv.Changes, Change{Attribute: "version", Old: r.plan.version, New: r.newVersion, Reason: reason})
	rv.NewVersion = r.newVersion
	return nil
}

// medianDuration is the median of ds: the middle one, or the mean of the two middle ones.
func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// sameBy is the team that did the action in every exercise, or "".
func sameBy(ev []Evidence) string {
	by := ev[0].By
	for _, e := range ev {
		if e.By != by {
			return ""
		}
	}
	return by
}

func evidenceList(ev []Evidence, withTrigger bool) string {
	parts := make([]string, len(ev))
	for i, e := range ev {
		done := "—"
		if e.DoneAt != nil {
			done = e.DoneAt.String()
		}
		if withTrigger {
			parts[i] = fmt.Sprintf("%s triggered %s, recorded %s", e.Exercise, e.TriggeredAt, done)
		} else {
			parts[i] = fmt.Sprintf("%s at %s", e.Exercise, done)
		}
	}
	return strings.Join(parts, "; ")
}

func roundUp(d, step time.Duration) time.Duration {
	if r := d % step; r != 0 {
		return d + step - r
	}
	return d
}

var numericVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)

// bumpVersion returns the next version: the last number of a numeric version plus one, else
// the version with ".1" appended, and "1" for none.
func bumpVersion(v string) string {
	switch {
	case v == "":
		return "1"
	case numericVersion.MatchString(v):
		i := strings.LastIndexByte(v, '.') + 1
		n, err := strconv.Atoi(v[i:])
		if err != nil {
			return v + ".1"
		}
		return v[:i] + strconv.Itoa(n+1)
	default:
		return v + ".1"
	}
}

// readPlan reads from the file what the rules need of plan `name`: its version, its teams
// (and which are external) and each action's owner, due, fixed, critical and escalate_to.
func readPlan(file string, src []byte, name string) (planFile, error) {
	parsed, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return planFile{}, engine.Errorf(engine.EInvalid, "%s", diags.Error())
	}
	body, ok := parsed.Body.(*hclsyntax.Body)
	if !ok {
		return planFile{}, engine.Errorf(engine.EInvalid, "%s: not native HCL syntax", file)
	}
	for _, b := range body.Blocks {
		if b.Type != "plan" || len(b.Labels) != 1 || b.Labels[0] != name {
			continue
		}
		p := planFile{version: stringAttr(b.Body, "version"), teams: map[string]bool{}}
		for _, inner := range b.Body.Blocks {
			switch {
			case inner.Type == "team" && len(inner.Labels) == 1:
				p.teams[inner.Labels[0]] = boolAttr(inner.Body, "external")
			case inner.Type == "action" && len(inner.Labels) == 1:
				p.actions = append(p.actions, planAction{
					name:       inner.Labels[0],
					owner:      refAttr(inner.Body, "owner"),
					due:        stringAttr(inner.Body, "due"),
					escalateTo: refAttr(inner.Body, "escalate_to"),
					fixed:      boolAttr(inner.Body, "fixed"),
					critical:   boolAttr(inner.Body, "critical"),
				})
			}
		}
		return p, nil
	}
	return planFile{}, engine.Errorf(engine.EInvalid, "%s has no plan %q: give the file that defines the plan the exercises ran", file, name)
}

func boolAttr(body *hclsyntax.Body, name string) bool {
	attr := body.Attributes[name]
	if attr == nil {
		return false
	}
	v, d := attr.Expr.Value(nil)
	return !d.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() && v.True()
}

func stringAttr(body *hclsyntax.Body, name string) string {
	attr := body.Attributes[name]
	if attr == nil {
		return ""
	}
	v, d := attr.Expr.Value(nil)
	if d.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
		return ""
	}
	return v.AsString()
}

// refAttr reads a reference like team.irt and returns its last name ("irt").
func refAttr(body *hclsyntax.Body, name string) string {
	attr := body.Attributes[name]
	if attr == nil {
		return ""
	}
	tr, d := hcl.AbsTraversalForExpr(attr.Expr)
	if d.HasErrors() || len(tr) != 2 {
		return ""
	}
	if ta, ok := tr[1].(hcl.TraverseAttr); ok {
		return ta.Name
	}
	return ""
}

// pendingComment is a comment to write above an attribute's line.
type pendingComment struct {
	attr string
	text string
}

// insertComments writes each comment on its own line directly above its attribute, at the
// attribute's indentation. hclwrite has no API to add a lead comment, so the body is rebuilt
// from its own tokens with the comment tokens spliced in before each attribute's name; every
// other token, comments and spacing included, is kept as it was.
func insertComments(body *hclwrite.Body, comments []pendingComment) error {
	if len(comments) == 0 {
		return nil
	}
	// A new attribute (a version the plan lacked) comes without indentation: give it that of
	// the body's other attributes.
	indent := 0
	for _, attr := range body.Attributes() {
		if toks := attr.BuildTokens(nil); len(toks) > len(attr.LeadComments()) {
			indent = max(indent, toks[len(attr.LeadComments())].SpacesBefore)
		}
	}
	before := map[*hclwrite.Token]string{}
	for _, c := range comments {
		attr := body.GetAttribute(c.attr)
		if attr == nil {
			return engine.Errorf(engine.EInternal, "revise: attribute %s vanished while editing", c.attr)
		}
		toks := attr.BuildTokens(nil)
		name := toks[len(attr.LeadComments())]
		if name.SpacesBefore == 0 {
			name.SpacesBefore = indent
			if eq := toks[len(attr.LeadComments())+1]; eq.SpacesBefore == 0 {
				eq.SpacesBefore = 1
			}
		}
		// A value set by hclwrite starts without a space after "=".
		if expr := attr.Expr().BuildTokens(nil); len(expr) > 0 && expr[0].SpacesBefore == 0 {
			expr[0].SpacesBefore = 1
		}
		before[name] += commentLine(c.text)
	}
	toks := body.BuildTokens(nil)
	out := make(hclwrite.Tokens, 0, len(toks)+len(comments))
	for _, t := range toks {
		if text, ok := before[t]; ok {
			indent := t.SpacesBefore
			for _, l := range strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n") {
				out = append(out, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimSuffix(l, "\n") + "\n"), SpacesBefore: indent})
			}
		}
		out = append(out, t)
	}
	body.Clear()
	body.AppendUnstructuredTokens(out)
	return nil
}

// revisedBytes writes the revised file token for token, so that every line the revision does
// not change is byte for byte as it was (scoring.md v2): a changed value keeps its line's
// alignment, and nothing else is reformatted.
func revisedBytes(f *hclwrite.File) []byte {
	var buf bytes.Buffer
	_, _ = f.BuildTokens(nil).WriteTo(&buf)
	return buf.Bytes()
}

// commentLine makes text one `#` comment line: no newline can end the comment early.
func commentLine(text string) string {
	text = strings.NewReplacer("\r", " ", "\n", " ").Replace(text)
	return "# " + text + "\n"
}

// stillLoads checks that the revised file loads on its own whenever the original does.
func stillLoads(planFile string, orig, revised []byte) error {
	name := path.Base(planFile)
	if !strings.HasSuffix(name, ".hcl") {
		name += ".hcl"
	}
	if _, d := scenarios.LoadFS(fstest.MapFS{name: {Data: orig}}); d.HasErrors() {
		return nil // it needs other files to load; nothing to compare against alone
	}
	if _, d := scenarios.LoadFS(fstest.MapFS{name: {Data: revised}}); d.HasErrors() {
		return engine.Errorf(engine.EInternal, "revise: the revised plan would not validate: %s", d.Error())
	}
	return nil
}
