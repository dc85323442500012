package main

import (
	"fmt"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// soakServer is a real ttx server in this process (wstest.Server) with one exercise of the
// generated scenario created and started through the HTTP API.
type soakServer struct {
	*wstest.Server
	x facilitator.Created
}

func startServer(speed float64) (*soakServer, error) {
	lib, diags := scenarios.LoadFS(soakLibrary())
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the generated scenario: %s", diags.Error())
	}
	srv, err := wstest.StartServer(lib, web.Config{})
	if err != nil {
		return nil, err
	}
	x, err := srv.StartExercise("soak", speed)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &soakServer{Server: srv, x: x}, nil
}
