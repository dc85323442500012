package msel

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/ttx-dev/ttx/scenarios"
)

// origin says where in the file each part of a written block came from: the block itself,
// its attributes by name, and its nested blocks in the order written.
type origin struct {
	def    cellPos
	attrs  map[string]cellPos
	blocks []*origin
}

// writeScenario writes s as a scenario block in canonical layout (scenarios.Format), and
// the origin of each of its parts.
func writeScenario(s *draftScenario) ([]byte, *origin) {
	f := hclwrite.NewEmptyFile()
	block := f.Body().AppendNewBlock("scenario", []string{s.name})
	b := block.Body()
	root := &origin{def: s.pos["name"], attrs: s.pos}
	if s.title != "" {
		setText(b, "title", s.title, 2)
	}
	if s.summary != "" {
		setText(b, "summary", s.summary, 2)
	}
	b.SetAttributeValue("plan", cty.StringVal(planOf(s)))
	b.SetAttributeValue("duration", cty.StringVal(scenarios.ShortDuration(s.duration)))
	if !s.startTime.IsZero() {
		b.SetAttributeValue("start_time", cty.StringVal(s.startTime.Format(time.RFC3339)))
	}
	for _, o := range s.objectives {
		b.AppendNewline()
		ob := b.AppendNewBlock("objective", []string{o.name}).Body()
		if o.title != "" {
			setText(ob, "title", o.title, 4)
		}
		ob.SetAttributeValue("capabilities", stringList(o.capabilities))
		root.blocks = append(root.blocks, &origin{def: o.def, attrs: o.pos})
	}
	for _, m := range s.modules {
		b.AppendNewline()
		m.write(b)
		root.blocks = append(root.blocks, &origin{def: m.def, attrs: m.pos})
	}
	for _, in := range s.injects {
		b.AppendNewline()
		root.blocks = append(root.blocks, in.write(b))
	}
	return scenarios.Format(f.Bytes()), root
}

// planOf is the plan the scenario was imported against.
func planOf(s *draftScenario) string { return s.plan }

func (m *draftModule) write(b *hclwrite.Body) *hclwrite.Body {
	mb := b.AppendNewBlock("module", []string{m.name}).Body()
	if m.title != "" {
		setText(mb, "title", m.title, 4)
	}
	mb.SetAttributeValue("at", cty.StringVal(scenarios.ShortDuration(m.at)))
	if len(m.questions) > 0 {
		mb.SetAttributeValue("questions", stringList(m.questions))
	}
	return mb
}

// write appends the inject block and returns its origin.
func (in *draftInject) write(b *hclwrite.Body) *origin {
	ib := b.AppendNewBlock("inject", []string{in.name}).Body()
	o := &origin{def: in.def, attrs: in.pos}
	if in.hasAt {
		ib.SetAttributeValue("at", cty.StringVal(scenarios.ShortDuration(in.at)))
	} else if in.after != "" {
		kind, name, _ := strings.Cut(in.after, ".")
		ib.SetAttributeRaw("after", traversal(kind, name))
		if in.delay > 0 {
			ib.SetAttributeValue("delay", cty.StringVal(scenarios.ShortDuration(in.delay)))
		}
	}
	if in.when != "" {
		if toks, err := whenTokens(in.when); err == nil {
			ib.SetAttributeRaw("when", toks)
		}
	}
	ib.SetAttributeRaw("to", traversals("team", in.to))
	if in.channel != "" {
		ib.SetAttributeValue("channel", cty.StringVal(in.channel))
	}
	for _, t := range []struct{ name, v string }{{"from", in.from}, {"subject", in.subject}, {"body", in.body}} {
		if t.v != "" {
			setText(ib, t.name, t.v, 4)
		}
	}
	if in.severity != "" {
		ib.SetAttributeRaw("severity", traversal("severity", in.severity))
	}
	if len(in.triggers) > 0 {
		ib.SetAttributeRaw("triggers", traversals("action", in.triggers))
	}
	if len(in.prompts) > 0 {
		ib.SetAttributeRaw("prompts", traversals("action", in.prompts))
	}
	if len(in.questions) > 0 {
		ib.SetAttributeValue("questions", stringList(in.questions))
	}
	if in.notes != "" {
		setText(ib, "notes", in.notes, 4)
	}
	if d := in.decision; d != nil {
		ib.AppendNewline()
		o.blocks = append(o.blocks, d.write(ib))
	}
	return o
}

func (d *draftDecision) write(b *hclwrite.Body) *origin {
	db := b.AppendNewBlock("decision", []string{d.name}).Body()
	setText(db, "prompt", d.prompt, 6)
	opts := make([]hclwrite.ObjectAttrTokens, len(d.options))
	for i, o := range d.options {
		opts[i] = hclwrite.ObjectAttrTokens{Name: objectKey(o.Key), Value: hclwrite.TokensForValue(cty.StringVal(o.Label))}
	}
	db.SetAttributeRaw("options", hclwrite.TokensForObject(opts))
	if len(d.decidedBy) > 0 {
		db.SetAttributeRaw("decided_by", traversals("team", d.decidedBy))
	}
	if d.expected != "" {
		db.SetAttributeValue("expected", cty.StringVal(d.expected))
	}
	if len(d.credit) > 0 {
		credit := make([]hclwrite.ObjectAttrTokens, len(d.credit))
		for i, c := range d.credit {
			credit[i] = hclwrite.ObjectAttrTokens{Name: objectKey(c.option), Value: hclwrite.Tokens{
				{Type: hclsyntax.TokenNumberLit, Bytes: []byte(strconv.FormatFloat(c.credit, 'f', -1, 64))}}}
		}
		db.SetAttributeRaw("credit", hclwrite.TokensForObject(credit))
	}
	if d.due > 0 {
		db.SetAttributeValue("due", cty.StringVal(scenarios.ShortDuration(d.due)))
	}
	if d.dflt != "" {
		db.SetAttributeValue("default", cty.StringVal(d.dflt))
	}
	if d.capability != "" {
		db.SetAttributeValue("capability", cty.StringVal(d.capability))
	}
	if d.phase != "" {
		db.SetAttributeValue("phase", cty.StringVal(d.phase))
	}
	if d.hasWeight {
		db.SetAttributeRaw("weight", hclwrite.Tokens{{Type: hclsyntax.TokenNumberLit, Bytes: []byte(strconv.FormatFloat(d.weight, 'f', -1, 64))}})
	}
	return &origin{def: d.def, attrs: d.pos}
}

// objectKey is an object key as written: bare when it is an identifier, else quoted.
func objectKey(k string) hclwrite.Tokens {
	if hclsyntax.ValidIdentifier(k) {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

func stringList(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.TupleVal(vals)
}

// traversal is the reference KIND.NAME; a name that is no identifier is written as an index
// (KIND["na me"]) so that the loader names it in its diagnostic.
func traversal(kind, name string) hclwrite.Tokens {
	if hclsyntax.ValidIdentifier(name) {
		return hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: kind}, hcl.TraverseAttr{Name: name}})
	}
	return hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: kind}, hcl.TraverseIndex{Key: cty.StringVal(name)}})
}

func traversals(kind string, names []string) hclwrite.Tokens {
	elems := make([]hclwrite.Tokens, len(names))
	for i, n := range names {
		elems[i] = traversal(kind, n)
	}
	return hclwrite.TokensForTuple(elems)
}

// setText sets a text attribute: quoted on one line, else a flush heredoc indented under an
// attribute at indent spaces (a text whose every line is indented stays quoted, since a
// heredoc would strip that indentation).
func setText(b *hclwrite.Body, name, text string, indent int) {
	if !strings.Contains(text, "\n") || allIndented(text) {
		b.SetAttributeValue(name, cty.StringVal(text))
		return
	}
	delim := "EOT"
	for n := 2; containsLine(text, delim); n++ {
		delim = "EOT" + strconv.Itoa(n)
	}
	var content strings.Builder
	pad := strings.Repeat(" ", indent+2)
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		line = strings.NewReplacer("${", "$${", "%{", "%%{").Replace(line)
		if strings.TrimSpace(line) != "" {
			content.WriteString(pad)
		}
		content.WriteString(line + "\n")
	}
	b.SetAttributeRaw(name, hclwrite.Tokens{
		{Type: hclsyntax.TokenOHeredoc, Bytes: []byte("<<-" + delim + "\n")},
		{Type: hclsyntax.TokenStringLit, Bytes: []byte(content.String())},
		{Type: hclsyntax.TokenCHeredoc, Bytes: []byte(strings.Repeat(" ", indent) + delim)},
	})
}

func allIndented(text string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") {
			return false
		}
	}
	return true
}

func containsLine(text, delim string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == delim {
			return true
		}
	}
	return false
}

// whenTokens parses a condition as HCL and returns its tokens, parenthesised when it spans
// lines.
func whenTokens(src string) (hclwrite.Tokens, error) {
	if strings.Contains(src, "\n") {
		src = "(" + src + ")"
	}
	if _, diags := hclsyntax.ParseExpression([]byte(src), "condition", hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags[0].Summary+": "+diags[0].Detail)
	}
	f, diags := hclwrite.ParseConfig([]byte("when = "+src+"\n"), "condition", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	return f.Body().GetAttribute("when").Expr().BuildTokens(nil), nil
}

// Names of the files the check loads.
const (
	checkedScenario = "msel-import.hcl"
	checkedPlan     = "msel-plan.hcl"
)

// validate loads text against the plan and reports each problem the loader finds at the cell
// its part of the scenario came from, leaving out those about rows already reported.
func (im *importer) validate(text []byte, root *origin, opts Options) {
	plan, planStart, err := planSource(opts.Set, im.plan)
	if err != nil {
		im.r.errorf(cellPos{}, "%v", err)
		return
	}
	_, diags := scenarios.LoadFS(fstest.MapFS{
		checkedPlan:     &fstest.MapFile{Data: plan},
		checkedScenario: &fstest.MapFile{Data: text},
	}, checkedPlan, checkedScenario)
	file, _ := hclsyntax.ParseConfig(text, checkedScenario, hcl.InitialPos)
	var top *hclsyntax.Block
	if body, ok := file.Body.(*hclsyntax.Body); ok && len(body.Blocks) == 1 {
		top = body.Blocks[0]
	}
	for _, d := range diags {
		at := cellPos{}
		if d.Subject != nil && d.Subject.Filename == checkedScenario && top != nil {
			at = locate(top, root, d.Subject.Start)
		}
		if at.sheet == im.sheet && im.badRows[at.row] && at.row > 1 {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		msg = im.rewritePositions(msg, top, root)
		msg = planPositions(msg, planStart)
		if d.Severity == hcl.DiagWarning {
			im.r.warnf(at, "%s", msg)
		} else {
			im.r.errorf(at, "%s", msg)
		}
	}
}

var (
	checkedPos     = regexp.MustCompile(regexp.QuoteMeta(checkedScenario) + `:(\d+):(\d+)`)
	checkedPlanPos = regexp.MustCompile(regexp.QuoteMeta(checkedPlan) + `:(\d+):(\d+)`)
)

// planPositions turns the positions in the plan's block that a loader message names into
// positions in the file the plan was loaded from, whose block starts at start.
func planPositions(msg string, start hcl.Range) string {
	return checkedPlanPos.ReplaceAllStringFunc(msg, func(m string) string {
		sub := checkedPlanPos.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		if line == 1 {
			col += start.Start.Column - 1
		}
		return fmt.Sprintf("%s:%d:%d", start.Filename, line+start.Start.Line-1, col)
	})
}

// rewritePositions turns the positions in the generated file that a loader message names
// into the cells they came from.
func (im *importer) rewritePositions(msg string, top *hclsyntax.Block, root *origin) string {
	return checkedPos.ReplaceAllStringFunc(msg, func(m string) string {
		sub := checkedPos.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		if top == nil {
			return m
		}
		at := locate(top, root, hcl.Pos{Line: line, Column: col})
		d := Diagnostic{File: im.r.file, Sheet: at.sheet, Row: at.row, Col: at.col}
		return d.Position()
	})
}

// locate is the cell the part of the written scenario at pos came from: the innermost block
// holding it, then its attribute holding it, else the block itself.
func locate(block *hclsyntax.Block, o *origin, pos hcl.Pos) cellPos {
	for i, nested := range block.Body.Blocks {
		if i < len(o.blocks) && holds(nested.Range(), pos) {
			return locate(nested, o.blocks[i], pos)
		}
	}
	for name, attr := range block.Body.Attributes {
		if holds(attr.SrcRange, pos) {
			if at, ok := o.attrs[name]; ok {
				return at
			}
		}
	}
	return o.def
}

func holds(r hcl.Range, p hcl.Pos) bool {
	after := p.Line > r.Start.Line || (p.Line == r.Start.Line && p.Column >= r.Start.Column)
	before := p.Line < r.End.Line || (p.Line == r.End.Line && p.Column <= r.End.Column)
	return after && before
}

// planSource is the text of plan's block alone, cut from the file it was loaded from, so that
// the check loads the plan and not the other things that file may hold, and the block's range
// in that file.
func planSource(set *scenarios.Set, plan *scenarios.Plan) ([]byte, hcl.Range, error) {
	f := set.Files[plan.DeclRange.Filename]
	if f == nil {
		return nil, hcl.Range{}, fmt.Errorf("the source of plan %q is not loaded", plan.Name)
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, hcl.Range{}, fmt.Errorf("the source of plan %q is not HCL", plan.Name)
	}
	for _, b := range body.Blocks {
		if b.Type == "plan" && len(b.Labels) == 1 && b.Labels[0] == plan.Name {
			r := b.Range()
			return f.Bytes[r.Start.Byte:r.End.Byte], r, nil
		}
	}
	return nil, hcl.Range{}, fmt.Errorf("plan %q is not in %s", plan.Name, plan.DeclRange.Filename)
}
