package web

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
)

// IdempotencyHeader names the header a facilitator's (or the admin's) HTTP command may carry
// so that a retried POST is recorded once: the same key, from the same credential, to the
// same route, with the same body, gets the first answer again without running again.
const IdempotencyHeader = "Idempotency-Key"

// The claims and answers are the store's (engine.IdempotencyKeeper, through the manager), so
// that a retry is recognised after a restart and on every replica; a store that keeps none
// leaves them in the server's memory (engine.MemoryIdempotency), for its life.

// A retry that finds the first request still running polls its claim, at intervals growing
// from idemPollMin to idemPollMax: the first may run on another replica, which says nothing.
const (
	idemPollMin = 10 * time.Millisecond
	idemPollMax = 250 * time.Millisecond
)

var (
	errIdemOtherBody = engine.Errorf(engine.EConflict,
		"this Idempotency-Key was sent with another request; send a new key with a new request")
	errIdemUncertain = engine.Errorf(engine.EConflict,
		"the first request with this Idempotency-Key ran out of time, or its server stopped, and may have been recorded; look at the exercise before sending it again under a new key")
	errIdemUnkept = engine.Errorf(engine.EUnavailable,
		"the store did not answer, so nothing was done; send the request again with the same Idempotency-Key")
)

// idemRequest is a request with an Idempotency-Key as its claim sees it.
type idemRequest struct {
	claim engine.IdempotencyClaim
	seal  cipher.AEAD // seals its answer for the store: only a retry with the same token opens it
}

// newIdemRequest is the request of c, sent with key and body. Its scope is the credential's
// role and exercise, the method, path and key, hashed, so that the store holds a fixed-length
// key of no text of the request.
func newIdemRequest(c *gin.Context, key string, body []byte) idemRequest {
	p := principal(c)
	scope := sha256.Sum256([]byte(memoKey(string(p.Role), p.Exercise, c.Request.Method, c.Request.URL.Path, key)))
	hash := sha256.Sum256(body)
	r := idemRequest{claim: engine.IdempotencyClaim{Scope: hex.EncodeToString(scope[:]), BodyHash: hash[:]}}
	token, _ := bearerToken(c.GetHeader("Authorization"))
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte("ttx idempotent answer\x00" + r.claim.Scope))
	block, _ := aes.NewCipher(mac.Sum(nil)) // a 32-byte key: AES-256, never an error
	r.seal, _ = cipher.NewGCMWithRandomNonce(block)
	return r
}

// The answer kept for the retries is sealed with a key derived from the request's token, so
// that an answer that hands out tokens (POST /api/exercises) leaves no token in clear in the
// database, where tokens are otherwise only hashes.

func (r idemRequest) sealAnswer(body []byte) []byte {
	return r.seal.Seal(nil, nil, body, []byte(r.claim.Scope))
}

func (r idemRequest) openAnswer(sealed []byte) ([]byte, bool) {
	body, err := r.seal.Open(nil, nil, sealed, []byte(r.claim.Scope))
	return body, err == nil
}

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
// true"), waiting for it if the first is still running, on this server or another. An answer
// of 5xx is not kept, so that a retry runs again, except a command that ran out of time
// (503), which may still be recorded: its retries are refused with a sentence that says so,
// as are those of a first request unanswered past idemPatience (its server died).
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
	r := newIdemRequest(c, key, body)
	kept, first, err := s.awaitClaim(c.Request.Context(), r.claim)
	switch {
	case c.Request.Context().Err() != nil:
		c.Abort() // the client went away
	case err != nil:
		s.log.Error("an Idempotency-Key could not be claimed", slog.String("route", c.FullPath()), slog.Any("err", err))
		s.fail(c, errIdemUnkept)
	case first:
		s.runFirst(c, r)
	default:
		s.replay(c, r, kept)
	}
}

// idemPatience is how long a retry waits for a first request that has not answered: twice
// the command timeout, past which the first has answered 503 unless its server died.
func (s *Server) idemPatience() time.Duration { return 2 * s.cfg.CommandTimeout }

// awaitClaim claims c's scope, or returns the claim kept there once it is answered, or once it
// is older than idemPatience while unanswered. A claim with another body is returned at once.
func (s *Server) awaitClaim(ctx context.Context, c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool, error) {
	wait := idemPollMin
	for {
		c.ClaimedAt = s.cfg.Clock.Now()
		kept, first, err := s.claimIdempotency(ctx, c)
		if err != nil || first || kept.Answered || !bytes.Equal(kept.BodyHash, c.BodyHash) ||
			c.ClaimedAt.Sub(kept.ClaimedAt) > s.idemPatience() {
			return kept, first, err
		}
		t := s.cfg.Clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return engine.IdempotencyClaim{}, false, ctx.Err()
		case <-t.Chan():
		}
		wait = min(2*wait, idemPollMax)
	}
}

func (s *Server) claimIdempotency(ctx context.Context, c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CommandTimeout)
	defer cancel()
	return s.idem.ClaimIdempotency(ctx, c)
}

// runFirst runs the request that claimed r's scope and keeps its answer, or forgets the claim
// when the answer is a 5xx other than 503 (or the handler panicked), so that a retry runs
// again. The store is told even when the client has gone away.
func (s *Server) runFirst(c *gin.Context, r idemRequest) {
	w := &capture{ResponseWriter: c.Writer}
	c.Writer = w
	answered := false
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), s.cfg.CommandTimeout)
		defer cancel()
		var err error
		switch status := w.Status(); {
		case !answered || status >= 500 && status != http.StatusServiceUnavailable:
			err = s.idem.ForgetIdempotency(ctx, r.claim.Scope)
		default:
			err = s.idem.AnswerIdempotency(ctx, r.claim.Scope, engine.IdempotentAnswer{
				Status: status, ContentType: w.Header().Get("Content-Type"), Body: r.sealAnswer(w.body.Bytes())})
		}
		if err != nil {
			// The claim stays unanswered: past idemPatience its retries are told it may have
			// been recorded.
			s.log.Error("an Idempotency-Key's answer could not be kept", slog.String("route", c.FullPath()), slog.Any("err", err))
		}
	}()
	c.Next()
	answered = true
}

// replay answers a retry from the claim kept for its scope.
func (s *Server) replay(c *gin.Context, r idemRequest, kept engine.IdempotencyClaim) {
	if !bytes.Equal(kept.BodyHash, r.claim.BodyHash) {
		s.fail(c, errIdemOtherBody)
		return
	}
	if !kept.Answered || kept.Answer.Status == http.StatusServiceUnavailable {
		s.fail(c, errIdemUncertain)
		return
	}
	body, ok := r.openAnswer(kept.Answer.Body)
	if !ok { // the same role and key with another token: a replaced facilitator token
		s.fail(c, errIdemOtherBody)
		return
	}
	c.Header("Idempotent-Replayed", "true")
	c.Data(kept.Answer.Status, kept.Answer.ContentType, body)
	c.Abort()
}
