package scenarios

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Kinds of reference, named as their traversal roots.
const (
	kindTeam     = "team"
	kindAction   = "action"
	kindSeverity = "severity"
	kindInject   = "inject"
	kindDecision = "decision"
)

// article gives a noun its indefinite article by its first letter, for messages: "a team",
// "an inject".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// quotedHint suggests the bare reference that a quoted string s meant: want.s, or s itself
// when it is already written want.NAME.
func quotedHint(want, s string) string {
	if !strings.HasPrefix(s, want+".") {
		s = want + "." + s
	}
	return fmt.Sprintf(" Write %s, without quotes.", s)
}

// ref is a bare reference such as team.irt, checked for its kind when decoded and resolved
// against the plan or scenario once everything is loaded.
type ref struct {
	Kind  string
	Name  string
	Attr  string // the attribute it appears in, for messages
	Range hcl.Range
}

// reference decodes expr as a reference KIND.NAME, where KIND is want.
func (p *problems) reference(expr hcl.Expression, attr, want string) (ref, bool) {
	example := want + ".NAME"
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		hint := ""
		if v, vd := expr.Value(nil); !vd.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			hint = quotedHint(want, v.AsString())
		}
		p.errorf(expr.Range(), "Invalid reference", "%s must be a reference like %s.%s", attr, example, hint)
		return ref{}, false
	}
	root := trav.RootName()
	if root != want {
		switch root {
		case kindTeam, kindAction, kindSeverity, kindInject, kindDecision:
			p.errorf(expr.Range(), "Wrong kind of reference",
				"%s must refer to %s, like %s; %s refers to %s.", attr, article(want), example, traversalString(trav), article(root))
		default:
			p.errorf(expr.Range(), "Invalid reference",
				"%s must refer to %s, like %s; %q is not a kind of thing a plan or scenario defines.", attr, article(want), example, root)
		}
		return ref{}, false
	}
	if len(trav) != 2 {
		p.errorf(expr.Range(), "Invalid reference", "%s must be a reference of two parts, %s.", attr, example)
		return ref{}, false
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		p.errorf(expr.Range(), "Invalid reference", "%s must be written %s, with a dot and no brackets.", attr, example)
		return ref{}, false
	}
	return ref{Kind: want, Name: step.Name, Attr: attr, Range: expr.Range()}, true
}

// afterReference decodes an inject's after (v2): inject.NAME, decision.NAME or action.NAME.
func (p *problems) afterReference(expr hcl.Expression) (ref, bool) {
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return p.reference(expr, "after", kindInject) // reports it, with a hint for a quoted name
	}
	switch root := trav.RootName(); root {
	case kindInject, kindDecision, kindAction:
		return p.reference(expr, "after", root)
	case kindTeam, kindSeverity:
		p.errorf(expr.Range(), "Wrong kind of reference",
			"after must refer to an inject, a decision or a plan action, like inject.NAME, decision.NAME or action.NAME; %s refers to %s.",
			traversalString(trav), article(root))
	default:
		p.errorf(expr.Range(), "Invalid reference",
			"after must refer to an inject, a decision or a plan action, like inject.NAME, decision.NAME or action.NAME; %q is not a kind of thing a plan or scenario defines.", root)
	}
	return ref{}, false
}

// referenceList decodes attr as a list of references of kind want: [team.a, team.b].
func (p *problems) referenceList(attr *hcl.Attribute, want string) []ref {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		p.errorf(attr.Expr.Range(), "List required", "%s must be a list in brackets, like [%s.NAME].", attr.Name, want)
		return nil
	}
	refs := make([]ref, 0, len(exprs))
	seen := make(map[string]hcl.Range, len(exprs))
	for _, e := range exprs {
		r, ok := p.reference(e, attr.Name, want)
		if !ok {
			continue
		}
		if first, dup := seen[r.Name]; dup {
			p.warnf(r.Range, "Listed twice", "%s.%s is already listed at %s; remove this one.", want, r.Name, where(first))
			continue
		}
		seen[r.Name] = r.Range
		refs = append(refs, r)
	}
	return refs
}

// traversalString writes a traversal back as source: a.b["c"].
func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			} else {
				b.WriteString("[…]")
			}
		default:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// resolve checks that r names something in defined (name to where it is defined); owner
// describes where the names live, for the message.
func (p *problems) resolve(r ref, defined map[string]hcl.Range, owner string) bool {
	if _, ok := defined[r.Name]; ok {
		return true
	}
	p.errorf(r.Range, "Unknown "+r.Kind,
		"%s has no %s named %q. Define it there or refer to one that exists. %s",
		owner, r.Kind, r.Name, choices(r.Name, sortedNames(defined), r.Kind))
	return false
}
