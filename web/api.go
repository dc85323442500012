package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// bind reads the request body into v: at most MaxMessageBytes (413 beyond), strict JSON (400
// naming the field for unknown fields, wrong types, trailing data).
func bind(c *gin.Context, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxMessageBytes))
	if err != nil {
		if isTooLarge(err) {
			return errTooLarge
		}
		return invalid("the request body could not be read: %v", err)
	}
	if !utf8.Valid(body) {
		// encoding/json would quietly replace the bad bytes; refuse them instead.
		return invalid("the request body is not valid UTF-8")
	}
	return decodeJSON(body, v)
}

// exercise returns the live exercise of the route's :id. The role middleware has already
// checked that the caller may ask about it.
func (s *Server) exercise(c *gin.Context) (*facilitator.Listed, bool) {
	x, err := s.m.Exercise(c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return x, true
}

// scenarioJSON is one entry of GET /api/scenarios.
type scenarioJSON struct {
	Name     string     `json:"name"`
	Title    string     `json:"title"`
	Summary  string     `json:"summary"`
	Plan     string     `json:"plan"`
	Duration string     `json:"duration"`
	Injects  int        `json:"injects"`
	Teams    []teamWire `json:"teams"`
}

func (s *Server) listScenarios(c *gin.Context) {
	lib := s.m.Library()
	out := make([]scenarioJSON, 0, len(lib.Scenarios))
	for _, sc := range lib.Scenarios {
		out = append(out, scenarioJSON{Name: sc.Name, Title: sc.Title, Summary: sc.Summary,
			Plan: sc.PlanName, Duration: sc.Duration.String(), Injects: len(sc.Injects),
			Teams: planOf(sc.Plan).Teams})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	c.JSON(http.StatusOK, out)
}

// createRequest is the body of POST /api/exercises.
type createRequest struct {
	Scenario string   `json:"scenario"`
	Speed    *float64 `json:"speed"`
	Mode     string   `json:"mode"`  // (v2) evaluation (the default) or training
	Teams    []string `json:"teams"` // (v2) the teams in play; absent: every team that is not external
}

func (s *Server) createExercise(c *gin.Context) {
	var req createRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := checkName("scenario", req.Scenario); err != nil {
		s.fail(c, err)
		return
	}
	speed := 1.0
	if req.Speed != nil {
		speed = *req.Speed
	}
	for _, team := range req.Teams {
		if err := checkName("teams", team); err != nil {
			s.fail(c, err)
			return
		}
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.CommandTimeout)
	defer cancel()
	created, err := s.m.CreateExercise(ctx, facilitator.Spec{
		Scenario: req.Scenario, Speed: speed, Mode: req.Mode, Teams: req.Teams})
	if err := stalled(err, s.cfg.CommandTimeout); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("exercise created", slog.String("exercise", created.ID), slog.String("scenario", req.Scenario),
		slog.String("mode", created.Mode), slog.Float64("speed", speed))
	c.JSON(http.StatusCreated, created)
}

// exerciseSummary is one entry of GET /api/exercises.
type exerciseSummary struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Scenario  string  `json:"scenario"`
	Plan      string  `json:"plan"`
	Status    string  `json:"status"`
	SimTime   string  `json:"sim_time"`
	Speed     float64 `json:"speed"`
	Mode      string  `json:"mode"`
	CreatedAt string  `json:"created_at"`
	// Error says why a stored exercise could not be restored (status "unavailable"); its
	// record and log are kept, and `ttx report` still reads them.
	Error string `json:"error,omitempty"`
}

// statusUnavailable is the status of a stored exercise that could not be restored.
const statusUnavailable = "unavailable"

func (s *Server) listExercises(c *gin.Context) {
	xs := s.m.Filed()
	out := make([]exerciseSummary, 0, len(xs))
	for _, x := range xs {
		l := x.Listing
		if l == nil {
			// Filed before its listing was kept: loaded once, kept when it leaves memory.
			loaded, err := s.m.Exercise(x.ID)
			if err != nil {
				continue // now among the unrestored, below
			}
			f, _ := s.m.FiledExercise(loaded.ID())
			l = f.Listing
		}
		out = append(out, exerciseSummary{ID: x.ID, Title: l.Title, Scenario: x.Scenario,
			Plan: x.Plan, Status: l.Status, SimTime: l.SimTime, Speed: l.Speed,
			Mode: x.Mode, CreatedAt: x.CreatedAt.UTC().Format(time.RFC3339)})
	}
	for _, u := range s.m.Unrestored() {
		out = append(out, exerciseSummary{ID: u.ID, Scenario: u.Scenario, Plan: u.Plan, Status: statusUnavailable,
			CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339), Error: u.Reason})
	}
	c.JSON(http.StatusOK, out)
}

// exerciseDetail is GET /api/exercises/:id (the web contract's shape).
type exerciseDetail struct {
	ID            string                    `json:"id"`
	Title         string                    `json:"title"`
	Scenario      string                    `json:"scenario"`
	Plan          string                    `json:"plan"`
	Status        string                    `json:"status"`
	SimTime       string                    `json:"sim_time"`
	Speed         float64                   `json:"speed"`
	Severity      string                    `json:"severity"`
	SeverityLevel int                       `json:"severity_level"`
	Duration      string                    `json:"duration"`
	Seq           int64                     `json:"seq"`
	Mode          string                    `json:"mode"`          // (v2) evaluation or training
	TeamsInPlay   []string                  `json:"teams_in_play"` // (v2)
	EndReason     string                    `json:"end_reason,omitempty"`
	PauseReason   string                    `json:"pause_reason,omitempty"` // "" when the facilitator paused; "server stopped" or "server restarted"
	Room          []teamRoomJSON            `json:"room"`                   // each team of the plan: who is connected now, where it stands
	Teams         []teamWire                `json:"teams"`
	Upcoming      []upcomingJSON            `json:"upcoming"`
	Progress      map[string][]progressJSON `json:"progress"`
	// Modules (v2) are the scenario's modules, CurrentModule the last one started (evaluation.go).
	Modules       []moduleJSON `json:"modules"`
	CurrentModule string       `json:"current_module"`
}

type upcomingJSON struct {
	Name    string   `json:"name"`
	Due     string   `json:"due"` // "" while it waits for the inject it follows
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Held    bool     `json:"held"`
	After   string   `json:"after"`
}

type progressJSON struct {
	Action   string `json:"action"`
	Title    string `json:"title"`
	Deadline string `json:"deadline"`
	State    string `json:"state"` // done, pending or overdue
	DoneAt   string `json:"done_at"`
	By       string `json:"by"`
}

func (s *Server) getExercise(c *gin.Context) {
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	snap := x.Snapshot()
	sc := x.Scenario()
	out := exerciseDetail{
		ID: x.ID(), Title: sc.Title, Scenario: sc.Name, Plan: sc.PlanName, Status: snap.Status,
		SimTime: snap.SimTime.String(), Speed: snap.Speed, Severity: snap.Severity,
		SeverityLevel: snap.Level, Duration: sc.Duration.String(), Seq: snap.Seq,
		Mode: x.Mode(), TeamsInPlay: x.TeamsInPlay(),
		EndReason: snap.EndReason, PauseReason: snap.PauseReason, Room: s.roomOf(x, snap),
		Teams:    planOf(sc.Plan).Teams,
		Upcoming: []upcomingJSON{}, Progress: make(map[string][]progressJSON),
	}
	out.Modules, out.CurrentModule = modulesOf(x, snap)
	for _, u := range snap.Upcoming {
		j := upcomingJSON{Name: u.Name, To: u.To, Subject: u.Subject, Held: u.Held, After: u.After}
		if u.Scheduled {
			j.Due = u.Due.String()
		}
		if j.To == nil {
			j.To = []string{}
		}
		out.Upcoming = append(out.Upcoming, j)
	}
	for _, t := range snap.Teams {
		list := []progressJSON{}
		for _, a := range t.Actions {
			p := progressJSON{Action: a.Action, Title: a.Title, Deadline: a.Deadline.String(), State: a.Status}
			if a.Status == engine.ProgressDone {
				p.DoneAt, p.By = a.DoneAt.String(), a.By
			}
			list = append(list, p)
		}
		out.Progress[t.Team] = list
	}
	c.JSON(http.StatusOK, out)
}

// clockCommand handles POST /api/exercises/:id/start, pause, resume, advance and end: do is
// the exercise's method of that name.
func (s *Server) clockCommand(do func(*facilitator.Listed, context.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.emptyBody(c) {
			return
		}
		s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return do(x, ctx) })
	}
}

// command runs do on the route's exercise and answers with the exercise's status after it.
func (s *Server) command(c *gin.Context, do func(context.Context, *facilitator.Listed) error) {
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.CommandTimeout)
	defer cancel()
	if err := stalled(do(ctx, x), s.cfg.CommandTimeout); err != nil {
		s.fail(c, err)
		return
	}
	s.answerState(c, x)
}

// record runs do on the route's exercise and answers 201 with the seq of the event it recorded.
func (s *Server) record(c *gin.Context, do func(context.Context, *facilitator.Listed) (engine.Event, error)) {
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.CommandTimeout)
	defer cancel()
	e, err := do(ctx, x)
	if err := stalled(err, s.cfg.CommandTimeout); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"seq": e.Seq})
}

// stalled turns a command that ran out of time into the 503 that says what happened.
func stalled(err error, after time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return engine.Errorf(engine.EUnavailable,
			"the exercise's store did not answer within %v (is its disk full or stalled?); the command may still be recorded: look at the exercise before sending it again, or send it again with the same Idempotency-Key", after)
	}
	return err
}

// emptyBody accepts a command's body when it is empty or an empty JSON object.
func (s *Server) emptyBody(c *gin.Context) bool {
	if c.Request.ContentLength == 0 {
		return true
	}
	var none struct{}
	if err := bind(c, &none); err != nil && !errors.Is(err, errEmptyBody) {
		s.fail(c, err)
		return false
	}
	return true
}

// answerState answers a command with the exercise's status after it.
func (s *Server) answerState(c *gin.Context, x *facilitator.Listed) {
	snap := x.Snapshot()
	c.JSON(http.StatusOK, gin.H{"status": snap.Status, "sim_time": snap.SimTime.String(),
		"speed": snap.Speed, "seq": snap.Seq})
}

type speedRequest struct {
	Speed *float64 `json:"speed"`
}

func (s *Server) setSpeed(c *gin.Context) {
	var req speedRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Speed == nil {
		s.fail(c, invalid(`"speed" is required: simulated seconds per real second, from %v to %v`, engine.MinSpeed, engine.MaxSpeed))
		return
	}
	if err := facilitator.CheckSpeed(*req.Speed); err != nil {
		s.fail(c, err)
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.SetSpeed(ctx, *req.Speed) })
}

type adHocRequest struct {
	To      []string `json:"to"`
	Channel string   `json:"channel"`
	From    string   `json:"from"`
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
}

func (s *Server) adHocInject(c *gin.Context) {
	var req adHocRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if len(req.To) == 0 {
		s.fail(c, invalid(`"to" is required: a list of at least one team`))
		return
	}
	for _, team := range req.To {
		if err := checkName("to", team); err != nil {
			s.fail(c, err)
			return
		}
	}
	// The engine checks the from, subject and body.
	if err := checkName("channel", req.Channel); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, func(ctx context.Context, x *facilitator.Listed) (engine.Event, error) {
		return x.AdHoc(ctx, req.To, engine.AdHocInject{Channel: req.Channel, From: req.From, Subject: req.Subject, Body: req.Body})
	})
}

type observationRequest struct {
	Text       string `json:"text"`
	Capability string `json:"capability"`
	Rating     string `json:"rating"`
	Team       string `json:"team"` // (v2) optional: the team observed
}

func (s *Server) observe(c *gin.Context) {
	var req observationRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	// The engine checks the text and capability.
	if err := checkName("rating", req.Rating); err != nil {
		s.fail(c, err)
		return
	}
	s.record(c, func(ctx context.Context, x *facilitator.Listed) (engine.Event, error) {
		return x.Observe(ctx, engine.Observation{Text: req.Text, Capability: req.Capability, Rating: req.Rating,
			By: string(principal(c).Role), Team: req.Team})
	})
}

func (s *Server) triggerInject(c *gin.Context) {
	if !s.emptyBody(c) {
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.Trigger(ctx, c.Param("name")) })
}

type holdRequest struct {
	Held *bool `json:"held"`
}

func (s *Server) holdInject(c *gin.Context) {
	var req holdRequest
	if err := bind(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Held == nil {
		s.fail(c, invalid(`"held" is required: true to hold the inject back, false to release it`))
		return
	}
	s.command(c, func(ctx context.Context, x *facilitator.Listed) error { return x.Hold(ctx, c.Param("name"), *req.Held) })
}

func formatRate(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) }
