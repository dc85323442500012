package main

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
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
)

// soakServer is a real ttx server in this process, wired as `ttx serve` wires it (SQLite in a
// temporary directory, the real clock, web.Server on a loopback listener), with one exercise
// of the generated scenario created and started through the HTTP API.
type soakServer struct {
	dir    string
	store  *sqlite.Store
	mgr    *facilitator.Manager
	web    *web.Server
	srv    *http.Server
	served chan struct{}
	url    string
	admin  string
	client *http.Client
	x      facilitator.Created
}

func startServer(speed float64, logs io.Writer) (*soakServer, error) {
	lib, diags := scenarios.LoadFS(soakLibrary())
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the generated scenario: %s", diags.Error())
	}
	dir, err := os.MkdirTemp("", "ttxsoak-")
	if err != nil {
		return nil, err
	}
	store, err := sqlite.Open(filepath.Join(dir, "ttx.db"))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &soakServer{dir: dir, store: store, admin: "soak-admin-" + rand.Text(), served: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}}
	s.mgr = facilitator.NewManager(store, lib, clockwork.NewRealClock(), rand.Reader, facilitator.WithAdminToken(s.admin))
	s.web = web.NewServer(web.Config{Manager: s.mgr, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.close()
		return nil, err
	}
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.web, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	if err := s.call("POST", "/api/exercises", s.admin, map[string]any{"scenario": "soak", "speed": speed}, &s.x); err != nil {
		s.close()
		return nil, fmt.Errorf("create the exercise: %w", err)
	}
	if err := s.call("POST", "/api/exercises/"+s.x.ID+"/start", s.x.FacilitatorToken, nil, nil); err != nil {
		s.close()
		return nil, fmt.Errorf("start the exercise: %w", err)
	}
	return s, nil
}

// call makes one API request and decodes a 2xx answer into out.
func (s *soakServer) call(method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
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
		return json.Unmarshal(data, out)
	}
	return nil
}

// closeIdle drops the kept-alive API connections, so that they do not count as the server's
// goroutines.
func (s *soakServer) closeIdle() { s.client.CloseIdleConnections() }

// close stops the HTTP server, the hubs, the exercises and the store, and removes the files.
func (s *soakServer) close() {
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = s.srv.Shutdown(ctx)
		cancel()
		<-s.served
	}
	if s.web != nil {
		s.web.Close()
	}
	s.mgr.Close()
	_ = s.store.Close()
	_ = os.RemoveAll(s.dir)
}
