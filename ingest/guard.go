package ingest

import (
	"bufio"
	"io"
)

// MaxRecord is the longest record (a line, or the lines of one quoted
// field) a file may hold; a longer one is cut at this length, and its row
// is an error of its own: a file that never ends a line (or a quote)
// costs the reader this much memory, never the whole file.
const MaxRecord = 1 << 20

// guard reads a file for the CSV reader, record by record as far as
// quotes tell: a record longer than MaxRecord is cut (its quote closed)
// and the rest of it skipped up to the next line outside quotes; the lines
// where that happened are remembered for the rows they belong to.
type guard struct {
	r       *bufio.Reader
	line    int  // the line being read, from 1
	quoted  bool // inside a quoted field
	record  int  // bytes of the record so far
	cut     map[int]bool
	pending []byte // what is handed out next, before reading on
}

func newGuard(r io.Reader) *guard {
	return &guard{r: bufio.NewReaderSize(r, 64*1024), line: 1, cut: map[int]bool{}}
}

func (g *guard) Read(p []byte) (int, error) {
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	n := 0
	for n < len(p) {
		c, err := g.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		switch {
		case c == '"':
			g.quoted = !g.quoted
		case c == '\n':
			g.line++
			if !g.quoted {
				g.record = -1
			}
		}
		g.record++
		p[n] = c
		n++
		if g.record > MaxRecord {
			// The record ends here for the CSV reader (its quote closed);
			// as many line ends follow as were skipped, so the lines after
			// keep their numbers (blank lines are no records).
			open := g.quoted // the CSV reader is inside a quoted field
			lines := g.skip()
			g.pending = nil
			if open {
				g.pending = append(g.pending, '"')
			}
			for range max(1, lines) {
				g.pending = append(g.pending, '\n')
			}
			g.record = 0
			return n, nil
		}
	}
	return n, nil
}

// skip drops the rest of an over-long record: up to the next newline
// outside quotes, or, if quotes never close, the next newline after
// another MaxRecord bytes (a stray quote must not swallow the file). It
// says how many line ends it dropped.
func (g *guard) skip() int {
	g.cut[g.line] = true
	dropped, lines := 0, 0
	for {
		c, err := g.r.ReadByte()
		if err != nil {
			return lines
		}
		dropped++
		switch {
		case c == '"':
			g.quoted = !g.quoted
		case c == '\n':
			g.line++
			lines++
			if !g.quoted || dropped > MaxRecord {
				g.quoted = false
				return lines
			}
		}
	}
}

// wasCut reports whether any line from first to last was cut.
func (g *guard) wasCut(first, last int) (int, bool) {
	for l := first; l <= last; l++ {
		if g.cut[l] {
			return l, true
		}
	}
	return 0, false
}
