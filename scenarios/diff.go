package scenarios

import (
	"bytes"
	"fmt"
	"strings"
)

// UnifiedDiff returns the changes from old to new as a unified diff (the format of diff -u and
// git diff) with three lines of context, headed by the two names; it is empty when the texts
// are equal. ttx fmt -diff and plan revisions print it.
func UnifiedDiff(oldName, newName string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	const context = 3
	// Walk the edit script, cutting it into hunks of changes with their context.
	for i := 0; i < len(ops); {
		if ops[i].kind == opEqual {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != opEqual {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == opEqual {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end], a, b)
		i = end
	}
	return out.Bytes()
}

type opKind int

const (
	opEqual opKind = iota
	opDelete
	opInsert
)

// op is one step of an edit script: a line of a (equal, delete) or of b (insert), by index.
type op struct {
	kind opKind
	a, b int // line indexes in a and b before this op
}

func writeHunk(out *bytes.Buffer, ops []op, a, b []string) {
	aStart, bStart := ops[0].a, ops[0].b
	aLen, bLen := 0, 0
	for _, o := range ops {
		if o.kind != opInsert {
			aLen++
		}
		if o.kind != opDelete {
			bLen++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
	for _, o := range ops {
		var line string
		switch o.kind {
		case opEqual:
			line = " " + a[o.a]
		case opDelete:
			line = "-" + a[o.a]
		case opInsert:
			line = "+" + b[o.b]
		}
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func hunkRange(start, length int) string {
	if length == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if length == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, length)
}

// splitLines splits text after each newline, keeping the newlines.
func splitLines(text []byte) []string {
	if len(text) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(text), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// maxEdits bounds the Myers search; texts further apart than this are shown as one block
// replaced by another, which is correct, only less precise.
const maxEdits = 2000

// diffLines returns a shortest edit script from a to b (Myers' algorithm), after taking off
// the common head and tail.
func diffLines(a, b []string) []op {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	var ops []op
	for i := 0; i < head; i++ {
		ops = append(ops, op{opEqual, i, i})
	}
	ops = append(ops, myers(a[head:len(a)-tail], b[head:len(b)-tail], head)...)
	for i := 0; i < tail; i++ {
		ops = append(ops, op{opEqual, len(a) - tail + i, len(b) - tail + i})
	}
	return ops
}

// myers diffs the middles of a and b, which start at line offset in both texts.
func myers(a, b []string, offset int) []op {
	n, m := len(a), len(b)
	replace := func() []op {
		ops := make([]op, 0, n+m)
		for i := 0; i < n; i++ {
			ops = append(ops, op{opDelete, offset + i, offset})
		}
		for j := 0; j < m; j++ {
			ops = append(ops, op{opInsert, offset + n, offset + j})
		}
		return ops
	}
	limit := min(n+m, maxEdits)
	if n == 0 || m == 0 {
		return replace()
	}
	// v[k+limit] is the furthest x on diagonal k; trace keeps v after each step d.
	v := make([]int, 2*limit+2)
	var trace [][]int
	found := -1
	for d := 0; d <= limit && found < 0; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[k-1+limit] < v[k+1+limit]) {
				x = v[k+1+limit]
			} else {
				x = v[k-1+limit] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[k+limit] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
		trace = append(trace, append([]int(nil), v[limit-d:limit+d+1]...))
	}
	if found < 0 {
		return replace()
	}
	// Walk back from (n, m) through the trace, collecting the script in reverse.
	var rev []op
	x, y := n, m
	for d := found; d > 0; d-- {
		prev := trace[d-1] // v after step d-1, indexed from k = -(d-1)
		at := func(k int) int { return prev[k+d-1] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, op{opEqual, offset + x, offset + y})
		}
		if x == px {
			y--
			rev = append(rev, op{opInsert, offset + x, offset + y})
		} else {
			x--
			rev = append(rev, op{opDelete, offset + x, offset + y})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, op{opEqual, offset + x, offset + y})
	}
	ops := make([]op, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}
