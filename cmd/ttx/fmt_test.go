package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mustFormatDir copies the format fixtures' inputs into a temporary directory.
func mustFormatDir(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	ins, err := filepath.Glob("../../scenarios/testdata/format/*.in.hcl")
	require.NoError(tb, err)
	require.NotEmpty(tb, ins)
	for _, in := range ins {
		src, err := os.ReadFile(in)
		require.NoError(tb, err)
		require.NoError(tb, os.WriteFile(filepath.Join(dir, filepath.Base(in)), src, 0o644))
	}
	return dir
}

func mustReadString(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return string(b)
}

func TestFmtCheck(t *testing.T) {
	dir := mustFormatDir(t)
	before := mustReadString(t, filepath.Join(dir, "labels.in.hcl"))
	code, stdout, stderr := runMain("fmt", "-check", dir)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, filepath.Join(dir, "labels.in.hcl")+"\n")
	assert.NotContains(t, stdout, "formatted.in.hcl", "an already formatted file is not listed")
	assert.Equal(t, before, mustReadString(t, filepath.Join(dir, "labels.in.hcl")), "-check writes nothing")
}

func TestFmtRewrites(t *testing.T) {
	dir := mustFormatDir(t)
	code, _, stderr := runMain("fmt", dir)
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{"labels", "misaligned", "interpolation", "options", "formatted"} {
		want := mustReadString(t, filepath.Join("../../scenarios/testdata/format", name+".golden.hcl"))
		assert.Equal(t, want, mustReadString(t, filepath.Join(dir, name+".in.hcl")), name)
	}
	code, stdout, _ := runMain("fmt", "-check", dir)
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout)
}

func TestFmtDiff(t *testing.T) {
	dir := mustFormatDir(t)
	path := filepath.Join(dir, "labels.in.hcl")
	code, stdout, _ := runMain("fmt", "-check", "-diff", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "-plan acme {\n-  team /* a comment */ \"irt\" {\n+plan \"acme\" {\n+  team \"irt\" {\n")
	assert.Contains(t, stdout, "@@ -1,13 +1,13 @@\n")
}

func TestFmtSyntaxError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.hcl")
	src := "plan \"x\" {\n  title = \"a\" \"b\"\n}\n"
	require.NoError(t, os.WriteFile(bad, []byte(src), 0o644))
	code, _, stderr := runMain("fmt", dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, bad+":2:15: error: Missing newline after argument")
	assert.Equal(t, src, mustReadString(t, bad), "a file that does not parse is left alone")
}

func TestFmtSkipsTestdata(t *testing.T) {
	dir := t.TempDir()
	fixture := filepath.Join(dir, "testdata", "messy.hcl")
	require.NoError(t, os.MkdirAll(filepath.Dir(fixture), 0o755))
	messy := "plan   \"x\" {\n}\n"
	require.NoError(t, os.WriteFile(fixture, []byte(messy), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "top.hcl"), []byte(messy), 0o644))
	code, stdout, stderr := runMain("fmt", dir)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, filepath.Join(dir, "top.hcl")+"\n", stdout)
	assert.Equal(t, messy, mustReadString(t, fixture), "fixtures under testdata are left alone")
}

func TestFmtMissingPath(t *testing.T) {
	code, _, stderr := runMain("fmt", "no/such/file.hcl")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Cannot read no/such/file.hcl")
}
