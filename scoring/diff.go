package scoring

import (
	"fmt"
	"strings"
)

// UnifiedDiff returns the unified diff of two texts, line by line, with three lines of context,
// headed `--- a/NAME` and `+++ b/NAME` as git prints it (a leading "/" dropped); "" when they are equal. Lines are
// matched by a longest common subsequence, which is plenty for plan files.
func UnifiedDiff(name string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	x, y := splitLines(string(a)), splitLines(string(b))
	ops := diffLines(x, y)

	const context = 3
	var out strings.Builder
	name = strings.TrimLeft(name, "/")
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	// Group the edit script into hunks: runs of changes with up to 2×context equal lines
	// between them.
	i := 0
	for i < len(ops) {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		hunk := ops[start:end]
		aStart, bStart := hunk[0].aLine, hunk[0].bLine
		aLen, bLen := 0, 0
		for _, op := range hunk {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, op := range hunk {
			out.WriteByte(op.kind)
			out.WriteString(op.text)
			out.WriteByte('\n')
			if op.noEOL {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

// hunkRange writes a hunk's start (1-based) and length; an empty range names the line before.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

type line struct {
	text  string
	noEOL bool
}

func splitLines(s string) []line {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "\n")
	noEOL := parts[len(parts)-1] != ""
	if !noEOL {
		parts = parts[:len(parts)-1]
	}
	out := make([]line, len(parts))
	for i, p := range parts {
		out[i] = line{text: p}
	}
	out[len(out)-1].noEOL = noEOL
	return out
}

// diffOp is one line of an edit script: ' ' kept, '-' removed from a, '+' added from b. aLine
// and bLine are the 0-based positions in a and b where the op stands.
type diffOp struct {
	kind         byte
	text         string
	noEOL        bool
	aLine, bLine int
}

// diffLines computes an edit script from the longest common subsequence of x and y.
func diffLines(x, y []line) []diffOp {
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, diffOp{' ', x[i].text, x[i].noEOL, i, j})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] > lcs[i+1][j]):
			ops = append(ops, diffOp{'+', y[j].text, y[j].noEOL, i, j})
			j++
		default:
			ops = append(ops, diffOp{'-', x[i].text, x[i].noEOL, i, j})
			i++
		}
	}
	return ops
}
