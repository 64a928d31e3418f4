package kit

import (
	"context"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// ListWindow holds the rows of a list of callbacks that its table shows,
// and a screen or so on either side, never the whole list: the queue and
// the team's Callbacks screen read a window along the list's order, and
// more as the cursor moves (before it gets there, so a key rarely waits).
// A read of rows is a few range reads, whatever the list's length; where
// the rows stand in the list and how long it is (a count of every row
// before) come after, from a second read, and move the rows into place:
// a key waits for the rows, never for the count. Rows not read yet draw
// as "…".
type ListWindow struct {
	Owner   string           // whose replies are whose: "queue", "team"
	Items   []queue.Callback // the rows read, in the list's order
	Start   int              // the place of items[0] in the list
	Counts  queue.Counts
	Listing queue.Listing // the list the rows belong to, AsOf included
	ReqID   int           // the latest read of rows
	placeID int           // the latest read of places
	anchor  int           // the place the row read around was given, until its place is known
	busy    bool          // a read of rows is on its way
	again   bool          // a live reload waits for the read on its way
	placeAt time.Time     // when places were last asked for (wall clock)
	later   bool          // a reading of places is due (placeDueMsg)
	Loaded  bool
	Err     error
}

// windowRead says what to read.
type windowRead int

const (
	ReadAround windowRead = iota // rows around a row (or the first rows): reloads, filters, g
	readAhead                    // the rows after the last read
	readBehind                   // the rows before the first read
	readTail                     // the last rows: G
	ReadPlace                    // where the row read around stands, and the counts
	ReadFirst                    // the first rows with their counts: the first frame is whole
)

// WindowReq is one read of a list; its reply carries it back.
type WindowReq struct {
	Owner         string
	ID            int
	What          windowRead
	listing       queue.Listing
	at            *queue.Callback // readAround, readPlace: the row read around; readAhead/Behind: where to go on from
	before, After int
	Keep          KeepHow // readAround: where the cursor goes
	cursor        int     // the cursor's place when the read was asked for
	live          bool    // a reload for a change elsewhere or the clock
}

// placeEvery is how often, at most, a live reload counts the list again:
// on a busy floor another console's commit comes many times a second,
// and the rows show it at once while a count of 100,000 rows waits its
// turn (the agent's own keys count at once).
const placeEvery = time.Second

// PlaceDueMsg asks a window for its places, when a live reload left them
// for later.
type PlaceDueMsg struct{ Owner string }

// KeepHow says where the cursor goes when a window around a row arrives.
type KeepHow int

const (
	KeepRow    KeepHow = iota // on the row it was on, if it is still in the window; else where that row was
	KeepPlace                 // where that row was (after a wrap-up, the agent's place)
	KeepTop                   // the first row
	keepBottom                // the last row
)

// WindowMsg is a window read's reply.
type WindowMsg struct {
	Req    WindowReq
	Items  []queue.Callback
	back   int             // readAround: how many of items come before the row read around
	at     int             // readPlace: the row's place
	around *queue.Callback // readAround: the row read around, as it is now (it may have moved)
	counts queue.Counts
	Extra  any // what else the owner read with it
	Err    error
}

// margin is how many rows beyond the screen are kept read on each side.
func margin(t *Table) int { return max(t.Rows(), 12) }

// screenful is how many rows a read around a row takes after it: the
// screen and a margin; before the terminal's size is known (the first
// load), a large terminal's worth.
func screenful(t *Table) int { return max(t.Rows(), 60) + margin(t) }

// read asks for rows (or places) of a list; extra is read in the same
// command after them, and its result rides in the reply.
func (w *ListWindow) read(c *Common, req WindowReq, extra func(ctx context.Context) (any, error)) tea.Cmd {
	if req.What == ReadPlace {
		w.placeID++
		req.ID = w.placeID
	} else {
		w.ReqID++
		w.busy = true
		req.ID = w.ReqID
	}
	req.Owner = w.Owner
	svc, ctx, agent := c.Queue, c.Ctx, c.Agent
	return func() tea.Msg { return readWindow(ctx, svc, agent, req, extra) }
}

func readWindow(ctx context.Context, svc *queue.Service, agent crm.Agent, req WindowReq, extra func(ctx context.Context) (any, error)) tea.Msg {
	msg := WindowMsg{Req: req}
	l := req.listing
	switch req.What {
	case ReadFirst:
		// The rows and the count at once, on two connections: cold (a
		// console just started) each is a read of its own pages, and the
		// first frame waits for the slower, not for both. Their snapshots
		// are a moment apart, as a reload's rows and places are.
		var wg sync.WaitGroup
		var countErr error
		wg.Go(func() { _, msg.counts, countErr = svc.Place(ctx, agent, l, nil) })
		msg.Items, _, msg.Err = svc.Around(ctx, agent, l, nil, 0, req.After)
		wg.Wait()
		if msg.Err == nil {
			msg.Err = countErr
		}
	case ReadAround:
		at := req.at
		if at != nil && req.Keep == KeepRow {
			// Follow the row where it went (another priority, a new due
			// time): around its place now, not the one it had.
			if cur, err := svc.Get(ctx, at.ID); err == nil && cur.State.Open() {
				at = &cur
			}
		}
		msg.around = at
		msg.Items, msg.back, msg.Err = svc.Around(ctx, agent, l, at, req.before, req.After)
	case readTail:
		msg.Items, msg.Err = svc.Page(ctx, agent, l, nil, true, req.After)
	case readAhead:
		msg.Items, msg.Err = svc.Page(ctx, agent, l, req.at, false, req.After)
	case readBehind:
		msg.Items, msg.Err = svc.Page(ctx, agent, l, req.at, true, req.before)
	case ReadPlace:
		msg.at, msg.counts, msg.Err = svc.Place(ctx, agent, l, req.at)
	}
	if msg.Err == nil && extra != nil {
		msg.Extra, msg.Err = extra(ctx)
	}
	return msg
}

// LiveReload is reload for a change made elsewhere or the clock: while a
// read the agent asked for (a page, the end of the list) is on its way, it
// waits for it rather than overtaking it, or the cursor would jump back.
func (w *ListWindow) LiveReload(c *Common, t *Table, l queue.Listing, keep KeepHow, extra func(context.Context) (any, error)) tea.Cmd {
	if w.busy {
		w.again = true
		return nil
	}
	return w.reloadAs(c, t, l, keep, extra, true)
}

// Pending reports, once, that a live reload waited for the read that just
// arrived.
func (w *ListWindow) Pending() bool {
	again := w.again
	w.again = false
	return again
}

// Reload reads the window again around the row under the cursor (the
// first row when there is none; the last for keepBottom), keeping the
// cursor as keep says; the list's "now" is now. extra is read with the
// rows.
func (w *ListWindow) Reload(c *Common, t *Table, l queue.Listing, keep KeepHow, extra func(context.Context) (any, error)) tea.Cmd {
	return w.reloadAs(c, t, l, keep, extra, false)
}

func (w *ListWindow) reloadAs(c *Common, t *Table, l queue.Listing, keep KeepHow, extra func(context.Context) (any, error), live bool) tea.Cmd {
	l.AsOf = c.Now()
	if keep == keepBottom {
		return w.read(c, WindowReq{What: readTail, listing: l, Keep: keep, After: screenful(t), cursor: t.Cursor, live: live}, extra)
	}
	req := WindowReq{What: ReadAround, listing: l, Keep: keep, before: margin(t), After: screenful(t), cursor: t.Cursor, live: live}
	if cb, ok := w.At(t.Cursor); ok && keep != KeepTop {
		req.at = &cb
	} else {
		req.Keep = KeepTop
	}
	if !w.Loaded {
		req.What = ReadFirst
	}
	return w.read(c, req, extra)
}

// At is the row at place i of the list, when it has been read.
func (w *ListWindow) At(i int) (queue.Callback, bool) {
	if i < w.Start || i >= w.Start+len(w.Items) {
		return queue.Callback{}, false
	}
	return w.Items[i-w.Start], true
}

// Arrived takes a reply: false when it is not this window's or is stale.
// Rows are placed and the cursor moved as the read asked; a new window
// asks for its places (the command returned).
func (w *ListWindow) Arrived(c *Common, msg WindowMsg, t *Table) (bool, tea.Cmd) {
	if msg.Req.Owner != w.Owner {
		return false, nil
	}
	if msg.Req.What == ReadPlace {
		if msg.Req.ID != w.placeID || msg.Err != nil {
			return msg.Req.ID == w.placeID, nil
		}
		w.placed(msg, t)
		return true, nil
	}
	if msg.Req.ID != w.ReqID {
		return false, nil
	}
	w.busy = false
	w.Loaded, w.Err = true, msg.Err
	if msg.Err != nil {
		return true, nil
	}
	var place tea.Cmd
	switch msg.Req.What {
	case ReadFirst:
		w.Listing, w.Items, w.Start, w.Counts, w.anchor = msg.Req.listing, msg.Items, 0, msg.counts, 0
		if len(msg.Items) < msg.Req.After {
			w.Counts.Total = len(msg.Items) // every row was read: the rows say how many
		} else {
			w.Counts.Total = max(w.Counts.Total, len(msg.Items))
		}
		w.placeAt = time.Now()
		t.SetRows(w.Counts.Total)
		t.Cursor, t.Offset = 0, 0
	case ReadAround, readTail:
		place = w.settle(c, msg, t)
	case readAhead:
		w.Items = append(w.Items, msg.Items...)
		if len(msg.Items) < msg.Req.After {
			// The list ends sooner than its count said: rows left it since.
			w.Counts.Total = w.Start + len(w.Items)
		}
	case readBehind:
		w.Items = append(append([]queue.Callback{}, msg.Items...), w.Items...)
		w.Start -= len(msg.Items)
		if len(msg.Items) < msg.Req.before && w.Start != 0 {
			// The list begins sooner than the places said (rows before
			// left it since): the first row read is the first row.
			shift := -w.Start
			w.Start, w.anchor = 0, w.anchor+shift
			t.Cursor, t.Offset = max(0, t.Cursor+shift), max(0, t.Offset+shift)
		}
	}
	if msg.Req.What == readAhead || msg.Req.What == readBehind {
		w.Counts.Total = max(w.Counts.Total, w.Start+len(w.Items))
		t.SetRows(w.Counts.Total)
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
func (w *ListWindow) settle(c *Common, msg WindowMsg, t *Table) tea.Cmd {
	req := msg.Req
	selected, wasRead := w.At(t.Cursor)
	screenRow, moved := t.Cursor-t.Offset, t.Cursor-req.cursor
	w.Listing, w.Items = req.listing, msg.Items
	switch {
	case req.What == readTail:
		w.Start = max(0, w.Counts.Total-len(w.Items))
		w.anchor = w.Start + len(w.Items) // the end of the list
	case req.at == nil:
		w.Start, w.anchor = 0, 0
	default:
		w.anchor = req.cursor
		w.Start = w.anchor - msg.back
		if w.Start < 0 { // fewer rows before than the place said: the place was wrong
			w.anchor, w.Start = msg.back, 0
		}
	}
	// Until the count comes, the list is as long as it was, and goes on
	// past the rows read when the read was full.
	more := 0
	if req.What == ReadAround && len(msg.Items)-msg.back >= req.After {
		more = 1
	}
	w.Counts.Total = max(w.Counts.Total, w.Start+len(w.Items)+more)
	t.SetRows(w.Counts.Total)
	switch req.Keep {
	case KeepTop:
		t.Cursor, t.Offset = 0, 0
	case keepBottom:
		t.Cursor = w.Start + len(w.Items) - 1
	default:
		t.Cursor = w.anchor + moved
		if req.Keep == KeepRow && wasRead {
			for i, cb := range w.Items {
				if cb.ID == selected.ID {
					t.Cursor = w.Start + i
				}
			}
		}
		t.Offset = t.Cursor - screenRow
	}
	t.Cursor = max(0, min(t.Cursor, t.N-1))
	t.Scroll()
	// Where the rows stand, and how many there are: read after, moved
	// into place when it comes; for a live reload, at most every
	// placeEvery.
	if req.live && w.Loaded && time.Since(w.placeAt) < placeEvery {
		if w.later {
			return nil
		}
		w.later = true
		return c.After(placeEvery, PlaceDueMsg{Owner: w.Owner})
	}
	at := msg.around
	if req.What == readTail {
		at = nil
	}
	w.placeAt = time.Now()
	return w.read(c, WindowReq{What: ReadPlace, listing: w.Listing, at: at, Keep: req.Keep}, nil)
}

// PlaceNow reads the places left for later, around the row under the
// cursor.
func (w *ListWindow) PlaceNow(c *Common, t *Table) tea.Cmd {
	w.later = false
	row, ok := w.At(t.Cursor)
	if !ok {
		return nil
	}
	w.anchor, w.placeAt = t.Cursor, time.Now()
	return w.read(c, WindowReq{What: ReadPlace, listing: w.Listing, at: &row, Keep: KeepRow}, nil)
}

// placed moves the rows to their real places: the row read around stands
// at msg.at (or the last rows end the list), and the list has
// msg.counts.Total rows. The cursor moves with its row.
func (w *ListWindow) placed(msg WindowMsg, t *Table) {
	w.Counts = msg.counts
	shift := msg.at - w.anchor
	if msg.Req.Keep == keepBottom {
		shift = w.Counts.Total - w.anchor
	}
	w.Start += shift
	w.anchor += shift
	if w.Start < 0 {
		w.Start = 0
	}
	t.SetRows(max(w.Counts.Total, w.Start+len(w.Items)))
	t.Cursor += shift
	t.Offset += shift
	if msg.Req.Keep == keepBottom && t.Cursor >= w.Start+len(w.Items)-1 {
		t.Cursor = t.N - 1
	}
	t.Cursor = max(0, min(t.Cursor, t.N-1))
	t.Scroll()
	t.Invalidate()
}

// trim drops the rows read that are far from the screen, so the window
// never holds more than the screen and a margin on each side.
func (w *ListWindow) trim(t *Table) {
	lo, hi := t.Offset-2*margin(t), t.Offset+t.Rows()+2*margin(t)
	if cut := lo - w.Start; cut > 0 && cut <= len(w.Items) {
		w.Items = w.Items[cut:]
		w.Start += cut
	}
	if keep := hi - w.Start; keep >= 0 && keep < len(w.Items) {
		w.Items = w.Items[:keep]
	}
	w.Items = append([]queue.Callback(nil), w.Items...) // let go of what was cut
}

// Ensure reads more when the screen and its margins reach past the rows
// read; nil when they do not or a read is on its way.
func (w *ListWindow) Ensure(c *Common, t *Table) tea.Cmd {
	if w.busy || !w.Loaded || w.Err != nil {
		return nil
	}
	total := w.Counts.Total
	lo, hi := max(0, t.Offset-margin(t)), min(total, t.Offset+t.Rows()+margin(t))
	have, haveEnd := w.Start, w.Start+len(w.Items)
	switch {
	case lo >= have && hi <= haveEnd:
		return nil
	case len(w.Items) == 0:
		return nil // an empty list: the next reload reads it
	case hi > haveEnd:
		last := w.Items[len(w.Items)-1]
		n := min(hi-haveEnd+margin(t), 1000)
		return w.read(c, WindowReq{What: readAhead, listing: w.Listing, at: &last, After: n}, nil)
	default:
		first := w.Items[0]
		n := min(have-lo+margin(t), 1000)
		return w.read(c, WindowReq{What: readBehind, listing: w.Listing, at: &first, before: n}, nil)
	}
}

// Navigate moves t's cursor by a list key: g and G read the first or last
// rows when the window does not hold them (reload keeps the top or the
// bottom), a move within it reads more before the cursor gets to the edge.
// It reports whether msg was a list key.
func (w *ListWindow) Navigate(c *Common, t *Table, k ListKeys, msg tea.KeyPressMsg, reload func(KeepHow) tea.Cmd) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, k.Top) && w.Start > 0:
		return reload(KeepTop), true
	case key.Matches(msg, k.Bottom) && w.Start+len(w.Items) < w.Counts.Total:
		return reload(keepBottom), true
	case t.Navigate(k, msg):
		return w.Ensure(c, t), true
	}
	return nil, false
}
