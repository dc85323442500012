package web

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestParticipantSees: what a participant of irt may see, by kind and mode (protocol.md v2).
func TestParticipantSees(t *testing.T) {
	inPlay := []string{"irt", "cmt"}
	for _, tc := range []struct {
		name string
		e    engine.Event
		mode string
		want bool
	}{
		{"own trigger, evaluation", engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, engine.ModeEvaluation, false},
		{"own trigger, training", engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, engine.ModeTraining, true},
		{"other's trigger, training", engine.Event{Kind: engine.KindActionTriggered, Team: "cmt"}, engine.ModeTraining, false},
		{"own default", engine.Event{Kind: engine.KindDecisionDefaulted, Team: "irt"}, engine.ModeEvaluation, true},
		{"other's default", engine.Event{Kind: engine.KindDecisionDefaulted, Team: "cmt"}, engine.ModeEvaluation, false},
		{"own answer", engine.Event{Kind: engine.KindAnswerRecorded, Team: "irt"}, engine.ModeEvaluation, true},
		{"other's answer", engine.Event{Kind: engine.KindAnswerRecorded, Team: "cmt"}, engine.ModeEvaluation, false},
		{"module", engine.Event{Kind: engine.KindModuleStarted, Module: "m"}, engine.ModeEvaluation, true},
		{"closed (the page learns it from the status message)", engine.Event{Kind: engine.KindExerciseClosed}, engine.ModeEvaluation, false},
		{"own feedback", engine.Event{Kind: engine.KindFeedbackRecorded, Team: "irt"}, engine.ModeTraining, false},
		{"joined", engine.Event{Kind: engine.KindTeamJoined, Team: "irt"}, engine.ModeTraining, false},
		{"played", engine.Event{Kind: engine.KindTeamMarkedPlayed, Team: "irt"}, engine.ModeTraining, false},
		{"held", engine.Event{Kind: engine.KindInjectHeld, Inject: "x"}, engine.ModeTraining, false},
		{"skipped", engine.Event{Kind: engine.KindInjectSkipped, Inject: "x"}, engine.ModeTraining, false},
		{"observation", engine.Event{Kind: engine.KindObservation, Team: "irt"}, engine.ModeTraining, false},
		{"a kind from the future", engine.Event{Kind: "something_new", Team: "irt"}, engine.ModeTraining, false},
		{"inject to irt", engine.Event{Kind: engine.KindInjectDelivered, To: []string{"irt"}}, engine.ModeEvaluation, true},
		{"inject to cmt", engine.Event{Kind: engine.KindInjectDelivered, To: []string{"cmt"}}, engine.ModeEvaluation, false},
	} {
		assert.Equal(t, tc.want, participantSees(tc.e, "irt", engine.ExerciseRecord{Mode: tc.mode, Teams: inPlay}), tc.name)
	}
	assert.False(t, participantSees(engine.Event{Kind: engine.KindModuleStarted}, "press", engine.ExerciseRecord{Mode: engine.ModeEvaluation, Teams: inPlay}), "a team not in play")
	assert.True(t, participantSees(engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, "irt", engine.ExerciseRecord{}), "a record stored before v2 is training")
}

// TestV2EventsOnTheWire: module_started carries the module with its questions,
// decision_defaulted its team, decision and option, answer_recorded its question and text; an
// inject's notes and prompts only in the facilitators' form.
func TestV2EventsOnTheWire(t *testing.T) {
	sc := &scenarios.Scenario{
		Plan: &scenarios.Plan{},
		Modules: []*scenarios.Module{{Name: "m1", Title: "Module one",
			Questions: []scenarios.Question{{ID: "module.m1.1", Text: "Who leads?"}}}},
		Injects: []*scenarios.Inject{{Name: "i", To: []string{"irt"}, Channel: "email", Subject: "S",
			Notes: "secret", Prompts: []string{"act"}, Questions: []scenarios.Question{{ID: "inject.i.1", Text: "Why?"}}}},
	}
	w := newWireScenario(sc, newRenderer())
	encode := func(e engine.Event, participant bool) map[string]any {
		data, err := json.Marshal(w.eventFor(e, participant))
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.Unmarshal(data, &out))
		return out
	}
	m := encode(engine.Event{Seq: 1, Kind: engine.KindModuleStarted, Module: "m1"}, true)
	assert.Equal(t, map[string]any{"name": "m1", "title": "Module one",
		"questions": []any{map[string]any{"id": "module.m1.1", "text": "Who leads?"}}}, m["module"])
	d := encode(engine.Event{Seq: 2, Kind: engine.KindDecisionDefaulted, Team: "cmt", Decision: "ransom", Option: "refuse"}, true)
	assert.Equal(t, []any{"cmt", "ransom", "refuse"}, []any{d["team"], d["decision"], d["option"]})
	a := encode(engine.Event{Seq: 3, Kind: engine.KindAnswerRecorded, Team: "irt", Question: "inject.i.1", Text: "Because"}, true)
	assert.Equal(t, []any{"irt", "inject.i.1", "Because"}, []any{a["team"], a["question"], a["text"]})

	delivered := engine.Event{Seq: 4, Kind: engine.KindInjectDelivered, Inject: "i", To: []string{"irt"}}
	part := encode(delivered, true)["inject"].(map[string]any)
	assert.NotContains(t, part, "notes")
	assert.NotContains(t, part, "prompts")
	assert.Equal(t, []any{map[string]any{"id": "inject.i.1", "text": "Why?"}}, part["questions"])
	full := encode(delivered, false)["inject"].(map[string]any)
	assert.Equal(t, "secret", full["notes"])
	assert.Equal(t, []any{"act"}, full["prompts"])
}
