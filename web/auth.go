package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

const principalKey = "ttx.principal"

// authenticate is the middleware of every /api route: it reads the bearer token and stores
// who it proves the caller to be.
func (s *Server) authenticate(c *gin.Context) {
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		s.fail(c, errNoToken)
		return
	}
	p, err := s.checkCredential(spaceToken, c.ClientIP(), func() (facilitator.Principal, error) {
		return s.m.Authenticate(token)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(principalKey, p)
	c.Next()
}

// errGuessing is checkCredential's answer to an address that is past its limit of wrong
// credentials: a refused hello on the WebSocket, and 429 over HTTP (authenticate).
var errGuessing = engine.Errorf(engine.ETooMany,
	"too many wrong tokens or join codes from your address or from everywhere; wait a minute and try again")

// checkCredential runs check, a credential of space, for a client at ip unless the guessing
// limit says no (guessLimiter), and counts a wrong credential.
func (s *Server) checkCredential(space, ip string, check func() (facilitator.Principal, error)) (facilitator.Principal, error) {
	if !s.guesses.allowed(space, ip) {
		return facilitator.Principal{}, errGuessing
	}
	p, err := check()
	if err != nil {
		s.guesses.failed(space, ip)
	} else {
		s.guesses.succeeded(ip)
	}
	return p, err
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func principal(c *gin.Context) facilitator.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(facilitator.Principal)
	return pr
}

// may is the gate of a route: it lets through whoever facilitator.Policy allows to take
// action on the route's target (its :id, or the plan :name), and answers the others with the
// action's 403.
func (s *Server) may(action facilitator.Action) gin.HandlerFunc {
	target := func(*gin.Context) string { return "" }
	switch facilitator.Policy[action].Target {
	case facilitator.TargetExercise:
		target = func(c *gin.Context) string { return c.Param("id") }
	case facilitator.TargetPlan:
		target = func(c *gin.Context) string { return c.Param("name") }
	}
	return func(c *gin.Context) {
		if err := s.m.Allowed(action, principal(c), target(c)); err != nil {
			s.fail(c, err)
		}
	}
}

// whoami tells a page what a pasted token is.
func (s *Server) whoami(c *gin.Context) {
	p := principal(c)
	c.JSON(http.StatusOK, gin.H{"role": p.Role, "exercise": p.Exercise})
}
