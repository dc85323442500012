package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
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
// for its ack as in the responses benchmarks (actUntil), and returns the acks a second.
func bareAckRate(ctx context.Context, responders int, d time.Duration) (float64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srv := &http.Server{Handler: &ackServer{}, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	defer func() {
		_ = srv.Close()
		<-served
	}()
	conns, err := dialAll(ctx, wstest.WebSocketURL("http://"+ln.Addr().String()), responders, 32, func(int, *websocket.Conn) error { return nil })
	if err != nil {
		return 0, err
	}
	acks := make([]int, len(conns))
	errs := make([]error, len(conns))
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			lat, err := actUntil(c, i, deadline)
			acks[i], errs[i] = len(lat), err
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := 0
	for i := range acks {
		if errs[i] != nil {
			return 0, fmt.Errorf("bare ack client %d: %w", i, errs[i])
		}
		total += acks[i]
	}
	return float64(total) / elapsed.Seconds(), nil
}
