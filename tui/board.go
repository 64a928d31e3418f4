package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/queue"
)

// boardScreen is the team board: one row per agent (online, on which
// customer, claims, open work, overdue, done today, handling time, reach
// rate) and the pool. It reloads with every change, like the queue; enter
// opens the team's callbacks filtered to the row's agent.
type boardScreen struct {
	c     *Common
	keys  boardKeys
	rows  []queue.BoardRow
	err   error
	reqID int
	tbl   table
	w, h  int
}

type boardKeys struct {
	listKeys
	Open, Overdue key.Binding
}

// boardLoadedMsg carries the board.
type boardLoadedMsg struct {
	reqID int
	rows  []queue.BoardRow
	err   error
}

func newBoardScreen(c *Common) *boardScreen {
	t := c.Text
	s := &boardScreen{c: c, keys: boardKeys{listKeys: newListKeys(t),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyAgentCallbacks)),
		Overdue: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.KeyAgentOverdue)),
	}}
	s.tbl = table{cols: []column{
		{title: t.ColAgent, width: 14}, {title: t.ColOnline, width: 2}, {title: t.ColOnCustomer, width: 14},
		{title: t.ColClaimed, width: 4, right: true}, {title: t.ColOpen, width: 5, right: true},
		{title: t.ColDueToday, width: 6, right: true}, {title: t.ColOverdue, width: 5, right: true},
		{title: t.ColDoneToday, width: 6, right: true}, {title: t.ColHandling, width: 8, right: true},
		{title: t.ColReach, width: 6, right: true}, {title: "", width: 1, flex: true},
	}, cell: s.cell, style: s.rowStyle}
	return s
}

// Init loads the board the first time it is shown.
func (s *boardScreen) Init() tea.Cmd { return s.load() }

func (s *boardScreen) load() tea.Cmd {
	s.reqID++
	id, svc, ctx, agent, now, loc := s.reqID, s.c.Queue, s.c.Ctx, s.c.Agent, s.c.Now(), s.c.Site()
	return func() tea.Msg {
		rows, err := svc.Board(ctx, agent, now, loc)
		return boardLoadedMsg{reqID: id, rows: rows, err: err}
	}
}

func (s *boardScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.fitPane(s.c, w, h, 1)
}

func (s *boardScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case boardLoadedMsg:
		if msg.reqID == s.reqID {
			s.rows, s.err = msg.rows, msg.err
			s.tbl.SetRows(len(s.rows))
		}
	case reloadMsg, presenceReloadMsg, tickMsg:
		return s.load()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.tbl.Navigate(k.listKeys, msg):
		case key.Matches(msg, k.Open, k.Overdue):
			if s.tbl.cursor < len(s.rows) {
				r := s.rows[s.tbl.cursor]
				f := queue.TeamFilter{Owner: r.Agent.Name, Pool: r.Pool(), Overdue: key.Matches(msg, k.Overdue)}
				s.c.post(switchScreenMsg{id: screenTeam, then: teamFilterMsg{filter: f}})
			}
		}
	}
	return nil
}

func (s *boardScreen) cell(r, col int) string {
	t := s.c.Text
	row := s.rows[r]
	count := func(n int) string { return fmt.Sprint(n) }
	switch col {
	case 0:
		if row.Pool() {
			return t.TeamPool
		}
		return Safe(row.Agent.DisplayName) + " " + Safe(row.Agent.Name)
	case 1:
		switch {
		case row.Pool():
			return ""
		case row.Online:
			return "●"
		}
		return "○"
	case 2:
		return Safe(row.OnCustomer)
	case 3:
		if row.Pool() {
			return ""
		}
		return count(row.Claimed)
	case 4:
		return count(row.Open)
	case 5:
		return count(row.DueToday)
	case 6:
		return count(row.Overdue)
	case 7:
		if row.Pool() {
			return ""
		}
		return count(row.DoneToday)
	case 8:
		if row.DoneToday == 0 {
			return ""
		}
		return fmt.Sprintf("%d:%02d", int(row.Handling.Minutes()), int(row.Handling.Seconds())%60)
	case 9:
		if r := row.ReachRate(); r >= 0 {
			return fmt.Sprintf("%.0f%%", 100*r)
		}
	}
	return ""
}

func (s *boardScreen) rowStyle(r int) (lipgloss.Style, bool) {
	row := s.rows[r]
	switch {
	case row.Overdue > 0:
		return s.c.Styles.Overdue, true
	case !row.Online && !row.Pool():
		return s.c.Styles.Muted, true
	}
	return lipgloss.Style{}, false
}

func (s *boardScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	title := st.TitleFocused.Render(t.ScreenBoard) + "  " + st.Muted.Render(fmt.Sprintf(t.BoardAt, s.c.Now().In(s.c.Site()).Format("15:04")))
	body := s.tbl.View(st)
	switch {
	case s.err != nil:
		body = st.Bad.Render(Safe(t.Refusal(s.err, s.c.Now())))
	case s.rows == nil:
		body = st.Muted.Render(t.Loading)
	}
	return drawBox(st, title+"\n"+body, true, s.w, s.h)
}

func (s *boardScreen) Typing() bool        { return false }
func (s *boardScreen) Cursor() *tea.Cursor { return nil }

func (s *boardScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Open, k.Overdue, k.Move}
}

func (s *boardScreen) HelpGroups() []helpGroup {
	k := s.keys
	return []helpGroup{{s.c.Text.ScreenBoard, []key.Binding{k.Move, k.Pages, k.Open, k.Overdue}}}
}

// Click moves the cursor to the row under the mouse.
func (s *boardScreen) Click(x, y int) tea.Cmd {
	row := y - s.c.Styles.Pane.GetVerticalFrameSize()/2 - 2 + s.tbl.offset
	if row >= s.tbl.offset && row < s.tbl.n {
		s.tbl.cursor = row
		s.tbl.scroll()
	}
	return nil
}

// Wheel moves the cursor.
func (s *boardScreen) Wheel(x, y int, up bool) tea.Cmd {
	if up {
		s.tbl.Move(-1)
	} else {
		s.tbl.Move(1)
	}
	return nil
}
