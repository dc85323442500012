package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/web"
)

func TestDecodeClientMessage(t *testing.T) {
	tests := []struct {
		in   string
		want web.ClientMessage
	}{
		{`{"type":"hello","code":"KQ7M-2XPA","name":"Alice","since":41}`,
			web.ClientMessage{Type: "hello", Code: "KQ7M-2XPA", Name: "Alice", Since: 41}},
		{`{"type":"hello","token":"tok","exercise":"abc"}`,
			web.ClientMessage{Type: "hello", Token: "tok", Exercise: "abc"}},
		{`{"type":"act","ref":"a1","action":"contain_hosts"}`,
			web.ClientMessage{Type: "act", Ref: "a1", Action: "contain_hosts"}},
		{`{"type":"choose","ref":"a2","decision":"ransom","option":"refuse"}`,
			web.ClientMessage{Type: "choose", Ref: "a2", Decision: "ransom", Option: "refuse"}},
		{`{"type":"escalate","ref":"a3","to":"cmt","text":"We need a decision\non the ransom"}`,
			web.ClientMessage{Type: "escalate", Ref: "a3", To: "cmt", Text: "We need a decision\non the ransom"}},
		{` {"type":"note","ref":"a4","text":"Backups last verified in May"} `,
			web.ClientMessage{Type: "note", Ref: "a4", Text: "Backups last verified in May"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := web.DecodeClientMessage([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeClientMessageErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantRef string
		wantErr string
	}{
		{"malformed", `{"type":"act",`, "", "malformed JSON"},
		{"not an object", `[1,2]`, "", "JSON object"},
		{"no type", `{"ref":"a1"}`, "a1", `no "type"`},
		{"type not a string", `{"type":5}`, "", `"type" must be a string`},
		{"unknown type", `{"type":"shout","ref":"a1"}`, "a1", `unknown message type "shout"`},
		{"unknown field", `{"type":"act","ref":"a1","action":"x","extra":1}`, "a1", `unknown field "extra"`},
		{"wrong type", `{"type":"act","ref":"a1","action":7}`, "a1", `"action" must be a string`},
		{"missing ref", `{"type":"act","action":"x"}`, "", `"ref" is required`},
		{"ref not a string", `{"type":"act","ref":3,"action":"x"}`, "", `"ref" must be a string`},
		{"missing action", `{"type":"act","ref":"a1"}`, "a1", "action: is required"},
		{"missing option", `{"type":"choose","ref":"a1","decision":"d"}`, "a1", "option: is required"},
		{"missing text", `{"type":"note","ref":"a1","text":"  "}`, "a1", "text: is required"},
		{"text too long", `{"type":"note","ref":"a1","text":"` + strings.Repeat("x", 4001) + `"}`, "a1", "is longer than"},
		{"control character", `{"type":"escalate","ref":"a1","to":"cmt","text":"a\u0007b"}`, "a1", "control characters"},
		{"trailing data", `{"type":"note","ref":"a1","text":"x"} {}`, "a1", "more after"},
		{"invalid utf-8", "{\"type\":\"note\",\"ref\":\"a1\",\"text\":\"\xff\"}", "", "UTF-8"},
		{"negative since", `{"type":"hello","code":"c","name":"n","since":-1}`, "", `"since"`},
		{"fractional since", `{"type":"hello","code":"c","name":"n","since":1.5}`, "", `"since" must be a whole number`},
		{"hello without name", `{"type":"hello","code":"c"}`, "", "name: is required"},
		{"hello with both", `{"type":"hello","code":"c","name":"n","token":"t","exercise":"x"}`, "", "not both"},
		{"hello with neither", `{"type":"hello"}`, "", `"code" and "name"`},
		{"facilitator without exercise", `{"type":"hello","token":"t"}`, "", "exercise: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := web.DecodeClientMessage([]byte(tt.in))
			require.Error(t, err)
			assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.wantRef, got.Ref)
		})
	}
}

// FuzzDecodeClientMessage checks that no input panics the decoder, that every error is an
// EInvalid *engine.Error with a message, and that what it accepts survives a round trip.
func FuzzDecodeClientMessage(f *testing.F) {
	for _, seed := range []string{
		`{"type":"hello","code":"KQ7M-2XPA","name":"Alice","since":0}`,
		`{"type":"hello","token":"t","exercise":"x","since":3}`,
		`{"type":"act","ref":"a1","action":"contain_hosts"}`,
		`{"type":"choose","ref":"a2","decision":"ransom","option":"refuse"}`,
		`{"type":"escalate","ref":"a3","to":"cmt","text":"hi"}`,
		`{"type":"note","ref":"a4","text":"x"}`,
		`{"type":"note","ref":"a4","text":"x","x":1}`,
		`{"type":[],"ref":{}}`, `null`, `"x"`, `{`, "\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := web.DecodeClientMessage(data)
		if err != nil {
			if engine.ErrorCode(err) != engine.EInvalid || err.Error() == "" {
				t.Fatalf("error %v (code %q) is not an EInvalid with a message", err, engine.ErrorCode(err))
			}
			if !utf8.ValidString(m.Ref) || utf8.RuneCountInString(m.Ref) > web.MaxNameRunes {
				t.Fatalf("ref %q echoed with an error is not a valid ref", m.Ref)
			}
			return
		}
		// Re-encode what was accepted and decode it again: the same message.
		wire := map[string]any{"type": m.Type}
		switch m.Type {
		case web.TypeHello:
			if m.Code != "" {
				wire["code"], wire["name"] = m.Code, m.Name
			} else {
				wire["token"], wire["exercise"] = m.Token, m.Exercise
			}
			wire["since"] = m.Since
		case web.TypeAct:
			wire["ref"], wire["action"] = m.Ref, m.Action
		case web.TypeChoose:
			wire["ref"], wire["decision"], wire["option"] = m.Ref, m.Decision, m.Option
		case web.TypeEscalate:
			wire["ref"], wire["to"], wire["text"] = m.Ref, m.To, m.Text
		case web.TypeNote:
			wire["ref"], wire["text"] = m.Ref, m.Text
		default:
			t.Fatalf("accepted unknown type %q", m.Type)
		}
		again, err := json.Marshal(wire)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := web.DecodeClientMessage(again)
		if err != nil {
			t.Fatalf("re-encoded %s rejected: %v", again, err)
		}
		if m2 != m {
			t.Fatalf("round trip changed %+v into %+v", m, m2)
		}
	})
}
