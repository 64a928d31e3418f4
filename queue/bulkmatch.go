package queue

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// BulkMatching applies one action to every callback of a listing (the
// team's, filtered) as it is when it runs: "all that match", however many.
// The callbacks are chosen, recorded for undo and changed by a few
// set-wide statements in one transaction, never read into memory; those
// the action cannot change (an agent is on it, already so, the agent's cap
// reached) are passed by and counted, with a few named in Skipped.
func (s *Service) BulkMatching(ctx context.Context, actor crm.Agent, op BulkOp, l Listing) (BulkResult, error) {
	res := BulkResult{Action: op.Action}
	now := s.now()
	if err := s.checkBulk(ctx, actor, op, now); err != nil {
		return res, err
	}
	l.Team = true
	if l.AsOf.IsZero() {
		l.AsOf = now
	}
	q := &lister{svc: s, l: l, zones: s.zones.list(), exact: true}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res = BulkResult{Action: op.Action, To: "pool"}
		if err := bulkTarget(ctx, tx, op, &res); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bulk_actions(at, actor_id, actor, action, summary)
			VALUES (?, ?, ?, ?, '') RETURNING id`, now.Unix(), actorID(actor), actor.Name, op.Action).Scan(&res.Bulk); err != nil {
			return err
		}
		matched, err := q.count(ctx, tx, nil, false)
		if err != nil {
			return err
		}
		room := -1
		if op.Action == BulkReassign && op.To != 0 {
			if room, err = s.capRoom(ctx, tx, op.To); err != nil {
				return err
			}
		}
		var b sqlb
		b.add(`INSERT INTO bulk_items(bulk_id, callback_id, b_state, b_owner, b_due, b_priority, b_claimed_by, b_claimed_at,
			b_lease, a_state, a_owner, a_due, a_priority, a_claimed_by)
			SELECT ?, cb.id, cb.state, cb.owner_id, cb.due_at, cb.priority, cb.claimed_by, cb.claimed_at, cb.lease_until, `, res.Bulk)
		afterSQL(&b, op)
		b.add(` FROM callbacks cb` + q.joins(false))
		q.where(&b)
		eligible(&b, op)
		if room >= 0 {
			// The agent's cap takes the most urgent first.
			b.add(` ORDER BY (CASE WHEN cb.due_at <= ? THEN 0 ELSE 1 END), cb.priority, cb.due_at, cb.id LIMIT ?`, now.Unix(), room)
		}
		// What is planned is locked until it is written: no claim or wrap-up
		// lands between the plan and the update that would undo it.
		b.add(` FOR UPDATE OF cb`)
		r, err := tx.ExecContext(ctx, b.b.String(), b.args...)
		if err != nil {
			return err
		}
		changed, err := r.RowsAffected()
		if err != nil {
			return err
		}
		res.Changed, res.Passed = int(changed), matched.Total-int(changed)
		if res.Changed == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM bulk_actions WHERE id = ?`, res.Bulk)
			res.Bulk = 0
			return err
		}
		if err := auditBulkItems(ctx, tx, actor, op, res, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = bi.a_state, owner_id = bi.a_owner, due_at = bi.a_due,
			priority = bi.a_priority, claimed_by = bi.a_claimed_by,
			claimed_at = CASE WHEN bi.a_state = 'claimed' THEN callbacks.claimed_at END,
			lease_until = CASE WHEN bi.a_state = 'claimed' THEN callbacks.lease_until END, updated_at = ?, updated_by = ?
			FROM bulk_items bi WHERE bi.bulk_id = ? AND bi.callback_id = callbacks.id`, now.Unix(), actorID(actor), res.Bulk); err != nil {
			return err
		}
		if res.Passed > 0 {
			if res.Skipped, err = s.skippedSample(ctx, tx, q, op, res.Bulk); err != nil {
				return err
			}
		}
		summary := bulkSummary(op, res)
		if _, err := tx.ExecContext(ctx, `UPDATE bulk_actions SET summary = ? WHERE id = ?`, summary, res.Bulk); err != nil {
			return err
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "bulk", EntityID: res.Bulk,
			Action: string(op.Action), To: summary, Reason: strings.TrimSpace("all that match " + op.Reason)})
	})
	if err != nil {
		return BulkResult{Action: op.Action}, s.DB.Describe(err)
	}
	if res.Changed > 0 {
		s.publish(0, actor, string(op.Action))
	}
	return res, nil
}

// checkBulk refuses an action that no callback could take: who may, and
// its values.
func (s *Service) checkBulk(ctx context.Context, actor crm.Agent, op BulkOp, now time.Time) error {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, string(op.Action)); err != nil {
		return err
	}
	switch op.Action {
	case BulkPriority:
		if op.Priority < 1 || op.Priority > 5 {
			return BulkError{What: "priority", Value: fmt.Sprint(op.Priority)}
		}
	case BulkDue:
		if !op.Due.After(now) {
			return BulkError{What: "due", Value: op.Due.Format("2006-01-02 15:04")}
		}
	case BulkCancel:
		if strings.TrimSpace(op.Reason) == "" {
			return BulkError{What: "reason"}
		}
	case BulkReassign, BulkRelease:
	default:
		return fmt.Errorf("unknown bulk action %q", op.Action)
	}
	return nil
}

// bulkTarget checks the agent a reassignment goes to and names them.
func bulkTarget(ctx context.Context, tx *db.Tx, op BulkOp, res *BulkResult) error {
	if op.Action != BulkReassign || op.To == 0 {
		return nil
	}
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT name, active FROM agents WHERE id = ? FOR UPDATE`, op.To).Scan(&res.To, &active)
	if err != nil || !active {
		return BulkError{What: "agent", Value: fmt.Sprint(op.To)}
	}
	return nil
}

// capRoom is how many more active personal callbacks an agent may take (-1: no cap).
func (s *Service) capRoom(ctx context.Context, tx *db.Tx, agentID int64) (int, error) {
	if err := lockAgent(ctx, tx, agentID); err != nil {
		return 0, err
	}
	var active int
	var cap sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT a.max_active, (SELECT count(*) FROM callbacks
		WHERE owner_id = a.id AND state IN ('scheduled', 'claimed')) FROM agents a WHERE a.id = ?`, agentID).Scan(&cap, &active)
	if err != nil {
		return 0, err
	}
	limit := s.Policy().MaxActive
	if cap.Valid {
		limit = int(cap.Int64)
	}
	if limit <= 0 {
		return -1, nil
	}
	return max(0, limit-active), nil
}

// afterSQL writes a callback's values after op: state, owner, due, priority, claimant.
func afterSQL(b *sqlb, op BulkOp) {
	state, owner, due, prio, claimant := "cb.state", "cb.owner_id", "cb.due_at", "cb.priority", "cb.claimed_by"
	var args []any
	switch op.Action {
	case BulkReassign:
		owner = "?"
		args = append(args, nullID(op.To))
	case BulkPriority:
		prio = "?"
		args = append(args, op.Priority)
	case BulkDue:
		due = "?"
		args = append(args, op.Due.Unix())
	case BulkCancel:
		state = "'cancelled'"
	case BulkRelease:
		state, claimant = "'scheduled'", "NULL"
	}
	b.add(strings.Join([]string{state, owner, due, prio, claimant}, ", "), args...)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// eligible limits the rows to those op can change, as bulkOne decides for
// one callback.
func eligible(b *sqlb, op BulkOp) {
	switch op.Action {
	case BulkReassign:
		b.add(` AND cb.state = 'scheduled'`)
		if op.To == 0 {
			b.add(` AND cb.owner_id IS NOT NULL`)
		} else {
			b.add(` AND (cb.owner_id IS NULL OR cb.owner_id <> ?)`, op.To)
		}
	case BulkPriority:
		b.add(` AND cb.priority <> ?`, op.Priority)
	case BulkDue, BulkCancel:
		b.add(` AND cb.state = 'scheduled'`)
	case BulkRelease:
		b.add(` AND cb.state = 'claimed'`)
	}
}

// skippedSample names a few callbacks of the listing that op passed by, and why.
func (s *Service) skippedSample(ctx context.Context, tx *db.Tx, q *lister, op BulkOp, bulk int64) ([]Skipped, error) {
	var b sqlb
	b.add(`SELECT cb.id, cb.state, coalesce(cl.name, ''), cb.owner_id, cb.priority FROM callbacks cb` + q.joins(false) +
		` LEFT JOIN agents cl ON cl.id = cb.claimed_by`)
	q.where(&b)
	b.add(` AND NOT EXISTS (SELECT 1 FROM bulk_items bi WHERE bi.bulk_id = ? AND bi.callback_id = cb.id) ORDER BY cb.id LIMIT 5`, bulk)
	rows, err := tx.QueryContext(ctx, b.b.String(), b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Skipped
	for rows.Next() {
		var sk Skipped
		var state State
		var owner sql.NullInt64
		var prio int
		if err := rows.Scan(&sk.ID, &state, &sk.Who, &owner, &prio); err != nil {
			return nil, err
		}
		switch {
		case op.Action == BulkRelease:
			sk.Why = SkipNotClaimed
		case state == Claimed && op.Action != BulkPriority:
			sk.Why = SkipClaimed
		case op.Action == BulkReassign && (owner.Valid && owner.Int64 != op.To || !owner.Valid && op.To != 0):
			sk.Why = SkipAtCap // not the agent's yet, and not taken: their cap was full
		default:
			sk.Why = SkipSame
		}
		if sk.Why != SkipClaimed {
			sk.Who = ""
		}
		out = append(out, sk)
	}
	return out, rows.Err()
}

// auditBulkItems writes each changed callback's audit row, as bulkOne
// words it, reading the recorded items a thousand at a time.
func auditBulkItems(ctx context.Context, tx *db.Tx, actor crm.Agent, op BulkOp, res BulkResult, now time.Time) error {
	audit, err := crm.NewAuditWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer audit.Close()
	reason := strings.TrimSpace(fmt.Sprintf("bulk #%d %s", res.Bulk, op.Reason))
	type item struct {
		id                   int64
		state, owner, holder string
		due, prio            int64
	}
	for after := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT bi.callback_id, bi.b_state, coalesce(o.name, ''), coalesce(cl.name, ''),
			bi.b_due, bi.b_priority FROM bulk_items bi LEFT JOIN agents o ON o.id = bi.b_owner
			LEFT JOIN agents cl ON cl.id = bi.b_claimed_by
			WHERE bi.bulk_id = ? AND bi.callback_id > ? ORDER BY bi.callback_id LIMIT 1000`, res.Bulk, after)
		if err != nil {
			return err
		}
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.id, &it.state, &it.owner, &it.holder, &it.due, &it.prio); err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		for _, it := range items {
			action, from, to := string(op.Action), "", ""
			switch op.Action {
			case BulkReassign:
				from, to = ownerWord(it.owner), res.To
			case BulkPriority:
				from, to = fmt.Sprintf("P%d", it.prio), fmt.Sprintf("P%d", op.Priority)
			case BulkDue:
				action, from, to = "reschedule", time.Unix(it.due, 0).Format(time.RFC3339), op.Due.Format(time.RFC3339)
			case BulkCancel:
				from, to = it.state, string(Cancelled)
			case BulkRelease:
				action, from, to = "force_release", it.holder, string(Scheduled)
			}
			if err := audit.Write(ctx, crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: it.id, Action: action,
				From: from, To: to, Reason: reason}); err != nil {
				return err
			}
		}
		after = items[len(items)-1].id
	}
}
