package msel

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes wb as a workbook: the MSEL sheet with a frozen, filtered header row,
// wrapped text and column widths that fit, then the Scenario and Plan sheets.
func WriteXLSX(w io.Writer, wb Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetMSEL); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	widths := make([]float64, len(columns))
	for i, c := range columns {
		widths[i] = c.width
	}
	if err := writeSheet(f, SheetMSEL, wb.MSEL, widths); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetScenario); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := writeSheet(f, SheetScenario, wb.Scenario, []float64{34, 80}); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetPlan); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := writeSheet(f, SheetPlan, wb.Plan, []float64{9, 28, 48, 20, 14, 22, 7, 36}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// writeSheet writes rows (a header first) to sheet, its header bold, frozen and filtered.
func writeSheet(f *excelize.File, sheet string, rows [][]string, widths []float64) error {
	if len(rows) == 0 {
		return nil
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return fmt.Errorf("xlsx: %s!%s: %w", sheet, cell, err)
			}
		}
	}
	ncol := len(rows[0])
	last, _ := excelize.CoordinatesToCellName(ncol, 1)
	lastCol, _ := excelize.ColumnNumberToName(ncol)
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDE4EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.SetCellStyle(sheet, "A1", last, header); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if len(rows) > 1 {
		end, _ := excelize.CoordinatesToCellName(ncol, len(rows))
		if err := f.SetCellStyle(sheet, "A2", end, body); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	for c := 0; c < ncol && c < len(widths); c++ {
		name, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, name, name, widths[c]); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	end, _ := excelize.CoordinatesToCellName(ncol, max(len(rows), 2))
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return fmt.Errorf("xlsx: autofilter A1:%s%d: %w", lastCol, len(rows), err)
	}
	return nil
}

// WriteCSV writes the MSEL sheet of wb as CSV, a header record first.
func WriteCSV(w io.Writer, wb Workbook) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(wb.MSEL); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// maxFileSize bounds what ReadXLSX and ReadCSV read: an MSEL is a few hundred rows.
const maxFileSize = 32 << 20

// sheet is one table read back: its name ("" in a CSV) and its rows of cells, row i being the
// file's row (or record) i+1.
type sheet struct {
	name string
	rows [][]string
}

// readXLSX reads the MSEL and Scenario sheets of a workbook. The MSEL sheet is the one named
// so, else the first one.
func readXLSX(data []byte, r *reporter) (msel, scen *sheet) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		r.errorf(cellPos{}, "not an XLSX workbook (%v); save the MSEL from your spreadsheet as .xlsx, or as .csv", shortErr(err))
		return nil, nil
	}
	defer f.Close()
	list := f.GetSheetList()
	name := list[0]
	for _, s := range list {
		if s == SheetMSEL {
			name = s
		}
	}
	rows, err := f.GetRows(name)
	if err != nil {
		r.errorf(cellPos{sheet: name}, "cannot read the sheet: %v", err)
		return nil, nil
	}
	msel = &sheet{name: name, rows: rows}
	for _, s := range list {
		if s == SheetScenario {
			rows, err := f.GetRows(s)
			if err != nil {
				r.errorf(cellPos{sheet: s}, "cannot read the sheet: %v", err)
				return msel, nil
			}
			scen = &sheet{name: s, rows: rows}
		}
	}
	return msel, scen
}

// readCSV reads a CSV MSEL: any number of fields a record, a UTF-8 byte-order mark ignored.
func readCSV(data []byte, r *reporter) *sheet {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.errorf(cellPos{row: pe.Line, col: pe.Column}, "not CSV: %v", pe.Err)
			return nil
		}
		if err != nil {
			r.errorf(cellPos{}, "cannot read: %v", err)
			return nil
		}
		rows = append(rows, rec)
	}
	return &sheet{rows: rows}
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

func sortStable(ds Diagnostics) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Sheet != b.Sheet {
			return sheetRank(a.Sheet) < sheetRank(b.Sheet)
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Col < b.Col
	})
}

// sheetRank orders diagnostics: the whole file first, then the Scenario sheet, then the MSEL.
func sheetRank(s string) int {
	switch s {
	case "":
		return 0
	case SheetScenario:
		return 1
	}
	return 2
}
