package scoring

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds how the human forms of the report (HTML, Markdown, CSV title columns, the
// charts) name things and write times (scoring.md v2, "Precisions": human forms): teams,
// capabilities and actions by their titles, simulated times to the second.

// CapabilityTitle is a capability's title: its label with spaces for underscores and a
// capital first letter ("crisis_decisions" is "Crisis decisions").
func CapabilityTitle(label string) string {
	s := strings.ReplaceAll(label, "_", " ")
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// NoCapabilityTitle heads what names no capability (observations, decisions) wherever the
// report groups by capability.
const NoCapabilityTitle = "No capability named"

// HumanDuration writes a simulated duration truncated to the second: 4m52s, 1h0m0s.
func HumanDuration(d time.Duration) string { return d.Truncate(time.Second).String() }

// HumanTime writes a simulated time since the start, truncated to the second: T+0:04:52.
func HumanTime(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("T%s%d:%02d:%02d", sign, s/3600, s/60%60, s%60)
}

// teamTitle is a team's title from the report's exercise, else its name.
func (r Report) teamTitle(name string) string {
	for _, t := range r.Exercise.Teams {
		if t.Name == name && t.Title != "" {
			return t.Title
		}
	}
	return name
}

// teamTitles writes the titles of teams, in order, separated by commas.
func (r Report) teamTitles(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = r.teamTitle(n)
	}
	return strings.Join(out, ", ")
}

// itemTitle is an item's title, else its name.
func itemTitle(it Item) string {
	if it.Title != "" && it.Kind == KindAction {
		return it.Title
	}
	return it.ID
}

// optHumanTime is HumanTime of a time that may be missing (an open item's record), "—" then.
func optHumanTime(d *Duration) string {
	if d == nil {
		return "—"
	}
	return HumanTime(time.Duration(*d))
}

// itemName is an item's title (an action's, from the report's items), else its name.
func (r Report) itemName(kind, id string) string {
	for _, it := range r.Items {
		if it.Kind == kind && it.ID == id {
			return itemTitle(it)
		}
	}
	return id
}
