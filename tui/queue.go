package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// queuePane is the agent's callback queue: their own and the pool's open
// callbacks in next-best order.
type queuePane struct {
	c       *Common
	keys    queueKeys
	items   []queue.Callback
	drafts  map[int64]bool // customers with a kept draft
	cursor  int
	offset  int
	w, h    int
	loaded  bool
	err     error
	reqID   int
	focused bool
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
		items, err := svc.List(ctx, agent)
		return queueLoadedMsg{reqID: id, items: items, err: err}
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

// Overdue counts overdue callbacks at now.
func (m *queuePane) Overdue(now time.Time) int {
	n := 0
	for _, c := range m.items {
		if c.Overdue(now) {
			n++
		}
	}
	return n
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
		m.items = msg.items
		m.cursor = min(m.cursor, max(0, len(m.items)-1))
		for i, c := range m.items {
			if c.ID == keep.ID {
				m.cursor = i
			}
		}
		m.scrollIntoView()
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
	b.WriteString(title.Render(fmt.Sprintf("%s (%d)", t.QueueTitle, len(m.items))))
	switch {
	case m.err != nil:
		b.WriteString("\n" + st.Bad.Render(t.ErrorPrefix+m.err.Error()))
	case !m.loaded:
		b.WriteString("\n" + st.Muted.Render(t.Loading))
	case len(m.items) == 0:
		b.WriteString("\n" + st.Muted.Render(t.QueueEmpty))
	}
	now := m.c.Now()
	end := min(len(m.items), m.offset+m.rows())
	for i := m.offset; i < end; i++ {
		cb := m.items[i]
		b.WriteString("\n" + queueRow(m.c, cb, now, m.w, i == m.cursor, m.drafts[cb.CustomerID]))
	}
	return clipLines(b.String(), m.w, m.h)
}

// queueRow renders one callback in columns that line up whatever the
// script of the name: mark, due, name, masked phone, priority, owner, reason.
// Narrow panes drop the phone, then the reason.
func queueRow(c *Common, cb queue.Callback, now time.Time, w int, selected, draft bool) string {
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
			owner = cb.Owner
		}
	}
	phone := crm.MaskPhone(crm.FormatPhone(cb.Phone.E164))

	// Column widths include one cell of gap after each column.
	const dueW, nameW, phoneW, prioW, ownerW = 12, 13, 16, 3, 7
	fixed := 2 + dueW + nameW + prioW + ownerW
	showPhone := w >= fixed+phoneW+12
	if showPhone {
		fixed += phoneW
	}
	col := func(s string, w int) string { return fit(s, w-1) + " " }
	cells := []string{fit(mark, 2), col(due, dueW), col(cb.CustomerName, nameW)}
	if showPhone {
		cells = append(cells, col(phone, phoneW))
	}
	cells = append(cells, col(fmt.Sprintf("P%d", cb.Priority), prioW), col(owner, ownerW), fit(cb.Reason, max(0, w-fixed)))
	row := strings.Join(cells, "")

	if selected {
		return st.Selected.Render(fit(row, w))
	}
	switch {
	case cb.Overdue(now):
		return st.Overdue.Render(row)
	case cb.Due.Sub(now) <= 10*time.Minute:
		return st.Soon.Render(row)
	}
	return row
}
