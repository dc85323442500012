package scenarios

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

var rehearsalSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "scenario", Required: true}, {Name: "teams"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: StepRespond}, {Type: StepEscalate}, {Type: StepChoose}, {Type: StepNote}, {Type: StepAnswer},
	},
}

// stepSchemas lists each step kind's attributes; all are required.
var stepSchemas = map[string]*hcl.BodySchema{
	StepRespond:  requiredAttrs("team", "action", "at"),
	StepEscalate: requiredAttrs("from", "to", "text", "at"),
	StepChoose:   requiredAttrs("team", "decision", "option", "at"),
	StepNote:     requiredAttrs("team", "text", "at"),
	StepAnswer:   requiredAttrs("team", "question", "text", "at"),
}

func requiredAttrs(names ...string) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, n := range names {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: n, Required: true})
	}
	return s
}

// rehearsalDraft is a decoded rehearsal whose names wait for its scenario to be resolved.
type rehearsalDraft struct {
	rehearsal     *Rehearsal
	scenarioRange hcl.Range
	// teams is the teams attribute as written (v2), checked against the plan once the
	// scenario is resolved; nil when not written.
	teams []stringItem
	// ranges holds, per step (by Order), the range of each attribute's value.
	ranges []map[string]hcl.Range
}

func (p *problems) decodeRehearsal(block *hcl.Block) *rehearsalDraft {
	r := &Rehearsal{Name: block.Labels[0], DeclRange: block.DefRange}
	d := &rehearsalDraft{rehearsal: r, scenarioRange: block.DefRange}
	if r.Name == "" {
		p.errorf(block.LabelRanges[0], "Empty rehearsal name", "Give the rehearsal a name, such as rehearsal \"slow-containment\".")
	}
	content, diags := block.Body.Content(rehearsalSchema)
	p.add(diags...)
	if a := content.Attributes["scenario"]; a != nil {
		d.scenarioRange = a.Expr.Range()
		r.ScenarioName, _ = p.stringAttr(a)
	}
	if a := content.Attributes["teams"]; a != nil {
		d.teams = p.stringList(a, `["service_desk", "irt"]`)
		if d.teams == nil {
			d.teams = []stringItem{}
		}
	}
	for _, b := range content.Blocks {
		step := Step{Kind: b.Type, Order: len(r.Steps), DeclRange: b.DefRange}
		ranges := map[string]hcl.Range{}
		stepContent, diags := b.Body.Content(stepSchemas[b.Type])
		p.add(diags...)
		step.AttrRanges = attrRanges(stepContent.Attributes)
		for name, attr := range stepContent.Attributes {
			ranges[name] = attr.Expr.Range()
			if name == "at" {
				step.At, _ = p.duration(attr)
				continue
			}
			v, _ := p.stringAttr(attr)
			switch name {
			case "team", "from":
				step.Team = v
			case "action":
				step.Action = v
			case "to":
				step.To = v
			case "text":
				step.Text = v
			case "decision":
				step.Decision = v
			case "option":
				step.Option = v
			case "question":
				step.Question = v
			}
		}
		r.Steps = append(r.Steps, step)
		d.ranges = append(d.ranges, ranges)
	}
	return d
}

// resolveRehearsal links a rehearsal to its scenario. A step naming a team, action, decision or
// option the scenario lacks is a warning: the engine reports it when the step plays, as
// language.md says, so the rehearsal still loads.
func (p *problems) resolveRehearsal(d *rehearsalDraft, scenarios map[string]*scenarioDraft) {
	r := d.rehearsal
	sd := scenarios[r.ScenarioName]
	if sd == nil {
		if r.ScenarioName != "" {
			p.notLoaded(d.scenarioRange, "scenario", r.ScenarioName, sortedNames(scenarios))
		}
	} else {
		p.resolveTeamsInPlay(d, sd.scenario.Plan)
		p.checkSteps(d, sd)
	}
	sort.SliceStable(r.Steps, func(i, j int) bool { return r.Steps[i].At < r.Steps[j].At })
}

// resolveTeamsInPlay sets the rehearsal's teams (v2): those written, each a team of the plan
// that is not external, or by default every team of the plan that is not external. Without a
// plan (reported already) they stay unset.
func (p *problems) resolveTeamsInPlay(d *rehearsalDraft, plan *Plan) {
	if plan == nil {
		return
	}
	r := d.rehearsal
	if d.teams == nil {
		for _, t := range plan.Teams {
			if !t.External {
				r.Teams = append(r.Teams, t.Name)
			}
		}
		return
	}
	r.Teams = []string{}
	byName := make(map[string]*Team, len(plan.Teams))
	for _, t := range plan.Teams {
		byName[t.Name] = t
	}
	seen := map[string]hcl.Range{}
	for _, item := range d.teams {
		t := byName[item.Value]
		switch first, dup := seen[item.Value]; {
		case t == nil:
			p.errorf(item.Range, "Unknown team",
				"Plan %q has no team named %q to play. %s", plan.Name, item.Value, choices(item.Value, sortedNames(byName), "team"))
		case t.External:
			p.errorf(item.Range, "External team in play",
				"team %q is external (%s): control plays it, so it cannot be one of the rehearsal's teams; remove it from teams.",
				t.Name, where(t.DeclRange))
		case dup:
			p.warnf(item.Range, "Listed twice", "%q is already listed at %s; remove this one.", item.Value, where(first))
		default:
			seen[t.Name] = item.Range
			r.Teams = append(r.Teams, t.Name)
		}
	}
}

func (p *problems) checkSteps(d *rehearsalDraft, sd *scenarioDraft) {
	s := sd.scenario
	var teams, actions map[string]hcl.Range
	if s.Plan != nil {
		teams, actions = map[string]hcl.Range{}, map[string]hcl.Range{}
		for _, t := range s.Plan.Teams {
			teams[t.Name] = t.DeclRange
		}
		for _, a := range s.Plan.Actions {
			actions[a.Name] = a.DeclRange
		}
	}
	warnUnknown := func(rng hcl.Range, kind, name string, known map[string]hcl.Range, owner string) {
		if _, ok := known[name]; ok || known == nil {
			return
		}
		p.warnf(rng, "Unknown "+kind,
			"%s has no %s named %q, so this step will be reported as an error when it plays. %s",
			owner, kind, name, choices(name, sortedNames(known), kind))
	}
	planOwner := fmt.Sprintf("Plan %q", s.PlanName)
	questions := map[string]hcl.Range{}
	for _, m := range s.Modules {
		for _, q := range m.Questions {
			questions[q.ID] = m.DeclRange
		}
	}
	for _, in := range s.Injects {
		for _, q := range in.Questions {
			questions[q.ID] = in.DeclRange
		}
	}
	for i, st := range d.rehearsal.Steps {
		rs := d.ranges[i]
		if _, ok := rs["at"]; ok && st.At > s.Duration && s.Duration > 0 {
			p.warnf(rs["at"], "Step after the end",
				"This step is at %s but scenario %q ends at %s, so it never plays; move it earlier.", st.At, s.Name, s.Duration)
		}
		if rng, ok := rs["team"]; ok {
			warnUnknown(rng, "team", st.Team, teams, planOwner)
		}
		if rng, ok := rs["from"]; ok {
			warnUnknown(rng, "team", st.Team, teams, planOwner)
		}
		if rng, ok := rs["to"]; ok {
			warnUnknown(rng, "team", st.To, teams, planOwner)
		}
		if rng, ok := rs["action"]; ok {
			warnUnknown(rng, "action", st.Action, actions, planOwner)
		}
		if rng, ok := rs["question"]; ok {
			warnUnknown(rng, "question", st.Question, questions, sd.describe())
		}
		if rng, ok := rs["decision"]; ok {
			warnUnknown(rng, "decision", st.Decision, sd.decisionRanges, sd.describe())
			if dec := sd.decisions[st.Decision]; dec != nil {
				if optRng, ok := rs["option"]; ok && !hasOption(dec.Options, st.Option) {
					keys := optionKeys(dec.Options)
					p.warnf(optRng, "Unknown option",
						"Decision %q offers no option %q, so this step will be reported as an error when it plays. Use one of %s.",
						dec.Name, st.Option, quoteAll(keys))
				}
			}
		}
	}
}
