package kit

import (
	"context"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// Common is what every pane of one session shares: the services, who is
// logged in, the language, the styles and the clock. Under SSH each session
// has its own; nothing here is global.
type Common struct {
	Ctx    context.Context
	CRM    *crm.Service
	Queue  *queue.Service
	Agent  crm.Agent
	Text   Text
	Styles Styles
	// Clock is the session's time: what time it is, and the timers that
	// redraw, check reminders and autosave. Tests give a clock they move.
	Clock Clock
	Log   *slog.Logger
	// Zone is the call center's time zone (crm.SiteZone): "today" and
	// the clock on screen are in it.
	Zone *time.Location
	// DialCmd runs when the agent dials a number: "CMD {number}", with
	// {number} replaced by the number in E.164. Empty: no dialling.
	DialCmd string

	// Pending are messages a pane posted for the root; the root handles
	// them before the next input, so navigation never races the keys an
	// agent types right after it (n, then the first words of the note).
	Pending []tea.Msg
}

// Post hands a message to the root, to be handled at once.
func (c *Common) Post(msg tea.Msg) { c.Pending = append(c.Pending, msg) }

// NewCommon fills a Common with dark styles (until the terminal says
// otherwise) and the wall clock.
func NewCommon(ctx context.Context, c *crm.Service, q *queue.Service, agent crm.Agent, lang Lang, log *slog.Logger) *Common {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Common{Ctx: ctx, CRM: c, Queue: q, Agent: agent, Text: TextFor(lang), Styles: NewStyles(true),
		Clock: WallClock{Done: ctx.Done()}, Log: log, Zone: c.SiteZone(ctx)}
}

// Clock tells the time and delivers a message after a while.
type Clock interface {
	Now() time.Time
	// After returns a command that delivers msg once d has passed.
	After(d time.Duration, msg tea.Msg) tea.Cmd
}

// WallClock is the real time. Its timers end with the session (Done): a
// timer still waiting holds its program, and a server whose sessions had
// ended kept each one's screen buffers until their minute-long timers
// fired (found by the SSH benchmark: 160 MB after a hundred sessions).
type WallClock struct{ Done <-chan struct{} }

// Now is time.Now.
func (WallClock) Now() time.Time { return time.Now() }

// After delivers msg once d has passed, or nothing when the session ends
// first.
func (w WallClock) After(d time.Duration, msg tea.Msg) tea.Cmd {
	done := w.Done
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-done:
			return nil
		}
	}
}

// Now is the session's present, in the call center's zone: every time
// on screen is in it.
func (c *Common) Now() time.Time { return c.Clock.Now().In(c.Site()) }

// Pane is the contract every child model keeps: Update returns only a Cmd,
// View returns a string the parent places, SetSize is the space it gets.
type Pane interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
}

// After delivers msg once d has passed on the session's clock.
func (c *Common) After(d time.Duration, msg tea.Msg) tea.Cmd {
	return c.Clock.After(d, msg)
}

// Site is the call center's zone: times on screen are in it.
func (c *Common) Site() *time.Location {
	if c.Zone == nil {
		return db.Zone("Asia/Seoul")
	}
	return c.Zone
}
