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
// time (follow-up, customer's time) asks for a phrase right there; a code
// that cannot be taken back by calling again (do not call, wrong number)
// asks to be sure. esc at any step closes the picker with nothing stored.
type wrapupPane struct {
	c       *Common
	cb      queue.Callback
	codes   []queue.Disposition
	cursor  int
	phrase  *phraseInput // open while asking for the next due time
	confirm bool         // asking to be sure of codes[cursor]
	saving  bool
	closed  bool
	err     string
	w, h    int
	keys    wrapupKeys
}

type wrapupKeys struct {
	Up, Down, Pick, Time, Note, Close key.Binding
}

func newWrapupKeys(t Text) wrapupKeys {
	return wrapupKeys{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		Pick:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("1-9/enter", t.KeyPick)),
		Time:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.KeySetTime)),
		Note:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.KeyNote)),
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
// wrap-up once a code (and, if needed, a time or a yes) is chosen.
func (m *wrapupPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case doneMsg:
		m.saving = false
		if msg.err == nil {
			m.closed = true
		} else {
			m.err = m.c.Text.Refusal(msg.err, m.c.Now())
		}
		return nil
	case tea.KeyPressMsg:
		if m.saving {
			return nil
		}
		if key.Matches(msg, m.keys.Close) {
			m.closed = true // from any step: nothing is stored
			return nil
		}
		m.err = ""
		switch {
		case m.confirm:
			switch msg.String() {
			case "y", "Y", "enter":
				m.confirm = false
				return m.finish(m.codes[m.cursor], time.Time{})
			case "n", "N":
				m.confirm = false
			}
			return nil
		case m.phrase != nil:
			if key.Matches(msg, m.keys.Pick) {
				at, err := m.phrase.Time()
				if err != nil {
					return nil // the reason is on screen; the form stays open
				}
				return m.finish(m.codes[m.cursor], at)
			}
			return m.phrase.Update(msg)
		}
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(len(m.codes)-1, m.cursor+1)
		case key.Matches(msg, m.keys.Pick):
			return m.pick(m.cursor, false)
		case key.Matches(msg, m.keys.Time):
			return m.pick(m.cursor, true)
		case key.Matches(msg, m.keys.Note):
			m.closed = true
			m.c.post(openNoteMsg{customerID: m.cb.CustomerID, name: m.cb.CustomerName, callbackID: m.cb.ID})
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
// the code needs one (or the agent asked to give one with t), or asks to
// be sure when it cannot be taken back.
func (m *wrapupPane) pick(i int, askTime bool) tea.Cmd {
	d := m.codes[i]
	if d.AsksDue || (askTime && d.Next == queue.Scheduled) {
		def := ""
		if d.Code == "follow_up" {
			def = m.c.Text.DefaultFollowUp
		}
		win := m.cb.Window
		m.phrase = newPhraseInput(m.c, m.cb.CustomerTZ, def, &win)
		m.phrase.SetWidth(m.w)
		return m.phrase.Focus()
	}
	if d.Effect != "" {
		m.confirm = true
		return nil
	}
	return m.finish(d, time.Time{})
}

func (m *wrapupPane) finish(d queue.Disposition, due time.Time) tea.Cmd {
	m.saving = true
	svc, ctx, agent, before := m.c.Queue, m.c.Ctx, m.c.Agent, m.cb
	label := m.c.Text.DispositionLabel(d)
	return func() tea.Msg {
		out, err := svc.Done(ctx, agent, before.ID, queue.Wrapup{Disposition: d.Code, Due: due})
		return doneMsg{outcome: out, label: label, before: before, final: d.Effect != "", err: err}
	}
}

// overlayKey makes one wrap-up per callback open at a time.
func (m *wrapupPane) overlayKey() string { return fmt.Sprintf("wrapup %d", m.cb.ID) }

func (m *wrapupPane) View() string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(fmt.Sprintf(t.WrapupTitle, Safe(m.cb.CustomerName), m.cb.ID)) + "\n")
	b.WriteString(st.Muted.Render(Safe(m.cb.Reason)) + "\n\n")
	for i, d := range m.codes {
		line := fmt.Sprintf("%d  %s", i+1, Safe(t.DispositionLabel(d)))
		switch {
		case d.AsksDue:
			line += st.Muted.Render("  (" + t.AsksTime + ")")
		case d.Effect != "":
			line += st.Warn.Render("  (" + t.Final + ")")
		}
		if d.NeedsNote {
			line += st.Muted.Render("  (" + t.FieldNeedsNote + ")")
		}
		if i == m.cursor {
			line = st.Selected.Render(fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	switch {
	case m.confirm:
		b.WriteString("\n" + st.Warn.Render(wrap(fmt.Sprintf(t.ConfirmFinal, Safe(t.DispositionLabel(m.codes[m.cursor]))), max(1, m.w))))
	case m.phrase != nil:
		b.WriteString("\n" + st.Label.Render(t.NextCallAt) + "\n" + m.phrase.View())
	}
	if m.err != "" {
		b.WriteString("\n" + st.Bad.Render(wrap(Safe(m.err), max(1, m.w))))
	}
	return clipLines(b.String(), m.w, m.h)
}

// Keys are the picker's bindings for the help line.
func (m *wrapupPane) Keys() []key.Binding {
	k := m.keys
	switch {
	case m.confirm:
		return []key.Binding{hint("y", m.c.Text.KeyYes), hint("n", m.c.Text.KeyNo), k.Close}
	case m.phrase != nil:
		// enter keeps the time typed; the digits go into it, not to the list
		return []key.Binding{hint("enter", m.c.Text.KeySave), hint(phraseOpening, m.c.Text.KeyOpening), k.Close}
	}
	return []key.Binding{k.Pick, k.Up, k.Down, k.Time, k.Note, k.Close}
}

func (m *wrapupPane) Done() bool { return m.closed }

func (m *wrapupPane) BoxWidth(w int) int { return min(w, 64) }
