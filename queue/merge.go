package queue

import (
	"context"
	"database/sql"
	"errors"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// MergeResult says what a merge did.
type MergeResult struct {
	MergeID        int64
	Keep, Other    int64
	Conflicts      []crm.Conflict
	CallbacksMoved int
}

// Merge makes one customer of two, the person they both are: everything
// of other moves to keep (crm.MergeIn), and so do other's callbacks, each
// move recorded for UndoMerge. It refuses while a callback of either is
// claimed. Supervisors and admins may; it is audited.
func (s *Service) Merge(ctx context.Context, actor crm.Agent, keep, other int64) (MergeResult, error) {
	res := MergeResult{Keep: keep, Other: other}
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "merge"); err != nil {
		return res, err
	}
	now := s.now()
	var moved []int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		// The two customers' callbacks are locked before they are checked
		// for a claim, so no claim lands between the check and the move.
		if _, err := crm.IDs(ctx, tx, `SELECT id FROM callbacks WHERE customer_id IN (?, ?) ORDER BY id FOR UPDATE`, keep, other); err != nil {
			return err
		}
		if err := refuseClaimed(ctx, tx, keep, other); err != nil {
			return err
		}
		var err error
		if res.MergeID, res.Conflicts, err = crm.MergeIn(ctx, tx, actor, keep, other, now); err != nil {
			return err
		}
		if moved, err = callbackIDs(ctx, tx, other); err != nil {
			return err
		}
		if err := crm.RecordMergeMoves(ctx, tx, res.MergeID, "callbacks", moved); err != nil {
			return err
		}
		// The rules triggers put each moved callback's calling rules right.
		_, err = tx.ExecContext(ctx, `UPDATE callbacks SET customer_id = ?, updated_at = ?, updated_by = ? WHERE customer_id = ?`,
			keep, now.Unix(), actorID(actor), other)
		return err
	})
	if err != nil {
		return res, s.DB.Describe(err)
	}
	res.CallbacksMoved = len(moved)
	s.published(actor, "merge", keep, other, moved)
	return res, nil
}

// UndoMerge moves everything a merge moved back, callbacks included.
func (s *Service) UndoMerge(ctx context.Context, actor crm.Agent, mergeID int64) (MergeResult, error) {
	res := MergeResult{MergeID: mergeID}
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "merge"); err != nil {
		return res, err
	}
	now := s.now()
	var moved []int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if moved, err = crm.MergeMoves(ctx, tx, mergeID, "callbacks"); err != nil {
			return err
		}
		var keep, other int64
		if err := tx.QueryRowContext(ctx, `SELECT keep_id, other_id FROM merges WHERE id = ?`, mergeID).Scan(&keep, &other); err != nil &&
			!errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := refuseClaimed(ctx, tx, keep, other); err != nil {
			return err
		}
		if res.Keep, res.Other, err = crm.UndoMergeIn(ctx, tx, actor, mergeID, now); err != nil {
			return err
		}
		for _, id := range moved {
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET customer_id = ?, updated_at = ?, updated_by = ?
				WHERE id = ? AND customer_id = ?`, res.Other, now.Unix(), actorID(actor), id, res.Keep); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, s.DB.Describe(err)
	}
	res.CallbacksMoved = len(moved)
	s.published(actor, "merge_undo", res.Keep, res.Other, moved)
	return res, nil
}

// claimedOf finds a claimed callback of any of the customers: which, who
// holds it, and whose it is; id 0 when none is.
func claimedOf(ctx context.Context, tx *db.Tx, customers ...int64) (id int64, holder string, customer int64, err error) {
	for _, c := range customers {
		err := tx.QueryRowContext(ctx, `SELECT cb.id, coalesce(a.name, '') FROM callbacks cb LEFT JOIN agents a ON a.id = cb.claimed_by
			WHERE cb.customer_id = ? AND cb.state = 'claimed' ORDER BY cb.id LIMIT 1`, c).Scan(&id, &holder)
		if err == nil {
			return id, holder, c, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", 0, err
		}
	}
	return 0, "", 0, nil
}

// refuseClaimed refuses a merge while an agent is on a call with either.
func refuseClaimed(ctx context.Context, tx *db.Tx, customers ...int64) error {
	id, holder, c, err := claimedOf(ctx, tx, customers...)
	if err != nil || id == 0 {
		return err
	}
	return problem.New("merge_claimed", "customer %d: callback %d is claimed by %s; merge after the call ends", c, id, holder)
}

// callbackIDs are a customer's callbacks.
func callbackIDs(ctx context.Context, tx *db.Tx, customer int64) ([]int64, error) {
	return crm.IDs(ctx, tx, `SELECT id FROM callbacks WHERE customer_id = ? ORDER BY id`, customer)
}

// published tells the consoles that two customers and some callbacks changed.
func (s *Service) published(actor crm.Agent, action string, keep, other int64, callbacks []int64) {
	for _, id := range callbacks {
		s.publish(id, actor, action)
	}
	s.DB.Changes.Publish(changeOf("customer", keep, actor, action))
	s.DB.Changes.Publish(changeOf("customer", other, actor, action))
}
