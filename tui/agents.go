package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
)

// agentsScreen is the admin's list of agents: add one, change a role or a
// cap, deactivate (their callbacks go to the pool, their claims are
// released, their consoles stop working for them) and reactivate.
type agentsScreen struct {
	c      *Common
	keys   agentsKeys
	agents []agentRow
	err    error
	reqID  int
	tbl    table
	w, h   int
}

type agentRow struct {
	crm.Agent
	cap int
}

type agentsKeys struct {
	listKeys
	Add, Role, Cap, Deactivate, Activate key.Binding
}

// agentsLoadedMsg carries the agents.
type agentsLoadedMsg struct {
	reqID  int
	agents []agentRow
	err    error
}

func newAgentsScreen(c *Common) *agentsScreen {
	t := c.Text
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	s := &agentsScreen{c: c, keys: agentsKeys{listKeys: newListKeys(t), Add: b("a", t.KeyAddAgent), Role: b("r", t.KeyRole),
		Cap: b("c", t.KeyCap), Deactivate: b("d", t.KeyDeactivate), Activate: b("A", t.KeyActivate)}}
	s.tbl = table{cols: []column{
		{title: t.ColAgent, width: 12}, {title: t.ColDisplay, width: 12}, {title: t.ColRole, width: 10},
		{title: t.ColActive, width: 8}, {title: t.ColCap, width: 8, right: true}, {title: "", width: 1, flex: true},
	}, cell: s.cell, style: s.rowStyle}
	return s
}

// Init reads the agents.
func (s *agentsScreen) Init() tea.Cmd { return s.load() }

func (s *agentsScreen) load() tea.Cmd {
	s.reqID++
	id, svc, ctx := s.reqID, s.c.CRM, s.c.Ctx
	return func() tea.Msg {
		as, err := svc.Agents(ctx)
		rows := make([]agentRow, len(as))
		for i, a := range as {
			rows[i].Agent = a
			if err == nil {
				rows[i].cap, err = svc.AgentCap(ctx, a.Name)
			}
		}
		return agentsLoadedMsg{reqID: id, agents: rows, err: err}
	}
}

func (s *agentsScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.fitPane(s.c, w, h, 1)
}

func (s *agentsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case agentsLoadedMsg:
		if msg.reqID == s.reqID {
			s.agents, s.err = msg.agents, msg.err
			s.tbl.SetRows(len(s.agents))
		}
	case reloadMsg, actionDoneMsg:
		return s.load()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *agentsScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k, t := s.keys, s.c.Text
	switch {
	case s.tbl.Navigate(k.listKeys, msg):
		return nil
	case key.Matches(msg, k.Add):
		f := s.addForm()
		s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
		return nil
	}
	if s.tbl.cursor >= len(s.agents) {
		return nil
	}
	a := s.agents[s.tbl.cursor]
	crmSvc, q, me := s.c.CRM, s.c.Queue, s.c.Agent
	do := func(text string, write func(ctx context.Context) error) tea.Cmd { return runAction(s.c, text, write) }
	switch {
	case key.Matches(msg, k.Role):
		roles := []crm.Role{crm.RoleAgent, crm.RoleSupervisor, crm.RoleAdmin}
		names := []string{t.Role("agent"), t.Role("supervisor"), t.Role("admin")}
		s.c.post(openOverlayMsg{o: newChoice(s.c, fmt.Sprintf(t.AskRole, a.Name), names, func(i int) tea.Msg {
			r := roles[i]
			return runCmdMsg{cmd: do(fmt.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error {
				return crmSvc.SetAgent(ctx, me, a.Name, crm.AgentChange{Role: &r})
			})}
		})})
	case key.Matches(msg, k.Cap):
		f := newForm(s.c, fmt.Sprintf(t.AskCap, a.Name), func(v []string, _ []bool) (tea.Cmd, error) {
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 0 {
				return nil, errors.New(t.BadCap)
			}
			return do(fmt.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error {
				return crmSvc.SetAgent(ctx, me, a.Name, crm.AgentChange{MaxActive: &n})
			}), nil
		}).text(t.ColCap, strconv.Itoa(a.cap), "0 = "+t.CapDefault)
		s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
	case key.Matches(msg, k.Deactivate):
		if a.Active {
			s.c.post(openOverlayMsg{o: newConfirm(s.c, fmt.Sprintf(t.AskDeactivate, a.DisplayName, a.Name),
				do(fmt.Sprintf(t.DoneDeactivate, a.Name), func(ctx context.Context) error { return q.Deactivate(ctx, me, a.Name) }))})
		}
	case key.Matches(msg, k.Activate):
		if !a.Active {
			s.c.post(openOverlayMsg{o: newConfirm(s.c, fmt.Sprintf(t.AskActivate, a.Name),
				do(fmt.Sprintf(t.DoneAgent, a.Name), func(ctx context.Context) error { return crmSvc.Activate(ctx, me, a.Name) }))})
		}
	}
	return nil
}

func (s *agentsScreen) addForm() *formPane {
	t, crmSvc, me := s.c.Text, s.c.CRM, s.c.Agent
	return newForm(s.c, t.KeyAddAgent, func(v []string, _ []bool) (tea.Cmd, error) {
		role, err := crm.ParseRole(v[2])
		if err != nil {
			return nil, errors.New(t.BadRole)
		}
		return runAction(s.c, fmt.Sprintf(t.DoneAgent, v[0]), func(ctx context.Context) error {
			_, err := crmSvc.AddAgent(ctx, me, crm.Agent{Name: v[0], DisplayName: v[1], Role: role})
			return err
		}), nil
	}).text(t.ColAgent, "", "hana").text(t.ColDisplay, "", "한하나").text(t.ColRole, "agent", "agent, supervisor, admin")
}

func (s *agentsScreen) cell(r, col int) string {
	t, a := s.c.Text, s.agents[r]
	switch col {
	case 0:
		return Safe(a.Name)
	case 1:
		return Safe(a.DisplayName)
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

func (s *agentsScreen) rowStyle(r int) (lipgloss.Style, bool) {
	if !s.agents[r].Active {
		return s.c.Styles.Muted, true
	}
	return lipgloss.Style{}, false
}

func (s *agentsScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	body := s.tbl.View(st)
	if s.err != nil {
		body = st.Bad.Render(Safe(t.Refusal(s.err, s.c.Now())))
	}
	return drawBox(st, st.TitleFocused.Render(t.ScreenAgents)+"\n"+body, true, s.w, s.h)
}

func (s *agentsScreen) Typing() bool        { return false }
func (s *agentsScreen) Cursor() *tea.Cursor { return nil }

func (s *agentsScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Add, k.Role, k.Cap, k.Deactivate, k.Activate, k.Move}
}

func (s *agentsScreen) HelpGroups() []helpGroup {
	k := s.keys
	return []helpGroup{{s.c.Text.ScreenAgents, []key.Binding{k.Up, k.Down, k.Add, k.Role, k.Cap, k.Deactivate, k.Activate}}}
}
