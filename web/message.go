package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ttx-dev/ttx/engine"
)

// Client message types of the WebSocket protocol (design/protocol.md).
const (
	TypeHello    = "hello"
	TypeAct      = "act"
	TypeChoose   = "choose"
	TypeEscalate = "escalate"
	TypeNote     = "note"
)

// Limits on what a client may send. Names and texts are checked by the engine's checks
// (engine.CheckName, engine.CheckText), at the edge as inside.
const (
	MaxMessageBytes = 64 << 10            // a WebSocket message or HTTP body
	MaxTextRunes    = engine.MaxTextRunes // text of an escalation, a note, an inject body, an observation
	MaxNameRunes    = engine.MaxNameRunes // names, refs, codes, subjects' parts
)

// ClientMessage is one decoded message from a WebSocket client. Only the fields of its Type
// are set.
type ClientMessage struct {
	Type string
	Ref  string // act, choose, escalate, note: unique per client, echoed in the ack

	// hello: either Code and Name (a participant) or Token and Exercise (a facilitator).
	Code     string
	Name     string
	Token    string
	Exercise string
	Since    int64
	// Participant is the id a participant's earlier welcome gave it (protocol.md v2), or "".
	Participant string

	Action   string // act
	Decision string // choose
	Option   string // choose
	To       string // escalate
	Text     string // escalate, note, answer

	Question string           // answer (v2)
	Feedback *engine.Feedback // feedback (v2)
}

// The wire shapes, one per type, decoded strictly: an unknown field is an error.
type (
	helloMessage struct {
		Type        string `json:"type"`
		Code        string `json:"code"`
		Name        string `json:"name"`
		Token       string `json:"token"`
		Exercise    string `json:"exercise"`
		Since       int64  `json:"since"`
		Participant string `json:"participant"`
	}
	actMessage struct {
		Type   string `json:"type"`
		Ref    string `json:"ref"`
		Action string `json:"action"`
	}
	chooseMessage struct {
		Type     string `json:"type"`
		Ref      string `json:"ref"`
		Decision string `json:"decision"`
		Option   string `json:"option"`
	}
	escalateMessage struct {
		Type string `json:"type"`
		Ref  string `json:"ref"`
		To   string `json:"to"`
		Text string `json:"text"`
	}
	noteMessage struct {
		Type string `json:"type"`
		Ref  string `json:"ref"`
		Text string `json:"text"`
	}
)

// DecodeClientMessage decodes and checks one client message. On error it returns an
// *engine.Error (code EInvalid) whose message names the problem, together with as much of
// the message as could be read (Type and Ref, so that the error can be matched to the ref).
func DecodeClientMessage(data []byte) (ClientMessage, error) {
	if !utf8.Valid(data) {
		return ClientMessage{}, invalid("the message is not valid UTF-8")
	}
	var head struct {
		Type json.RawMessage `json:"type"`
		Ref  json.RawMessage `json:"ref"`
	}
	// The first value only: trailing data is reported below, with the ref.
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		return ClientMessage{}, invalid("the message is not a JSON object: %s", jsonProblem(err))
	}
	var m ClientMessage
	// Read type and ref leniently first, so that an error about another field can still
	// carry the ref.
	_ = json.Unmarshal(head.Ref, &m.Ref)
	if len(head.Type) == 0 || string(head.Type) == "null" {
		return m, invalid(`the message has no "type"; use one of ` + messageTypes)
	}
	if err := json.Unmarshal(head.Type, &m.Type); err != nil {
		return m, invalid(`"type" must be a string: one of ` + messageTypes)
	}
	if !validRef(m.Ref) {
		m.Ref = "" // never echo a ref that is not one
	}

	switch m.Type {
	case TypeHello:
		var h helloMessage
		if err := decodeStrict(data, &h); err != nil {
			return m, err
		}
		m.Code, m.Name, m.Token, m.Exercise, m.Since, m.Participant = h.Code, h.Name, h.Token, h.Exercise, h.Since, h.Participant
		return m, checkHello(m)
	case TypeAct:
		var a actMessage
		if err := decodeStrict(data, &a); err != nil {
			return m, err
		}
		m.Action = a.Action
		return m, firstError(checkRef(a.Ref), checkName("action", m.Action))
	case TypeChoose:
		var c chooseMessage
		if err := decodeStrict(data, &c); err != nil {
			return m, err
		}
		m.Decision, m.Option = c.Decision, c.Option
		return m, firstError(checkRef(c.Ref), checkName("decision", m.Decision), checkName("option", m.Option))
	case TypeEscalate:
		var e escalateMessage
		if err := decodeStrict(data, &e); err != nil {
			return m, err
		}
		m.To, m.Text = e.To, e.Text
		return m, firstError(checkRef(e.Ref), checkName("to", m.To), checkText("text", m.Text, true))
	case TypeNote:
		var n noteMessage
		if err := decodeStrict(data, &n); err != nil {
			return m, err
		}
		m.Text = n.Text
		return m, firstError(checkRef(n.Ref), checkText("text", m.Text, true))
	case TypeAnswer:
		return m, decodeAnswer(data, &m)
	case TypeFeedback:
		return m, decodeFeedback(data, &m)
	default:
		return m, invalid("unknown message type %q; use one of %s", truncate(m.Type), messageTypes)
	}
}

func checkHello(m ClientMessage) error {
	if m.Since < 0 {
		return invalid(`"since" must be 0 or the last seq you saw, not %d`, m.Since)
	}
	switch {
	case m.Code != "" && m.Token != "":
		return invalid(`a hello carries either "code" (a participant) or "token" (a facilitator), not both`)
	case m.Code != "":
		if m.Exercise != "" {
			return invalid(`a participant's hello names no "exercise": the join code says which`)
		}
		err := firstError(checkName("code", m.Code), checkName("name", m.Name))
		if err == nil && m.Participant != "" {
			err = checkName("participant", m.Participant)
		}
		return err
	case m.Token != "":
		if m.Name != "" {
			return invalid(`a facilitator's hello carries no "name"`)
		}
		if m.Participant != "" {
			return invalid(`a facilitator's hello carries no "participant"`)
		}
		return firstError(checkName("token", m.Token), checkName("exercise", m.Exercise))
	default:
		return invalid(`a hello needs "code" and "name" (a participant) or "token" and "exercise" (a facilitator)`)
	}
}

// decodeStrict decodes exactly one JSON object into v, refusing unknown fields, wrong types
// and trailing data.
func decodeStrict(data []byte, v any) error {
	return decodeJSON(data, v)
}

// decodeJSON is the one strict JSON decoder of the package, for WebSocket messages and HTTP
// bodies alike. Errors are EInvalid and name the field. Keys are matched exactly
// (exactKeys): encoding/json alone would let "TEXT" fill, or override, "text".
func decodeJSON(data []byte, v any) error {
	if err := decodeLoose(data, v); err != nil {
		return err
	}
	return exactKeys(data, v)
}

// exactKeys refuses a key of the JSON object data that is not exactly the JSON name of a
// field of the struct v points to (encoding/json matches names without regard to case).
func exactKeys(data []byte, v any) error {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(data, &keys) != nil {
		return nil // not an object: decodeLoose has said what is wrong, or it was null
	}
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if !names[k] {
			return invalid("unknown field %q; remove it (field names are matched exactly)", truncate(k))
		}
	}
	return nil
}

// decodeLoose decodes data into v strictly but for the case of keys.
func decodeLoose(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if isTooLarge(err) {
			return errTooLarge
		}
		if errors.Is(err, io.EOF) {
			return errEmptyBody
		}
		return invalid("%s", jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if isTooLarge(err) {
			return errTooLarge
		}
		return invalid("there is more after the JSON object; send exactly one")
	}
	return nil
}

// jsonProblem turns an encoding/json error into a sentence that names the field.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("expected a JSON object, got %s", typ.Value)
		}
		if n, isNumber := strings.CutPrefix(typ.Value, "number "); isNumber {
			return fmt.Sprintf("%q must be %s, not %s", typ.Field, jsonTypeName(typ.Type.Kind().String()), truncate(n))
		}
		return fmt.Sprintf("%q must be %s, not a %s", typ.Field, jsonTypeName(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: it ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("unknown field %s; remove it", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32":
		return "a whole number"
	case "float64", "float32":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	default:
		return "of another type"
	}
}

func checkRef(ref string) error {
	if ref == "" {
		return invalid(`"ref" is required: a string unique for your connection, echoed in the ack`)
	}
	if !validRef(ref) {
		return invalid(`"ref" must be at most %d characters without control characters`, MaxNameRunes)
	}
	return nil
}

func validRef(ref string) bool {
	return ref != "" && engine.CheckName("ref", ref, true) == nil
}

// checkName checks a required short string (a name, a code, a token): engine.CheckName.
func checkName(field, s string) error { return engine.CheckName(field, s, true) }

// checkText checks a free text: engine.CheckText.
func checkText(field, s string, required bool) error { return engine.CheckText(field, s, required) }

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func invalid(format string, args ...any) *engine.Error {
	return engine.Errorf(engine.EInvalid, format, args...)
}

// truncate shortens a client-supplied string before it is quoted in an error.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
