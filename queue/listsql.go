package queue

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dangol/dangol/db"
)

// The SQL of a listing (see window.go): its conditions, its order as runs
// an index keeps, keyset comparisons, pages, counts and places.

// zoneSet is the customers' zones a service has read, for windowOpen: a
// few in practice, and never more than maxZones.
type zoneSet struct {
	mu    sync.Mutex
	names []string
}

const maxZones = 24

func (z *zoneSet) list() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	if len(z.names) == 0 {
		z.names = []string{"Asia/Seoul"}
	}
	return slices.Clone(z.names)
}

// saw adds the zones of cbs.
func (z *zoneSet) saw(cbs []Callback) {
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, cb := range cbs {
		if len(z.names) < maxZones && !slices.Contains(z.names, cb.CustomerTZ) {
			z.names = append(z.names, cb.CustomerTZ)
		}
	}
}

// lister builds the SQL of one listing.
type lister struct {
	svc   *Service
	l     Listing
	agent int64
	zones []string // zones whose local minute is bound (see windowOpen)
	exact bool     // counts from this snapshot, never shared ones (a write's)
}

// sqlb is SQL text with its positional arguments, built in order.
type sqlb struct {
	b    strings.Builder
	args []any
}

func (q *sqlb) add(text string, args ...any) *sqlb {
	q.b.WriteString(text)
	q.args = append(q.args, args...)
	return q
}

// run is a stretch of a list sorted by columns that an index keeps in
// order: for the next-best order, one of the ten (overdue or not, by
// priority); for any other order, the whole list.
type run struct {
	segment bool // a next-best run; else the whole list
	late    bool
	prio    int
}

// runs are a list's runs in its ascending order.
func (q *lister) runs() []run {
	if !q.indexed() {
		return []run{{}}
	}
	out := make([]run, 0, 10)
	for _, late := range []bool{true, false} {
		for p := 1; p <= 5; p++ {
			out = append(out, run{segment: true, late: late, prio: p})
		}
	}
	return out
}

// indexed reports whether the list is read run by run along
// callbacks_window: the next-best order, filtered only by what that index
// holds (whose, due time). Any other list is one query that scans the open
// callbacks and keeps the best rows (SQLite's sorter keeps only LIMIT of
// them), as fast as a filter that few rows pass allows.
func (q *lister) indexed() bool {
	f := q.l.Filter
	return q.l.Order.By == SortNext && f.State == "" && f.Kind == "" && f.Text == "" && f.Tier == "" &&
		f.Blocked == "" && !f.AnyBlock
}

// runOf is the run a callback sits in.
func (q *lister) runOf(cb Callback) run {
	if !q.indexed() {
		return run{}
	}
	return run{segment: true, late: !cb.Due.After(q.l.AsOf), prio: cb.Priority}
}

// keyCols are the sort columns within a run, ascending; tie-breaks last.
func (q *lister) keyCols() []string {
	const ties = "cb.due_at, cb.id"
	switch q.l.Order.By {
	case SortNext:
		cols := []string{"cb.due_at", poolCol, "cb.id"}
		if !q.indexed() {
			// The run's own keys lead: overdue first (a number of the
			// list's own, not an argument), then priority.
			cols = append([]string{fmt.Sprintf("(CASE WHEN cb.due_at <= %d THEN 0 ELSE 1 END)", q.l.AsOf.Unix()), "cb.priority"}, cols...)
		}
		return cols
	case SortDue:
		return []string{"cb.due_at", "cb.id"}
	}
	return append([]string{sortExpr[q.l.Order.By]}, strings.Split(ties, ", ")...)
}

// sortExpr is each column's value in SQL, as keyOf has it in Go.
var sortExpr = map[SortKey]string{
	SortPriority: "cb.priority",
	SortCustomer: "c.name",
	SortOwner:    "coalesce((SELECT name FROM agents WHERE id = cb.owner_id), '')",
	SortState:    "cb.state",
	SortKind:     "cb.kind",
	SortAttempts: "cb.attempts",
	SortTier:     "(CASE c.tier WHEN 'vip' THEN 0 WHEN 'gold' THEN 1 WHEN 'silver' THEN 2 ELSE 3 END)",
	SortReason:   "cb.reason",
}

// keyOf is a callback's sort key within its run, as keyCols in SQL.
func (q *lister) keyOf(cb Callback) []any {
	pool := 0
	if cb.Pool() {
		pool = 1
	}
	due := cb.Due.Unix()
	var first any
	switch q.l.Order.By {
	case SortNext:
		if !q.indexed() {
			late := 1
			if !cb.Due.After(q.l.AsOf) {
				late = 0
			}
			return []any{late, cb.Priority, due, pool, cb.ID}
		}
		return []any{due, pool, cb.ID}
	case SortDue:
		return []any{due, cb.ID}
	case SortPriority:
		first = cb.Priority
	case SortCustomer:
		first = cb.CustomerName
	case SortOwner:
		first = cb.Owner
	case SortState:
		first = string(cb.State)
	case SortKind:
		first = cb.Kind
	case SortAttempts:
		first = cb.Attempts
	case SortTier:
		first = tierRank(cb.Tier)
	case SortReason:
		first = cb.Reason
	default:
		panic(fmt.Sprintf("queue: unknown sort %q", q.l.Order.By))
	}
	return []any{first, due, cb.ID}
}

// joins says which tables the filter (and the order, when ordered) read
// beside callbacks.
func (q *lister) joins(ordered bool) string {
	f, by := q.l.Filter, q.l.Order.By
	var j string
	if f.Text != "" || f.Tier != "" || f.Blocked != "" || ordered && (by == SortCustomer || by == SortTier) {
		j += ` JOIN customers c ON c.id = cb.customer_id`
	}
	if f.Blocked != "" {
		j += ` JOIN call_windows cw ON cw.kind = cb.kind
			LEFT JOIN phones p ON p.id = coalesce(cb.phone_id,
				(SELECT id FROM phones WHERE customer_id = cb.customer_id ORDER BY invalid, is_primary DESC, id LIMIT 1))`
	}
	return j
}

// blockSQL is Check in SQL, over the joins above: the first calling rule
// that stops the callback, or ”. %s is whether its window is open.
const blockSQL = `(CASE WHEN c.dnc <> 0 THEN 'dnc' WHEN p.id IS NULL THEN 'no_phone' WHEN p.invalid <> 0 THEN 'invalid_phone'
	WHEN cw.consent <> '' AND (CASE cw.consent WHEN 'marketing' THEN c.consent_marketing WHEN 'sms' THEN c.consent_sms
		WHEN 'email' THEN c.consent_email ELSE 1 END) = 0 THEN 'consent'
	WHEN %s THEN '' ELSE 'window' END)`

// windowOpen writes "the callback's calling window is open at the list's
// AsOf" from its own columns (kept in step by migration 0004's triggers).
// The local minute of each zone the service has seen is worked out here
// once, not by local_minute for every row (a call into Go: 85 ms for
// 100,000 rows); a zone not seen yet still gets local_minute.
func (q *lister) windowOpen(b *sqlb) {
	b.add(`(cb.win_start >= cb.win_end OR (CASE cb.tz`)
	for _, z := range q.zones {
		b.add(` WHEN ? THEN ?`, z, db.LocalMinute(z, q.l.AsOf.Unix()))
	}
	b.add(` ELSE local_minute(cb.tz, ?) END) BETWEEN cb.win_start AND cb.win_end - 1)`, q.l.AsOf.Unix())
}

// where writes the listing's conditions: open, whose, and the filter.
func (q *lister) where(b *sqlb) {
	f, asOf := q.l.Filter, q.l.AsOf.Unix()
	b.add(` WHERE cb.state IN ('scheduled', 'claimed')`)
	if !q.l.Team {
		b.add(` AND (cb.owner_id = ? OR cb.owner_id IS NULL OR cb.claimed_by = ?)`, q.agent, q.agent)
	}
	if f.Owner != "" {
		b.add(` AND cb.owner_id = (SELECT id FROM agents WHERE name = ?)`, f.Owner)
	}
	if f.Pool {
		b.add(` AND cb.owner_id IS NULL`)
	}
	if f.State != "" {
		b.add(` AND cb.state = ?`, string(f.State))
	}
	if f.Kind != "" {
		b.add(` AND cb.kind = ?`, f.Kind)
	}
	if f.Tier != "" {
		b.add(` AND c.tier = ?`, f.Tier)
	}
	if f.Campaign != 0 {
		b.add(` AND cb.campaign_id = ?`, f.Campaign)
	}
	if f.Overdue {
		b.add(` AND cb.due_at <= ?`, asOf)
	}
	if !f.DueFrom.IsZero() {
		b.add(` AND cb.due_at >= ?`, f.DueFrom.Unix())
	}
	if !f.DueTo.IsZero() {
		b.add(` AND cb.due_at < ?`, f.DueTo.Unix())
	}
	if f.Text != "" {
		// Any case of ASCII letters (Hangul has none), on both engines:
		// PostgreSQL's LIKE minds the case, SQLite's does not.
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Text)) + "%"
		b.add(` AND (lower(cb.reason) LIKE ? ESCAPE '\' OR lower(c.name) LIKE ? ESCAPE '\')`, like, like)
	}
	switch {
	case f.Blocked != "":
		// Only the window needs the bound time: the other rules are the
		// rows' own.
		var open sqlb
		q.windowOpen(&open)
		b.add(` AND `+fmt.Sprintf(blockSQL, open.b.String())+` = ?`, append(open.args, string(f.Blocked))...)
	case f.AnyBlock:
		// "Some rule stops it" from the callback's own columns, which
		// migration 0004's triggers keep in step: no join.
		b.add(` AND (cb.blocked = 1 OR NOT `)
		q.windowOpen(b)
		b.add(`)`)
	}
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// inRun limits rows to a run.
func (q *lister) inRun(b *sqlb, r run) {
	if !r.segment {
		return
	}
	b.add(` AND cb.priority = ?`, r.prio)
	if r.late {
		b.add(` AND cb.due_at <= ?`, q.l.AsOf.Unix())
	} else {
		b.add(` AND cb.due_at > ?`, q.l.AsOf.Unix())
	}
}

// tuple writes "(a, b, c) op (?, ?, ?)" for the run's key columns. The
// pool column is a condition, boolean on PostgreSQL, and its key 0 or 1:
// its mark is (? = 1), a condition on both engines.
func (q *lister) tuple(b *sqlb, op string, key []any) {
	cols := q.keyCols()
	marks := make([]string, len(cols))
	for i, c := range cols {
		marks[i] = "?"
		if c == poolCol {
			marks[i] = "(? = 1)"
		}
	}
	b.add(" AND ("+strings.Join(cols, ", ")+") "+op+" ("+strings.Join(marks, ", ")+")", key...)
}

// poolCol sorts personal callbacks before the pool's (false before true).
const poolCol = "(cb.owner_id IS NULL)"

// page reads up to n ids after from (before it when back; from itself too
// when incl) in the list's order, then their callbacks.
func (q *lister) page(ctx context.Context, tx *db.Tx, from *Callback, back, incl bool, n int) ([]Callback, error) {
	if n <= 0 {
		return nil, nil
	}
	// Descending flips the walk: the rows after a row in a descending list
	// are those before it ascending.
	down := back != q.l.Order.Desc
	runs := q.runs()
	start := 0
	if down {
		start = len(runs) - 1
	}
	if from != nil {
		at := q.runOf(*from)
		for i, r := range runs {
			if r == at {
				start = i
			}
		}
	}
	var ids []int64
	for i := start; i >= 0 && i < len(runs) && len(ids) < n; {
		var b sqlb
		b.add(`SELECT cb.id FROM callbacks cb` + q.joins(true))
		q.where(&b)
		q.inRun(&b, runs[i])
		if from != nil && i == start {
			op := map[[2]bool]string{{false, false}: ">", {false, true}: ">=", {true, false}: "<", {true, true}: "<="}[[2]bool{down, incl}]
			q.tuple(&b, op, q.keyOf(*from))
		}
		dir := ""
		if down {
			dir = " DESC"
		}
		b.add(" ORDER BY "+strings.Join(q.keyCols(), dir+", ")+dir+" LIMIT ?", n-len(ids))
		got, err := queryIDs(ctx, tx, b.b.String(), b.args...)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
		if down {
			i--
		} else {
			i++
		}
	}
	if back {
		for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
			ids[i], ids[j] = ids[j], ids[i]
		}
	}
	return callbacksByID(ctx, tx, ids)
}

// rank is how many rows of the list come before at.
func (q *lister) rank(ctx context.Context, tx *db.Tx, at Callback) (int, error) {
	before := !q.l.Order.Desc
	if !q.indexed() {
		c, err := q.count(ctx, tx, &at, before)
		return c.Total, err
	}
	// Run by run: each count is a range of callbacks_window, where one
	// query saying "any earlier run, or this one up to at" would scan it all.
	runs, mine := q.runs(), q.runOf(at)
	n := 0
	for i, r := range runs {
		var b sqlb
		b.add(`SELECT count(*) FROM (SELECT 1 FROM callbacks cb`)
		q.where(&b)
		q.inRun(&b, r)
		switch {
		case r == mine:
			op := ">"
			if before {
				op = "<"
			}
			q.tuple(&b, op, q.keyOf(at))
		case (i < q.runIndex(mine)) != before:
			continue
		}
		// Counted in the run's order: PostgreSQL then reads callbacks_window
		// in order, up to the present for an overdue run. Asked for a bare
		// count, its planner took "due_at <= now" for most open callbacks
		// (closed calls are mostly past) and read every one of them (84
		// ms at 100,000, 190–360 under load; 1.7 ms in order).
		b.add(` ORDER BY ` + strings.Join(q.keyCols(), ", ") + `) x`)
		var c int
		if err := tx.QueryRowContext(ctx, b.b.String(), b.args...).Scan(&c); err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// runIndex is where a run stands among the list's runs.
func (q *lister) runIndex(r run) int {
	for i, x := range q.runs() {
		if x == r {
			return i
		}
	}
	return 0
}

// count counts the list's rows: all of them (at nil), or those before at
// in ascending order (after it, when !before).
func (q *lister) count(ctx context.Context, tx *db.Tx, at *Callback, before bool) (Counts, error) {
	if at == nil && q.l.Filter == (TeamFilter{}) && !q.exact {
		return q.countWhole(ctx, tx)
	}
	var b sqlb
	b.add(`SELECT count(*), coalesce(sum(CASE WHEN cb.due_at <= ? THEN 1 ELSE 0 END), 0) FROM callbacks cb`+q.joins(at != nil), q.l.AsOf.Unix())
	q.where(&b)
	if q.indexed() {
		// Always true (priority is 1–5): it points the planner at
		// callbacks_window, which holds every column a count of an indexed
		// list reads (7 ms for 100,000 open, against 18 by callbacks_flip).
		b.add(` AND cb.priority BETWEEN 1 AND 5`)
	}
	if at != nil {
		op := ">"
		if before {
			op = "<"
		}
		q.placed(&b, *at, op)
	}
	var c Counts
	err := tx.QueryRowContext(ctx, b.b.String(), b.args...).Scan(&c.Total, &c.Overdue)
	return c, err
}

// placed limits rows to those before at in ascending order (op "<") or
// after it (">"): in an earlier (later) run, or in at's run on the near
// (far) side of its key.
func (q *lister) placed(b *sqlb, at Callback, op string) {
	runs, mine := q.runs(), q.runOf(at)
	var others []run
	for _, r := range runs {
		if r == mine {
			if op == "<" {
				break
			}
			others = others[:0]
			continue
		}
		others = append(others, r)
	}
	b.add(" AND ((TRUE")
	q.inRun(b, mine)
	q.tuple(b, op, q.keyOf(at))
	b.add(")")
	for _, r := range others {
		b.add(" OR (TRUE")
		q.inRun(b, r)
		b.add(")")
	}
	b.add(")")
}

func queryIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// idIn is "col is one of a list of ids", the list given as one argument
// (idList). One statement for any number of ids: PostgreSQL plans it for
// its first five calls on a connection and then reuses a plan, where "IN
// (?, ?, …)" was a statement of its own for each count, planned at every
// call (3–60 ms of planning for the window's rows, against 0.6 ms to run
// it).
func idIn(q db.Querier, col string) string {
	return col + ` IN (SELECT CAST(j.value AS BIGINT) FROM ` + q.Engine().JSONValues("j") + `)`
}

// idList is the argument of idIn: the ids as a JSON array.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// callbacksByID reads callbacks with their customers, in the order of ids.
func callbacksByID(ctx context.Context, q db.Querier, ids []int64) ([]Callback, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cbs, err := queryCallbacks(ctx, q, callbackSelect+` WHERE `+idIn(q, "cb.id")+` ORDER BY cb.id`, idList(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Callback, len(cbs))
	for _, cb := range cbs {
		byID[cb.ID] = cb
	}
	out := make([]Callback, 0, len(ids))
	for _, id := range ids {
		if cb, ok := byID[id]; ok {
			out = append(out, cb)
		}
	}
	return out, nil
}
