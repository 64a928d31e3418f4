package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/queue"
)

// queuePane is the agent's callback queue: their own and the pool's open
// callbacks, in columns under headers that stay where they are, with the
// cursor's position ("37/574"), a view one key away (all, mine, pool,
// overdue, due today, blocked), a text filter and a sort that is named on
// screen. It holds the rows it shows and a margin (listWindow), however
// long the queue: the counts come from SQL.
type queuePane struct {
	c       *Common
	keys    queueKeys
	win     listWindow
	total   int // the agent's whole queue, for the header
	overdue int
	drafts  map[int64]bool // customers with a kept draft
	tbl     table
	w, h    int
	focused bool
	show    queueView
	text    string
	sortBy  int  // index into queueSorts
	hold    bool // keep the cursor's row position at the next load (after a wrap-up)
	held    []queue.Callback
	heldGen int   // bumped when this console claims or wraps up: a reload asked before reads held stale
	mark    int64 // the audit log read up to, for the moves of the agent's work; -1 before the first load
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
	m := &queuePane{c: c, keys: newQueueKeys(c.Text), drafts: map[int64]bool{}, win: listWindow{owner: "queue"}, mark: -1}
	t := c.Text
	m.tbl = table{cols: []column{
		{title: t.ColDue, width: 12}, {title: t.ColCustomer, width: 12}, {title: t.ColStatus, width: 11, drop: 5},
		{title: "P", width: 2, drop: 4}, {title: t.ColOwner, width: 5, drop: 3}, {title: t.ColTries, width: 4, drop: 2},
		{title: t.ColPhone, width: 13, drop: 1}, {title: t.ColReason, width: 10, flex: true},
	}, cell: m.cell, style: m.rowStyle}
	return m
}

// queueExtra is what a reload of the queue reads beside its rows: the
// callbacks the agent holds and what others did to their work.
type queueExtra struct {
	held    []queue.Callback
	heldGen int // the pane's heldGen when the read was asked for
	moves   queue.Moves
}

// wholeMsg carries the counts of the agent's whole queue, for the header,
// when the queue shows a view or a filter of it.
type wholeMsg struct {
	counts queue.Counts
	err    error
}

// listing is the list the queue shows now.
func (m *queuePane) listing() queue.Listing {
	f := queue.TeamFilter{Text: m.text}
	switch m.show {
	case viewMine:
		f.Owner = m.c.Agent.Name
	case viewPool:
		f.Pool = true
	case viewOverdue:
		f.Overdue = true
	case viewToday:
		f.DueFrom, f.DueTo, _ = dayRange("today", m.c.Now(), m.c.Site())
	case viewBlocked:
		f.AnyBlock = true
	}
	return queue.Listing{Filter: f, Order: queue.Order{By: queueSorts[m.sortBy]}}
}

// load reads the window again, around the row under the cursor, after a
// change or as time passes; the closure copies what it needs so it never
// reads the model from another goroutine.
func (m *queuePane) load() tea.Cmd {
	keep := keepRow
	if m.hold {
		keep = keepPlace
	}
	return m.read(keep, true)
}

// reload reads the window again as the agent asked (a view, an order, the
// top or the end).
func (m *queuePane) reload(keep keepHow) tea.Cmd { return m.read(keep, false) }

func (m *queuePane) read(keep keepHow, live bool) tea.Cmd {
	l := m.listing()
	svc, crmSvc, agent, mark, gen := m.c.Queue, m.c.CRM, m.c.Agent, m.mark, m.heldGen
	extra := func(ctx context.Context) (any, error) {
		x := queueExtra{heldGen: gen}
		var err error
		if x.held, err = svc.Held(ctx, agent); err != nil {
			return nil, err
		}
		if mark < 0 {
			x.moves.Mark, err = crmSvc.AuditMark(ctx)
		} else {
			x.moves, err = svc.MovesSince(ctx, agent, mark)
		}
		return x, err
	}
	var rows tea.Cmd
	if live {
		if rows = m.win.liveReload(m.c, &m.tbl, l, keep, extra); rows != nil && keep == keepPlace {
			m.hold = false
		}
	} else {
		// What the agent holds and what others did change with the data,
		// not with a view or a page: the live reloads read them.
		rows = m.win.reload(m.c, &m.tbl, l, keep, nil)
	}
	if rows == nil || l.Filter == (queue.TeamFilter{}) {
		return rows
	}
	// A view or a filter: the header still counts the whole queue.
	ctx := m.c.Ctx
	whole := func() tea.Msg {
		c, err := svc.Count(ctx, agent, queue.Listing{})
		return wholeMsg{counts: c, err: err}
	}
	return tea.Batch(rows, whole)
}

// SetSize gives the pane its inner size: a title line, then the table.
func (m *queuePane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.tbl.SetSize(w, max(0, h-1))
}

// Selected is the callback under the cursor.
func (m *queuePane) Selected() (queue.Callback, bool) {
	return m.win.at(m.tbl.cursor)
}

// loaded reports whether the queue has been read once.
func (m *queuePane) loaded() bool { return m.win.loaded }

// Update handles the queue's messages and, when focused, its keys.
func (m *queuePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case placeDueMsg:
		if msg.owner == m.win.owner {
			return m.win.placeNow(m.c, &m.tbl)
		}
	case wholeMsg:
		if msg.err == nil {
			m.total, m.overdue = msg.counts.Total, msg.counts.Overdue
		}
	case windowMsg:
		ok, place := m.win.arrived(m.c, msg, &m.tbl)
		if !ok {
			return nil
		}
		if (msg.req.what == readPlace || msg.req.what == readFirst) && msg.err == nil && m.win.listing.Filter == (queue.TeamFilter{}) {
			m.total, m.overdue = m.win.counts.Total, m.win.counts.Overdue
		}
		if msg.req.what == readPlace {
			return m.win.ensure(m.c, &m.tbl)
		}
		if m.win.pending() {
			return tea.Batch(place, m.load())
		}
		if msg.err != nil {
			return nil
		}
		cmds := []tea.Cmd{place, m.win.ensure(m.c, &m.tbl), m.prefetch()}
		if x, ok := msg.extra.(queueExtra); ok {
			if x.heldGen == m.heldGen { // else a claim or wrap-up since says more
				m.held = x.held
			}
			if m.mark >= 0 && len(x.moves.Gained)+len(x.moves.Lost) > 0 {
				mv := x.moves
				cmds = append(cmds, func() tea.Msg { return movesMsg{gained: mv.Gained, lost: mv.Lost, audit: mv.Audit} })
			}
			m.mark = x.moves.Mark
		}
		return tea.Batch(cmds...)
	case movesMsg:
		if msg.err == nil {
			if text := movesText(m.c.Text, m.c.Agent.Name, msg); text != "" {
				return notice(text, false)
			}
		}
	case doneMsg:
		if msg.err == nil {
			m.hold = true // the wrapped-up callback moves; the agent's place does not
			// Shown at once as the commit said; the reload that follows
			// puts the row where it now goes.
			m.changedRow(msg.outcome.Callback)
		}
	case claimReadyMsg:
		if msg.err == nil {
			m.changedRow(msg.cb)
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
		m.text = msg.text
		return m.reload(keepRow)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// prefetch names the customer N would most likely claim now (the first
// callable row of the whole queue, when the rows read begin the queue),
// so the claim finds their 360 read.
func (m *queuePane) prefetch() tea.Cmd {
	if m.win.start != 0 || m.win.listing.Filter != (queue.TeamFilter{}) || m.win.listing.Order != (queue.Order{}) {
		return nil
	}
	now := m.c.Now()
	for _, cb := range m.win.items {
		if cb.State == queue.Scheduled && (cb.Pool() || cb.Owner == m.c.Agent.Name) && !cb.Due.After(now) &&
			queue.Check(cb, now).Reason == queue.BlockNone {
			id := cb.CustomerID
			return func() tea.Msg { return prefetchMsg{customerID: id} }
		}
	}
	return nil
}

// changedRow shows a callback this console just claimed or wrapped up as
// it is now: in the rows and among the calls held.
func (m *queuePane) changedRow(cb queue.Callback) {
	m.heldGen++
	held := m.held[:0:0]
	for _, h := range m.held {
		if h.ID != cb.ID {
			held = append(held, h)
		}
	}
	if cb.ClaimedByAgent(m.c.Agent.Name) {
		held = append(held, cb)
	}
	m.held = held
	for i, row := range m.win.items {
		if row.ID == cb.ID {
			m.win.items[i] = cb
			m.tbl.Invalidate()
		}
	}
}

// Held are the callbacks the agent holds now, as last loaded.
func (m *queuePane) Held() []queue.Callback { return m.held }

// queueTextMsg sets the queue's text filter.
type queueTextMsg struct{ text string }

func (m *queuePane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if cmd, ok := m.win.navigate(m.c, &m.tbl, k.listKeys, msg, m.reload); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.View):
		m.show = (m.show + 1) % viewCount
		return m.reload(keepRow)
	case key.Matches(msg, k.Sort):
		m.sortBy = (m.sortBy + 1) % len(queueSorts)
		return m.reload(keepRow)
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

func (m *queuePane) cell(r, col int) string {
	t, now := m.c.Text, m.c.Now()
	cb, ok := m.win.at(r)
	if !ok {
		return unread(col)
	}
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
		return Safe(cb.CustomerName)
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
		return Safe(cb.Owner)
	case 5:
		if cb.Attempts == 0 {
			return ""
		}
		return fmt.Sprintf("%d/%d", cb.Attempts, cb.MaxAttempts)
	case 6:
		return Safe(cb.Phone.Masked())
	case 7:
		return Safe(cb.Reason)
	}
	return ""
}

func (m *queuePane) rowStyle(r int) (lipgloss.Style, bool) {
	st, now := m.c.Styles, m.c.Now()
	cb, ok := m.win.at(r)
	if !ok {
		return st.Muted, true
	}
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
	if m.win.err != nil || !m.win.loaded || m.tbl.n == 0 {
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
		what += " · “" + Safe(m.text) + "”"
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
	case m.win.err != nil:
		body = st.Bad.Render(Safe(t.Refusal(m.win.err, m.c.Now())))
	case !m.win.loaded:
		body = st.Muted.Render(t.Loading)
	case m.tbl.n == 0 && m.total == 0:
		body = st.Muted.Render(t.QueueEmpty)
	case m.tbl.n == 0:
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
		return fmt.Sprintf(t.StatusTaken, Safe(cb.ClaimedBy)), false
	}
	return blockText(c, cb, now)
}
