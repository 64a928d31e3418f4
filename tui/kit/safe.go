package kit

import "github.com/dangol/dangol/clean"

// Everything that comes from data (names, notes, reasons, subjects, agent
// names, tier and disposition labels) is hostile until it passes through
// Safe or safeText on its way to the screen (see package clean).

// Safe makes data drawable in a one-line cell: the console's and the
// command line's tables, which print data on the same terminals.
func Safe(s string) string { return clean.Line(s) }

// SafeText makes data drawable where it is shown over several lines: a
// note in the 360's history.
func SafeText(s string) string { return clean.Text(s) }
