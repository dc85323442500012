package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestPanicsAreLoggedAndAnsweredInternalError: a handler that panics gets "internal error"
// and a log line with the panic, and the server goes on serving.
func TestPanicsAreLoggedAndAnsweredInternalError(t *testing.T) {
	var logs bytes.Buffer
	m := facilitator.NewManager(engine.NewMemoryStore(), &scenarios.Set{}, clockwork.NewFakeClock(), nil)
	t.Cleanup(m.Close)
	s := NewServer(Config{Manager: m, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	t.Cleanup(s.Close)
	s.engine.GET("/boom", func(*gin.Context) { panic("kaboom") })

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/boom", nil)
	req.Header.Set("Authorization", "Bearer secret-in-a-header")
	s.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"error":"internal error"}`, rec.Body.String())
	assert.Contains(t, logs.String(), "kaboom")
	assert.NotContains(t, logs.String(), "secret-in-a-header")

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	require.Equal(t, http.StatusOK, rec.Code)
}
