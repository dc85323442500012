package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReachableURLs: bound to one address, that one; bound to every interface, every address
// of the machine's interfaces, those of the room before loopback.
func TestReachableURLs(t *testing.T) {
	assert.Equal(t, []string{"http://127.0.0.1:8080"}, reachableURLs(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}))
	assert.Equal(t, []string{"http://[::1]:8080"}, reachableURLs(&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}))

	all := reachableURLs(&net.TCPAddr{IP: net.IPv4zero, Port: 8080})
	require.NotEmpty(t, all)
	ips, err := interfaceIPs()
	require.NoError(t, err)
	var want int
	for _, ip := range ips {
		if ip.To4() != nil {
			want++
			assert.Contains(t, all, "http://"+net.JoinHostPort(ip.String(), "8080"), "every IPv4 address of the machine")
		}
	}
	assert.Len(t, all, want)
	loopbackSeen := false
	for _, u := range all {
		isLoopback := strings.HasPrefix(u, "http://127.")
		assert.False(t, loopbackSeen && !isLoopback, "loopback comes last: %v", all)
		loopbackSeen = loopbackSeen || isLoopback
	}
}

// TestServeOnEveryInterfacePrintsEachAddressAndLogsQuietly: `--addr 0.0.0.0:0` prints an
// address per interface, and without --access-log no request is logged.
func TestServeOnEveryInterfacePrintsEachAddressAndLogsQuietly(t *testing.T) {
	cfg := serveConfig{addr: "0.0.0.0:0", db: filepath.Join(t.TempDir(), "ttx.db"), adminToken: "serve-test-admin"}
	url, banner, stop := serveInBackground(t, cfg)
	port := url[strings.LastIndex(url, ":")+1:]
	lines := 0
	for _, l := range strings.Split(banner, "\n") {
		if strings.HasPrefix(l, "ttx serving on http://") {
			lines++
			assert.True(t, strings.HasSuffix(l, ":"+port), l)
		}
	}
	assert.GreaterOrEqual(t, lines, 1, banner)
	assert.Contains(t, banner, "ttx serving on http://127.0.0.1:"+port, "loopback is among them")
	status, _ := serveRequest(t, "GET", "http://127.0.0.1:"+port+"/api/whoami", "serve-test-admin", "")
	assert.Equal(t, 200, status)
	code, _, stderr := stop()
	assert.Equal(t, 0, code)
	assert.NotContains(t, stderr, "path=/api/whoami", "no line per request without --access-log")

	cfg.accessLog = true
	url, _, stop = serveInBackground(t, cfg)
	port = url[strings.LastIndex(url, ":")+1:]
	serveRequest(t, "GET", "http://127.0.0.1:"+port+"/api/whoami", "serve-test-admin", "")
	_, _, stderr = stop()
	assert.Contains(t, stderr, "path=/api/whoami", "--access-log logs each request")
}

// TestServeStopPausesRunningExercises: a graceful stop logs the pause of a running exercise,
// with the server's reason; the next start finds it paused by the server, not the facilitator.
func TestServeStopPausesRunningExercises(t *testing.T) {
	cfg := serveConfig{addr: "127.0.0.1:0", db: filepath.Join(t.TempDir(), "ttx.db"), adminToken: "serve-test-admin"}
	url, _, stop := serveInBackground(t, cfg)
	status, created := serveRequest(t, "POST", url+"/api/exercises", "serve-test-admin", `{"scenario":"hospital-ransomware","speed":60}`)
	require.Equal(t, 201, status, "%v", created)
	id, fac := created["id"].(string), created["facilitator_token"].(string)
	status, _ = serveRequest(t, "POST", url+"/api/exercises/"+id+"/start", fac, "")
	require.Equal(t, 200, status)
	code, _, _ := stop()
	require.Equal(t, 0, code)

	url, _, stop = serveInBackground(t, cfg)
	status, got := serveRequest(t, "GET", url+"/api/exercises/"+id, fac, "")
	require.Equal(t, 200, status)
	assert.Equal(t, "paused", got["status"])
	assert.Equal(t, "server stopped", got["pause_reason"])
	stop()
}
