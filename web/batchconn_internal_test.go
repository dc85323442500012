package web

import (
	"bytes"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writesConn is a net.Conn that records each Write it is given.
type writesConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (c *writesConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

func (c *writesConn) all() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// TestBatchConnSendsWhatItHeldInOneWrite: writes while held go out together, in order, at
// send; writes while not held go out at once; a batch past maxHeld goes out in pieces, none
// larger than maxHeld unless one write alone is.
func TestBatchConnSendsWhatItHeldInOneWrite(t *testing.T) {
	under := &writesConn{}
	c := &batchConn{Conn: under}

	_, err := c.Write([]byte("pong"))
	require.NoError(t, err)
	assert.Equal(t, [][]byte{[]byte("pong")}, under.all(), "not held: at once")

	c.hold()
	for _, s := range []string{"a", "bb", "ccc"} {
		n, err := c.Write([]byte(s))
		require.NoError(t, err)
		assert.Equal(t, len(s), n)
	}
	assert.Len(t, under.all(), 1, "held: nothing written before send")
	require.NoError(t, c.send())
	assert.Equal(t, [][]byte{[]byte("pong"), []byte("abbccc")}, under.all())
	assert.Nil(t, c.buf, "nothing held, no buffer kept")

	under.writes = nil
	c.hold()
	big := bytes.Repeat([]byte("x"), maxHeld-10)
	_, _ = c.Write(big)
	_, _ = c.Write([]byte("0123456789abc")) // does not fit beside big: big goes first
	huge := bytes.Repeat([]byte("y"), maxHeld+1)
	_, _ = c.Write(huge) // larger than any batch: what is held, then it alone
	_, _ = c.Write([]byte("z"))
	require.NoError(t, c.send())
	assert.Equal(t, [][]byte{big, []byte("0123456789abc"), huge, []byte("z")}, under.all())
}

// TestBatchConnTakesWritesFromTwoGoroutines: the read pump's pongs and the write pump's
// batches may write at once; every write arrives whole.
func TestBatchConnTakesWritesFromTwoGoroutines(t *testing.T) {
	under := &writesConn{}
	c := &batchConn{Conn: under}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range 200 {
			_, _ = c.Write([]byte("P"))
		}
	}()
	go func() {
		defer wg.Done()
		for range 200 {
			c.hold()
			_, _ = c.Write([]byte("m1"))
			_, _ = c.Write([]byte("m2"))
			_ = c.send()
		}
	}()
	wg.Wait()
	all := bytes.Join(under.all(), nil)
	assert.Equal(t, 200, bytes.Count(all, []byte("P")))
	assert.Equal(t, 200, bytes.Count(all, []byte("m1")))
	assert.Equal(t, 200, bytes.Count(all, []byte("m2")))
}
