package main_test

// The real ttx binary as the crash test runs it: built once into a temporary directory,
// started on a loopback port chosen by the kernel, killed with SIGKILL, started again on the
// same database.

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web/wstest"
)

// startTimeout bounds how long a server may take to print its address, and a killed or
// stopped one to exit. Nothing waits for it to pass: it only bounds a broken run.
const startTimeout = 60 * time.Second

// mustBuildTTX builds the ttx binary of this package into a temporary directory, with the
// race detector when the test runs with it.
func mustBuildTTX(tb testing.TB) string {
	tb.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(tb, err, "the crash test builds ttx with the go command")
	bin := filepath.Join(tb.TempDir(), "ttx")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command(goBin, append(args, ".")...)
	out, err := cmd.CombinedOutput()
	require.NoError(tb, err, "go build ./cmd/ttx: %s", out)
	return bin
}

// serverProc is one running `ttx serve` process.
type serverProc struct {
	cmd    *exec.Cmd
	url    string        // http://127.0.0.1:PORT
	exited chan struct{} // closed once the process has exited and its output is read
}

// mustStartServer runs `ttx serve --addr 127.0.0.1:0` over db with the scenarios of dir and
// returns once it has printed the address it listens on. Its stdout and stderr go to out.
func mustStartServer(tb testing.TB, bin, db, dir, admin string, out *wstest.LogBuffer) *serverProc {
	tb.Helper()
	return mustStartServerAt(tb, bin, "127.0.0.1:0", db, dir, admin, out)
}

// mustStartServerAt is mustStartServer listening on addr: a replica started again where
// its clients (or a load balancer) knew it.
func mustStartServerAt(tb testing.TB, bin, addr, db, dir, admin string, out *wstest.LogBuffer) *serverProc {
	tb.Helper()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", db, "--scenarios", dir)
	cmd.Env = append(os.Environ(), "TTX_ADMIN_TOKEN="+admin)
	cmd.Stderr = out
	stdout, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	p := &serverProc{cmd: cmd, exited: make(chan struct{})}
	served := make(chan string, 1)
	go func() {
		defer close(p.exited)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(out, line)
			if u, ok := strings.CutPrefix(line, "ttx serving on "); ok {
				served <- u
			}
		}
		_, _ = io.Copy(out, stdout)
		_ = cmd.Wait()
	}()
	select {
	case p.url = <-served:
	case <-p.exited:
		tb.Fatalf("ttx serve exited before it served:\n%s", out.String())
	case <-time.After(startTimeout):
		p.kill(tb)
		tb.Fatalf("ttx serve printed no address within %v:\n%s", startTimeout, out.String())
	}
	tb.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.kill(tb)
		}
	})
	return p
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *serverProc) kill(tb testing.TB) {
	tb.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	p.wait(tb, "killed")
}

// stop sends SIGTERM, as an operator's Ctrl-C would, and waits for the process to exit.
func (p *serverProc) stop(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, p.cmd.Process.Signal(syscall.SIGTERM))
	p.wait(tb, "stopped")
	require.Equal(tb, 0, p.cmd.ProcessState.ExitCode(), "ttx serve exits 0 on SIGTERM")
}

func (p *serverProc) wait(tb testing.TB, what string) {
	tb.Helper()
	select {
	case <-p.exited:
	case <-time.After(startTimeout):
		tb.Fatalf("ttx serve did not exit within %v of being %s", startTimeout, what)
	}
}

// api calls the server's HTTP API with token and decodes a 2xx answer into out.
func (p *serverProc) api(tb testing.TB, method, path, token string, body, out any) {
	tb.Helper()
	require.NoError(tb, wstest.Call(&http.Client{Timeout: startTimeout}, p.url, method, path, token, body, out))
}

// assertCleanOutput checks what the servers printed (logs): theirs, with no data race, no
// panic, and no secret of exercise x or the admin token in it.
func assertCleanOutput(tb testing.TB, logs, admin string, x facilitator.Created) {
	tb.Helper()
	require.Contains(tb, logs, "ttx serving on", "the output is the servers'")
	assert.NotContains(tb, logs, "DATA RACE")
	assert.NotContains(tb, logs, "panic")
	secrets := []string{admin, x.FacilitatorToken, x.ReviewerToken}
	for _, code := range x.Teams {
		secrets = append(secrets, code, facilitator.NormalizeJoinCode(code))
	}
	for _, s := range secrets {
		assert.NotContains(tb, logs, s, "a token or join code in the servers' output")
	}
}
