package wstest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/ttx-dev/ttx/engine"
)

// CheckLog holds participants to an exercise's stored log (events, in seq order) once they
// are done: none has a message unacked; every ref a participant was acked is in the log
// exactly once, under the seq of its ack; no response is in the log that no participant was
// acked; and each participant's feed is the log filtered to what its team may see, with no
// gap and no duplicate. It returns a sentence for each discrepancy, none when they agree.
func CheckLog(events []engine.Event, participants []*Participant) []string {
	return checkLog(events, participants, false)
}

// CheckLogSoFar is CheckLog for participants that stopped reading while the exercise ran on:
// each one's feed is held to the log up to the last seq it received (Participant.LastSeq),
// so that events stored after it left are not missing from its feed.
func CheckLogSoFar(events []engine.Event, participants []*Participant) []string {
	return checkLog(events, participants, true)
}

func checkLog(events []engine.Event, participants []*Participant, soFar bool) []string {
	audience := RecordOfLog(events)
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	type key struct{ team, name, ref string }
	stored := make(map[key][]int64)
	for _, e := range events {
		if e.Ref != "" {
			k := key{e.Team, e.Name, e.Ref}
			stored[k] = append(stored[k], e.Seq)
		}
	}
	for _, p := range participants {
		if n := p.Pending(); n > 0 {
			fail("%s ended with %d messages unacked", p.Name, n)
		}
		for _, ref := range slices.Sorted(maps.Keys(p.Acked)) {
			seq := p.Acked[ref]
			k := key{p.Team, p.Name, ref}
			if got := stored[k]; !slices.Equal(got, []int64{seq}) {
				fail("%s's %s was acked with seq %d and is stored at %v", p.Name, ref, seq, got)
			}
			delete(stored, k)
		}
		var want []FeedEvent
		for _, e := range events {
			if soFar && e.Seq > p.LastSeq {
				break
			}
			if e.VisibleTo(p.Team, audience) {
				want = append(want, FeedEvent{Seq: e.Seq, Kind: e.Kind})
			}
		}
		if !slices.Equal(want, p.Feed) {
			fail("%s's feed (%d events over %d connections) is not the log filtered to %s (%d events)%s",
				p.Name, len(p.Feed), p.Sessions, p.Team, len(want), firstDifference(want, p.Feed))
		}
	}
	for k, seqs := range stored {
		fail("%s's %s is stored at %v but was never acked", k.name, k.ref, seqs)
	}
	return problems
}

// firstDifference says where a feed first parts from what it should be.
func firstDifference(want, got []FeedEvent) string {
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			return fmt.Sprintf(": at %d, %d %s where the log has %d %s", i, got[i].Seq, got[i].Kind, want[i].Seq, want[i].Kind)
		}
	}
	return ""
}

// RecordOfLog returns what engine.Event.VisibleTo needs of an exercise, read from its log:
// the mode and teams in play its exercise_started logged (none before the start, or in a log
// written before v2: training, every team).
func RecordOfLog(events []engine.Event) engine.ExerciseRecord {
	for _, e := range events {
		if e.Kind == engine.KindExerciseStarted {
			return engine.ExerciseRecord{Mode: e.Mode, Teams: e.Teams}
		}
	}
	return engine.ExerciseRecord{}
}
