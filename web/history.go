package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// What is kept in the store for an ended exercise (facilitator.Manager.Keep), by name: its
// readiness row (which the review list reads too), its reports by format and its charts. An
// ended exercise that is not in memory is served from them, byte for byte what it was
// rendered as, without being loaded (issue 17).
const keptRow = "row"

func keptReport(format string) string { return "report." + format }

func keptChart(chart string) string { return "chart." + chart }

// seqOfKey is the seq of a scored key ("ID@SEQ", scored).
func seqOfKey(key string) int64 {
	_, seq, _ := strings.Cut(key, "@")
	n, _ := strconv.ParseInt(seq, 10, 64)
	return n
}

// keep keeps body under name for exercise x, scored from its log up to key (scored); nothing
// for an exercise that has not ended (key "").
func (s *Server) keep(x *facilitator.Listed, key, name string, body []byte) {
	if key == "" {
		return
	}
	s.m.Keep(facilitator.Filed{ID: x.ID(), Ended: true, LastSeq: seqOfKey(key)}, name, body)
}

// kept returns the bytes kept under name for exercise id when it has ended and is not in
// memory; else it renders them from the exercise, loading it if need be, with render, which
// keeps them (keep) once computed.
func (s *Server) kept(id, name string, render func(x *facilitator.Listed) ([]byte, error)) ([]byte, facilitator.Filed, error) {
	f, filed := s.m.FiledExercise(id)
	if _, inMemory := s.m.InMemory(id); filed && !inMemory {
		if b, ok := s.m.Kept(f, name); ok {
			return b, f, nil
		}
	}
	x, err := s.m.Exercise(id)
	if err != nil {
		return nil, f, err
	}
	b, err := render(x)
	if err != nil {
		return nil, f, err
	}
	f, _ = s.m.FiledExercise(id)
	return b, f, nil
}

// rowOf returns the readiness row of the ended exercise f: scored when it is in memory, from
// kept (the rows the store keeps, KeptAll) when it is not and the row is current, else loaded,
// scored and kept.
func (s *Server) rowOf(f facilitator.Filed, kept map[string]engine.Derived) (scoring.ReadinessRow, error) {
	x, inMemory := s.m.InMemory(f.ID)
	if !inMemory {
		if d, ok := kept[f.ID]; ok && d.Seq == f.LastSeq {
			var row scoring.ReadinessRow
			if err := json.Unmarshal(d.Body, &row); err == nil {
				return row, nil
			}
		}
		var err error
		if x, err = s.m.Exercise(f.ID); err != nil {
			return scoring.ReadinessRow{}, err
		}
	}
	r, key := s.scored(x)
	if key == "" {
		return scoring.RowOf(r), nil
	}
	v, err := s.memo.get(memoKey("row", key), func() (any, error) {
		row := scoring.RowOf(r)
		if d, ok := kept[f.ID]; !ok || d.Seq != seqOfKey(key) {
			if body, err := json.Marshal(row); err == nil {
				s.keep(x, key, keptRow, body)
			}
		}
		return row, nil
	})
	if err != nil {
		return scoring.ReadinessRow{}, err
	}
	return v.(scoring.ReadinessRow), nil
}

// keptReview is the name of an ended exercise's review-list row: the few fields of its
// readiness row the list shows, so that a list that spans history decodes little.
const keptReview = "review"

// reviewRow is what the review list shows of an exercise's report.
type reviewRow struct {
	ScenarioTitle string     `json:"scenario_title"`
	PlanTitle     string     `json:"plan_title"`
	PlanVersion   string     `json:"plan_version"`
	StartedAt     *time.Time `json:"started_at"`
	EndedAt       *time.Time `json:"ended_at"`
	Elapsed       string     `json:"elapsed"`
	Overall       *float64   `json:"overall"`
	Rating        string     `json:"rating"`
	Gaps          int        `json:"gaps"`
}

// reviewRowOf returns the review-list row of the ended exercise f: from kept (the review rows
// the store keeps) when it is not in memory and the row is current, else from its readiness
// row (rowOf), kept once computed.
func (s *Server) reviewRowOf(f facilitator.Filed, kept map[string]engine.Derived) (reviewRow, error) {
	if _, inMemory := s.m.InMemory(f.ID); !inMemory {
		if d, ok := kept[f.ID]; ok && d.Seq == f.LastSeq {
			var row reviewRow
			if err := json.Unmarshal(d.Body, &row); err == nil {
				return row, nil
			}
		}
	}
	r, err := s.rowOf(f, nil)
	if err != nil {
		return reviewRow{}, err
	}
	row := reviewRow{ScenarioTitle: r.ScenarioTitle, PlanTitle: r.PlanTitle, PlanVersion: r.PlanVersion,
		StartedAt: r.StartedAt, EndedAt: r.EndedAt, Elapsed: r.Elapsed, Overall: r.Overall, Rating: r.Rating, Gaps: len(r.Gaps)}
	if now, ok := s.m.FiledExercise(f.ID); ok && now.Ended {
		if d, ok := kept[f.ID]; !ok || d.Seq != now.LastSeq {
			if body, err := json.Marshal(row); err == nil {
				s.m.Keep(now, keptReview, body)
			}
		}
	}
	return row, nil
}
