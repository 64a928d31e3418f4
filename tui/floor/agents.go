package floor

import (
	"context"
	"errors"
	"strconv"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
)

// AgentsScreen is the admin's list of agents: add one, change a role or a
// cap, deactivate (their callbacks go to the pool, their claims are
// released, their consoles stop working for them) and reactivate.
type AgentsScreen struct {
	kit.TablePage[agentRow]
	c    *kit.Common
	keys agentsKeys
}

type agentRow struct {
	crm.Agent
	cap int
}

type agentsKeys struct {
	kit.ListKeys
	Add, Role, Cap, Deactivate, Activate key.Binding
}

func NewAgentsScreen(c *kit.Common) *AgentsScreen {
	t := c.Text
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	s := &AgentsScreen{TablePage: kit.TablePage[agentRow]{C: c}, c: c, keys: agentsKeys{ListKeys: kit.NewListKeys(t), Add: b("a", t.KeyAddAgent), Role: b("r", t.KeyRole),
		Cap: b("c", t.KeyCap), Deactivate: b("d", t.KeyDeactivate), Activate: b("A", t.KeyActivate)}}
	s.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColAgent, Width: 12}, {Title: t.ColDisplay, Width: 12}, {Title: t.ColRole, Width: 10},
		{Title: t.ColActive, Width: 8}, {Title: t.ColCap, Width: 8, Right: true}, {Title: "", Width: 1, Flex: true},
	}, Cell: s.cell, Style: s.rowStyle}
	return s
}

// Init reads the agents.
func (s *AgentsScreen) Init() tea.Cmd { return s.Load() }

// Load reads the agents and their caps.
func (s *AgentsScreen) Load() tea.Cmd {
	svc := s.c.CRM
	return s.TablePage.Load(func(ctx context.Context) ([]agentRow, error) {
		as, err := svc.Agents(ctx)
		rows := make([]agentRow, len(as))
		for i, a := range as {
			rows[i].Agent = a
			if err == nil {
				rows[i].cap, err = svc.AgentCap(ctx, a.Name)
			}
		}
		return rows, err
	})
}

func (s *AgentsScreen) Update(msg tea.Msg) tea.Cmd {
	if s.Loaded(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case kit.ReloadMsg, kit.ActionDoneMsg:
		return s.Load()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *AgentsScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k, t := s.keys, s.c.Text
	switch {
	case s.Tbl.Navigate(k.ListKeys, msg):
		return nil
	case key.Matches(msg, k.Add):
		f := s.addForm()
		s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
		return nil
	}
	if s.Tbl.Cursor >= len(s.Rows) {
		return nil
	}
	a := s.Rows[s.Tbl.Cursor]
	crmSvc, q, me := s.c.CRM, s.c.Queue, s.c.Agent
	do := func(text string, write func(ctx context.Context) error) tea.Cmd {
		return kit.RunAction(s.c, text, write)
	}
	switch {
	case key.Matches(msg, k.Role):
		roles := []crm.Role{crm.RoleAgent, crm.RoleSupervisor, crm.RoleAdmin}
		names := []string{t.Role("agent"), t.Role("supervisor"), t.Role("admin")}
		s.c.Post(kit.OpenOverlayMsg{Overlay: kit.NewChoice(s.c, kit.Sprintf(t.AskRole, a.Name), names, func(i int) tea.Msg {
			r := roles[i]
			return kit.RunCmdMsg{Cmd: do(kit.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error {
				return crmSvc.SetAgent(ctx, me, a.Name, crm.AgentChange{Role: &r})
			})}
		})})
	case key.Matches(msg, k.Cap):
		f := kit.NewForm(s.c, kit.Sprintf(t.AskCap, a.Name), func(v []string, _ []bool) (tea.Cmd, error) {
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 0 {
				return nil, errors.New(t.BadCap)
			}
			return do(kit.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error {
				return crmSvc.SetAgent(ctx, me, a.Name, crm.AgentChange{MaxActive: &n})
			}), nil
		}).Text(t.ColCap, strconv.Itoa(a.cap), "0 = "+t.CapDefault)
		s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
	case key.Matches(msg, k.Deactivate):
		if a.Active {
			s.c.Post(kit.OpenOverlayMsg{Overlay: kit.NewConfirm(s.c, kit.Sprintf(t.AskDeactivate, a.DisplayName, a.Name),
				do(kit.Sprintf(t.DoneDeactivate, a.Name), func(ctx context.Context) error { return q.Deactivate(ctx, me, a.Name) }))})
		}
	case key.Matches(msg, k.Activate):
		if !a.Active {
			s.c.Post(kit.OpenOverlayMsg{Overlay: kit.NewConfirm(s.c, kit.Sprintf(t.AskActivate, a.Name),
				do(kit.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error { return crmSvc.Activate(ctx, me, a.Name) }))})
		}
	}
	return nil
}

func (s *AgentsScreen) addForm() *kit.FormPane {
	t, crmSvc, me := s.c.Text, s.c.CRM, s.c.Agent
	return kit.NewForm(s.c, t.KeyAddAgent, func(v []string, _ []bool) (tea.Cmd, error) {
		role, err := crm.ParseRole(v[2])
		if err != nil {
			return nil, errors.New(t.BadRole)
		}
		return kit.RunAction(s.c, kit.Sprintf(t.DoneAgent, v[0]), func(ctx context.Context) error {
			_, err := crmSvc.AddAgent(ctx, me, crm.Agent{Name: v[0], DisplayName: v[1], Role: role})
			return err
		}), nil
	}).Text(t.ColAgent, "", "hana").Text(t.ColDisplay, "", "한하나").Choice(t.ColRole, "agent", t.RoleOptions())
}

func (s *AgentsScreen) cell(r, col int) string {
	t, a := s.c.Text, s.Rows[r]
	switch col {
	case 0:
		return kit.Safe(a.Name)
	case 1:
		return kit.Safe(a.DisplayName)
	case 2:
		return t.Role(string(a.Role))
	case 3:
		if a.Active {
			return t.Yes
		}
		return t.No
	case 4:
		if a.cap == 0 {
			return t.CapDefault
		}
		return strconv.Itoa(a.cap)
	}
	return ""
}

func (s *AgentsScreen) rowStyle(r int) (lipgloss.Style, bool) {
	if !s.Rows[r].Active {
		return s.c.Styles.Muted, true
	}
	return lipgloss.Style{}, false
}

func (s *AgentsScreen) View() string {
	return s.Frame(s.c.Styles.TitleFocused.Render(s.c.Text.ScreenAgents))
}

func (s *AgentsScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Add, k.Role, k.Cap, k.Deactivate, k.Activate, k.Move}
}

func (s *AgentsScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenAgents, Keys: []key.Binding{k.Up, k.Down, k.Add, k.Role, k.Cap, k.Deactivate, k.Activate}}}
}
