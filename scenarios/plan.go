package scenarios

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var planSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "version"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "team", LabelNames: []string{"name"}},
		{Type: "severity", LabelNames: []string{"name"}},
		{Type: "action", LabelNames: []string{"name"}},
	},
}

var teamSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "tier", Required: true}, {Name: "external"}},
}

var severitySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "level", Required: true}},
}

var actionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "title"},
		{Name: "owner", Required: true},
		{Name: "phase", Required: true},
		{Name: "capability"},
		{Name: "due", Required: true},
		{Name: "after"},
		{Name: "escalate_to"},
		{Name: "on_severity"},
		{Name: "weight"},
		{Name: "fixed"},
		{Name: "critical"},
	},
}

// planIndex finds a plan's teams, severities and actions by name, with where each is defined.
type planIndex struct {
	plan       *Plan
	teams      map[string]hcl.Range
	teamByName map[string]*Team
	sevRanges  map[string]hcl.Range
	actions    map[string]hcl.Range
}

func (ix *planIndex) describe() string {
	return fmt.Sprintf("Plan %q (%s)", ix.plan.Name, where(ix.plan.DeclRange))
}

// decodePlan reads a plan block and checks every rule that needs nothing outside it.
func (p *problems) decodePlan(block *hcl.Block) (*Plan, *planIndex) {
	plan := &Plan{Name: block.Labels[0], DeclRange: block.DefRange}
	ix := &planIndex{
		plan:       plan,
		teams:      map[string]hcl.Range{},
		teamByName: map[string]*Team{},
		sevRanges:  map[string]hcl.Range{},
		actions:    map[string]hcl.Range{},
	}
	if plan.Name == "" {
		p.errorf(block.LabelRanges[0], "Empty plan name", "Give the plan a name, such as plan \"acme-irp\"; scenarios refer to it by that name.")
	} else {
		p.checkSafeName(block, "plan", "acme-irp")
	}
	content, diags := block.Body.Content(planSchema)
	p.add(diags...)
	plan.AttrRanges = attrRanges(content.Attributes)
	plan.Title = p.title(content, plan.Name)
	if a := content.Attributes["version"]; a != nil {
		if s, ok := p.stringAttr(a); ok {
			plan.Version = s
		}
	}

	var actionBlocks []*hcl.Block
	var lastSeverity *Severity
	for _, b := range content.Blocks {
		switch b.Type {
		case "team":
			t := p.decodeTeam(b)
			if first, dup := ix.teams[t.Name]; dup {
				p.duplicate("team", t.Name, b.LabelRanges[0], first)
				continue
			}
			ix.teams[t.Name] = t.DeclRange
			ix.teamByName[t.Name] = t
			plan.Teams = append(plan.Teams, t)
		case "severity":
			s, levelRange := p.decodeSeverity(b)
			if first, dup := ix.sevRanges[s.Name]; dup {
				p.duplicate("severity", s.Name, b.LabelRanges[0], first)
				continue
			}
			if s.Level > 0 && lastSeverity != nil && s.Level <= lastSeverity.Level {
				p.errorf(levelRange, "Severity levels must increase",
					"severity %q has level %d, but %q before it (%s) has level %d. List the ladder lowest first, each level higher than the one before.",
					s.Name, s.Level, lastSeverity.Name, where(lastSeverity.DeclRange), lastSeverity.Level)
			}
			if s.Level > 0 {
				lastSeverity = s
			}
			ix.sevRanges[s.Name] = s.DeclRange
			plan.Severities = append(plan.Severities, s)
		case "action":
			actionBlocks = append(actionBlocks, b)
		}
	}
	if len(plan.Severities) == 0 {
		p.errorf(block.DefRange, "No severity ladder",
			"Plan %q has no severity blocks. Add at least one, such as severity \"local\" { level = 1 }; the incident starts at the lowest level.", plan.Name)
	}

	p.checkSomeTeamInternal(plan)

	p.decodeActions(actionBlocks, ix)
	return plan, ix
}

// decodeActions reads a plan's action blocks into ix.plan, then resolves their after
// references and checks them for cycles: after may name actions defined later, so it
// resolves once every action is known.
func (p *problems) decodeActions(blocks []*hcl.Block, ix *planIndex) {
	plan := ix.plan
	type afterRefs struct {
		action *Action
		refs   []ref
	}
	var afters []afterRefs
	for _, b := range blocks {
		a, refs := p.decodeAction(b, ix)
		if first, dup := ix.actions[a.Name]; dup {
			p.duplicate("action", a.Name, b.LabelRanges[0], first)
			continue
		}
		ix.actions[a.Name] = a.DeclRange
		plan.Actions = append(plan.Actions, a)
		afters = append(afters, afterRefs{a, refs})
	}
	byName := make(map[string]*Action, len(plan.Actions))
	for _, a := range plan.Actions {
		byName[a.Name] = a
	}
	afterRanges := make(map[string]map[string]hcl.Range, len(afters))
	for _, ar := range afters {
		rs := map[string]hcl.Range{}
		for _, r := range ar.refs {
			if p.resolve(r, ix.actions, ix.describe()) {
				ar.action.After = append(ar.action.After, r.Name)
				rs[r.Name] = r.Range
			}
		}
		afterRanges[ar.action.Name] = rs
	}
	p.checkAfterCycles(plan.Actions, byName, afterRanges)
}

// checkAfterCycles reports every cycle in the actions' after graph once, at the reference that
// closes it, naming the whole cycle.
func (p *problems) checkAfterCycles(actions []*Action, byName map[string]*Action, refRanges map[string]map[string]hcl.Range) {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make(map[string]int, len(actions))
	var path []string
	var visit func(a *Action)
	visit = func(a *Action) {
		state[a.Name] = onPath
		path = append(path, a.Name)
		for _, next := range a.After {
			switch state[next] {
			case onPath:
				start := len(path) - 1
				for path[start] != next {
					start--
				}
				cycle := append(append([]string(nil), path[start:]...), next)
				p.errorf(refRanges[a.Name][next], "Cycle in after",
					"These actions each wait for the next: %s. Remove one of these after references so the plan has an order.",
					"action."+strings.Join(cycle, " → action."))
			case unvisited:
				visit(byName[next])
			}
		}
		path = path[:len(path)-1]
		state[a.Name] = done
	}
	for _, a := range actions {
		if state[a.Name] == unvisited {
			visit(a)
		}
	}
}

// checkSomeTeamInternal reports a plan all of whose teams are external (or that has none):
// its actions and decisions need a team of the organisation to own them (language.md v2).
func (p *problems) checkSomeTeamInternal(plan *Plan) {
	for _, t := range plan.Teams {
		if !t.External {
			return
		}
	}
	p.errorf(plan.DeclRange, "No team of the organisation",
		"Plan %q has no team that is not external. Add one, such as team \"irt\" { tier = 2 }; external teams are played by control and cannot own the plan's actions.",
		plan.Name)
}

// checkName reports a block label that cannot be used in a reference such as team.NAME.
func (p *problems) checkName(b *hcl.Block, kind string) string {
	name := b.Labels[0]
	if !hclsyntax.ValidIdentifier(name) {
		p.errorf(b.LabelRanges[0], "Invalid "+kind+" name",
			"%q cannot be used in a reference such as %s.NAME. Use letters, digits, _ and -, starting with a letter, like %q.",
			name, kind, "service_desk")
		return name
	}
	if kind == kindTeam {
		p.checkSafeName(b, kind, "service_desk")
	}
	return name
}

// checkSafeName reports a label that is not a safe name (see SafeName), for the names that
// reach file names and HTTP headers: plans, scenarios and teams (issue 15).
func (p *problems) checkSafeName(b *hcl.Block, kind, example string) {
	if name := b.Labels[0]; !SafeName(name) {
		p.errorf(b.LabelRanges[0], "Invalid "+kind+" name",
			"%q is not a safe %s name: it reaches file names and headers, so use only ASCII letters, digits, _, - and ., not starting with . or -, like %q.",
			name, kind, example)
	}
}

// SafeName reports whether name is made only of ASCII letters, digits, '_', '-' and '.', does
// not start with '.' or '-', and is not empty: the names of plans, scenarios and teams, which
// reach file names and HTTP headers.
func SafeName(name string) bool {
	if name == "" || name[0] == '.' || name[0] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (p *problems) decodeTeam(b *hcl.Block) *Team {
	t := &Team{Name: p.checkName(b, "team"), DeclRange: b.DefRange}
	content, diags := b.Body.Content(teamSchema)
	p.add(diags...)
	t.AttrRanges = attrRanges(content.Attributes)
	t.Title = p.title(content, t.Name)
	if a := content.Attributes["tier"]; a != nil {
		t.Tier, _ = p.positiveInt(a)
	}
	if a := content.Attributes["external"]; a != nil {
		t.External, _ = p.boolAttr(a)
	}
	return t
}

// decodeSeverity returns the severity and the range of its level, for the ladder check.
func (p *problems) decodeSeverity(b *hcl.Block) (*Severity, hcl.Range) {
	s := &Severity{Name: p.checkName(b, "severity"), DeclRange: b.DefRange}
	levelRange := b.DefRange
	content, diags := b.Body.Content(severitySchema)
	p.add(diags...)
	s.AttrRanges = attrRanges(content.Attributes)
	s.Title = p.title(content, s.Name)
	if a := content.Attributes["level"]; a != nil {
		s.Level, _ = p.positiveInt(a)
		levelRange = a.Expr.Range()
	}
	return s, levelRange
}

// decodeAction reads an action and resolves its references to teams and severities; it
// returns its after references for the caller to resolve once all actions are known.
func (p *problems) decodeAction(b *hcl.Block, ix *planIndex) (*Action, []ref) {
	a := &Action{Name: p.checkName(b, "action"), Weight: 1, DeclRange: b.DefRange}
	content, diags := b.Body.Content(actionSchema)
	p.add(diags...)
	a.AttrRanges = attrRanges(content.Attributes)
	a.Title = p.title(content, a.Name)
	var ownerRef ref
	if attr := content.Attributes["owner"]; attr != nil {
		if r, ok := p.reference(attr.Expr, "owner", kindTeam); ok && p.resolve(r, ix.teams, ix.describe()) {
			a.Owner, ownerRef = r.Name, r
			if ix.teamByName[r.Name].External {
				p.errorf(r.Range, "External team as owner",
					"Action %q is owned by team.%s, an external team (%s); the plan's actions are the organisation's, so give it an owner that is not external and reach team.%s with escalate_to.",
					a.Name, r.Name, where(ix.teams[r.Name]), r.Name)
			}
		}
	}
	if attr := content.Attributes["phase"]; attr != nil {
		a.Phase, _ = p.oneOf(attr, Phases)
	}
	if attr := content.Attributes["capability"]; attr != nil {
		a.Capability, _ = p.stringAttr(attr)
	}
	if attr := content.Attributes["due"]; attr != nil {
		a.Due, _ = p.positiveDuration(attr)
	}
	if attr := content.Attributes["escalate_to"]; attr != nil {
		if r, ok := p.reference(attr.Expr, "escalate_to", kindTeam); ok && p.resolve(r, ix.teams, ix.describe()) {
			if r.Name == a.Owner {
				p.errorf(r.Range, "Escalation to the owner",
					"Action %q is owned by team.%s (%s) and escalates to the same team; escalate_to must name another team, or remove it.",
					a.Name, a.Owner, where(ownerRef.Range))
			} else {
				a.EscalateTo = r.Name
			}
		}
	}
	if attr := content.Attributes["on_severity"]; attr != nil {
		if r, ok := p.reference(attr.Expr, "on_severity", kindSeverity); ok && p.resolve(r, ix.sevRanges, ix.describe()) {
			a.OnSeverity = r.Name
		}
	}
	if attr := content.Attributes["weight"]; attr != nil {
		if w, ok := p.weight(attr); ok {
			a.Weight = w
		}
	}
	if attr := content.Attributes["fixed"]; attr != nil {
		a.Fixed, _ = p.boolAttr(attr)
	}
	if attr := content.Attributes["critical"]; attr != nil {
		a.Critical, _ = p.boolAttr(attr)
	}
	var after []ref
	if attr := content.Attributes["after"]; attr != nil {
		after = p.referenceList(attr, kindAction)
	}
	return a, after
}
