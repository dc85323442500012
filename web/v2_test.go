package web_test

// Version 2 of the wire (protocol.md, "Version 2 additions"), from a participant's own raw
// WebSocket client: the modes, decisions and questions, answers, feedback and the hot wash.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// v2Notes is the controllers' note on the alert: no participant's frame may carry it.
const v2Notes = "Controller only: the EDR console is CrowdStrike; give it if irt asks"

// v2ScenarioHCL is the test scenario in language v2: a module with a question at the start;
// a question, notes and prompts on the alert; the ransom put to irt and cmt but decided by cmt
// only, its options written in an order that is not alphabetical, with a due and a default.
const v2ScenarioHCL = `
scenario "v2-scenario" {
  title    = "Test scenario, v2"
  plan     = "test-plan"
  duration = "4h"

  module "detect" {
    title     = "Detection"
    at        = "0s"
    questions = ["Who do you call first?"]
  }

  inject "call" {
    at       = "0s"
    to       = [team.service_desk]
    channel  = "phone"
    subject  = "Strange screens"
    triggers = [action.log_report]
  }
  inject "alert" {
    at        = "10m"
    to        = [team.irt]
    channel   = "ticket"
    subject   = "EDR alert"
    triggers  = [action.contain_hosts, action.escalate_to_cmt]
    prompts   = [action.contain_hosts]
    notes     = "` + v2Notes + `"
    questions = ["Which hosts do you isolate first?"]
  }
  inject "demand" {
    at      = "1h"
    to      = [team.irt, team.cmt]
    channel = "email"
    subject = "Your files are encrypted"

    decision "ransom" {
      prompt = "Pay?"
      options = {
        refuse    = "Refuse"
        pay       = "Pay"
        negotiate = "Negotiate"
      }
      decided_by = [team.cmt]
      expected   = "refuse"
      due        = "30m"
      default    = "refuse"
    }
  }
  inject "news" {
    at       = "2h"
    to       = [team.irt, team.cmt]
    channel  = "news"
    subject  = "Radio asks about an attack"
    severity = severity.crisis
  }
}
`

// newV2Env is a server whose library also holds v2-scenario.
func newV2Env(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(testPlanHCL)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
		"v2.hcl":       {Data: []byte(v2ScenarioHCL)},
	})
	require.False(t, diags.HasErrors(), "v2 test scenario: %s", diags.Error())
	e.lib = lib
	e.restart()
	return e
}

// rawFrames reads until the event of kind and returns every frame the client has read since
// it connected, raw.
func (c *wsClient) rawFrames(kind string) []string {
	c.t.Helper()
	c.until(isEvent(kind))
	return c.read
}

// keysOf returns every object key anywhere in a JSON value.
func keysOf(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			out = append(out, k)
			out = append(out, keysOf(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, keysOf(val)...)
		}
	}
	return out
}

// playThrough starts the exercise, holds the news back, advances through the alert and the
// demand, lets irt act and cmt choose, and ends it.
func (e *env) playThrough(id, token string, irt, cmt *wsClient) {
	e.t.Helper()
	e.mustRequest("POST", "/api/exercises/"+id+"/injects/news/hold", token, map[string]any{"held": true}, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+id+"/start", token, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+id+"/advance", token, nil, http.StatusOK, nil) // the alert
	irt.send(msg{"type": "act", "ref": "i1", "action": "contain_hosts"})
	irt.send(msg{"type": "answer", "ref": "i2", "question": "inject.alert.1", "text": "The ward PCs"})
	e.mustRequest("POST", "/api/exercises/"+id+"/advance", token, nil, http.StatusOK, nil) // the demand
	cmt.send(msg{"type": "choose", "ref": "c1", "decision": "ransom", "option": "refuse"})
	irt.send(msg{"type": "choose", "ref": "i3", "decision": "ransom", "option": "pay"})
	irt.send(msg{"type": "note", "ref": "i4", "text": "waiting for the CMT"})
	// Every reply has come before the end: the log holds what they acknowledged.
	for _, c := range []struct {
		c    *wsClient
		refs []string
	}{{irt, []string{"i1", "i2", "i3", "i4"}}, {cmt, []string{"c1"}}} {
		for _, ref := range c.refs {
			c.c.reply(ref)
		}
	}
	e.mustRequest("POST", "/api/exercises/"+id+"/end", token, nil, http.StatusOK, nil)
}

// The answer key (protocol.md v2): what no participant's frame may carry, in either mode.
var answerKey = []string{"expected", "credit", "prompts", "notes", "when"}

// TestEvaluationModeHandsNoParticipantTheAnswerKey: in evaluation mode a participant's own
// client receives no action_triggered, no deadline of a plan action, no expected, credit,
// prompts, notes or when anywhere in any frame, no held, skipped or other teams' events; the
// facilitator gets the notes and the triggers.
func TestEvaluationModeHandsNoParticipantTheAnswerKey(t *testing.T) {
	e := newV2Env(t)
	x := e.mustCreateIn("v2-scenario", "evaluation")
	assert.Equal(t, "evaluation", x.Mode)
	irt, welcome := e.participant(x.Teams["irt"], "Ines", 0)
	assert.Equal(t, "evaluation", welcome.str("mode"))
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	fac, _ := e.facilitatorWS(x.FacilitatorToken, x.ID)
	e.playThrough(x.ID, x.FacilitatorToken, irt, cmt)

	for team, c := range map[string]*wsClient{"irt": irt, "cmt": cmt} {
		frames := c.rawFrames("exercise_ended")
		require.NotEmpty(t, frames)
		var kinds []string
		for _, f := range frames {
			assert.NotContains(t, f, "CrowdStrike", "%s: the notes' text", team)
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(f), &v))
			for _, k := range keysOf(v) {
				assert.NotContains(t, answerKey, k, "%s: key %q in %s", team, k, f)
				assert.NotEqual(t, "deadline", k, "%s: a plan action's deadline in %s", team, f)
			}
			m := msg(v)
			if m.str("type") != "event" {
				continue
			}
			kinds = append(kinds, m.str("kind"))
			if tm := m.str("team"); tm != "" && m.str("kind") != "escalation" {
				assert.Equal(t, team, tm, "%s sees only its own team's responses: %s", team, f)
			}
			if in, ok := v["inject"].(map[string]any); ok {
				assert.Contains(t, in["to"], team, "%s sees only injects to it: %s", team, f)
			}
		}
		assert.NotContains(t, kinds, "action_triggered", team)
		assert.NotContains(t, kinds, "inject_held", team)
		assert.NotContains(t, kinds, "inject_skipped", team)
		assert.NotContains(t, kinds, "team_joined", team)
		assert.Contains(t, kinds, "inject_delivered", team)
	}

	all := fac.rawFrames("exercise_ended")
	joined := strings.Join(all, "\n")
	assert.Contains(t, joined, `"kind":"action_triggered"`, "the facilitator sees the triggers")
	assert.Contains(t, joined, `"notes":"`+v2Notes+`"`, "the facilitator sees the controllers' notes")
	assert.Contains(t, joined, `"kind":"inject_held"`)
	assert.Contains(t, joined, `"kind":"team_joined"`)
}

// TestTrainingModeShowsATeamItsOwnTriggers: in training mode a participant receives its own
// team's action_triggered with their deadlines, never another team's, and still none of the
// answer key.
func TestTrainingModeShowsATeamItsOwnTriggers(t *testing.T) {
	e := newV2Env(t)
	x := e.mustCreateIn("v2-scenario", "training")
	assert.Equal(t, "training", x.Mode)
	irt, welcome := e.participant(x.Teams["irt"], "Ines", 0)
	assert.Equal(t, "training", welcome.str("mode"))
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	e.playThrough(x.ID, x.FacilitatorToken, irt, cmt)

	var triggered []string
	for _, f := range irt.rawFrames("exercise_ended") {
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(f), &v))
		for _, k := range keysOf(v) {
			assert.NotContains(t, answerKey, k, "key %q in %s", k, f)
		}
		m := msg(v)
		if m.str("kind") == "action_triggered" {
			assert.Equal(t, "irt", m.str("team"))
			assert.NotEmpty(t, m.str("deadline"))
			triggered = append(triggered, m.str("action"))
		}
	}
	assert.ElementsMatch(t, []string{"contain_hosts", "escalate_to_cmt"}, triggered)
}

// TestDecisionsOnTheWire: a decision carries its options in the order written, with v2's name
// and text beside v1's key and label, the teams that decide, its due and default; a team
// outside decided_by sees it and is refused with the engine's sentence, and nothing is
// recorded for it.
func TestDecisionsOnTheWire(t *testing.T) {
	e := newV2Env(t)
	x := e.mustCreateIn("v2-scenario", "evaluation")
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil)

	want := map[string]any{
		"name": "ransom", "prompt": "Pay?",
		"options": []any{
			map[string]any{"name": "refuse", "text": "Refuse", "key": "refuse", "label": "Refuse"},
			map[string]any{"name": "pay", "text": "Pay", "key": "pay", "label": "Pay"},
			map[string]any{"name": "negotiate", "text": "Negotiate", "key": "negotiate", "label": "Negotiate"},
		},
		"decided_by": []any{"cmt"}, "due": "30m0s", "default": "refuse",
	}
	for _, c := range []*wsClient{irt, cmt} {
		d, _ := c.until(func(m msg) bool {
			in, _ := m["inject"].(map[string]any)
			return m.str("kind") == "inject_delivered" && in["name"] == "demand"
		})
		assert.Equal(t, want, d["inject"].(map[string]any)["decision"])
	}

	before := e.logOf(x.ID)
	irt.send(msg{"type": "choose", "ref": "r1", "decision": "ransom", "option": "pay"})
	refused := irt.reply("r1")
	assert.Equal(t, "error", refused.str("type"))
	assert.Contains(t, refused.str("error"), "cmt", "the error says which teams decide")
	assert.Equal(t, before, e.logOf(x.ID), "nothing recorded")

	cmt.send(msg{"type": "choose", "ref": "r1", "decision": "ransom", "option": "negotiate"})
	assert.Equal(t, "ack", cmt.reply("r1").str("type"))
}

// TestAnswersFeedbackAndTheHotWash: answers are acked after commit and reach the team and the
// facilitator only; after the end answers and each participant's one feedback form are taken;
// after close nothing is. Every bad one gets a sentence and records nothing.
func TestAnswersFeedbackAndTheHotWash(t *testing.T) {
	e := newV2Env(t)
	x := e.mustCreateIn("v2-scenario", "evaluation")
	id, tok := x.ID, x.FacilitatorToken
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	e.participant(x.Teams["irt"], "Ivan", 0) // a second of irt: the team joined once
	fac, _ := e.facilitatorWS(tok, id)
	e.mustRequest("POST", "/api/exercises/"+id+"/start", tok, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+id+"/advance", tok, nil, http.StatusOK, nil) // the alert, to irt

	joined := map[string]int{}
	for _, ev := range e.logOf(id) {
		if ev.Kind == engine.KindTeamJoined {
			joined[ev.Team]++
		}
	}
	assert.Equal(t, map[string]int{"irt": 1, "cmt": 1}, joined, "team_joined once per team, at its first hello")

	irt.send(msg{"type": "answer", "ref": "a1", "question": "inject.alert.1", "text": "The ward PCs"})
	ack, ev, _ := irt.ackAndEvent("a1")
	assert.Equal(t, "answer_recorded", ev.str("kind"))
	assert.Equal(t, "inject.alert.1", ev.str("question"))
	assert.Equal(t, "The ward PCs", ev.str("text"))
	assert.Equal(t, "irt", ev.str("team"))
	got, _ := fac.until(func(m msg) bool { return m.seq() == ack.seq() })
	assert.Equal(t, "answer_recorded", got.str("kind"), "the facilitator sees the answer")
	irt.send(msg{"type": "answer", "ref": "a2", "question": "module.detect.1", "text": "The CMT chair"})
	assert.Equal(t, "ack", irt.reply("a2").str("type"))

	// refuse sends m and requires an error whose sentence matches want (a regular expression,
	// loose enough for the engine's own wording) and nothing recorded.
	refuse := func(t *testing.T, c *wsClient, m msg, want string) {
		t.Helper()
		before := e.logOf(id)
		c.send(m)
		r := c.reply(m.str("ref"))
		require.Equal(t, "error", r.str("type"), "%v", r)
		assert.Regexp(t, "(?i)"+want, r.str("error"))
		assert.NotContains(t, r.str("error"), "internal error")
		assert.Equal(t, before, e.logOf(id), "nothing recorded")
	}
	t.Run("bad answers", func(t *testing.T) {
		refuse(t, irt, msg{"type": "answer", "ref": "b1", "question": "inject.alert.9", "text": "?"}, "question")
		refuse(t, cmt, msg{"type": "answer", "ref": "b2", "question": "inject.alert.1", "text": "not ours"}, "question")
		refuse(t, irt, msg{"type": "answer", "ref": "b3", "question": "inject.alert.1", "text": "  "}, "text")
		refuse(t, irt, msg{"type": "answer", "ref": "b4", "question": "inject.alert.1"}, "text")
		refuse(t, irt, msg{"type": "answer", "ref": "b5", "question": "inject.alert.1", "text": "x", "option": "pay"}, "unknown field")
	})

	e.mustRequest("POST", "/api/exercises/"+id+"/teams/irt/played", tok, nil, http.StatusOK, nil)
	assert.Equal(t, engine.KindTeamMarkedPlayed, e.logOf(id)[len(e.logOf(id))-1].Kind)
	r := e.request("POST", "/api/exercises/"+id+"/teams/nope/played", tok, nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorText(), "nope")
	assert.Equal(t, http.StatusConflict, e.request("POST", "/api/exercises/"+id+"/close", tok, nil).status, "close before the end")

	e.mustRequest("POST", "/api/exercises/"+id+"/end", tok, nil, http.StatusOK, nil)
	irt.send(msg{"type": "answer", "ref": "a3", "question": "inject.alert.1", "text": "And the lab"})
	assert.Equal(t, "ack", irt.reply("a3").str("type"), "answers are taken in the hot wash")

	form := msg{"type": "feedback", "ref": "f1", "ratings": map[string]any{"structured": 4, "realistic": 5, "decisions": 3},
		"strengths": "Realistic injects", "improvements": "More time", "comment": ""}
	t.Run("bad feedback", func(t *testing.T) {
		bad := func(ref string, ratings map[string]any) msg {
			return msg{"type": "feedback", "ref": ref, "ratings": ratings}
		}
		refuse(t, irt, bad("g1", map[string]any{"structured": 6}), "structured.*[1-5]|[1-5].*structured")
		refuse(t, irt, bad("g2", map[string]any{"structured": 0}), "structured.*[1-5]|[1-5].*structured")
		refuse(t, irt, bad("g3", map[string]any{"fun": 3}), "fun")
		refuse(t, irt, bad("g4", map[string]any{"structured": 2.5}), "ratings")
		refuse(t, irt, bad("g5", map[string]any{"structured": "4"}), "ratings")
	})
	irt.send(form)
	ack, _, _ = irt.ackAndEventOf("f1", fac)
	fb := e.logOf(id)[ack.seq()-1]
	assert.Equal(t, engine.KindFeedbackRecorded, fb.Kind)
	assert.Equal(t, &engine.Feedback{Ratings: map[string]int{"structured": 4, "realistic": 5, "decisions": 3},
		Strengths: "Realistic injects", Improvements: "More time"}, fb.Feedback)
	again := msg{}
	for k, v := range form {
		again[k] = v
	}
	again["ref"] = "f2"
	refuse(t, irt, again, "once|already")
	cmt.send(msg{"type": "feedback", "ref": "f1", "ratings": map[string]any{}})
	assert.Equal(t, "ack", cmt.reply("f1").str("type"), "every rating may be left out")

	e.mustRequest("POST", "/api/exercises/"+id+"/close", tok, nil, http.StatusOK, nil)
	assert.Equal(t, engine.KindExerciseClosed, e.logOf(id)[len(e.logOf(id))-1].Kind)
	closed, before := irt.until(func(m msg) bool { return m.str("type") == "status" })
	assert.Equal(t, "closed", closed.str("status"), "participants are told of the close")
	assert.NotContains(t, kinds(before), "exercise_closed", "the event is for facilitators")
	assert.Equal(t, http.StatusConflict, e.request("POST", "/api/exercises/"+id+"/close", tok, nil).status, "closed twice")
	refuse(t, irt, msg{"type": "answer", "ref": "z1", "question": "inject.alert.1", "text": "late"}, "closed")
	refuse(t, cmt, msg{"type": "feedback", "ref": "z2", "ratings": map[string]any{"realistic": 2}}, "closed")
	r = e.request("POST", "/api/exercises/"+id+"/teams/cmt/played", tok, nil)
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.errorText(), "closed")

	// The answers and the forms reach no other team: cmt's feed, replayed from the start.
	again2, welcome := e.participant(x.Teams["cmt"], "Cleo", 0)
	assert.Equal(t, "closed", welcome["exercise"].(map[string]any)["status"])
	// A reply comes after the whole replay: it ends the feed.
	again2.send(msg{"type": "note", "ref": "last", "text": "after the close"})
	_, feed := again2.until(func(m msg) bool { return m.str("ref") == "last" })
	for _, m := range feed {
		assert.NotEqual(t, "answer_recorded", m.str("kind"), "%v", m)
		assert.NotEqual(t, "feedback_recorded", m.str("kind"), "%v", m)
	}
}

// ackAndEventOf reads the ack of ref from c; the event it acknowledges is read from watcher
// (a facilitator), since the participant's own feed may not carry it.
func (c *wsClient) ackAndEventOf(ref string, watcher *wsClient) (ack, event msg, others []msg) {
	c.t.Helper()
	ack = c.reply(ref)
	require.Equal(c.t, "ack", ack.str("type"), "%v", ack)
	event, others = watcher.until(func(m msg) bool { return m.seq() == ack.seq() && m.str("type") == "event" })
	return ack, event, others
}

// TestCreateWithModeAndTeams: POST /api/exercises takes the mode and the teams in play; the
// answer, the exercise and the list show the mode; a bad mode or team is 400 naming the field.
func TestCreateWithModeAndTeams(t *testing.T) {
	e := newEnv(t)
	var x struct {
		ID               string            `json:"id"`
		FacilitatorToken string            `json:"facilitator_token"`
		Mode             string            `json:"mode"`
		Teams            map[string]string `json:"teams"`
	}
	e.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": "test-scenario", "speed": 60, "teams": []string{"cmt", "irt"}}, http.StatusCreated, &x)
	assert.Equal(t, "evaluation", x.Mode, "the default")
	assert.ElementsMatch(t, []string{"irt", "cmt"}, keysOfMap(x.Teams), "join codes of the teams in play only")
	var detail struct {
		Mode        string   `json:"mode"`
		TeamsInPlay []string `json:"teams_in_play"`
	}
	e.mustRequest("GET", "/api/exercises/"+x.ID, testAdmin, nil, http.StatusOK, &detail)
	assert.Equal(t, "evaluation", detail.Mode)
	assert.Equal(t, []string{"irt", "cmt"}, detail.TeamsInPlay, "in plan order")
	training := e.mustCreateIn("test-scenario", "training")
	var list []struct {
		ID   string `json:"id"`
		Mode string `json:"mode"`
	}
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	modes := map[string]string{}
	for _, l := range list {
		modes[l.ID] = l.Mode
	}
	assert.Equal(t, map[string]string{x.ID: "evaluation", training.ID: "training"}, modes)
	e.mustRequest("POST", "/api/exercises/"+training.ID+"/start", training.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+training.ID+"/end", training.FacilitatorToken, nil, http.StatusOK, nil)
	var reviewed []struct {
		ID   string `json:"id"`
		Mode string `json:"mode"`
	}
	e.mustRequest("GET", "/api/review/exercises", testAdmin, nil, http.StatusOK, &reviewed)
	require.Len(t, reviewed, 1)
	assert.Equal(t, "training", reviewed[0].Mode, "the review list shows the mode")

	// The close: the facilitator or the admin; not the reviewer, nor another exercise's facilitator.
	base := "/api/exercises/" + training.ID
	assert.Equal(t, http.StatusForbidden, e.request("POST", base+"/close", training.ReviewerToken, nil).status)
	assert.Equal(t, http.StatusForbidden, e.request("POST", base+"/close", x.FacilitatorToken, nil).status)
	assert.Equal(t, http.StatusForbidden, e.request("POST", base+"/teams/irt/played", training.ReviewerToken, nil).status)
	e.mustRequest("POST", base+"/close", testAdmin, nil, http.StatusOK, nil)

	for _, tc := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"scenario": "test-scenario", "mode": "exam"}, `mode: "exam" is not a mode`},
		{map[string]any{"scenario": "test-scenario", "teams": []string{"irt", "press"}}, `teams: plan test-plan has no team "press"`},
		{map[string]any{"scenario": "test-scenario", "teams": []string{}}, "teams: name at least one team"},
		{map[string]any{"scenario": "test-scenario", "teams": "irt"}, `"teams" must be a list`},
		{map[string]any{"scenario": "test-scenario", "mode": 1}, `"mode" must be a string`},
	} {
		r := e.request("POST", "/api/exercises", testAdmin, tc.body)
		assert.Equal(t, http.StatusBadRequest, r.status, "%v: %s", tc.body, r.body)
		assert.Contains(t, r.errorText(), tc.want)
	}
}

func keysOfMap(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestModulesDefaultsAndRestartOnTheWire: module_started carries its questions to every team
// in play; decision_defaulted reaches the deciding team, whose later choose is refused; after a
// restart the exercise is still in evaluation mode and a participant's replay still holds no
// action_triggered.
func TestModulesDefaultsAndRestartOnTheWire(t *testing.T) {
	e := newV2Env(t)
	var x struct {
		ID               string            `json:"id"`
		FacilitatorToken string            `json:"facilitator_token"`
		Teams            map[string]string `json:"teams"`
	}
	e.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": "v2-scenario", "speed": 60, "teams": []string{"irt", "cmt"}}, http.StatusCreated, &x)
	assert.NotContains(t, x.Teams, "service_desk", "no join code for a team not in play")
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	for _, c := range []*wsClient{irt, cmt} {
		m, _ := c.until(isEvent("module_started"))
		assert.Equal(t, map[string]any{"name": "detect", "title": "Detection",
			"questions": []any{map[string]any{"id": "module.detect.1", "text": "Who do you call first?"}}}, m["module"])
	}
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // the alert
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // the demand
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // its due
	d, _ := cmt.until(isEvent("decision_defaulted"))
	assert.Equal(t, []any{"cmt", "ransom", "refuse"}, []any{d["team"], d["decision"], d["option"]})
	cmt.send(msg{"type": "choose", "ref": "late", "decision": "ransom", "option": "pay"})
	assert.Equal(t, "error", cmt.reply("late").str("type"), "no answer after the default")
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil, http.StatusOK, nil)
	_, seen := irt.until(isEvent("clock"))
	assert.NotContains(t, kinds(seen), "decision_defaulted", "another team's default")

	e.restart()
	again, w := e.participant(x.Teams["irt"], "Ines", 0)
	assert.Equal(t, "evaluation", w.str("mode"), "the mode survives a restart")
	_, replay := again.until(func(m msg) bool { return m.str("kind") == "clock" && m.str("clock") == "paused" })
	assert.NotContains(t, kinds(replay), "action_triggered")
	assert.Contains(t, kinds(replay), "module_started")
}
