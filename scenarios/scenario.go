package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

var scenarioSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title"},
		{Name: "summary"},
		{Name: "plan", Required: true},
		{Name: "duration", Required: true},
		{Name: "start_time"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "objective", LabelNames: []string{"name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "inject", LabelNames: []string{"name"}},
	},
}

var injectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "at"},
		{Name: "after"},
		{Name: "delay"},
		{Name: "to", Required: true},
		{Name: "channel", Required: true},
		{Name: "from"},
		{Name: "subject"},
		{Name: "body"},
		{Name: "severity"},
		{Name: "when"},
		{Name: "triggers"},
		{Name: "prompts"},
		{Name: "notes"},
		{Name: "questions"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "decision", LabelNames: []string{"name"}}},
}

// scenarioDraft is a decoded scenario whose references to its plan wait for every file to be
// read, since the plan may be defined in another one.
type scenarioDraft struct {
	scenario  *Scenario
	planRange hcl.Range
	injects   map[string]*Inject
	// injectRanges and decisionRanges say where each inject and decision is defined.
	injectRanges   map[string]hcl.Range
	decisionRanges map[string]hcl.Range
	decisions      map[string]*Decision
	// decisionInject is the inject that carries each decision, by decision name.
	decisionInject map[string]*Inject
	refs           []injectRefs
	// afterActions are the after references to plan actions, by inject name, resolved
	// against the plan in the second pass.
	afterActions map[string]ref
	// objectiveCaps are the capabilities each objective names, by objective name, checked
	// against the plan in the second pass.
	objectiveCaps map[string][]stringItem
}

// injectRefs are an inject's references into the plan, resolved in the second pass.
type injectRefs struct {
	inject   *Inject
	to       []ref
	severity *ref
	triggers []ref
	prompts  []ref
	// decidedBy is the decision's decided_by, when written (v2).
	decidedBy *decidedByRefs
}

func (d *scenarioDraft) describe() string {
	return fmt.Sprintf("Scenario %q (%s)", d.scenario.Name, where(d.scenario.DeclRange))
}

// decodeScenario reads a scenario block and checks every rule that does not need its plan.
func (p *problems) decodeScenario(block *hcl.Block) *scenarioDraft {
	s := &Scenario{Name: block.Labels[0], DeclRange: block.DefRange}
	d := &scenarioDraft{
		scenario:       s,
		planRange:      block.DefRange,
		injects:        map[string]*Inject{},
		injectRanges:   map[string]hcl.Range{},
		decisionRanges: map[string]hcl.Range{},
		decisions:      map[string]*Decision{},
		decisionInject: map[string]*Inject{},
		afterActions:   map[string]ref{},
		objectiveCaps:  map[string][]stringItem{},
	}
	if s.Name == "" {
		p.errorf(block.LabelRanges[0], "Empty scenario name", "Give the scenario a name, such as scenario \"hospital-ransomware\"; exercises and rehearsals refer to it by that name.")
	} else {
		p.checkSafeName(block, "scenario", "hospital-ransomware")
	}
	content, diags := block.Body.Content(scenarioSchema)
	p.add(diags...)
	s.AttrRanges = attrRanges(content.Attributes)
	s.Title = p.title(content, s.Name)
	if a := content.Attributes["summary"]; a != nil {
		s.Summary, _ = p.stringAttr(a)
	}
	if a := content.Attributes["plan"]; a != nil {
		d.planRange = a.Expr.Range()
		s.PlanName, _ = p.stringAttr(a)
	}
	durationOK := false
	if a := content.Attributes["duration"]; a != nil {
		s.Duration, durationOK = p.positiveDuration(a)
	}
	if a := content.Attributes["start_time"]; a != nil {
		s.StartTime, _ = p.startTime(a)
	}

	atRanges := map[string]hcl.Range{}
	afterRefs := map[string]ref{}
	var moduleBlocks []*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "objective":
			p.decodeObjective(b, d)
			continue
		case "module":
			moduleBlocks = append(moduleBlocks, b)
			continue
		}
		in, refs, atRange, after := p.decodeInject(b, d)
		if first, dup := d.injectRanges[in.Name]; dup {
			p.duplicate("inject", in.Name, b.LabelRanges[0], first)
			continue
		}
		in.Order = len(s.Injects)
		d.injectRanges[in.Name] = in.DeclRange
		d.injects[in.Name] = in
		s.Injects = append(s.Injects, in)
		d.refs = append(d.refs, refs)
		if in.HasAt {
			atRanges[in.Name] = atRange
		}
		if after != nil {
			afterRefs[in.Name] = *after
		}
	}

	p.decodeModules(moduleBlocks, d, durationOK)
	for _, in := range s.Injects {
		if r, ok := afterRefs[in.Name]; ok {
			p.resolveAfter(d, in, r)
		}
		if in.HasAt && durationOK && in.At > s.Duration {
			p.errorf(atRanges[in.Name], "Inject after the end",
				"inject %q is at %s, but the scenario lasts %s (duration); move it within the exercise or lengthen duration.",
				in.Name, in.At, s.Duration)
		}
	}
	p.checkInjectCycles(d, afterRefs)
	return d
}

// startTime reads the wall-clock time a scenario's simulated T+0 stands for: RFC 3339.
func (p *problems) startTime(a *hcl.Attribute) (time.Time, bool) {
	v, ok := p.stringAttr(a)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		p.errorf(a.Expr.Range(), "Invalid start_time",
			"start_time = %q is not an RFC 3339 time. Write it like \"2026-03-14T07:30:00Z\" (date, T, time, and Z or an offset such as +01:00).", v)
		return time.Time{}, false
	}
	return t, true
}

// resolveAfter resolves an inject's after against the scenario's injects and decisions; an
// after naming a plan action waits for the plan, in the second pass.
func (p *problems) resolveAfter(d *scenarioDraft, in *Inject, r ref) {
	switch r.Kind {
	case kindInject:
		if p.resolve(r, d.injectRanges, d.describe()) {
			in.After, in.AfterKind = r.Name, AfterInject
		}
	case kindDecision:
		if p.resolve(r, d.decisionRanges, d.describe()) {
			in.After, in.AfterKind = r.Name, AfterDecision
		}
	case kindAction:
		d.afterActions[in.Name] = r
	}
}

// waitsFor is the inject whose delivery, or whose decision's settling, in waits for; nil when
// in has at, follows a plan action, or names something unknown.
func (d *scenarioDraft) waitsFor(in *Inject) *Inject {
	switch in.AfterKind {
	case AfterInject:
		return d.injects[in.After]
	case AfterDecision:
		return d.decisionInject[in.After]
	}
	return nil
}

// checkInjectCycles reports each cycle of after references once: through injects and the
// decisions they carry (v2), so an inject cannot wait for its own decision. Each inject waits
// for at most one other, so following the chain from every inject finds all cycles in linear
// time.
func (p *problems) checkInjectCycles(d *scenarioDraft, afterRefs map[string]ref) {
	const (
		unvisited = iota
		onPath
		done
	)
	injects := d.scenario.Injects
	state := make(map[string]int, len(injects))
	for _, start := range injects {
		var path []*Inject
		cur := start
		for cur != nil && state[cur.Name] == unvisited {
			state[cur.Name] = onPath
			path = append(path, cur)
			cur = d.waitsFor(cur)
		}
		if cur != nil && state[cur.Name] == onPath {
			i := len(path) - 1
			for path[i] != cur {
				i--
			}
			var chain strings.Builder
			chain.WriteString("inject." + cur.Name)
			for _, in := range path[i:] {
				next := d.waitsFor(in)
				if in.AfterKind == AfterDecision {
					fmt.Fprintf(&chain, " → decision.%s (of inject.%s)", in.After, next.Name)
				} else {
					chain.WriteString(" → inject." + next.Name)
				}
			}
			last := path[len(path)-1]
			p.errorf(afterRefs[last.Name].Range, "Cycle in after",
				"These injects each wait for the next, so none ever is delivered: %s. Give one of them at instead of after.",
				chain.String())
		}
		for _, in := range path {
			state[in.Name] = done
		}
	}
}

// decodeInject reads an inject block. It returns the inject, its references into the plan,
// the range of its at value and its after reference, if any.
func (p *problems) decodeInject(b *hcl.Block, d *scenarioDraft) (*Inject, injectRefs, hcl.Range, *ref) {
	in := &Inject{Name: p.checkName(b, "inject"), DeclRange: b.DefRange}
	refs := injectRefs{inject: in}
	content, diags := b.Body.Content(injectSchema)
	p.add(diags...)
	in.AttrRanges = attrRanges(content.Attributes)

	atRange, afterRef := p.injectTime(b, content, in)

	if a := content.Attributes["to"]; a != nil {
		refs.to = p.referenceList(a, kindTeam)
		if len(refs.to) == 0 {
			if exprs, ed := hcl.ExprList(a.Expr); !ed.HasErrors() && len(exprs) == 0 {
				p.errorf(a.Expr.Range(), "No recipients", "to must name at least one team, like [team.service_desk].")
			}
		}
	}
	if a := content.Attributes["channel"]; a != nil {
		in.Channel, _ = p.oneOf(a, Channels)
	}
	if a := content.Attributes["from"]; a != nil {
		in.From, _ = p.stringAttr(a)
	}
	if a := content.Attributes["subject"]; a != nil {
		in.Subject, _ = p.stringAttr(a)
	}
	if a := content.Attributes["body"]; a != nil {
		in.Body, _ = p.stringAttr(a)
	}
	if a := content.Attributes["severity"]; a != nil {
		if r, ok := p.reference(a.Expr, "severity", kindSeverity); ok {
			refs.severity = &r
		}
	}
	if a := content.Attributes["when"]; a != nil {
		in.When = a.Expr
	}
	if a := content.Attributes["triggers"]; a != nil {
		refs.triggers = p.referenceList(a, kindAction)
	}
	if a := content.Attributes["prompts"]; a != nil {
		refs.prompts = p.referenceList(a, kindAction)
	}
	if a := content.Attributes["notes"]; a != nil {
		in.Notes, _ = p.stringAttr(a)
	}
	if a := content.Attributes["questions"]; a != nil {
		in.Questions = p.questions(a, "inject."+in.Name)
	}

	refs.decidedBy = p.injectDecision(content.Blocks, in, d)
	return in, refs, atRange, afterRef
}

// injectTime reads when an inject comes due: exactly one of at (a time from the start) and
// after (with an optional delay). It returns the range of the at value and the after
// reference, which is resolved once all the scenario's injects are read.
func (p *problems) injectTime(b *hcl.Block, content *hcl.BodyContent, in *Inject) (hcl.Range, *ref) {
	at, after, delay := content.Attributes["at"], content.Attributes["after"], content.Attributes["delay"]
	var atRange hcl.Range
	var afterRef *ref
	switch {
	case at != nil && after != nil:
		p.errorf(after.Range, "Both at and after",
			"inject %q has at (%s) and after; give exactly one: at for a fixed time, or after (with delay) to follow an inject, a decision or a plan action.",
			in.Name, where(at.Range))
	case at == nil && after == nil:
		p.errorf(b.DefRange, "No time for inject",
			"inject %q needs at = \"DURATION\" (a time from the start) or after = inject.NAME, decision.NAME or action.NAME (to follow an inject, a decision or a plan action).", in.Name)
	case at != nil:
		in.HasAt = true
		atRange = at.Expr.Range()
		in.At, _ = p.duration(at)
		if delay != nil {
			p.errorf(delay.Range, "delay without after",
				"delay counts from what after names (an inject delivered, a decision settled, an action recorded); this inject uses at, so remove delay or use after instead of at.")
		}
	default:
		if r, ok := p.afterReference(after.Expr); ok {
			afterRef = &r
		}
		if delay != nil {
			in.Delay, _ = p.duration(delay)
		}
	}
	return atRange, afterRef
}

// injectDecision reads the decision an inject carries, at most one, and records it in the
// scenario's decisions unless its name is taken. It returns the decision's decided_by
// references into the plan (nil without a decision).
func (p *problems) injectDecision(blocks hcl.Blocks, in *Inject, d *scenarioDraft) *decidedByRefs {
	var refs *decidedByRefs
	for i, db := range blocks {
		if i > 0 {
			p.errorf(db.DefRange, "Second decision",
				"inject %q already carries decision %q (%s); an inject puts at most one decision, so move this one to its own inject.",
				in.Name, in.Decision.Name, where(blocks[0].DefRange))
			continue
		}
		dec, decidedBy := p.decodeDecision(db)
		refs = decidedBy
		if first, dup := d.decisionRanges[dec.Name]; dup {
			p.duplicate("decision", dec.Name, db.LabelRanges[0], first)
		} else {
			d.decisionRanges[dec.Name] = dec.DeclRange
			d.decisions[dec.Name] = dec
			d.decisionInject[dec.Name] = in
		}
		in.Decision = dec
	}
	return refs
}

// resolveScenario links a scenario to its plan and checks its references into it and its
// when expressions.
func (p *problems) resolveScenario(d *scenarioDraft, plans map[string]*planIndex) {
	s := d.scenario
	ix := plans[s.PlanName]
	if ix == nil {
		if s.PlanName != "" {
			p.notLoaded(d.planRange, "plan", s.PlanName, sortedNames(plans))
		}
	} else {
		s.Plan = ix.plan
		owner := ix.describe()
		for _, r := range d.refs {
			in := r.inject
			for _, t := range r.to {
				if p.resolve(t, ix.teams, owner) {
					in.To = append(in.To, t.Name)
				}
			}
			if r.severity != nil && p.resolve(*r.severity, ix.sevRanges, owner) {
				in.Severity = r.severity.Name
			}
			for _, a := range r.triggers {
				if p.resolve(a, ix.actions, owner) {
					in.Triggers = append(in.Triggers, a.Name)
				}
			}
			for _, a := range r.prompts {
				if p.resolve(a, ix.actions, owner) {
					in.Prompts = append(in.Prompts, a.Name)
				}
			}
			if a, ok := d.afterActions[in.Name]; ok && p.resolve(a, ix.actions, owner) {
				in.After, in.AfterKind = a.Name, AfterAction
			}
			if in.Decision != nil {
				p.resolveDecidedBy(in, r, ix)
			}
		}
		p.checkObjectives(d, ix)
		p.warnCoverage(d, ix)
	}
	for _, in := range s.Injects {
		if in.When != nil {
			p.checkWhen(d, ix, in)
		}
	}
}
