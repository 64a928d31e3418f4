package main

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// writeColumns writes rows as left-aligned columns two spaces apart,
// measured in terminal cells: a Korean name takes two cells a syllable,
// where text/tabwriter counts one and the columns after it drift.
func writeColumns(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonOut writes v as one line of JSON, with <, > and & as they are (a
// reason or a name is data, not HTML).
func jsonOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
