package queue

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dangol/dangol/db"
)

// Every console of a process counts the same two lists over and over: the
// team pool (in every agent's queue) and the whole team's (a supervisor's
// Callbacks screen). Their totals are tallies kept by the writes (see
// countWhole), their overdue a read up to the present; when they were a
// pass over every open callback (5 ms for 50,000), a server's hundred
// consoles doing it at each reload took its cores. sharedCounts keeps each
// count for the consoles of the process while it is current, and for a
// second at most after another process commits (a header a second behind
// a floor that never stops); a commit of this process makes it stale at
// once.

// countTTL is how long a shared count stands for other processes' commits.
const countTTL = time.Second

type sharedCounts struct {
	mu sync.Mutex
	m  map[string]sharedCount
}

type sharedCount struct {
	gen, local uint64
	asOf       int64
	at         time.Time
	c          Counts
}

// get returns the count named key as of asOf, reading it with read when
// what is kept is stale. Consoles asking at once wait for one read.
func (s *Service) shared(key string, asOf int64, read func() (Counts, error)) (Counts, error) {
	sc := &s.counts
	sc.mu.Lock()
	defer sc.mu.Unlock()
	gen, local := s.DB.Generation(), s.DB.LocalGeneration()
	if c, ok := sc.m[key]; ok {
		exact := c.gen == gen && c.asOf == asOf
		recent := c.local == local && time.Since(c.at) < countTTL && asOf-c.asOf < int64(countTTL/time.Second)+1
		if exact || recent {
			return c.c, nil
		}
	}
	c, err := read()
	if err != nil {
		return c, err
	}
	if sc.m == nil {
		sc.m = map[string]sharedCount{}
	}
	sc.m[key] = sharedCount{gen: gen, local: local, asOf: asOf, at: time.Now(), c: c}
	return c, nil
}

// countWhole counts a whole list: the team's every open callback, or an
// agent's queue as the pool's (shared) and their own. The totals are the
// owners' tallies (migration 23), a few rows whatever the floor's size;
// the overdue are counted, along an index to the present: their cost
// follows the backlog, not the table.
func (q *lister) countWhole(ctx context.Context, tx *db.Tx) (Counts, error) {
	asOf := q.l.AsOf.Unix()
	// ready is 0 or 1: always true, it lets callbacks_ready be read up to
	// the present too, whichever index the planner takes. PostgreSQL's
	// planner takes "due_at <= now" for most rows (closed calls are
	// mostly past) and once read every open entry of callbacks_ready (71
	// ms at 100,000).
	const open = `cb.state IN ('scheduled', 'claimed') AND cb.ready IN (0, 1)`
	// An owner's (the pool's): callbacks_owner_due, bounded by due_at.
	overdue := func(where string, args ...any) (int, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM callbacks cb
			WHERE `+where+` AND cb.state IN ('scheduled', 'claimed') AND cb.due_at <= ?`, append(args, asOf)...).Scan(&n)
		return n, err
	}
	// The team's, a priority at a time: asked for all five at once, the
	// planner expects most open callbacks to be overdue and reads them all.
	teamOverdue := func() (int, error) {
		var n int
		each := make([]string, 5)
		for p := range each {
			each[p] = fmt.Sprintf(`(SELECT count(*) FROM callbacks cb WHERE cb.priority = %d AND %s AND cb.due_at <= ?)`, p+1, open)
		}
		err := tx.QueryRowContext(ctx, `SELECT `+strings.Join(each, " + "), asOf, asOf, asOf, asOf, asOf).Scan(&n)
		return n, err
	}
	whole := func(owner string, args ...any) (Counts, error) {
		total, err := q.svc.tally(ctx, tx, owner, args...)
		if err != nil {
			return Counts{}, err
		}
		c := Counts{Total: total}
		switch owner {
		case "":
			c.Overdue, err = teamOverdue()
		case "0":
			c.Overdue, err = overdue(`cb.owner_id IS NULL`)
		default:
			c.Overdue, err = overdue(`cb.owner_id = ?`, args...)
		}
		return c, err
	}
	if q.l.Team {
		return q.svc.shared("team", asOf, func() (Counts, error) { return whole("") })
	}
	pool, err := q.svc.shared("pool", asOf, func() (Counts, error) { return whole("0") })
	if err != nil {
		return pool, err
	}
	own, err := whole("?", q.agent)
	if err != nil {
		return own, err
	}
	// Held, and owned by another agent: a claim made before a supervisor
	// moved the callback. Few, and found by who holds them.
	var held Counts
	err = tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN cb.due_at <= ? THEN 1 ELSE 0 END), 0)
		FROM callbacks cb WHERE cb.state = 'claimed' AND cb.claimed_by = ? AND cb.owner_id <> ?`, asOf, q.agent, q.agent).
		Scan(&held.Total, &held.Overdue)
	return Counts{Total: pool.Total + own.Total + held.Total, Overdue: pool.Overdue + own.Overdue + held.Overdue}, err
}

// foldAt is how many rows beyond one an owner's tally may have been given
// (on PostgreSQL, a row per change) before the sweep folds them.
const foldAt = 256

// tally sums the tallies of the owner the condition names ("0": the pool,
// "?": the agent in args), or of every owner (""): a few rows an owner,
// and on PostgreSQL the changes since the last sweep folded them.
func (s *Service) tally(ctx context.Context, tx *db.Tx, owner string, args ...any) (int, error) {
	where := ""
	if owner != "" {
		where = ` WHERE owner_id = ` + owner
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM callback_tallies`+where, args...).Scan(&n)
	return n, err
}

// foldIfMany folds the tallies when they have many more rows than owners.
// The sweep asks it: every console sweeps each 15 seconds, a dialer's
// `queue next --follow` each second, so a read sums at most the changes of
// a few seconds.
func (s *Service) foldIfMany(ctx context.Context) error {
	var surplus int
	if err := s.DB.Read.QueryRowContext(ctx, `SELECT count(*) - count(DISTINCT owner_id) FROM callback_tallies`).
		Scan(&surplus); err != nil {
		return s.DB.Describe(err)
	}
	if surplus <= foldAt {
		return nil
	}
	return s.foldTallies(ctx)
}

// foldTallies makes each owner's tally one row again. A row taken away is
// counted in the row put back, in one transaction, and rows added by
// writes meanwhile stay: the sums never change. Two folds at once each
// put back what they took.
func (s *Service) foldTallies(ctx context.Context) error {
	return s.DB.Tx(db.About(ctx, db.Tally), func(tx *db.Tx) error {
		owners, err := queryIDs(ctx, tx, `SELECT owner_id FROM callback_tallies GROUP BY owner_id HAVING count(*) > 1 ORDER BY owner_id`)
		if err != nil {
			return err
		}
		for _, owner := range owners {
			taken, err := queryIDs(ctx, tx, `DELETE FROM callback_tallies WHERE owner_id = ? RETURNING n`, owner)
			if err != nil {
				return err
			}
			var sum int64
			for _, n := range taken {
				sum += n
			}
			if len(taken) == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO callback_tallies(owner_id, n) VALUES (?, ?)`, owner, sum); err != nil {
				return err
			}
		}
		return nil
	})
}
