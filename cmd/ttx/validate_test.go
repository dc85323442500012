package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func runMain(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestValidateClean(t *testing.T) {
	code, stdout, stderr := runMain("validate", "../../scenarios/testdata/valid/v2")
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "0 errors, 0 warnings in 3 files (1 plan, 1 scenario, 1 rehearsal)")
}

func TestValidateLibrary(t *testing.T) {
	code, stdout, stderr := runMain("validate")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "the bundled library: 0 errors")
}

func TestValidateErrors(t *testing.T) {
	path := "../../scenarios/testdata/invalid/plan_unknown_owner.hcl"
	code, stdout, stderr := runMain("validate", path)
	assert.Equal(t, 1, code)
	lines := strings.Split(stderr, "\n")
	assert.Equal(t, path+`:10:13: error: Unknown team: Plan "p" (`+path+`:4:1) has no team named "c". Define it there or refer to one that exists. Known: a, b.`, lines[0])
	assert.Equal(t, "  on "+path+` line 10, in plan "p":`, lines[1])
	assert.Equal(t, "  10:     owner = team.c", lines[2])
	assert.Contains(t, stdout, "1 error, 0 warnings in 1 file")
}

func TestValidateWarningsOnly(t *testing.T) {
	// Warnings alone do not fail validation; the fixture's warnings are all it has besides
	// none of its own errors.
	code, _, stderr := runMain("validate", "../../scenarios/testdata/invalid/rehearsal_unknown_names.hcl")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, ": warning: Unknown option:")
	assert.NotContains(t, stderr, ": error:")
}

func TestValidateMissingPath(t *testing.T) {
	code, _, stderr := runMain("validate", "no/such/dir")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "error: Cannot read no/such/dir")
}
