package tui

import (
	"strings"
	"unicode/utf8"
)

// Everything that comes from data (names, notes, reasons, subjects, agent
// names, tier and disposition labels) is hostile until it passes through
// safe or safeText on its way to the screen: a name that holds an escape
// sequence could otherwise draw a fake link, recolour the screen or move
// the cursor, and a newline would split a row of the queue.
//
// What happens to each kind of character:
//   - C0 controls and DEL are shown as their Unicode control pictures
//     (ESC as ␛, BEL as ␇), so a hostile name is visibly hostile;
//   - C1 controls (U+0080–U+009F, which some terminals read as ESC [) and
//     invalid UTF-8 become U+FFFD;
//   - bidirectional overrides and isolates, and zero-width characters, are
//     removed: they reorder or hide what the agent reads;
//   - a tab is a space; a newline, in a one-line cell, is ⏎ (safe) or a
//     real line break where a note is shown in full (safeText); a carriage
//     return before a newline is dropped, elsewhere it is ␍.

// Safe is safe for the command line's tables, which print data on the
// same terminals.
func Safe(s string) string { return safe(s) }

// safe makes data drawable in a one-line cell.
func safe(s string) string { return clean(s, false) }

// safeText makes data drawable where it is shown over several lines: a
// note in the 360's history.
func safeText(s string) string { return clean(s, true) }

// clean is safe (multiline false) or safeText (true).
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
