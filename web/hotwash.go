package web

import (
	"context"
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// hotWashRoutes adds the routes of protocol.md v2's hot wash and team records: closing an
// ended exercise (its facilitator or the admin; 409 unless it has ended) and the facilitator's
// word that a team played.
func (s *Server) hotWashRoutes(api *gin.RouterGroup) {
	api.POST("/exercises/:id/close", s.may(facilitator.ActClose), s.idempotent, s.closeExercise)
	api.POST("/exercises/:id/teams/:team/played", s.may(facilitator.ActMarkPlayed), s.idempotent, s.markPlayed)
}

func (s *Server) closeExercise(c *gin.Context) {
	if !s.emptyBody(c) {
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.Close(ctx) })
}

func (s *Server) markPlayed(c *gin.Context) {
	if !s.emptyBody(c) {
		return
	}
	team := c.Param("team")
	if err := checkName("team", team); err != nil {
		s.fail(c, err)
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.MarkPlayed(ctx, team) })
}

// teamJoined tells the engine that a participant of c's team said hello; the engine records
// team_joined for the team's first. A failure is logged: it must not keep anyone out.
func (s *Server) teamJoined(c *client) {
	if !c.participant() {
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.WriteWait)
	defer cancel()
	if err := c.hub.x.TeamJoined(ctx, c.who.Team); err != nil && engine.ErrorCode(err) == engine.EInternal {
		s.log.Error("record team_joined", slog.String("exercise", c.hub.x.ID()), slog.String("team", c.who.Team), slog.Any("err", err))
	}
}
