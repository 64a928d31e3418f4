package queue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// SweepResult counts what a sweep moved.
type SweepResult struct {
	LeasesExpired int // claims that ran out and went back to the queue
	ToPool        int // personal callbacks moved to the team pool
	Ended         int // calls of campaigns past their until date, cancelled
}

// Sweep applies the rules that act by themselves, each change audited as
// made by dangol: expired leases return callbacks to scheduled; personal
// callbacks overdue by more than Policy.AutoPool, and every callback of a
// deactivated agent, move to the pool; the calls not yet made of a campaign
// past its until date are cancelled. It also folds the queue's tallies when
// they have many rows (see foldIfMany). Consoles and CLI commands call it
// often; when there is nothing to do it only reads.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	now := s.now()
	var res SweepResult
	if err := s.foldIfMany(ctx); err != nil {
		return res, err
	}
	if !s.sweepNeeded(ctx, now) {
		return res, nil
	}
	var changed []int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		changed = changed[:0]
		res = SweepResult{}
		expired, err := idsAndNames(ctx, tx, `SELECT cb.id, coalesce(a.name, '') FROM callbacks cb
			LEFT JOIN agents a ON a.id = cb.claimed_by
			WHERE cb.state = 'claimed' AND (cb.lease_until < ? OR a.active = 0) ORDER BY cb.id FOR UPDATE OF cb`, now.Unix())
		if err != nil {
			return err
		}
		for _, e := range expired {
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = 'scheduled', claimed_by = NULL, claimed_at = NULL,
				lease_until = NULL, updated_at = ?, updated_by = NULL WHERE id = ?`, now.Unix(), e.id); err != nil {
				return err
			}
			if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: crm.System, Entity: "callback", EntityID: e.id,
				Action: "lease_expired", From: string(Claimed), To: string(Scheduled),
				Reason: "the lease of " + e.name + " ran out"}); err != nil {
				return err
			}
			res.LeasesExpired++
			changed = append(changed, e.id)
		}

		var cutoff any // NULL: auto-pool is off
		if s.Policy().AutoPool > 0 {
			cutoff = now.Add(-s.Policy().AutoPool).Unix()
		}
		// The two reasons are asked apart: asked at once (a.active = 0
		// OR cb.due_at < ?), PostgreSQL read every scheduled callback
		// of every agent (100,000 at the bench's size).
		moved, err := idsAndNames(ctx, tx, `SELECT cb.id, a.name || CASE WHEN a.active = 0 THEN ' (deactivated)' ELSE '' END
			FROM callbacks cb JOIN agents a ON a.id = cb.owner_id
			WHERE cb.state = 'scheduled' AND cb.id IN (
				SELECT c.id FROM agents o CROSS JOIN callbacks c WHERE c.owner_id = o.id AND c.state = 'scheduled' AND o.active = 0
				UNION ALL
				SELECT c.id FROM agents o CROSS JOIN callbacks c
				WHERE c.owner_id = o.id AND c.state = 'scheduled' AND o.active <> 0 AND c.due_at < ?)
			ORDER BY cb.id FOR UPDATE OF cb`, cutoff)
		if err != nil {
			return err
		}
		for _, m := range moved {
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET owner_id = NULL, updated_at = ?, updated_by = NULL
				WHERE id = ?`, now.Unix(), m.id); err != nil {
				return err
			}
			reason := fmt.Sprintf("overdue by more than %d min", int(s.Policy().AutoPool/time.Minute))
			if strings.HasSuffix(m.name, "(deactivated)") {
				reason = "the owner was deactivated"
			}
			if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: crm.System, Entity: "callback", EntityID: m.id,
				Action: "to_pool", From: strings.TrimSuffix(m.name, " (deactivated)"), To: "pool", Reason: reason}); err != nil {
				return err
			}
			res.ToPool++
			changed = append(changed, m.id)
		}
		ended, err := idsAndNames(ctx, tx, endedSQL+` ORDER BY cb.id FOR UPDATE OF cb`, now.Unix())
		if err != nil {
			return err
		}
		for _, e := range ended {
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = 'cancelled', updated_at = ?, updated_by = NULL
				WHERE id = ?`, now.Unix(), e.id); err != nil {
				return err
			}
			if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: crm.System, Entity: "callback", EntityID: e.id,
				Action: "cancel", From: string(Scheduled), To: string(Cancelled), Reason: "campaign " + e.name + " ended"}); err != nil {
				return err
			}
			res.Ended++
			changed = append(changed, e.id)
		}
		return nil
	})
	if err != nil {
		return SweepResult{}, s.DB.Describe(err)
	}
	for _, id := range changed {
		s.publish(id, crm.System, "sweep")
	}
	return res, nil
}

// sweepNeeded checks on the read pool whether Sweep has anything to do, so
// the frequent sweeps of idle consoles never take the write lock. Owned
// callbacks are looked up agent by agent (callbacks_owner_due), so the
// check costs a few index probes, not a pass over the queue. The overdue
// are asked in a scalar subquery per agent: as a join, PostgreSQL's
// generic plan (a prepared statement's, from its sixth run) merged the
// agents with the whole of callbacks_owner_due, 100,000 entries a check;
// a hundred SSH sessions, each sweeping every 15 s, kept its two cores
// busy with it (0.3–2 s a check), and the hundredth session's first queue
// took 9 s.
func (s *Service) sweepNeeded(ctx context.Context, now time.Time) bool {
	var cutoff any
	if s.Policy().AutoPool > 0 {
		cutoff = now.Add(-s.Policy().AutoPool).Unix()
	}
	var n int
	err := s.DB.Read.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM callbacks WHERE state = 'claimed' AND lease_until < ?)
		OR EXISTS (SELECT 1 FROM callbacks cb JOIN agents a ON a.id = cb.claimed_by WHERE cb.state = 'claimed' AND a.active = 0)
		OR EXISTS (SELECT 1 FROM agents a CROSS JOIN callbacks cb
			WHERE cb.owner_id = a.id AND cb.state = 'scheduled' AND a.active = 0)
		OR EXISTS (SELECT 1 FROM agents a WHERE (SELECT 1 FROM callbacks cb
			WHERE cb.owner_id = a.id AND cb.state = 'scheduled' AND cb.due_at < ? LIMIT 1) IS NOT NULL)
		OR EXISTS (`+endedSQL+`)`, now.Unix(), cutoff, now.Unix()).Scan(&n)
	return err != nil || n > 0 // on a read error, let the write path report it
}

// endedSQL finds the calls not yet made of campaigns past their until
// date (its one argument is now). It starts from the few campaigns, then
// each one's calls (callbacks_campaign): joined the other way round,
// SQLite read every scheduled callback on each sweep check.
const endedSQL = `SELECT cb.id, k.name FROM callbacks cb JOIN campaigns k ON k.id = cb.campaign_id
	WHERE cb.campaign_id IN (SELECT id FROM campaigns WHERE until_at <= ?) AND cb.state = 'scheduled'`

type idName struct {
	id   int64
	name string
}

func idsAndNames(ctx context.Context, tx *db.Tx, query string, args ...any) ([]idName, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idName
	for rows.Next() {
		var r idName
		if err := rows.Scan(&r.id, &r.name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Deactivate turns an agent off: they can no longer log in, and their
// personal callbacks and claims go to the pool, each audited.
func (s *Service) Deactivate(ctx context.Context, actor crm.Agent, name string) error {
	if err := s.CRM.Require(ctx, actor, crm.PermManageAgents, "agent"); err != nil {
		return err
	}
	target, err := s.CRM.AgentByName(ctx, name)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		return crm.SetAgentActive(ctx, tx, actor, target.ID, false, now)
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(changeOf("agent", target.ID, actor, "deactivate")) // a server ends their sessions
	_, err = s.Sweep(ctx)
	return err
}
