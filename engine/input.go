package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The input checks of ttx, in one place: the engine checks every name and text it records
// with them, and the web package checks what a client sends with the same functions, so that
// a rule and its message are written once.

// CheckName checks a short string (a name, a ref, a code, a capability, a team): valid UTF-8,
// at most MaxNameRunes characters, no control characters and no line or paragraph
// separators; required means it may not be blank. Its error is EInvalid and names field.
func CheckName(field, v string, required bool) error {
	return checkInput(field, v, required, MaxNameRunes, false)
}

// CheckText checks a free text (a note, an escalation, an inject's subject or body, an
// observation): valid UTF-8, at most MaxTextRunes characters, no control characters but line
// breaks and tabs; required means it may not be blank.
func CheckText(field, v string, required bool) error {
	return checkInput(field, v, required, MaxTextRunes, true)
}

// checkInput is what CheckName and CheckText share: they differ only in the length allowed
// and whether line breaks and tabs are text.
func checkInput(field, v string, required bool, maxRunes int, allowLines bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return Errorf(EInvalid, "%s: is required", field)
	case !utf8.ValidString(v):
		return Errorf(EInvalid, "%s: is not valid UTF-8 text", field)
	case utf8.RuneCountInString(v) > maxRunes:
		return Errorf(EInvalid, "%s: is longer than %d characters", field, maxRunes)
	case hasControl(v, allowLines):
		return Errorf(EInvalid, "%s: must not contain control characters", field)
	}
	return nil
}

// checkText is CheckText of a required text.
func checkText(field, v string) error { return CheckText(field, v, true) }

// hasControl reports whether s holds a control character (other than a line break or a tab
// when allowLines) or a line or paragraph separator.
func hasControl(s string, allowLines bool) bool {
	for _, r := range s {
		if allowLines && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}
