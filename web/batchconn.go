package web

import (
	"bufio"
	"net"
	"net/http"
	"sync"
)

// batchConn is a WebSocket's network connection whose writes the client's write pump can hold
// back and send together: a client with several messages queued (a burst of injects, the
// actions of a group commit, a replay) gets them in one system call instead of one each.
// Writes made while nothing is held back (a pong or close frame from the read pump) go out at
// once, after whatever was held.
type batchConn struct {
	net.Conn
	mu      sync.Mutex
	holding bool
	buf     *[]byte // the bytes held back; nil when none, so that an idle client holds no buffer
}

// maxHeld bounds the bytes held back before they are written: a long replay goes out in
// pieces of about this size.
const maxHeld = 32 << 10

var heldBuffers = sync.Pool{New: func() any { b := make([]byte, 0, maxHeld); return &b }}

func (c *batchConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf != nil && len(*c.buf)+len(p) > maxHeld {
		if err := c.flushLocked(); err != nil {
			return 0, err
		}
	}
	if !c.holding || len(p) >= maxHeld {
		if err := c.flushLocked(); err != nil {
			return 0, err
		}
		return c.Conn.Write(p)
	}
	if c.buf == nil {
		c.buf = heldBuffers.Get().(*[]byte)
	}
	*c.buf = append(*c.buf, p...)
	return len(p), nil
}

// hold holds back the writes that follow until send.
func (c *batchConn) hold() {
	c.mu.Lock()
	c.holding = true
	c.mu.Unlock()
}

// send writes what was held back in one write and lets later writes through at once.
func (c *batchConn) send() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holding = false
	return c.flushLocked()
}

func (c *batchConn) flushLocked() error {
	if c.buf == nil {
		return nil
	}
	b := c.buf
	c.buf = nil
	_, err := c.Conn.Write(*b)
	*b = (*b)[:0]
	heldBuffers.Put(b)
	return err
}

// batchingWriter hands the WebSocket upgrader a connection that is a batchConn.
type batchingWriter struct {
	http.ResponseWriter
}

func (w batchingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	conn, rw, err := h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &batchConn{Conn: conn}, rw, nil
}
