package scenarios_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// TestFormat checks Format against testdata/format: each NAME.golden.hcl is what `terraform
// fmt` wrote for NAME.in.hcl, so Format must agree with it byte for byte, and leave the golden
// file as it is.
func TestFormat(t *testing.T) {
	ins, err := filepath.Glob("testdata/format/*.in.hcl")
	require.NoError(t, err)
	require.NotEmpty(t, ins)
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.hcl")
		t.Run(name, func(t *testing.T) {
			src := mustRead(t, in)
			golden := mustRead(t, filepath.Join("testdata/format", name+".golden.hcl"))
			assert.Equal(t, string(golden), string(scenarios.Format(src)))
			assert.Equal(t, string(golden), string(scenarios.Format(golden)), "formatting is idempotent")
		})
	}
}

// TestFormatLibrary checks that the bundled library and the valid examples are formatted.
func TestFormatLibrary(t *testing.T) {
	paths, err := filepath.Glob("library/*.hcl")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/valid/*/*.hcl")
	require.NoError(t, err)
	for _, p := range append(paths, more...) {
		src := mustRead(t, p)
		assert.Equal(t, string(src), string(scenarios.Format(src)), "%s is not formatted; run ttx fmt on it", p)
	}
}

func TestUnifiedDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	new := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n"
	want := `--- x (old)
+++ x (new)
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -11,3 +11,4 @@
 k
 l
 m
+n
`
	assert.Equal(t, want, string(scenarios.UnifiedDiff("x (old)", "x (new)", []byte(old), []byte(new))))
	assert.Empty(t, scenarios.UnifiedDiff("a", "b", []byte(old), []byte(old)))
	assert.Equal(t, "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n",
		string(scenarios.UnifiedDiff("a", "b", []byte("x"), []byte("x\n"))))
}

// TestUnifiedDiffMatchesDiff compares with diff -u over the format fixtures, where the tool
// is installed (it is on every Debian machine: diffutils is essential).
func TestUnifiedDiffMatchesDiff(t *testing.T) {
	diffTool, err := exec.LookPath("diff")
	require.NoError(t, err, "diff (diffutils) is needed for this test")
	ins, err := filepath.Glob("testdata/format/*.in.hcl")
	require.NoError(t, err)
	for _, in := range ins {
		golden := strings.Replace(in, ".in.hcl", ".golden.hcl", 1)
		out, _ := exec.Command(diffTool, "-u", "--label", "old", "--label", "new", in, golden).Output()
		got := scenarios.UnifiedDiff("old", "new", mustRead(t, in), mustRead(t, golden))
		assert.Equal(t, string(out), string(got), in)
	}
}
