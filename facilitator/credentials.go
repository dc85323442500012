package facilitator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// CodeAlphabet is the 30 characters a join code is made of: digits and capital letters
// without 0, O, 1, I, L (easily confused when read aloud or handwritten) and U (so that
// random codes spell fewer words).
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLength is the number of random characters of a join code: 30^8 ≈ 6.6e11 codes, which
// with the guessing limiter of the web package is far more than an attacker can try during an
// exercise.
const codeLength = 8

// tokenBytes is the entropy of facilitator and reviewer tokens.
const tokenBytes = 32

// newToken returns 32 random bytes from r, base64url without padding.
func newToken(r io.Reader) (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// newJoinCode returns a random join code like "KQ7M-2XPA": eight characters of CodeAlphabet
// in two groups of four, drawn without modulo bias.
func newJoinCode(r io.Reader) (string, error) {
	var code [codeLength]byte
	var b [1]byte
	for i := 0; i < codeLength; {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("read random bytes: %w", err)
		}
		// 240 = 8 × 30: reject the top 16 values so that every character is equally likely.
		if b[0] >= 240 {
			continue
		}
		code[i] = CodeAlphabet[int(b[0])%len(CodeAlphabet)]
		i++
	}
	return string(code[:4]) + "-" + string(code[4:]), nil
}

// NormalizeJoinCode returns code the way it is stored: upper case, without spaces or dashes,
// so that "kq7m 2xpa" and "KQ7M-2XPA" are the same code.
func NormalizeJoinCode(code string) string {
	var b strings.Builder
	for _, r := range code {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newExerciseID returns a random exercise id of ten lower-case base32 characters.
func newExerciseID(r io.Reader) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 10)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return string(b), nil
}

// hashSecret is what is stored and compared instead of a token or join code: hex SHA-256.
// The secrets are random with enough entropy that a fast hash is enough; a different prefix
// per kind keeps a token and a code from ever hashing alike.
func hashSecret(kind, secret string) string {
	sum := sha256.Sum256([]byte(kind + ":" + secret))
	return hex.EncodeToString(sum[:])
}

// sameHash compares two hashes in constant time.
func sameHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
