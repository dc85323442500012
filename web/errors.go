package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
)

// statusOf is the one mapping from engine.Error codes to HTTP status.
func statusOf(code string) int {
	switch code {
	case engine.EInvalid:
		return http.StatusBadRequest
	case engine.EUnauthorized:
		return http.StatusUnauthorized
	case engine.EForbidden:
		return http.StatusForbidden
	case engine.ENotFound:
		return http.StatusNotFound
	case engine.EConflict:
		return http.StatusConflict
	case engine.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case engine.ETooMany:
		return http.StatusTooManyRequests
	case engine.EUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// fail answers err as {"error": "…"} with the status of its code. Internal errors are logged
// with the request's route and answered "internal error".
func (s *Server) fail(c *gin.Context, err error) {
	if err == nil {
		err = errors.New("a handler failed without an error")
	}
	code := engine.ErrorCode(err)
	if code == engine.EInternal {
		s.log.Error("request failed", slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()), slog.Any("err", err))
	}
	c.AbortWithStatusJSON(statusOf(code), errorBody{Error: engine.ErrorMessage(err)})
}

// The errors every route may answer. A wrong or missing credential is 401 and the same
// sentence whatever it was meant for; a credential without the right is 403 and never says
// whether the exercise asked for exists.
var (
	errNoToken = engine.Errorf(engine.EUnauthorized,
		`this needs a token: send "Authorization: Bearer TOKEN"`)
	errTooLarge = engine.Errorf(engine.ETooLarge,
		"the request body is larger than 64 KiB; send less")
	// errEmptyBody is the one body a command without parameters accepts besides {}.
	errEmptyBody = invalid("the body is empty; send a JSON object")
)

// The 403 of each gate is its facilitator.Policy rule's: it names exactly who may pass it.

// isTooLarge reports whether err came from http.MaxBytesReader.
func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
