package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// choicePane asks to pick one of a few items (an agent to move callbacks
// to, say); the pick comes back as the message pick makes, posted to the
// root, and closes the box. Picking is the confirmation: the title says
// what will happen and to how many.
type choicePane struct {
	c      *Common
	title  string
	items  []string
	pick   func(i int) tea.Msg
	cursor int
	closed bool
	w      int
}

func newChoice(c *Common, title string, items []string, pick func(int) tea.Msg) *choicePane {
	return &choicePane{c: c, title: title, items: items, pick: pick}
}

func (m *choicePane) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch s := k.String(); s {
	case "esc", "q":
		m.closed = true
	case "up", "k":
		m.cursor = max(0, m.cursor-1)
	case "down", "j":
		m.cursor = min(len(m.items)-1, m.cursor+1)
	case "enter":
		m.closed = true
		m.c.post(m.pick(m.cursor))
	default:
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err == nil && n >= 1 && n <= len(m.items) && len(s) == 1 {
			m.closed = true
			m.c.post(m.pick(n - 1))
		}
	}
	return nil
}

func (m *choicePane) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(Safe(m.title)) + "\n\n")
	for i, it := range m.items {
		line := fmt.Sprintf("%d  %s", i+1, Safe(it))
		if i >= 9 {
			line = "   " + Safe(it)
		}
		if i == m.cursor {
			line = st.Selected.Render(fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *choicePane) SetSize(w, h int)   { m.w = w }
func (m *choicePane) Done() bool         { return m.closed }
func (m *choicePane) BoxWidth(w int) int { return min(w, 56) }
func (m *choicePane) Keys() []key.Binding {
	t := m.c.Text
	return []key.Binding{hint("1-9/enter", t.KeyPick), hint("esc", t.KeyCancel)}
}

// confirmPane asks yes or no; yes runs the command it was given.
type confirmPane struct {
	c      *Common
	text   string
	yes    tea.Cmd
	closed bool
	w      int
}

func newConfirm(c *Common, text string, yes tea.Cmd) *confirmPane {
	return &confirmPane{c: c, text: text, yes: yes}
}

func (m *confirmPane) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch k.String() {
	case "y", "Y", "enter":
		m.closed = true
		return m.yes
	case "n", "N", "esc", "q":
		m.closed = true
	}
	return nil
}

func (m *confirmPane) View() string {
	st, t := m.c.Styles, m.c.Text
	return st.TitleFocused.Render(t.ConfirmTitle) + "\n\n" + wrap(Safe(m.text), max(1, m.w)) + "\n\n" + st.Muted.Render(t.ConfirmKeys)
}

func (m *confirmPane) SetSize(w, h int)   { m.w = w }
func (m *confirmPane) Done() bool         { return m.closed }
func (m *confirmPane) BoxWidth(w int) int { return min(w, 60) }
func (m *confirmPane) Keys() []key.Binding {
	return []key.Binding{hint("y/enter", m.c.Text.KeyYes), hint("n/esc", m.c.Text.KeyNo)}
}
