package queue

import (
	"context"
	"sync"
	"time"

	"github.com/dangol/dangol/db"
)

// Every console of a process counts the same two lists over and over: the
// team pool (in every agent's queue) and the whole team's (a supervisor's
// Callbacks screen). Counting them is a pass over every open callback of
// the pool (5 ms for 50,000): a server's hundred consoles doing it at each
// reload took its cores. sharedCounts keeps each count for the consoles of
// the process while it is current, and for a second at most after another
// process commits (a header a second behind a floor that never stops);
// a commit of this process makes it stale at once.

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
// agent's queue as the pool's (shared) and their own.
func (q *lister) countWhole(ctx context.Context, tx *db.Tx) (Counts, error) {
	asOf := q.l.AsOf.Unix()
	one := func(where string, args ...any) (Counts, error) {
		var c Counts
		err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN cb.due_at <= ? THEN 1 ELSE 0 END), 0)
			FROM callbacks cb WHERE cb.state IN ('scheduled', 'claimed') AND `+where, append([]any{asOf}, args...)...).
			Scan(&c.Total, &c.Overdue)
		return c, err
	}
	if q.l.Team {
		return q.svc.shared("team", asOf, func() (Counts, error) { return one(`cb.priority BETWEEN 1 AND 5`) })
	}
	pool, err := q.svc.shared("pool", asOf, func() (Counts, error) { return one(`cb.owner_id IS NULL`) })
	if err != nil {
		return pool, err
	}
	own, err := one(`cb.owner_id = ?`, q.agent)
	if err != nil {
		return own, err
	}
	// Held, and owned by another agent: a claim made before a supervisor
	// moved the callback.
	held, err := one(`cb.state = 'claimed' AND cb.claimed_by = ? AND cb.owner_id <> ?`, q.agent, q.agent)
	return Counts{Total: pool.Total + own.Total + held.Total, Overdue: pool.Overdue + own.Overdue + held.Overdue}, err
}
