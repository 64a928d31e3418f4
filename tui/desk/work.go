package desk

import (
	"strings"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// wideWidth is where the queue and the customer sit side by side.
const wideWidth = 100

// focus is which pane of the work screen has the keyboard.
type focus int

const (
	focusQueue focus = iota
	FocusCustomer
	FocusNote
)

// WorkScreen is the agent's desk: the callback queue, the customer 360
// beside it (or instead of it on a narrow terminal) and the note editor
// under the customer.
type WorkScreen struct {
	c        *kit.Common
	keys     workKeys
	Queue    *QueuePane
	Customer *customerPane
	Note     *notePane
	boxes    map[kit.Pane]boxFrame // each pane as last framed, drawn again while unchanged
	Focus    focus
	w, h     int
	leftW    int // the queue's share of a wide screen
	noteX    int // where the editor's text starts on the screen body
	NoteY    int
}

// workKeys move between the work screen's panes.
type workKeys struct {
	Pane, Back, Call key.Binding
}

func NewWorkScreen(c *kit.Common) *WorkScreen {
	t := c.Text
	s := &WorkScreen{c: c, Queue: NewQueuePane(c), Customer: newCustomerPane(c), Note: newNotePane(c),
		keys: workKeys{
			Pane: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", t.KeyPane)),
			Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack)),
			Call: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", t.KeyBackToCall)),
		}}
	s.setFocus(focusQueue)
	return s
}

// wide reports whether the queue and the customer fit side by side.
func (s *WorkScreen) wide() bool { return s.w >= wideWidth }

// SetSize lays the panes out in w×h: each gets its inner size (the box
// minus border and padding). It runs when the size, the focus or the
// editor changes; View only draws.
func (s *WorkScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *WorkScreen) layout() {
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
	s.Queue.SetSize(leftW-frameW, s.h-frameH)
	custH := s.h
	if s.Note.Editing {
		noteH := max(8, s.h/2)
		if !s.wide() {
			noteH = max(8, s.h*2/3)
		}
		noteH = min(noteH, s.h)
		custH = s.h - noteH
		s.Note.SetSize(rightW-frameW, noteH-frameH)
		s.noteX = s.w - rightW + frameW/2
		s.NoteY = custH + frameH/2
	}
	s.Customer.SetSize(rightW-frameW, max(0, custH-frameH))
}

func (s *WorkScreen) setFocus(f focus) {
	if f == FocusNote && !s.Note.Editing {
		f = FocusCustomer
	}
	if f == FocusCustomer && s.Customer.ID == 0 {
		f = focusQueue
	}
	s.Focus = f
	s.Queue.focused = f == focusQueue
	s.Customer.focused = f == FocusCustomer
	s.layout()
}

// Typing reports that the note editor has the keyboard.
func (s *WorkScreen) Typing() bool { return s.Focus == FocusNote }

// Update routes keys to the focused pane and every other message to the
// pane it belongs to.
func (s *WorkScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.key(msg)
	case tea.PasteMsg:
		if s.Focus == FocusNote {
			return s.Note.Update(msg)
		}
		return nil
	case tea.BackgroundColorMsg:
		s.Note.restyle()
		s.Customer.render()
		return nil
	case kit.TickMsg:
		return tea.Batch(s.Customer.Update(msg), s.Queue.Load())
	case kit.ReloadMsg, kit.QueueReloadMsg:
		cmds := []tea.Cmd{s.Queue.Load()}
		if _, ok := msg.(kit.ReloadMsg); ok {
			cmds = append(cmds, s.Customer.Reload())
		}
		return tea.Batch(cmds...)
	case kit.ProfileLoadedMsg, timelineLoadedMsg, PresenceMsg:
		return s.Customer.Update(msg)
	case kit.CustomerReloadMsg:
		return s.Customer.Reload()
	case kit.PresenceReloadMsg:
		return s.Customer.readPresence()
	case kit.WindowMsg, kit.MovesMsg, queueTextMsg, kit.DoneMsg, wholeMsg, kit.PlaceDueMsg:
		return s.Queue.Update(msg)
	case ClaimReadyMsg:
		cmd := s.Queue.Update(msg)
		if msg.Err != nil {
			return cmd
		}
		cmd = tea.Batch(cmd, s.Update(kit.OpenCustomerMsg{CustomerID: msg.Callback.CustomerID, CallbackID: msg.Callback.ID, The360: msg.the360}))
		if msg.ahead {
			cmd = tea.Batch(cmd, s.Customer.Reload()) // read ahead: as it is now, right after
		}
		return cmd
	case kit.OpenCustomerMsg:
		cmd := s.Customer.OpenRead(msg.CustomerID, msg.CallbackID, msg.The360)
		// Nothing takes the keyboard from an agent typing a note: a claim
		// that lands after they opened the editor (its result can come
		// after the queue already shows the call) shows its customer in the
		// 360 and leaves the keys in the note.
		if s.Focus != FocusNote {
			s.setFocus(FocusCustomer)
		}
		return cmd
	case kit.OpenNoteMsg:
		cmd := s.Note.Open(msg.CustomerID, msg.Name, msg.CallbackID)
		s.setFocus(FocusNote)
		return cmd
	case kit.DraftsLoadedMsg:
		return s.restoreDraft(msg)
	case kit.DraftSavedMsg:
		return s.draftSaved(msg)
	case kit.NoteSavedMsg:
		return s.noteSaved(msg)
	case autosaveMsg, kit.DraftLoadedMsg:
		return s.Note.Update(msg)
	case customerKeyMsg:
		s.Customer.pending = &msg.key
		return nil
	case kit.ActionsOpenMsg:
		if s.Customer.Profile != nil {
			s.c.Post(kit.OpenOverlayMsg{Overlay: newActionMenu(s.c)})
		}
	case actionPickedMsg:
		if s.Customer.Profile != nil {
			f := QuickActions(s.c)[msg.index].Form(s.c, *s.Customer.Profile)
			s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
		}
	case kit.ActionDoneMsg:
		if msg.Err != nil {
			return kit.Notice(s.c.Text.Refusal(msg.Err, s.c.Now()), true)
		}
		return tea.Batch(kit.Notice(msg.Text, false), s.Customer.Reload(), s.Queue.Load())
	case dialedMsg:
		if msg.err != nil {
			return kit.Notice(kit.Sprintf(s.c.Text.DialFailed, msg.number, msg.err), true)
		}
		return kit.Notice(kit.Sprintf(s.c.Text.DialDone, msg.number), false)
	}
	return nil
}

func (s *WorkScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.Focus == FocusNote {
		cmd := s.Note.Update(msg)
		if !s.Note.Editing {
			s.setFocus(FocusCustomer)
		}
		return cmd
	}
	switch {
	case key.Matches(msg, s.keys.Pane):
		if s.Focus == focusQueue && s.Customer.ID != 0 {
			s.setFocus(FocusCustomer)
		} else {
			s.setFocus(focusQueue)
		}
		return nil
	case key.Matches(msg, s.keys.Back):
		s.setFocus(focusQueue)
		return nil
	case key.Matches(msg, s.keys.Call):
		// Back to the call being worked, from wherever the agent went.
		if held := s.Queue.Held(); len(held) > 0 {
			cb := held[0]
			s.setFocus(FocusCustomer)
			return s.Customer.Open(cb.CustomerID, cb.ID)
		}
		return kit.Notice(s.c.Text.NotOnCall, false)
	}
	if s.Focus == FocusCustomer {
		return s.Customer.Update(msg)
	}
	return s.Queue.Update(msg)
}

// restoreDraft reopens the most recent draft left from an earlier session,
// so an agent who quit mid-note finds it where they left it. When the
// agent still holds a claim of that customer (a restart or an SSH
// reconnect within the lease), the draft reopens with its call, so the
// wrap-up follows the note as it would have.
func (s *WorkScreen) restoreDraft(msg kit.DraftsLoadedMsg) tea.Cmd {
	s.Queue.Update(msg)
	if msg.Err != nil {
		return kit.Notice(s.c.Text.Refusal(msg.Err, s.c.Now()), true)
	}
	if len(msg.Drafts) == 0 || s.Customer.ID != 0 {
		return nil
	}
	d := msg.Drafts[0]
	var callback int64
	for _, h := range s.Queue.Held() {
		if h.CustomerID == d.CustomerID {
			callback = h.ID
			break
		}
	}
	said := kit.Sprintf(s.c.Text.DraftRestored, kit.Safe(d.CustomerName))
	if callback != 0 {
		said = kit.Sprintf(s.c.Text.DraftRestoredCall, kit.Safe(d.CustomerName), callback)
	}
	cmds := []tea.Cmd{s.Customer.Open(d.CustomerID, callback), s.Note.Open(d.CustomerID, d.CustomerName, callback),
		kit.Notice(said, false)}
	s.setFocus(FocusNote)
	return tea.Batch(cmds...)
}

// draftSaved keeps the editor's state; when a draft could not be kept the
// editor comes back with its text and its customer.
func (s *WorkScreen) draftSaved(msg kit.DraftSavedMsg) tea.Cmd {
	s.Queue.Update(msg)
	cmd := s.Note.Update(msg)
	if msg.Err != nil && s.Note.Editing && s.Focus != FocusNote {
		if s.Customer.ID != msg.CustomerID {
			cmd = tea.Batch(cmd, s.Customer.Open(msg.CustomerID, s.Note.callbackID))
		}
		s.setFocus(FocusNote)
	}
	return cmd
}

func (s *WorkScreen) noteSaved(msg kit.NoteSavedMsg) tea.Cmd {
	s.Note.Update(msg)
	s.Queue.Update(msg)
	if msg.Err != nil {
		return kit.Notice(s.c.Text.Refusal(msg.Err, s.c.Now()), true)
	}
	s.setFocus(FocusCustomer)
	cmds := []tea.Cmd{s.Customer.Reload(), s.Queue.Load(), kit.Notice(s.c.Text.NoteSaved, false)}
	if msg.Note.CallbackID != 0 {
		// The call is written up; how it ended is the next keystroke.
		s.c.Post(kit.WrapupOpenMsg{CallbackID: msg.Note.CallbackID, Auto: true})
	}
	return tea.Batch(cmds...)
}

// View draws the panes: side by side when wide, else the focused one.
func (s *WorkScreen) View() string {
	switch {
	case s.wide():
		return besides(s.box(s.Queue, s.Focus == focusQueue, s.leftW, s.h), s.rightColumn(s.w-s.leftW, s.h), s.leftW)
	case s.Focus == focusQueue:
		return s.box(s.Queue, true, s.w, s.h)
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
func (s *WorkScreen) rightColumn(w, h int) string {
	if !s.Note.Editing {
		return s.box(s.Customer, s.Focus == FocusCustomer, w, h)
	}
	noteH := s.Note.h + s.c.Styles.Pane.GetVerticalFrameSize()
	top := s.box(s.Customer, false, w, h-noteH)
	bottom := s.c.Styles.Editor.Width(w).Height(noteH).Render(s.Note.View())
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
func (s *WorkScreen) box(p kit.Pane, focused bool, w, h int) string {
	if e, ok := p.(exactPane); ok {
		if lines, ok := e.Lines(); ok {
			return kit.DrawLines(s.c.Styles, lines, focused, w, h)
		}
	}
	content := p.View()
	key := boxKey{content: content, focused: focused, dark: s.c.Styles.IsDark, w: w, h: h}
	if s.boxes == nil {
		s.boxes = map[kit.Pane]boxFrame{}
	}
	if f, ok := s.boxes[p]; ok && f.key == key {
		return f.drawn
	}
	drawn := kit.DrawBox(s.c.Styles, content, focused, w, h)
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
func (s *WorkScreen) Cursor() *tea.Cursor {
	if s.Focus != FocusNote {
		return nil
	}
	c := s.Note.Cursor()
	if c == nil {
		return nil
	}
	c.X += s.noteX
	c.Y += s.NoteY
	return c
}

// ShortHelp is the focused pane's help line.
func (s *WorkScreen) ShortHelp() []key.Binding {
	switch s.Focus {
	case FocusNote:
		k := s.Note.keys
		return []key.Binding{k.Save, k.Close, k.Quit}
	case FocusCustomer:
		k := s.Customer.keys
		return []key.Binding{k.Note, k.Actions, k.Wrapup, s.keys.Back, s.keys.Call, k.Claim, k.Release, k.Next, k.Filter, k.Copy, k.Dial, k.Move}
	}
	k := s.Queue.keys
	return []key.Binding{k.Open, k.Note, k.Claim, k.Next, k.Wrapup, k.Release, k.View, k.Sort, k.Text, s.keys.Call, k.Move, s.keys.Pane}
}

// HelpGroups are the keys of each pane.
func (s *WorkScreen) HelpGroups() []kit.HelpGroup {
	t := s.c.Text
	q, c, n := s.Queue.keys, s.Customer.keys, s.Note.keys
	return []kit.HelpGroup{
		{Title: t.HelpQueue, Keys: []key.Binding{q.Move, q.Pages, q.Open, q.Note,
			q.Claim, q.Next, q.Wrapup, q.Release, q.View, q.Sort, q.Text, s.keys.Call, s.keys.Pane}},
		{Title: t.HelpCustomer, Keys: []key.Binding{c.Move, c.Pages, c.Note, c.Actions, c.Claim, c.Next, c.Wrapup,
			c.Release, c.Filter, c.NextPhone, c.Copy, c.Dial, s.keys.Call, s.keys.Back}},
		{Title: t.HelpNote, Keys: []key.Binding{n.Save, n.Close, n.Quit}},
	}
}

// Click selects the queue row under the mouse (a second click opens its
// customer) or moves to the pane clicked.
func (s *WorkScreen) Click(x, y int) tea.Cmd {
	frame := s.c.Styles.Pane.GetVerticalFrameSize() / 2
	inQueue := s.Focus == focusQueue || (s.wide() && x < s.leftW)
	if !inQueue {
		s.setFocus(FocusCustomer)
		return nil
	}
	s.setFocus(focusQueue)
	row := y - frame - 2 + s.Queue.Tbl.Offset // under the title and the headers
	if row < s.Queue.Tbl.Offset || row >= s.Queue.Tbl.N {
		return nil
	}
	if row == s.Queue.Tbl.Cursor {
		return s.Queue.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	s.Queue.Tbl.Cursor = row
	s.Queue.Tbl.Scroll()
	return nil
}

// Wheel scrolls the pane under the mouse.
func (s *WorkScreen) Wheel(x, y int, up bool) tea.Cmd {
	k := tea.KeyPressMsg{Code: tea.KeyDown}
	if up {
		k = tea.KeyPressMsg{Code: tea.KeyUp}
	}
	if s.wide() && x < s.leftW || !s.wide() && s.Focus == focusQueue {
		return s.Queue.Update(k)
	}
	if s.Customer.ID != 0 {
		var cmds []tea.Cmd
		for range 3 {
			cmds = append(cmds, s.Customer.Update(k))
		}
		return tea.Batch(cmds...)
	}
	return nil
}
