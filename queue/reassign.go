package queue

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dangol/dangol/crm"
)

// Reassign moves scheduled callbacks to another agent (toAgentID) or to the
// pool (0). Only supervisors and admins may; a callback someone is on is
// left alone and reported. Each move is audited.
func (s *Service) Reassign(ctx context.Context, actor crm.Agent, ids []int64, toAgentID int64) (moved int, err error) {
	if actor.Role != crm.RoleSupervisor && actor.Role != crm.RoleAdmin {
		return 0, fmt.Errorf("%s is an agent; only a supervisor or admin may reassign callbacks", actor.Name)
	}
	now := s.now()
	var done []int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		done = done[:0]
		to := "pool"
		if toAgentID != 0 {
			var active bool
			if err := tx.QueryRowContext(ctx, `SELECT name, active FROM agents WHERE id = ?`, toAgentID).Scan(&to, &active); err != nil {
				return fmt.Errorf("agent %d: %w", toAgentID, crm.ErrNotFound)
			}
			if !active {
				return fmt.Errorf("%s is deactivated", to)
			}
		}
		for _, id := range ids {
			cb, err := getCallback(ctx, tx, id)
			if err != nil {
				return err
			}
			if cb.State != Scheduled {
				who := ""
				if cb.State == Claimed {
					who = " by " + cb.ClaimedBy
				}
				return fmt.Errorf("callback %d is %s%s; only scheduled callbacks can be reassigned", id, cb.State, who)
			}
			from := cb.Owner
			if from == "" {
				from = "pool"
			}
			if from == to {
				continue
			}
			var owner any
			if toAgentID != 0 {
				if err := s.checkCap(ctx, tx, toAgentID, 0); err != nil {
					return err
				}
				owner = toAgentID
			}
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET owner_id = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
				owner, now.Unix(), actor.ID, id); err != nil {
				return err
			}
			if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: id,
				Action: "reassign", From: from, To: to}); err != nil {
				return err
			}
			done = append(done, id)
		}
		return nil
	})
	if err != nil {
		return 0, s.DB.Describe(err)
	}
	for _, id := range done {
		s.publish(id, actor, "reassign")
	}
	return len(done), nil
}
