package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/queue"
)

// queuePane is the agent's callback queue: their own and the pool's open
// callbacks in next-best order.
type queuePane struct {
	c       *Common
	keys    queueKeys
	items   []queue.Callback
	total   int // open callbacks in all; items holds the first of them
	overdue int
	drafts  map[int64]bool // customers with a kept draft
	cursor  int
	offset  int
	w, h    int
	loaded  bool
	err     error
	reqID   int
	focused bool
	mine    map[int64]queue.Callback // owned or held as of the last whole load; nil before it
}

func newQueuePane(c *Common) *queuePane {
	return &queuePane{c: c, keys: newQueueKeys(c.Text), drafts: map[int64]bool{}}
}

// load asks for the queue; the closure copies what it needs so it never
// reads the model from another goroutine.
func (m *queuePane) load() tea.Cmd {
	m.reqID++
	id, svc, ctx, agent := m.reqID, m.c.Queue, m.c.Ctx, m.c.Agent
	return func() tea.Msg {
		q, err := svc.Queue(ctx, agent, 0)
		return queueLoadedMsg{reqID: id, items: q.Items, total: q.Total, overdue: q.Overdue, err: err}
	}
}

// SetSize gives the pane its inner size.
func (m *queuePane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.scrollIntoView()
}

// Selected is the callback under the cursor.
func (m *queuePane) Selected() (queue.Callback, bool) {
	if m.cursor < 0 || m.cursor >= len(m.items) {
		return queue.Callback{}, false
	}
	return m.items[m.cursor], true
}

// Update handles the queue's messages and, when focused, its keys.
func (m *queuePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case queueLoadedMsg:
		if msg.reqID != m.reqID {
			return nil
		}
		m.loaded, m.err = true, msg.err
		if msg.err != nil {
			return nil
		}
		keep, _ := m.Selected()
		m.items, m.total, m.overdue = msg.items, msg.total, msg.overdue
		var explain tea.Cmd
		if len(msg.items) == msg.total { // only a whole list tells what went
			mine := mineOf(msg.items, m.c.Agent.Name)
			if m.mine != nil {
				explain = explainMoves(m.c, m.mine, mine)
			}
			m.mine = mine
		}
		m.cursor = min(m.cursor, max(0, len(m.items)-1))
		for i, c := range m.items {
			if c.ID == keep.ID {
				m.cursor = i
			}
		}
		m.scrollIntoView()
		return explain
	case movesMsg:
		if msg.err == nil {
			if text := movesText(m.c.Text, m.c.Agent.Name, msg); text != "" {
				return notice(text, false)
			}
		}
	case draftsLoadedMsg:
		for _, d := range msg.drafts {
			m.drafts[d.CustomerID] = true
		}
	case draftSavedMsg:
		if msg.err == nil {
			m.drafts[msg.customerID] = true
		}
	case noteSavedMsg:
		if msg.err == nil {
			delete(m.drafts, msg.customerID)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *queuePane) key(msg tea.KeyPressMsg) tea.Cmd {
	page := max(1, m.rows()-1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.Down):
		m.move(1)
	case key.Matches(msg, m.keys.PageUp):
		m.move(-page)
	case key.Matches(msg, m.keys.PageDown):
		m.move(page)
	case key.Matches(msg, m.keys.Top):
		m.move(-len(m.items))
	case key.Matches(msg, m.keys.Bottom):
		m.move(len(m.items))
	case key.Matches(msg, m.keys.Open):
		if cb, ok := m.Selected(); ok {
			m.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
		}
	case key.Matches(msg, m.keys.Next):
		m.c.post(claimMsg{})
	case key.Matches(msg, m.keys.Claim, m.keys.Release, m.keys.Wrapup):
		cb, ok := m.Selected()
		if !ok {
			return nil
		}
		switch {
		case key.Matches(msg, m.keys.Claim):
			m.c.post(claimMsg{id: cb.ID})
		case key.Matches(msg, m.keys.Release):
			m.c.post(releaseMsg{id: cb.ID})
		default:
			m.c.post(wrapupOpenMsg{callbackID: cb.ID})
		}
	case key.Matches(msg, m.keys.Note):
		if cb, ok := m.Selected(); ok {
			m.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
			m.c.post(openNoteMsg{customerID: cb.CustomerID, name: cb.CustomerName, callbackID: cb.ID})
			return nil
		}
		return notice(m.c.Text.SelectCustomerFirst, true)
	}
	return nil
}

func notice(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return noticeMsg{text: text, err: isErr} }
}

func (m *queuePane) move(d int) {
	m.cursor = max(0, min(len(m.items)-1, m.cursor+d))
	m.scrollIntoView()
}

// rows is how many callbacks fit under the title line.
func (m *queuePane) rows() int { return max(0, m.h-1) }

func (m *queuePane) scrollIntoView() {
	rows := m.rows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if rows > 0 && m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.items)-rows))
}

// View draws the title and the visible rows.
func (m *queuePane) View() string {
	t, st := m.c.Text, m.c.Styles
	title := st.Title
	if m.focused {
		title = st.TitleFocused
	}
	var b strings.Builder
	b.WriteString(title.Render(fmt.Sprintf("%s (%d)", t.QueueTitle, m.total)))
	switch {
	case m.err != nil:
		b.WriteString("\n" + st.Bad.Render(safe(t.ErrorPrefix+m.err.Error())))
	case !m.loaded:
		b.WriteString("\n" + st.Muted.Render(t.Loading))
	case len(m.items) == 0:
		b.WriteString("\n" + st.Muted.Render(t.QueueEmpty))
	}
	now := m.c.Now()
	end := min(len(m.items), m.offset+m.rows())
	shown := m.items[m.offset:end]
	cols := columnsFor(m.c, shown, now)
	for i, cb := range shown {
		b.WriteString("\n" + queueRow(m.c, cb, now, m.w, cols, m.offset+i == m.cursor, m.drafts[cb.CustomerID]))
	}
	return clipLines(b.String(), m.w, m.h)
}

// rowColumns says which optional columns the rows on screen need: a
// status column only when some callback is held or blocked, attempts only
// when some callback was tried before.
type rowColumns struct{ status, tries bool }

func columnsFor(c *Common, cbs []queue.Callback, now time.Time) rowColumns {
	var cols rowColumns
	for _, cb := range cbs {
		if s, _ := statusText(c, cb, now); s != "" {
			cols.status = true
		}
		if cb.Attempts > 0 {
			cols.tries = true
		}
	}
	return cols
}

// queueRow renders one callback in columns that line up whatever the
// script of the name: mark, due, name, masked phone, status, attempts,
// priority, owner, reason. Narrow panes drop the least needed first.
func queueRow(c *Common, cb queue.Callback, now time.Time, w int, present rowColumns, selected, draft bool) string {
	t, st := c.Text, c.Styles
	mark := "  "
	switch {
	case cb.Overdue(now):
		mark = "! "
	case draft:
		mark = "✎ "
	}
	due := t.Due(cb.Due, now)
	owner := t.Pool
	if !cb.Pool() {
		owner = t.Mine
		if cb.Owner != c.Agent.Name {
			owner = safe(cb.Owner)
		}
	}
	phone := safe(cb.Phone.Masked())
	status, blocked := statusText(c, cb, now)
	attempts := ""
	if cb.Attempts > 0 {
		attempts = fmt.Sprintf("%d/%d", cb.Attempts, cb.MaxAttempts)
	}

	// Columns in display order, each width including one cell of gap. A
	// narrow pane drops the least needed first (drop: 1 goes first).
	width := func(w int, show bool) int {
		if show {
			return w
		}
		return 0
	}
	cols := []struct {
		text  string
		width int
		drop  int
	}{
		{due, 12, 0}, {safe(cb.CustomerName), 13, 0}, {phone, 16, 1}, {status, width(12, present.status), 5},
		{attempts, width(4, present.tries), 2}, {fmt.Sprintf("P%d", cb.Priority), 3, 3}, {owner, 7, 4},
	}
	const minReason = 8
	used := 2
	for _, c := range cols {
		used += c.width
	}
	for drop := 1; drop <= 5 && used+minReason > w; drop++ {
		for i := range cols {
			if cols[i].drop == drop {
				used -= cols[i].width
				cols[i].width = 0
			}
		}
	}
	var b strings.Builder
	b.WriteString(fit(mark, 2))
	for _, c := range cols {
		if c.width > 0 {
			b.WriteString(fit(c.text, c.width-1) + " ")
		}
	}
	b.WriteString(fit(safe(cb.Reason), max(0, w-used)))
	row := b.String()

	switch {
	case selected:
		return st.Selected.Render(fit(row, w))
	case cb.ClaimedByAgent(c.Agent.Name):
		return st.Good.Render(row)
	case cb.State == queue.Claimed || blocked:
		return st.Muted.Render(row)
	case cb.Overdue(now):
		return st.Overdue.Render(row)
	case cb.Due.Sub(now) <= 10*time.Minute:
		return st.Soon.Render(row)
	}
	return row
}

// statusText says who holds a callback or why it cannot be called now;
// blocked is true when a calling rule stops it.
func statusText(c *Common, cb queue.Callback, now time.Time) (string, bool) {
	t := c.Text
	switch {
	case cb.ClaimedByAgent(c.Agent.Name):
		return fmt.Sprintf(t.StatusLease, t.Duration(cb.LeaseUntil.Sub(now))), false
	case cb.State == queue.Claimed:
		return fmt.Sprintf(t.StatusTaken, safe(cb.ClaimedBy)), false
	}
	return blockText(c, cb, now)
}
