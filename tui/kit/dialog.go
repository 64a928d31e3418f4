package kit

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// ChoicePane asks to pick one of a few items (an agent to move callbacks
// to, say); the pick comes back as the message pick makes, posted to the
// root, and closes the box. Picking is the confirmation: the title says
// what will happen and to how many.
type ChoicePane struct {
	c      *Common
	title  string
	Items  []string
	pick   func(i int) tea.Msg
	cursor int
	closed bool
	w      int
}

func NewChoice(c *Common, title string, items []string, pick func(int) tea.Msg) *ChoicePane {
	return &ChoicePane{c: c, title: title, Items: items, pick: pick}
}

func (m *ChoicePane) Update(msg tea.Msg) tea.Cmd {
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
		m.cursor = min(len(m.Items)-1, m.cursor+1)
	case "enter":
		m.closed = true
		m.c.Post(m.pick(m.cursor))
	default:
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err == nil && n >= 1 && n <= len(m.Items) && len(s) == 1 {
			m.closed = true
			m.c.Post(m.pick(n - 1))
		}
	}
	return nil
}

func (m *ChoicePane) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(Safe(m.title)) + "\n\n")
	for i, it := range m.Items {
		line := fmt.Sprintf("%d  %s", i+1, Safe(it))
		if i >= 9 {
			line = "   " + Safe(it)
		}
		if i == m.cursor {
			line = st.Selected.Render(Fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *ChoicePane) SetSize(w, h int)   { m.w = w }
func (m *ChoicePane) Done() bool         { return m.closed }
func (m *ChoicePane) BoxWidth(w int) int { return min(w, 56) }
func (m *ChoicePane) Keys() []key.Binding {
	t := m.c.Text
	return []key.Binding{Hint("1-9/enter", t.KeyPick), Hint("esc", t.KeyCancel)}
}

// ConfirmPane asks yes or no; yes runs the command it was given.
type ConfirmPane struct {
	c      *Common
	text   string
	yes    tea.Cmd
	closed bool
	w      int
}

func NewConfirm(c *Common, text string, yes tea.Cmd) *ConfirmPane {
	return &ConfirmPane{c: c, text: text, yes: yes}
}

func (m *ConfirmPane) Update(msg tea.Msg) tea.Cmd {
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

func (m *ConfirmPane) View() string {
	st, t := m.c.Styles, m.c.Text
	return st.TitleFocused.Render(t.ConfirmTitle) + "\n\n" + Wrap(Safe(m.text), max(1, m.w)) + "\n\n" + st.Muted.Render(t.ConfirmKeys)
}

func (m *ConfirmPane) SetSize(w, h int)   { m.w = w }
func (m *ConfirmPane) Done() bool         { return m.closed }
func (m *ConfirmPane) BoxWidth(w int) int { return min(w, 60) }
func (m *ConfirmPane) Keys() []key.Binding {
	return []key.Binding{Hint("y/enter", m.c.Text.KeyYes), Hint("n/esc", m.c.Text.KeyNo)}
}
