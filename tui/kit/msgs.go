package kit

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// OpenCustomerMsg asks the customer pane to show a customer, optionally in
// the context of the callback being worked.
type OpenCustomerMsg struct {
	CustomerID int64
	CallbackID int64
	The360     *ProfileLoadedMsg // already read, when it was (a claim's)
}

// ProfileLoadedMsg carries a customer 360.
type ProfileLoadedMsg struct {
	ReqID   int
	Profile ShownCustomer
	Present []string // the other agents on the customer now
	Err     error
}

// OpenNoteMsg asks for the note editor on a customer.
type OpenNoteMsg struct {
	CustomerID int64
	Name       string
	CallbackID int64
}

// DraftLoadedMsg carries the draft (possibly empty) for the editor.
type DraftLoadedMsg struct {
	CustomerID int64
	Body       string
	Err        error
}

// NoteSavedMsg says a note was stored, or why not.
type NoteSavedMsg struct {
	CustomerID int64
	Note       crm.Interaction
	Err        error
}

// DraftSavedMsg says a draft was kept; quit asks the root to quit after it.
type DraftSavedMsg struct {
	CustomerID int64
	Err        error
	Quit       bool
	Auto       bool // an autosave: kept without a word, unless it failed
}

// DraftsLoadedMsg carries the drafts left from an earlier session.
type DraftsLoadedMsg struct {
	Drafts []crm.Draft
	Err    error
}

// NoticeMsg shows a line in the footer banner until the next key.
type NoticeMsg struct {
	Text string
	Err  bool
}

// TickMsg redraws relative times and re-arms itself.
type TickMsg struct{}

// ReleasedMsg says a claim was given back.
type ReleasedMsg struct {
	ID  int64
	Err error
}

// DoneMsg says a wrap-up was stored; before is the callback as it was,
// for an undo; final marks an outcome that cannot be undone.
type DoneMsg struct {
	Outcome queue.Outcome
	Label   string
	Before  queue.Callback
	Final   bool
	Err     error
}

// RenewedMsg says the leases of held claims were extended, or why not.
type RenewedMsg struct {
	Err error
}

// QueueReloadMsg asks the queue to read itself again (after a claim, say).
type QueueReloadMsg struct{}

// CustomerReloadMsg asks the 360 to read itself again.
type CustomerReloadMsg struct{}

// ChangeMsg says the database changed (this process or another).
type ChangeMsg struct{ db.Change }

// WrapupOpenMsg asks for the disposition picker on a callback; auto is
// set when it follows a saved note (no picker, and no word, when the
// callback is not the agent's claim).
type WrapupOpenMsg struct {
	CallbackID int64
	Auto       bool
}

// WrapupReadyMsg carries what the picker needs.
type WrapupReadyMsg struct {
	Callback queue.Callback
	Codes    []queue.Disposition
	Err      error
	Auto     bool
}

// ClaimMsg asks to claim a callback (0: the next best).
type ClaimMsg struct{ ID int64 }

// ReleaseMsg asks to give a claim back.
type ReleaseMsg struct{ ID int64 }

// ActionsOpenMsg asks for the 360's quick-action menu.
type ActionsOpenMsg struct{}

// ShownCustomer is what the 360 shows of a customer: the profile, and the
// callbacks promised to them that are still open (the queue's).
type ShownCustomer struct {
	crm.Profile
	Open []queue.Callback
}

// TooLargeMsg tells a console its terminal is larger than it draws (a
// server bounds each session's screen, and so its memory): it says so.
type TooLargeMsg struct {
	Width, Height       int // what the client asked for
	MaxWidth, MaxHeight int // what is drawn
}

// ActionDoneMsg says a quick action was stored, or why not; the form that
// asked stays open on an error.
type ActionDoneMsg struct {
	Text string
	Err  error
}

// RunAction makes the command of a quick action: do the write, report in words.
func RunAction(c *Common, ok string, write func(ctx context.Context) error) tea.Cmd {
	ctx := c.Ctx
	return func() tea.Msg { return ActionDoneMsg{Text: ok, Err: write(ctx)} }
}

func Notice(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Text: text, Err: isErr} }
}

// ReloadMsg fires the gathered reload.
type ReloadMsg struct{}

// PresenceReloadMsg fires the gathered reading of who is where, when only
// presence changed.
type PresenceReloadMsg struct{}
