package tui

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// reloadDelay gathers a burst of database changes (other consoles autosave
// drafts and record reminders all the time) into one reload, keeping every
// console within a second of the others.
const reloadDelay = 300 * time.Millisecond

// reloadMsg fires the gathered reload.
type reloadMsg struct{}

// claimReadyMsg carries a claimed callback, read back with its customer.
type claimReadyMsg struct {
	cb  queue.Callback
	err error
}

// claim takes a callback (0: the next best) and opens its customer.
func (a *App) claim(id int64) tea.Cmd {
	svc, ctx, agent := a.c.Queue, a.c.Ctx, a.c.Agent
	return func() tea.Msg {
		var cl queue.Claim
		var err error
		if id == 0 {
			cl, err = svc.ClaimNext(ctx, agent)
		} else {
			cl, err = svc.Claim(ctx, agent, id)
		}
		if err != nil {
			return claimReadyMsg{err: err}
		}
		cb, err := svc.Get(ctx, cl.ID)
		return claimReadyMsg{cb: cb, err: err}
	}
}

func (a *App) claimReady(msg claimReadyMsg) tea.Cmd {
	t := a.c.Text
	if errors.Is(msg.err, queue.ErrNothingCallable) {
		a.banner = noticeMsg{text: t.NothingCallable}
		return nil
	}
	if msg.err != nil {
		a.banner = noticeMsg{text: t.Refusal(msg.err, a.c.Now()), err: true}
		return nil
	}
	a.banner = noticeMsg{text: fmt.Sprintf(t.Claimed, msg.cb.ID, msg.cb.LeaseUntil.In(a.c.Now().Location()).Format("15:04"))}
	a.c.post(openCustomerMsg{customerID: msg.cb.CustomerID, callbackID: msg.cb.ID})
	return a.queue.load()
}

func (a *App) release(id int64) tea.Cmd {
	svc, ctx, agent := a.c.Queue, a.c.Ctx, a.c.Agent
	return func() tea.Msg { return releasedMsg{id: id, err: svc.Release(ctx, agent, id)} }
}

func (a *App) released(msg releasedMsg) tea.Cmd {
	if msg.err != nil {
		a.banner = noticeMsg{text: a.c.Text.ErrorPrefix + msg.err.Error(), err: true}
		return nil
	}
	a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.Released, msg.id)}
	return a.queue.load()
}

// openWrapup loads what the disposition picker needs. auto is set when the
// picker follows a saved note: then a callback that is not the agent's
// claim simply gets no picker.
func (a *App) openWrapup(id int64, auto bool) tea.Cmd {
	svc, ctx := a.c.Queue, a.c.Ctx
	return func() tea.Msg {
		cb, err := svc.Get(ctx, id)
		if err != nil {
			return wrapupReadyMsg{err: err}
		}
		codes, err := svc.Dispositions(ctx)
		return wrapupReadyMsg{cb: cb, codes: codes, err: err, auto: auto}
	}
}

func (a *App) wrapupReady(msg wrapupReadyMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		a.banner = noticeMsg{text: a.c.Text.ErrorPrefix + msg.err.Error(), err: true}
	case !msg.cb.ClaimedByAgent(a.c.Agent.Name):
		if !msg.auto {
			a.banner = noticeMsg{text: a.c.Text.NotYourClaim, err: true}
		}
	default:
		return a.openOverlay(newWrapupPane(a.c, msg.cb, msg.codes), nil)
	}
	return nil
}

func (a *App) done(msg doneMsg) tea.Cmd {
	t := a.c.Text
	a.overlayUpdate(msg)
	if msg.err != nil {
		a.banner = noticeMsg{text: t.ErrorPrefix + msg.err.Error(), err: true}
		return nil
	}
	cb := msg.outcome.Callback
	a.banner = noticeMsg{text: fmt.Sprintf(t.Wrapped, msg.label)}
	if cb.State == queue.Scheduled {
		a.banner.text = fmt.Sprintf(t.WrappedNext, msg.label, t.When(cb.Due, a.c.Now(), db.Zone(cb.CustomerTZ)))
	}
	return tea.Batch(a.queue.load(), a.customer.reload())
}

// renew extends the lease of every callback this agent holds, so a claim
// lives as long as the console does and ends soon after it.
func (a *App) renew() tea.Cmd {
	svc, ctx, agent := a.c.Queue, a.c.Ctx, a.c.Agent
	var cmds []tea.Cmd
	for _, cb := range a.queue.items {
		if !cb.ClaimedByAgent(agent.Name) {
			continue
		}
		id := cb.ID
		cmds = append(cmds, func() tea.Msg {
			_, err := svc.Renew(ctx, agent, id)
			return renewedMsg{id: id, err: err}
		})
	}
	return tea.Batch(cmds...)
}

func (a *App) renewed(msg renewedMsg) tea.Cmd {
	if msg.err == nil {
		return nil
	}
	a.banner = noticeMsg{text: fmt.Sprintf(a.c.Text.LeaseLost, msg.id), err: true}
	return a.queue.load()
}

// sweep lets the rules that act by themselves (lease expiry, overdue to
// pool) run from every console; it only writes when there is work.
func (a *App) sweep() tea.Cmd {
	svc, ctx, log := a.c.Queue, a.c.Ctx, a.c.Log
	return func() tea.Msg {
		if res, err := svc.Sweep(ctx); err != nil {
			log.Error("sweep", "err", err)
		} else if res.LeasesExpired+res.ToPool > 0 {
			log.Info("sweep", "expired", res.LeasesExpired, "to_pool", res.ToPool)
		}
		return nil
	}
}

// changed schedules one reload for a burst of changes.
func (a *App) changed() tea.Cmd {
	if a.reloadPending {
		return nil
	}
	a.reloadPending = true
	return a.c.after(reloadDelay, reloadMsg{})
}

func (a *App) reload() tea.Cmd {
	a.reloadPending = false
	return tea.Batch(a.queue.load(), a.customer.reload())
}
