// Package clean makes text that comes from data (names, notes, reasons,
// the cells and headers of an imported file) safe to show on a terminal:
// a name that holds an escape sequence could otherwise draw a fake link,
// recolour the screen or move the cursor, and a newline would split a row.
// It is a leaf: the console, the import and the command line all use it.
//
// What happens to each kind of character:
//   - C0 controls and DEL are shown as their Unicode control pictures
//     (ESC as ␛, BEL as ␇), so a hostile name is visibly hostile;
//   - C1 controls (U+0080–U+009F, which some terminals read as ESC [) and
//     invalid UTF-8 become U+FFFD;
//   - bidirectional overrides and isolates, and zero-width characters, are
//     removed: they reorder or hide what the agent reads;
//   - a tab is a space; a newline, in one line, is ⏎ (Line) or a real line
//     break where text is shown in full (Text); a carriage return before a
//     newline is dropped, elsewhere it is ␍.
package clean

import (
	"strings"
	"unicode/utf8"
)

// Line makes data drawable in one line.
func Line(s string) string { return clean(s, false) }

// Text makes data drawable over several lines.
func Text(s string) string { return clean(s, true) }

// Excerpt is Line cut to at most n characters (…), for a message that
// quotes what a file held: a short, safe excerpt, never the whole cell.
func Excerpt(s string, n int) string {
	s = Line(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(0, n-1)]) + "…"
}

func clean(s string, multiline bool) string {
	if isPlain(s) {
		return s // the common case: nothing to do, nothing allocated
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		next := i + size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteString("⏎")
			}
		case r == '\r':
			if next < len(s) && s[next] == '\n' {
				break // CRLF is a newline
			}
			b.WriteRune('\u240D')
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀ … ␟
		case r == 0x7f:
			b.WriteRune('\u2421') // ␡
		case r >= 0x80 && r < 0xa0:
			b.WriteRune('\uFFFD')
		case invisible(r):
		default:
			b.WriteString(s[i:next])
		}
		i = next
	}
	return b.String()
}

// isPlain reports whether s has nothing clean would change.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size <= 1) || (r >= 0x80 && r < 0xa0) || invisible(r) {
				return false
			}
			i += size - 1
		}
	}
	return true
}

// invisible reports the characters that change how text around them is
// ordered or hide themselves: bidi marks, embeddings, overrides and
// isolates; zero-width spaces and joiners; the byte-order mark; line and
// paragraph separators.
func invisible(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f: // Arabic letter mark, LRM, RLM
		return true
	case r >= 0x200b && r <= 0x200d: // zero-width space, non-joiner, joiner
		return true
	case r >= 0x2028 && r <= 0x202e: // separators, embeddings, overrides
		return true
	case r >= 0x2060 && r <= 0x2069: // word joiner … isolates
		return true
	case r == 0xfeff:
		return true
	}
	return false
}

// Invisible reports the characters Line and Text remove: those that
// reorder or hide the text around them.
func Invisible(r rune) bool { return invisible(r) }
