package kit

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// TablePage is what a page that is one table of rows shares: the rows,
// the last error, the size, the mouse, and the read of the rows, whose
// answer is dropped when a newer read has been asked for since. The
// board, the agents, the policy and the audit log are each one.
type TablePage[R any] struct {
	C    *Common
	Rows []R // nil until the first read answers
	Err  error
	Tbl  Table
	W, H int
	// Lines is how many lines the page draws above the table (a title, a
	// filter line).
	Lines int
	// Empty is said instead of the table when a read found no row.
	Empty string
	// LastRead is how many rows the last read brought (a paged page is
	// at its end when it brought less than a page).
	LastRead int
	reqID    int
	busy     bool
}

// PageLoadedMsg carries the rows of one read of a page.
type PageLoadedMsg[R any] struct {
	page  *TablePage[R]
	reqID int
	rows  []R
	more  bool
	err   error
}

// Load reads the rows in a command; read runs off the console's goroutine
// with the session's context.
func (p *TablePage[R]) Load(read func(ctx context.Context) ([]R, error)) tea.Cmd {
	return p.load(read, false)
}

// More reads rows to add below those shown (the next page).
func (p *TablePage[R]) More(read func(ctx context.Context) ([]R, error)) tea.Cmd {
	return p.load(read, true)
}

// Reading reports that a read is on its way.
func (p *TablePage[R]) Reading() bool { return p.busy }

func (p *TablePage[R]) load(read func(ctx context.Context) ([]R, error), more bool) tea.Cmd {
	p.reqID++
	p.busy = true
	id, ctx := p.reqID, p.C.Ctx
	return func() tea.Msg {
		rows, err := read(ctx)
		return PageLoadedMsg[R]{page: p, reqID: id, rows: rows, more: more, err: err}
	}
}

// Loaded takes msg when it is the answer to the page's latest read, and
// reports whether it was.
func (p *TablePage[R]) Loaded(msg tea.Msg) bool {
	m, ok := msg.(PageLoadedMsg[R])
	if !ok || m.page != p || m.reqID != p.reqID {
		return false
	}
	p.busy, p.Err, p.LastRead = false, m.err, len(m.rows)
	switch {
	case m.more && m.err == nil:
		p.Rows = append(p.Rows, m.rows...)
	case !m.more:
		p.Rows = m.rows
		if p.Rows == nil && p.Err == nil {
			p.Rows = []R{} // read, and empty
		}
	}
	p.Tbl.SetRows(len(p.Rows))
	return true
}

// SetSize gives the page its space; the table fills it under the lines.
func (p *TablePage[R]) SetSize(w, h int) {
	p.W, p.H = w, h
	p.Tbl.FitPane(p.C, w, h, max(1, p.Lines))
}

// Frame draws the page in its pane: the head line, then the table, the
// error of the last read or, before the first answer, that it is loading.
func (p *TablePage[R]) Frame(head string) string {
	st, t := p.C.Styles, p.C.Text
	body := p.Tbl.View(st)
	switch {
	case p.Err != nil:
		body = st.Bad.Render(Safe(t.Refusal(p.Err, p.C.Now())))
	case p.Rows == nil:
		body = st.Muted.Render(t.Loading)
	case len(p.Rows) == 0 && p.Empty != "":
		body = st.Muted.Render(p.Empty)
	}
	return DrawBox(st, head+"\n"+body, true, p.W, p.H)
}

// Typing: a table page has no text field.
func (p *TablePage[R]) Typing() bool { return false }

// Cursor: a table page shows no terminal cursor.
func (p *TablePage[R]) Cursor() *tea.Cursor { return nil }

// Click moves the cursor to the row under the mouse.
func (p *TablePage[R]) Click(x, y int) tea.Cmd {
	p.Tbl.Click(y)
	return nil
}

// Wheel moves the cursor.
func (p *TablePage[R]) Wheel(x, y int, up bool) tea.Cmd {
	p.Tbl.Wheel(up)
	return nil
}
