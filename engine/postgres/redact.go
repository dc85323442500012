package postgres

import (
	"net/url"
	"strings"
)

// IsURL reports whether db names a PostgreSQL database (a postgres:// or postgresql:// URL)
// rather than an SQLite file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Redact returns the URL u with its password replaced by "xxxxx", for logs and errors; a URL
// that does not parse is replaced whole, since it may hold a password nobody can find in it.
func Redact(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return "postgres://(a URL that does not parse)"
	}
	q := parsed.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		parsed.RawQuery = q.Encode()
	}
	return parsed.Redacted()
}

// password is the password in u, from its user info or its password parameter, or "".
func password(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	if p, ok := parsed.User.Password(); ok && p != "" {
		return p
	}
	return parsed.Query().Get("password")
}

// redactedError is an error whose message has a password taken out; it unwraps to the
// original, for errors.Is and errors.As, whose own messages callers must not print.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactError returns err with every occurrence of u's password, raw or URL-escaped, replaced
// by "xxxxx" in its message.
func redactError(err error, u string) error {
	pw := password(u)
	if err == nil || pw == "" {
		return err
	}
	msg := err.Error()
	for _, s := range []string{pw, url.QueryEscape(pw), url.PathEscape(pw)} {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return &redactedError{msg: msg, err: err}
}
