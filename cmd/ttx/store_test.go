package main

import (
	"bytes"
	"flag"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
)

// TestChooseDB: --db beats TTX_DB, which beats the flag's default.
func TestChooseDB(t *testing.T) {
	for _, tc := range []struct {
		name, env, want string
		args            []string
	}{
		{"default", "", "ttx.db", nil},
		{"environment", "postgres://db/ttx", "postgres://db/ttx", nil},
		{"flag beats environment", "postgres://db/ttx", "other.db", []string{"--db", "other.db"}},
		{"flag given as the default", "postgres://db/ttx", "ttx.db", []string{"--db", "ttx.db"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			db := dbFlag(fs, "ttx.db")
			require.NoError(t, fs.Parse(tc.args))
			assert.Equal(t, tc.want, chooseDB(fs, *db, tc.env))
		})
	}
}

// passwordIn is the password in the database URL u.
func passwordIn(tb testing.TB, u string) string {
	tb.Helper()
	parsed, err := url.Parse(u)
	require.NoError(tb, err)
	pw, ok := parsed.User.Password()
	require.True(tb, ok, "the test database has a password")
	return pw
}

// TestCommandsOnPostgres: rehearse keeps a run in the database TTX_DB names, report reads it
// from there, --db beats TTX_DB, and neither prints the password.
func TestCommandsOnPostgres(t *testing.T) {
	db := pgtest.URL(t)
	rehearsal := filepath.Join("..", "..", "scenarios", "library", "hospital-ransomware-rehearsals.hcl")
	run := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Main(args, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	t.Setenv("TTX_DB", db)
	code, stdout, stderr := run("rehearse", "--rehearsal", rehearsal, "--name", "hospital-struggling")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "stored as exercise rehearsal-hospital-struggling in "+postgres.Redact(db))
	assert.NotContains(t, stdout+stderr, passwordIn(t, db))

	code, stdout, stderr = run("report", "rehearsal-hospital-struggling", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"hospital-ransomware"`)

	// The flag beats the environment: an SQLite file without the exercise.
	sqliteDB := filepath.Join(t.TempDir(), "ttx.db")
	code, _, _ = run("rehearse", "--rehearsal", rehearsal, "--name", "hospital-strong", "--db", sqliteDB)
	require.Equal(t, 0, code)
	code, _, stderr = run("report", "rehearsal-hospital-struggling", "--db", sqliteDB)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `no exercise "rehearsal-hospital-struggling"`)
	code, _, stderr = run("report", "rehearsal-hospital-strong")
	assert.Equal(t, 1, code, "TTX_DB's database does not have the run stored with --db")
	assert.Contains(t, stderr, `no exercise "rehearsal-hospital-strong"`)
}

// TestServeOnPostgresNeedsAnAdminToken: servers sharing a database must share the admin token,
// so on PostgreSQL none makes one up: without TTX_ADMIN_TOKEN serve exits 2 and says why,
// whether --db or TTX_DB chose PostgreSQL.
func TestServeOnPostgresNeedsAnAdminToken(t *testing.T) {
	t.Setenv("TTX_ADMIN_TOKEN", "")
	for _, tc := range []struct {
		name string
		args []string
		env  string
	}{
		{"flag", []string{"serve", "--db", "postgres://ttx:secret@127.0.0.1:1/ttx"}, ""},
		{"environment", []string{"serve"}, "postgresql://ttx:secret@127.0.0.1:1/ttx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TTX_DB", tc.env)
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, &stdout, &stderr)
			assert.Equal(t, 2, code)
			assert.Equal(t, "ttx serve: on PostgreSQL the admin token must be set: give every server the same TTX_ADMIN_TOKEN\n", stderr.String())
			assert.NotContains(t, stdout.String()+stderr.String(), "secret")
		})
	}
}
