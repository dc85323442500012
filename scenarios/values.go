package scenarios

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The decoders below read one attribute each. They record a positioned diagnostic and return
// ok=false when the value is unusable, so the caller keeps going and reports everything.

// literal evaluates attr without variables or functions and converts it to want.
func (p *problems) literal(attr *hcl.Attribute, want cty.Type, what string) (cty.Value, bool) {
	if vars := attr.Expr.Variables(); len(vars) > 0 {
		hint := ""
		if want == cty.String {
			hint = " To write ${ or %{ as text, double the first character: $${ or %%{."
		}
		p.errorf(vars[0].SourceRange(), "Reference not allowed",
			"%s must be a literal value, so it cannot refer to %s.%s", attr.Name, traversalString(vars[0]), hint)
		return cty.NilVal, false
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		p.add(diags...)
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		return cty.NilVal, false // an expression HCL could not parse, reported already
	}
	if v.IsNull() {
		p.errorf(attr.Expr.Range(), "Missing value", "%s is null; give it %s, or remove the line.", attr.Name, what)
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, want)
	if err != nil || !cv.IsWhollyKnown() || cv.IsNull() {
		p.errorf(attr.Expr.Range(), "Wrong type", "%s must be %s.", attr.Name, what)
		return cty.NilVal, false
	}
	return cv, true
}

func (p *problems) stringAttr(attr *hcl.Attribute) (string, bool) {
	v, ok := p.literal(attr, cty.String, "a quoted string")
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// stringItem is one string of a list attribute, with where it is written.
type stringItem struct {
	Value string
	Range hcl.Range
}

// stringList reads attr as a list of quoted strings; example shows such a list, for the
// message. An item that is not a string is reported and left out.
func (p *problems) stringList(attr *hcl.Attribute, example string) []stringItem {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		p.errorf(attr.Expr.Range(), "List required", "%s must be a list in brackets, like %s.", attr.Name, example)
		return nil
	}
	items := make([]stringItem, 0, len(exprs))
	for _, e := range exprs {
		if s, ok := p.stringAttr(&hcl.Attribute{Name: "each item of " + attr.Name, Expr: e}); ok {
			items = append(items, stringItem{Value: s, Range: e.Range()})
		}
	}
	return items
}

// questions reads a list of discussion questions put at where ("module.NAME" or
// "inject.NAME"), each identified by where and its place in the list, counted from 1.
func (p *problems) questions(attr *hcl.Attribute, where string) []Question {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		p.errorf(attr.Expr.Range(), "List required", "questions must be a list in brackets, like [\"Who decides that this is an incident?\"].")
		return nil
	}
	out := make([]Question, 0, len(exprs))
	for i, e := range exprs {
		if s, ok := p.stringAttr(&hcl.Attribute{Name: "each question", Expr: e}); ok {
			out = append(out, Question{ID: fmt.Sprintf("%s.%d", where, i+1), Text: s})
		}
	}
	return out
}

// title reads the title attribute of a block's content; a block without one, or with an
// unusable one, is titled by its name.
func (p *problems) title(content *hcl.BodyContent, name string) string {
	if a := content.Attributes["title"]; a != nil {
		if s, ok := p.stringAttr(a); ok {
			return s
		}
	}
	return name
}

func (p *problems) boolAttr(attr *hcl.Attribute) (bool, bool) {
	v, ok := p.literal(attr, cty.Bool, "true or false")
	if !ok {
		return false, false
	}
	return v.True(), true
}

// positiveInt reads a whole number of at least 1.
func (p *problems) positiveInt(attr *hcl.Attribute) (int, bool) {
	v, ok := p.literal(attr, cty.Number, "a whole number")
	if !ok {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		p.errorf(attr.Expr.Range(), "Not a whole number", "%s must be a whole number such as 1, 2 or 3.", attr.Name)
		return 0, false
	}
	n, _ := bf.Int64()
	if bf.Sign() <= 0 || n <= 0 {
		p.errorf(attr.Expr.Range(), "Not positive", "%s must be 1 or more; it is %s.", attr.Name, bf.Text('g', 10))
		return 0, false
	}
	if n > math.MaxInt32 {
		p.errorf(attr.Expr.Range(), "Number too large", "%s must be at most %d.", attr.Name, math.MaxInt32)
		return 0, false
	}
	return int(n), true
}

// weight reads a positive, finite number.
func (p *problems) weight(attr *hcl.Attribute) (float64, bool) {
	v, ok := p.literal(attr, cty.Number, "a number")
	if !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	if !(f > 0) || math.IsInf(f, 0) {
		p.errorf(attr.Expr.Range(), "Weight not positive", "weight must be a number greater than 0 (the default is 1); it is %s.", v.AsBigFloat().Text('g', 10))
		return 0, false
	}
	return f, true
}

// duration reads a Go duration string that is not negative.
func (p *problems) duration(attr *hcl.Attribute) (time.Duration, bool) {
	s, ok := p.stringAttr(attr)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errorf(attr.Expr.Range(), "Invalid duration",
			"%s = %q is not a duration. Write a Go duration such as \"0s\", \"15m\", \"1h30m\" or \"72h\".", attr.Name, s)
		return 0, false
	}
	if d < 0 {
		p.errorf(attr.Expr.Range(), "Negative duration", "%s = %q is negative; simulated time counts forward from 0, so write a duration of \"0s\" or more.", attr.Name, s)
		return 0, false
	}
	return d, true
}

// ShortDuration writes d as an author writes a duration in the language: a Go duration
// without its zero tails ("1h30m", "2h", "45s"), so a written plan or scenario reads as if
// typed by hand.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// positiveDuration reads a duration greater than zero.
func (p *problems) positiveDuration(attr *hcl.Attribute) (time.Duration, bool) {
	d, ok := p.duration(attr)
	if ok && d == 0 {
		p.errorf(attr.Expr.Range(), "Duration not positive", "%s must be longer than zero, such as \"15m\".", attr.Name)
		return 0, false
	}
	return d, ok
}

// attrRanges records where each attribute of a block is written, for the model's AttrRanges.
func attrRanges(attrs hcl.Attributes) map[string]hcl.Range {
	ranges := make(map[string]hcl.Range, len(attrs))
	for name, attr := range attrs {
		ranges[name] = attr.Range
	}
	return ranges
}

// oneOf reads a string that must be one of allowed.
func (p *problems) oneOf(attr *hcl.Attribute, allowed []string) (string, bool) {
	s, ok := p.stringAttr(attr)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	p.errorf(attr.Expr.Range(), "Invalid "+attr.Name, "%s = %q is not allowed; use one of %s.", attr.Name, s, quoteAll(allowed))
	return "", false
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
