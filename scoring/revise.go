package scoring

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
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
	// Changes are the edits made, in file order, the version bump last.
	Changes []Change `json:"changes"`
	// Recommendations are what the rules call for without an edit of the plan: corrective
	// actions for consistent misses and order gaps, and consistent lateness on a fixed
	// deadline.
	Recommendations []Recommendation `json:"recommendations"`
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
}

// Recommendation is a corrective action the revision proposes instead of an edit.
type Recommendation struct {
	Action   string     `json:"action"`
	Rule     string     `json:"rule"` // the gap kind seen in every exercise
	Element  string     `json:"element"`
	Text     string     `json:"text"`
	Evidence []Evidence `json:"evidence"`
}

// planAction is what Revise reads of an action block of the file.
type planAction struct {
	name       string
	owner      string
	due        string
	fixed      bool
	escalateTo string
}

// Revise applies the plan-revision rules of design/scoring.md to the plan in planFile (its
// content src) from the reports of finished exercises of that plan, each rule over the
// exercises in which the action was scored:
//   - wrong_owner in every one, always done by the same team X: owner = team.X (unless X is
//     the action's escalate_to, which would make the plan invalid: a recommendation instead);
//   - late in every one and the action not fixed: due = the slowest trigger-to-record time,
//     rounded up to the next 5 minutes (for a fixed action: a recommendation, never an edit);
//   - missed, or out_of_order, in every one: a recommendation, no edit.
//
// It edits with hclwrite, so comments and layout survive (a file in canonical layout stays
// in it: see revisedBytes), writes a comment with the evidence above each changed line, and
// bumps `version` (2.1 → 2.2, "3" → "4", anything else gets ".1" appended; a plan without one
// gets version "1") when anything changed. The revised file must load as the original did; a
// revision that would not is an error, not a proposal.
func Revise(planFile string, src []byte, reports []Report) (Revision, error) {
	rv := Revision{File: planFile, Exercises: []string{}, Changes: []Change{}, Recommendations: []Recommendation{}, Source: src}
	if len(reports) == 0 {
		return rv, engine.Errorf(engine.EInvalid, "revise needs the report of at least one finished exercise of the plan")
	}
	seen := map[string]bool{}
	for _, r := range reports {
		if seen[r.Exercise.ID] {
			return rv, engine.Errorf(engine.EInvalid, "exercise %s is given twice: each exercise counts once", r.Exercise.ID)
		}
		seen[r.Exercise.ID] = true
		if r.Exercise.Status != ExerciseEnded {
			return rv, engine.Errorf(engine.EInvalid, "exercise %s has not ended: revise uses finished exercises only", r.Exercise.ID)
		}
		if r.Exercise.Plan != reports[0].Exercise.Plan {
			return rv, engine.Errorf(engine.EInvalid, "exercises %s and %s ran different plans (%s, %s): revise one plan at a time",
				reports[0].Exercise.ID, r.Exercise.ID, reports[0].Exercise.Plan, r.Exercise.Plan)
		}
		rv.Exercises = append(rv.Exercises, r.Exercise.ID)
	}
	rv.Plan = reports[0].Exercise.Plan

	version, actions, teams, err := readPlan(planFile, src, rv.Plan)
	if err != nil {
		return rv, err
	}
	rv.OldVersion, rv.NewVersion = version, version

	f, diags := hclwrite.ParseConfig(src, planFile, hcl.InitialPos)
	if diags.HasErrors() {
		return rv, engine.Errorf(engine.EInvalid, "%s", diags.Error())
	}
	planBlock := f.Body().FirstMatchingBlock("plan", []string{rv.Plan})
	if planBlock == nil {
		return rv, engine.Errorf(engine.EInvalid, "%s has no plan %q", planFile, rv.Plan)
	}
	newVersion := bumpVersion(version)

	for _, a := range actions {
		ev, gapsInAll := evidenceOf(a.name, reports)
		if len(ev) == 0 {
			continue
		}
		block := planBlock.Body().FirstMatchingBlock("action", []string{a.name})
		if block == nil {
			continue
		}
		var comments []pendingComment

		if gapsInAll[GapWrongOwner] {
			if x := sameBy(ev); x != "" && x != a.owner && teams[x] {
				if x == a.escalateTo {
					rv.Recommendations = append(rv.Recommendations, Recommendation{
						Action: a.name, Rule: GapWrongOwner, Element: ElementOrganisation, Evidence: ev,
						Text: fmt.Sprintf("%s was done by %s in every exercise, but %s is the team it escalates to, so it cannot own it: split the action, or brief %s on it.",
							a.name, x, x, a.owner),
					})
				} else {
					reason := fmt.Sprintf("ttx revise %s: owner was team.%s; wrong_owner in every exercise, always done by %s: %s",
						newVersion, a.owner, x, evidenceList(ev, false))
					block.Body().SetAttributeTraversal("owner", hcl.Traversal{hcl.TraverseRoot{Name: "team"}, hcl.TraverseAttr{Name: x}})
					comments = append(comments, pendingComment{"owner", reason})
					rv.Changes = append(rv.Changes, Change{Action: a.name, Attribute: "owner", Old: "team." + a.owner, New: "team." + x,
						Rule: GapWrongOwner, Reason: reason, Evidence: ev})
				}
			}
		}
		if gapsInAll[GapLate] {
			slowest := time.Duration(0)
			for _, e := range ev {
				if e.DoneAt != nil {
					slowest = max(slowest, time.Duration(*e.DoneAt)-time.Duration(e.TriggeredAt))
				}
			}
			due := roundUp(slowest, 5*time.Minute)
			if a.fixed {
				rv.Recommendations = append(rv.Recommendations, Recommendation{
					Action: a.name, Rule: GapLate, Element: ElementTraining, Evidence: ev,
					Text: fmt.Sprintf("%s was late in every exercise (slowest %s against %s), but its deadline is fixed: it is not relaxed. Train %s to meet it and prepare the material in advance.",
						a.name, slowest, a.due, a.owner),
				})
			} else if old, err := time.ParseDuration(a.due); err == nil && due > old {
				newDue := shortDuration(due)
				reason := fmt.Sprintf("ttx revise %s: due was %q; late in every exercise, slowest %s from trigger to record, rounded up to %s: %s",
					newVersion, a.due, slowest, newDue, evidenceList(ev, true))
				block.Body().SetAttributeValue("due", cty.StringVal(newDue))
				comments = append(comments, pendingComment{"due", reason})
				rv.Changes = append(rv.Changes, Change{Action: a.name, Attribute: "due", Old: a.due, New: newDue,
					Rule: GapLate, Reason: reason, Evidence: ev})
			}
		}
		if gapsInAll[GapMissed] {
			rv.Recommendations = append(rv.Recommendations, Recommendation{
				Action: a.name, Rule: GapMissed, Element: ElementTraining, Evidence: ev,
				Text: fmt.Sprintf("%s was missed in every exercise: make its trigger explicit in %s's playbook, add it to their checklist and train them on it.", a.name, a.owner),
			})
		}
		if gapsInAll[GapOutOfOrder] {
			rv.Recommendations = append(rv.Recommendations, Recommendation{
				Action: a.name, Rule: GapOutOfOrder, Element: ElementPlanning, Evidence: ev,
				Text: fmt.Sprintf("%s was done out of order in every exercise: add a checklist to %s's playbook that puts the steps before it first.", a.name, a.owner),
			})
		}
		if err := insertComments(block.Body(), comments); err != nil {
			return rv, err
		}
	}

	if len(rv.Changes) > 0 {
		reason := fmt.Sprintf("ttx revise: version %s follows %s, from exercises %s", newVersion, version, strings.Join(rv.Exercises, ", "))
		if version == "" {
			reason = fmt.Sprintf("ttx revise: version %s (the plan had none), from exercises %s", newVersion, strings.Join(rv.Exercises, ", "))
		}
		planBlock.Body().SetAttributeValue("version", cty.StringVal(newVersion))
		if err := insertComments(planBlock.Body(), []pendingComment{{"version", reason}}); err != nil {
			return rv, err
		}
		rv.Changes = append(rv.Changes, Change{Attribute: "version", Old: version, New: newVersion, Reason: reason})
		rv.NewVersion = newVersion
		rv.Source = revisedBytes(f, src)
		name := strings.TrimLeft(filepath.ToSlash(planFile), "/")
		rv.Diff = string(scenarios.UnifiedDiff("a/"+name, "b/"+name, src, rv.Source))
		if err := stillLoads(planFile, src, rv.Source); err != nil {
			return rv, err
		}
	}
	return rv, nil
}

// evidenceOf gathers, over the reports, the scored items of action name, and which gap kinds
// appear in every one of them.
func evidenceOf(name string, reports []Report) ([]Evidence, map[string]bool) {
	var ev []Evidence
	count := map[string]int{}
	for _, r := range reports {
		for _, it := range r.Items {
			if it.Kind != KindAction || it.ID != name || !it.Scored() {
				continue
			}
			ev = append(ev, Evidence{Exercise: r.Exercise.ID, TriggeredAt: it.TriggeredAt, DoneAt: it.DoneAt, By: it.By, Gaps: it.Gaps})
			seen := map[string]bool{}
			for _, g := range it.Gaps {
				if !seen[g] {
					seen[g] = true
					count[g]++
				}
			}
			break
		}
	}
	inAll := map[string]bool{}
	for g, n := range count {
		inAll[g] = len(ev) > 0 && n == len(ev)
	}
	return ev, inAll
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

// readPlan reads from the file what the rules need of plan `name`: its version, its teams and
// each action's owner, due, fixed and escalate_to.
func readPlan(planFile string, src []byte, name string) (string, []planAction, map[string]bool, error) {
	file, diags := hclsyntax.ParseConfig(src, planFile, hcl.InitialPos)
	if diags.HasErrors() {
		return "", nil, nil, engine.Errorf(engine.EInvalid, "%s", diags.Error())
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return "", nil, nil, engine.Errorf(engine.EInvalid, "%s: not native HCL syntax", planFile)
	}
	for _, b := range body.Blocks {
		if b.Type != "plan" || len(b.Labels) != 1 || b.Labels[0] != name {
			continue
		}
		version := stringAttr(b.Body, "version")
		teams := map[string]bool{}
		var actions []planAction
		for _, inner := range b.Body.Blocks {
			switch {
			case inner.Type == "team" && len(inner.Labels) == 1:
				teams[inner.Labels[0]] = true
			case inner.Type == "action" && len(inner.Labels) == 1:
				a := planAction{
					name:       inner.Labels[0],
					owner:      refAttr(inner.Body, "owner"),
					due:        stringAttr(inner.Body, "due"),
					escalateTo: refAttr(inner.Body, "escalate_to"),
				}
				if attr := inner.Body.Attributes["fixed"]; attr != nil {
					if v, d := attr.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() {
						a.fixed = v.True()
					}
				}
				actions = append(actions, a)
			}
		}
		return version, actions, teams, nil
	}
	return "", nil, nil, engine.Errorf(engine.EInvalid, "%s has no plan %q: give the file that defines the plan the exercises ran", planFile, name)
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

// revisedBytes writes the revised file. When the original was in canonical layout (ttx fmt
// would leave it as it is), so is the revision: the comment lines it inserts split hclwrite's
// alignment groups, so the `=` of the lines beside a change are realigned, and nothing else
// moves. An original in the author's own layout is written token for token instead, so that
// the diff shows the changes and not a reformatting of the whole file.
func revisedBytes(f *hclwrite.File, orig []byte) []byte {
	var buf bytes.Buffer
	_, _ = f.BuildTokens(nil).WriteTo(&buf)
	if bytes.Equal(scenarios.Format(orig), orig) {
		return scenarios.Format(buf.Bytes())
	}
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
