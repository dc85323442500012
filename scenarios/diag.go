package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// problems collects the diagnostics of one load, so that every problem in a set of files is
// reported in one run rather than the first only.
type problems struct {
	diags hcl.Diagnostics
}

func (p *problems) add(diags ...*hcl.Diagnostic) {
	p.diags = append(p.diags, diags...)
}

// errorf records an error at rng. The detail is the sentence that tells the author how to fix
// it.
func (p *problems) errorf(rng hcl.Range, summary, detail string, args ...any) {
	p.add(diagnostic(hcl.DiagError, rng, summary, fmt.Sprintf(detail, args...)))
}

// warnf records a warning at rng: something that loads but will not do what the author meant.
func (p *problems) warnf(rng hcl.Range, summary, detail string, args ...any) {
	p.add(diagnostic(hcl.DiagWarning, rng, summary, fmt.Sprintf(detail, args...)))
}

// duplicate records a second definition of a name, pointing at where the first one is.
func (p *problems) duplicate(kind, name string, rng, first hcl.Range) {
	a := article(kind)
	p.errorf(rng, "Duplicate "+kind,
		"%s named %q is already defined at %s. Rename one of them or remove this one.",
		strings.ToUpper(a[:1])+a[1:], name, where(first))
}

func diagnostic(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	subject := rng
	return &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: &subject}
}

// sorted returns the diagnostics in file order (file, line, column), keeping the order of
// those at the same place, so output follows the source whatever order the checks ran in.
func (p *problems) sorted() hcl.Diagnostics {
	sort.SliceStable(p.diags, func(i, j int) bool {
		a, b := p.diags[i].Subject, p.diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		default:
			return a.Start.Column < b.Start.Column
		}
	})
	return p.diags
}

// where formats the start of rng as file:line:col.
func where(rng hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", rng.Filename, rng.Start.Line, rng.Start.Column)
}

// notLoaded reports at rng that no kind named name is among those loaded, with the loaded
// names it may have meant.
func (p *problems) notLoaded(rng hcl.Range, kind, name string, loaded []string) {
	p.errorf(rng, "Unknown "+kind,
		"No %s named %q is loaded. Load the file that defines it together with this one, or fix the name. %s",
		kind, name, choices(name, loaded, kind))
}

// choices describes the names an unknown one could have been: the nearest by edit distance
// when one is close, then the known names: all of them when there are few, else the closest
// ones and how many more there are.
func choices(name string, names []string, kind string) string {
	if len(names) == 0 {
		return fmt.Sprintf("There is no %s to refer to yet.", kind)
	}
	var b strings.Builder
	if near := nearest(name, names); near != "" {
		fmt.Fprintf(&b, "Did you mean %q? ", near)
	}
	listed := append([]string(nil), names...)
	if len(listed) > maxListed {
		listed = closest(name, listed, maxShortList)
	}
	sort.Strings(listed)
	fmt.Fprintf(&b, "Known: %s", strings.Join(listed, ", "))
	if more := len(names) - len(listed); more > 0 {
		fmt.Fprintf(&b, ", and %d more", more)
	}
	b.WriteString(".")
	return b.String()
}

// An unknown name's message lists every known name up to maxListed of them; beyond that, the
// maxShortList closest to it.
const (
	maxListed    = 20
	maxShortList = 12
)

// closest returns the n names nearest to s by edit distance, ties broken by name. Names too
// long to compare cheaply count as far as their length.
func closest(s string, names []string, n int) []string {
	type scored struct {
		name string
		dist int
	}
	all := make([]scored, len(names))
	for i, name := range names {
		d := max(len(s), len(name))
		if len(s) <= 64 && len(name) <= 64 {
			d = editDistance(s, name)
		}
		all[i] = scored{name, d}
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].dist < all[j].dist || (all[i].dist == all[j].dist && all[i].name < all[j].name)
	})
	out := make([]string, 0, n)
	for _, sc := range all[:min(n, len(all))] {
		out = append(out, sc.name)
	}
	return out
}

// Nearest returns the name of names closest to s within a third of its length in edits, or ""
// when none is that close (or s is itself one of them): the rule behind every "did you mean"
// the loader prints, for tools that check names of their own (the MSEL import).
func Nearest(s string, names []string) string { return nearest(s, names) }

// nearest returns the name closest to s within a third of its length in edits, or "".
func nearest(s string, names []string) string {
	best, bestDist := "", len(s)/3+1
	if len(s) > 64 {
		return ""
	}
	for _, n := range names {
		if len(n) > 64 {
			continue
		}
		if d := editDistance(s, n); d < bestDist || (d == bestDist && best != "" && n < best) {
			best, bestDist = n, d
		}
	}
	if best == s {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
