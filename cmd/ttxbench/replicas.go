package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// replicaCluster is ttx replicas in this process (design/scale.md), each a web.Server over a
// facilitator.Manager of its own with a postgres.Store of its own, all on one database, with
// one exercise of the fan-out scenario created on the first and started.
type replicaCluster struct {
	db       string
	lib      *scenarios.Set
	servers  []*wstest.Server
	stores   []*postgres.Store
	exercise facilitator.Created
}

// startReplicas starts n replicas on the database at db.
func startReplicas(ctx context.Context, db string, n int) (*replicaCluster, error) {
	lib, diags := scenarios.LoadFS(fanoutFS())
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the generated scenario: %s", diags.Error())
	}
	c := &replicaCluster{db: db, lib: lib}
	for range n {
		if err := c.add(ctx); err != nil {
			c.Close()
			return nil, err
		}
	}
	var err error
	if c.exercise, err = c.servers[0].StartExercise("fanout", 1); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// add starts one more replica.
func (c *replicaCluster) add(ctx context.Context) error {
	store, err := postgres.Open(ctx, c.db)
	if err != nil {
		return err
	}
	quiet := func(error) {}
	srv, err := wstest.StartServer(c.lib,
		web.Config{MessageRate: 1e6, MessageBurst: 1e6, MaxConnsPerTeam: 1 << 20, Guesses: store,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		wstest.OpenStore(func() (engine.Store, error) { return store, nil }),
		wstest.ManagerOptions(facilitator.WithReplicas(store, quiet), facilitator.WithResponseBudget(maxActsPerClient)))
	if err != nil {
		store.Close()
		return err
	}
	c.servers = append(c.servers, srv)
	c.stores = append(c.stores, store)
	return nil
}

// kill stops replica i as its death would: its sessions close, releasing its clock locks.
func (c *replicaCluster) kill(i int) {
	c.servers[i].Close()
	c.servers = append(c.servers[:i], c.servers[i+1:]...)
	c.stores = append(c.stores[:i], c.stores[i+1:]...)
}

// Close stops every replica.
func (c *replicaCluster) Close() {
	for _, s := range c.servers {
		s.Close()
	}
	c.servers, c.stores = nil, nil
}

// join connects n participants to replica i's WebSocket, spread over the teams.
func (c *replicaCluster) join(ctx context.Context, i, n, from int) ([]*websocket.Conn, error) {
	return dialAll(ctx, c.servers[i].WebSocketURL(), n, 32, func(k int, conn *websocket.Conn) error {
		return helloJoin(c.exercise.Teams[teamName((from+k)%fanoutTeams)], fmt.Sprintf("p%d", from+k))(conn)
	})
}

// postInject posts an ad-hoc inject to every team on replica i, as the facilitator.
func (c *replicaCluster) postInject(i int, subject string) error {
	var to []string
	for t := 0; t < fanoutTeams; t++ {
		to = append(to, teamName(t))
	}
	return c.servers[i].Call(http.MethodPost, "/api/exercises/"+c.exercise.ID+"/injects", c.exercise.FacilitatorToken,
		map[string]any{"to": to, "channel": "sitrep", "from": "Bench", "subject": subject, "body": injectBody}, nil)
}

// benchReplicas measures replicas against same-run baselines: fan-out to perReplica clients
// on each of one and three replicas against one SQLite server with perReplica clients;
// durable responses from responders spread over one and three replicas against the raw
// batched insert on the same PostgreSQL server; the takeover of an exercise's clock when its
// owner dies; and an event's latency to a client on another replica against one on the
// replica it was posted to.
func benchReplicas(ctx context.Context, srv *pgServer, perReplica, burst, responders int, respondFor time.Duration) ([]Row, error) {
	var rows []Row
	base, err := fanoutTTX(ctx, perReplica, burst)
	if err != nil {
		return nil, fmt.Errorf("fan-out on SQLite: %w", err)
	}
	for _, n := range []int{1, 3} {
		db, err := srv.database(ctx, fmt.Sprintf("fanout%d", n))
		if err != nil {
			return nil, err
		}
		r, err := replicaFanout(ctx, db, n, perReplica, burst)
		if err != nil {
			return nil, fmt.Errorf("fan-out on %d replicas: %w", n, err)
		}
		name := fmt.Sprintf("fan-out, %d replica(s) on PostgreSQL, %d×%d clients (base: 1 server on SQLite, %d)", n, n, perReplica, perReplica)
		p99 := r.latencies.Quantile(0.99)
		row := Row{Bench: name, Figure: "latency p99", Unit: unitDuration, Value: p99, Base: base.latencies.Quantile(0.99)}
		if n == 3 {
			row.Target, row.Met = "< 150ms", p99 < float64(150*time.Millisecond) && r.missing == 0
		}
		rows = append(rows,
			Row{Bench: name, Figure: "latency p50", Unit: unitDuration, Value: r.latencies.Quantile(0.5), Base: base.latencies.Quantile(0.5)},
			row,
			Row{Bench: name, Figure: fmt.Sprintf("messages/s (bursts of %d)", burst), Unit: unitRate, Value: r.rate(), Base: base.rate()})
		if r.missing > 0 {
			rows = append(rows, Row{Bench: name, Figure: "messages lost", Value: float64(r.missing)})
		}
	}

	for _, n := range []int{1, 3} {
		db, err := srv.database(ctx, fmt.Sprintf("responses%d", n))
		if err != nil {
			return nil, err
		}
		r, err := replicaResponses(ctx, srv, db, n, responders, respondFor)
		if err != nil {
			return nil, fmt.Errorf("responses on %d replicas: %w", n, err)
		}
		rows = append(rows, r...)
	}

	db, err := srv.database(ctx, "takeover")
	if err != nil {
		return nil, err
	}
	r, err := replicaTakeover(ctx, db, 5)
	if err != nil {
		return nil, fmt.Errorf("takeover: %w", err)
	}
	rows = append(rows, r...)

	db, err = srv.database(ctx, "cross")
	if err != nil {
		return nil, err
	}
	r, err = replicaCrossLatency(ctx, db, 200, burst)
	if err != nil {
		return nil, fmt.Errorf("latency across replicas: %w", err)
	}
	return append(rows, r...), nil
}

// replicaFanout joins perReplica participants to each of n replicas and posts the injects on
// the first: every client but the first replica's gets them through NOTIFY and its replica's
// read of the log.
func replicaFanout(ctx context.Context, db string, n, perReplica, burst int) (fanoutResult, error) {
	c, err := startReplicas(ctx, db, n)
	if err != nil {
		return fanoutResult{}, err
	}
	defer c.Close()
	var conns []*websocket.Conn
	for i := range n {
		cs, err := c.join(ctx, i, perReplica, i*perReplica)
		if err != nil {
			return fanoutResult{}, err
		}
		conns = append(conns, cs...)
	}
	return measure(ctx, conns, burst, 0, 0, func(_ int, s string) error { return c.postInject(0, s) })
}

// replicaResponses has responders spread over n replicas send act after act, each waiting
// for its ack, and compares the rate with the raw batched insert on the same server.
func replicaResponses(ctx context.Context, srv *pgServer, db string, n, responders int, d time.Duration) ([]Row, error) {
	c, err := startReplicas(ctx, db, n)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var conns []*websocket.Conn
	for i := range n {
		k := responders / n
		if i < responders%n {
			k++
		}
		cs, err := c.join(ctx, i, k, len(conns))
		if err != nil {
			return nil, err
		}
		conns = append(conns, cs...)
	}
	lat, elapsed, err := actAll(conns, d)
	if err != nil {
		return nil, err
	}
	events, err := c.stores[0].Events(ctx, c.exercise.ID)
	if err != nil {
		return nil, err
	}
	stored := 0
	for i, e := range events {
		if e.Seq != int64(i+1) {
			return nil, fmt.Errorf("the log has a gap at %d", i+1)
		}
		if e.Kind == engine.KindActionRecorded && e.Ref != "" {
			stored++
		}
	}
	if stored != len(lat) {
		return nil, fmt.Errorf("%d responses were acked but %d are stored", len(lat), stored)
	}
	baseDB, err := srv.database(ctx, fmt.Sprintf("base%d", n))
	if err != nil {
		return nil, err
	}
	base, err := postgresBaseline(ctx, baseDB, events, max(len(lat), 20000))
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	ceiling, err := bareAckRate(ctx, len(conns), d)
	if err != nil {
		return nil, err
	}
	rate := float64(len(lat)) / elapsed.Seconds()
	name := fmt.Sprintf("responses, %d replica(s) on PostgreSQL, %d clients (base: raw batched insert)", n, responders)
	return []Row{
		{Bench: name, Figure: "durable responses/s", Unit: unitRate, Value: rate, Base: base.rate,
			Target: ">= 0.5x baseline", Met: rate >= 0.5*base.rate},
		ceilingRow(name, ceiling, base.rate),
		{Bench: name, Figure: "ack latency p50", Unit: unitDuration, Value: lat.Quantile(0.5), Base: base.commits.Quantile(0.5)},
		{Bench: name, Figure: "ack latency p99", Unit: unitDuration, Value: lat.Quantile(0.99), Base: base.commits.Quantile(0.99)},
	}, nil
}

// replicaTakeover starts three replicas and, rounds times, stops the one holding the
// exercise's clock and times until another holds it (its lock, seen in pg_locks), starting a
// replica in its place. The baseline is facilitator.ClockEvery, the period at which replicas
// claim clocks nobody holds.
func replicaTakeover(ctx context.Context, db string, rounds int) ([]Row, error) {
	c, err := startReplicas(ctx, db, 3)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	owner := func() (int, error) {
		var pid int
		err := conn.QueryRow(ctx, `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
			AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`, c.exercise.ID).Scan(&pid)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, nil
		}
		return pid, err
	}
	waitOwner := func(not int) (int, time.Duration, error) {
		start := time.Now()
		for time.Since(start) < time.Minute {
			pid, err := owner()
			if err != nil {
				return 0, 0, err
			}
			if pid != 0 && pid != not {
				return pid, time.Since(start), nil
			}
			time.Sleep(5 * time.Millisecond)
		}
		return 0, 0, fmt.Errorf("no replica took the clock within a minute")
	}
	var took Latencies
	for range rounds {
		pid, _, err := waitOwner(0)
		if err != nil {
			return nil, err
		}
		i, err := c.holding(ctx, pid)
		if err != nil {
			return nil, err
		}
		c.kill(i)
		_, d, err := waitOwner(pid)
		if err != nil {
			return nil, err
		}
		took = append(took, d)
		if err := c.add(ctx); err != nil {
			return nil, err
		}
	}
	name := fmt.Sprintf("takeover of the clock, %d times (base: the claim period)", rounds)
	worst := took.Quantile(1)
	return []Row{
		{Bench: name, Figure: "takeover p50", Unit: unitDuration, Value: took.Quantile(0.5), Base: float64(facilitator.ClockEvery)},
		{Bench: name, Figure: "takeover max", Unit: unitDuration, Value: worst, Base: float64(facilitator.ClockEvery),
			Target: "< 5s", Met: worst < float64(5*time.Second)},
	}, nil
}

// holding returns the replica whose clock session has backend pid.
func (c *replicaCluster) holding(ctx context.Context, pid int) (int, error) {
	for i, s := range c.stores {
		if p, err := s.ClockSessionPID(ctx); err == nil && p == pid {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no replica has the clock session %d", pid)
}

// replicaCrossLatency compares an event's latency to clients on the replica it was posted to
// and on another one, in turns, on two replicas.
func replicaCrossLatency(ctx context.Context, db string, clients, burst int) ([]Row, error) {
	c, err := startReplicas(ctx, db, 2)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var same, other fanoutResult
	for round := range 2 {
		for _, on := range []int{0, 1} {
			if round+on > 0 {
				// A new exercise each time: joining an old one would replay its injects.
				if c.exercise, err = c.servers[0].StartExercise("fanout", 1); err != nil {
					return nil, err
				}
			}
			conns, err := c.join(ctx, on, clients, 0)
			if err != nil {
				return nil, err
			}
			r, err := measure(ctx, conns, burst, 0, 0, func(_ int, s string) error { return c.postInject(0, s) })
			if err != nil {
				return nil, err
			}
			if on == 0 {
				same.add(r)
			} else {
				other.add(r)
			}
		}
	}
	name := fmt.Sprintf("an event to %d clients on another replica (base: on the replica it was posted to)", clients)
	return []Row{
		{Bench: name, Figure: "latency p50", Unit: unitDuration, Value: other.latencies.Quantile(0.5), Base: same.latencies.Quantile(0.5)},
		{Bench: name, Figure: "latency p99", Unit: unitDuration, Value: other.latencies.Quantile(0.99), Base: same.latencies.Quantile(0.99)},
	}, nil
}
