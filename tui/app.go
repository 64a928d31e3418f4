package tui

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// Minimum size the console draws in; below it, it says so instead.
const (
	minWidth  = 40
	minHeight = 8
	// tickEvery redraws relative times and refreshes the queue.
	tickEvery = 15 * time.Second
	// reloadDelay gathers a burst of database changes (other consoles
	// autosave drafts and record reminders all the time) into one reload,
	// keeping every console within a second of the others.
	reloadDelay = 300 * time.Millisecond
	// reloadSpread is how much later than reloadDelay, at most, a console
	// reloads: a random share of spreadPerConsole for each console of the
	// process, up to reloadSpread. A change that every console of a server
	// reloads for (a callback added to the pool) must not make them all
	// read and draw at the same moment; a console alone reloads at once.
	reloadSpread     = 700 * time.Millisecond
	spreadPerConsole = 7 * time.Millisecond
)

// App is the root model. It owns what every screen shares (the header,
// the banner, the help line, the overlays, the reminders and the callback
// workflow), switches between the registered screens and routes messages:
// keys to whoever has the keyboard, everything else to every component,
// each of which takes only its own.
type App struct {
	frame     tea.View // the last frame drawn; frameOK: nothing shown changed since
	frameOK   bool
	c         *kit.Common
	keys      kit.GlobalKeys
	help      help.Model
	helpKey   string // what the help line shown lists (see helpLine)
	helpShown string
	defs      []screenDef // the screens this agent may see, in tab order
	screens   map[kit.ScreenID]kit.Screen
	active    kit.ScreenID
	work      *desk.WorkScreen // every agent has the work screen
	flow      *desk.CallFlow
	reminders *desk.RemindersPane // toasts, the login list, snoozes
	overlays  []kit.Overlay       // floating over the screen; the last has the keyboard

	showHelp bool
	quitting bool
	banner   kit.NoticeMsg
	w, h     int

	reloadPending   bool // a reload after changes is on its way
	presencePending bool // a reading of presence alone is on its way
	draftsLoaded    bool // the drafts of earlier sessions have been read
	afterFirst      bool // what waits for the first frame has been asked for
	draftFailed     bool // keeping the note as a draft at quit failed; the next quit goes anyway
	ticks           int
	quitAsked       bool // the agent chose what happens to their claims on quitting
	locked          bool // the agent was deactivated: the console only quits

	memo kit.FrameMemos // the last frame's lines, measured and cut
}

// NewApp builds the console for one session.
func NewApp(c *kit.Common) *App {
	a := &App{c: c, keys: kit.NewGlobalKeys(c.Text), help: help.New(), screens: map[kit.ScreenID]kit.Screen{},
		flow: desk.NewCallFlow(c), reminders: desk.NewRemindersPane(c)}
	a.help.Styles = c.Styles.Help
	for _, d := range screenDefs() {
		if d.allow(c.Agent.Role) {
			a.defs = append(a.defs, d)
		}
	}
	a.work = desk.NewWorkScreen(c)
	a.screens[kit.ScreenWork] = a.work
	a.active = kit.ScreenWork
	return a
}

// Init asks the terminal for its background and loads the queue: the
// first frame. Once it is drawn (started) come the drafts left from an
// earlier session, the reminders (the first check lists those missed
// while away), the sweep and the heartbeat: on a large file each is a cold
// read of its own, and on two cores they made the first frame wait for
// them. Changes made elsewhere arrive as messages from Listen.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.work.Queue.Load(), a.Tick())
}

// started runs what waits for the first frame, once.
func (a *App) started() tea.Cmd {
	if a.afterFirst || !a.work.Queue.Loaded() {
		return nil
	}
	a.afterFirst = true
	crmSvc, ctx, agentID := a.c.CRM, a.c.Ctx, a.c.Agent.ID
	loadDrafts := func() tea.Msg {
		ds, err := crmSvc.Drafts(ctx, agentID)
		return kit.DraftsLoadedMsg{Drafts: ds, Err: err}
	}
	return tea.Batch(loadDrafts, a.sweep(), a.reminders.Check(), a.reminders.Tick(), a.heartbeat())
}

// heartbeat tells the team board this agent is online.
func (a *App) heartbeat() tea.Cmd {
	svc, ctx, agent := a.c.CRM, db.Background(a.c.Ctx), a.c.Agent
	return func() tea.Msg {
		svc.Touch(ctx, agent, 0)
		return nil
	}
}

// Ready reports whether the first screen is complete: the queue, the
// drafts and the first reminder check (the login list) have all arrived.
// Until then keys may act on a queue that is not there yet.
func (a *App) Ready() bool {
	return a.work.Queue.Loaded() && a.draftsLoaded && a.reminders.Started
}

// Close tells the other consoles this agent has gone. It waits its turn
// behind the agents' own writes for at most a few seconds: presence not
// refreshed goes on its own (crm.PresenceTTL).
func (a *App) Close() {
	ctx, cancel := context.WithTimeout(db.Background(context.Background()), 5*time.Second)
	defer cancel()
	a.c.CRM.Leave(ctx, a.c.Agent)
}

func (a *App) Tick() tea.Cmd {
	return a.c.After(tickEvery, kit.TickMsg{})
}

// Unsaved is note text typed but not yet kept anywhere; main stores it as
// a draft if the program ends without the usual quit (a signal, say).
func (a *App) Unsaved() (customerID int64, body string, ok bool) {
	return a.work.Note.Unsaved()
}

// screen is the screen shown.
func (a *App) screen() kit.Screen { return a.screens[a.active] }

// Update routes one message, then whatever the components posted while
// handling it.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{a.update(msg)}
	if !quiet(msg) || len(a.c.Pending) > 0 {
		a.frameOK = false
	}
	for len(a.c.Pending) > 0 {
		next := a.c.Pending[0]
		a.c.Pending = a.c.Pending[1:]
		cmds = append(cmds, a.update(next))
	}
	return a, tea.Batch(cmds...)
}

// quiet reports that a message changes nothing on screen, only what the
// console does next: a change elsewhere or a timer asks for a reading,
// whose answer is what is drawn. A floor of consoles sends each of them
// many of these (the SSH benchmark: half of all messages were changes).
func quiet(msg tea.Msg) bool {
	switch msg.(type) {
	case kit.ChangeMsg, kit.PresenceReloadMsg, desk.ReminderTickMsg:
		return true
	}
	return false
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.layout()
		return nil
	case tea.BackgroundColorMsg:
		a.c.Styles = kit.NewStyles(msg.IsDark())
		a.help.Styles = a.c.Styles.Help
		a.helpKey = "" // drawn again in the new colours
		return a.broadcast(msg)
	case tea.KeyPressMsg:
		return a.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return a.mouse(msg)
	case tea.PasteMsg:
		if a.top() != nil {
			return a.toOverlays(msg)
		}
		return a.screen().Update(msg)
	case kit.NoticeMsg:
		a.banner = msg
		return nil
	case kit.TooLargeMsg:
		a.banner = kit.NoticeMsg{Text: kit.Sprintf(a.c.Text.TooLarge, msg.Width, msg.Height, msg.MaxWidth, msg.MaxHeight), Err: true}
		return nil
	case kit.OpenOverlayMsg:
		return a.push(msg.Overlay, msg.Focus)
	case kit.RunCmdMsg:
		return msg.Cmd
	case desk.ReplayKeyMsg:
		return a.key(msg.Key)
	case quitChoiceMsg:
		return a.quitChosen(msg)
	case kit.SwitchScreenMsg:
		return a.show(msg.ID, msg.Then)
	case kit.OpenCustomerMsg, kit.OpenNoteMsg:
		a.show(kit.ScreenWork, nil)
	case desk.ClaimReadyMsg:
		if msg.Err == nil {
			a.show(kit.ScreenWork, nil) // the claimed customer opens there
		}
	case kit.ChangeMsg:
		return a.changed(msg.Change)
	case kit.ReloadMsg:
		a.reloadPending, a.presencePending = false, false
	case kit.PresenceReloadMsg:
		if !a.presencePending {
			return nil // a whole reload came first and read presence too
		}
		a.presencePending = false
	case kit.TickMsg:
		a.ticks++
		cmds := []tea.Cmd{a.Tick(), a.sweep(), a.broadcast(msg)}
		if a.ticks%desk.PresenceEvery == 0 && a.work.Customer.ID == 0 {
			cmds = append(cmds, a.heartbeat()) // with a customer open, the 360 says so itself
		}
		return tea.Batch(cmds...)
	case kit.DraftsLoadedMsg:
		a.draftsLoaded = true
	case kit.DraftSavedMsg:
		return tea.Batch(a.broadcast(msg), a.draftSaved(msg))
	case kit.WindowMsg:
		if errors.Is(msg.Err, crm.ErrDeactivated) {
			a.locked = true
		}
		return tea.Batch(a.broadcast(msg), a.started())
	case kit.DoneMsg:
		if msg.Err == nil {
			a.reminders.Prune(map[int64]bool{msg.Before.ID: false}) // the call just wrapped up needs no reminder
		}
	case desk.ReminderTickMsg, desk.RemindersMsg, desk.SnoozedMsg:
		return a.reminders.Update(msg)
	}
	return a.broadcast(msg)
}

// broadcast gives a message to the overlays, the workflow and every screen
// built; each takes what is its own.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{a.toOverlays(msg), a.flow.Update(msg)}
	for _, d := range a.defs {
		if s, ok := a.screens[d.id]; ok {
			cmds = append(cmds, s.Update(msg))
		}
	}
	return tea.Batch(cmds...)
}

// show switches to a screen the agent may see, building it the first
// time, and hands it then.
func (a *App) show(id kit.ScreenID, then tea.Msg) tea.Cmd {
	var def *screenDef
	for i := range a.defs {
		if a.defs[i].id == id {
			def = &a.defs[i]
		}
	}
	if def == nil {
		return nil
	}
	var cmds []tea.Cmd
	s, ok := a.screens[id]
	if !ok {
		s = def.make(a.c)
		a.screens[id] = s
		a.sizeScreen(s)
		if in, ok := s.(interface{ Init() tea.Cmd }); ok {
			cmds = append(cmds, in.Init())
		}
	}
	a.active = id
	if then != nil {
		cmds = append(cmds, s.Update(then))
	}
	return tea.Batch(cmds...)
}

// key handles a key press: the help overlay, the overlays and an editor
// take keys first; then the reminders, the global keys, and the screen.
func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	if !a.quitting {
		a.banner = kit.NoticeMsg{}
	}
	scr := a.screen()
	if msg.String() == "ctrl+c" && a.top() == nil {
		return a.quit()
	}
	if a.locked {
		if key.Matches(msg, a.keys.Quit) {
			return a.quit()
		}
		return nil
	}
	if a.showHelp {
		// Any key closes the help; one that means something else (not ?,
		// esc or q) also does what it means.
		a.showHelp = false
		if key.Matches(msg, a.keys.Help, a.keys.Quit) || msg.String() == "esc" {
			return nil
		}
	}
	if a.top() != nil {
		if msg.String() == "ctrl+c" {
			return a.quit()
		}
		return a.toOverlays(msg)
	}
	if scr.Typing() {
		return scr.Update(msg)
	}
	if a.reminders.HandlesKey(msg) {
		return a.reminders.Update(msg)
	}
	if msg.String() == "ctrl+z" && a.flow.CanUndo() {
		return a.flow.Undo()
	}
	switch {
	case key.Matches(msg, a.keys.Quit):
		return a.quit()
	case key.Matches(msg, a.keys.Search):
		sp := desk.NewSearchPane(a.c)
		return a.push(sp, sp.Focus())
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
		return nil
	case len(a.defs) > 1 && key.Matches(msg, a.keys.Screen):
		if n, err := strconv.Atoi(msg.String()); err == nil && n >= 1 && n <= len(a.defs) {
			return a.show(a.defs[n-1].id, nil)
		}
	}
	return scr.Update(msg)
}

// quit keeps a dirty note as a draft first, and quits once it is stored.
// When the draft cannot be stored (a full disk), the console stays and
// says so; asked again, it quits, and main prints the note on the way out.
func (a *App) quit() tea.Cmd {
	if held := a.work.Queue.Held(); len(held) > 0 && !a.quitAsked && !a.locked {
		// Leaving while on a call: release it now, or keep it until the
		// lease ends (a reconnect within it finds it again).
		t := a.c.Text
		var names []string
		for _, cb := range held {
			names = append(names, fmt.Sprintf("%s #%d", kit.Safe(cb.CustomerName), cb.ID))
		}
		items := []string{t.QuitRelease, kit.Sprintf(t.QuitKeep, t.Duration(a.c.Queue.Policy().Lease)), t.QuitStay}
		ids := make([]int64, len(held))
		for i, cb := range held {
			ids[i] = cb.ID
		}
		return a.push(kit.NewChoice(a.c, kit.Sprintf(t.QuitHolding, strings.Join(names, ", ")), items, func(i int) tea.Msg {
			return quitChoiceMsg{choice: i, ids: ids}
		}), nil)
	}
	if _, _, ok := a.work.Note.Unsaved(); ok && !a.draftFailed {
		a.quitting = true
		a.banner = kit.NoticeMsg{Text: a.c.Text.DraftSaving}
		return a.work.Note.SaveDraft(true)
	}
	return tea.Quit
}

// quitChoiceMsg is what the agent chose for their claims on quitting:
// 0 release them, 1 keep them until the lease ends, 2 stay.
type quitChoiceMsg struct {
	choice int
	ids    []int64
	err    error
	done   bool // the releases are done
}

func (a *App) quitChosen(msg quitChoiceMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		a.banner = kit.NoticeMsg{Text: a.c.Text.Refusal(msg.err, a.c.Now()), Err: true}
		return nil
	case msg.choice == 2:
		return nil
	case msg.choice == 0 && !msg.done:
		svc, ctx, agent := a.c.Queue, a.c.Ctx, a.c.Agent
		return func() tea.Msg {
			for _, id := range msg.ids {
				if err := svc.Release(ctx, agent, id); err != nil {
					return quitChoiceMsg{err: err}
				}
			}
			return quitChoiceMsg{choice: 0, done: true}
		}
	}
	a.quitAsked = true
	return a.quit()
}

// draftSaved quits once the draft asked for by quit is stored, and says
// what happened to a draft.
func (a *App) draftSaved(msg kit.DraftSavedMsg) tea.Cmd {
	if msg.Err != nil {
		text := a.c.Text.DraftSaveFailed
		if msg.Quit {
			a.draftFailed = true
			text = a.c.Text.DraftSaveFailedQuit
		}
		a.quitting = false
		a.banner = kit.NoticeMsg{Text: kit.Sprintf(text, msg.Err), Err: true}
		return nil
	}
	if msg.Quit {
		return tea.Quit
	}
	if !a.work.Note.Editing && !msg.Auto {
		a.banner = kit.NoticeMsg{Text: a.c.Text.DraftKept}
	}
	return nil
}

// changed schedules one reload for a burst of changes.
func (a *App) changed(c db.Change) tea.Cmd {
	if a.reloadPending || c.Own() {
		return nil
	}
	// Another console opening or leaving a customer changes only who is
	// shown on it: a hundred agents moving through their queues must not
	// make every console read its queue and 360 again each time.
	if c.Entity == db.Presence {
		if a.presencePending {
			return nil
		}
		a.presencePending = true
		return a.c.After(reloadDelay, kit.PresenceReloadMsg{})
	}
	a.reloadPending = true
	spread := min(reloadSpread, time.Duration(a.c.CRM.DB.Changes.Subscribers())*spreadPerConsole)
	return a.c.After(reloadDelay+rand.N(spread+1), kit.ReloadMsg{})
}

// sweep lets the rules that act by themselves (lease expiry, overdue to
// pool) run from every console; it only writes when there is work.
func (a *App) sweep() tea.Cmd {
	svc, ctx, log := a.c.Queue, db.Background(a.c.Ctx), a.c.Log
	return func() tea.Msg {
		if res, err := svc.Sweep(ctx); err != nil {
			if ctx.Err() == nil { // a session that ended while its sweep waited is no error
				log.Error("sweep", "err", err)
			}
		} else if res.LeasesExpired+res.ToPool > 0 {
			log.Info("sweep", "expired", res.LeasesExpired, "to_pool", res.ToPool)
		}
		return nil
	}
}

// clickable is a screen or overlay that answers the mouse: x and y are
// relative to its own top-left corner.
type clickable interface {
	Click(x, y int) tea.Cmd
	Wheel(x, y int, up bool) tea.Cmd
}

// mouse gives a click or a wheel turn to what is under it: the top
// overlay when one floats (outside it, nothing), else the screen.
func (a *App) mouse(msg tea.Msg) tea.Cmd {
	var m tea.Mouse
	var wheel, up bool
	switch e := msg.(type) {
	case tea.MouseClickMsg:
		if e.Button != tea.MouseLeft {
			return nil
		}
		m = tea.Mouse(e)
	case tea.MouseWheelMsg:
		m, wheel, up = tea.Mouse(e), true, e.Button == tea.MouseWheelUp
	}
	if a.showHelp || a.locked || a.reminders.Active() {
		return nil
	}
	if o := a.top(); o != nil {
		c, ok := o.(clickable)
		if !ok {
			return nil
		}
		box := a.c.Styles.HelpBox.Width(o.BoxWidth(a.w)).Render(o.View())
		x0 := max(0, (a.w-lipgloss.Width(box))/2) + a.c.Styles.HelpBox.GetBorderLeftSize() + a.c.Styles.HelpBox.GetPaddingLeft()
		y0 := a.bodyTop() + max(0, (a.bodyHeight()-lipgloss.Height(box))/2) + a.c.Styles.HelpBox.GetBorderTopSize()
		if wheel {
			return c.Wheel(m.X-x0, m.Y-y0, up)
		}
		return c.Click(m.X-x0, m.Y-y0)
	}
	c, ok := a.screen().(clickable)
	if !ok || m.Y < a.bodyTop() || m.Y >= a.bodyTop()+a.bodyHeight() {
		return nil
	}
	if wheel {
		return c.Wheel(m.X, m.Y-a.bodyTop(), up)
	}
	return c.Click(m.X, m.Y-a.bodyTop())
}
