package wstest_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/web/wstest"
)

func TestCheckLog(t *testing.T) {
	events := []engine.Event{
		{Seq: 1, Kind: engine.KindExerciseStarted},
		{Seq: 2, Kind: engine.KindNote, Team: "red", Name: "r", Ref: "r-1"},
		{Seq: 3, Kind: engine.KindNote, Team: "blue", Name: "b", Ref: "b-1"},
	}
	participant := func(team, name string, acked map[string]int64, feed ...int64) *wstest.Participant {
		p := wstest.NewParticipant(team, name, "", nil, nil, rand.New(rand.NewPCG(1, 1)), 0)
		p.Acked = acked
		for _, seq := range feed {
			p.Feed = append(p.Feed, wstest.FeedEvent{Seq: seq, Kind: events[seq-1].Kind})
		}
		return p
	}
	red := participant("red", "r", map[string]int64{"r-1": 2}, 1, 2)
	blue := participant("blue", "b", map[string]int64{"b-1": 3}, 1, 3)
	assert.Empty(t, wstest.CheckLog(events, []*wstest.Participant{red, blue}))

	for name, c := range map[string]struct {
		ps   []*wstest.Participant
		want string
	}{
		"acked under another seq": {
			[]*wstest.Participant{participant("red", "r", map[string]int64{"r-1": 3}, 1, 2), blue},
			"r's r-1 was acked with seq 3 and is stored at [2]"},
		"acked, not stored": {
			[]*wstest.Participant{participant("red", "r", map[string]int64{"r-1": 2, "r-2": 4}, 1, 2), blue},
			"r's r-2 was acked with seq 4 and is stored at []"},
		"stored, not acked": {
			[]*wstest.Participant{participant("red", "r", map[string]int64{}, 1, 2), blue},
			"r's r-1 is stored at [2] but was never acked"},
		"a gap in the feed": {
			[]*wstest.Participant{participant("red", "r", map[string]int64{"r-1": 2}, 2), blue},
			"r's feed (1 events over 0 connections) is not the log filtered to red (2 events): at 0, 2 note where the log has 1 exercise_started"},
		"another team's event in the feed": {
			[]*wstest.Participant{red, participant("blue", "b", map[string]int64{"b-1": 3}, 1, 2, 3)},
			"b's feed (3 events over 0 connections) is not the log filtered to blue (2 events): at 1, 2 note where the log has 3 note"},
	} {
		assert.Equal(t, []string{c.want}, wstest.CheckLog(events, c.ps), name)
	}
}
