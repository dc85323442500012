package msel_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scenarios/msel"
)

// readXLSX is openpyxl's reading of a workbook (Debian's python3-openpyxl, for
// /usr/bin/python3): every sheet's cells as text, its frozen cell and its filter.
const readXLSX = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "cells": {}, "freeze": {}, "filter": {}, "wrap": {}}
for ws in wb.worksheets:
    out["cells"][ws.title] = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
    out["freeze"][ws.title] = ws.freeze_panes
    out["filter"][ws.title] = ws.auto_filter.ref
    out["wrap"][ws.title] = bool(ws.max_row > 1 and ws.cell(row=2, column=1).alignment.wrap_text)
print(json.dumps(out))
`

type xlsxContent struct {
	Sheets []string              `json:"sheets"`
	Cells  map[string][][]string `json:"cells"`
	Freeze map[string]string     `json:"freeze"`
	Filter map[string]string     `json:"filter"`
	Wrap   map[string]bool       `json:"wrap"`
}

// TestXLSXReadByOpenpyxl: a reader that is not ttx's own reads back the same cells of every
// sheet of every bundled scenario's workbook: the header row, one row per inject, the
// Scenario and Plan sheets; each header row frozen and filtered, the text wrapped.
func TestXLSXReadByOpenpyxl(t *testing.T) {
	set := mustLibrary(t)
	for name, sc := range set.Scenarios {
		t.Run(name, func(t *testing.T) {
			data := mustExport(t, set, name, "xlsx")
			path := filepath.Join(t.TempDir(), "msel.xlsx")
			require.NoError(t, os.WriteFile(path, data, 0o644))
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, "/usr/bin/python3", "-c", readXLSX, path).CombinedOutput()
			require.NoError(t, err, "openpyxl (apt-get install python3-openpyxl): %s", out)
			var got xlsxContent
			require.NoError(t, json.Unmarshal(out, &got), "%s", out)

			assert.Equal(t, []string{msel.SheetMSEL, msel.SheetScenario, msel.SheetPlan}, got.Sheets)
			want := msel.Export(sc, set.Files)
			rows := got.Cells[msel.SheetMSEL]
			require.Len(t, rows, len(sc.Injects)+1, "a header row and one row per inject")
			assert.Equal(t, msel.Headers(), rows[0])
			assert.Equal(t, want.MSEL, rows)
			assert.Equal(t, want.Scenario, got.Cells[msel.SheetScenario])
			assert.Equal(t, want.Plan, got.Cells[msel.SheetPlan])
			assert.Contains(t, got.Cells[msel.SheetScenario], []string{"duration", scenarios.ShortDuration(sc.Duration)})
			for _, s := range got.Sheets {
				assert.Equal(t, "A2", got.Freeze[s], "sheet %s", s)
				assert.NotEmpty(t, got.Filter[s], "sheet %s", s)
				assert.True(t, got.Wrap[s], "sheet %s", s)
			}
		})
	}
}
