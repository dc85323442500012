package web

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// roomRoutes adds what the facilitator needs to run the room: the join codes again, with the
// URL participants open and a QR code of it for each team (the printable handout).
func (s *Server) roomRoutes(api *gin.RouterGroup) {
	api.GET("/exercises/:id/codes", s.may(facilitator.ActCodes), s.joinCodes)
	api.GET("/exercises/:id/injects", s.may(facilitator.ActMSEL), s.injectStates)
	api.POST("/exercises/:id/facilitator-token", s.may(facilitator.ActReplaceToken), s.replaceFacilitatorToken)
	api.POST("/exercises/:id/injects/:name/reschedule", s.may(facilitator.ActRun), s.idempotent, s.rescheduleInject)
}

type rescheduleRequest struct {
	Due *string `json:"due"` // the new due time from the start: "1h30m", "45m0s"
}

// rescheduleInject is POST /api/exercises/:id/injects/:name/reschedule {"due": "1h30m"}: an
// upcoming inject's new due time (engine.Exercise.Reschedule).
func (s *Server) rescheduleInject(c *gin.Context) {
	var req rescheduleRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Due == nil {
		s.fail(c, invalid(`"due" is required: the new due time from the start of the exercise, such as "1h30m"`))
		return
	}
	due, err := time.ParseDuration(*req.Due)
	if err != nil || len(*req.Due) > 32 {
		s.fail(c, invalid(`due: %q is not a time from the start; write it as "1h30m" or "45m"`, truncate(*req.Due)))
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.Reschedule(ctx, c.Param("name"), due) })
}

// replaceFacilitatorToken is POST /api/exercises/:id/facilitator-token, for the admin only: a
// new facilitator token replaces a lost one, which stops working; the new one is shown once.
func (s *Server) replaceFacilitatorToken(c *gin.Context) {
	if !s.emptyBody(c) {
		return
	}
	token, err := s.m.ReplaceFacilitatorToken(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("facilitator token replaced", slog.String("exercise", c.Param("id")))
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"id": c.Param("id"), "facilitator_token": token})
}

// teamRoomJSON is one team of GET /api/exercises/:id "room": who is connected now and where
// the team stands (the facilitator sees due states in every mode).
type teamRoomJSON struct {
	Team          string       `json:"team"`
	Title         string       `json:"title"`
	InPlay        bool         `json:"in_play"`
	External      bool         `json:"external,omitempty"`
	Joined        bool         `json:"joined"`        // a participant of it ever joined (team_joined)
	MarkedPlayed  bool         `json:"marked_played"` // the facilitator said it played
	People        []personJSON `json:"people"`        // connected now
	OpenDecisions []string     `json:"open_decisions"`
	Done          int          `json:"done"`
	Pending       int          `json:"pending"`
	Overdue       int          `json:"overdue"`
	Late          int          `json:"late"` // done, after the deadline
}

// roomOf returns the team grid of an exercise from its snapshot and who is connected now.
func (s *Server) roomOf(x *facilitator.Listed, snap engine.Snapshot) []teamRoomJSON {
	people := s.presence.people(x.ID())
	out := make([]teamRoomJSON, 0, len(snap.Teams))
	for _, t := range snap.Teams {
		r := teamRoomJSON{Team: t.Team, Title: t.Title, InPlay: t.InPlay, External: t.External,
			Joined: t.Joined, MarkedPlayed: t.MarkedPlayed, People: people[t.Team],
			OpenDecisions: slices.Clone(t.OpenDecisions)}
		if r.People == nil {
			r.People = []personJSON{}
		}
		if r.OpenDecisions == nil {
			r.OpenDecisions = []string{}
		}
		for _, a := range t.Actions {
			switch a.Status {
			case engine.ProgressDone:
				r.Done++
				if a.DoneAt > a.Deadline {
					r.Late++
				}
			case engine.ProgressPending:
				r.Pending++
			case engine.ProgressOverdue:
				r.Overdue++
			}
		}
		out = append(out, r)
	}
	return out
}

// codeJSON is one team's join code on the handout.
type codeJSON struct {
	Team     string `json:"team"`
	Title    string `json:"title"`
	External bool   `json:"external,omitempty"`
	Code     string `json:"code"`
	URL      string `json:"url"` // the join URL with the code in its fragment, which the QR code holds
	QRPNG    string `json:"qr_png"`
}

// codesJSON is GET /api/exercises/:id/codes.
type codesJSON struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Mode     string     `json:"mode"`
	JoinPage string     `json:"join_page"` // what participants open to type a code
	Teams    []codeJSON `json:"teams"`     // in plan order
}

// joinCodes is GET /api/exercises/:id/codes: the join codes of the exercise, readable again
// by its facilitator and the admin at any time, each with its join URL and a QR code of it
// (a PNG, base64). The code travels in the URL's fragment, which a browser never sends, so
// no code reaches a server log even through a proxy.
func (s *Server) joinCodes(c *gin.Context) {
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	codes := x.JoinCodes()
	base := s.publicBase(c)
	out := codesJSON{ID: x.ID(), Title: x.Scenario().Title, Mode: x.Mode(), JoinPage: base + "/", Teams: []codeJSON{}}
	for _, t := range x.Scenario().Plan.Teams {
		code, ok := codes[t.Name]
		if !ok {
			continue
		}
		u := base + "/#join=" + url.QueryEscape(code)
		png, err := qrPNG(u)
		if err != nil {
			s.fail(c, engine.Errorf(engine.EInternal, "qr code of %s: %v", t.Name, err))
			return
		}
		out.Teams = append(out.Teams, codeJSON{Team: t.Name, Title: t.Title, External: t.External, Code: code, URL: u, QRPNG: png})
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

// qrPNG is a QR code of text as a base64 PNG, at error correction level M (15 %: a handout
// survives a fold or a smudge).
func qrPNG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(code.PNG()), nil
}

// publicBase is the scheme and host the caller reached the server at: what the participants
// in the same room reach it at too. Behind a trusted proxy (which keeps the Host header, as
// the README says) X-Forwarded-Proto tells https.
func (s *Server) publicBase(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil || (len(s.cfg.TrustedProxies) > 0 && c.GetHeader("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}
