package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The benchmark's injects carry their send time in the subject as a fixed-width stamp, so
// that a client can tell each one's latency without decoding the whole message, and the
// baseline can send messages of exactly the same size:
//
//	bench #007 @0000000000123456789
//
// is message 7, sent 123456789 ns after the run's epoch (a monotonic clock of this process).
const (
	stampPrefix = "bench #"
	stampLen    = len("bench #000 @0000000000000000000")
)

// stamp formats message k sent at since (after epoch).
func stamp(k int, since time.Duration) string {
	return fmt.Sprintf("%s%03d @%019d", stampPrefix, k, int64(since))
}

// parseStamp finds a stamp in msg and returns its message number and send time.
func parseStamp(msg []byte) (int, time.Duration, bool) {
	i := bytes.Index(msg, []byte(stampPrefix))
	if i < 0 || len(msg) < i+stampLen {
		return 0, 0, false
	}
	s := msg[i : i+stampLen]
	k, err := strconv.Atoi(string(s[len(stampPrefix) : len(stampPrefix)+3]))
	if err != nil {
		return 0, 0, false
	}
	ns, err := strconv.ParseInt(string(s[len(stampPrefix)+5:]), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return k, time.Duration(ns), true
}

// receiver is one benchmark WebSocket client that reads stamped messages and keeps each
// one's latency.
type receiver struct {
	conn  *websocket.Conn
	epoch time.Time
	lat   []time.Duration // by message number; 0 until received
	at    []time.Duration // by message number: when it was received, after epoch
	got   int
	all   *counter   // told when every message has arrived
	each  []*counter // by message number, told when it arrives (if set)
	// sample receives a copy of the first stamped message, once over all receivers.
	sample *sampleOnce
	done   chan struct{} // closed when the read loop returns
}

type sampleOnce struct {
	once sync.Once
	msg  []byte
}

func newReceiver(conn *websocket.Conn, epoch time.Time, messages int, all *counter, sample *sampleOnce) *receiver {
	return &receiver{conn: conn, epoch: epoch, lat: make([]time.Duration, messages), at: make([]time.Duration, messages), all: all, sample: sample, done: make(chan struct{})}
}

// read reads until the connection closes; anything but a stamped message is skipped.
func (r *receiver) read() {
	defer close(r.done)
	for {
		_, msg, err := r.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Since(r.epoch)
		k, sent, ok := parseStamp(msg)
		if !ok || k >= len(r.lat) || r.lat[k] != 0 {
			continue
		}
		r.lat[k] = max(now-sent, 1)
		r.at[k] = now
		if r.sample != nil {
			r.sample.once.Do(func() { r.sample.msg = bytes.Clone(msg) })
		}
		r.got++
		if r.each != nil {
			r.each[k].dec()
		}
		if r.got == len(r.lat) {
			r.all.dec()
		}
	}
}

func (r *receiver) close() {
	_ = r.conn.Close()
	<-r.done
}

// dialer connects benchmark clients; the buffers are gorilla's defaults.
var dialer = websocket.Dialer{HandshakeTimeout: 30 * time.Second}

// dialAll opens n connections with at most parallel dials at once, each with join (which
// sends whatever the server needs and waits for its welcome), and returns them in order.
func dialAll(ctx context.Context, url string, n, parallel int, join func(i int, c *websocket.Conn) error) ([]*websocket.Conn, error) {
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, _, err := dialer.DialContext(ctx, url, nil)
			if err != nil {
				errs <- fmt.Errorf("client %d: dial: %w", i, err)
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			if err := join(i, c); err != nil {
				c.Close()
				errs <- fmt.Errorf("client %d: %w", i, err)
				return
			}
			_ = c.SetReadDeadline(time.Time{})
			conns[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
		return nil, err
	}
	return conns, nil
}

// helloJoin says hello to a ttx server with a team's join code and waits for the welcome.
func helloJoin(code, name string) func(*websocket.Conn) error {
	return func(c *websocket.Conn) error {
		hello := map[string]any{"type": "hello", "code": code, "name": name, "since": 0}
		if err := c.WriteJSON(hello); err != nil {
			return fmt.Errorf("hello: %w", err)
		}
		_, msg, err := c.ReadMessage()
		if err != nil {
			return fmt.Errorf("wait for welcome: %w", err)
		}
		var m struct {
			Type  string `json:"type"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(msg, &m); err != nil || m.Type != "welcome" {
			return fmt.Errorf("expected a welcome, got %.200s", msg)
		}
		return nil
	}
}
