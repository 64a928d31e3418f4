package tui

import (
	"context"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// listWindow holds the rows of a list of callbacks that its table shows,
// and a screen or so on either side, never the whole list: the queue and
// the team's Callbacks screen read a window along the list's order, and
// more as the cursor moves (before it gets there, so a key rarely waits).
// A read of rows is a few range reads, whatever the list's length; where
// the rows stand in the list and how long it is (a count of every row
// before) come after, from a second read, and move the rows into place:
// a key waits for the rows, never for the count. Rows not read yet draw
// as "…".
type listWindow struct {
	owner   string           // whose replies are whose: "queue", "team"
	items   []queue.Callback // the rows read, in the list's order
	start   int              // the place of items[0] in the list
	counts  queue.Counts
	listing queue.Listing // the list the rows belong to, AsOf included
	reqID   int           // the latest read of rows
	placeID int           // the latest read of places
	anchor  int           // the place the row read around was given, until its place is known
	busy    bool          // a read of rows is on its way
	again   bool          // a live reload waits for the read on its way
	placeAt time.Time     // when places were last asked for (wall clock)
	later   bool          // a reading of places is due (placeDueMsg)
	loaded  bool
	err     error
}

// windowRead says what to read.
type windowRead int

const (
	readAround windowRead = iota // rows around a row (or the first rows): reloads, filters, g
	readAhead                    // the rows after the last read
	readBehind                   // the rows before the first read
	readTail                     // the last rows: G
	readPlace                    // where the row read around stands, and the counts
	readFirst                    // the first rows with their counts: the first frame is whole
)

// windowReq is one read of a list; its reply carries it back.
type windowReq struct {
	owner         string
	id            int
	what          windowRead
	listing       queue.Listing
	at            *queue.Callback // readAround, readPlace: the row read around; readAhead/Behind: where to go on from
	before, after int
	keep          keepHow // readAround: where the cursor goes
	cursor        int     // the cursor's place when the read was asked for
	live          bool    // a reload for a change elsewhere or the clock
}

// placeEvery is how often, at most, a live reload counts the list again:
// on a busy floor another console's commit comes many times a second,
// and the rows show it at once while a count of 100,000 rows waits its
// turn (the agent's own keys count at once).
const placeEvery = time.Second

// placeDueMsg asks a window for its places, when a live reload left them
// for later.
type placeDueMsg struct{ owner string }

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
	req    windowReq
	items  []queue.Callback
	back   int             // readAround: how many of items come before the row read around
	at     int             // readPlace: the row's place
	around *queue.Callback // readAround: the row read around, as it is now (it may have moved)
	counts queue.Counts
	extra  any // what else the owner read with it
	err    error
}

// margin is how many rows beyond the screen are kept read on each side.
func margin(t *table) int { return max(t.rows(), 12) }

// screenful is how many rows a read around a row takes after it: the
// screen and a margin; before the terminal's size is known (the first
// load), a large terminal's worth.
func screenful(t *table) int { return max(t.rows(), 60) + margin(t) }

// read asks for rows (or places) of a list; extra is read in the same
// command after them, and its result rides in the reply.
func (w *listWindow) read(c *Common, req windowReq, extra func(ctx context.Context) (any, error)) tea.Cmd {
	if req.what == readPlace {
		w.placeID++
		req.id = w.placeID
	} else {
		w.reqID++
		w.busy = true
		req.id = w.reqID
	}
	req.owner = w.owner
	svc, ctx, agent := c.Queue, c.Ctx, c.Agent
	return func() tea.Msg { return readWindow(ctx, svc, agent, req, extra) }
}

func readWindow(ctx context.Context, svc *queue.Service, agent crm.Agent, req windowReq, extra func(ctx context.Context) (any, error)) tea.Msg {
	msg := windowMsg{req: req}
	l := req.listing
	switch req.what {
	case readFirst:
		// The rows and the count at once, on two connections: cold (a
		// console just started) each is a read of its own pages, and the
		// first frame waits for the slower, not for both. Their snapshots
		// are a moment apart, as a reload's rows and places are.
		var wg sync.WaitGroup
		var countErr error
		wg.Go(func() { _, msg.counts, countErr = svc.Place(ctx, agent, l, nil) })
		msg.items, _, msg.err = svc.Around(ctx, agent, l, nil, 0, req.after)
		wg.Wait()
		if msg.err == nil {
			msg.err = countErr
		}
	case readAround:
		at := req.at
		if at != nil && req.keep == keepRow {
			// Follow the row where it went (another priority, a new due
			// time): around its place now, not the one it had.
			if cur, err := svc.Get(ctx, at.ID); err == nil && cur.State.Open() {
				at = &cur
			}
		}
		msg.around = at
		msg.items, msg.back, msg.err = svc.Around(ctx, agent, l, at, req.before, req.after)
	case readTail:
		msg.items, msg.err = svc.Page(ctx, agent, l, nil, true, req.after)
	case readAhead:
		msg.items, msg.err = svc.Page(ctx, agent, l, req.at, false, req.after)
	case readBehind:
		msg.items, msg.err = svc.Page(ctx, agent, l, req.at, true, req.before)
	case readPlace:
		msg.at, msg.counts, msg.err = svc.Place(ctx, agent, l, req.at)
	}
	if msg.err == nil && extra != nil {
		msg.extra, msg.err = extra(ctx)
	}
	return msg
}

// liveReload is reload for a change made elsewhere or the clock: while a
// read the agent asked for (a page, the end of the list) is on its way, it
// waits for it rather than overtaking it, or the cursor would jump back.
func (w *listWindow) liveReload(c *Common, t *table, l queue.Listing, keep keepHow, extra func(context.Context) (any, error)) tea.Cmd {
	if w.busy {
		w.again = true
		return nil
	}
	return w.reloadAs(c, t, l, keep, extra, true)
}

// pending reports, once, that a live reload waited for the read that just
// arrived.
func (w *listWindow) pending() bool {
	again := w.again
	w.again = false
	return again
}

// reload reads the window again around the row under the cursor (the
// first row when there is none; the last for keepBottom), keeping the
// cursor as keep says; the list's "now" is now. extra is read with the
// rows.
func (w *listWindow) reload(c *Common, t *table, l queue.Listing, keep keepHow, extra func(context.Context) (any, error)) tea.Cmd {
	return w.reloadAs(c, t, l, keep, extra, false)
}

func (w *listWindow) reloadAs(c *Common, t *table, l queue.Listing, keep keepHow, extra func(context.Context) (any, error), live bool) tea.Cmd {
	l.AsOf = c.Now()
	if keep == keepBottom {
		return w.read(c, windowReq{what: readTail, listing: l, keep: keep, after: screenful(t), cursor: t.cursor, live: live}, extra)
	}
	req := windowReq{what: readAround, listing: l, keep: keep, before: margin(t), after: screenful(t), cursor: t.cursor, live: live}
	if cb, ok := w.at(t.cursor); ok && keep != keepTop {
		req.at = &cb
	} else {
		req.keep = keepTop
	}
	if !w.loaded {
		req.what = readFirst
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
// Rows are placed and the cursor moved as the read asked; a new window
// asks for its places (the command returned).
func (w *listWindow) arrived(c *Common, msg windowMsg, t *table) (bool, tea.Cmd) {
	if msg.req.owner != w.owner {
		return false, nil
	}
	if msg.req.what == readPlace {
		if msg.req.id != w.placeID || msg.err != nil {
			return msg.req.id == w.placeID, nil
		}
		w.placed(msg, t)
		return true, nil
	}
	if msg.req.id != w.reqID {
		return false, nil
	}
	w.busy = false
	w.loaded, w.err = true, msg.err
	if msg.err != nil {
		return true, nil
	}
	var place tea.Cmd
	switch msg.req.what {
	case readFirst:
		w.listing, w.items, w.start, w.counts, w.anchor = msg.req.listing, msg.items, 0, msg.counts, 0
		if len(msg.items) < msg.req.after {
			w.counts.Total = len(msg.items) // every row was read: the rows say how many
		} else {
			w.counts.Total = max(w.counts.Total, len(msg.items))
		}
		w.placeAt = time.Now()
		t.SetRows(w.counts.Total)
		t.cursor, t.offset = 0, 0
	case readAround, readTail:
		place = w.settle(c, msg, t)
	case readAhead:
		w.items = append(w.items, msg.items...)
		if len(msg.items) < msg.req.after {
			// The list ends sooner than its count said: rows left it since.
			w.counts.Total = w.start + len(w.items)
		}
	case readBehind:
		w.items = append(append([]queue.Callback{}, msg.items...), w.items...)
		w.start -= len(msg.items)
		if len(msg.items) < msg.req.before && w.start != 0 {
			// The list begins sooner than the places said (rows before
			// left it since): the first row read is the first row.
			shift := -w.start
			w.start, w.anchor = 0, w.anchor+shift
			t.cursor, t.offset = max(0, t.cursor+shift), max(0, t.offset+shift)
		}
	}
	if msg.req.what == readAhead || msg.req.what == readBehind {
		w.counts.Total = max(w.counts.Total, w.start+len(w.items))
		t.SetRows(w.counts.Total)
	}
	w.trim(t)
	t.Invalidate()
	return true, place
}

// settle puts a new window of rows in place: the row read around keeps
// the place it had (the cursor's), or goes to the top or the bottom, until
// its real place arrives; the cursor goes on the row it is on now (it may
// have moved since the read was asked for), else where the row read
// around was.
func (w *listWindow) settle(c *Common, msg windowMsg, t *table) tea.Cmd {
	req := msg.req
	selected, wasRead := w.at(t.cursor)
	screenRow, moved := t.cursor-t.offset, t.cursor-req.cursor
	w.listing, w.items = req.listing, msg.items
	switch {
	case req.what == readTail:
		w.start = max(0, w.counts.Total-len(w.items))
		w.anchor = w.start + len(w.items) // the end of the list
	case req.at == nil:
		w.start, w.anchor = 0, 0
	default:
		w.anchor = req.cursor
		w.start = w.anchor - msg.back
		if w.start < 0 { // fewer rows before than the place said: the place was wrong
			w.anchor, w.start = msg.back, 0
		}
	}
	// Until the count comes, the list is as long as it was, and goes on
	// past the rows read when the read was full.
	more := 0
	if req.what == readAround && len(msg.items)-msg.back >= req.after {
		more = 1
	}
	w.counts.Total = max(w.counts.Total, w.start+len(w.items)+more)
	t.SetRows(w.counts.Total)
	switch req.keep {
	case keepTop:
		t.cursor, t.offset = 0, 0
	case keepBottom:
		t.cursor = w.start + len(w.items) - 1
	default:
		t.cursor = w.anchor + moved
		if req.keep == keepRow && wasRead {
			for i, cb := range w.items {
				if cb.ID == selected.ID {
					t.cursor = w.start + i
				}
			}
		}
		t.offset = t.cursor - screenRow
	}
	t.cursor = max(0, min(t.cursor, t.n-1))
	t.scroll()
	// Where the rows stand, and how many there are: read after, moved
	// into place when it comes; for a live reload, at most every
	// placeEvery.
	if req.live && w.loaded && time.Since(w.placeAt) < placeEvery {
		if w.later {
			return nil
		}
		w.later = true
		return c.after(placeEvery, placeDueMsg{owner: w.owner})
	}
	at := msg.around
	if req.what == readTail {
		at = nil
	}
	w.placeAt = time.Now()
	return w.read(c, windowReq{what: readPlace, listing: w.listing, at: at, keep: req.keep}, nil)
}

// placeNow reads the places left for later, around the row under the
// cursor.
func (w *listWindow) placeNow(c *Common, t *table) tea.Cmd {
	w.later = false
	row, ok := w.at(t.cursor)
	if !ok {
		return nil
	}
	w.anchor, w.placeAt = t.cursor, time.Now()
	return w.read(c, windowReq{what: readPlace, listing: w.listing, at: &row, keep: keepRow}, nil)
}

// placed moves the rows to their real places: the row read around stands
// at msg.at (or the last rows end the list), and the list has
// msg.counts.Total rows. The cursor moves with its row.
func (w *listWindow) placed(msg windowMsg, t *table) {
	w.counts = msg.counts
	shift := msg.at - w.anchor
	if msg.req.keep == keepBottom {
		shift = w.counts.Total - w.anchor
	}
	w.start += shift
	w.anchor += shift
	if w.start < 0 {
		w.start = 0
	}
	t.SetRows(max(w.counts.Total, w.start+len(w.items)))
	t.cursor += shift
	t.offset += shift
	if msg.req.keep == keepBottom && t.cursor >= w.start+len(w.items)-1 {
		t.cursor = t.n - 1
	}
	t.cursor = max(0, min(t.cursor, t.n-1))
	t.scroll()
	t.Invalidate()
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
func (w *listWindow) ensure(c *Common, t *table) tea.Cmd {
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
		return nil // an empty list: the next reload reads it
	case hi > haveEnd:
		last := w.items[len(w.items)-1]
		n := min(hi-haveEnd+margin(t), 1000)
		return w.read(c, windowReq{what: readAhead, listing: w.listing, at: &last, after: n}, nil)
	default:
		first := w.items[0]
		n := min(have-lo+margin(t), 1000)
		return w.read(c, windowReq{what: readBehind, listing: w.listing, at: &first, before: n}, nil)
	}
}

// navigate moves t's cursor by a list key: g and G read the first or last
// rows when the window does not hold them (reload keeps the top or the
// bottom), a move within it reads more before the cursor gets to the edge.
// It reports whether msg was a list key.
func (w *listWindow) navigate(c *Common, t *table, k listKeys, msg tea.KeyPressMsg, reload func(keepHow) tea.Cmd) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, k.Top) && w.start > 0:
		return reload(keepTop), true
	case key.Matches(msg, k.Bottom) && w.start+len(w.items) < w.counts.Total:
		return reload(keepBottom), true
	case t.Navigate(k, msg):
		return w.ensure(c, t), true
	}
	return nil, false
}
