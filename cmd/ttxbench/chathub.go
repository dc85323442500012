package main

import (
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// chatHub is the fan-out baseline: the minimal gorilla/websocket broadcast server, in the shape
// of gorilla's chat example (one goroutine owns the clients; each client has a buffered send
// channel, a read pump and a write pump with deadlines and pings). Unlike the example it sends
// one frame per message, as ttx does, rather than joining queued messages with newlines; and
// one write per frame, as a gorilla Conn does (ttx joins the frames queued for a client into
// one write: web/batchconn.go).
type chatHub struct {
	clients    map[*chatClient]bool
	broadcast  chan []byte
	register   chan *chatClient
	unregister chan *chatClient
	quit       chan struct{}
	done       chan struct{}
}

type chatClient struct {
	hub  *chatHub
	conn *websocket.Conn
	send chan []byte
}

const (
	chatWriteWait  = 10 * time.Second
	chatPongWait   = 60 * time.Second
	chatPingPeriod = chatPongWait * 9 / 10
	chatSendBuffer = 256 // as ttx's default SendBuffer
)

var chatUpgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

func newChatHub() *chatHub {
	return &chatHub{
		clients:    make(map[*chatClient]bool),
		broadcast:  make(chan []byte),
		register:   make(chan *chatClient),
		unregister: make(chan *chatClient),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
	}
}

func (h *chatHub) run() {
	defer close(h.done)
	for {
		select {
		case <-h.quit:
			for c := range h.clients {
				close(c.send)
			}
			return
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case msg := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- msg:
				default:
					close(c.send)
					delete(h.clients, c)
				}
			}
		}
	}
}

func (h *chatHub) stop() {
	close(h.quit)
	<-h.done
}

// ServeHTTP upgrades a connection, registers it and greets it, so that the client knows it
// will receive every later broadcast.
func (h *chatHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := chatUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &chatClient{hub: h, conn: conn, send: make(chan []byte, chatSendBuffer)}
	c.send <- []byte(`{"type":"welcome"}`) // queued first: every broadcast comes after it
	select {
	case h.register <- c:
	case <-h.done:
		conn.Close()
		return
	}
	go c.writePump()
	go c.readPump()
}

func (c *chatClient) readPump() {
	defer func() {
		select {
		case c.hub.unregister <- c:
		case <-c.hub.done:
		}
		c.conn.Close()
	}()
	c.conn.SetReadLimit(64 << 10)
	_ = c.conn.SetReadDeadline(time.Now().Add(chatPongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(chatPongWait)) })
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			return
		}
	}
}

func (c *chatClient) writePump() {
	ticker := time.NewTicker(chatPingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case msg, ok := <-c.send:
			_ = c.conn.SetWriteDeadline(time.Now().Add(chatWriteWait))
			if !ok {
				_ = c.conn.WriteMessage(websocket.CloseMessage, nil)
				return
			}
			if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ticker.C:
			_ = c.conn.SetWriteDeadline(time.Now().Add(chatWriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
