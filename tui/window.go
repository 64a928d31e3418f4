package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// listWindow holds the rows of a list of callbacks that its table shows,
// and a screen or so on either side, never the whole list: the queue and
// the team's Callbacks screen read a window along the list's order, and
// more as the cursor moves (before it gets there, so a key rarely waits),
// with the list's counts from SQL. Rows not read yet draw as "…".
type listWindow struct {
	owner   string           // whose replies are whose: "queue", "team"
	items   []queue.Callback // the rows read, in the list's order
	start   int              // the place of items[0] in the list
	counts  queue.Counts
	listing queue.Listing // the list the rows belong to, AsOf included
	reqID   int
	busy    bool // a read is on its way
	loaded  bool
	err     error
}

// windowRead says what to read.
type windowRead int

const (
	readAround windowRead = iota // a window around a row (or the first rows): reloads, filters
	readAhead                    // the rows after the last read
	readBehind                   // the rows before the first read
	readTail                     // the last rows
)

// windowReq is one read of a list; its reply carries it back.
type windowReq struct {
	owner         string
	id            int
	what          windowRead
	listing       queue.Listing
	at            *queue.Callback // readAround: the row to read around; readAhead/Behind: where to go on from
	before, after int
	keep          keepHow // readAround: where the cursor goes
	keepID        int64
	screenRow     int // the cursor's row on screen, kept by keepScreen
}

// keepHow says where the cursor goes when a window around a row arrives.
type keepHow int

const (
	keepRow    keepHow = iota // on the row it was on, if it is still in the window; else where that row was
	keepPlace                 // where that row was (after a wrap-up, the agent's place)
	keepTop                   // the first row
	keepBottom                // the last row
)

// windowMsg is a window read's reply.
type windowMsg struct {
	req   windowReq
	span  queue.Span
	extra any // what else the owner read with it
	err   error
}

// margin is how many rows beyond the screen are kept read on each side.
func margin(t *table) int { return max(t.rows(), 12) }

// read asks for rows of l; extra is read in the same command after them
// (the owner's other figures), and its result rides in the reply.
func (w *listWindow) read(c *Common, req windowReq, extra func(ctx context.Context) (any, error)) tea.Cmd {
	w.reqID++
	w.busy = true
	req.owner, req.id = w.owner, w.reqID
	svc, ctx, agent := c.Queue, c.Ctx, c.Agent
	return func() tea.Msg { return readWindow(ctx, svc, agent, req, extra) }
}

func readWindow(ctx context.Context, svc *queue.Service, agent crm.Agent, req windowReq, extra func(ctx context.Context) (any, error)) tea.Msg {
	msg := windowMsg{req: req}
	l := req.listing
	switch req.what {
	case readAround:
		at := req.at
		if at != nil && req.keep == keepRow {
			// Follow the row where it went (another priority, a new due
			// time): its place now, not the one it had.
			if cur, err := svc.Get(ctx, at.ID); err == nil && cur.State.Open() {
				at = &cur
			}
		}
		msg.span, msg.err = svc.Window(ctx, agent, l, at, req.before, req.after)
	case readTail:
		msg.span, msg.err = svc.Tail(ctx, agent, l, req.after)
	case readAhead:
		msg.span.Items, msg.err = svc.Page(ctx, agent, l, req.at, false, req.after)
	case readBehind:
		msg.span.Items, msg.err = svc.Page(ctx, agent, l, req.at, true, req.before)
	}
	if msg.err == nil && extra != nil {
		msg.extra, msg.err = extra(ctx)
	}
	return msg
}

// reload reads the window again around the row under the cursor (the
// first row when there is none), keeping the cursor as keep says; asOf is
// the list's new "now".
func (w *listWindow) reload(c *Common, t *table, l queue.Listing, keep keepHow, extra func(context.Context) (any, error)) tea.Cmd {
	l.AsOf = c.Now()
	req := windowReq{what: readAround, listing: l, keep: keep, before: margin(t), after: t.rows() + margin(t),
		screenRow: t.cursor - t.offset}
	if cb, ok := w.at(t.cursor); ok && keep != keepTop {
		req.at, req.keepID = &cb, cb.ID
	} else if keep != keepBottom {
		req.keep = keepTop
	}
	if keep == keepBottom {
		req.what, req.after = readTail, t.rows()+margin(t)
	}
	return w.read(c, req, extra)
}

// at is the row at place i of the list, when it has been read.
func (w *listWindow) at(i int) (queue.Callback, bool) {
	if i < w.start || i >= w.start+len(w.items) {
		return queue.Callback{}, false
	}
	return w.items[i-w.start], true
}

// arrived takes a reply: false when it is not this window's or is stale.
// It places the rows and moves the table's cursor as the read asked.
func (w *listWindow) arrived(msg windowMsg, t *table) bool {
	if msg.req.owner != w.owner || msg.req.id != w.reqID {
		return false
	}
	w.busy = false
	w.loaded, w.err = true, msg.err
	if msg.err != nil {
		return true
	}
	span := msg.span
	switch msg.req.what {
	case readAround, readTail:
		w.listing, w.items, w.start, w.counts = msg.req.listing, span.Items, span.Start, span.Counts
		t.SetRows(w.counts.Total)
		w.place(msg.req, span, t)
	case readAhead:
		w.items = append(w.items, span.Items...)
		if len(span.Items) < msg.req.after {
			// The list ends sooner than its count said: rows left it since.
			w.counts.Total = w.start + len(w.items)
			t.SetRows(w.counts.Total)
		}
	case readBehind:
		w.items = append(append([]queue.Callback{}, span.Items...), w.items...)
		w.start -= len(span.Items)
		if w.start < 0 || (len(span.Items) < msg.req.before && w.start > 0) {
			// Rows before left the list since: the places are stale.
			w.loaded = false
		}
		w.start = max(0, w.start)
	}
	w.trim(t)
	t.Invalidate()
	return true
}

// place moves the cursor after a window around a row arrived.
func (w *listWindow) place(req windowReq, span queue.Span, t *table) {
	switch req.keep {
	case keepTop:
		t.cursor, t.offset = 0, 0
	case keepBottom:
		t.cursor = w.counts.Total - 1
	default:
		t.cursor = span.At
		if req.keep == keepRow {
			for i, cb := range w.items {
				if cb.ID == req.keepID {
					t.cursor = w.start + i
				}
			}
		}
		t.offset = t.cursor - req.screenRow
	}
	t.cursor = max(0, min(t.cursor, t.n-1))
	t.scroll()
}

// trim drops the rows read that are far from the screen, so the window
// never holds more than the screen and a margin on each side.
func (w *listWindow) trim(t *table) {
	lo, hi := t.offset-2*margin(t), t.offset+t.rows()+2*margin(t)
	if cut := lo - w.start; cut > 0 && cut <= len(w.items) {
		w.items = w.items[cut:]
		w.start += cut
	}
	if keep := hi - w.start; keep >= 0 && keep < len(w.items) {
		w.items = w.items[:keep]
	}
	w.items = append([]queue.Callback(nil), w.items...) // let go of what was cut
}

// ensure reads more when the screen and its margins reach past the rows
// read; nil when they do not or a read is on its way.
func (w *listWindow) ensure(c *Common, t *table, extraReload func(context.Context) (any, error)) tea.Cmd {
	if w.busy || !w.loaded || w.err != nil {
		return nil
	}
	total := w.counts.Total
	lo, hi := max(0, t.offset-margin(t)), min(total, t.offset+t.rows()+margin(t))
	have, haveEnd := w.start, w.start+len(w.items)
	switch {
	case lo >= have && hi <= haveEnd:
		return nil
	case len(w.items) == 0:
		return w.reload(c, t, w.listing, keepPlace, extraReload)
	case t.cursor >= total-1 && hi == total && haveEnd < total-t.rows():
		return w.read(c, windowReq{what: readTail, listing: w.listing, after: t.rows() + margin(t)}, nil)
	case hi > haveEnd && lo <= haveEnd:
		last := w.items[len(w.items)-1]
		return w.read(c, windowReq{what: readAhead, listing: w.listing, at: &last, after: min(hi-haveEnd+margin(t), 1000)}, nil)
	case lo < have && hi >= have:
		first := w.items[0]
		return w.read(c, windowReq{what: readBehind, listing: w.listing, at: &first, before: min(have-lo+margin(t), 1000)}, nil)
	case hi > haveEnd:
		// Far ahead (page keys held down): go on from the last row read.
		last := w.items[len(w.items)-1]
		return w.read(c, windowReq{what: readAhead, listing: w.listing, at: &last, after: 1000}, nil)
	default:
		first := w.items[0]
		return w.read(c, windowReq{what: readBehind, listing: w.listing, at: &first, before: 1000}, nil)
	}
}

// stale reports whether the rows were read long enough ago that their
// relative times and order want a fresh read.
func (w *listWindow) stale(now time.Time) bool {
	return now.Sub(w.listing.AsOf) >= time.Minute
}
