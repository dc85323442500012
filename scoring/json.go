package scoring

import (
	"encoding/json"
	"io"
)

// FormatJSON writes the report in its reference JSON form: indented, keys in a stable order
// (struct fields in declaration order, map keys sorted), so the same report gives the same
// bytes every time.
func FormatJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
