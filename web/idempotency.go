package web

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
)

// IdempotencyHeader names the header a facilitator's (or the admin's) HTTP command may carry
// so that a retried POST is recorded once: the same key, from the same credential, to the
// same route, with the same body, gets the first answer again without running again.
const IdempotencyHeader = "Idempotency-Key"

// maxIdempotencyKeys bounds the answers kept for replays; past it the oldest are forgotten.
const maxIdempotencyKeys = 10000

// idemEntry is the answer to the first request with one key, once it has been given.
type idemEntry struct {
	done      chan struct{} // closed once the first request has been answered
	bodyHash  [sha256.Size]byte
	status    int
	ctype     string
	body      []byte
	uncertain bool // the first request timed out: it may or may not have been recorded
}

// idemStore holds the answers to requests with an Idempotency-Key, bounded.
type idemStore struct {
	mu    sync.Mutex
	m     map[string]*idemEntry
	order []string
}

func newIdemStore() *idemStore { return &idemStore{m: make(map[string]*idemEntry)} }

// claim returns the entry of key and whether this request is the first with it.
func (st *idemStore) claim(key string, hash [sha256.Size]byte) (*idemEntry, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e, ok := st.m[key]; ok {
		return e, false
	}
	e := &idemEntry{done: make(chan struct{}), bodyHash: hash}
	st.m[key] = e
	st.order = append(st.order, key)
	for len(st.order) > maxIdempotencyKeys {
		delete(st.m, st.order[0])
		st.order = st.order[1:]
	}
	return e, true
}

func (st *idemStore) forget(key string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.m, key)
}

var (
	errIdemOtherBody = engine.Errorf(engine.EConflict,
		"this Idempotency-Key was sent with another request; send a new key with a new request")
	errIdemUncertain = engine.Errorf(engine.EConflict,
		"the first request with this Idempotency-Key ran out of time and may have been recorded; look at the exercise before sending it again under a new key")
)

// capture keeps a copy of what a handler writes.
type capture struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *capture) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *capture) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

// idempotent is the middleware of the commands (POST): a request with an Idempotency-Key
// runs once; a retry with the same key gets the first answer (with "Idempotent-Replayed:
// true"), waiting for it if the first is still running. An answer of 5xx is not kept, so
// that a retry runs again, except a command that ran out of time (503), which may still be
// recorded: its retries are refused with a sentence that says so.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader(IdempotencyHeader)
	if key == "" {
		c.Next()
		return
	}
	if err := engine.CheckName(IdempotencyHeader, key, true); err != nil {
		s.fail(c, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxMessageBytes))
	if err != nil {
		if isTooLarge(err) {
			s.fail(c, errTooLarge)
			return
		}
		s.fail(c, invalid("the request body could not be read: %v", err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	p := principal(c)
	scope := memoKey(string(p.Role), p.Exercise, c.Request.Method, c.Request.URL.Path, key)
	e, first := s.idem.claim(scope, sha256.Sum256(body))
	if !first {
		select {
		case <-e.done:
		case <-c.Request.Context().Done():
			c.Abort()
			return
		}
		switch {
		case e.bodyHash != sha256.Sum256(body):
			s.fail(c, errIdemOtherBody)
		case e.uncertain:
			s.fail(c, errIdemUncertain)
		default:
			c.Header("Idempotent-Replayed", "true")
			c.Data(e.status, e.ctype, e.body)
			c.Abort()
		}
		return
	}
	w := &capture{ResponseWriter: c.Writer}
	c.Writer = w
	defer close(e.done)
	c.Next()
	e.status, e.ctype, e.body = w.Status(), w.Header().Get("Content-Type"), w.body.Bytes()
	switch {
	case e.status == http.StatusServiceUnavailable:
		e.uncertain = true
	case e.status >= 500:
		s.idem.forget(scope)
	}
}
