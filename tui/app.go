package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Minimum size the console draws in; below it, it says so instead.
const (
	minWidth  = 40
	minHeight = 8
	// wideWidth is where the queue and the customer sit side by side.
	wideWidth = 100
	// tickEvery redraws relative times and refreshes the queue.
	tickEvery = 15 * time.Second
)

// focus is which part of the console has the keyboard.
type focus int

const (
	focusQueue focus = iota
	focusCustomer
	focusNote
)

// App is the root model: it routes messages to the panes, owns focus and
// layout, and draws the header, the banner and the help line.
type App struct {
	c        *Common
	keys     globalKeys
	queue    *queuePane
	customer *customerPane
	note     *notePane
	help     help.Model
	focus    focus
	showHelp bool
	quitting bool
	banner   noticeMsg
	w, h     int
	leftW    int // the queue's share of a wide screen; set by layout
	noteX    int // where the editor's text starts on screen, for the cursor
	noteY    int
}

// NewApp builds the console for one session.
func NewApp(c *Common) *App {
	a := &App{c: c, keys: newGlobalKeys(c.Text), queue: newQueuePane(c), customer: newCustomerPane(c),
		note: newNotePane(c), help: help.New()}
	a.help.Styles = c.Styles.Help
	a.setFocus(focusQueue)
	return a
}

// Init asks the terminal for its background and loads the queue and any
// drafts left from an earlier session.
func (a *App) Init() tea.Cmd {
	crmSvc, ctx, agentID := a.c.CRM, a.c.Ctx, a.c.Agent.ID
	loadDrafts := func() tea.Msg {
		ds, err := crmSvc.Drafts(ctx, agentID)
		return draftsLoadedMsg{drafts: ds, err: err}
	}
	return tea.Batch(tea.RequestBackgroundColor, a.queue.load(), loadDrafts, a.tick())
}

func (a *App) tick() tea.Cmd {
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// Unsaved is note text typed but not yet kept anywhere; main stores it as
// a draft if the program ends without the usual quit (a signal, say).
func (a *App) Unsaved() (customerID int64, body string, ok bool) {
	return a.note.Unsaved()
}

// Update routes one message, then whatever the panes posted while
// handling it.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{a.update(msg)}
	for len(a.c.pending) > 0 {
		next := a.c.pending[0]
		a.c.pending = a.c.pending[1:]
		cmds = append(cmds, a.update(next))
	}
	return a, tea.Batch(cmds...)
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.layout()
		return nil
	case tea.BackgroundColorMsg:
		a.c.Styles = NewStyles(msg.IsDark())
		a.help.Styles = a.c.Styles.Help
		a.note.restyle()
		a.customer.render()
		return nil
	case tea.KeyPressMsg:
		return a.key(msg)
	case tickMsg:
		a.customer.Update(msg)
		return tea.Batch(a.tick(), a.queue.load())
	case noticeMsg:
		a.banner = msg
		return nil
	case openCustomerMsg:
		cmd := a.customer.Open(msg.customerID, msg.callbackID)
		a.setFocus(focusCustomer)
		return cmd
	case openNoteMsg:
		cmd := a.note.Open(msg.customerID, msg.name, msg.callbackID)
		a.setFocus(focusNote)
		return cmd
	case draftsLoadedMsg:
		return a.restoreDraft(msg)
	case draftSavedMsg:
		return a.draftSaved(msg)
	case noteSavedMsg:
		return a.noteSaved(msg)
	case queueLoadedMsg:
		return a.queue.Update(msg)
	case profileLoadedMsg:
		cmd := a.customer.Update(msg)
		return cmd
	}
	// Everything else (draft loads, autosave ticks, cursor and paste
	// messages) belongs to the editor.
	return a.note.Update(msg)
}

// key handles a key press: the help overlay and the editor take keys
// first; then the global keys; then the focused pane.
func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	if !a.quitting {
		a.banner = noticeMsg{}
	}
	if a.showHelp {
		if key.Matches(msg, a.keys.Quit) && msg.String() == "ctrl+c" {
			return a.quit()
		}
		a.showHelp = false
		return nil
	}
	if a.focus == focusNote {
		if key.Matches(msg, a.note.keys.Quit) {
			return a.quit()
		}
		cmd := a.note.Update(msg)
		if !a.note.open {
			a.setFocus(focusCustomer)
		}
		return cmd
	}
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a.quit()
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
		return nil
	case key.Matches(msg, a.keys.Pane):
		if a.focus == focusQueue && a.customer.id != 0 {
			a.setFocus(focusCustomer)
		} else {
			a.setFocus(focusQueue)
		}
		return nil
	case key.Matches(msg, a.keys.Back):
		a.setFocus(focusQueue)
		return nil
	}
	if a.focus == focusCustomer {
		return a.customer.Update(msg)
	}
	return a.queue.Update(msg)
}

// quit keeps a dirty note as a draft first, and quits once it is stored.
func (a *App) quit() tea.Cmd {
	if _, _, ok := a.note.Unsaved(); ok {
		a.quitting = true
		a.banner = noticeMsg{text: a.c.Text.DraftSaving}
		return a.note.saveDraft(true)
	}
	return tea.Quit
}

func (a *App) draftSaved(msg draftSavedMsg) tea.Cmd {
	a.queue.Update(msg)
	if msg.err != nil {
		a.quitting = false
		a.note.dirty = true // try again on the next autosave or quit
		a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.DraftSaveFailed, msg.err), err: true}
		return nil
	}
	if msg.quit {
		return tea.Quit
	}
	if !a.note.open {
		a.banner = noticeMsg{text: a.c.Text.DraftKept}
	}
	return nil
}

func (a *App) noteSaved(msg noteSavedMsg) tea.Cmd {
	a.note.Update(msg)
	a.queue.Update(msg)
	if msg.err != nil {
		a.banner = noticeMsg{text: a.c.Text.ErrorPrefix + msg.err.Error(), err: true}
		return nil
	}
	a.banner = noticeMsg{text: a.c.Text.NoteSaved}
	a.setFocus(focusCustomer)
	return tea.Batch(a.customer.reload(), a.queue.load())
}

// restoreDraft reopens the most recent draft left from an earlier session,
// so an agent who quit mid-note finds it where they left it.
func (a *App) restoreDraft(msg draftsLoadedMsg) tea.Cmd {
	a.queue.Update(msg)
	if msg.err != nil {
		a.banner = noticeMsg{text: a.c.Text.ErrorPrefix + msg.err.Error(), err: true}
		return nil
	}
	if len(msg.drafts) == 0 || a.customer.id != 0 {
		return nil
	}
	d := msg.drafts[0]
	a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.DraftRestored, d.CustomerName)}
	cmds := []tea.Cmd{a.customer.Open(d.CustomerID, 0), a.note.Open(d.CustomerID, d.CustomerName, 0)}
	a.setFocus(focusNote)
	return tea.Batch(cmds...)
}

func (a *App) setFocus(f focus) {
	if f == focusNote && !a.note.open {
		f = focusCustomer
	}
	if f == focusCustomer && a.customer.id == 0 {
		f = focusQueue
	}
	a.focus = f
	a.queue.focused = f == focusQueue
	a.customer.focused = f == focusCustomer
	a.layout()
}

// wide reports whether the queue and the customer fit side by side.
func (a *App) wide() bool { return a.w >= wideWidth }

// bodyHeight is the space between the header and the help line.
func (a *App) bodyHeight() int {
	h := a.h - 2
	if a.banner.text != "" {
		h--
	}
	return max(0, h)
}

// layout hands each pane its inner size (the box minus border and padding).
func (a *App) layout() {
	if a.w < minWidth || a.h < minHeight {
		return
	}
	frameW, frameH := a.c.Styles.Pane.GetHorizontalFrameSize(), a.c.Styles.Pane.GetVerticalFrameSize()
	bodyH := a.h - 3 // header, help and room for a banner, so the layout is steady
	leftW, rightW := a.w, a.w
	if a.wide() {
		leftW = a.w / 2
		rightW = a.w - leftW
	}
	a.leftW = leftW
	a.queue.SetSize(leftW-frameW, bodyH-frameH)
	a.help.SetWidth(a.w)

	custH := bodyH
	if a.note.open {
		noteH := max(8, bodyH/2)
		if !a.wide() {
			noteH = max(8, bodyH*2/3)
		}
		noteH = min(noteH, bodyH)
		custH = bodyH - noteH
		a.note.SetSize(rightW-frameW, noteH-frameH)
		a.noteX = a.w - rightW + frameW/2
		a.noteY = 1 + custH + frameH/2
	}
	a.customer.SetSize(rightW-frameW, max(0, custH-frameH))
}

// View draws the whole screen.
func (a *App) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.WindowTitle = "dangol — " + a.c.Agent.DisplayName
	if a.w == 0 {
		return v
	}
	t := a.c.Text
	if a.w < minWidth || a.h < minHeight {
		v.SetContent(clipLines(wrap(fmt.Sprintf(t.TooSmall, a.w, a.h, minWidth, minHeight), a.w), a.w, a.h))
		return v
	}
	a.layout()
	bodyH := a.h - 3
	var body string
	switch {
	case a.showHelp:
		body = a.helpView(bodyH)
	case a.wide():
		body = lipgloss.JoinHorizontal(lipgloss.Top, a.box(a.queue, a.focus == focusQueue, a.leftW, bodyH),
			a.rightColumn(a.w-a.leftW, bodyH))
	case a.focus == focusQueue:
		body = a.box(a.queue, true, a.w, bodyH)
	default:
		body = a.rightColumn(a.w, bodyH)
	}
	banner := ""
	if a.banner.text != "" {
		style := a.c.Styles.BannerOK
		if a.banner.err {
			style = a.c.Styles.BannerError
		}
		banner = style.Render(fit(a.banner.text, a.w))
	}
	screen := strings.Join([]string{a.header(), body, banner, a.helpLine()}, "\n")
	v.SetContent(clipLines(screen, a.w, a.h))
	if a.focus == focusNote && !a.showHelp {
		if c := a.note.Cursor(); c != nil {
			c.X += a.noteX
			c.Y += a.noteY
			v.Cursor = c
		}
	}
	return v
}

// rightColumn is the customer 360, with the editor under it when open.
func (a *App) rightColumn(w, h int) string {
	if !a.note.open {
		return a.box(a.customer, a.focus == focusCustomer, w, h)
	}
	noteH := a.note.h + a.c.Styles.Pane.GetVerticalFrameSize()
	top := a.box(a.customer, false, w, h-noteH)
	bottom := a.c.Styles.Editor.Width(w).Height(noteH).Render(a.note.View())
	if h-noteH <= 0 {
		return bottom
	}
	return top + "\n" + bottom
}

// box draws a pane in its border, highlighted when focused.
func (a *App) box(p pane, focused bool, w, h int) string {
	st := a.c.Styles.Pane
	if focused {
		st = a.c.Styles.PaneFocused
	}
	return st.Width(w).Height(h).Render(p.View())
}

func (a *App) header() string {
	t, st := a.c.Text, a.c.Styles
	now := a.c.Now()
	left := fmt.Sprintf(" dangol · %s (%s · %s)", a.c.Agent.DisplayName, a.c.Agent.Name, t.Role(string(a.c.Agent.Role)))
	right := fmt.Sprintf("%s  %s ", fmt.Sprintf(t.QueueCounts, len(a.queue.items), a.queue.Overdue(now)), now.Format("15:04"))
	gap := a.w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return st.Header.Render(fit(left, a.w))
	}
	return st.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// helpLine is the short help of whatever has focus; it is always visible.
func (a *App) helpLine() string {
	return a.help.ShortHelpView(a.shortHelp())
}

func (a *App) shortHelp() []key.Binding {
	g := a.keys
	switch a.focus {
	case focusNote:
		k := a.note.keys
		return []key.Binding{k.Save, k.Close, k.Quit}
	case focusCustomer:
		k := a.customer.keys
		return []key.Binding{k.Note, g.Back, g.Help, g.Quit, k.Move, g.Pane}
	}
	k := a.queue.keys
	return []key.Binding{k.Open, k.Note, g.Help, g.Quit, k.Move, g.Pane}
}

// helpView is the full key map, grouped by where the keys work.
func (a *App) helpView(h int) string {
	t, st := a.c.Text, a.c.Styles
	g, q, c, n := a.keys, a.queue.keys, a.customer.keys, a.note.keys
	groups := []struct {
		title string
		keys  []key.Binding
	}{
		{t.HelpGlobal, []key.Binding{g.Pane, g.Back, g.Help, g.Quit}},
		{t.HelpQueue, []key.Binding{q.Up, q.Down, q.PageUp, q.PageDown, q.Top, q.Bottom, q.Open, q.Note}},
		{t.HelpCustomer, []key.Binding{c.Up, c.Down, c.PageUp, c.PageDown, c.Note}},
		{t.HelpNote, []key.Binding{n.Save, n.Close, n.Quit}},
	}
	var cols []string
	for _, grp := range groups {
		lines := []string{st.Section.Render(grp.title)}
		for _, b := range grp.keys {
			lines = append(lines, fit(b.Help().Key, 8)+" "+b.Help().Desc)
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	for i := range cols {
		cols[i] = lipgloss.NewStyle().Width(24).Render(cols[i])
	}
	var content string
	if a.w >= 110 {
		content = lipgloss.JoinHorizontal(lipgloss.Top, cols...)
	} else {
		content = lipgloss.JoinHorizontal(lipgloss.Top, cols[0], cols[1]) + "\n\n" +
			lipgloss.JoinHorizontal(lipgloss.Top, cols[2], cols[3])
	}
	box := st.HelpBox.Render(st.TitleFocused.Render(t.HelpTitle) + "\n\n" + content)
	return lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, clipLines(box, a.w, h))
}
