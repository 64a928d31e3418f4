package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/queue"
)

// QueuePane is the agent's callback queue: their own and the pool's open
// callbacks, in columns under headers that stay where they are, with the
// cursor's position ("37/574"), a view one key away (all, mine, pool,
// overdue, due today, blocked), a text filter and a sort that is named on
// screen. It holds the rows it shows and a margin (listWindow), however
// long the queue: the counts come from SQL.
type QueuePane struct {
	c       *kit.Common
	keys    kit.QueueKeys
	Win     kit.ListWindow
	Total   int // the agent's whole queue, for the header
	Overdue int
	Drafts  map[int64]bool // customers with a kept draft
	Tbl     kit.Table
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

func NewQueuePane(c *kit.Common) *QueuePane {
	m := &QueuePane{c: c, keys: kit.NewQueueKeys(c.Text), Drafts: map[int64]bool{}, Win: kit.ListWindow{Owner: "queue"}, mark: -1}
	t := c.Text
	m.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColDue, Width: 12}, {Title: t.ColCustomer, Width: 12}, {Title: t.ColStatus, Width: 11, Drop: 5},
		{Title: "P", Width: 2, Drop: 4}, {Title: t.ColOwner, Width: 5, Drop: 3}, {Title: t.ColTries, Width: 4, Drop: 2},
		{Title: t.ColPhone, Width: 13, Drop: 1}, {Title: t.ColReason, Width: 10, Flex: true},
	}, Cell: m.cell, Style: m.rowStyle}
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
func (m *QueuePane) listing() queue.Listing {
	f := queue.TeamFilter{Text: m.text}
	switch m.show {
	case viewMine:
		f.Owner = m.c.Agent.Name
	case viewPool:
		f.Pool = true
	case viewOverdue:
		f.Overdue = true
	case viewToday:
		f.DueFrom, f.DueTo, _ = kit.DayRange("today", m.c.Now(), m.c.Site())
	case viewBlocked:
		f.AnyBlock = true
	}
	return queue.Listing{Filter: f, Order: queue.Order{By: queueSorts[m.sortBy]}}
}

// Load reads the window again, around the row under the cursor, after a
// change or as time passes; the closure copies what it needs so it never
// reads the model from another goroutine.
func (m *QueuePane) Load() tea.Cmd {
	keep := kit.KeepRow
	if m.hold {
		keep = kit.KeepPlace
	}
	return m.read(keep, true)
}

// Reload reads the window again as the agent asked (a view, an order, the
// top or the end).
func (m *QueuePane) Reload(keep kit.KeepHow) tea.Cmd { return m.read(keep, false) }

func (m *QueuePane) read(keep kit.KeepHow, live bool) tea.Cmd {
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
		if rows = m.Win.LiveReload(m.c, &m.Tbl, l, keep, extra); rows != nil && keep == kit.KeepPlace {
			m.hold = false
		}
	} else {
		// What the agent holds and what others did change with the data,
		// not with a view or a page: the live reloads read them.
		rows = m.Win.Reload(m.c, &m.Tbl, l, keep, nil)
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
func (m *QueuePane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.Tbl.SetSize(w, max(0, h-1))
}

// Selected is the callback under the cursor.
func (m *QueuePane) Selected() (queue.Callback, bool) {
	return m.Win.At(m.Tbl.Cursor)
}

// Loaded reports whether the queue has been read once.
func (m *QueuePane) Loaded() bool { return m.Win.Loaded }

// Update handles the queue's messages and, when focused, its keys.
func (m *QueuePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case kit.PlaceDueMsg:
		if msg.Owner == m.Win.Owner {
			return m.Win.PlaceNow(m.c, &m.Tbl)
		}
	case wholeMsg:
		if msg.err == nil {
			m.Total, m.Overdue = msg.counts.Total, msg.counts.Overdue
		}
	case kit.WindowMsg:
		ok, place := m.Win.Arrived(m.c, msg, &m.Tbl)
		if !ok {
			return nil
		}
		if (msg.Req.What == kit.ReadPlace || msg.Req.What == kit.ReadFirst) && msg.Err == nil && m.Win.Listing.Filter == (queue.TeamFilter{}) {
			m.Total, m.Overdue = m.Win.Counts.Total, m.Win.Counts.Overdue
		}
		if msg.Req.What == kit.ReadPlace {
			return m.Win.Ensure(m.c, &m.Tbl)
		}
		if m.Win.Pending() {
			return tea.Batch(place, m.Load())
		}
		if msg.Err != nil {
			return nil
		}
		cmds := []tea.Cmd{place, m.Win.Ensure(m.c, &m.Tbl), m.prefetch()}
		if x, ok := msg.Extra.(queueExtra); ok {
			if x.heldGen == m.heldGen { // else a claim or wrap-up since says more
				m.held = x.held
			}
			if m.mark >= 0 && len(x.moves.Gained)+len(x.moves.Lost) > 0 {
				mv := x.moves
				cmds = append(cmds, func() tea.Msg { return kit.MovesMsg{Gained: mv.Gained, Lost: mv.Lost, Audit: mv.Audit} })
			}
			m.mark = x.moves.Mark
		}
		return tea.Batch(cmds...)
	case kit.MovesMsg:
		if msg.Err == nil {
			if text := kit.MovesText(m.c.Text, m.c.Agent.Name, msg); text != "" {
				return kit.Notice(text, false)
			}
		}
	case kit.DoneMsg:
		if msg.Err == nil {
			m.hold = true // the wrapped-up callback moves; the agent's place does not
			// Shown at once as the commit said; the reload that follows
			// puts the row where it now goes.
			m.changedRow(msg.Outcome.Callback)
		}
	case ClaimReadyMsg:
		if msg.Err == nil {
			m.changedRow(msg.Callback)
		}
	case kit.DraftsLoadedMsg:
		for _, d := range msg.Drafts {
			m.Drafts[d.CustomerID] = true
		}
		m.Tbl.Invalidate()
	case kit.DraftSavedMsg:
		if msg.Err == nil {
			m.Drafts[msg.CustomerID] = true
			m.Tbl.Invalidate()
		}
	case kit.NoteSavedMsg:
		if msg.Err == nil {
			delete(m.Drafts, msg.CustomerID)
			m.Tbl.Invalidate()
		}
	case queueTextMsg:
		m.text = msg.text
		return m.Reload(kit.KeepRow)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// prefetch names the customer N would most likely claim now (the first
// callable row of the whole queue, when the rows read begin the queue),
// so the claim finds their 360 read.
func (m *QueuePane) prefetch() tea.Cmd {
	if m.Win.Start != 0 || m.Win.Listing.Filter != (queue.TeamFilter{}) || m.Win.Listing.Order != (queue.Order{}) {
		return nil
	}
	now := m.c.Now()
	for _, cb := range m.Win.Items {
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
func (m *QueuePane) changedRow(cb queue.Callback) {
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
	for i, row := range m.Win.Items {
		if row.ID == cb.ID {
			m.Win.Items[i] = cb
			m.Tbl.Invalidate()
		}
	}
}

// Held are the callbacks the agent holds now, as last loaded.
func (m *QueuePane) Held() []queue.Callback { return m.held }

// queueTextMsg sets the queue's text filter.
type queueTextMsg struct{ text string }

func (m *QueuePane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if cmd, ok := m.Win.Navigate(m.c, &m.Tbl, k.ListKeys, msg, m.Reload); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.View):
		m.show = (m.show + 1) % viewCount
		return m.Reload(kit.KeepRow)
	case key.Matches(msg, k.Sort):
		m.sortBy = (m.sortBy + 1) % len(queueSorts)
		return m.Reload(kit.KeepRow)
	case key.Matches(msg, k.Text):
		t := m.c.Text
		f := kit.NewForm(m.c, t.QueueTextTitle, func(v []string, _ []bool) (tea.Cmd, error) {
			m.c.Post(queueTextMsg{text: v[0]})
			return nil, nil
		}).Text(t.FieldText, m.text, t.QueueTextHint)
		m.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
	case key.Matches(msg, k.Next):
		m.c.Post(kit.ClaimMsg{})
	default:
		cb, ok := m.Selected()
		if !ok {
			if key.Matches(msg, k.Open, k.Note, k.Claim, k.Release, k.Wrapup, k.Actions, k.Dial, k.Copy, k.Filter) {
				return kit.Notice(m.c.Text.SelectCustomerFirst, true)
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Open):
			m.c.Post(kit.OpenCustomerMsg{CustomerID: cb.CustomerID, CallbackID: cb.ID})
		case key.Matches(msg, k.Claim):
			m.c.Post(kit.ClaimMsg{ID: cb.ID})
		case key.Matches(msg, k.Release):
			m.c.Post(kit.ReleaseMsg{ID: cb.ID})
		case key.Matches(msg, k.Wrapup):
			m.c.Post(kit.WrapupOpenMsg{CallbackID: cb.ID})
		case key.Matches(msg, k.Note):
			m.c.Post(kit.OpenCustomerMsg{CustomerID: cb.CustomerID, CallbackID: cb.ID})
			m.c.Post(kit.OpenNoteMsg{CustomerID: cb.CustomerID, Name: cb.CustomerName, CallbackID: cb.ID})
		case key.Matches(msg, k.Actions, k.Dial, k.Copy, k.Filter):
			// The customer's keys: open the customer, then do it there.
			m.c.Post(kit.OpenCustomerMsg{CustomerID: cb.CustomerID, CallbackID: cb.ID})
			m.c.Post(customerKeyMsg{key: msg})
		}
	}
	return nil
}

// customerKeyMsg hands a key pressed in the queue to the 360 once it is
// open: a, d, y and t act on the selected callback's customer.
type customerKeyMsg struct{ key tea.KeyPressMsg }

func (m *QueuePane) cell(r, col int) string {
	t, now := m.c.Text, m.c.Now()
	cb, ok := m.Win.At(r)
	if !ok {
		return kit.Unread(col)
	}
	switch col {
	case 0:
		mark := "  "
		switch {
		case cb.ClaimedByAgent(m.c.Agent.Name):
			mark = "▶ "
		case cb.Overdue(now):
			mark = "! "
		case m.Drafts[cb.CustomerID]:
			mark = "✎ "
		}
		return mark + t.Due(cb.Due, now)
	case 1:
		return kit.Safe(cb.CustomerName)
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
		return kit.Safe(cb.Owner)
	case 5:
		if cb.Attempts == 0 {
			return ""
		}
		return fmt.Sprintf("%d/%d", cb.Attempts, cb.MaxAttempts)
	case 6:
		return kit.Safe(cb.Phone.Masked())
	case 7:
		return kit.Safe(cb.Reason)
	}
	return ""
}

func (m *QueuePane) rowStyle(r int) (lipgloss.Style, bool) {
	st, now := m.c.Styles, m.c.Now()
	cb, ok := m.Win.At(r)
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
func (m *QueuePane) Lines() ([]string, bool) {
	if m.Win.Err != nil || !m.Win.Loaded || m.Tbl.N == 0 {
		return nil, false
	}
	return append([]string{kit.Fit(m.head(), m.w)}, m.Tbl.Lines(m.c.Styles)...), true
}

// head is the title line: the position, the view and the order.
func (m *QueuePane) head() string {
	t, st := m.c.Text, m.c.Styles
	title := st.Title
	if m.focused {
		title = st.TitleFocused
	}
	head := title.Render(t.QueueTitle) + " " + m.Tbl.Position()
	what := t.QueueView(int(m.show))
	if m.text != "" {
		what += " · “" + kit.Safe(m.text) + "”"
	}
	return head + "  " + st.Muted.Render(what+" · "+t.QueueSort(int(m.sortBy)))
}

// View draws the title (with the position, the view and the order) and
// the table.
func (m *QueuePane) View() string {
	t, st := m.c.Text, m.c.Styles
	head := m.head()
	var body string
	switch {
	case m.Win.Err != nil:
		body = st.Bad.Render(kit.Safe(t.Refusal(m.Win.Err, m.c.Now())))
	case !m.Win.Loaded:
		body = st.Muted.Render(t.Loading)
	case m.Tbl.N == 0 && m.Total == 0:
		body = st.Muted.Render(t.QueueEmpty)
	case m.Tbl.N == 0:
		body = st.Muted.Render(t.NoMatch)
	default:
		return kit.ClipLines(head, m.w, 1) + "\n" + m.Tbl.View(st)
	}
	return kit.ClipLines(head+"\n"+body, m.w, m.h)
}

// statusText says who holds a callback or why it cannot be called now;
// blocked is true when a calling rule stops it.
func statusText(c *kit.Common, cb queue.Callback, now time.Time) (string, bool) {
	t := c.Text
	switch {
	case cb.ClaimedByAgent(c.Agent.Name):
		return kit.Sprintf(t.StatusLease, t.Duration(cb.LeaseUntil.Sub(now))), false
	case cb.State == queue.Claimed:
		return kit.Sprintf(t.StatusTaken, kit.Safe(cb.ClaimedBy)), false
	}
	return kit.BlockText(c, cb, now)
}
