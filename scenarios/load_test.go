package scenarios_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// want is one expected diagnostic of a fixture, written in it as
//
//	# want: LINE:COL summary-substring [| detail-substring]
//	# want-warning: LINE:COL summary-substring [| detail-substring]
type want struct {
	severity     hcl.DiagnosticSeverity
	line, column int
	summary      string
	detail       string
}

func (w want) String() string {
	return fmt.Sprintf("%d:%d %s %q %q", w.line, w.column, severityName(w.severity), w.summary, w.detail)
}

var wantLine = regexp.MustCompile(`^#\s*want(-warning)?:\s*(\d+):(\d+)\s+(.+)$`)

func mustWants(tb testing.TB, path string) []want {
	tb.Helper()
	src, err := os.ReadFile(path)
	require.NoError(tb, err)
	var wants []want
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		m := wantLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		w := want{severity: hcl.DiagError}
		if m[1] != "" {
			w.severity = hcl.DiagWarning
		}
		w.line, _ = strconv.Atoi(m[2])
		w.column, _ = strconv.Atoi(m[3])
		w.summary, w.detail, _ = strings.Cut(m[4], " | ")
		w.summary, w.detail = strings.TrimSpace(w.summary), strings.TrimSpace(w.detail)
		wants = append(wants, w)
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, wants, "%s has no '# want:' line; every invalid fixture states its diagnostics", path)
	return wants
}

func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

func (w want) matches(d *hcl.Diagnostic) bool {
	return d.Severity == w.severity && d.Subject != nil &&
		d.Subject.Start.Line == w.line && d.Subject.Start.Column == w.column &&
		strings.Contains(d.Summary, w.summary) && strings.Contains(d.Detail, w.detail)
}

// TestInvalidFixtures loads each testdata/invalid file on its own and checks that it gives
// exactly the diagnostics it declares: severity, line, column, summary and detail.
func TestInvalidFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/invalid/*.hcl")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 35)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".hcl"), func(t *testing.T) {
			wants := mustWants(t, path)
			_, diags := scenarios.Load(path)
			remaining := append(hcl.Diagnostics(nil), diags...)
			for _, w := range wants {
				found := false
				for i, d := range remaining {
					if w.matches(d) {
						remaining = append(remaining[:i], remaining[i+1:]...)
						found = true
						break
					}
				}
				assert.True(t, found, "missing diagnostic %s; got:\n%s", w, describe(diags))
			}
			assert.Empty(t, remaining, "unexpected diagnostics:\n%s", describe(remaining))
			for _, d := range diags {
				assert.NotEmpty(t, d.Detail, "diagnostic %q has no detail saying how to fix it", d.Summary)
				assert.Equal(t, strings.TrimSpace(d.Detail), d.Detail, "diagnostic %q: its detail begins or ends with white space", d.Summary)
				require.NotNil(t, d.Subject, "diagnostic %q has no position", d.Summary)
				assert.Equal(t, path, d.Subject.Filename)
			}
		})
	}
}

func describe(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Subject != nil {
			fmt.Fprintf(&b, "  %d:%d ", d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "%s: %s: %s\n", severityName(d.Severity), d.Summary, d.Detail)
	}
	return b.String()
}
