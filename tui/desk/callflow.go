package desk

import (
	"errors"
	"time"

	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// CallFlow is the callback workflow of one console: claiming (one, or the
// next best), releasing, the wrap-up picker and its outcome, and keeping
// the leases of held claims alive. Panes ask for it by message (claimMsg,
// releaseMsg, wrapupOpenMsg); it answers with notices, the customer to
// open and the picker to float, also by message.
type CallFlow struct {
	c *kit.Common
	// last is the callback as it was before the last wrap-up, while that
	// wrap-up may be undone (until lastAt + queue.UndoWindow).
	last   *queue.Callback
	lastAt time.Time
	// renewing: a renewal is on its way; the next tick does not start
	// another (with writes slow, each tick's renewal piled up behind the
	// last: hundreds waiting in a server of a hundred consoles)
	renewing bool
	// wrapped are the callbacks this console wrapped up (until undone or
	// claimed again): a wrap-up asked for before (the one that opens after
	// a note is saved) whose reading of the callback comes back after it
	// was wrapped up must not open again over the screen and take the keys.
	wrapped map[int64]bool
	// claimed is the last callback this console claimed, and codes the
	// wrap-up codes as last read: w opens the picker from them at once
	// (Done checks the claim again when it stores).
	claimed *queue.Callback
	codes   []queue.Disposition
	// next is the 360 of the customer the next claim most likely takes
	// (the queue's first callable row), read ahead while the agent talks:
	// N shows it with the claim instead of reading it after.
	next prefetched
}

// prefetched is a customer's 360 read ahead, and when.
type prefetched struct {
	customerID int64
	the360     *kit.ProfileLoadedMsg
	at         time.Time
}

// codesMsg carries the wrap-up codes read again.
type codesMsg struct {
	codes []queue.Disposition
	err   error
}

// prefetchMsg names the customer the next claim most likely takes.
type prefetchMsg struct{ customerID int64 }

// prefetchedMsg carries a 360 read ahead.
type prefetchedMsg struct{ next prefetched }

// prefetchFor is how long a 360 read ahead stands for the claim's.
const prefetchFor = 10 * time.Second

// undoneMsg says a wrap-up was taken back, or why not.
type undoneMsg struct {
	cb  queue.Callback
	err error
}

func NewCallFlow(c *kit.Common) *CallFlow { return &CallFlow{c: c} }

// ClaimReadyMsg carries a claimed callback, read back with its customer's
// 360.
type ClaimReadyMsg struct {
	Callback queue.Callback
	the360   *kit.ProfileLoadedMsg
	ahead    bool // the 360 was read ahead: read again after it is drawn
	Err      error
}

// Update handles the workflow's messages; it ignores every other.
func (f *CallFlow) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case kit.ClaimMsg:
		return f.claim(msg.ID)
	case prefetchMsg:
		if msg.customerID == f.next.customerID && time.Since(f.next.at) < prefetchFor/2 {
			return nil
		}
		f.next = prefetched{customerID: msg.customerID} // asked; the 360 follows
		crmSvc, q, ctx, agent, id := f.c.CRM, f.c.Queue, f.c.Ctx, f.c.Agent, msg.customerID
		return func() tea.Msg {
			the360 := read360(ctx, crmSvc, q, id, agent)
			return prefetchedMsg{next: prefetched{customerID: id, the360: &the360, at: time.Now()}}
		}
	case prefetchedMsg:
		if msg.next.customerID == f.next.customerID && msg.next.the360.Err == nil {
			f.next = msg.next
		}
	case ClaimReadyMsg:
		return f.claimReady(msg)
	case kit.ReleaseMsg:
		return f.release(msg.ID)
	case kit.ReleasedMsg:
		return f.released(msg)
	case kit.WrapupOpenMsg:
		return f.openWrapup(msg.CallbackID, msg.Auto)
	case kit.WrapupReadyMsg:
		return f.wrapupReady(msg)
	case codesMsg:
		if msg.err == nil {
			f.codes = msg.codes
		}
	case kit.DoneMsg:
		return f.done(msg)
	case undoneMsg:
		if msg.err != nil {
			return kit.Notice(f.c.Text.Refusal(msg.err, f.c.Now()), true)
		}
		delete(f.wrapped, msg.cb.ID)
		f.c.Post(kit.ReloadMsg{})
		f.c.Post(kit.OpenCustomerMsg{CustomerID: msg.cb.CustomerID, CallbackID: msg.cb.ID})
		return kit.Notice(kit.Sprintf(f.c.Text.WrapupUndone, msg.cb.ID), false)
	case kit.TickMsg:
		return f.renew()
	case kit.RenewedMsg:
		f.renewing = false
		if msg.Err != nil {
			return kit.Notice(f.c.Text.Refusal(msg.Err, f.c.Now()), true)
		}
	}
	return nil
}

// claim takes a callback (0: the next best) and opens its customer.
func (f *CallFlow) claim(id int64) tea.Cmd {
	svc, crmSvc, ctx, agent, next := f.c.Queue, f.c.CRM, f.c.Ctx, f.c.Agent, f.next
	return func() tea.Msg {
		var cl queue.Claim
		var err error
		if id == 0 {
			cl, err = svc.ClaimNext(ctx, agent)
		} else {
			cl, err = svc.Claim(ctx, agent, id)
		}
		if err != nil {
			return ClaimReadyMsg{Err: err}
		}
		cb, err := svc.Get(ctx, cl.ID)
		if err != nil {
			return ClaimReadyMsg{Err: err}
		}
		// The customer comes with the claim: one message, one frame;
		// read ahead when the claim took the customer expected.
		if next.the360 != nil && next.customerID == cb.CustomerID && time.Since(next.at) < prefetchFor {
			pre := *next.the360
			pre.Profile.Open = append([]queue.Callback(nil), pre.Profile.Open...)
			for i, o := range pre.Profile.Open {
				if o.ID == cb.ID {
					pre.Profile.Open[i] = cb
				}
			}
			return ClaimReadyMsg{Callback: cb, the360: &pre, ahead: true}
		}
		the360 := read360(ctx, crmSvc, svc, cb.CustomerID, agent)
		return ClaimReadyMsg{Callback: cb, the360: &the360}
	}
}

func (f *CallFlow) claimReady(msg ClaimReadyMsg) tea.Cmd {
	t := f.c.Text
	if errors.Is(msg.Err, queue.ErrNothingCallable) {
		return kit.Notice(t.NothingCallable, false)
	}
	if msg.Err != nil {
		return kit.Notice(t.Refusal(msg.Err, f.c.Now()), true)
	}
	delete(f.wrapped, msg.Callback.ID) // claimed again: it will be wrapped up again
	cb := msg.Callback
	f.claimed = &cb
	f.next = prefetched{}
	f.c.Post(kit.NoticeMsg{Text: kit.Sprintf(t.Claimed, msg.Callback.ID, msg.Callback.LeaseUntil.In(f.c.Now().Location()).Format("15:04"))})
	// The work screen opens the customer from this same message, so the
	// header's call and the 360 change in one frame.
	f.c.Post(kit.QueueReloadMsg{})
	return nil
}

func (f *CallFlow) release(id int64) tea.Cmd {
	svc, ctx, agent := f.c.Queue, f.c.Ctx, f.c.Agent
	return func() tea.Msg { return kit.ReleasedMsg{ID: id, Err: svc.Release(ctx, agent, id)} }
}

func (f *CallFlow) released(msg kit.ReleasedMsg) tea.Cmd {
	if msg.Err != nil {
		return kit.Notice(f.c.Text.Refusal(msg.Err, f.c.Now()), true)
	}
	f.c.Post(kit.QueueReloadMsg{})
	return kit.Notice(kit.Sprintf(f.c.Text.Released, msg.ID), false)
}

// openWrapup loads what the disposition picker needs. auto is set when the
// picker follows a saved note: then a callback that is not the agent's
// claim simply gets no picker.
func (f *CallFlow) openWrapup(id int64, auto bool) tea.Cmd {
	svc, ctx := f.c.Queue, f.c.Ctx
	if cb := f.claimed; cb != nil && cb.ID == id && f.codes != nil && !f.wrapped[id] {
		// The call this console claimed: the picker opens at once, and
		// the codes are read again behind it for the next one.
		openWrapupPane(f.c, *cb, f.codes)
		return func() tea.Msg {
			codes, err := svc.Dispositions(ctx)
			return codesMsg{codes: codes, err: err}
		}
	}
	return func() tea.Msg {
		cb, err := svc.Get(ctx, id)
		if err != nil {
			return kit.WrapupReadyMsg{Err: err}
		}
		codes, err := svc.Dispositions(ctx)
		return kit.WrapupReadyMsg{Callback: cb, Codes: codes, Err: err, Auto: auto}
	}
}

func (f *CallFlow) wrapupReady(msg kit.WrapupReadyMsg) tea.Cmd {
	if msg.Err == nil {
		f.codes = msg.Codes
	}
	switch {
	case msg.Err != nil:
		return kit.Notice(f.c.Text.Refusal(msg.Err, f.c.Now()), true)
	case f.wrapped[msg.Callback.ID]: // wrapped up since this wrap-up was asked for
		if !msg.Auto {
			return kit.Notice(f.c.Text.NotYourClaim, true)
		}
		return nil
	case !msg.Callback.ClaimedByAgent(f.c.Agent.Name):
		if !msg.Auto {
			return kit.Notice(f.c.Text.NotYourClaim, true)
		}
		return nil
	}
	openWrapupPane(f.c, msg.Callback, msg.Codes)
	return nil
}

func (f *CallFlow) done(msg kit.DoneMsg) tea.Cmd {
	t := f.c.Text
	if msg.Err != nil {
		return kit.Notice(t.Refusal(msg.Err, f.c.Now()), true)
	}
	cb := msg.Outcome.Callback
	if f.wrapped == nil {
		f.wrapped = map[int64]bool{}
	}
	f.wrapped[cb.ID] = true
	text := kit.Sprintf(t.Wrapped, msg.Label)
	if cb.State == queue.Scheduled {
		text = kit.Sprintf(t.WrappedNext, msg.Label, t.When(cb.Due, f.c.Now().In(f.c.Site()), db.Zone(cb.CustomerTZ)))
	}
	f.last, f.lastAt = nil, time.Time{}
	if !msg.Final {
		before := msg.Before
		f.last, f.lastAt = &before, f.c.Now()
		text += t.UndoHint
	}
	f.c.Post(kit.ReloadMsg{})
	return kit.Notice(text, false)
}

// CanUndo reports whether the last wrap-up may still be taken back.
func (f *CallFlow) CanUndo() bool {
	return f.last != nil && f.c.Now().Sub(f.lastAt) <= queue.UndoWindow
}

// Undo takes back the last wrap-up.
func (f *CallFlow) Undo() tea.Cmd {
	if !f.CanUndo() {
		return nil
	}
	svc, ctx, agent, before := f.c.Queue, f.c.Ctx, f.c.Agent, *f.last
	f.last = nil
	return func() tea.Msg {
		cb, err := svc.UndoWrapup(ctx, agent, before)
		return undoneMsg{cb: cb, err: err}
	}
}

// renew extends the lease of every callback this agent holds, so a claim
// lives as long as the console does and ends soon after it.
func (f *CallFlow) renew() tea.Cmd {
	if f.renewing {
		return nil
	}
	f.renewing = true
	svc, ctx, agent := f.c.Queue, db.Background(f.c.Ctx), f.c.Agent
	return func() tea.Msg {
		_, err := svc.RenewAll(ctx, agent)
		return kit.RenewedMsg{Err: err}
	}
}
