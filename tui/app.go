package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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

	overlay   overlay        // the picker, search, menu or form floating over the panes
	reminders *remindersPane // toasts, the login list, snoozes

	reloadPending bool // a reload after changes is on its way
	draftsLoaded  bool // the drafts of earlier sessions have been read
	draftFailed   bool // keeping the note as a draft at quit failed; the next quit goes anyway
}

// NewApp builds the console for one session.
func NewApp(c *Common) *App {
	a := &App{c: c, keys: newGlobalKeys(c.Text), queue: newQueuePane(c), customer: newCustomerPane(c),
		note: newNotePane(c), help: help.New(), reminders: newRemindersPane(c)}
	a.help.Styles = c.Styles.Help
	a.setFocus(focusQueue)
	return a
}

// Init asks the terminal for its background, loads the queue and any
// drafts left from an earlier session and checks reminders (the first
// check lists those missed while away). Changes made elsewhere arrive as
// messages from Listen.
func (a *App) Init() tea.Cmd {
	crmSvc, ctx, agentID := a.c.CRM, a.c.Ctx, a.c.Agent.ID
	loadDrafts := func() tea.Msg {
		ds, err := crmSvc.Drafts(ctx, agentID)
		return draftsLoadedMsg{drafts: ds, err: err}
	}
	return tea.Batch(tea.RequestBackgroundColor, a.queue.load(), loadDrafts, a.tick(), a.sweep(),
		a.reminders.check(), a.reminders.tick())
}

// Ready reports whether the first screen is complete: the queue, the
// drafts and the first reminder check (the login list) have all arrived.
// Until then keys may act on a queue that is not there yet.
func (a *App) Ready() bool {
	return a.queue.loaded && a.draftsLoaded && a.reminders.started
}

// Close tells the other consoles this agent has left the customer they
// had open.
func (a *App) Close() {
	if a.customer.id != 0 {
		a.c.CRM.Touch(context.Background(), a.c.Agent, 0)
	}
}

func (a *App) tick() tea.Cmd {
	return a.c.after(tickEvery, tickMsg{})
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
		return tea.Batch(a.customer.Update(msg), a.tick(), a.queue.load(), a.sweep(), a.renew())
	case profileLoadedMsg, timelineLoadedMsg, presenceMsg:
		return a.customer.Update(msg)
	case dialedMsg:
		if msg.err != nil {
			a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.DialFailed, msg.number, msg.err), err: true}
		} else {
			a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.DialDone, msg.number)}
		}
		return nil
	case changeMsg:
		return a.changed()
	case reloadMsg:
		return a.reload()
	case claimMsg:
		return a.claim(msg.id)
	case claimReadyMsg:
		return a.claimReady(msg)
	case releaseMsg:
		return a.release(msg.id)
	case releasedMsg:
		return a.released(msg)
	case wrapupOpenMsg:
		return a.openWrapup(msg.callbackID, false)
	case wrapupReadyMsg:
		return a.wrapupReady(msg)
	case doneMsg:
		return a.done(msg)
	case renewedMsg:
		return a.renewed(msg)
	case reminderTickMsg, remindersMsg, snoozedMsg:
		return a.reminders.Update(msg)
	case actionsOpenMsg:
		if a.customer.profile != nil {
			return a.openOverlay(newMenuPane(a.c), nil)
		}
		return nil
	case actionPickedMsg:
		if a.customer.profile == nil {
			return nil
		}
		f := quickActions(a.c.Text)[msg.index].form(a, *a.customer.profile)
		return a.openOverlay(f, f.Focus())
	case actionDoneMsg:
		a.overlayUpdate(msg)
		if msg.err != nil {
			a.banner = noticeMsg{text: a.c.Text.Refusal(msg.err, a.c.Now()), err: true}
			return nil
		}
		a.banner = noticeMsg{text: msg.text}
		return tea.Batch(a.customer.reload(), a.queue.load())
	case searchResultsMsg:
		return a.overlayUpdate(msg)
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
		a.draftsLoaded = true
		return a.restoreDraft(msg)
	case draftSavedMsg:
		return a.draftSaved(msg)
	case noteSavedMsg:
		return a.noteSaved(msg)
	case queueLoadedMsg:
		cmd := a.queue.Update(msg)
		if msg.err == nil && len(msg.items) < msg.total {
			return cmd // only the first of a long queue: keep the toasts
		}
		if msg.err == nil {
			a.reminders.Prune(msg.items)
		}
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
	if msg.String() == "ctrl+c" && a.focus != focusNote {
		return a.quit()
	}
	if a.showHelp {
		a.showHelp = false
		return nil
	}
	if a.overlay != nil {
		return a.overlayUpdate(msg)
	}
	if a.reminders.Active() && a.focus != focusNote {
		return a.reminders.Update(msg)
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
	if a.reminders.HandlesKey(msg) {
		return a.reminders.Update(msg)
	}
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a.quit()
	case key.Matches(msg, a.keys.Search):
		sp := newSearchPane(a.c)
		return a.openOverlay(sp, sp.Focus())
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
// When the draft cannot be stored (a full disk), the console stays and
// says so; asked again, it quits, and main prints the note on the way out.
func (a *App) quit() tea.Cmd {
	if _, _, ok := a.note.Unsaved(); ok && !a.draftFailed {
		a.quitting = true
		a.banner = noticeMsg{text: a.c.Text.DraftSaving}
		return a.note.saveDraft(true)
	}
	return tea.Quit
}

func (a *App) draftSaved(msg draftSavedMsg) tea.Cmd {
	a.queue.Update(msg)
	cmd := a.note.Update(msg)
	if msg.err != nil {
		if a.note.open && a.focus != focusNote {
			// The editor came back with the text it could not keep: show
			// it with its customer.
			if a.customer.id != msg.customerID {
				cmd = tea.Batch(cmd, a.customer.Open(msg.customerID, a.note.callbackID))
			}
			a.setFocus(focusNote)
		}
		text := a.c.Text.DraftSaveFailed
		if msg.quit {
			a.draftFailed = true
			text = a.c.Text.DraftSaveFailedQuit
		}
		a.quitting = false
		a.banner = noticeMsg{text: fmt.Sprintf(text, msg.err), err: true}
		return cmd
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
	cmds := []tea.Cmd{a.customer.reload(), a.queue.load()}
	if msg.note.CallbackID != 0 {
		// The call is written up; how it ended is the next keystroke.
		cmds = append(cmds, a.openWrapup(msg.note.CallbackID, true))
	}
	return tea.Batch(cmds...)
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
