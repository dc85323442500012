package scoring

import (
	"io"
	"strings"

	"github.com/ttx-dev/ttx/engine"
)

// ContentTypes are the media types of the report formats Write knows, by format name, for
// serving them over HTTP.
var ContentTypes = map[string]string{
	"json":         "application/json; charset=utf-8",
	"md":           "text/markdown; charset=utf-8",
	"html":         "text/html; charset=utf-8",
	"csv":          "text/csv; charset=utf-8",
	"csv-timeline": "text/csv; charset=utf-8",
	// (v2) the other CSV tables, "csv-" + the table (CSVTables)
	"csv-objectives":   "text/csv; charset=utf-8",
	"csv-observations": "text/csv; charset=utf-8",
	"csv-answers":      "text/csv; charset=utf-8",
	"csv-feedback":     "text/csv; charset=utf-8",
	"docx":             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// Write writes r in format: "json", "md", "html", "csv" (one row per item) or
// "csv-timeline" (one row per event), "csv-" + another of CSVTables, or "docx" (the Word AAR/IP). An unknown format is an engine.EInvalid error that
// names the known ones.
func Write(w io.Writer, r Report, format string) error {
	switch format {
	case "json":
		return FormatJSON(w, r)
	case "md", "markdown":
		return FormatMarkdown(w, r)
	case "html":
		return FormatHTML(w, r)
	case "csv":
		return FormatCSV(w, r, CSVItems)
	case "csv-timeline", "csv-objectives", "csv-observations", "csv-answers", "csv-feedback":
		return FormatCSV(w, r, strings.TrimPrefix(format, "csv-"))
	case "docx":
		return FormatDOCX(w, r)
	}
	return engine.Errorf(engine.EInvalid, "format: unknown report format %q; choose one of %s", format, strings.Join(sortedKeys(ContentTypes), ", "))
}
