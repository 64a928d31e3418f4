package kit

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Fit pads or cuts s to exactly w terminal cells, measuring display width
// (a Hangul syllable is two cells), so columns line up in any language.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if gap := w - lipgloss.Width(s); gap > 0 {
		s += strings.Repeat(" ", gap)
	}
	return s
}

// FitLeft is fit with the text pushed to the right edge.
func FitLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if gap := w - lipgloss.Width(s); gap > 0 {
		s = strings.Repeat(" ", gap) + s
	}
	return s
}

// ClipLines cuts every line of s to w cells and keeps at most h lines, so a
// pane never draws outside its box however small the terminal is.
func ClipLines(s string, w, h int) string {
	return clipEach(s, w, h, func(l string) string { return clipLine(l, w) })
}

// clipEach keeps the first h lines of s, each as clip gives it.
func clipEach(s string, w, h int, clip func(string) string) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = clip(l)
	}
	return strings.Join(lines, "\n")
}

// clipLine cuts a line to w cells.
func clipLine(l string, w int) string {
	if lipgloss.Width(l) > w {
		return ansi.Truncate(l, w, "")
	}
	return l
}

// Wrap breaks text at spaces to w cells, breaking long words (Korean text
// often has long runs without spaces) where needed.
func Wrap(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Wrap(s, w, "")
}

// Won writes an amount of money the Korean way: 1,234,000원 or ₩1,234,000.
func Won(t Text, n int64) string {
	if t.Lang == Korean {
		return Thousands(n) + "원"
	}
	return "₩" + Thousands(n)
}

// Thousands writes n with comma separators.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// InputView is a text input's line. The input pads a placeholder with wide
// characters (any Korean) by slicing its runes to the placeholder's width
// in cells, which reaches past its end: one NUL byte a wide character went
// to the terminal, which drew some of them as cells and wrapped the line.
// The NULs are dropped; the pane pads the line.
func InputView(ti textinput.Model) string {
	return strings.ReplaceAll(ti.View(), "\x00", "")
}

// Unread is a cell of a row not read yet: the first column says so.
func Unread(col int) string {
	if col == 0 {
		return "  …"
	}
	return ""
}
