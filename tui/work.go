package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// wideWidth is where the queue and the customer sit side by side.
const wideWidth = 100

// focus is which pane of the work screen has the keyboard.
type focus int

const (
	focusQueue focus = iota
	focusCustomer
	focusNote
)

// workScreen is the agent's desk: the callback queue, the customer 360
// beside it (or instead of it on a narrow terminal) and the note editor
// under the customer.
type workScreen struct {
	c        *Common
	keys     workKeys
	queue    *queuePane
	customer *customerPane
	note     *notePane
	boxes    map[pane]boxFrame // each pane as last framed, drawn again while unchanged
	focus    focus
	w, h     int
	leftW    int // the queue's share of a wide screen
	noteX    int // where the editor's text starts on the screen body
	noteY    int
}

// workKeys move between the work screen's panes.
type workKeys struct {
	Pane, Back, Call key.Binding
}

func newWorkScreen(c *Common) *workScreen {
	t := c.Text
	s := &workScreen{c: c, queue: newQueuePane(c), customer: newCustomerPane(c), note: newNotePane(c),
		keys: workKeys{
			Pane: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", t.KeyPane)),
			Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack)),
			Call: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", t.KeyBackToCall)),
		}}
	s.setFocus(focusQueue)
	return s
}

// wide reports whether the queue and the customer fit side by side.
func (s *workScreen) wide() bool { return s.w >= wideWidth }

// SetSize lays the panes out in w×h: each gets its inner size (the box
// minus border and padding). It runs when the size, the focus or the
// editor changes; View only draws.
func (s *workScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *workScreen) layout() {
	if s.w <= 0 || s.h <= 0 {
		return
	}
	frameW, frameH := s.c.Styles.Pane.GetHorizontalFrameSize(), s.c.Styles.Pane.GetVerticalFrameSize()
	leftW, rightW := s.w, s.w
	if s.wide() {
		leftW = s.w / 2
		rightW = s.w - leftW
	}
	s.leftW = leftW
	s.queue.SetSize(leftW-frameW, s.h-frameH)
	custH := s.h
	if s.note.editing {
		noteH := max(8, s.h/2)
		if !s.wide() {
			noteH = max(8, s.h*2/3)
		}
		noteH = min(noteH, s.h)
		custH = s.h - noteH
		s.note.SetSize(rightW-frameW, noteH-frameH)
		s.noteX = s.w - rightW + frameW/2
		s.noteY = custH + frameH/2
	}
	s.customer.SetSize(rightW-frameW, max(0, custH-frameH))
}

func (s *workScreen) setFocus(f focus) {
	if f == focusNote && !s.note.editing {
		f = focusCustomer
	}
	if f == focusCustomer && s.customer.id == 0 {
		f = focusQueue
	}
	s.focus = f
	s.queue.focused = f == focusQueue
	s.customer.focused = f == focusCustomer
	s.layout()
}

// Typing reports that the note editor has the keyboard.
func (s *workScreen) Typing() bool { return s.focus == focusNote }

// Update routes keys to the focused pane and every other message to the
// pane it belongs to.
func (s *workScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.key(msg)
	case tea.PasteMsg:
		if s.focus == focusNote {
			return s.note.Update(msg)
		}
		return nil
	case tea.BackgroundColorMsg:
		s.note.restyle()
		s.customer.render()
		return nil
	case tickMsg:
		return tea.Batch(s.customer.Update(msg), s.queue.load())
	case reloadMsg, queueReloadMsg:
		cmds := []tea.Cmd{s.queue.load()}
		if _, ok := msg.(reloadMsg); ok {
			cmds = append(cmds, s.customer.reload())
		}
		return tea.Batch(cmds...)
	case profileLoadedMsg, timelineLoadedMsg, presenceMsg:
		return s.customer.Update(msg)
	case customerReloadMsg:
		return s.customer.reload()
	case presenceReloadMsg:
		return s.customer.readPresence()
	case windowMsg, movesMsg, queueTextMsg, doneMsg, wholeMsg, placeDueMsg:
		return s.queue.Update(msg)
	case claimReadyMsg:
		cmd := s.queue.Update(msg)
		if msg.err != nil {
			return cmd
		}
		cmd = tea.Batch(cmd, s.Update(openCustomerMsg{customerID: msg.cb.CustomerID, callbackID: msg.cb.ID, the360: msg.the360}))
		if msg.ahead {
			cmd = tea.Batch(cmd, s.customer.reload()) // read ahead: as it is now, right after
		}
		return cmd
	case openCustomerMsg:
		cmd := s.customer.OpenRead(msg.customerID, msg.callbackID, msg.the360)
		// Nothing takes the keyboard from an agent typing a note: a claim
		// that lands after they opened the editor (its result can come
		// after the queue already shows the call) shows its customer in the
		// 360 and leaves the keys in the note.
		if s.focus != focusNote {
			s.setFocus(focusCustomer)
		}
		return cmd
	case openNoteMsg:
		cmd := s.note.Open(msg.customerID, msg.name, msg.callbackID)
		s.setFocus(focusNote)
		return cmd
	case draftsLoadedMsg:
		return s.restoreDraft(msg)
	case draftSavedMsg:
		return s.draftSaved(msg)
	case noteSavedMsg:
		return s.noteSaved(msg)
	case autosaveMsg, draftLoadedMsg:
		return s.note.Update(msg)
	case customerKeyMsg:
		s.customer.pending = &msg.key
		return nil
	case actionsOpenMsg:
		if s.customer.profile != nil {
			s.c.post(openOverlayMsg{o: newActionMenu(s.c)})
		}
	case actionPickedMsg:
		if s.customer.profile != nil {
			f := quickActions(s.c)[msg.index].form(s.c, *s.customer.profile)
			s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
		}
	case actionDoneMsg:
		if msg.err != nil {
			return notice(s.c.Text.Refusal(msg.err, s.c.Now()), true)
		}
		return tea.Batch(notice(msg.text, false), s.customer.reload(), s.queue.load())
	case dialedMsg:
		if msg.err != nil {
			return notice(fmt.Sprintf(s.c.Text.DialFailed, msg.number, msg.err), true)
		}
		return notice(fmt.Sprintf(s.c.Text.DialDone, msg.number), false)
	}
	return nil
}

func (s *workScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.focus == focusNote {
		cmd := s.note.Update(msg)
		if !s.note.editing {
			s.setFocus(focusCustomer)
		}
		return cmd
	}
	switch {
	case key.Matches(msg, s.keys.Pane):
		if s.focus == focusQueue && s.customer.id != 0 {
			s.setFocus(focusCustomer)
		} else {
			s.setFocus(focusQueue)
		}
		return nil
	case key.Matches(msg, s.keys.Back):
		s.setFocus(focusQueue)
		return nil
	case key.Matches(msg, s.keys.Call):
		// Back to the call being worked, from wherever the agent went.
		if held := s.queue.Held(); len(held) > 0 {
			cb := held[0]
			s.setFocus(focusCustomer)
			return s.customer.Open(cb.CustomerID, cb.ID)
		}
		return notice(s.c.Text.NotOnCall, false)
	}
	if s.focus == focusCustomer {
		return s.customer.Update(msg)
	}
	return s.queue.Update(msg)
}

// restoreDraft reopens the most recent draft left from an earlier session,
// so an agent who quit mid-note finds it where they left it.
func (s *workScreen) restoreDraft(msg draftsLoadedMsg) tea.Cmd {
	s.queue.Update(msg)
	if msg.err != nil {
		return notice(s.c.Text.Refusal(msg.err, s.c.Now()), true)
	}
	if len(msg.drafts) == 0 || s.customer.id != 0 {
		return nil
	}
	d := msg.drafts[0]
	cmds := []tea.Cmd{s.customer.Open(d.CustomerID, 0), s.note.Open(d.CustomerID, d.CustomerName, 0),
		notice(fmt.Sprintf(s.c.Text.DraftRestored, d.CustomerName), false)}
	s.setFocus(focusNote)
	return tea.Batch(cmds...)
}

// draftSaved keeps the editor's state; when a draft could not be kept the
// editor comes back with its text and its customer.
func (s *workScreen) draftSaved(msg draftSavedMsg) tea.Cmd {
	s.queue.Update(msg)
	cmd := s.note.Update(msg)
	if msg.err != nil && s.note.editing && s.focus != focusNote {
		if s.customer.id != msg.customerID {
			cmd = tea.Batch(cmd, s.customer.Open(msg.customerID, s.note.callbackID))
		}
		s.setFocus(focusNote)
	}
	return cmd
}

func (s *workScreen) noteSaved(msg noteSavedMsg) tea.Cmd {
	s.note.Update(msg)
	s.queue.Update(msg)
	if msg.err != nil {
		return notice(s.c.Text.Refusal(msg.err, s.c.Now()), true)
	}
	s.setFocus(focusCustomer)
	cmds := []tea.Cmd{s.customer.reload(), s.queue.load(), notice(s.c.Text.NoteSaved, false)}
	if msg.note.CallbackID != 0 {
		// The call is written up; how it ended is the next keystroke.
		s.c.post(wrapupOpenMsg{callbackID: msg.note.CallbackID, auto: true})
	}
	return tea.Batch(cmds...)
}

// View draws the panes: side by side when wide, else the focused one.
func (s *workScreen) View() string {
	switch {
	case s.wide():
		return besides(s.box(s.queue, s.focus == focusQueue, s.leftW, s.h), s.rightColumn(s.w-s.leftW, s.h), s.leftW)
	case s.focus == focusQueue:
		return s.box(s.queue, true, s.w, s.h)
	}
	return s.rightColumn(s.w, s.h)
}

// besides puts right beside left, line by line. Both are framed panes
// whose lines are exactly their width (leftW for left), so nothing is
// measured; a missing line of left is padded.
func besides(left, right string, leftW int) string {
	l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
	var b strings.Builder
	b.Grow(len(left) + len(right) + max(0, len(r)-len(l))*leftW) // one allocation a frame, not one a doubling
	for i := range max(len(l), len(r)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(l) {
			b.WriteString(l[i])
		} else {
			b.WriteString(strings.Repeat(" ", leftW))
		}
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}

// rightColumn is the customer 360, with the editor under it when open.
func (s *workScreen) rightColumn(w, h int) string {
	if !s.note.editing {
		return s.box(s.customer, s.focus == focusCustomer, w, h)
	}
	noteH := s.note.h + s.c.Styles.Pane.GetVerticalFrameSize()
	top := s.box(s.customer, false, w, h-noteH)
	bottom := s.c.Styles.Editor.Width(w).Height(noteH).Render(s.note.View())
	if h-noteH <= 0 {
		return bottom
	}
	return top + "\n" + bottom
}

// box draws a pane in its border, highlighted when focused. The content
// is cut and padded to the inner size here, so the border style never has
// to wrap it. A pane whose lines are already exactly its width (the
// queue's table) is framed without measuring them again; for the others,
// the last frame is kept and drawn again while their content is the same
// (the 360 beside a queue whose cursor moves).
func (s *workScreen) box(p pane, focused bool, w, h int) string {
	if e, ok := p.(exactPane); ok {
		if lines, ok := e.Lines(); ok {
			return drawLines(s.c.Styles, lines, focused, w, h)
		}
	}
	content := p.View()
	key := boxKey{content: content, focused: focused, dark: s.c.Styles.IsDark, w: w, h: h}
	if s.boxes == nil {
		s.boxes = map[pane]boxFrame{}
	}
	if f, ok := s.boxes[p]; ok && f.key == key {
		return f.drawn
	}
	drawn := drawBox(s.c.Styles, content, focused, w, h)
	s.boxes[p] = boxFrame{key: key, drawn: drawn}
	return drawn
}

// exactPane is a pane that can give its lines at exactly its width.
type exactPane interface {
	Lines() ([]string, bool)
}

// boxKey is what a framed pane was drawn from.
type boxKey struct {
	content       string
	focused, dark bool
	w, h          int
}

// boxFrame is a pane as last framed.
type boxFrame struct {
	key   boxKey
	drawn string
}

// Cursor is the editor's cursor on the screen body.
func (s *workScreen) Cursor() *tea.Cursor {
	if s.focus != focusNote {
		return nil
	}
	c := s.note.Cursor()
	if c == nil {
		return nil
	}
	c.X += s.noteX
	c.Y += s.noteY
	return c
}

// ShortHelp is the focused pane's help line.
func (s *workScreen) ShortHelp() []key.Binding {
	switch s.focus {
	case focusNote:
		k := s.note.keys
		return []key.Binding{k.Save, k.Close, k.Quit}
	case focusCustomer:
		k := s.customer.keys
		return []key.Binding{k.Note, k.Actions, k.Wrapup, s.keys.Back, s.keys.Call, k.Claim, k.Release, k.Next, k.Filter, k.Copy, k.Dial, k.Move}
	}
	k := s.queue.keys
	return []key.Binding{k.Open, k.Note, k.Claim, k.Next, k.Wrapup, k.Release, k.View, k.Sort, k.Text, s.keys.Call, k.Move, s.keys.Pane}
}

// HelpGroups are the keys of each pane.
func (s *workScreen) HelpGroups() []helpGroup {
	t := s.c.Text
	q, c, n := s.queue.keys, s.customer.keys, s.note.keys
	return []helpGroup{
		{t.HelpQueue, []key.Binding{q.Move, q.Pages, q.Open, q.Note,
			q.Claim, q.Next, q.Wrapup, q.Release, q.View, q.Sort, q.Text, s.keys.Call, s.keys.Pane}},
		{t.HelpCustomer, []key.Binding{c.Move, c.Pages, c.Note, c.Actions, c.Claim, c.Next, c.Wrapup,
			c.Release, c.Filter, c.NextPhone, c.Copy, c.Dial, s.keys.Call, s.keys.Back}},
		{t.HelpNote, []key.Binding{n.Save, n.Close, n.Quit}},
	}
}

// Click selects the queue row under the mouse (a second click opens its
// customer) or moves to the pane clicked.
func (s *workScreen) Click(x, y int) tea.Cmd {
	frame := s.c.Styles.Pane.GetVerticalFrameSize() / 2
	inQueue := s.focus == focusQueue || (s.wide() && x < s.leftW)
	if !inQueue {
		s.setFocus(focusCustomer)
		return nil
	}
	s.setFocus(focusQueue)
	row := y - frame - 2 + s.queue.tbl.offset // under the title and the headers
	if row < s.queue.tbl.offset || row >= s.queue.tbl.n {
		return nil
	}
	if row == s.queue.tbl.cursor {
		return s.queue.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	s.queue.tbl.cursor = row
	s.queue.tbl.scroll()
	return nil
}

// Wheel scrolls the pane under the mouse.
func (s *workScreen) Wheel(x, y int, up bool) tea.Cmd {
	k := tea.KeyPressMsg{Code: tea.KeyDown}
	if up {
		k = tea.KeyPressMsg{Code: tea.KeyUp}
	}
	if s.wide() && x < s.leftW || !s.wide() && s.focus == focusQueue {
		return s.queue.Update(k)
	}
	if s.customer.id != 0 {
		var cmds []tea.Cmd
		for range 3 {
			cmds = append(cmds, s.customer.Update(k))
		}
		return tea.Batch(cmds...)
	}
	return nil
}
