package msel

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Diagnostic is one problem of an imported MSEL, at the cell it comes from: in an XLSX its
// sheet and cell ("MSEL!F12"), in a CSV its record (the header is record 1) and field, both
// counted from 1. Row and Col are 0 for a problem of the whole sheet or file; Col alone is 0
// for one of a whole row.
type Diagnostic struct {
	Warning bool
	File    string
	Sheet   string // "" in a CSV
	Row     int
	Col     int
	Message string
}

// Position is where the diagnostic points, as design/interop.md writes it:
// "msel.xlsx: MSEL!F12" or "msel.csv:12:6".
func (d Diagnostic) Position() string {
	switch {
	case d.Sheet == "" && d.Row > 0 && d.Col > 0:
		return fmt.Sprintf("%s:%d:%d", d.File, d.Row, d.Col)
	case d.Sheet == "" && d.Row > 0:
		return fmt.Sprintf("%s:%d", d.File, d.Row)
	case d.Sheet == "":
		return d.File
	case d.Row > 0 && d.Col > 0:
		cell, _ := excelize.CoordinatesToCellName(d.Col, d.Row)
		return fmt.Sprintf("%s: %s!%s", d.File, d.Sheet, cell)
	case d.Row > 0:
		return fmt.Sprintf("%s: %s!%d:%d", d.File, d.Sheet, d.Row, d.Row)
	default:
		return fmt.Sprintf("%s: %s", d.File, d.Sheet)
	}
}

// String is the diagnostic as the command line prints it: position, then "warning: " for a
// warning, then the message.
func (d Diagnostic) String() string {
	if d.Warning {
		return d.Position() + ": warning: " + d.Message
	}
	return d.Position() + ": " + d.Message
}

// Diagnostics are the problems of one import, in the order of the file.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Error joins the diagnostics one a line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// cellPos is a place in the file an import reads: a sheet (or "" in a CSV), a row and a column.
type cellPos struct {
	sheet    string
	row, col int
}

// reporter collects an import's diagnostics for one file.
type reporter struct {
	file  string
	diags Diagnostics
}

func (r *reporter) errorf(at cellPos, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{File: r.file, Sheet: at.sheet, Row: at.row, Col: at.col, Message: fmt.Sprintf(format, args...)})
}

func (r *reporter) warnf(at cellPos, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Warning: true, File: r.file, Sheet: at.sheet, Row: at.row, Col: at.col, Message: fmt.Sprintf(format, args...)})
}

// sorted returns the diagnostics by sheet, row and column, keeping the order of those at one
// place, so that output follows the file whatever order the checks ran in.
func (r *reporter) sorted() Diagnostics {
	out := append(Diagnostics(nil), r.diags...)
	sortStable(out)
	return out
}
