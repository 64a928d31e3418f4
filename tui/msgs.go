package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// openCustomerMsg asks the customer pane to show a customer, optionally in
// the context of the callback being worked.
type openCustomerMsg struct {
	customerID int64
	callbackID int64
	the360     *profileLoadedMsg // already read, when it was (a claim's)
}

// profileLoadedMsg carries a customer 360.
type profileLoadedMsg struct {
	reqID   int
	profile shownCustomer
	present []string // the other agents on the customer now
	err     error
}

// openNoteMsg asks for the note editor on a customer.
type openNoteMsg struct {
	customerID int64
	name       string
	callbackID int64
}

// draftLoadedMsg carries the draft (possibly empty) for the editor.
type draftLoadedMsg struct {
	customerID int64
	body       string
	err        error
}

// noteSavedMsg says a note was stored, or why not.
type noteSavedMsg struct {
	customerID int64
	note       crm.Interaction
	err        error
}

// draftSavedMsg says a draft was kept; quit asks the root to quit after it.
type draftSavedMsg struct {
	customerID int64
	err        error
	quit       bool
	auto       bool // an autosave: kept without a word, unless it failed
}

// draftsLoadedMsg carries the drafts left from an earlier session.
type draftsLoadedMsg struct {
	drafts []crm.Draft
	err    error
}

// noticeMsg shows a line in the footer banner until the next key.
type noticeMsg struct {
	text string
	err  bool
}

// tickMsg redraws relative times and re-arms itself.
type tickMsg struct{}

// releasedMsg says a claim was given back.
type releasedMsg struct {
	id  int64
	err error
}

// doneMsg says a wrap-up was stored; before is the callback as it was,
// for an undo; final marks an outcome that cannot be undone.
type doneMsg struct {
	outcome queue.Outcome
	label   string
	before  queue.Callback
	final   bool
	err     error
}

// renewedMsg says the leases of held claims were extended, or why not.
type renewedMsg struct {
	err error
}

// queueReloadMsg asks the queue to read itself again (after a claim, say).
type queueReloadMsg struct{}

// customerReloadMsg asks the 360 to read itself again.
type customerReloadMsg struct{}

// changeMsg says the database changed (this process or another).
type changeMsg struct{ db.Change }

// wrapupOpenMsg asks for the disposition picker on a callback; auto is
// set when it follows a saved note (no picker, and no word, when the
// callback is not the agent's claim).
type wrapupOpenMsg struct {
	callbackID int64
	auto       bool
}

// wrapupReadyMsg carries what the picker needs.
type wrapupReadyMsg struct {
	cb    queue.Callback
	codes []queue.Disposition
	err   error
	auto  bool
}

// claimMsg asks to claim a callback (0: the next best).
type claimMsg struct{ id int64 }

// releaseMsg asks to give a claim back.
type releaseMsg struct{ id int64 }

// actionsOpenMsg asks for the 360's quick-action menu.
type actionsOpenMsg struct{}

// shownCustomer is what the 360 shows of a customer: the profile, and the
// callbacks promised to them that are still open (the queue's).
type shownCustomer struct {
	crm.Profile
	Open []queue.Callback
}

// TooLargeMsg tells a console its terminal is larger than it draws (a
// server bounds each session's screen, and so its memory): it says so.
type TooLargeMsg struct {
	Width, Height       int // what the client asked for
	MaxWidth, MaxHeight int // what is drawn
}

// actionDoneMsg says a quick action was stored, or why not; the form that
// asked stays open on an error.
type actionDoneMsg struct {
	text string
	err  error
}

// runAction makes the command of a quick action: do the write, report in words.
func runAction(c *Common, ok string, write func(ctx context.Context) error) tea.Cmd {
	ctx := c.Ctx
	return func() tea.Msg { return actionDoneMsg{text: ok, err: write(ctx)} }
}

func notice(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return noticeMsg{text: text, err: isErr} }
}

// reloadMsg fires the gathered reload.
type reloadMsg struct{}

// presenceReloadMsg fires the gathered reading of who is where, when only
// presence changed.
type presenceReloadMsg struct{}
