package scenarios

import (
	"math"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var decisionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "prompt", Required: true},
		{Name: "options", Required: true},
		{Name: "expected"},
		{Name: "credit"},
		{Name: "decided_by"},
		{Name: "due"},
		{Name: "default"},
		{Name: "capability"},
		{Name: "phase"},
		{Name: "weight"},
	},
}

// decidedByRefs is a decision's decided_by as written (v2), resolved against the inject's
// recipients once the plan is known.
type decidedByRefs struct {
	refs []ref
}

// decodeDecision reads a decision block and checks every rule that needs neither the plan nor
// the inject's recipients; it returns its decided_by, when written, for the second pass.
func (p *problems) decodeDecision(b *hcl.Block) (*Decision, *decidedByRefs) {
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
	expected, credit := content.Attributes["expected"], content.Attributes["credit"]
	switch {
	case expected != nil && credit != nil:
		p.errorf(credit.Range, "Both expected and credit",
			"decision %q has expected (%s) and credit; give one of them: expected for the one answer the plan expects, or credit for partial credit.",
			dec.Name, where(expected.Range))
	case expected != nil:
		if v, ok := p.stringAttr(expected); ok {
			dec.Expected = v
			if optionsOK && !hasOption(dec.Options, v) {
				p.errorf(expected.Expr.Range(), "Expected answer not an option",
					"expected = %q is not one of the options (%s); set it to the key of the answer the plan expects.",
					v, quoteAll(optionKeys(dec.Options)))
			}
		}
	case credit != nil:
		dec.Credit = p.credit(credit, dec.Options, optionsOK)
	default:
		p.warnf(b.DefRange, "Discussion, never scored",
			"decision %q has neither expected nor credit, so it is a discussion: answered and reported, never scored: if you meant it to be scored, add expected or credit.",
			dec.Name)
	}
	due := content.Attributes["due"]
	if due != nil {
		dec.Due, _ = p.positiveDuration(due)
	}
	if a := content.Attributes["default"]; a != nil {
		if v, ok := p.stringAttr(a); ok {
			switch {
			case optionsOK && !hasOption(dec.Options, v):
				p.errorf(a.Expr.Range(), "Default not an option",
					"default = %q is not one of the options of decision %q. %s", v, dec.Name, choices(v, optionKeys(dec.Options), "option"))
			case due == nil:
				p.errorf(a.Range, "default without due",
					"default is recorded for a team that has not answered by due, and decision %q has no due; add due = \"30m\" or remove default.", dec.Name)
			default:
				dec.Default = v
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
	var decidedBy *decidedByRefs
	if a := content.Attributes["decided_by"]; a != nil {
		decidedBy = &decidedByRefs{refs: p.referenceList(a, kindTeam)}
		if exprs, ed := hcl.ExprList(a.Expr); !ed.HasErrors() && len(exprs) == 0 {
			p.errorf(a.Expr.Range(), "No deciding team",
				"decided_by must name at least one of the inject's teams, like [team.cmt]; remove it to let every recipient that is not external decide.")
		}
	}
	return dec, decidedBy
}

// objectItems returns the items of an object constructor { k = v, … } in the order written;
// ok is false when expr is not one.
func objectItems(expr hcl.Expression) ([]hclsyntax.ObjectConsItem, bool) {
	obj, ok := hcl.UnwrapExpressionUntil(expr, func(e hcl.Expression) bool {
		_, is := e.(*hclsyntax.ObjectConsExpr)
		return is
	}).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, false
	}
	return obj.Items, true
}

// options reads a decision's options, an object of key = "label", in the order written (v2):
// that is the order they are shown in.
func (p *problems) options(attr *hcl.Attribute) ([]Option, bool) {
	items, isObject := objectItems(attr.Expr)
	if !isObject {
		p.errorf(attr.Expr.Range(), "Invalid options",
			"options must be an object of answers, like { refuse = \"Refuse and restore\", pay = \"Pay the ransom\" }.")
		return nil, false
	}
	if len(items) == 0 {
		p.errorf(attr.Expr.Range(), "No options", "options must offer at least one answer, like { refuse = \"Refuse and restore\" }.")
		return nil, false
	}
	ok := true
	seen := make(map[string]hcl.Range, len(items))
	opts := make([]Option, 0, len(items))
	for _, item := range items {
		key, kok := p.objectKey(item.KeyExpr, "an option's key", seen)
		if !kok {
			ok = false
			continue
		}
		label, lok := p.stringAttr(&hcl.Attribute{Name: "option " + key, Expr: item.ValueExpr})
		if !lok {
			ok = false
			continue
		}
		opts = append(opts, Option{Key: key, Label: label})
	}
	return opts, ok
}

// objectKey reads the key of an object item: a non-empty string not in seen, which it joins.
func (p *problems) objectKey(expr hcl.Expression, what string, seen map[string]hcl.Range) (string, bool) {
	key, ok := p.stringAttr(&hcl.Attribute{Name: what, Expr: expr})
	if !ok {
		return "", false
	}
	if key == "" {
		p.errorf(expr.Range(), "Empty option key", "Give the option a key, such as refuse; teams' answers, expected and credit refer to it.")
		return "", false
	}
	if first, dup := seen[key]; dup {
		p.duplicate("option", key, expr.Range(), first)
		return "", false
	}
	seen[key] = expr.Range()
	return key, true
}

// credit reads a decision's credit (v2): an object of option = credit, each credit between 0
// and 1 with at most two decimals, at least one of them 1. Its keys are checked against the
// options when those could be read (optionsOK).
func (p *problems) credit(attr *hcl.Attribute, opts []Option, optionsOK bool) map[string]float64 {
	items, isObject := objectItems(attr.Expr)
	if !isObject {
		p.errorf(attr.Expr.Range(), "Invalid credit",
			"credit must be an object of option = credit, like { refuse = 1, negotiate = 0.5 }.")
		return nil
	}
	credit := make(map[string]float64, len(items))
	seen := make(map[string]hcl.Range, len(items))
	allRead, full := true, false
	for _, item := range items {
		key, ok := p.objectKey(item.KeyExpr, "a credit's key", seen)
		if !ok {
			allRead = false
			continue
		}
		if optionsOK && !hasOption(opts, key) {
			p.errorf(item.KeyExpr.Range(), "Credit for an unknown option",
				"credit names %q, which is not one of the options. %s", key, choices(key, optionKeys(opts), "option"))
			allRead = false
			continue
		}
		f, ok := p.creditValue(&hcl.Attribute{Name: "credit for " + key, Expr: item.ValueExpr})
		if !ok {
			allRead = false
			continue
		}
		credit[key] = f
		full = full || f == 1
	}
	if allRead && !full {
		p.errorf(attr.Expr.Range(), "No full credit",
			"credit gives no option 1, so no answer can earn full credit; give the answer the plan expects 1.")
	}
	return credit
}

// creditValue reads one credit: a number from 0 to 1 with at most two decimals.
func (p *problems) creditValue(attr *hcl.Attribute) (float64, bool) {
	v, ok := p.literal(attr, cty.Number, "a number from 0 to 1")
	if !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	text := v.AsBigFloat().Text('g', 10)
	switch {
	case !(f >= 0 && f <= 1):
		p.errorf(attr.Expr.Range(), "Credit out of range",
			"%s is %s; a credit lies between 0 (no credit) and 1 (full credit).", attr.Name, text)
		return 0, false
	case math.Abs(f*100-math.Round(f*100)) > 1e-9:
		p.errorf(attr.Expr.Range(), "Credit too precise",
			"%s is %s; write it with at most two decimals, such as 0.5 or 0.25.", attr.Name, text)
		return 0, false
	}
	return f, true
}

// resolveDecidedBy resolves a decision's deciding teams (v2) against the plan and the inject's
// recipients: decided_by as written, a non-empty subset of to with no external team, or by
// default the recipients that are not external, of which there must be one.
func (p *problems) resolveDecidedBy(in *Inject, r injectRefs, ix *planIndex) {
	dec := in.Decision
	if r.decidedBy == nil {
		dec.DecidedBy = ix.plan.DecidingTeams(dec, in.To)
		// Without every recipient resolved, an error is reported already.
		if len(dec.DecidedBy) == 0 && len(in.To) > 0 && len(in.To) == len(r.to) {
			p.errorf(dec.DeclRange, "No team to decide",
				"decision %q is put to the inject's recipients that are not external, and inject %q is sent only to external teams (%s). Send it to a team of the organisation too.",
				dec.Name, in.Name, "team."+strings.Join(in.To, ", team."))
		}
		return
	}
	for _, t := range r.decidedBy.refs {
		if !p.resolve(t, ix.teams, ix.describe()) {
			continue
		}
		switch {
		case ix.teamByName[t.Name].External:
			p.errorf(t.Range, "External team cannot decide",
				"team.%s is external (%s): it is played by control and never scored, so it cannot decide; remove it from decided_by.",
				t.Name, where(ix.teams[t.Name]))
		case !slices.Contains(in.To, t.Name):
			p.errorf(t.Range, "Decider not a recipient",
				"decision %q is put to team.%s, but inject %q is not sent to it; add team.%s to the inject's to, or remove it from decided_by.",
				dec.Name, t.Name, in.Name, t.Name)
		default:
			dec.DecidedBy = append(dec.DecidedBy, t.Name)
		}
	}
}

func hasOption(opts []Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// optionKeys lists the options' keys in order.
func optionKeys(opts []Option) []string {
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	return keys
}
