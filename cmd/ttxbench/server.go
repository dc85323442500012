package main

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// ttxServer is a real ttx server in this process (wstest.Server) whose manager appends
// through a timedStore, with one exercise created and started through the HTTP API.
type ttxServer struct {
	*wstest.Server
	timed    *timedStore
	exercise facilitator.Created
}

// startTTX serves the scenarios of fsys and creates and starts an exercise of scenarioName at
// speed 1. cfg's Manager is set by wstest; its rate limits are the caller's to raise, and
// without a Logger the server logs nothing. The store is SQLite in a temporary directory
// unless an option (wstest.OpenStore) says otherwise.
func startTTX(fsys fs.FS, scenarioName string, cfg web.Config, opts ...wstest.Option) (*ttxServer, error) {
	lib, diags := scenarios.LoadFS(fsys)
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the generated scenario: %s", diags.Error())
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &ttxServer{}
	wrap := wstest.WrapStore(func(store engine.Store) engine.Store {
		s.timed = newTimedStore(store)
		return s.timed
	})
	srv, err := wstest.StartServer(lib, cfg, append(opts, wrap)...)
	if err != nil {
		return nil, err
	}
	s.Server = srv
	if s.exercise, err = srv.StartExercise(scenarioName, 1); err != nil {
		srv.Close()
		return nil, err
	}
	return s, nil
}
