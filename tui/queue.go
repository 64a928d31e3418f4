package tui

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/queue"
)

// queuePane is the agent's callback queue: their own and the pool's open
// callbacks, every one of them, in columns under headers that stay where
// they are, with the cursor's position ("37/574"), a view one key away
// (all, mine, pool, overdue, due today, blocked), a text filter and a sort
// that is named on screen.
type queuePane struct {
	c       *Common
	keys    queueKeys
	items   []queue.Callback // as loaded, in next-best order
	view    []int            // indexes into items shown, in the chosen order
	total   int
	overdue int
	drafts  map[int64]bool // customers with a kept draft
	tbl     table
	w, h    int
	loaded  bool
	err     error
	reqID   int
	focused bool
	mine    map[int64]queue.Callback // owned or held as of the last load; nil before it
	show    queueView
	text    string
	sortBy  int  // index into queueSorts
	hold    bool // keep the cursor's row position at the next load (after a wrap-up)
	held    []queue.Callback
}

// queueView is one of the quick views of the queue.
type queueView int

const (
	viewAll queueView = iota
	viewMine
	viewPool
	viewOverdue
	viewToday
	viewBlocked
	viewCount
)

// queueSorts are the orders the queue cycles through.
var queueSorts = []queue.SortKey{queue.SortNext, queue.SortDue, queue.SortPriority}

func newQueuePane(c *Common) *queuePane {
	m := &queuePane{c: c, keys: newQueueKeys(c.Text), drafts: map[int64]bool{}}
	t := c.Text
	m.tbl = table{cols: []column{
		{title: t.ColDue, width: 12}, {title: t.ColCustomer, width: 12}, {title: t.ColStatus, width: 11, drop: 5},
		{title: "P", width: 2, drop: 4}, {title: t.ColOwner, width: 5, drop: 3}, {title: t.ColTries, width: 4, drop: 2},
		{title: t.ColPhone, width: 13, drop: 1}, {title: t.ColReason, width: 10, flex: true},
	}, cell: m.cell, style: m.rowStyle}
	return m
}

// load asks for the queue; the closure copies what it needs so it never
// reads the model from another goroutine.
func (m *queuePane) load() tea.Cmd {
	m.reqID++
	id, svc, ctx, agent := m.reqID, m.c.Queue, m.c.Ctx, m.c.Agent
	return func() tea.Msg {
		q, err := svc.Queue(ctx, agent, -1)
		return queueLoadedMsg{reqID: id, items: q.Items, total: q.Total, overdue: q.Overdue, err: err}
	}
}

// SetSize gives the pane its inner size: a title line, then the table.
func (m *queuePane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.tbl.SetSize(w, max(0, h-1))
}

// Selected is the callback under the cursor.
func (m *queuePane) Selected() (queue.Callback, bool) {
	if m.tbl.cursor < 0 || m.tbl.cursor >= len(m.view) {
		return queue.Callback{}, false
	}
	return m.items[m.view[m.tbl.cursor]], true
}

// apply chooses and orders the rows shown. It keeps the cursor on the
// callback it was on, or, when hold is set (after a wrap-up), on the row
// position.
func (m *queuePane) apply(keepID int64) {
	now := m.c.Now()
	f := queue.TeamFilter{Text: m.text}
	switch m.show {
	case viewMine:
		f.Owner = m.c.Agent.Name
	case viewPool:
		f.Pool = true
	case viewOverdue:
		f.Overdue = true
	case viewToday:
		f.DueFrom, f.DueTo, _ = dayRange("today", now, m.c.Site())
	case viewBlocked:
		f.AnyBlock = true
	}
	m.view = m.view[:0]
	for i, cb := range m.items {
		if f.Match(cb, now) {
			m.view = append(m.view, i)
		}
	}
	if by := queueSorts[m.sortBy]; by != queue.SortNext {
		cmp := queue.CompareBy(by)
		slices.SortStableFunc(m.view, func(a, b int) int { return cmp(m.items[a], m.items[b]) })
	}
	pos := m.tbl.cursor
	m.tbl.SetRows(len(m.view))
	if m.hold {
		m.hold = false
		m.tbl.cursor = max(0, min(pos, len(m.view)-1))
		m.tbl.scroll()
		return
	}
	for i, at := range m.view {
		if m.items[at].ID == keepID {
			m.tbl.cursor = i
			m.tbl.scroll()
			break
		}
	}
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
		m.held = m.held[:0]
		for _, cb := range m.items {
			if cb.ClaimedByAgent(m.c.Agent.Name) {
				m.held = append(m.held, cb)
			}
		}
		m.apply(keep.ID)
		mine := mineOf(msg.items, m.c.Agent.Name)
		var explain tea.Cmd
		if m.mine != nil {
			explain = explainMoves(m.c, m.mine, mine)
		}
		m.mine = mine
		return explain
	case movesMsg:
		if msg.err == nil {
			if text := movesText(m.c.Text, m.c.Agent.Name, msg); text != "" {
				return notice(text, false)
			}
		}
	case doneMsg:
		if msg.err == nil {
			m.hold = true // the wrapped-up callback moves; the agent's place does not
		}
	case draftsLoadedMsg:
		for _, d := range msg.drafts {
			m.drafts[d.CustomerID] = true
		}
		m.tbl.Invalidate()
	case draftSavedMsg:
		if msg.err == nil {
			m.drafts[msg.customerID] = true
			m.tbl.Invalidate()
		}
	case noteSavedMsg:
		if msg.err == nil {
			delete(m.drafts, msg.customerID)
			m.tbl.Invalidate()
		}
	case queueTextMsg:
		keep, _ := m.Selected()
		m.text = msg.text
		m.apply(keep.ID)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// Held are the callbacks the agent holds now, as last loaded.
func (m *queuePane) Held() []queue.Callback { return m.held }

// queueTextMsg sets the queue's text filter.
type queueTextMsg struct{ text string }

func (m *queuePane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case m.tbl.Navigate(k.listKeys, msg):
	case key.Matches(msg, k.View):
		keep, _ := m.Selected()
		m.show = (m.show + 1) % viewCount
		m.apply(keep.ID)
	case key.Matches(msg, k.Sort):
		keep, _ := m.Selected()
		m.sortBy = (m.sortBy + 1) % len(queueSorts)
		m.apply(keep.ID)
	case key.Matches(msg, k.Text):
		t := m.c.Text
		f := newForm(m.c, t.QueueTextTitle, func(v []string, _ []bool) (tea.Cmd, error) {
			m.c.post(queueTextMsg{text: v[0]})
			return nil, nil
		}).text(t.FieldText, m.text, t.QueueTextHint)
		m.c.post(openOverlayMsg{o: f, focus: f.Focus()})
	case key.Matches(msg, k.Next):
		m.c.post(claimMsg{})
	default:
		cb, ok := m.Selected()
		if !ok {
			if key.Matches(msg, k.Open, k.Note, k.Claim, k.Release, k.Wrapup, k.Actions, k.Dial, k.Copy, k.Filter) {
				return notice(m.c.Text.SelectCustomerFirst, true)
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Open):
			m.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
		case key.Matches(msg, k.Claim):
			m.c.post(claimMsg{id: cb.ID})
		case key.Matches(msg, k.Release):
			m.c.post(releaseMsg{id: cb.ID})
		case key.Matches(msg, k.Wrapup):
			m.c.post(wrapupOpenMsg{callbackID: cb.ID})
		case key.Matches(msg, k.Note):
			m.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
			m.c.post(openNoteMsg{customerID: cb.CustomerID, name: cb.CustomerName, callbackID: cb.ID})
		case key.Matches(msg, k.Actions, k.Dial, k.Copy, k.Filter):
			// The customer's keys: open the customer, then do it there.
			m.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
			m.c.post(customerKeyMsg{key: msg})
		}
	}
	return nil
}

// customerKeyMsg hands a key pressed in the queue to the 360 once it is
// open: a, d, y and t act on the selected callback's customer.
type customerKeyMsg struct{ key tea.KeyPressMsg }

func notice(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return noticeMsg{text: text, err: isErr} }
}

func (m *queuePane) cell(r, col int) string {
	t, now := m.c.Text, m.c.Now()
	cb := m.items[m.view[r]]
	switch col {
	case 0:
		mark := "  "
		switch {
		case cb.ClaimedByAgent(m.c.Agent.Name):
			mark = "▶ "
		case cb.Overdue(now):
			mark = "! "
		case m.drafts[cb.CustomerID]:
			mark = "✎ "
		}
		return mark + t.Due(cb.Due, now)
	case 1:
		return safe(cb.CustomerName)
	case 2:
		s, _ := statusText(m.c, cb, now)
		return s
	case 3:
		return fmt.Sprintf("P%d", cb.Priority)
	case 4:
		switch {
		case cb.Pool():
			return t.Pool
		case cb.Owner == m.c.Agent.Name:
			return t.Mine
		}
		return safe(cb.Owner)
	case 5:
		if cb.Attempts == 0 {
			return ""
		}
		return fmt.Sprintf("%d/%d", cb.Attempts, cb.MaxAttempts)
	case 6:
		return safe(cb.Phone.Masked())
	case 7:
		return safe(cb.Reason)
	}
	return ""
}

func (m *queuePane) rowStyle(r int) (lipgloss.Style, bool) {
	st, now := m.c.Styles, m.c.Now()
	cb := m.items[m.view[r]]
	_, blocked := statusText(m.c, cb, now)
	switch {
	case cb.ClaimedByAgent(m.c.Agent.Name):
		return st.Good, true
	case cb.State == queue.Claimed || blocked:
		return st.Muted, true
	case cb.Overdue(now):
		return st.Overdue, true
	case cb.Due.Sub(now) <= 10*time.Minute:
		return st.Soon, true
	}
	return lipgloss.Style{}, false
}

// Lines are View's lines, each exactly the pane's width, when the pane
// shows its table: drawn from cached rows, they need no measuring.
func (m *queuePane) Lines() ([]string, bool) {
	if m.err != nil || !m.loaded || len(m.view) == 0 {
		return nil, false
	}
	return append([]string{fit(m.head(), m.w)}, m.tbl.Lines(m.c.Styles)...), true
}

// head is the title line: the position, the view and the order.
func (m *queuePane) head() string {
	t, st := m.c.Text, m.c.Styles
	title := st.Title
	if m.focused {
		title = st.TitleFocused
	}
	head := title.Render(t.QueueTitle) + " " + m.tbl.Position()
	what := t.QueueView(int(m.show))
	if m.text != "" {
		what += " · “" + safe(m.text) + "”"
	}
	return head + "  " + st.Muted.Render(what+" · "+t.QueueSort(int(m.sortBy)))
}

// View draws the title (with the position, the view and the order) and
// the table.
func (m *queuePane) View() string {
	t, st := m.c.Text, m.c.Styles
	head := m.head()
	var body string
	switch {
	case m.err != nil:
		body = st.Bad.Render(safe(t.Refusal(m.err, m.c.Now())))
	case !m.loaded:
		body = st.Muted.Render(t.Loading)
	case len(m.items) == 0:
		body = st.Muted.Render(t.QueueEmpty)
	case len(m.view) == 0:
		body = st.Muted.Render(t.NoMatch)
	default:
		return clipLines(head, m.w, 1) + "\n" + m.tbl.View(st)
	}
	return clipLines(head+"\n"+body, m.w, m.h)
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
