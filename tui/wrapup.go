package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/queue"
)

// wrapupPane is the disposition picker: how the call ended, and when the
// next call is, in one flow. A number picks a code; a code that needs a
// time (follow-up, customer's time) asks for a phrase right there.
type wrapupPane struct {
	c      *Common
	cb     queue.Callback
	codes  []queue.Disposition
	cursor int
	phrase *phraseInput // open while asking for the next due time
	saving bool
	closed bool
	w, h   int
	keys   wrapupKeys
}

type wrapupKeys struct {
	Up, Down, Pick, Time, Close key.Binding
}

func newWrapupKeys(t Text) wrapupKeys {
	return wrapupKeys{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		Pick:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("1-9/enter", t.KeyPick)),
		Time:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.KeySetTime)),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyCancel)),
	}
}

func newWrapupPane(c *Common, cb queue.Callback, codes []queue.Disposition) *wrapupPane {
	return &wrapupPane{c: c, cb: cb, codes: codes, keys: newWrapupKeys(c.Text)}
}

func (m *wrapupPane) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.phrase != nil {
		m.phrase.SetWidth(w)
	}
}

// Update handles the picker's keys; it returns the command that stores the
// wrap-up once a code (and, if needed, a time) is chosen.
func (m *wrapupPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case doneMsg:
		m.saving = false
		if msg.err == nil {
			m.closed = true
		}
		return nil
	case tea.KeyPressMsg:
		if m.saving {
			return nil
		}
		if m.phrase != nil {
			switch {
			case key.Matches(msg, m.keys.Close):
				m.phrase = nil
				return nil
			case key.Matches(msg, m.keys.Pick):
				at, err := m.phrase.Time()
				if err != nil {
					return nil // the error is on screen; the form stays open
				}
				return m.finish(m.codes[m.cursor], at)
			}
			return m.phrase.Update(msg)
		}
		switch {
		case key.Matches(msg, m.keys.Close):
			m.closed = true
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(len(m.codes)-1, m.cursor+1)
		case key.Matches(msg, m.keys.Pick):
			return m.pick(m.cursor, false)
		case key.Matches(msg, m.keys.Time):
			return m.pick(m.cursor, true)
		default:
			if n, err := strconv.Atoi(msg.String()); err == nil && n >= 1 && n <= len(m.codes) {
				m.cursor = n - 1
				return m.pick(m.cursor, false)
			}
		}
	}
	return nil
}

// pick chooses a code: it is stored at once, or first asks for a time when
// the code needs one (or the agent asked to give one with t).
func (m *wrapupPane) pick(i int, askTime bool) tea.Cmd {
	d := m.codes[i]
	if d.AsksDue || (askTime && d.Next == queue.Scheduled) {
		initial := ""
		if d.Code == "follow_up" {
			initial = m.c.Text.DefaultFollowUp
		}
		m.phrase = newPhraseInput(m.c, m.cb.CustomerTZ, initial)
		m.phrase.SetWidth(m.w)
		return m.phrase.Focus()
	}
	return m.finish(d, time.Time{})
}

func (m *wrapupPane) finish(d queue.Disposition, due time.Time) tea.Cmd {
	m.saving = true
	svc, ctx, agent, id := m.c.Queue, m.c.Ctx, m.c.Agent, m.cb.ID
	label := m.c.Text.DispositionLabel(d)
	return func() tea.Msg {
		out, err := svc.Done(ctx, agent, id, queue.Wrapup{Disposition: d.Code, Due: due})
		return doneMsg{outcome: out, label: label, err: err}
	}
}

func (m *wrapupPane) View() string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(fmt.Sprintf(t.WrapupTitle, safe(m.cb.CustomerName), m.cb.ID)) + "\n")
	b.WriteString(st.Muted.Render(safe(m.cb.Reason)) + "\n\n")
	for i, d := range m.codes {
		line := fmt.Sprintf("%d  %s", i+1, safe(t.DispositionLabel(d)))
		if d.AsksDue {
			line += st.Muted.Render("  (" + t.AsksTime + ")")
		}
		if i == m.cursor {
			line = st.Selected.Render(fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	if m.phrase != nil {
		b.WriteString("\n" + st.Label.Render(t.NextCallAt) + "\n" + m.phrase.View())
	}
	return clipLines(b.String(), m.w, m.h)
}

// Keys are the picker's bindings for the help line.
func (m *wrapupPane) Keys() []key.Binding {
	k := m.keys
	if m.phrase != nil {
		return []key.Binding{k.Pick, k.Close}
	}
	return []key.Binding{k.Pick, k.Up, k.Down, k.Time, k.Close}
}
