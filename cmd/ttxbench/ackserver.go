package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ttx-dev/ttx/web/wstest"
)

// ackServer is the ceiling of any WebSocket server's durable responses on the machine: the
// minimal gorilla server that answers each message with an ack of ttx's form at once, with no
// database, no team to write to and no check. What a client waits for from it is two
// WebSocket frames and four system calls, the least a response over a WebSocket costs.
type ackServer struct {
	seq atomic.Int64
}

func (a *ackServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := chatUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 10)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var m struct {
			Ref string `json:"ref"`
		}
		if json.Unmarshal(data, &m) != nil {
			return
		}
		ack := `{"type":"ack","ref":` + strconv.Quote(m.Ref) + `,"seq":` + strconv.FormatInt(a.seq.Add(1), 10) + `}`
		_ = conn.SetWriteDeadline(time.Now().Add(chatWriteWait))
		if conn.WriteMessage(websocket.TextMessage, []byte(ack)) != nil {
			return
		}
	}
}

// bareAckRate has responders clients send act after act to an ackServer for d, each waiting
// for its ack as in the responses benchmarks (actAll), and returns the acks a second.
func bareAckRate(ctx context.Context, responders int, d time.Duration) (float64, error) {
	url, stop, err := serveLoopback(&ackServer{})
	if err != nil {
		return 0, err
	}
	defer stop()
	conns, err := dialAll(ctx, wstest.WebSocketURL(url), responders, 32, func(int, *websocket.Conn) error { return nil })
	if err != nil {
		return 0, err
	}
	lat, elapsed, err := actAll(conns, d)
	if err != nil {
		return 0, fmt.Errorf("bare ack server: %w", err)
	}
	return float64(len(lat)) / elapsed.Seconds(), nil
}

// serveLoopback serves h on a loopback port of its own and returns its URL and what stops it.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), func() {
		_ = srv.Close()
		<-served
	}, nil
}
