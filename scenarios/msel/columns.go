// Package msel converts a scenario to and from the Master Scenario Events List that exercise
// planners keep as a spreadsheet (design/interop.md): one row per inject, in XLSX (with the
// scenario's own fields in a Scenario sheet and the plan beside it for reference) or CSV.
//
// Export turns a loaded scenario into rows; Import turns rows back into a scenario in
// canonical HCL layout and checks it by loading it against its plan, so that every problem is
// a Diagnostic naming the cell it comes from. The package builds only on scenarios.
package msel

import (
	"strings"
)

// The columns of design/interop.md, by their canonical header, in the order Export writes them.
const (
	ColNumber      = "#"
	ColInject      = "Inject"
	ColModule      = "Module"
	ColTime        = "Time"
	ColAfter       = "After"
	ColDelay       = "Delay"
	ColWallClock   = "Wall clock"
	ColFrom        = "From"
	ColTo          = "To"
	ColChannel     = "Channel"
	ColSubject     = "Subject"
	ColBody        = "Body"
	ColSeverity    = "Severity"
	ColCondition   = "Condition"
	ColTriggers    = "Expected action"
	ColPrompts     = "Prompts"
	ColDecision    = "Decision"
	ColPrompt      = "Prompt"
	ColOptions     = "Options"
	ColExpected    = "Expected"
	ColCredit      = "Credit"
	ColDecidedBy   = "Decided by"
	ColDecisionDue = "Decision due"
	ColDefault     = "Default"
	ColDecisionCap = "Decision capability"
	ColDecisionPh  = "Decision phase"
	ColDecisionWt  = "Decision weight"
	ColQuestions   = "Questions"
	ColObjective   = "Objective"
	ColNotes       = "Notes"
)

// column is one column of the MSEL: its header, the other headers planners' sheets give it,
// and whether import reads it (Wall clock and Objective are derived, export only).
type column struct {
	header     string
	synonyms   []string
	exportOnly bool
	width      float64 // in the XLSX, in characters
}

// columns are every column, in export order.
var columns = []column{
	{header: ColNumber, synonyms: []string{"Event #", "Inject #", "No."}, width: 5},
	{header: ColInject, synonyms: []string{"Name", "ID"}, width: 22},
	{header: ColModule, width: 14},
	{header: ColTime, synonyms: []string{"Scenario Time", "Exercise Time", "T+"}, width: 10},
	{header: ColAfter, width: 22},
	{header: ColDelay, width: 8},
	{header: ColWallClock, exportOnly: true, width: 18},
	{header: ColFrom, width: 24},
	{header: ColTo, synonyms: []string{"Recipient", "Player"}, width: 18},
	{header: ColChannel, synonyms: []string{"Mode", "Delivery method"}, width: 9},
	{header: ColSubject, synonyms: []string{"Event", "Inject title"}, width: 36},
	{header: ColBody, synonyms: []string{"Description", "Message"}, width: 60},
	{header: ColSeverity, width: 12},
	{header: ColCondition, synonyms: []string{"When"}, width: 30},
	{header: ColTriggers, synonyms: []string{"Expected Player Action", "Triggers"}, width: 28},
	{header: ColPrompts, width: 22},
	{header: ColDecision, width: 16},
	{header: ColPrompt, width: 36},
	{header: ColOptions, width: 36},
	{header: ColExpected, width: 12},
	{header: ColCredit, width: 16},
	{header: ColDecidedBy, width: 14},
	{header: ColDecisionDue, width: 10},
	{header: ColDefault, width: 12},
	{header: ColDecisionCap, width: 18},
	{header: ColDecisionPh, width: 14},
	{header: ColDecisionWt, width: 9},
	{header: ColQuestions, width: 36},
	{header: ColObjective, synonyms: []string{"Capability"}, exportOnly: true, width: 24},
	{header: ColNotes, synonyms: []string{"Controller notes", "Responsible controller"}, width: 36},
}

// requiredColumns are the columns an imported MSEL must have; a row says when it comes due
// through Time or After, so one of those two must be there as well.
var requiredColumns = []string{ColInject, ColTo, ColChannel}

// Headers returns the canonical headers in the order Export writes them.
func Headers() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.header
	}
	return out
}

// normalHeader is the form headers are matched in: lower case, inner spaces collapsed.
func normalHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// headerIndex maps every header and synonym, in normal form, to its canonical header.
var headerIndex = func() map[string]string {
	ix := map[string]string{}
	for _, c := range columns {
		ix[normalHeader(c.header)] = c.header
		for _, s := range c.synonyms {
			ix[normalHeader(s)] = c.header
		}
	}
	return ix
}()

// exportOnly reports whether import ignores the column with canonical header h.
func exportOnly(h string) bool {
	for _, c := range columns {
		if c.header == h {
			return c.exportOnly
		}
	}
	return false
}
