package desk

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// WrapupPane is the disposition picker: how the call ended, and when the
// next call is, in one flow. A number picks a code; a code that needs a
// time (follow-up, customer's time) asks for a phrase right there; a code
// that cannot be taken back by calling again (do not call, wrong number)
// asks to be sure. esc at any step closes the picker with nothing stored.
type WrapupPane struct {
	c       *kit.Common
	cb      queue.Callback
	codes   []queue.Disposition
	cursor  int
	Phrase  *kit.PhraseInput // open while asking for the next due time
	best    crm.BestTime     // the customer's best time to call, once read
	confirm bool             // asking to be sure of codes[cursor]
	saving  bool
	closed  bool
	err     string
	w, h    int
	keys    wrapupKeys
}

type wrapupKeys struct {
	Up, Down, Pick, Time, Note, Close key.Binding
}

func newWrapupKeys(t kit.Text) wrapupKeys {
	return wrapupKeys{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		Pick:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("1-9/enter", t.KeyPick)),
		Time:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.KeySetTime)),
		Note:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.KeyNote)),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyCancel)),
	}
}

func newWrapupPane(c *kit.Common, cb queue.Callback, codes []queue.Disposition) *WrapupPane {
	return &WrapupPane{c: c, cb: cb, codes: codes, best: crm.BestTime{Band: -1}, keys: newWrapupKeys(c.Text)}
}

// openWrapupPane floats the picker for cb and reads the customer's best
// time to call behind it, for the time prompt.
func openWrapupPane(c *kit.Common, cb queue.Callback, codes []queue.Disposition) {
	m := newWrapupPane(c, cb, codes)
	svc, ctx, id := c.CRM, c.Ctx, cb.CustomerID
	c.Post(kit.OpenOverlayMsg{Overlay: m, Focus: func() tea.Msg {
		b, err := svc.BestTimeOf(ctx, id)
		return bestTimeMsg{callbackID: cb.ID, best: b, err: err}
	}})
}

// bestTimeMsg is the customer's best time, read for one wrap-up.
type bestTimeMsg struct {
	callbackID int64
	best       crm.BestTime
	err        error
}

func (m *WrapupPane) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.Phrase != nil {
		m.Phrase.SetWidth(w)
	}
}

// Update handles the picker's keys; it returns the command that stores the
// wrap-up once a code (and, if needed, a time or a yes) is chosen.
func (m *WrapupPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case bestTimeMsg:
		// Not read (a failure): the prompt says the best time is not known.
		if msg.callbackID == m.cb.ID && msg.err == nil {
			m.best = msg.best
			if m.Phrase != nil {
				m.Phrase.SetBest(m.best)
			}
		}
		return nil
	case kit.DoneMsg:
		m.saving = false
		if msg.Err == nil {
			m.closed = true
		} else {
			m.err = m.c.Text.Refusal(msg.Err, m.c.Now())
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
		case m.Phrase != nil:
			if key.Matches(msg, m.keys.Pick) {
				at, err := m.Phrase.Time()
				if err != nil {
					return nil // the reason is on screen; the form stays open
				}
				return m.finish(m.codes[m.cursor], at)
			}
			return m.Phrase.Update(msg)
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
			m.c.Post(kit.OpenNoteMsg{CustomerID: m.cb.CustomerID, Name: m.cb.CustomerName, CallbackID: m.cb.ID})
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
func (m *WrapupPane) pick(i int, askTime bool) tea.Cmd {
	d := m.codes[i]
	if d.AsksDue || (askTime && d.Next == queue.Scheduled) {
		def := ""
		if d.Code == "follow_up" {
			def = m.c.Text.DefaultFollowUp
		}
		win := m.cb.Window
		m.Phrase = kit.NewPhraseInput(m.c, m.cb.CustomerTZ, def, &win)
		m.Phrase.SetBest(m.best)
		m.Phrase.SetWidth(m.w)
		return m.Phrase.Focus()
	}
	if d.Effect != "" {
		m.confirm = true
		return nil
	}
	return m.finish(d, time.Time{})
}

func (m *WrapupPane) finish(d queue.Disposition, due time.Time) tea.Cmd {
	m.saving = true
	svc, ctx, agent, before := m.c.Queue, m.c.Ctx, m.c.Agent, m.cb
	label := m.c.Text.DispositionLabel(d)
	return func() tea.Msg {
		out, err := svc.Done(ctx, agent, before.ID, queue.Wrapup{Disposition: d.Code, Due: due})
		return kit.DoneMsg{Outcome: out, Label: label, Before: before, Final: d.Effect != "", Err: err}
	}
}

// OverlayKey makes one wrap-up per callback open at a time.
func (m *WrapupPane) OverlayKey() string { return fmt.Sprintf("wrapup %d", m.cb.ID) }

func (m *WrapupPane) View() string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(kit.Sprintf(t.WrapupTitle, kit.Safe(m.cb.CustomerName), m.cb.ID)) + "\n")
	b.WriteString(st.Muted.Render(kit.Safe(m.cb.Reason)) + "\n\n")
	for i, d := range m.codes {
		line := fmt.Sprintf("%d  %s", i+1, kit.Safe(t.DispositionLabel(d)))
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
			line = st.Selected.Render(kit.Fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	switch {
	case m.confirm:
		b.WriteString("\n" + st.Warn.Render(kit.Wrap(kit.Sprintf(t.ConfirmFinal, kit.Safe(t.DispositionLabel(m.codes[m.cursor]))), max(1, m.w))))
	case m.Phrase != nil:
		b.WriteString("\n" + st.Label.Render(t.NextCallAt) + "\n" + m.Phrase.View())
	}
	if m.err != "" {
		b.WriteString("\n" + st.Bad.Render(kit.Wrap(kit.Safe(m.err), max(1, m.w))))
	}
	return kit.ClipLines(b.String(), m.w, m.h)
}

// Keys are the picker's bindings for the help line.
func (m *WrapupPane) Keys() []key.Binding {
	k := m.keys
	switch {
	case m.confirm:
		return []key.Binding{kit.Hint("y", m.c.Text.KeyYes), kit.Hint("n", m.c.Text.KeyNo), k.Close}
	case m.Phrase != nil:
		// enter keeps the time typed; the digits go into it, not to the list
		return []key.Binding{kit.Hint("enter", m.c.Text.KeySave), kit.Hint(kit.PhraseOpening, m.c.Text.KeyOpening), k.Close}
	}
	return []key.Binding{k.Pick, k.Up, k.Down, k.Time, k.Note, k.Close}
}

func (m *WrapupPane) Done() bool { return m.closed }

func (m *WrapupPane) BoxWidth(w int) int { return min(w, 64) }
