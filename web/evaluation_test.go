package web_test

import (
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// hseepScenarioHCL is the test plan played the HSEEP way: two objectives over its
// capabilities, two modules with questions, controllers' notes on the alert.
const hseepScenarioHCL = `
scenario "hseep" {
  title    = "Test scenario, HSEEP"
  plan     = "test-plan"
  duration = "4h"

  objective "contain" {
    title        = "Contain within the plan's deadlines"
    capabilities = ["containment", "escalation"]
  }
  objective "report" {
    title        = "Report the incident"
    capabilities = ["reporting"]
  }

  module "detect" {
    title     = "Module 1: detection"
    at        = "0s"
    questions = ["Who do you call first?"]
  }
  module "respond" {
    title     = "Module 2: response"
    at        = "1h"
    questions = ["What do you isolate?", "Who tells the board?"]
  }

  inject "call" {
    at       = "0s"
    to       = [team.service_desk]
    channel  = "phone"
    subject  = "Strange screens"
    triggers = [action.log_report]
  }
  inject "alert" {
    at       = "10m"
    to       = [team.irt]
    channel  = "ticket"
    subject  = "EDR alert"
    triggers = [action.contain_hosts, action.escalate_to_cmt]
    notes    = "` + v2Notes + `"
  }
  inject "demand" {
    at      = "1h30m"
    to      = [team.cmt]
    channel = "email"
    subject = "Your files are encrypted"

    decision "ransom" {
      prompt     = "Pay?"
      options    = { refuse = "Refuse", pay = "Pay" }
      expected   = "refuse"
      capability = "containment"
    }
  }
}
`

// newHSEEPEnv is a server whose library also holds the hseep scenario.
func newHSEEPEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(testPlanHCL)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
		"hseep.hcl":    {Data: []byte(hseepScenarioHCL)},
	})
	require.False(t, diags.HasErrors(), "hseep test scenario: %s", diags.Error())
	e.lib = lib
	e.restart()
	return e
}

// eegJSON is what the tests read of GET /api/exercises/:id/eeg.
type eegJSON struct {
	Status     string `json:"status"`
	Now        string `json:"now"`
	Objectives []struct {
		Name         string `json:"name"`
		Capabilities []struct {
			Name       string `json:"name"`
			Evaluators *struct {
				Median string `json:"median"`
			} `json:"evaluators"`
			Tasks []struct {
				Kind, ID, Team, Status, By string
				DoneAt                     string `json:"done_at"`
			} `json:"tasks"`
			Observations []struct{ Text, Team, By string } `json:"observations"`
		} `json:"capabilities"`
	} `json:"objectives"`
}

// statuses are the EEG's tasks as "capability/id/team: status".
func (g eegJSON) statuses() []string {
	var out []string
	for _, o := range g.Objectives {
		for _, c := range o.Capabilities {
			for _, tk := range c.Tasks {
				out = append(out, c.Name+"/"+tk.ID+"/"+tk.Team+": "+tk.Status)
			}
		}
	}
	return out
}

// TestEEGAndNextModule: the console's next module jumps to the next module's start and the
// exercise's detail names the modules and the current one; the EEG gives each objective's
// capabilities with their critical tasks' live status and the observations made, for the
// facilitator and the evaluator alike.
func TestEEGAndNextModule(t *testing.T) {
	e := newHSEEPEnv(t)
	x := e.mustCreateIn("hseep", "evaluation")
	base := "/api/exercises/" + x.ID
	e.mustRequest("POST", base+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)

	var g eegJSON
	e.mustRequest("GET", base+"/eeg", x.EvaluatorToken, nil, http.StatusOK, &g)
	assert.Equal(t, []string{"containment/contain_hosts/irt: waiting", "containment/ransom/cmt: waiting",
		"escalation/escalate_to_cmt/irt: waiting", "reporting/log_report/service_desk: pending"}, g.statuses())
	assert.Equal(t, []string{"contain", "report"}, []string{g.Objectives[0].Name, g.Objectives[1].Name})

	sd, _ := e.participant(x.Teams["service_desk"], "Sam", 0)
	e.participant(x.Teams["irt"], "Ines", 0) // irt plays too, and records nothing
	sd.send(msg{"type": "act", "ref": "s1", "action": "log_report"})
	require.Equal(t, "ack", sd.reply("s1").str("type"))
	e.mustRequest("POST", base+"/observations", x.EvaluatorToken, map[string]any{"text": "Logged at once", "capability": "reporting", "team": "service_desk", "rating": "P"}, http.StatusCreated, nil)

	var detail struct {
		Modules []struct {
			Name, At  string
			StartedAt string `json:"started_at"`
			Started   bool
			Questions []struct{ ID, Text string }
		} `json:"modules"`
		CurrentModule string `json:"current_module"`
		SimTime       string `json:"sim_time"`
	}
	e.mustRequest("GET", base, x.FacilitatorToken, nil, http.StatusOK, &detail)
	require.Len(t, detail.Modules, 2)
	assert.Equal(t, "detect", detail.CurrentModule)
	assert.True(t, detail.Modules[0].Started)
	assert.False(t, detail.Modules[1].Started)
	assert.Equal(t, "module.respond.2", detail.Modules[1].Questions[1].ID)

	e.mustRequest("POST", base+"/next-module", x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("GET", base, x.FacilitatorToken, nil, http.StatusOK, &detail)
	assert.Equal(t, "respond", detail.CurrentModule)
	assert.Equal(t, "1h0m0s", detail.Modules[1].StartedAt)
	assert.Equal(t, "1h0m0s", detail.SimTime)
	log := e.logOf(x.ID)
	assert.Equal(t, engine.KindModuleStarted, log[len(log)-1].Kind, "the module starts after the clock event")
	r := e.request("POST", base+"/next-module", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Equal(t, "cannot advance to the next module: every module of the scenario has started", r.errorText())
	r = e.request("POST", base+"/next-module", x.EvaluatorToken, nil)
	assert.Equal(t, http.StatusForbidden, r.status, "the evaluator runs no clock")

	e.mustRequest("GET", base+"/eeg", x.FacilitatorToken, nil, http.StatusOK, &g)
	assert.Equal(t, []string{"containment/contain_hosts/irt: pending", "containment/ransom/cmt: waiting",
		"escalation/escalate_to_cmt/irt: missed", "reporting/log_report/service_desk: done"}, g.statuses(), "the escalation's deadline (40m) passed on the way, the containment's (1h10m) not yet")
	rep := g.Objectives[1].Capabilities[0]
	assert.Equal(t, "service_desk", rep.Tasks[0].By)
	assert.Equal(t, "0s", rep.Tasks[0].DoneAt)
	require.NotNil(t, rep.Evaluators)
	assert.Equal(t, "P", rep.Evaluators.Median)
	assert.Equal(t, []struct{ Text, Team, By string }{{"Logged at once", "service_desk", "evaluator"}}, rep.Observations)
	assert.Equal(t, http.StatusBadRequest, e.request("GET", base+"/eeg?team=irt", x.FacilitatorToken, nil).status, "no query")
}

// TestHotWashOverHTTP: after the end the facilitator and the evaluator still record
// observations, stamped at the end; bad observations are refused with a sentence naming what
// is wrong and nothing recorded; after the close every command is 409 saying it is closed and
// nothing is recorded, while the reads still answer.
func TestHotWashOverHTTP(t *testing.T) {
	e := newHSEEPEnv(t)
	x := e.mustCreateIn("hseep", "evaluation")
	base := "/api/exercises/" + x.ID
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	e.mustRequest("POST", base+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)

	bad := []struct {
		name string
		body map[string]any
		want string
	}{
		{"a rating outside P/S/M/U", map[string]any{"text": "t", "rating": "X"}, `rating: "X" is not a rating; use P, S, M or U`},
		{"a lowercase rating", map[string]any{"text": "t", "rating": "p"}, `rating: "p" is not a rating; use P, S, M or U`},
		{"no rating", map[string]any{"text": "t"}, "rating"},
		{"no text", map[string]any{"rating": "S"}, "text"},
		{"an unknown team", map[string]any{"text": "t", "rating": "S", "team": "nope"}, `team: the plan has no team "nope"`},
		{"an unknown field", map[string]any{"text": "t", "rating": "S", "score": 3}, "score"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			before := e.logOf(x.ID)
			r := e.request("POST", base+"/observations", x.EvaluatorToken, tt.body)
			assert.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
			assert.Contains(t, r.errorText(), tt.want)
			assert.Equal(t, before, e.logOf(x.ID), "nothing recorded")
		})
	}

	e.mustRequest("POST", base+"/end", x.FacilitatorToken, nil, http.StatusOK, nil)
	end := e.logOf(x.ID)[len(e.logOf(x.ID))-1]
	require.Equal(t, engine.KindExerciseEnded, end.Kind)
	for _, tok := range []string{x.EvaluatorToken, x.FacilitatorToken} {
		e.mustRequest("POST", base+"/observations", tok, map[string]any{"text": "In the hot wash", "capability": "containment", "rating": "M"}, http.StatusCreated, nil)
		last := e.logOf(x.ID)[len(e.logOf(x.ID))-1]
		assert.Equal(t, engine.KindObservation, last.Kind)
		assert.Equal(t, end.T, last.T, "stamped with the end's time")
	}
	e.mustRequest("POST", base+"/close", x.FacilitatorToken, nil, http.StatusOK, nil)

	before := e.logOf(x.ID)
	for _, cmd := range []struct {
		path  string
		token string
		body  any
	}{
		{"/observations", x.EvaluatorToken, map[string]any{"text": "late", "rating": "S"}},
		{"/observations", x.FacilitatorToken, map[string]any{"text": "late", "rating": "S"}},
		{"/start", x.FacilitatorToken, nil},
		{"/pause", x.FacilitatorToken, nil},
		{"/resume", x.FacilitatorToken, nil},
		{"/advance", x.FacilitatorToken, nil},
		{"/next-module", x.FacilitatorToken, nil},
		{"/end", x.FacilitatorToken, nil},
		{"/close", x.FacilitatorToken, nil},
		{"/close", testAdmin, nil},
		{"/speed", x.FacilitatorToken, map[string]any{"speed": 30}},
		{"/injects", x.FacilitatorToken, map[string]any{"to": []string{"irt"}, "channel": "chat", "subject": "s"}},
		{"/injects/demand/trigger", x.FacilitatorToken, nil},
		{"/injects/demand/hold", x.FacilitatorToken, map[string]any{"held": true}},
		{"/teams/irt/played", x.FacilitatorToken, nil},
	} {
		r := e.request("POST", base+cmd.path, cmd.token, cmd.body)
		assert.Equal(t, http.StatusConflict, r.status, "%s: %s", cmd.path, r.body)
		assert.Contains(t, r.errorText(), "the exercise is closed", cmd.path)
	}
	for _, m := range []msg{
		{"type": "act", "ref": "z1", "action": "contain_hosts"},
		{"type": "note", "ref": "z2", "text": "late"},
		{"type": "escalate", "ref": "z3", "to": "cmt", "text": "late"},
		{"type": "answer", "ref": "z4", "question": "module.detect.1", "text": "late"},
		{"type": "feedback", "ref": "z5", "ratings": map[string]any{"structured": 3}},
	} {
		irt.send(m)
		r := irt.reply(m.str("ref"))
		assert.Equal(t, "error", r.str("type"), "%v", r)
		assert.Contains(t, r.str("error"), "the exercise is closed", "%s on the WebSocket", m.str("type"))
	}
	assert.Equal(t, before, e.logOf(x.ID), "nothing recorded after the close")
	for _, read := range []struct{ path, token string }{{"", x.FacilitatorToken}, {"/eeg", x.EvaluatorToken}, {"/report", x.EvaluatorToken}, {"/report?format=csv&table=observations", x.ReviewerToken}} {
		assert.Equal(t, http.StatusOK, e.request("GET", base+read.path, read.token, nil).status, "GET %s still answers", read.path)
	}
}

// TestEvaluatorOnTheWebSocket: several evaluators follow one exercise at once and see every
// team's feed with the controllers' notes and every team's answers; none of them may act,
// answer or send feedback for a team. Participants see neither the notes nor another team's
// answers.
func TestEvaluatorOnTheWebSocket(t *testing.T) {
	e := newHSEEPEnv(t)
	x := e.mustCreateIn("hseep", "evaluation")
	base := "/api/exercises/" + x.ID
	ev1, w := e.facilitatorWS(x.EvaluatorToken, x.ID)
	assert.Equal(t, "evaluator", w.str("role"))
	ev2, _ := e.facilitatorWS(x.EvaluatorToken, x.ID)
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	sd, _ := e.participant(x.Teams["service_desk"], "Sam", 0)
	e.mustRequest("POST", base+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", base+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // the alert, with notes

	irt.send(msg{"type": "answer", "ref": "a1", "question": "module.detect.1", "text": "The IRT lead"})
	ack := irt.reply("a1")
	require.Equal(t, "ack", ack.str("type"), "%v", ack)
	for i, ev := range []*wsClient{ev1, ev2} {
		got, before := ev.until(func(m msg) bool { return m.seq() == ack.seq() })
		assert.Equal(t, "answer_recorded", got.str("kind"), "evaluator %d sees irt's answer", i+1)
		var notes bool
		for _, m := range before {
			if in, ok := m["inject"].(map[string]any); ok && in["notes"] == v2Notes {
				notes = true
			}
		}
		assert.True(t, notes, "evaluator %d sees the controllers' notes", i+1)
	}
	for _, m := range []msg{
		{"type": "act", "ref": "e1", "action": "contain_hosts"},
		{"type": "answer", "ref": "e2", "question": "module.detect.1", "text": "for irt"},
		{"type": "note", "ref": "e3", "text": "a note"},
	} {
		before := e.logOf(x.ID)
		ev1.send(m)
		r := ev1.reply(m.str("ref"))
		assert.Equal(t, "error", r.str("type"), "%v", r)
		assert.Contains(t, r.str("error"), "do not act for a team")
		assert.Equal(t, before, e.logOf(x.ID), "nothing recorded")
	}

	sd.send(msg{"type": "note", "ref": "last", "text": "end of the feed"})
	_, feed := sd.until(func(m msg) bool { return m.str("ref") == "last" })
	for _, m := range feed {
		assert.NotEqual(t, "answer_recorded", m.str("kind"), "service_desk never sees irt's answer: %v", m)
	}
	irt.send(msg{"type": "note", "ref": "last", "text": "end of the feed"})
	irt.reply("last")
	for _, frame := range irt.read {
		assert.NotContains(t, frame, v2Notes, "irt, to whom the alert went, never gets its notes")
	}
}
