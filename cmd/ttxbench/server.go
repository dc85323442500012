package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
)

// ttxServer is a real ttx server in this process, as `ttx serve` wires it: SQLite in a
// temporary directory, a facilitator.Manager on the real clock, web.Server on a loopback
// listener; with one exercise created and started through the HTTP API.
type ttxServer struct {
	dir    string
	store  *timedStore
	mgr    *facilitator.Manager
	web    *web.Server
	srv    *http.Server
	served chan struct{}
	url    string // http://127.0.0.1:PORT
	wsURL  string // ws://127.0.0.1:PORT/ws
	admin  string

	exercise facilitator.Created
}

// startTTX serves the scenarios of fsys and creates and starts an exercise of scenarioName at
// speed 1. cfg's Manager is set here; its rate limits are the caller's to raise.
func startTTX(fsys fs.FS, scenarioName string, cfg web.Config) (*ttxServer, error) {
	set, diags := scenarios.LoadFS(fsys)
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the generated scenario: %s", diags.Error())
	}
	dir, err := os.MkdirTemp("", "ttxbench-")
	if err != nil {
		return nil, err
	}
	store, err := sqlite.Open(filepath.Join(dir, "ttx.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	admin, err := randomToken()
	if err != nil {
		return nil, err
	}
	s := &ttxServer{dir: dir, store: &timedStore{Store: store}, admin: admin, served: make(chan struct{})}
	s.mgr = facilitator.NewManager(s.store, set, clockwork.NewRealClock(), rand.Reader, facilitator.WithAdminToken(admin))
	cfg.Manager = s.mgr
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.web = web.NewServer(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.close()
		return nil, err
	}
	s.url = "http://" + ln.Addr().String()
	s.wsURL = "ws://" + ln.Addr().String() + "/ws"
	s.srv = &http.Server{Handler: s.web, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()

	body, err := s.call(http.MethodPost, "/api/exercises", admin, map[string]any{"scenario": scenarioName, "speed": 1})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("create the exercise: %w", err)
	}
	if err := json.Unmarshal(body, &s.exercise); err != nil {
		s.close()
		return nil, fmt.Errorf("create the exercise: %w", err)
	}
	if _, err := s.call(http.MethodPost, "/api/exercises/"+s.exercise.ID+"/start", s.exercise.FacilitatorToken, nil); err != nil {
		s.close()
		return nil, fmt.Errorf("start the exercise: %w", err)
	}
	return s, nil
}

// call makes one API request with a bearer token and returns the body of a 2xx answer.
func (s *ttxServer) call(method, path, token string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(out))
	}
	return out, nil
}

// close stops the HTTP server, the hubs, the exercises and the store, and removes the files.
func (s *ttxServer) close() {
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.srv.Shutdown(ctx)
		cancel()
		<-s.served
	}
	if s.web != nil {
		s.web.Close()
	}
	if s.mgr != nil {
		s.mgr.Close()
	}
	if s.store != nil {
		_ = s.store.Close()
	}
	_ = os.RemoveAll(s.dir)
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// errTimeout says a bounded wait ran out.
var errTimeout = errors.New("timed out")
