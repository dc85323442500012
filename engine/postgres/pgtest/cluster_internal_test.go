package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustExecutables(tb testing.TB, dir string, names ...string) {
	tb.Helper()
	require.NoError(tb, os.MkdirAll(dir, 0o755))
	for _, n := range names {
		require.NoError(tb, os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), 0o755))
	}
}

// TestFindBinDir: the newest Debian version with both binaries, else the PATH's; where there
// is none the error is the sentence that says what to install.
func TestFindBinDir(t *testing.T) {
	noPath := func(string) (string, error) { return "", errors.New("not in PATH") }
	root := t.TempDir()
	pattern := filepath.Join(root, "*", "bin")

	_, err := findBinDir(pattern, noPath)
	require.Error(t, err)
	assert.Equal(t, NotInstalled, err.Error())

	mustExecutables(t, filepath.Join(root, "9", "bin"), "initdb", "postgres")
	mustExecutables(t, filepath.Join(root, "15", "bin"), "initdb", "postgres")
	mustExecutables(t, filepath.Join(root, "16", "bin"), "initdb") // no server: not this one
	got, err := findBinDir(pattern, noPath)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "15", "bin"), got, "the newest complete version, 15 above 9")

	other := filepath.Join(t.TempDir(), "bin")
	mustExecutables(t, other, "initdb", "postgres")
	inPath := func(name string) (string, error) { return filepath.Join(other, name), nil }
	got, err = findBinDir(filepath.Join(t.TempDir(), "*", "bin"), inPath)
	require.NoError(t, err)
	assert.Equal(t, other, got)
}
