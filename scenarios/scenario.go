package scenarios

import (
	"fmt"
	"sort"
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
	Blocks: []hcl.BlockHeaderSchema{{Type: "inject", LabelNames: []string{"name"}}},
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
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "decision", LabelNames: []string{"name"}}},
}

var decisionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "prompt", Required: true},
		{Name: "options", Required: true},
		{Name: "expected", Required: true},
		{Name: "capability"},
		{Name: "phase"},
		{Name: "weight"},
	},
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
	refs           []injectRefs
}

// injectRefs are an inject's references into the plan, resolved in the second pass.
type injectRefs struct {
	inject   *Inject
	to       []ref
	severity *ref
	triggers []ref
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
	}
	if s.Name == "" {
		p.errorf(block.LabelRanges[0], "Empty scenario name", "Give the scenario a name, such as scenario \"hospital-ransomware\"; exercises and rehearsals refer to it by that name.")
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
		if v, ok := p.stringAttr(a); ok {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				p.errorf(a.Expr.Range(), "Invalid start_time",
					"start_time = %q is not an RFC 3339 time. Write it like \"2026-03-14T07:30:00Z\" (date, T, time, and Z or an offset such as +01:00).", v)
			} else {
				s.StartTime = t
			}
		}
	}

	atRanges := map[string]hcl.Range{}
	afterRefs := map[string]ref{}
	for _, b := range content.Blocks {
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

	for _, in := range s.Injects {
		if r, ok := afterRefs[in.Name]; ok && p.resolve(r, d.injectRanges, d.describe()) {
			in.After = r.Name
		}
		if in.HasAt && durationOK && in.At > s.Duration {
			p.errorf(atRanges[in.Name], "Inject after the end",
				"inject %q is at %s, but the scenario lasts %s (duration); move it within the exercise or lengthen duration.",
				in.Name, in.At, s.Duration)
		}
	}
	p.checkInjectCycles(s.Injects, d.injects, afterRefs)
	return d
}

// checkInjectCycles reports each cycle of after references once. Each inject waits for at most
// one other, so following the chain from every inject finds all cycles in linear time.
func (p *problems) checkInjectCycles(injects []*Inject, byName map[string]*Inject, afterRefs map[string]ref) {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make(map[string]int, len(injects))
	for _, start := range injects {
		var path []*Inject
		cur := start
		for cur != nil && state[cur.Name] == unvisited {
			state[cur.Name] = onPath
			path = append(path, cur)
			cur = byName[cur.After] // nil when After is "" or unresolved
		}
		if cur != nil && state[cur.Name] == onPath {
			i := len(path) - 1
			for path[i] != cur {
				i--
			}
			cycle := make([]string, 0, len(path)-i+1)
			for _, in := range path[i:] {
				cycle = append(cycle, in.Name)
			}
			cycle = append(cycle, cur.Name)
			last := path[len(path)-1]
			p.errorf(afterRefs[last.Name].Range, "Cycle in after",
				"These injects each wait for the next to be delivered, so none ever is: %s. Give one of them at instead of after.",
				"inject."+strings.Join(cycle, " → inject."))
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

	at, after, delay := content.Attributes["at"], content.Attributes["after"], content.Attributes["delay"]
	var atRange hcl.Range
	var afterRef *ref
	switch {
	case at != nil && after != nil:
		p.errorf(after.Range, "Both at and after",
			"inject %q has at (%s) and after; give exactly one: at for a fixed time, or after (with delay) to follow another inject.",
			in.Name, where(at.Range))
	case at == nil && after == nil:
		p.errorf(b.DefRange, "No time for inject",
			"inject %q needs at = \"DURATION\" (a time from the start) or after = inject.NAME (to follow another inject).", in.Name)
	case at != nil:
		in.HasAt = true
		atRange = at.Expr.Range()
		in.At, _ = p.duration(at)
		if delay != nil {
			p.errorf(delay.Range, "delay without after",
				"delay counts from the delivery of the inject named in after; this inject uses at, so remove delay or use after instead of at.")
		}
	default:
		if r, ok := p.reference(after.Expr, "after", kindInject); ok {
			afterRef = &r
		}
		if delay != nil {
			in.Delay, _ = p.duration(delay)
		}
	}

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

	for i, db := range content.Blocks {
		if i > 0 {
			p.errorf(db.DefRange, "Second decision",
				"inject %q already carries decision %q (%s); an inject puts at most one decision, so move this one to its own inject.",
				in.Name, in.Decision.Name, where(content.Blocks[0].DefRange))
			continue
		}
		dec := p.decodeDecision(db)
		if first, dup := d.decisionRanges[dec.Name]; dup {
			p.duplicate("decision", dec.Name, db.LabelRanges[0], first)
		} else {
			d.decisionRanges[dec.Name] = dec.DeclRange
			d.decisions[dec.Name] = dec
		}
		in.Decision = dec
	}
	return in, refs, atRange, afterRef
}

func (p *problems) decodeDecision(b *hcl.Block) *Decision {
	dec := &Decision{Name: p.checkName(b, "decision"), Weight: 1, DeclRange: b.DefRange}
	content, diags := b.Body.Content(decisionSchema)
	p.add(diags...)
	dec.AttrRanges = attrRanges(content.Attributes)
	if a := content.Attributes["prompt"]; a != nil {
		dec.Prompt, _ = p.stringAttr(a)
	}
	optionsOK := false
	if a := content.Attributes["options"]; a != nil {
		dec.Options, optionsOK = p.options(a)
	}
	if a := content.Attributes["expected"]; a != nil {
		if v, ok := p.stringAttr(a); ok {
			dec.Expected = v
			if optionsOK && !hasOption(dec.Options, v) {
				keys := make([]string, len(dec.Options))
				for i, o := range dec.Options {
					keys[i] = o.Key
				}
				p.errorf(a.Expr.Range(), "Expected answer not an option",
					"expected = %q is not one of the options (%s); set it to the key of the answer the plan expects.",
					v, quoteAll(keys))
			}
		}
	}
	if a := content.Attributes["capability"]; a != nil {
		dec.Capability, _ = p.stringAttr(a)
	}
	if a := content.Attributes["phase"]; a != nil {
		dec.Phase, _ = p.oneOf(a, Phases)
	}
	if a := content.Attributes["weight"]; a != nil {
		if w, ok := p.weight(a); ok {
			dec.Weight = w
		}
	}
	return dec
}

// options reads a decision's options, an object of key = "label", sorted by key.
func (p *problems) options(attr *hcl.Attribute) ([]Option, bool) {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		p.errorf(attr.Expr.Range(), "Invalid options",
			"options must be an object of answers, like { refuse = \"Refuse and restore\", pay = \"Pay the ransom\" }.")
		return nil, false
	}
	if len(pairs) == 0 {
		p.errorf(attr.Expr.Range(), "No options", "options must offer at least one answer, like { refuse = \"Refuse and restore\" }.")
		return nil, false
	}
	ok := true
	seen := make(map[string]hcl.Range, len(pairs))
	opts := make([]Option, 0, len(pairs))
	for _, kv := range pairs {
		key, kok := p.stringAttr(&hcl.Attribute{Name: "an option's key", Expr: kv.Key})
		if !kok {
			ok = false
			continue
		}
		if key == "" {
			p.errorf(kv.Key.Range(), "Empty option key", "Give the option a key, such as refuse; teams' answers and expected refer to it.")
			ok = false
			continue
		}
		if first, dup := seen[key]; dup {
			p.duplicate("option", key, kv.Key.Range(), first)
			ok = false
			continue
		}
		seen[key] = kv.Key.Range()
		label, lok := p.stringAttr(&hcl.Attribute{Name: "option " + key, Expr: kv.Value})
		if !lok {
			ok = false
			continue
		}
		opts = append(opts, Option{Key: key, Label: label})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Key < opts[j].Key })
	return opts, ok
}

func hasOption(opts []Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
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
		}
	}
	for _, in := range s.Injects {
		if in.When != nil {
			p.checkWhen(d, ix, in)
		}
	}
}
