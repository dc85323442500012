// Package pgtest runs a private PostgreSQL server for tests and benchmarks: initdb into a
// temporary directory, the server on a free loopback port, each test given a database of its
// own. Where the binaries refuse root (initdb does), they run as the unprivileged user nobody,
// with the directory owned by it. TTX_TEST_POSTGRES, when set, names a server to use instead.
package pgtest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// NotInstalled is the sentence a test fails with where PostgreSQL is missing.
const NotInstalled = "PostgreSQL is not installed: the tests need its server binaries " +
	"(on Debian: apt-get install -y postgresql; .ci/run does it), " +
	"or TTX_TEST_POSTGRES set to the URL of a server where they may create databases"

// startTimeout bounds how long initdb and the server may take to start, and the server to
// stop. Nothing waits for it to pass: it only bounds a broken run.
const startTimeout = 60 * time.Second

// Options say how a Cluster runs.
type Options struct {
	// Durable keeps fsync on, as a production server does: for benchmarks. Tests leave it
	// off, which changes nothing they can see short of a machine crash, and is faster.
	Durable bool
}

// Cluster is a PostgreSQL server of its own in a temporary directory, listening on a loopback
// port. Stop it when done; it also dies with the process that started it.
type Cluster struct {
	dir      string // the temporary directory: data/, the password file
	port     int
	password string
	exited   chan struct{} // closed once the server has exited
	proc     *os.Process
	log      *tail

	bin  string // for Up
	cred *syscall.Credential
	opts Options
}

// User is the superuser of a Cluster.
const User = "ttx"

// Start creates and starts a cluster.
func Start(opts Options) (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, uid, gid, err := unprivileged()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ttx-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, password: randomHex(16), bin: bin, cred: cred, opts: opts}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(dir)
		}
	}()
	pwfile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwfile, []byte(c.password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if cred != nil {
		for _, p := range []string{dir, pwfile} {
			if err := os.Chown(p, uid, gid); err != nil {
				return nil, fmt.Errorf("pgtest: give %s to the unprivileged user: %w", p, err)
			}
		}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", User,
		"--pwfile", pwfile, "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgtest: initdb: %v: %s", err, out)
	}
	for attempt := 0; ; attempt++ {
		err := c.start(bin, cred, opts)
		if err == nil {
			break
		}
		// Another process may have taken the free port between our look and the server's bind.
		if attempt == 4 || !strings.Contains(err.Error(), "could not bind") {
			return nil, err
		}
		c.port = 0
	}
	ok = true
	return c, nil
}

// start runs the server, on a free port the first time and on the same port after, and
// returns once it accepts connections.
func (c *Cluster) start(bin string, cred *syscall.Credential, opts Options) error {
	if c.port == 0 {
		port, err := freePort()
		if err != nil {
			return err
		}
		c.port = port
	}
	port := c.port
	args := []string{"-D", filepath.Join(c.dir, "data"), "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
		"-c", "max_connections=300", "-c", "logging_collector=off"}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = c.dir
	// SIGQUIT, an immediate shutdown, if this process dies without stopping the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	c.log = &tail{}
	c.exited = make(chan struct{})
	ready := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// The parent-death signal is sent when the thread that started the child exits: this
		// goroutine keeps its thread until the server has exited.
		runtime.LockOSThread()
		defer close(c.exited)
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		c.proc = cmd.Process
		started <- nil
		sc := bufio.NewScanner(stderr)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			c.log.add(line)
			if strings.Contains(line, "database system is ready to accept connections") {
				once.Do(func() { close(ready) })
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = cmd.Wait()
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return nil
	case <-c.exited:
		return fmt.Errorf("pgtest: postgres exited before accepting connections: %s", c.log)
	case <-timer.C:
		_ = c.proc.Kill()
		<-c.exited
		return fmt.Errorf("pgtest: postgres did not accept connections within %v: %s", startTimeout, c.log)
	}
}

// Up starts the server again after Down, on the same port, with the same data.
func (c *Cluster) Up() error { return c.start(c.bin, c.cred, c.opts) }

// URL is the URL of the database name on the cluster, as its superuser.
func (c *Cluster) URL(name string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(User, c.password),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)), Path: "/" + name, RawQuery: "sslmode=disable"}
	return u.String()
}

// Stop shuts the server down (fast: open sessions are ended) and removes its directory.
func (c *Cluster) Stop() error {
	defer os.RemoveAll(c.dir)
	return c.Down()
}

// Down shuts the server down as Stop does, keeping its data for Up: a database restart, for
// the tests of what survives one.
func (c *Cluster) Down() error {
	select {
	case <-c.exited:
		return nil // down already
	default:
	}
	if err := c.proc.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pgtest: stop postgres: %w", err)
	}
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-c.exited:
		return nil
	case <-timer.C:
		_ = c.proc.Kill()
		<-c.exited
		return fmt.Errorf("pgtest: postgres did not stop within %v: %s", startTimeout, c.log)
	}
}

// CreateDatabase creates an empty database on the server at serverURL (a URL whose
// database may be any existing one) and returns its URL.
func CreateDatabase(ctx context.Context, serverURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", fmt.Errorf("pgtest: connect to create database %s: %w", name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("pgtest: create database %s: %w", name, err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// DropDatabase drops the database name on the server at serverURL, ending its sessions.
func DropDatabase(ctx context.Context, serverURL, name string) error {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return fmt.Errorf("pgtest: connect to drop database %s: %w", name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
		return fmt.Errorf("pgtest: drop database %s: %w", name, err)
	}
	return nil
}

// debianBinDirs is where Debian's postgresql packages put the server's binaries.
const debianBinDirs = "/usr/lib/postgresql/*/bin"

// binDir finds the directory of initdb and postgres: Debian's newest
// /usr/lib/postgresql/VERSION/bin, else the PATH's.
func binDir() (string, error) { return findBinDir(debianBinDirs, exec.LookPath) }

func findBinDir(pattern string, lookPath func(string) (string, error)) (string, error) {
	dirs, _ := filepath.Glob(pattern)
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	if p, err := lookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New(NotInstalled)
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// unprivileged returns the credential to run initdb and postgres with when this process is
// root (they refuse to run as root): the user nobody's. nil when not root.
func unprivileged() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, -1, -1, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, 0, 0, fmt.Errorf("pgtest: running as root, PostgreSQL needs an unprivileged user, and nobody is missing: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

// freePort returns a loopback TCP port nobody listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// tail keeps the last lines of the server's log, for errors.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > 20 {
		t.lines = t.lines[1:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
