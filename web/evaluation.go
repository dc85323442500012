package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// evaluationRoutes adds the routes of the evaluation in play (issue 12): the live Exercise
// Evaluation Guide that the evaluator page and the console read, and the console's "next
// module".
func (s *Server) evaluationRoutes(api *gin.RouterGroup) {
	api.GET("/exercises/:id/eeg", s.may(facilitator.ActEEG), s.eeg)
	api.POST("/exercises/:id/next-module", s.may(facilitator.ActRun), s.idempotent, s.nextModule)
}

// eeg is GET /api/exercises/:id/eeg: scoring.NewEEG of the exercise's committed log at its
// simulated time now.
func (s *Server) eeg(c *gin.Context) {
	if err := onlyQuery(c); err != nil {
		s.fail(c, err)
		return
	}
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	now := x.Snapshot().SimTime // before the log: a deadline passed here is judged on a log at least as long
	c.JSON(http.StatusOK, scoring.NewEEG(s.scoreOf(x), x.Scenario(), now))
}

// nextModule is POST /api/exercises/:id/next-module: the clock jumps to the next module's
// start (engine.Exercise.AdvanceToModule); it answers like the clock commands.
func (s *Server) nextModule(c *gin.Context) {
	if !s.emptyBody(c) {
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.AdvanceToModule(ctx) })
}

// moduleJSON is one of the scenario's modules in GET /api/exercises/:id (v2): its questions,
// and whether and when it started.
type moduleJSON struct {
	Name      string         `json:"name"`
	Title     string         `json:"title"`
	At        string         `json:"at"`
	Started   bool           `json:"started"`
	StartedAt string         `json:"started_at,omitempty"`
	Questions []questionWire `json:"questions"`
}

// modulesOf lists x's modules in scenario order, and names the current one: the last that
// has started ("" before the first).
func modulesOf(x *facilitator.Listed, snap engine.Snapshot) (modules []moduleJSON, current string) {
	starts := snap.ModuleStarts
	modules = []moduleJSON{}
	for _, m := range x.Scenario().Modules {
		j := moduleJSON{Name: m.Name, Title: m.Title, At: m.At.String(), Questions: questionsOf(m.Questions)}
		if t, ok := starts[m.Name]; ok {
			j.Started, j.StartedAt, current = true, t.String(), m.Name
		}
		modules = append(modules, j)
	}
	return modules, current
}
