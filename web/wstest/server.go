package wstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
)

// Server is a real ttx server in this process, wired as `ttx serve` wires it: SQLite in a
// temporary directory (or the store OpenStore gives), a facilitator.Manager on the real
// clock, web.Server on a loopback listener.
type Server struct {
	URL     string       // http://127.0.0.1:PORT
	Admin   string       // the admin token
	Store   engine.Store // the SQLite store, or OpenStore's
	Manager *facilitator.Manager

	dir    string
	web    *web.Server
	srv    *http.Server
	served chan struct{}
	client *http.Client
	logs   *LogBuffer
}

// Option changes how StartServer wires the server.
type Option func(*options)

type options struct {
	wrapStore func(engine.Store) engine.Store
	openStore func() (engine.Store, error)
	manager   []facilitator.Option
}

// ManagerOptions adds options of the server's facilitator.Manager, such as a larger
// facilitator.WithResponseBudget for a load driver whose clients respond without pause.
func ManagerOptions(opts ...facilitator.Option) Option {
	return func(o *options) { o.manager = append(o.manager, opts...) }
}

// WrapStore has the server's facilitator.Manager use wrap(store) in place of its store, e.g.
// to time what the store does. Server.Store stays the store itself, which Close closes. A
// wrapper that does not keep the store's engine.QueuedAppender has every append committed
// alone.
func WrapStore(wrap func(engine.Store) engine.Store) Option {
	return func(o *options) { o.wrapStore = wrap }
}

// OpenStore has the server keep its exercises in the store open returns (a PostgreSQL one,
// say) instead of SQLite in a temporary directory; Close closes it.
func OpenStore(open func() (engine.Store, error)) Option {
	return func(o *options) { o.openStore = open }
}

// StartServer serves the scenarios of lib. cfg's Manager is set here; without a Logger the
// server's warnings and errors are kept for Logged.
func StartServer(lib *scenarios.Set, cfg web.Config, opts ...Option) (*Server, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	dir, err := os.MkdirTemp("", "ttx-wstest-")
	if err != nil {
		return nil, err
	}
	var store engine.Store
	if o.openStore != nil {
		store, err = o.openStore()
	} else {
		store, err = sqlite.Open(filepath.Join(dir, "ttx.db"))
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, Store: store, Admin: "wstest-admin-" + rand.Text(), served: make(chan struct{}),
		client: &http.Client{Timeout: ioTimeout, Transport: &http.Transport{}}, logs: &LogBuffer{}}
	var managed engine.Store = store
	if o.wrapStore != nil {
		managed = o.wrapStore(store)
	}
	s.Manager = facilitator.NewManager(managed, lib, clockwork.NewRealClock(), rand.Reader,
		append([]facilitator.Option{facilitator.WithAdminToken(s.Admin)}, o.manager...)...)
	cfg.Manager = s.Manager
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s.web = web.NewServer(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, err
	}
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.web, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// WebSocketURL is the server's /ws endpoint.
func (s *Server) WebSocketURL() string { return WebSocketURL(s.URL) }

// StartExercise creates an exercise of scenario at speed through the HTTP API, as the admin,
// and starts it as its facilitator.
func (s *Server) StartExercise(scenario string, speed float64) (facilitator.Created, error) {
	var x facilitator.Created
	if err := s.Call("POST", "/api/exercises", s.Admin, map[string]any{"scenario": scenario, "speed": speed}, &x); err != nil {
		return x, fmt.Errorf("create the exercise: %w", err)
	}
	if err := s.Call("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, nil); err != nil {
		return x, fmt.Errorf("start the exercise: %w", err)
	}
	return x, nil
}

// Call makes one API request with token and decodes a 2xx answer into out (when not nil); any
// other answer is an error with its status and body.
func (s *Server) Call(method, path, token string, body, out any) error {
	return Call(s.client, s.URL, method, path, token, body, out)
}

// Call makes one request to the API of the server at baseURL (http://HOST:PORT) with client:
// body, when not nil, goes as JSON, token as a bearer token, and a 2xx answer is decoded into
// out (when not nil). Any other answer is an error with its status and body.
func Call(client *http.Client, baseURL, method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, baseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: the answer does not decode: %w: %s", method, path, err, data)
		}
	}
	return nil
}

// CloseIdle drops the kept-alive API connections, so that they do not count among the
// process's goroutines.
func (s *Server) CloseIdle() { s.client.CloseIdleConnections() }

// Logged is what the server logged, when StartServer was given no Logger.
func (s *Server) Logged() string { return s.logs.String() }

// Close stops the HTTP server, the hubs, the exercises and the store, drops the kept-alive
// API connections and removes the files.
func (s *Server) Close() {
	s.client.CloseIdleConnections()
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = s.srv.Shutdown(ctx)
		cancel()
		<-s.served
	}
	if s.web != nil {
		s.web.Close()
	}
	s.Manager.Close()
	_ = s.Store.Close()
	_ = os.RemoveAll(s.dir)
}

// LogBuffer collects a server's output from its goroutines; safe for concurrent use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
