package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// responsesBackend is the database the responses benchmark runs ttx on, with a baseline and
// a commit probe on the same kind of database.
type responsesBackend struct {
	name     string          // the benchmark's name, with %d for the number of clients
	cpu      string          // the CPU figure's name: what the process's CPU time covers
	opts     []wstest.Option // how the server opens its store
	target   func(rate, base float64) (string, bool)
	baseline func(ctx context.Context, events []engine.Event, n int) (baselineResult, error)
	// probe opens a database of its own and returns a function committing one row with seq.
	probe func(ctx context.Context) (insert func(ctx context.Context, seq int64) error, closeDB func(), err error)
}

// sqliteBackend is SQLite in a temporary directory, as `ttx serve` runs by default.
var sqliteBackend = responsesBackend{
	name: "responses (%d clients)",
	cpu:  "CPU per response (both ends)",
	target: func(rate, _ float64) (string, bool) {
		return ">= 5000/s", rate >= 5000
	},
	baseline: sqliteBaseline,
	probe: func(ctx context.Context) (func(context.Context, int64) error, func(), error) {
		dir, err := os.MkdirTemp("", "ttxbench-probe-")
		if err != nil {
			return nil, nil, err
		}
		db, err := openBaselineDB(ctx, filepath.Join(dir, "probe.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		insert := func(ctx context.Context, seq int64) error {
			_, err := db.ExecContext(ctx, insertEvent, "base", seq, 0, "2026-01-01T00:00:00Z", "note", `{"kind":"note","text":"probe"}`)
			return err
		}
		return insert, func() { db.Close(); os.RemoveAll(dir) }, nil
	},
}

// benchResponses measures durable responses: participants over every team of the fan-out
// exercise send `act` over the WebSocket, each waiting for its ack (sent only after the
// commit) before sending the next, for the given time, on the backend's database.
func benchResponses(ctx context.Context, responders int, d time.Duration, backend responsesBackend) ([]Row, error) {
	// The per-connection message limit (default 20 a second) would throttle a client that
	// sends as fast as acks return: raise it for the benchmark, keep it on.
	// The clients respond without pause: lift the caps a person never reaches.
	srv, err := startTTX(fanoutFS(), "fanout", web.Config{MessageRate: 1e6, MessageBurst: 1e6, MaxConnsPerTeam: 1 << 20},
		append(backend.opts, wstest.ManagerOptions(facilitator.WithResponseBudget(maxActsPerClient)))...)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	conns, err := dialAll(ctx, srv.WebSocketURL(), responders, 32, func(i int, c *websocket.Conn) error {
		return helloJoin(srv.exercise.Teams[teamName(i%fanoutTeams)], fmt.Sprintf("p%d", i))(c)
	})
	if err != nil {
		return nil, err
	}
	srv.timed.commitWaits() // from here on
	probe := startCommitProbe(ctx, backend.probe)
	cpu0 := cpuTime()
	lat, elapsed, actErr := actAll(conns, d)
	cpu := cpuTime() - cpu0
	commits := srv.timed.commitWaits()
	lone, err := probe.Stop()
	if actErr != nil {
		return nil, actErr
	}
	if err != nil {
		return nil, fmt.Errorf("commit probe: %w", err)
	}

	// Every ack must stand for a stored event: read the log back and count.
	events, err := srv.Store.Events(ctx, srv.exercise.ID)
	if err != nil {
		return nil, err
	}
	stored := 0
	for _, e := range events {
		if e.Kind == engine.KindActionRecorded && e.Ref != "" {
			stored++
		}
	}
	if stored != len(lat) {
		return nil, fmt.Errorf("%d responses were acked but %d are stored", len(lat), stored)
	}

	base, err := backend.baseline(ctx, events, max(len(lat), 20000))
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	ceiling, err := bareAckRate(ctx, responders, d)
	if err != nil {
		return nil, err
	}
	rate := float64(len(lat)) / elapsed.Seconds()
	p99 := lat.Quantile(0.99)
	name := fmt.Sprintf(backend.name, responders)
	target, met := backend.target(rate, base.rate)
	return []Row{
		{Bench: name, Figure: "durable responses/s", Unit: unitRate, Value: rate, Base: base.rate,
			Target: target, Met: met},
		ceilingRow(name, ceiling, base.rate),
		{Bench: name, Figure: backend.cpu, Unit: unitDuration, Value: float64(cpu) / float64(len(lat)), Base: base.cpuPerRow},
		{Bench: name, Figure: "ack latency p50", Unit: unitDuration, Value: lat.Quantile(0.5), Base: base.commits.Quantile(0.5)},
		{Bench: name, Figure: "ack latency p99", Unit: unitDuration, Value: p99, Base: base.commits.Quantile(0.99),
			Target: "< 50ms", Met: p99 < float64(50*time.Millisecond)},
		{Bench: name, Figure: "  of which commit wait p50", Unit: unitDuration, Value: commits.Quantile(0.5), Base: base.commits.Quantile(0.5)},
		{Bench: name, Figure: "  of which commit wait p99", Unit: unitDuration, Value: commits.Quantile(0.99), Base: base.commits.Quantile(0.99)},
		{Bench: name, Figure: "  a lone commit meanwhile, p50", Unit: unitDuration, Value: lone.Quantile(0.5)},
		{Bench: name, Figure: "  a lone commit meanwhile, p99", Unit: unitDuration, Value: lone.Quantile(0.99)},
	}, nil
}

// ceilingRow shows, beside the baseline, the rate of the bare ack server (ackServer) with the
// same clients: what any WebSocket server could reach on the machine with no database at all.
func ceilingRow(name string, ceiling, base float64) Row {
	return Row{Bench: name, Figure: "  ceiling: a bare gorilla ack server, no database", Unit: unitRate, Value: ceiling, Base: base}
}

// actAll has every connection send act after act for d (actUntil), all at once, closes them,
// and returns every ack's latency and how long it all took.
func actAll(conns []*websocket.Conn, d time.Duration) (Latencies, time.Duration, error) {
	results := make([]Latencies, len(conns))
	errs := make([]error, len(conns))
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			results[i], errs[i] = actUntil(c, i, deadline)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var lat Latencies
	for i := range results {
		if errs[i] != nil {
			return nil, 0, fmt.Errorf("participant %d: %w", i, errs[i])
		}
		lat = append(lat, results[i]...)
	}
	return lat, elapsed, nil
}

// eventPrefix starts every event the server sends (web/wire.go's eventMessage).
var eventPrefix = []byte(`{"type":"event"`)

// maxActsPerClient bounds each participant's loop in count as well as in time.
const maxActsPerClient = 100000

// actUntil sends act after act on c, each after the previous one's ack, until deadline (or
// maxActsPerClient), and returns the ack latencies. Events that arrive meanwhile (the team's
// own actions) are read and skipped.
func actUntil(c *websocket.Conn, client int, deadline time.Time) (Latencies, error) {
	team := client % fanoutTeams
	var lat Latencies
	for k := 0; k < maxActsPerClient && time.Now().Before(deadline); k++ {
		ref := fmt.Sprintf("r%d-%d", client, k)
		msg := fmt.Sprintf(`{"type":"act","ref":%q,"action":%q}`, ref, actionName(team, k%actionsPerTeam))
		sent := time.Now()
		_ = c.SetWriteDeadline(sent.Add(30 * time.Second))
		if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			return nil, fmt.Errorf("send: %w", err)
		}
		_ = c.SetReadDeadline(sent.Add(30 * time.Second))
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return nil, fmt.Errorf("wait for the ack of %s: %w", ref, err)
			}
			if bytes.HasPrefix(data, eventPrefix) {
				continue // a teammate's action: the clients share the CPU, skip it cheaply
			}
			var m struct {
				Type  string `json:"type"`
				Ref   string `json:"ref"`
				Seq   int64  `json:"seq"`
				Error string `json:"error"`
			}
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("read %.100s: %w", data, err)
			}
			if m.Type == "error" {
				return nil, fmt.Errorf("%s refused: %s", ref, m.Error)
			}
			if m.Type == "ack" && m.Ref == ref {
				if m.Seq < 1 {
					return nil, fmt.Errorf("ack of %s without a seq", ref)
				}
				lat = append(lat, time.Since(sent))
				break
			}
		}
	}
	return lat, nil
}

// baselineResult is what a database's baseline measured.
type baselineResult struct {
	rate      float64   // rows a second, batched
	cpuPerRow float64   // CPU time per row, batched, ns
	commits   Latencies // one-row transactions, each a durable commit
}

// sqliteBaseline inserts rows like events (cycled until n) into a fresh SQLite file opened
// with the DSN of engine/sqlite (WAL, synchronous=FULL, busy timeout, foreign keys, immediate
// transactions) and its events table, with the best batching: one writer, one prepared
// statement, transactions of 1,000 rows. It also times 200 one-row transactions: the least
// a durable acknowledgement of one response can cost.
func sqliteBaseline(ctx context.Context, events []engine.Event, n int) (baselineResult, error) {
	if len(events) == 0 {
		return baselineResult{}, fmt.Errorf("no events to copy")
	}
	dir, err := os.MkdirTemp("", "ttxbench-sqlite-")
	if err != nil {
		return baselineResult{}, err
	}
	defer os.RemoveAll(dir)
	db, err := openBaselineDB(ctx, filepath.Join(dir, "base.db"))
	if err != nil {
		return baselineResult{}, err
	}
	defer db.Close()
	type rowData struct {
		t             int64
		wall, payload string
		kind          string
	}
	rows := make([]rowData, len(events))
	for i, e := range events {
		p, err := json.Marshal(e)
		if err != nil {
			return baselineResult{}, err
		}
		rows[i] = rowData{int64(e.T), e.Wall.UTC().Format(time.RFC3339Nano), string(p), e.Kind}
	}
	seq := int64(0)
	start := time.Now()
	cpu0 := cpuTime()
	for seq < int64(n) {
		if err := ctx.Err(); err != nil {
			return baselineResult{}, err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return baselineResult{}, err
		}
		stmt, err := tx.PrepareContext(ctx, insertEvent)
		if err != nil {
			tx.Rollback()
			return baselineResult{}, err
		}
		for j := 0; j < 1000 && seq < int64(n); j++ {
			seq++
			r := rows[int(seq)%len(rows)]
			if _, err := stmt.ExecContext(ctx, "base", seq, r.t, r.wall, r.kind, r.payload); err != nil {
				tx.Rollback()
				return baselineResult{}, err
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return baselineResult{}, err
		}
	}
	res := baselineResult{rate: float64(n) / time.Since(start).Seconds(), cpuPerRow: float64(cpuTime()-cpu0) / float64(n)}
	for i := 0; i < 200; i++ {
		seq++
		r := rows[int(seq)%len(rows)]
		t0 := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return baselineResult{}, err
		}
		if _, err := tx.ExecContext(ctx, insertEvent, "base", seq, r.t, r.wall, r.kind, r.payload); err != nil {
			tx.Rollback()
			return baselineResult{}, err
		}
		if err := tx.Commit(); err != nil {
			return baselineResult{}, err
		}
		res.commits = append(res.commits, time.Since(t0))
	}
	return res, nil
}

const insertEvent = `INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload) VALUES (?, ?, ?, ?, ?, ?)`

// openBaselineDB creates an SQLite file at path with engine/sqlite's DSN and schema and one
// exercise, "base", for the baselines to insert events into.
func openBaselineDB(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{
		`CREATE TABLE exercises (id TEXT PRIMARY KEY, scenario TEXT NOT NULL, plan TEXT NOT NULL,
			sources TEXT NOT NULL DEFAULT '{}', credentials TEXT NOT NULL DEFAULT '{}', speed REAL NOT NULL, created_at TEXT NOT NULL)`,
		`CREATE TABLE events (exercise_id TEXT NOT NULL REFERENCES exercises (id), seq INTEGER NOT NULL,
			t_ns INTEGER NOT NULL, wall TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
			PRIMARY KEY (exercise_id, seq)) WITHOUT ROWID`,
		`INSERT INTO exercises (id, scenario, plan, speed, created_at) VALUES ('base', 'fanout', 'bench-plan', 1, '2026-01-01T00:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// commitProbe commits one small row every 20 ms into a database of its own while ttx runs, to
// show what a lone durable commit costs on the machine at that moment (the disk is shared
// with whatever else runs).
type commitProbe struct {
	stop chan struct{}
	done chan struct{}
	lat  Latencies
	err  error
}

func startCommitProbe(ctx context.Context, open func(context.Context) (func(context.Context, int64) error, func(), error)) *commitProbe {
	p := &commitProbe{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		insert, closeDB, err := open(ctx)
		if err != nil {
			p.err = err
			return
		}
		defer closeDB()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for seq := int64(1); seq <= 10000; seq++ {
			select {
			case <-p.stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			t0 := time.Now()
			if err := insert(ctx, seq); err != nil {
				p.err = err
				return
			}
			p.lat = append(p.lat, time.Since(t0))
		}
	}()
	return p
}

// Stop ends the probe and returns the commit latencies it saw.
func (p *commitProbe) Stop() (Latencies, error) {
	close(p.stop)
	<-p.done
	return p.lat, p.err
}
