package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// callbackSelect reads a callback with its customer, number and people.
// The number is the callback's own phone, else the customer's primary.
const callbackSelect = `SELECT cb.id, cb.customer_id, c.name,
	coalesce(p.id, 0), coalesce(p.e164, ''), coalesce(p.raw, ''), coalesce(p.kind, ''), coalesce(p.invalid, 0),
	cb.kind, cb.reason, cb.priority, cb.due_at, coalesce(o.name, ''), cb.state, cb.attempts, cb.max_attempts,
	coalesce(cl.name, ''), cb.lease_until, coalesce(cb.disposition, ''), cb.created_at, coalesce(cr.name, ''),
	c.tz, c.dnc, coalesce(cb.window_start_min, cw.start_min), coalesce(cb.window_end_min, cw.end_min), cw.exempt,
	c.tier, coalesce(cb.claimed_at, 0), cw.consent,
	CASE cw.consent WHEN 'marketing' THEN c.consent_marketing WHEN 'sms' THEN c.consent_sms
		WHEN 'email' THEN c.consent_email ELSE 1 END
	FROM callbacks cb
	JOIN customers c ON c.id = cb.customer_id
	JOIN call_windows cw ON cw.kind = cb.kind
	LEFT JOIN phones p ON p.id = coalesce(cb.phone_id,
		(SELECT id FROM phones WHERE customer_id = cb.customer_id ORDER BY invalid, is_primary DESC, id LIMIT 1))
	LEFT JOIN agents o ON o.id = cb.owner_id
	LEFT JOIN agents cl ON cl.id = cb.claimed_by
	LEFT JOIN agents cr ON cr.id = cb.created_by`

func scanCallback(row interface{ Scan(...any) error }) (Callback, error) {
	var c Callback
	var due, created int64
	var lease *int64
	var claimedAt int64
	err := row.Scan(&c.ID, &c.CustomerID, &c.CustomerName,
		&c.Phone.ID, &c.Phone.E164, &c.Phone.Raw, &c.Phone.Kind, &c.Phone.Invalid,
		&c.Kind, &c.Reason, &c.Priority, &due, &c.Owner, &c.State, &c.Attempts, &c.MaxAttempts,
		&c.ClaimedBy, &lease, &c.Disposition, &created, &c.CreatedBy,
		&c.CustomerTZ, &c.DNC, &c.Window.StartMin, &c.Window.EndMin, &c.Window.Exempt, &c.Tier, &claimedAt,
		&c.NeedsConsent, &c.HasConsent)
	c.Due, c.CreatedAt = time.Unix(due, 0), time.Unix(created, 0)
	if claimedAt != 0 {
		c.ClaimedAt = time.Unix(claimedAt, 0)
	}
	c.Phone.Local = crm.FormatPhone(c.Phone.E164)
	if lease != nil {
		c.LeaseUntil = time.Unix(*lease, 0)
	}
	return c, err
}

// nextBestOrder is the design's order: overdue first, then priority, then
// due time, personal before pool. The first parameter is now.
const nextBestOrder = ` ORDER BY (cb.due_at <= ?) DESC, cb.priority, cb.due_at, (cb.owner_id IS NULL), cb.id`

// List returns the open callbacks an agent works: their own and the team
// pool's, in next-best order at now.
func (s *Service) List(ctx context.Context, agent crm.Agent) ([]Callback, error) {
	q, err := s.Queue(ctx, agent, 0)
	return q.Items, err
}

// ListLimit is how many callbacks a console lists at once: the most urgent
// come first, and a pool of thousands would only slow every reload.
const ListLimit = 500

// Queue is an agent's open callbacks: the first ones in next-best order and
// how many there are in all.
type Queue struct {
	Items   []Callback
	Total   int // open callbacks the agent may work, listed or not
	Overdue int
}

// openStates is the condition of a callback that is still to be worked.
const openStates = ` cb.state IN ('scheduled', 'claimed')`

// Queue lists up to limit (0: ListLimit; negative: every one) of the
// agent's and the pool's open callbacks in next-best order at now, and
// counts all of them.
//
// Every one (what a console shows) is read as two parts: the agent's own
// callbacks, and the team pool, which is the same for every agent and is
// read once for all the consoles of the process while nothing changed
// (the same db.Generation, the same second). A callback added to the pool
// makes every console of a server read its queue within a second; without
// this each of them read the whole pool again.
func (s *Service) Queue(ctx context.Context, agent crm.Agent, limit int) (Queue, error) {
	if limit < 0 && s.pool != nil {
		return s.queueWithPool(ctx, agent)
	}
	return s.queueQuery(ctx, agent, limit)
}

// queueQuery is Queue in one query and one snapshot.
func (s *Service) queueQuery(ctx context.Context, agent crm.Agent, limit int) (Queue, error) {
	if limit == 0 {
		limit = ListLimit
	}
	now := s.now().Unix()
	var q Queue
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := deactivated(ctx, tx, agent); err != nil {
			return err
		}
		const mine = openStates + ` AND (cb.owner_id = ? OR cb.owner_id IS NULL OR cb.claimed_by = ?)`
		var err error
		q.Items, err = queryCallbacks(ctx, tx, callbackSelect+` WHERE`+mine+nextBestOrder+` LIMIT ?`,
			agent.ID, agent.ID, now, limit)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(cb.due_at <= ?), 0) FROM callbacks cb WHERE`+mine,
			now, agent.ID, agent.ID).Scan(&q.Total, &q.Overdue)
	})
	return q, err
}

// deactivated is crm.ErrDeactivated when the agent was deactivated: their
// console shows nothing more. An agent not found reads as active (the
// queries that follow say what is wrong).
func deactivated(ctx context.Context, q db.Querier, agent crm.Agent) error {
	var active bool
	if err := q.QueryRowContext(ctx, `SELECT active FROM agents WHERE id = ?`, agent.ID).Scan(&active); err == nil && !active {
		return crm.ErrDeactivated
	}
	return nil
}

// OpenFor lists a customer's open callbacks, soonest first, for the 360.
func (s *Service) OpenFor(ctx context.Context, customerID int64) ([]Callback, error) {
	cbs, err := queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE cb.customer_id = ? AND`+openStates+`
		ORDER BY cb.due_at, cb.id`, customerID)
	return cbs, s.DB.Describe(err)
}

// Get reads one callback.
func (s *Service) Get(ctx context.Context, id int64) (Callback, error) {
	c, err := getCallback(ctx, s.DB.Read, id)
	return c, s.DB.Describe(err)
}

func getCallback(ctx context.Context, q db.Querier, id int64) (Callback, error) {
	c, err := scanCallback(q.QueryRowContext(ctx, callbackSelect+` WHERE cb.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Callback{}, fmt.Errorf("callback %d: %w", id, crm.ErrNotFound)
	}
	return c, err
}

func queryCallbacks(ctx context.Context, q db.Querier, query string, args ...any) ([]Callback, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Callback
	for rows.Next() {
		c, err := scanCallback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// poolCache is the team pool's open callbacks as last read, with the
// generation and second they were read at (see Queue).
type poolCache struct {
	mu    sync.Mutex
	gen   uint64
	at    int64
	items []Callback
	ok    bool
	reads int // how many times the pool was read, for tests
}

// get returns the pool at generation gen and second at, reading it with
// read when what it holds is older. Consoles asking at once wait for the
// one read.
func (p *poolCache) get(gen uint64, at int64, read func() ([]Callback, error)) ([]Callback, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ok || p.gen != gen || p.at != at {
		items, err := read()
		if err != nil {
			return nil, err
		}
		p.gen, p.at, p.items, p.ok = gen, at, items, true
		p.reads++
	}
	return p.items, nil
}

// queueWithPool is Queue for every callback: the agent's own read now,
// the pool shared (see Queue), put in next-best order together.
func (s *Service) queueWithPool(ctx context.Context, agent crm.Agent) (Queue, error) {
	now := s.now()
	if err := deactivated(ctx, s.DB.Read, agent); err != nil {
		return Queue{}, err
	}
	// The generation is taken before the pool is read: a commit during the
	// read leaves the result filed under the older generation.
	pool, err := s.pool.get(s.DB.Generation(), now.Unix(), func() ([]Callback, error) {
		return queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE`+openStates+` AND cb.owner_id IS NULL`+nextBestOrder, now.Unix())
	})
	if err != nil {
		return Queue{}, s.DB.Describe(err)
	}
	own, err := queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE`+openStates+
		` AND cb.owner_id IS NOT NULL AND (cb.owner_id = ? OR cb.claimed_by = ?)`+nextBestOrder, agent.ID, agent.ID, now.Unix())
	if err != nil {
		return Queue{}, s.DB.Describe(err)
	}
	items := make([]Callback, 0, len(own)+len(pool))
	items = append(append(items, own...), pool...)
	sort.Slice(items, func(i, j int) bool { return nextBest(items[i], items[j], now) })
	q := Queue{Items: items, Total: len(items)}
	for _, c := range items {
		if !c.Due.After(now) {
			q.Overdue++
		}
	}
	return q, nil
}

// nextBest is nextBestOrder in Go: overdue first, then by priority, due
// time, the agent's own before the pool's, and id.
func nextBest(a, b Callback, now time.Time) bool {
	if ao, bo := !a.Due.After(now), !b.Due.After(now); ao != bo {
		return ao
	}
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	if ap, bp := a.Pool(), b.Pool(); ap != bp {
		return bp
	}
	return a.ID < b.ID
}
