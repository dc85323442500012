package web

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// memo is a bounded cache of what cannot change: the score, the rendered reports and the
// revisions of ended exercises, keyed by what they were computed from (the exercise and the
// seq of its last event, so that an event recorded after the end, in the hot wash, makes a
// new entry). Past max entries the oldest goes.
type memo struct {
	max int

	mu    sync.Mutex
	m     map[string]any
	order []string // keys, oldest first

	computed atomic.Int64 // how many scores were computed, for the tests
}

func newMemo(max int) *memo { return &memo{max: max, m: make(map[string]any)} }

// get returns the value of key, computing it with compute on a miss.
func (c *memo) get(key string, compute func() (any, error)) (any, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok {
		c.m[key] = v
		c.order = append(c.order, key)
		for len(c.order) > c.max {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	return v, nil
}

// memoKey joins the parts of a cache key.
func memoKey(parts ...string) string { return strings.Join(parts, "\x00") }

// maxMemo bounds the cached reports, renderings and revisions.
const maxMemo = 256

// scoreOf scores exercise x from its committed log (scored).
func (s *Server) scoreOf(x *facilitator.Listed) scoring.Report {
	r, _ := s.scored(x)
	return r
}

// scored scores exercise x from its committed log, and names the log it scored: an ended
// exercise's score is computed once for each length of its log, and key says which ("" for
// an exercise that has not ended, whose score is not kept).
func (s *Server) scored(x *facilitator.Listed) (r scoring.Report, key string) {
	ended := x.Ended() // before reading the log: an end seen here is in the log read next
	events := x.EventsSince(0)
	compute := func() (any, error) {
		s.memo.computed.Add(1)
		return scoring.Score(scoring.InputOf(x.Record(), x.Scenario(), events)), nil
	}
	if !ended {
		v, _ := compute()
		return v.(scoring.Report), ""
	}
	var seq int64
	if n := len(events); n > 0 {
		seq = events[n-1].Seq
	}
	key = x.ID() + "@" + strconv.FormatInt(seq, 10)
	v, _ := s.memo.get(memoKey("score", key), compute)
	return v.(scoring.Report), key
}
