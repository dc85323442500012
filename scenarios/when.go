package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Facts is what a `when` expression sees when its inject comes due.
type Facts struct {
	Actions       map[string]ActionFacts // by action name; missing = not done
	Injects       map[string]bool        // delivered, by inject name
	Decisions     map[string]string      // first choice, by decision name
	SeverityLevel int
	Elapsed       time.Duration
}

// ActionFacts is what a `when` expression sees of one plan action: whether some team recorded
// it, whether its owner did so by its deadline, and the team that recorded it first.
type ActionFacts struct {
	Done, OnTime bool
	By           string
}

// whenAllowed is the sentence that lists what a when expression may use.
const whenAllowed = "A when expression may use action.NAME.done, action.NAME.on_time, action.NAME.by, " +
	"inject.NAME.delivered, decision.NAME.choice, severity.level and elapsed (seconds since the start)."

// whenAttrs gives, for each root of a when variable, the attribute its named things offer.
var whenAttrs = map[string][]string{
	"action":   {"done", "on_time", "by"},
	"inject":   {"delivered"},
	"decision": {"choice"},
}

// EvalWhen evaluates the inject's `when` over f and reports whether the inject is delivered.
// An inject without `when` is always delivered. The context holds every name the expression
// refers to, with its value from f or its default (not done, not delivered, no choice), so
// evaluation never meets an unknown variable; a result that is not true or false is an error.
func (s *Scenario) EvalWhen(in *Inject, f Facts) (bool, error) {
	if in == nil || in.When == nil {
		return true, nil
	}
	v, diags := in.When.Value(whenContext(in.When, f))
	if diags.HasErrors() {
		return false, fmt.Errorf("scenario %q, inject %q: when: %s", s.Name, in.Name, diags.Error())
	}
	if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Bool) {
		return false, fmt.Errorf("scenario %q, inject %q: when gives %s, not true or false", s.Name, in.Name, describeValue(v))
	}
	return v.True(), nil
}

// whenContext builds the evaluation context for expr from f: the objects action, inject and
// decision hold each name expr refers to, and severity.level and elapsed are always present.
func whenContext(expr hcl.Expression, f Facts) *hcl.EvalContext {
	named := map[string]map[string]cty.Value{"action": {}, "inject": {}, "decision": {}}
	for _, t := range expr.Variables() {
		root := t.RootName()
		objs, ok := named[root]
		if !ok || len(t) < 2 {
			continue
		}
		name, ok := stepName(t[1])
		if !ok {
			continue
		}
		switch root {
		case "action":
			a := f.Actions[name]
			objs[name] = cty.ObjectVal(map[string]cty.Value{
				"done": cty.BoolVal(a.Done), "on_time": cty.BoolVal(a.OnTime), "by": cty.StringVal(a.By),
			})
		case "inject":
			objs[name] = cty.ObjectVal(map[string]cty.Value{"delivered": cty.BoolVal(f.Injects[name])})
		case "decision":
			objs[name] = cty.ObjectVal(map[string]cty.Value{"choice": cty.StringVal(f.Decisions[name])})
		}
	}
	vars := map[string]cty.Value{
		"severity": cty.ObjectVal(map[string]cty.Value{"level": cty.NumberIntVal(int64(f.SeverityLevel))}),
		"elapsed":  cty.NumberFloatVal(f.Elapsed.Seconds()),
	}
	for root, objs := range named {
		vars[root] = cty.ObjectVal(objs)
	}
	return &hcl.EvalContext{Variables: vars}
}

// stepName is the name in a traversal step written .NAME or ["NAME"].
func stepName(step hcl.Traverser) (string, bool) {
	switch s := step.(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), true
		}
	}
	return "", false
}

// checkWhen checks an inject's when at load: no function calls, every variable one the
// scenario offers, and a true-or-false result. ix is nil when the plan is unknown, in which
// case action names are not checked (the unknown plan is reported already).
func (p *problems) checkWhen(d *scenarioDraft, ix *planIndex, in *Inject) {
	before := len(p.diags)
	if native, ok := in.When.(hclsyntax.Expression); ok {
		hclsyntax.VisitAll(native, func(n hclsyntax.Node) hcl.Diagnostics {
			switch n := n.(type) {
			case *hclsyntax.FunctionCallExpr:
				p.errorf(n.Range(), "Function call in when",
					"when offers no functions, so %s() cannot be used; write the condition with !, &&, ||, ==, !=, <, >, and ? : over the allowed values. %s",
					n.Name, whenAllowed)
			case *hclsyntax.BinaryOpExpr:
				if n.Op == hclsyntax.OpEqual || n.Op == hclsyntax.OpNotEqual {
					p.checkWhenComparison(d, ix, n.LHS, n.RHS)
					p.checkWhenComparison(d, ix, n.RHS, n.LHS)
				}
			}
			return nil
		})
	}
	for _, t := range in.When.Variables() {
		p.checkWhenVariable(d, ix, t)
	}
	if len(p.diags) > before {
		return
	}
	// Evaluate over the facts at the start: nothing done, the incident at its lowest level.
	start := Facts{SeverityLevel: 1}
	if ix != nil && len(ix.plan.Severities) > 0 && ix.plan.Severities[0].Level > 0 {
		start.SeverityLevel = ix.plan.Severities[0].Level
	}
	v, diags := in.When.Value(whenContext(in.When, start))
	if diags.HasErrors() {
		p.add(diags...)
		return
	}
	if !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.Bool) {
		p.errorf(in.When.Range(), "when is not a condition",
			"when must be true or false, but this gives %s. Compare it, for example action.contain_hosts.by == \"irt\".", describeValue(v))
	}
}

func (p *problems) checkWhenVariable(d *scenarioDraft, ix *planIndex, t hcl.Traversal) {
	rng := t.SourceRange()
	root := t.RootName()
	switch root {
	case "elapsed":
		if len(t) != 1 {
			p.errorf(rng, "Invalid when variable", "elapsed is a number of seconds and has no parts; write it alone, as in elapsed > 3600.")
		}
		return
	case "severity":
		if name, ok := stepName(safeStep(t, 1)); !ok || name != "level" || len(t) != 2 {
			p.errorf(rng, "Invalid when variable",
				"%s is not available; the current severity is severity.level, a number (compare it, as in severity.level >= 3).", traversalString(t))
		}
		return
	}
	attrs, ok := whenAttrs[root]
	if !ok {
		p.errorf(rng, "Unknown when variable", "%s is not something a when expression can see. %s", traversalString(t), whenAllowed)
		return
	}
	name, nameOK := stepName(safeStep(t, 1))
	attr, attrOK := stepName(safeStep(t, 2))
	if !nameOK || !attrOK || len(t) != 3 || !slices.Contains(attrs, attr) {
		p.errorf(rng, "Invalid when variable", "%s is not available; write %s.NAME.%s. %s",
			traversalString(t), root, attrs[0], whenAllowed)
		return
	}
	switch root {
	case "action":
		if ix != nil {
			p.resolve(ref{Kind: kindAction, Name: name, Range: rng}, ix.actions, ix.describe())
		}
	case "inject":
		p.resolve(ref{Kind: kindInject, Name: name, Range: rng}, d.injectRanges, d.describe())
	case "decision":
		p.resolve(ref{Kind: kindDecision, Name: name, Range: rng}, d.decisionRanges, d.describe())
	}
}

// checkWhenComparison checks a comparison of subject with other in a when (v2): when subject is
// decision.NAME.choice or action.NAME.by and other a string literal, the literal must be one
// of the decision's options or a team of the plan (or ""), or the branch would silently never
// play. Unknown decisions and actions are reported by checkWhenVariable, and teams are not
// checked without a plan (ix nil).
func (p *problems) checkWhenComparison(d *scenarioDraft, ix *planIndex, subject, other hclsyntax.Expression) {
	st, ok := subject.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 3 {
		return
	}
	name, nameOK := stepName(st.Traversal[1])
	attr, attrOK := stepName(st.Traversal[2])
	lit, litOK := stringLiteral(other)
	if !nameOK || !attrOK || !litOK || lit == "" {
		return
	}
	switch root := st.Traversal.RootName(); {
	case root == kindDecision && attr == "choice":
		dec := d.decisions[name]
		if dec == nil || hasOption(dec.Options, lit) {
			return
		}
		p.errorf(other.Range(), "Unknown option in when",
			"decision %q offers no option %q, so decision.%s.choice never equals it: the branch would silently never play (or always, with !=). %s",
			name, lit, name, choices(lit, optionKeys(dec.Options), "option"))
	case root == kindAction && attr == "by" && ix != nil:
		if _, ok := ix.teams[lit]; ok {
			return
		}
		p.errorf(other.Range(), "Unknown team in when",
			"%s has no team named %q, so action.%s.by never equals it: the branch would silently never play (or always, with !=). %s",
			ix.describe(), lit, name, choices(lit, sortedNames(ix.teams), "team"))
	}
}

// stringLiteral is the value of e when it is a string that depends on nothing, as "pay" is.
func stringLiteral(e hclsyntax.Expression) (string, bool) {
	if len(e.Variables()) > 0 {
		return "", false
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

func safeStep(t hcl.Traversal, i int) hcl.Traverser {
	if i < len(t) {
		return t[i]
	}
	return nil
}

// describeValue names a value's type for a message: "a string", "null".
func describeValue(v cty.Value) string {
	switch {
	case !v.IsKnown():
		return "an unknown value"
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return "a string"
	case v.Type() == cty.Number:
		return "a number"
	default:
		return v.Type().FriendlyName()
	}
}
