package scenarios

import (
	"github.com/hashicorp/hcl/v2"
)

var objectiveSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "capabilities", Required: true}},
}

var moduleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "at", Required: true}, {Name: "questions"}},
}

// decodeObjective reads an objective block (v2) into the scenario; its capabilities are
// checked against the plan in the second pass (checkObjectives).
func (p *problems) decodeObjective(b *hcl.Block, d *scenarioDraft) {
	o := &Objective{Name: p.checkName(b, "objective"), DeclRange: b.DefRange}
	content, diags := b.Body.Content(objectiveSchema)
	p.add(diags...)
	o.AttrRanges = attrRanges(content.Attributes)
	o.Title = p.title(content, o.Name)
	var caps []stringItem
	if a := content.Attributes["capabilities"]; a != nil {
		caps = p.stringList(a, `["containment", "escalation"]`)
		if exprs, ed := hcl.ExprList(a.Expr); !ed.HasErrors() && len(exprs) == 0 {
			p.errorf(a.Expr.Range(), "No capabilities",
				"capabilities must name at least one capability of the plan's actions or the scenario's decisions, like [\"containment\"].")
		}
	}
	for _, first := range d.scenario.Objectives {
		if first.Name == o.Name {
			p.duplicate("objective", o.Name, b.LabelRanges[0], first.DeclRange)
			return
		}
	}
	for _, c := range caps {
		o.Capabilities = append(o.Capabilities, c.Value)
	}
	d.objectiveCaps[o.Name] = caps
	d.scenario.Objectives = append(d.scenario.Objectives, o)
}

// checkObjectives checks that each objective's capabilities are carried by some plan action or
// decision of the scenario, so that there is something to score it by.
func (p *problems) checkObjectives(d *scenarioDraft, ix *planIndex) {
	carried := map[string]hcl.Range{}
	for _, a := range ix.plan.Actions {
		if a.Capability != "" {
			carried[a.Capability] = a.DeclRange
		}
	}
	for _, in := range d.scenario.Injects {
		if dec := in.Decision; dec != nil && dec.Capability != "" {
			carried[dec.Capability] = dec.DeclRange
		}
	}
	known := sortedNames(carried)
	for _, o := range d.scenario.Objectives {
		for _, c := range d.objectiveCaps[o.Name] {
			if _, ok := carried[c.Value]; !ok {
				p.errorf(c.Range, "Unknown capability",
					"objective %q names capability %q, but no action of %s and no decision of scenario %q carries it, so nothing would score it. %s",
					o.Name, c.Value, ix.describe(), d.scenario.Name, choices(c.Value, known, "capability"))
			}
		}
	}
}

// decodeModules reads a scenario's module blocks (v2): names unique, each at within duration
// (when that is known, durationOK), the first at 0 and each later than the one before.
func (p *problems) decodeModules(blocks []*hcl.Block, d *scenarioDraft, durationOK bool) {
	s := d.scenario
	var prev *Module
	for _, b := range blocks {
		m := &Module{Name: p.checkName(b, "module"), DeclRange: b.DefRange}
		content, diags := b.Body.Content(moduleSchema)
		p.add(diags...)
		m.AttrRanges = attrRanges(content.Attributes)
		m.Title = p.title(content, m.Name)
		if a := content.Attributes["questions"]; a != nil {
			m.Questions = p.questions(a, "module."+m.Name)
		}
		duplicate := false
		for _, first := range s.Modules {
			if first.Name == m.Name {
				p.duplicate("module", m.Name, b.LabelRanges[0], first.DeclRange)
				duplicate = true
				break
			}
		}
		if duplicate {
			continue
		}
		s.Modules = append(s.Modules, m)
		a := content.Attributes["at"]
		if a == nil {
			continue
		}
		at, ok := p.duration(a)
		if !ok {
			continue
		}
		m.At = at
		rng := a.Expr.Range()
		switch {
		case prev == nil && at != 0:
			p.errorf(rng, "First module not at the start",
				"module %q is the first and starts at %s; the first module starts at \"0s\", so that every inject falls in a module.", m.Name, at)
		case prev != nil && at <= prev.At:
			p.errorf(rng, "Modules out of order",
				"module %q starts at %s, but module %q before it (%s) starts at %s; list modules in order of at, each later than the one before.",
				m.Name, at, prev.Name, where(prev.DeclRange), prev.At)
		case durationOK && at > s.Duration:
			p.errorf(rng, "Module after the end",
				"module %q starts at %s, but the scenario lasts %s (duration); move it within the exercise or lengthen duration.",
				m.Name, at, s.Duration)
		}
		prev = m
	}
}
