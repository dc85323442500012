package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
	"github.com/ttx-dev/ttx/engine/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var epoch = time.Date(2026, time.March, 14, 7, 30, 0, 0, time.UTC)

// TestStoreContract runs the store suite every engine.Store passes, on a real PostgreSQL.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		NewDatabase: func(t *testing.T) func() (engine.Store, error) {
			u := pgtest.URL(t)
			return func() (engine.Store, error) { return postgres.Open(context.Background(), u) }
		},
	})
}

func mustOpen(tb testing.TB, u string, opts ...postgres.Option) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), u, opts...)
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(tb testing.TB, s engine.Store, id string) {
	tb.Helper()
	require.NoError(tb, s.CreateExercise(context.Background(), engine.ExerciseRecord{
		ID: id, Scenario: "s", Plan: "p", Speed: 60, CreatedAt: epoch, Mode: engine.ModeTraining, Kind: engine.ExerciseLive}))
}

func note(seq int64, text string) engine.Event {
	return engine.Event{Seq: seq, T: time.Duration(seq) * time.Second, Wall: epoch.Add(time.Duration(seq) * time.Millisecond),
		Kind: engine.KindNote, Team: "irt", Name: "Alice", Text: text}
}

func notes(from, to int64, text string) []engine.Event {
	var es []engine.Event
	for seq := from; seq <= to; seq++ {
		es = append(es, note(seq, text))
	}
	return es
}

// TestMigrationsRunOnceWhenServersStartTogether: stores opened at once on a new database all
// open, and each migration is applied once, under the advisory lock.
func TestMigrationsRunOnceWhenServersStartTogether(t *testing.T) {
	u := pgtest.URL(t)
	const servers = 6
	var wg sync.WaitGroup
	errs := make([]error, servers)
	stores := make([]*postgres.Store, servers)
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgres.Open(context.Background(), u)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "store %d", i)
		stores[i].Close()
	}
	conn, err := pgx.Connect(context.Background(), u)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `SELECT version FROM schema_migrations ORDER BY version`)
	require.NoError(t, err)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4}, versions)
}

// TestAppendMustContinueTheLog: PostgreSQL checks under the exercise's row lock that an append
// continues the log, so a gap or a seq twice is refused whoever appends.
func TestAppendMustContinueTheLog(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, pgtest.URL(t))
	mustCreate(t, s, "x1")
	require.NoError(t, s.Append(ctx, "x1", notes(1, 2, "a")))

	for _, tc := range []struct {
		name   string
		events []engine.Event
	}{
		{"a gap", notes(4, 4, "gap")},
		{"a seq twice", notes(2, 3, "again")},
		{"a gap inside", []engine.Event{note(3, "b"), note(5, "c")}},
	} {
		err := s.Append(ctx, "x1", tc.events)
		assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%s: %v", tc.name, err)
	}
	require.NoError(t, s.Append(ctx, "x1", notes(3, 3, "after refusals the log carries on")))
	got, err := s.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Len(t, got, 3)
}

// TestAppendAfter: an append conditioned on where the log ends succeeds only there.
func TestAppendAfter(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, pgtest.URL(t))
	mustCreate(t, s, "x1")
	require.NoError(t, s.AppendAfter(ctx, "x1", 0, notes(1, 2, "a")))
	err := s.AppendAfter(ctx, "x1", 1, notes(2, 2, "b"))
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)
	err = s.AppendAfter(ctx, "x1", 2, notes(4, 4, "b"))
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "the events must still continue the log: %v", err)
	require.NoError(t, s.AppendAfter(ctx, "x1", 2, notes(3, 3, "c")))

	got, err := s.EventsAfter(ctx, "x1", 1)
	require.NoError(t, err)
	assert.Equal(t, []engine.Event{note(2, "a"), note(3, "c")}, got)
	got, err = s.EventsAfter(ctx, "x1", 3)
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = s.EventsAfter(ctx, "ghost", 0)
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
}

// TestTwoStoresOnOneDatabaseKeepOneLog: two servers appending the same seqs to one exercise
// (as replicas will) get one log: each seq stored once, and the loser of each race told so.
func TestTwoStoresOnOneDatabaseKeepOneLog(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	a, b := mustOpen(t, u), mustOpen(t, u)
	mustCreate(t, a, "x1")
	const n = 40
	var wg sync.WaitGroup
	won := make([][]int64, 2)
	for i, s := range []*postgres.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= n; seq++ {
				err := s.Append(ctx, "x1", []engine.Event{note(seq, fmt.Sprint("store ", i))})
				if err == nil {
					won[i] = append(won[i], seq)
				} else if engine.ErrorCode(err) != engine.EConflict {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got, err := b.Events(ctx, "x1")
	require.NoError(t, err)
	require.Len(t, got, n)
	assert.Len(t, append(won[0], won[1]...), n, "every seq stored exactly once")
	for i, e := range got {
		assert.Equal(t, int64(i+1), e.Seq)
	}
}

// TestPasswordNeverInErrors: a wrong password, an unknown database and an unreachable server
// are all errors that name the database with its password left out.
func TestPasswordNeverInErrors(t *testing.T) {
	good := pgtest.URL(t)
	const secret = "s3cret-Pa55word"
	withPassword := func(raw, pw string) string {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		u.User = url.UserPassword(u.User.Username(), pw)
		return u.String()
	}
	wrongDB, err := url.Parse(withPassword(good, secret))
	require.NoError(t, err)
	wrongDB.Path = "/no_such_database"
	for _, tc := range []struct{ name, url string }{
		{"wrong password", withPassword(good, secret)},
		{"unknown database", wrongDB.String()},
		{"no server", "postgres://ttx:" + secret + "@127.0.0.1:1/ttx?connect_timeout=5"},
		{"password parameter", "postgres://ttx@127.0.0.1:1/ttx?password=" + secret + "&connect_timeout=5"},
		{"bad URL", "postgres://ttx:" + secret + "@127.0.0.1:notaport/ttx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := postgres.Open(ctx, tc.url)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), secret)
			assert.Contains(t, err.Error(), "open database postgres://")
		})
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://ttx:pw@db:5432/ttx", "postgres://ttx:xxxxx@db:5432/ttx"},
		{"postgresql://ttx@db/ttx?sslmode=require", "postgresql://ttx@db/ttx?sslmode=require"},
		{"postgres://ttx@db/ttx?password=pw", "postgres://ttx@db/ttx?password=xxxxx"},
		{"postgres://ttx:pw@db:port/ttx\x7f", "postgres://(a URL that does not parse)"},
	} {
		assert.Equal(t, tc.want, postgres.Redact(tc.in), tc.in)
	}
	assert.True(t, postgres.IsURL("postgres://db/ttx"))
	assert.True(t, postgres.IsURL("postgresql://db/ttx"))
	assert.False(t, postgres.IsURL("ttx.db"))
	assert.False(t, postgres.IsURL("/var/lib/postgres/ttx.db"))
}

// BenchmarkAppendConcurrent appends one-event responses from many goroutines at once, each to
// its own exercise, as a server full of teams does; group commit shares the commits. On the
// test cluster fsync is off: this is the store's and the server's cost, not the disk's
// (ttxbench's responses-postgres runs with fsync on).
func BenchmarkAppendConcurrent(b *testing.B) {
	ctx := context.Background()
	s := mustOpen(b, pgtest.URL(b))
	const goroutines = 32
	ids := make([]string, goroutines)
	for i := range ids {
		ids[i] = fmt.Sprint("x", i)
		mustCreate(b, s, ids[i])
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/goroutines + 1
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= int64(per); seq++ {
				if err := s.Append(ctx, id, []engine.Event{note(seq, "benchmark response")}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(per*goroutines)/b.Elapsed().Seconds(), "appends/s")
}
