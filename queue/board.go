package queue

import (
	"context"
	"database/sql"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// BoardRow is one line of the team board: an agent (or, with a zero
// Agent, the team pool) and how their day goes.
type BoardRow struct {
	Agent      crm.Agent
	Online     bool   // a console of theirs is open
	OnCustomer string // the customer their console shows, if any
	Claimed    int    // callbacks they hold now
	Open       int    // open callbacks they own (the pool's, for the pool row)
	DueToday   int    // of those, due today
	Overdue    int    // of those, due at or before now (Callback.Overdue)
	DoneToday  int    // calls wrapped up today
	Reached    int    // of those, the customer was reached
	Handling   time.Duration
}

// ReachRate is the share of today's calls that reached the customer, 0–1;
// -1 when there were none.
func (r BoardRow) ReachRate() float64 {
	if r.DoneToday == 0 {
		return -1
	}
	return float64(r.Reached) / float64(r.DoneToday)
}

// Pool reports whether the row is the team pool's.
func (r BoardRow) Pool() bool { return r.Agent.ID == 0 }

// Board is the team at now: one row per active agent, by name, then the
// pool. "Today" is the calendar day at now in loc (the site's zone).
// Handling time is the average from claim to wrap-up of today's calls.
func (s *Service) Board(ctx context.Context, actor crm.Agent, now time.Time, loc *time.Location) ([]BoardRow, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "team"); err != nil {
		return nil, err
	}
	local := now.In(loc)
	dayStart := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc).Unix()
	dayEnd := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).Unix()
	agents, err := s.CRM.Agents(ctx)
	if err != nil {
		return nil, err
	}
	rows := map[int64]*BoardRow{0: {}}
	var out []*BoardRow
	for _, a := range agents {
		if !a.Active {
			continue
		}
		r := &BoardRow{Agent: a}
		rows[a.ID] = r
		out = append(out, r)
	}
	out = append(out, rows[0])
	err = s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		// each runs a query whose first column is an agent id (0 for the
		// pool) and hands every row to set, for that agent's row.
		each := func(query string, set func(r *BoardRow, rs *sql.Rows) error, args ...any) error {
			rs, err := tx.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				r := &BoardRow{}
				if err := set(r, rs); err != nil {
					return err
				}
				if into := rows[r.Agent.ID]; into != nil {
					merge(into, r)
				}
			}
			return rs.Err()
		}
		if err := each(`SELECT coalesce(owner_id, 0), count(*), coalesce(sum(CASE WHEN due_at >= ? AND due_at < ? THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN due_at <= ? THEN 1 ELSE 0 END), 0) FROM callbacks WHERE state IN ('scheduled', 'claimed') GROUP BY owner_id`,
			func(r *BoardRow, rs *sql.Rows) error { return rs.Scan(&r.Agent.ID, &r.Open, &r.DueToday, &r.Overdue) },
			dayStart, dayEnd, now.Unix()); err != nil {
			return err
		}
		if err := each(`SELECT claimed_by, count(*) FROM callbacks WHERE state = 'claimed' GROUP BY claimed_by`,
			func(r *BoardRow, rs *sql.Rows) error { return rs.Scan(&r.Agent.ID, &r.Claimed) }); err != nil {
			return err
		}
		if err := each(`SELECT agent_id, count(*), coalesce(sum(reached), 0), coalesce(avg(done_at - claimed_at), 0)
			FROM call_outcomes WHERE done_at >= ? AND done_at < ? AND agent_id IS NOT NULL GROUP BY agent_id`,
			func(r *BoardRow, rs *sql.Rows) error {
				var avg float64
				err := rs.Scan(&r.Agent.ID, &r.DoneToday, &r.Reached, &avg)
				r.Handling = time.Duration(avg * float64(time.Second))
				return err
			}, dayStart, dayEnd); err != nil {
			return err
		}
		return each(`SELECT p.agent_id, coalesce(c.name, '') FROM presence p LEFT JOIN customers c ON c.id = p.customer_id
			WHERE p.seen_at >= ?`,
			func(r *BoardRow, rs *sql.Rows) error {
				r.Online = true
				return rs.Scan(&r.Agent.ID, &r.OnCustomer)
			}, now.Add(-crm.PresenceTTL).Unix())
	})
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	res := make([]BoardRow, len(out))
	for i, r := range out {
		res[i] = *r
	}
	return res, nil
}

// merge adds what one query found for an agent to their row.
func merge(into, r *BoardRow) {
	into.Online = into.Online || r.Online
	if r.OnCustomer != "" {
		into.OnCustomer = r.OnCustomer
	}
	into.Claimed += r.Claimed
	into.Open += r.Open
	into.DueToday += r.DueToday
	into.Overdue += r.Overdue
	into.DoneToday += r.DoneToday
	into.Reached += r.Reached
	if r.Handling != 0 {
		into.Handling = r.Handling
	}
}
