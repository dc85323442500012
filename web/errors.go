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

// The 403 of each gate names exactly who may pass it, so that a refused caller learns which
// token to use and is never told that its own would do.
var (
	errOnlyAdmin = engine.Errorf(engine.EForbidden,
		"your token does not allow this: only the admin token may")
	errOnlySees = engine.Errorf(engine.EForbidden,
		"your token does not allow this: it needs this exercise's facilitator token or the admin token")
	errOnlyFacilitates = engine.Errorf(engine.EForbidden,
		"your token does not allow this: only this exercise's facilitator token may run it")
	errOnlyReviews = engine.Errorf(engine.EForbidden,
		"your token does not allow this: a report needs the exercise's reviewer token or the admin token; "+
			"the reviewer token of another exercise of the same plan may read it once the exercise has ended")
	errOnlyReviewer = engine.Errorf(engine.EForbidden,
		"your token does not allow this: only a reviewer token or the admin token lists finished exercises")
	errOnlyReviewsPlan = engine.Errorf(engine.EForbidden,
		"your token does not allow this: a plan's readiness, revision and exercises need the reviewer token of one of its exercises or the admin token")
)

// isTooLarge reports whether err came from http.MaxBytesReader.
func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
