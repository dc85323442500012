package web_test

// Hostile input: one table for every HTTP endpoint and one for every WebSocket message, each
// row a malformed or hostile input with the status and the sentence it must get. After every
// row the exercise's log is what it was before; nothing panics; and a participant connected
// throughout still gets the next inject and can answer it. The kinds protocol.md names that
// TestBadHTTPInput and TestWebSocketBadInput already cover are not repeated here.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/web"
)

// logOf returns the stored log of exercise id as the server holds it.
func (e *env) logOf(id string) []engine.Event {
	e.t.Helper()
	x, err := e.m.Exercise(id)
	require.NoError(e.t, err)
	return x.EventsSince(0)
}

// assertCleanRefusal checks what every refusal shares: a 4xx, JSON {"error": "…"} with a
// sentence, never "internal error".
func assertCleanRefusal(t *testing.T, r response) {
	t.Helper()
	assert.GreaterOrEqual(t, r.status, 400, "%s", r.body)
	assert.Less(t, r.status, 500, "%s", r.body)
	var body map[string]any
	require.NoError(t, json.Unmarshal(r.body, &body), "an error answer is JSON: %q", r.body)
	assert.Len(t, body, 1, "an error answer holds only the error: %s", r.body)
	assert.NotEmpty(t, r.errorText(), "%s", r.body)
	assert.NotContains(t, r.errorText(), "internal error")
}

func TestHostileHTTPInput(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessBurst, c.GlobalGuessBurst = 1<<20, 1<<20 })
	x := e.mustStart()
	fac := x.FacilitatorToken
	base := "/api/exercises/" + x.ID

	// A participant of cmt is connected throughout and must not notice anything.
	bystander, _ := e.participant(x.Teams["cmt"], "Cleo", 0)

	long := strings.Repeat("x", 4001)
	name101 := strings.Repeat("n", 101)
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	oversized := func(field string) string {
		return `{"` + field + `":"` + strings.Repeat("x", 64<<10) + `"}`
	}
	tests := []struct {
		name, method, path, token string
		body                      string
		status                    int
		want                      string
	}{
		// POST /api/exercises
		{"create: speed as a string", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":"NaN"}`, 400, `"speed" must be a number`},
		{"create: NaN literal", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":NaN}`, 400, "malformed JSON"},
		{"create: Infinity literal", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":Infinity}`, 400, "malformed JSON"},
		{"create: negative zero speed", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":-0}`, 400, "out of range"},
		{"create: denormal speed", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":1e-320}`, 400, "out of range"},
		{"create: absurd speed", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":99999999999999999999999}`, 400, "out of range"},
		{"create: speed overflows", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":-1e400}`, 400, "speed"},
		{"create: scenario as a list", "POST", "/api/exercises", testAdmin, `{"scenario":["test-scenario"]}`, 400, `"scenario" must be a string`},
		{"create: scenario as an object", "POST", "/api/exercises", testAdmin, `{"scenario":{"name":"test-scenario"}}`, 400, `"scenario" must be a string`},
		{"create: huge scenario name", "POST", "/api/exercises", testAdmin, `{"scenario":"` + name101 + `"}`, 400, "scenario: is longer than"},
		{"create: control character", "POST", "/api/exercises", testAdmin, `{"scenario":"test\u0000scenario"}`, 400, "control characters"},
		{"create: escape sequence", "POST", "/api/exercises", testAdmin, `{"scenario":"\u001b[31mred"}`, 400, "control characters"},
		{"create: invalid UTF-8", "POST", "/api/exercises", testAdmin, "{\"scenario\":\"test-\xff\xfe\"}", 400, "UTF-8"},
		{"create: deep nesting", "POST", "/api/exercises", testAdmin, `{"scenario":` + deep + `}`, 400, "JSON"},
		{"create: a string", "POST", "/api/exercises", testAdmin, `"test-scenario"`, 400, "JSON object"},
		{"create: null", "POST", "/api/exercises", testAdmin, `null`, 400, "scenario: is required"},
		{"create: oversized", "POST", "/api/exercises", testAdmin, oversized("scenario"), 413, "larger than 64 KiB"},
		{"create: unknown fields", "POST", "/api/exercises", testAdmin, `{"scenario":"test-scenario","id":"mine","facilitator_token":"t"}`, 400, "unknown field"},

		// POST …/speed
		{"speed: a string", "POST", base + "/speed", fac, `{"speed":"120"}`, 400, `"speed" must be a number`},
		{"speed: a list", "POST", base + "/speed", fac, `{"speed":[120]}`, 400, `"speed" must be a number`},
		{"speed: true", "POST", base + "/speed", fac, `{"speed":true}`, 400, `"speed" must be a number`},
		{"speed: null", "POST", base + "/speed", fac, `{"speed":null}`, 400, `"speed" is required`},
		{"speed: tiny negative", "POST", base + "/speed", fac, `{"speed":-1e-9}`, 400, "out of range"},
		{"speed: just above the top", "POST", base + "/speed", fac, `{"speed":3600.0000001}`, 400, "out of range"},
		{"speed: overflows", "POST", base + "/speed", fac, `{"speed":1e400}`, 400, "speed"},
		{"speed: unknown field", "POST", base + "/speed", fac, `{"speed":60,"clock":"paused"}`, 400, `unknown field "clock"`},
		{"speed: oversized", "POST", base + "/speed", fac, oversized("speed"), 413, "larger than 64 KiB"},

		// POST …/injects
		{"inject: to as a string", "POST", base + "/injects", fac, `{"to":"irt","channel":"chat","subject":"s"}`, 400, `"to" must be a list`},
		{"inject: empty team name", "POST", base + "/injects", fac, `{"to":[""],"channel":"chat","subject":"s"}`, 400, "to: is required"},
		{"inject: team in another case", "POST", base + "/injects", fac, `{"to":["IRT"],"channel":"chat","subject":"s"}`, 400, `no team "IRT"`},
		{"inject: team path", "POST", base + "/injects", fac, `{"to":["../irt"],"channel":"chat","subject":"s"}`, 400, `no team "../irt"`},
		{"inject: one good team, one unknown", "POST", base + "/injects", fac, `{"to":["irt","mallory"],"channel":"chat","subject":"s"}`, 400, `no team "mallory"`},
		{"inject: blank subject", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"   "}`, 400, "subject: is required"},
		{"inject: no channel", "POST", base + "/injects", fac, `{"to":["irt"],"subject":"s"}`, 400, "channel: is required"},
		{"inject: huge subject", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"` + long + `"}`, 400, "subject: is longer than"},
		{"inject: huge body", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"s","body":"` + long + `"}`, 400, "body: is longer than"},
		{"inject: NUL in the body", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"s","body":"a\u0000b"}`, 400, "body: must not contain control characters"},
		{"observation: TEXT does not override text", "POST", base + "/observations", fac, `{"text":"t","TEXT":"other","rating":"S"}`, 400, `unknown field "TEXT"`},
		{"observation: Rating is not rating", "POST", base + "/observations", fac, `{"text":"t","Rating":"S"}`, 400, `unknown field "Rating"`},
		{"observation: escape in the capability", "POST", base + "/observations", fac, `{"text":"t","rating":"S","capability":"a\u001b[2Jb"}`, 400, "capability: must not contain control characters"},
		{"observation: newline in the capability", "POST", base + "/observations", fac, `{"text":"t","rating":"S","capability":"a\nb"}`, 400, "capability: must not contain control characters"},
		{"inject: newline in from", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"s","from":"a\nb"}`, 400, "from: must not contain control characters"},
		{"inject: escape in from", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"s","from":"\u001b]0;x\u0007"}`, 400, "from: must not contain control characters"},
		{"inject: invalid UTF-8 in the body", "POST", base + "/injects", fac, "{\"to\":[\"irt\"],\"channel\":\"chat\",\"subject\":\"s\",\"body\":\"\xc3\x28\"}", 400, "UTF-8"},
		{"inject: unknown field", "POST", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"s","at":"0s"}`, 400, `unknown field "at"`},
		{"inject: oversized", "POST", base + "/injects", fac, oversized("body"), 413, "larger than 64 KiB"},

		// POST …/observations
		{"observation: lower-case rating", "POST", base + "/observations", fac, `{"text":"t","rating":"s"}`, 400, `rating: "s" is not a rating`},
		{"observation: two ratings", "POST", base + "/observations", fac, `{"text":"t","rating":"PS"}`, 400, "not a rating"},
		{"observation: no rating", "POST", base + "/observations", fac, `{"text":"t"}`, 400, "rating: is required"},
		{"observation: rating as a number", "POST", base + "/observations", fac, `{"text":"t","rating":1}`, 400, `"rating" must be a string`},
		{"observation: only a bell", "POST", base + "/observations", fac, `{"text":"\u0007","rating":"S"}`, 400, "control characters"},
		{"observation: blank text", "POST", base + "/observations", fac, "{\"text\":\" \\n\\t \",\"rating\":\"S\"}", 400, "text: is required"},
		{"observation: huge capability", "POST", base + "/observations", fac, `{"text":"t","rating":"S","capability":"` + name101 + `"}`, 400, "capability: is longer than 100 characters"},
		{"observation: invalid UTF-8", "POST", base + "/observations", fac, "{\"text\":\"\xed\xa0\x80\",\"rating\":\"S\"}", 400, "UTF-8"},
		{"observation: oversized", "POST", base + "/observations", fac, oversized("text"), 413, "larger than 64 KiB"},

		// POST …/injects/:name/hold and /trigger
		{"hold: held as a string", "POST", base + "/injects/news/hold", fac, `{"held":"yes"}`, 400, `"held" must be true or false`},
		{"hold: held as a number", "POST", base + "/injects/news/hold", fac, `{"held":1}`, 400, `"held" must be true or false`},
		{"hold: unicode inject name", "POST", base + "/injects/%C3%A9/hold", fac, `{"held":true}`, 400, "no inject"},
		{"hold: encoded slash", "POST", base + "/injects/..%2Fnews/hold", fac, `{"held":true}`, 404, ""},
		{"hold: oversized", "POST", base + "/injects/news/hold", fac, oversized("held"), 413, "larger than 64 KiB"},
		{"trigger: a body", "POST", base + "/injects/news/trigger", fac, `{"now":true}`, 400, `unknown field "now"`},
		{"trigger: a list", "POST", base + "/injects/news/trigger", fac, `[]`, 400, "JSON object"},
		{"trigger: unknown inject", "POST", base + "/injects/nope/trigger", fac, ``, 400, `no inject "nope"`},
		{"trigger: huge inject name", "POST", base + "/injects/" + strings.Repeat("q", 5000) + "/trigger", fac, ``, 400, "inject: is longer than 100 characters"},
		{"hold: huge inject name", "POST", base + "/injects/" + strings.Repeat("q", 5000) + "/hold", fac, `{"held":true}`, 400, "inject: is longer than 100 characters"},
		{"trigger: oversized", "POST", base + "/injects/news/trigger", fac, oversized("x"), 413, "larger than 64 KiB"},

		// The clock commands take no body.
		{"start: a body", "POST", base + "/start", fac, `{"at":"0s"}`, 400, `unknown field "at"`},
		{"advance: a target", "POST", base + "/advance", fac, `{"to":"4h"}`, 400, `unknown field "to"`},
		{"end: a reason", "POST", base + "/end", fac, `{"reason":"x"}`, 400, `unknown field "reason"`},
		{"resume: malformed", "POST", base + "/resume", fac, `{`, 400, "malformed JSON"},
		{"pause: oversized", "POST", base + "/pause", fac, oversized("x"), 413, "larger than 64 KiB"},

		// Reading
		{"report: unknown format", "GET", base + "/report?format=../../etc/passwd", testAdmin, ``, 400, "unknown report format"},
		{"report: NUL format", "GET", base + "/report?format=%00", testAdmin, ``, 400, "unknown report format"},
		{"report: unknown parameter", "GET", base + "/report?format=md&debug=1", testAdmin, ``, 400, `unknown query parameter "debug"`},
		{"chart: any parameter", "GET", base + "/charts/team?width=9", testAdmin, ``, 400, `unknown query parameter "width"; this endpoint takes none`},
		{"exercise: huge id", "GET", "/api/exercises/" + strings.Repeat("a", 5000), testAdmin, ``, 404, "no exercise"},
		{"exercise: NUL id", "GET", "/api/exercises/%00", testAdmin, ``, 404, "no exercise"},
		{"readiness: huge plan name", "GET", "/api/plans/" + strings.Repeat("p", 5000) + "/readiness", testAdmin, ``, 404, ""},

		// Methods and paths
		{"delete an exercise", "DELETE", base, testAdmin, ``, 405, "not allowed"},
		{"put the speed", "PUT", base + "/speed", fac, `{"speed":60}`, 405, "not allowed"},
		{"unknown endpoint", "POST", base + "/reset", fac, `{}`, 404, "nothing at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.logOf(x.ID)
			r := e.rawRequest(tt.method, tt.path, map[string]string{
				"Authorization": "Bearer " + tt.token, "Content-Type": "application/json",
			}, []byte(tt.body))
			assert.Equal(t, tt.status, r.status, "%s", r.body)
			assertCleanRefusal(t, r)
			assert.Contains(t, r.errorText(), tt.want)
			assert.Less(t, len(r.body), 1000, "the answer does not echo the input back at length")
			assert.Equal(t, before, e.logOf(x.ID), "nothing was recorded")
		})
	}

	// Hostile credentials: each is a 401 with the one sentence, whatever it looked like.
	for name, header := range map[string]string{
		"scheme only":       "Bearer",
		"basic auth":        "Basic YWRtaW46YWRtaW4=",
		"huge token":        "Bearer " + strings.Repeat("t", 16<<10),
		"invalid UTF-8":     "Bearer \xff\xfe" + testAdmin,
		"token and garbage": "Bearer " + testAdmin + " extra",
		"two tokens":        "Bearer " + fac + ", Bearer " + testAdmin,
	} {
		t.Run("credential: "+name, func(t *testing.T) {
			r := e.rawRequest("GET", "/api/exercises", map[string]string{"Authorization": header}, nil)
			assert.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
			assertCleanRefusal(t, r)
		})
	}

	// Nothing was created, the exercise runs on, and nothing panicked.
	var list []struct{ ID, Status string }
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	require.Len(t, list, 1)
	assert.Equal(t, "running", list[0].Status)
	assertCarriesOn(t, e, x.ID, fac, bystander)
	assert.NotContains(t, e.logs.String(), "panic")
	assert.NotContains(t, e.logs.String(), "level=ERROR")
}

// assertCarriesOn advances the exercise twice (the alert to irt, then the demand to cmt) and
// checks that the bystander of cmt, connected throughout, gets the demand, answers it and
// records an action.
func assertCarriesOn(t *testing.T, e *env, id, fac string, bystander *wsClient) {
	t.Helper()
	for range 2 {
		e.mustRequest("POST", "/api/exercises/"+id+"/advance", fac, nil, http.StatusOK, nil)
	}
	demand, _ := bystander.until(isEvent("inject_delivered"))
	assert.Equal(t, "demand", demand["inject"].(map[string]any)["name"])
	bystander.send(msg{"type": "choose", "ref": "bystander-1", "decision": "ransom", "option": "refuse"})
	_, answered, _ := bystander.ackAndEvent("bystander-1")
	assert.Equal(t, "decision_answered", answered.str("kind"))
	bystander.send(msg{"type": "act", "ref": "bystander-2", "action": "escalate_to_cmt"})
	_, acted, _ := bystander.ackAndEvent("bystander-2")
	assert.Equal(t, "action_recorded", acted.str("kind"))
}

func TestHostileWebSocketInput(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	bystander, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	// A recorded note, for the replays below.
	irt.send(msg{"type": "note", "ref": "first", "text": "recorded once"})
	firstAck := irt.reply("first")
	require.Equal(t, "ack", firstAck.str("type"))

	long := strings.Repeat("é", 4001)
	name101 := strings.Repeat("n", 101)
	tests := []struct {
		name, raw, ref, want string
	}{
		{"empty object", `{}`, "", `no "type"`},
		{"null", `null`, "", `no "type"`},
		{"a list", `[{"type":"note","ref":"l1","text":"x"}]`, "", "not a JSON object"},
		{"a number", `42`, "", "not a JSON object"},
		{"type as a number", `{"type":7,"ref":"t1"}`, "t1", `"type" must be a string`},
		{"type null", `{"type":null,"ref":"t2"}`, "t2", `no "type"`},
		{"type in another case", `{"type":"NOTE","ref":"t3","text":"x"}`, "t3", `unknown message type "NOTE"`},
		{"huge type", `{"type":"` + strings.Repeat("z", 5000) + `","ref":"t4"}`, "t4", "unknown message type"},
		{"trailing data", `{"type":"note","ref":"t5","text":"x"} {"type":"note","ref":"t6","text":"y"}`, "t5", "more after"},
		{"deep nesting", `{"type":"note","ref":"t7","text":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "", "JSON"},
		{"ref as a number", `{"type":"note","ref":12,"text":"x"}`, "", `"ref" must be a string`},
		{"ref too long", `{"type":"note","ref":"` + name101 + `","text":"x"}`, "", `"ref" must be at most 100`},
		{"ref with a newline", `{"type":"note","ref":"a\nb","text":"x"}`, "", `"ref" must be at most 100 characters without control characters`},
		{"act: action as a list", `{"type":"act","ref":"a1","action":["contain_hosts"]}`, "a1", `"action" must be a string`},
		{"act: empty action", `{"type":"act","ref":"a2","action":""}`, "a2", "action: is required"},
		{"act: huge action", `{"type":"act","ref":"a3","action":"` + name101 + `"}`, "a3", "action: is longer than"},
		{"act: action of another plan", `{"type":"act","ref":"a4","action":"verify_log_retention"}`, "a4", `no action "verify_log_retention"`},
		{"act: speaking for another team", `{"type":"act","ref":"a5","action":"contain_hosts","team":"cmt"}`, "a5", `unknown field "team"`},
		{"act: another name", `{"type":"act","ref":"a6","action":"contain_hosts","name":"Cleo"}`, "a6", `unknown field "name"`},
		{"act: control character", `{"type":"act","ref":"a7","action":"contain\u0000hosts"}`, "a7", "control characters"},
		{"choose: option as a bool", `{"type":"choose","ref":"c1","decision":"ransom","option":true}`, "c1", `"option" must be a string`},
		{"choose: missing option", `{"type":"choose","ref":"c2","decision":"ransom"}`, "c2", "option: is required"},
		{"choose: another team's decision", `{"type":"choose","ref":"c3","decision":"ransom","option":"refuse"}`, "c3", "ransom is decided by cmt; team irt cannot answer it"},
		{"escalate: to as a list", `{"type":"escalate","ref":"e1","to":["cmt"],"text":"x"}`, "e1", `"to" must be a string`},
		{"escalate: to another exercise's team", `{"type":"escalate","ref":"e2","to":"exec","text":"x"}`, "e2", `no team "exec"`},
		{"escalate: team in another case", `{"type":"escalate","ref":"e3","to":"CMT","text":"x"}`, "e3", `no team "CMT"`},
		{"escalate: huge text", `{"type":"escalate","ref":"e4","to":"cmt","text":"` + long + `"}`, "e4", "text: is longer than"},
		{"escalate: blank text", `{"type":"escalate","ref":"e5","to":"cmt","text":"\n\t "}`, "e5", "text: is required"},
		{"escalate: escape sequence", `{"type":"escalate","ref":"e6","to":"cmt","text":"\u001b[2J"}`, "e6", "control characters"},
		{"note: huge text", `{"type":"note","ref":"n1","text":"` + long + `"}`, "n1", "text: is longer than"},
		{"note: TEXT does not override text", `{"type":"note","ref":"n0","text":"a","TEXT":"b"}`, "n0", `unknown field "TEXT"`},
		{"note: NUL", `{"type":"note","ref":"n2","text":"a\u0000"}`, "n2", "control characters"},
		{"note: line separator", `{"type":"note","ref":"n3","text":"a\u2028b"}`, "n3", "control characters"},
		{"note: text as an object", `{"type":"note","ref":"n4","text":{"html":"<b>"}}`, "n4", `"text" must be a string`},
		{"note: invalid UTF-8 in the ref", "{\"type\":\"note\",\"ref\":\"\xc0\xaf\",\"text\":\"x\"}", "", "UTF-8"},
		{"hello again, as a facilitator", `{"type":"hello","token":"` + x.FacilitatorToken + `","exercise":"` + x.ID + `"}`, "", "already said hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.logOf(x.ID)
			irt.sendRaw(tt.raw)
			m, _ := irt.until(func(m msg) bool { return m.str("type") == "error" || m.str("type") == "ack" })
			require.Equal(t, "error", m.str("type"), "%v", m)
			assert.Equal(t, tt.ref, m.str("ref"))
			assert.Contains(t, m.str("error"), tt.want)
			assert.Less(t, len(m.str("error")), 300, "the error does not echo the input back at length")
			assert.Equal(t, before, e.logOf(x.ID), "nothing was recorded")
		})
	}

	t.Run("a binary frame is refused, even one holding a message", func(t *testing.T) {
		for _, data := range [][]byte{{0x00, 0xff, 0x10}, []byte(`{"type":"note","ref":"bin","text":"x"}`)} {
			require.NoError(t, irt.conn.WriteMessage(websocket.BinaryMessage, data))
			m := irt.next()
			assert.Equal(t, "error", m.str("type"))
			assert.Contains(t, m.str("error"), "binary frames are refused")
		}
	})

	t.Run("replays of a ref are the first response, whatever they carry", func(t *testing.T) {
		before := e.logOf(x.ID)
		for _, raw := range []string{
			`{"type":"note","ref":"first","text":"recorded once"}`,
			`{"type":"note","ref":"first","text":"something else"}`,
			`{"type":"act","ref":"first","action":"contain_hosts"}`,
			`{"type":"escalate","ref":"first","to":"cmt","text":"x"}`,
		} {
			irt.sendRaw(raw)
			m := irt.reply("first")
			assert.Equal(t, "ack", m.str("type"), "%v", m)
			assert.Equal(t, firstAck.seq(), m.seq())
		}
		// From a second connection of the same participant, after a reconnect.
		again, _ := e.participant(x.Teams["irt"], "Ines", firstAck.seq())
		again.send(msg{"type": "note", "ref": "first", "text": "recorded once"})
		assert.Equal(t, firstAck.seq(), again.reply("first").seq())
		assert.Equal(t, before, e.logOf(x.ID), "a replay records nothing")
	})

	t.Run("hostile hellos are answered and the connection may still say hello", func(t *testing.T) {
		c := e.dial()
		for raw, want := range map[string]string{
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"` + name101 + `"}`:             "name: is longer than",
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"a\u0000"}`:                     "control characters",
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"   "}`:                         "name: is required",
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","since":-1}`:                `"since" must be 0`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","since":1.5}`:               `"since" must be a whole number`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","since":"9"}`:               `"since" must be a whole number`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","since":1e30}`:              `"since" must be a whole number`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","team":"cmt"}`:              `unknown field "team"`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","name":"I","exercise":"` + x.ID + `"}`: `names no "exercise"`,
			`{"type":"hello","code":"` + x.Teams["irt"] + `","token":"` + testAdmin + `"}`:          "not both",
			`{"type":"hello","token":"` + testAdmin + `","exercise":"` + x.ID + `","name":"I"}`:     `carries no "name"`,
			"{\"type\":\"hello\",\"code\":\"\xff\",\"name\":\"I\"}":                                 "UTF-8",
		} {
			c.sendRaw(raw)
			m := c.next()
			assert.Equal(t, "error", m.str("type"), "%s: %v", raw, m)
			assert.Contains(t, m.str("error"), want, "%.80s", raw)
		}
		c.send(msg{"type": "hello", "code": x.Teams["irt"], "name": "Ines", "since": 0})
		assert.Equal(t, "welcome", c.next().str("type"))
	})

	t.Run("a hello from far in the future replays nothing and gets what follows", func(t *testing.T) {
		c, w := e.participant(x.Teams["irt"], "Ines", 1<<40)
		assert.Equal(t, "welcome", w.str("type"))
		c.send(msg{"type": "note", "ref": "future", "text": "x"})
		ack, ev, others := c.ackAndEvent("future")
		assert.Empty(t, others, "nothing replayed")
		assert.Equal(t, ack.seq(), ev.seq())
	})

	t.Run("an oversized hello closes the connection", func(t *testing.T) {
		c := e.dial()
		c.sendRaw(`{"type":"hello","code":"` + strings.Repeat("A", 65<<10) + `","name":"I"}`)
		var ce *websocket.CloseError
		require.ErrorAs(t, c.closed(), &ce)
		assert.Equal(t, websocket.CloseMessageTooBig, ce.Code)
	})

	t.Run("an oversized message of many frames closes the connection", func(t *testing.T) {
		c, _ := e.participant(x.Teams["irt"], "Ines", 1<<40)
		w, err := c.conn.NextWriter(websocket.TextMessage)
		require.NoError(t, err)
		_, _ = w.Write([]byte(`{"type":"note","ref":"frames","text":"`))
		chunk := []byte(strings.Repeat("x", 4096))
		for range 20 {
			if _, err := w.Write(chunk); err != nil {
				break // the server may close before the last frame
			}
		}
		_ = w.Close()
		var ce *websocket.CloseError
		require.ErrorAs(t, c.closed(), &ce)
		assert.Equal(t, websocket.CloseMessageTooBig, ce.Code)
	})

	// Everything irt recorded: the first note and the one from the future, no more.
	var refs []string
	for _, ev := range e.logOf(x.ID) {
		if ev.Ref != "" {
			refs = append(refs, ev.Ref)
		}
	}
	assert.Equal(t, []string{"first", "future"}, refs)
	assertCarriesOn(t, e, x.ID, x.FacilitatorToken, bystander)
	assert.NotContains(t, e.logs.String(), "panic")
}

// TestHostileFlood: one participant sends as fast as it can with the default limits. It gets
// "slow down" past the burst; exactly what was acked is stored; another participant,
// connected throughout, carries on.
func TestHostileFlood(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	bystander, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	flood, _ := e.participant(x.Teams["irt"], "Ines", 1<<40)
	const n = 300
	go func() {
		for i := range n {
			if flood.conn.WriteJSON(msg{"type": "note", "ref": fmt.Sprint("f", i), "text": "spam"}) != nil {
				return
			}
		}
	}()
	acked, slowed := map[string]int64{}, 0
	for len(acked)+slowed < n {
		m := flood.next()
		switch m.str("type") {
		case "ack":
			acked[m.str("ref")] = m.seq()
		case "error":
			require.Contains(t, m.str("error"), "slow down", "%v", m)
			slowed++
		}
	}
	assert.GreaterOrEqual(t, len(acked), 50, "the burst is served")
	assert.Positive(t, slowed, "the flood is slowed down")
	stored := map[string]int64{}
	for _, ev := range e.logOf(x.ID) {
		if ev.Team == "irt" && ev.Ref != "" {
			stored[ev.Ref] = ev.Seq
		}
	}
	assert.Equal(t, acked, stored, "exactly the acked notes are stored")
	assertCarriesOn(t, e, x.ID, x.FacilitatorToken, bystander)
}
