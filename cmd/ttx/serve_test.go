package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveInBackground runs serve until the returned stop is called. It returns the URL and
// what serve printed on stdout before it was ready; stop returns the exit code and all that
// serve printed.
func serveInBackground(t *testing.T, cfg serveConfig) (url, banner string, stop func() (int, string, string)) {
	t.Helper()
	ready := make(chan string, 1)
	cfg.ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- serve(ctx, cfg, &stdout, &stderr) }()
	select {
	case addr := <-ready:
		url = "http://" + addr
		// serve prints nothing more on stdout until it is stopped.
		banner = stdout.String()
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before serving:\n%s%s", code, stdout.String(), stderr.String())
	}
	stopped := false
	stop = func() (int, string, string) {
		stopped = true
		cancel()
		code := <-done
		return code, stdout.String(), stderr.String()
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return url, banner, stop
}

func serveRequest(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestServeServesRestoresAndStops(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	cfg := serveConfig{addr: "127.0.0.1:0", db: db, adminToken: "serve-test-admin"}
	url, _, stop := serveInBackground(t, cfg)
	status, _ := serveRequest(t, "GET", url+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, status)
	status, created := serveRequest(t, "POST", url+"/api/exercises", "serve-test-admin", `{"scenario":"hospital-ransomware","speed":60}`)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	id := created["id"].(string)
	code, stdout, stderr := stop()
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "ttx serving on "+url+"\n")
	assert.Contains(t, stdout, "admin token: the one in TTX_ADMIN_TOKEN")
	assert.NotContains(t, stdout+stderr, "serve-test-admin", "a token given is never printed")

	// Again over the same file: the exercise is back, its tokens work.
	url, _, stop = serveInBackground(t, cfg)
	status, _ = serveRequest(t, "GET", url+"/api/exercises/"+id, created["facilitator_token"].(string), "")
	assert.Equal(t, http.StatusOK, status)
	code, _, _ = stop()
	assert.Equal(t, 0, code)
}

func TestServeGeneratesAndPrintsAnAdminToken(t *testing.T) {
	url, banner, stop := serveInBackground(t, serveConfig{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "ttx.db")})
	m := regexp.MustCompile(`admin token: ([A-Za-z0-9_-]{43})\n`).FindStringSubmatch(banner)
	require.NotNil(t, m, banner)
	status, who := serveRequest(t, "GET", url+"/api/whoami", m[1], "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "admin", who["role"])
	code, _, stderr := stop()
	assert.Equal(t, 0, code)
	assert.NotContains(t, stderr, m[1], "the token is printed once, not logged")
}

func TestServeRefusesBadScenarios(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.hcl"), []byte("scenario \"x\" {\n  plan = \n"), 0o644))
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveConfig{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "ttx.db"), dirs: []string{dir}}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `broken\.hcl:\d+:\d+: error: `, stderr.String(), "diagnostics are printed as ttx validate prints them")
	assert.Empty(t, stdout.String())
}

func TestServeFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, runServe([]string{"--nope"}, &stdout, &stderr))
	assert.Equal(t, 2, runServe([]string{"extra"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "usage: ttx serve")
}

// TestServeRefusesAShortAdminToken: TTX_ADMIN_TOKEN needs 16 characters; exit 2 with a
// sentence.
func TestServeRefusesAShortAdminToken(t *testing.T) {
	t.Setenv("TTX_ADMIN_TOKEN", "fifteen-chars-x")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, runServe([]string{"--db", filepath.Join(t.TempDir(), "ttx.db")}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "TTX_ADMIN_TOKEN is 15 characters long; use at least 16")
	assert.Empty(t, stdout.String())
}

// TestServeRefusesABadTrustedProxy: --trusted-proxy takes an address or a CIDR.
func TestServeRefusesABadTrustedProxy(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, runServe([]string{"--trusted-proxy", "proxy.example"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), `--trusted-proxy "proxy.example" is not an IP address or CIDR`)
}

// TestASecondServerOnOneDatabaseRefusesToStart: the first holds the database's lock for its
// life; the second says so and exits 1, and the first serves on.
func TestASecondServerOnOneDatabaseRefusesToStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	url, _, stop := serveInBackground(t, serveConfig{addr: "127.0.0.1:0", db: db, adminToken: "serve-test-admin"})
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveConfig{addr: "127.0.0.1:0", db: db, adminToken: "serve-test-admin"}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "another ttx serve is already using the database "+db)
	status, _ := serveRequest(t, "GET", url+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, status)
	code, _, _ = stop()
	assert.Equal(t, 0, code)
}
