package engine

import (
	"errors"
	"fmt"
)

// Error codes. The web package maps each to an HTTP status and a WebSocket error.
const (
	EInvalid      = "invalid"      // bad input: 400
	EUnauthorized = "unauthorized" // no or wrong credentials: 401
	EForbidden    = "forbidden"    // the role may not: 403
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // does not fit the current state, e.g. starting a running exercise: 409
	ETooLarge     = "too_large"    // 413
	ETooMany      = "too_many"     // too many attempts or requests: 429; try again later
	EUnavailable  = "unavailable"  // the store does not answer in time: 503; try again later
	EInternal     = "internal"     // a bug or an I/O failure: 500, shown as "internal error"
)

// Error is the one error type of ttx: a code and a message a person can act on.
type Error struct {
	Code    string
	Message string
}

// Error returns the message, which is safe to show unless the code is EInternal (ErrorMessage).
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal when it is not an *Error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the message of err that is safe to show a user: an *Error's message,
// or "internal error" for an EInternal one (its message, a store's say, is for the log) and
// for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}
