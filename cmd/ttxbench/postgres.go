package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
	"github.com/ttx-dev/ttx/web/wstest"
)

// pgServer is the PostgreSQL server the PostgreSQL benchmarks run on: a private cluster with
// fsync on (as production runs), or the one -postgres names. Its databases are dropped when
// it is closed.
type pgServer struct {
	url       string // of an existing database on the server
	cluster   *pgtest.Cluster
	databases []string
}

// startPostgres starts a private durable cluster, or uses the server at serverURL.
func startPostgres(serverURL string) (*pgServer, error) {
	if serverURL != "" {
		return &pgServer{url: serverURL}, nil
	}
	c, err := pgtest.Start(pgtest.Options{Durable: true})
	if err != nil {
		return nil, err
	}
	return &pgServer{url: c.URL("postgres"), cluster: c}, nil
}

// database creates a new database for what and returns its URL.
func (s *pgServer) database(ctx context.Context, what string) (string, error) {
	name := fmt.Sprintf("ttxbench_%d_%s", os.Getpid(), what)
	u, err := pgtest.CreateDatabase(ctx, s.url, name)
	if err != nil {
		return "", err
	}
	s.databases = append(s.databases, name)
	return u, nil
}

// Close drops the databases and stops the cluster.
func (s *pgServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, name := range s.databases {
		if err := pgtest.DropDatabase(ctx, s.url, name); err != nil {
			return err
		}
	}
	if s.cluster != nil {
		return s.cluster.Stop()
	}
	return nil
}

// postgresBackend runs ttx on a database of srv with engine/postgres, the baseline and the
// commit probe on databases of their own on the same server.
func postgresBackend(ctx context.Context, srv *pgServer) (responsesBackend, error) {
	ttxDB, err := srv.database(ctx, "ttx")
	if err != nil {
		return responsesBackend{}, err
	}
	return responsesBackend{
		name: "responses on PostgreSQL (%d clients)",
		// The database server's processes are not this one: their CPU is not counted.
		cpu:  "CPU per response (both ends, not PostgreSQL's)",
		opts: []wstest.Option{wstest.OpenStore(func() (engine.Store, error) { return postgres.Open(ctx, ttxDB) })},
		target: func(rate, base float64) (string, bool) {
			return ">= 0.5x baseline", rate >= 0.5*base
		},
		baseline: func(ctx context.Context, events []engine.Event, n int) (baselineResult, error) {
			u, err := srv.database(ctx, "base")
			if err != nil {
				return baselineResult{}, err
			}
			return postgresBaseline(ctx, u, events, n)
		},
		probe: func(ctx context.Context) (func(context.Context, int64) error, func(), error) {
			u, err := srv.database(ctx, "probe")
			if err != nil {
				return nil, nil, err
			}
			conn, err := openPostgresBaselineDB(ctx, u)
			if err != nil {
				return nil, nil, err
			}
			insert := func(ctx context.Context, seq int64) error {
				_, err := conn.Exec(ctx, `INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload)
					VALUES ('base', $1, 0, now(), 'note', '{"kind":"note","text":"probe"}')`, seq)
				return err
			}
			return insert, func() { conn.Close(context.Background()) }, nil
		},
	}, nil
}

// postgresBaseline inserts rows like events (cycled until n) into the events table of
// engine/postgres's schema in the database at u, with the best batching one connection gets:
// transactions of 1,000 rows, each one INSERT … SELECT FROM unnest of arrays (as the store
// writes). It also times 200 one-row transactions: the least a durable acknowledgement of one
// response can cost.
func postgresBaseline(ctx context.Context, u string, events []engine.Event, n int) (baselineResult, error) {
	if len(events) == 0 {
		return baselineResult{}, fmt.Errorf("no events to copy")
	}
	conn, err := openPostgresBaselineDB(ctx, u)
	if err != nil {
		return baselineResult{}, err
	}
	defer conn.Close(context.Background())
	type rowData struct {
		t             int64
		wall          time.Time
		kind, payload string
	}
	rows := make([]rowData, len(events))
	for i, e := range events {
		p, err := json.Marshal(e)
		if err != nil {
			return baselineResult{}, err
		}
		rows[i] = rowData{int64(e.T), e.Wall.UTC(), e.Kind, string(p)}
	}
	const insert = `INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload)
		SELECT 'base', seq, t, wall, kind, payload::json
		FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[]) AS u(seq, t, wall, kind, payload)`
	seq := int64(0)
	batch := func(size int) error {
		var seqs, ts []int64
		var walls []time.Time
		var kinds, payloads []string
		for j := 0; j < size && seq < int64(n); j++ {
			seq++
			r := rows[int(seq)%len(rows)]
			seqs, ts, walls, kinds, payloads = append(seqs, seq), append(ts, r.t), append(walls, r.wall), append(kinds, r.kind), append(payloads, r.payload)
		}
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, insert, seqs, ts, walls, kinds, payloads)
			return err
		})
	}
	start := time.Now()
	cpu0 := cpuTime()
	for seq < int64(n) {
		if err := batch(1000); err != nil {
			return baselineResult{}, err
		}
	}
	res := baselineResult{rate: float64(n) / time.Since(start).Seconds(), cpuPerRow: float64(cpuTime()-cpu0) / float64(n)}
	n += 200
	for i := 0; i < 200; i++ {
		t0 := time.Now()
		if err := batch(1); err != nil {
			return baselineResult{}, err
		}
		res.commits = append(res.commits, time.Since(t0))
	}
	return res, nil
}

// openPostgresBaselineDB gives the database at u engine/postgres's schema (its migrations) and
// one exercise, "base", for a baseline to insert events into, and returns a connection to it.
func openPostgresBaselineDB(ctx context.Context, u string) (*pgx.Conn, error) {
	store, err := postgres.Open(ctx, u)
	if err != nil {
		return nil, err
	}
	err = store.CreateExercise(ctx, engine.ExerciseRecord{ID: "base", Scenario: "fanout", Plan: "bench-plan", Speed: 1,
		CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	store.Close()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", postgres.Redact(u), err)
	}
	return conn, nil
}
