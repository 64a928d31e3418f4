package floor

import (
	"context"
	"fmt"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/queue"
)

// BoardScreen is the team board: one row per agent (online, on which
// customer, claims, open work, overdue, done today, handling time, reach
// rate) and the pool. It reloads with every change, like the queue; enter
// opens the team's callbacks filtered to the row's agent.
type BoardScreen struct {
	kit.TablePage[queue.BoardRow]
	c    *kit.Common
	keys boardKeys
}

type boardKeys struct {
	kit.ListKeys
	Open, Overdue key.Binding
}

func NewBoardScreen(c *kit.Common) *BoardScreen {
	t := c.Text
	s := &BoardScreen{TablePage: kit.TablePage[queue.BoardRow]{C: c}, c: c, keys: boardKeys{ListKeys: kit.NewListKeys(t),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyAgentCallbacks)),
		Overdue: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.KeyAgentOverdue)),
	}}
	s.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColAgent, Width: 14}, {Title: t.ColOnline, Width: 2}, {Title: t.ColOnCustomer, Width: 14},
		{Title: t.ColClaimed, Width: 4, Right: true}, {Title: t.ColOpen, Width: 5, Right: true},
		{Title: t.ColDueToday, Width: 6, Right: true}, {Title: t.ColOverdue, Width: 5, Right: true},
		{Title: t.ColDoneToday, Width: 6, Right: true}, {Title: t.ColHandling, Width: 8, Right: true},
		{Title: t.ColReach, Width: 6, Right: true}, {Title: "", Width: 1, Flex: true},
	}, Cell: s.cell, Style: s.rowStyle}
	return s
}

// Init loads the board the first time it is shown.
func (s *BoardScreen) Init() tea.Cmd { return s.Load() }

// Load reads the board.
func (s *BoardScreen) Load() tea.Cmd {
	svc, agent, now, loc := s.c.Queue, s.c.Agent, s.c.Now(), s.c.Site()
	return s.TablePage.Load(func(ctx context.Context) ([]queue.BoardRow, error) {
		return svc.Board(ctx, agent, now, loc)
	})
}

func (s *BoardScreen) Update(msg tea.Msg) tea.Cmd {
	if s.Loaded(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case kit.ReloadMsg, kit.PresenceReloadMsg, kit.TickMsg:
		return s.Load()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.Tbl.Navigate(k.ListKeys, msg):
		case key.Matches(msg, k.Open, k.Overdue):
			if s.Tbl.Cursor < len(s.Rows) {
				r := s.Rows[s.Tbl.Cursor]
				f := queue.TeamFilter{Owner: r.Agent.Name, Pool: r.Pool(), Overdue: key.Matches(msg, k.Overdue)}
				s.c.Post(kit.SwitchScreenMsg{ID: kit.ScreenTeam, Then: TeamFilterMsg{Filter: f}})
			}
		}
	}
	return nil
}

func (s *BoardScreen) cell(r, col int) string {
	t := s.c.Text
	row := s.Rows[r]
	count := func(n int) string { return fmt.Sprint(n) }
	switch col {
	case 0:
		if row.Pool() {
			return t.TeamPool
		}
		return kit.Safe(row.Agent.DisplayName) + " " + kit.Safe(row.Agent.Name)
	case 1:
		switch {
		case row.Pool():
			return ""
		case row.Online:
			return "●"
		}
		return "○"
	case 2:
		return kit.Safe(row.OnCustomer)
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

func (s *BoardScreen) rowStyle(r int) (lipgloss.Style, bool) {
	row := s.Rows[r]
	switch {
	case row.Overdue > 0:
		return s.c.Styles.Overdue, true
	case !row.Online && !row.Pool():
		return s.c.Styles.Muted, true
	}
	return lipgloss.Style{}, false
}

func (s *BoardScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	return s.Frame(st.TitleFocused.Render(t.ScreenBoard) + "  " + st.Muted.Render(kit.Sprintf(t.BoardAt, s.c.Now().In(s.c.Site()).Format("15:04"))))
}

func (s *BoardScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Open, k.Overdue, k.Move}
}

func (s *BoardScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenBoard, Keys: []key.Binding{k.Move, k.Pages, k.Open, k.Overdue}}}
}
