package queue

import (
	"context"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// A console reads the callbacks it shows, never all of them: a Listing
// names a list (whose, which, in what order, as of when), Window reads a
// few rows of it around a row, Page the rows before or after one, and
// Count says how many there are. Rows are found by their place in the
// order (keyset pagination): a row that went away still marks its place.

// Listing is one list of open callbacks.
type Listing struct {
	// Team lists every open callback of the team (a supervisor's); without
	// it the list is the actor's queue: their own, the pool's and what they
	// hold.
	Team   bool
	Filter TeamFilter
	Order  Order
	// AsOf is "now" for the list: what is overdue, and so the order's first
	// key. A console keeps it while it pages, so the pages fit together.
	AsOf time.Time
}

// Order is how a list is sorted: by a column (SortNext is the next-best
// order), ascending unless Desc. Ties go by due time, then id.
type Order struct {
	By   SortKey
	Desc bool
}

// Counts are how many callbacks a list holds, and how many of those are
// overdue (open, due at or before the list's AsOf).
type Counts struct {
	Total, Overdue int
}

// Span is a run of rows of a list, with where it starts and how long the
// list is.
type Span struct {
	Items []Callback
	Start int // the place of Items[0] in the list, from 0
	At    int // the place of the row the span was read around (Window)
	Counts
}

// Window reads up to before rows of l before at and up to after rows from
// at on (at itself included, when it is still in the list), with at's
// place and the list's counts, in one snapshot. A nil at reads the first
// rows of the list.
func (s *Service) Window(ctx context.Context, actor crm.Agent, l Listing, at *Callback, before, after int) (Span, error) {
	var w Span
	err := s.listTx(ctx, actor, l, func(tx *db.Tx, q *lister) error {
		var err error
		if w.At, w.Counts, err = q.place(ctx, tx, at); err != nil {
			return err
		}
		var back int
		w.Items, back, err = q.around(ctx, tx, at, before, after)
		w.Start = w.At - back
		return err
	})
	s.zones.saw(w.Items)
	return w, err
}

// Around is Window without the places: the rows only, and how many of
// them come before at. A console draws them at once (a range read or
// two), and learns their places from Place after (a count of every row
// before at): what a key waits for does not grow with the list.
func (s *Service) Around(ctx context.Context, actor crm.Agent, l Listing, at *Callback, before, after int) ([]Callback, int, error) {
	var items []Callback
	var back int
	err := s.listTx(ctx, actor, l, func(tx *db.Tx, q *lister) error {
		var err error
		items, back, err = q.around(ctx, tx, at, before, after)
		return err
	})
	s.zones.saw(items)
	return items, back, err
}

// Place says where at stands in l (how many rows come before it; 0 for a
// nil at) and how many rows l holds.
func (s *Service) Place(ctx context.Context, actor crm.Agent, l Listing, at *Callback) (int, Counts, error) {
	var n int
	var c Counts
	err := s.listTx(ctx, actor, l, func(tx *db.Tx, q *lister) error {
		var err error
		n, c, err = q.place(ctx, tx, at)
		return err
	})
	return n, c, err
}

func (q *lister) around(ctx context.Context, tx *db.Tx, at *Callback, before, after int) ([]Callback, int, error) {
	if at == nil {
		items, err := q.page(ctx, tx, nil, false, false, after)
		return items, 0, err
	}
	back, err := q.page(ctx, tx, at, true, false, before)
	if err != nil {
		return nil, 0, err
	}
	ahead, err := q.page(ctx, tx, at, false, true, after)
	return append(back, ahead...), len(back), err
}

func (q *lister) place(ctx context.Context, tx *db.Tx, at *Callback) (int, Counts, error) {
	c, err := q.count(ctx, tx, nil, false)
	if err != nil || at == nil {
		return 0, c, err
	}
	n, err := q.rank(ctx, tx, *at)
	return n, c, err
}

// Page reads up to n rows of l after from (before it, when back), in the
// list's order either way. A nil from starts at the list's first row (its
// last, when back).
func (s *Service) Page(ctx context.Context, actor crm.Agent, l Listing, from *Callback, back bool, n int) ([]Callback, error) {
	var out []Callback
	err := s.listTx(ctx, actor, l, func(tx *db.Tx, q *lister) error {
		var err error
		out, err = q.page(ctx, tx, from, back, false, n)
		return err
	})
	s.zones.saw(out)
	return out, err
}

// Count says how many callbacks l holds and how many are overdue.
func (s *Service) Count(ctx context.Context, actor crm.Agent, l Listing) (Counts, error) {
	var c Counts
	err := s.listTx(ctx, actor, l, func(tx *db.Tx, q *lister) error {
		var err error
		c, err = q.count(ctx, tx, nil, false)
		return err
	})
	return c, err
}

// Held are the callbacks agent holds now, soonest due first.
func (s *Service) Held(ctx context.Context, agent crm.Agent) ([]Callback, error) {
	cbs, err := queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE cb.state = 'claimed' AND cb.claimed_by = ?
		ORDER BY cb.due_at, cb.id`, agent.ID)
	return cbs, s.DB.Describe(err)
}

// listTx checks who may read l and runs fn in one read snapshot.
func (s *Service) listTx(ctx context.Context, actor crm.Agent, l Listing, fn func(*db.Tx, *lister) error) error {
	if l.Team {
		if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "team"); err != nil {
			return err
		}
	}
	if l.AsOf.IsZero() {
		l.AsOf = s.now()
	}
	q := &lister{svc: s, l: l, agent: actor.ID, zones: s.zones.list()}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		if !l.Team {
			if err := deactivated(ctx, tx, actor); err != nil {
				return err
			}
		}
		return fn(tx, q)
	})
	return s.DB.Describe(err)
}

// InQueue says, for each of ids, whether it is still in agent's queue: open, and theirs,
// the pool's or held by them. A console asks it for the few callbacks its
// reminders stand for.
func (s *Service) InQueue(ctx context.Context, agent crm.Agent, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, id := range ids {
		out[id] = false
	}
	found, err := queryIDs(ctx, s.DB.Read, `SELECT cb.id FROM callbacks cb WHERE cb.state IN ('scheduled', 'claimed')
		AND (cb.owner_id = ? OR cb.owner_id IS NULL OR cb.claimed_by = ?) AND `+idIn(s.DB.Read, "cb.id")+` ORDER BY cb.id`,
		agent.ID, agent.ID, idList(ids))
	for _, id := range found {
		out[id] = true
	}
	return out, s.DB.Describe(err)
}
