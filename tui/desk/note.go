package desk

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// autosaveEvery is how often a changed note is kept as a draft while the
// agent types, so a lost terminal loses at most this much.
const autosaveEvery = 3 * time.Second

// autosaveMsg fires the draft autosave for one editing session.
type autosaveMsg struct{ session int }

// notePane is the note editor: multi-line, wrapping by display width, with
// the draft kept in the database whenever it is closed, the console quits
// or a few seconds pass after a change.
type notePane struct {
	c            *kit.Common
	keys         kit.NoteKeys
	Editor       *textarea.Model // nil while the editor holds nothing (see editor)
	Editing      bool
	CustomerID   int64
	customerName string
	callbackID   int64
	dirty        bool // changed since the draft was last kept
	saving       bool // a save of the note is in flight
	session      int  // bumps on every Open, so stale autosave ticks die
	w, h         int
}

func newNotePane(c *kit.Common) *notePane {
	return &notePane{c: c, keys: kit.NewNoteKeys(c.Text)}
}

// editor is the text area, made when first needed. A console keeps one
// only while a note is being written or its text is not yet kept: a new
// text area holds a quarter of a megabyte, and a server with a hundred
// consoles browsing their queues had 26 MB of them (BENCHMARKS.md).
func (m *notePane) editor() *textarea.Model {
	if m.Editor == nil {
		ta := textarea.New()
		ta.ShowLineNumbers = false
		ta.Prompt = ""
		ta.MaxHeight = 0 // the pane decides the height; content is bounded on save
		ta.MaxWidth = 0
		ta.Placeholder = m.c.Text.NotePlaceholder
		ta.SetVirtualCursor(false) // the real cursor: Korean IMEs draw their pre-edit there
		m.Editor = &ta
		m.restyle()
		m.SetSize(m.w, m.h)
	}
	return m.Editor
}

// Value is the editor's text.
func (m *notePane) Value() string {
	if m.Editor == nil {
		return ""
	}
	return m.Editor.Value()
}

// restyle applies the session's light or dark look.
func (m *notePane) restyle() {
	if m.Editor == nil {
		return // editor applies it when it makes one
	}
	s := textarea.DefaultStyles(m.c.Styles.IsDark)
	s.Cursor.Blink = false
	m.Editor.SetStyles(s)
}

// Open starts editing a note for a customer and asks for their draft.
func (m *notePane) Open(customerID int64, name string, callbackID int64) tea.Cmd {
	if m.Editing && m.CustomerID == customerID {
		return m.editor().Focus()
	}
	// Text typed for another customer is never dropped: it becomes their
	// draft before the editor turns to this one.
	var keep tea.Cmd
	if m.Editing && m.Value() != "" {
		keep = m.SaveDraft(false)
	}
	m.Editing, m.CustomerID, m.customerName, m.callbackID = true, customerID, name, callbackID
	m.dirty, m.saving = false, false
	m.session++
	m.Editor = nil // a new, empty one
	svc, ctx, agentID := m.c.CRM, m.c.Ctx, m.c.Agent.ID
	load := func() tea.Msg {
		ds, err := svc.Drafts(ctx, agentID)
		for _, d := range ds {
			if d.CustomerID == customerID {
				return kit.DraftLoadedMsg{CustomerID: customerID, Body: d.Body, Err: err}
			}
		}
		return kit.DraftLoadedMsg{CustomerID: customerID, Err: err}
	}
	return tea.Batch(keep, m.editor().Focus(), load, m.autosaveTick())
}

func (m *notePane) autosaveTick() tea.Cmd {
	s := m.session
	return m.c.After(autosaveEvery, autosaveMsg{session: s})
}

// Unsaved is the text that would be lost if the console ended now.
func (m *notePane) Unsaved() (customerID int64, body string, ok bool) {
	if !m.Editing || !m.dirty {
		return 0, "", false
	}
	return m.CustomerID, m.Value(), true
}

// SaveDraft keeps the current text as the draft; quit asks the root to
// end the program once it is safely stored.
func (m *notePane) SaveDraft(quit bool) tea.Cmd {
	return m.saveDraftIn(m.c.Ctx, quit, false)
}

// Autosave keeps the text as a draft behind the agents' own writes
// (db.Background), without a word when it lands.
func (m *notePane) Autosave() tea.Cmd {
	return m.saveDraftIn(db.Background(m.c.Ctx), false, true)
}

func (m *notePane) saveDraftIn(ctx context.Context, quit, auto bool) tea.Cmd {
	svc, agentID, id, body := m.c.CRM, m.c.Agent.ID, m.CustomerID, m.Value()
	m.dirty = false
	return func() tea.Msg {
		return kit.DraftSavedMsg{CustomerID: id, Err: svc.SaveDraft(ctx, agentID, id, body), Quit: quit, Auto: auto}
	}
}

// close leaves the editor, keeping what was typed as a draft.
func (m *notePane) close() tea.Cmd {
	m.Editing = false
	m.session++
	if m.Value() == "" && !m.dirty {
		m.Editor = nil
		return nil
	}
	// The text stays in the editor until the draft is kept: if it cannot
	// be, it comes back on screen (draftSavedMsg).
	if m.Editor != nil {
		m.Editor.Blur()
	}
	return m.SaveDraft(false)
}

// SetSize gives the editor its inner size: a title line, the text, a
// status line.
func (m *notePane) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.Editor != nil {
		m.Editor.SetWidth(max(1, w))
		m.Editor.SetHeight(max(1, h-2))
	}
}

// Update handles the editor's messages and keys.
func (m *notePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case kit.DraftLoadedMsg:
		if msg.CustomerID != m.CustomerID || !m.Editing || msg.Body == "" {
			return nil
		}
		if typed := m.Value(); typed != "" {
			// The agent started typing before the draft arrived: keep both.
			m.editor().SetValue(msg.Body + "\n" + typed)
			m.dirty = true
			return nil
		}
		m.editor().SetValue(msg.Body)
		return nil
	case autosaveMsg:
		if msg.session != m.session || !m.Editing {
			return nil
		}
		if m.dirty {
			return tea.Batch(m.Autosave(), m.autosaveTick())
		}
		return m.autosaveTick()
	case kit.DraftSavedMsg:
		if msg.Err != nil && msg.CustomerID == m.CustomerID {
			m.dirty = true // try again on the next autosave or quit
			if !m.Editing {
				// Closed with esc, and the draft was not kept: the text
				// comes back on screen rather than vanish.
				m.Editing = true
				m.session++
				return tea.Batch(m.editor().Focus(), m.autosaveTick())
			}
		}
		if msg.Err == nil && msg.CustomerID == m.CustomerID && !m.Editing && !m.dirty {
			m.Editor = nil // kept: the closed editor's text is the draft now
		}
		return nil
	case kit.NoteSavedMsg:
		m.saving = false
		if msg.Err == nil && msg.CustomerID == m.CustomerID {
			m.Editor = nil
			m.dirty = false
			m.Editing = false
			m.session++
		}
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Save):
			return m.save()
		case key.Matches(msg, m.keys.Close):
			return m.close()
		}
	}
	if !m.Editing {
		return nil
	}
	ta := m.editor()
	before := ta.Value()
	var cmd tea.Cmd
	*ta, cmd = ta.Update(msg)
	if ta.Value() != before {
		m.dirty = true
	}
	return cmd
}

// save stores the note; the editor stays open until the database says yes.
func (m *notePane) save() tea.Cmd {
	if m.saving {
		return nil
	}
	body := m.Value()
	if err := crm.ValidateNote(body); err != nil {
		return kit.Notice(m.c.Text.Refusal(err, m.c.Now()), true)
	}
	m.saving = true
	svc, ctx, agent := m.c.CRM, m.c.Ctx, m.c.Agent
	n := crm.NewNote{CustomerID: m.CustomerID, Body: body, CallbackID: m.callbackID}
	return func() tea.Msg {
		in, err := svc.AddNote(ctx, agent, n)
		return kit.NoteSavedMsg{CustomerID: n.CustomerID, Note: in, Err: err}
	}
}

// View draws the title, the text and a status line with the length.
func (m *notePane) View() string {
	t, st := m.c.Text, m.c.Styles
	title := st.EditorTitle.Render(kit.Sprintf(t.NoteTitle, kit.Safe(m.customerName)))
	n := utf8.RuneCountInString(m.Value())
	count := kit.Sprintf(t.NoteChars, n, crm.MaxNoteRunes)
	if n > crm.MaxNoteRunes {
		count = st.Bad.Render(count)
	} else {
		count = st.Muted.Render(count)
	}
	keys := st.Muted.Render("ctrl+s " + t.KeySave + " · esc " + t.KeyDiscard)
	status := count + "  " + keys
	body := ""
	if m.Editor != nil { // an open editor always has one
		body = m.Editor.View()
	}
	return kit.ClipLines(title+"\n"+body+"\n"+status, m.w, m.h)
}

// Cursor is where the terminal's cursor belongs, relative to the pane.
func (m *notePane) Cursor() *tea.Cursor {
	if !m.Editing || m.Editor == nil {
		return nil
	}
	c := m.Editor.Cursor()
	if c == nil {
		return nil
	}
	c.Y++ // below the title line
	return c
}
