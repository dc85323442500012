package web

import "github.com/ttx-dev/ttx/engine"

// Client message types of protocol.md v2: an answer to a discussion question, and a
// participant's feedback form in the hot wash.
const (
	TypeAnswer   = "answer"
	TypeFeedback = "feedback"
)

// messageTypes lists every client message type, for the errors that name them.
const messageTypes = "hello, act, choose, escalate, note, answer, feedback"

type (
	answerMessage struct {
		Type     string `json:"type"`
		Ref      string `json:"ref"`
		Question string `json:"question"`
		Text     string `json:"text"`
	}
	feedbackMessage struct {
		Type         string         `json:"type"`
		Ref          string         `json:"ref"`
		Ratings      map[string]int `json:"ratings"`
		Strengths    string         `json:"strengths"`
		Improvements string         `json:"improvements"`
		Comment      string         `json:"comment"`
	}
)

// decodeAnswer decodes {"type": "answer", "ref", "question", "text"} into m. Whether the
// question was put to the team is the engine's to say.
func decodeAnswer(data []byte, m *ClientMessage) error {
	var a answerMessage
	if err := decodeStrict(data, &a); err != nil {
		return err
	}
	m.Question, m.Text = a.Question, a.Text
	return firstError(checkRef(a.Ref), checkName("question", m.Question), checkText("text", m.Text, true))
}

// decodeFeedback decodes HSEEP's participant feedback form into m. The ratings' statements
// and their 1–5 range are the engine's to check; the texts may be empty.
func decodeFeedback(data []byte, m *ClientMessage) error {
	var f feedbackMessage
	if err := decodeStrict(data, &f); err != nil {
		return err
	}
	m.Feedback = &engine.Feedback{Ratings: f.Ratings, Strengths: f.Strengths, Improvements: f.Improvements, Comment: f.Comment}
	for key := range f.Ratings {
		if err := checkName("ratings", key); err != nil {
			return err
		}
	}
	return firstError(checkRef(f.Ref), checkText("strengths", f.Strengths, false),
		checkText("improvements", f.Improvements, false), checkText("comment", f.Comment, false))
}
