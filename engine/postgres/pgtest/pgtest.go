package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// EnvURL is the variable naming a PostgreSQL server for the tests to use instead of a private
// cluster: a URL whose user may create and drop databases.
const EnvURL = "TTX_TEST_POSTGRES"

// shared is the one server of a test binary: started by the first URL, stopped by Main.
var shared struct {
	once    sync.Once
	main    bool   // Main is running the tests
	server  string // the URL of an existing database on it
	cluster *Cluster
	err     error
}

var databases atomic.Int64

// Main runs m's tests and then stops the private cluster if one was started. A package whose
// tests call URL has
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	shared.main = true
	code := m.Run()
	if shared.cluster != nil {
		if err := shared.cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// URL returns the URL of a new empty database for tb, dropped when tb ends, on the server
// TTX_TEST_POSTGRES names or else on the test binary's private cluster, started on first use.
// tb fails, saying what to install, where PostgreSQL is missing.
func URL(tb testing.TB) string {
	tb.Helper()
	if !shared.main {
		tb.Fatal("pgtest.URL needs the package's TestMain to call pgtest.Main, which stops the cluster")
	}
	shared.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			shared.server = u
			return
		}
		shared.cluster, shared.err = Start(Options{})
		if shared.err == nil {
			shared.server = shared.cluster.URL("postgres")
		}
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	name := fmt.Sprintf("ttx_test_%d_%d_%s", os.Getpid(), databases.Add(1), databaseSuffix(tb.Name()))
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	u, err := CreateDatabase(ctx, shared.server, name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		if err := DropDatabase(ctx, shared.server, name); err != nil {
			tb.Error(err)
		}
	})
	return u
}

// databaseSuffix turns a test's name into letters, digits and underscores, short enough for
// a database name (63 bytes at most).
func databaseSuffix(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if b.Len() >= 30 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
