package queue

import (
	"context"
	"fmt"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// ForgetResult says what forgetting a customer did.
type ForgetResult struct {
	CustomerID int64
	Cancelled  []int64 // open callbacks cancelled
	// Checkpointed reports that the write-ahead log was emptied into the
	// file afterwards, so no old copy of a page holds the erased text. It
	// is false while another program reads the file (a console); the
	// next checkpoint, when they let go, does it.
	Checkpointed bool
}

// Forget erases a customer's personal data (crm.ForgetIn) and closes their
// callbacks in one transaction: open ones are cancelled, every reason
// text of theirs is blanked. It refuses while one of their callbacks is
// claimed: the agent on that call would lose what they are writing.
// Supervisors and admins may; the refusal and the erasure are audited.
// Deleted content is overwritten in the file (the write connection runs
// with secure_delete), and the write-ahead log is checkpointed after.
func (s *Service) Forget(ctx context.Context, actor crm.Agent, customerID int64) (ForgetResult, error) {
	res := ForgetResult{CustomerID: customerID}
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "forget"); err != nil {
		return res, err
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		id, holder, _, err := claimedOf(ctx, tx, customerID)
		if err != nil {
			return err
		}
		if id != 0 {
			return problem.New("forget_claimed", "customer %d: callback %d is claimed by %s; forget them after the call ends",
				customerID, id, holder)
		}
		// crm first: it blanks the audit rows about the customer, and the
		// cancellations below are recorded after that, as they happen.
		if err := crm.ForgetIn(ctx, tx, actor, customerID, now); err != nil {
			return err
		}
		if res.Cancelled, err = cancelOpen(ctx, tx, actor, customerID, 0, now, "the customer asked to be forgotten"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE callbacks SET reason = '' WHERE customer_id = ?`, customerID)
		return err
	})
	if err != nil {
		return res, s.DB.Describe(err)
	}
	if res.Checkpointed, err = s.DB.FlushErased(ctx, "customers", "phones", "emails", "interactions", "audit_log",
		"customer_attributes", "drafts", "search_keys", "callbacks"); err != nil {
		return res, fmt.Errorf("customer %d was forgotten; emptying the write-ahead log failed: %w", customerID, err)
	}
	for _, id := range res.Cancelled {
		s.publish(id, actor, "cancel")
	}
	s.DB.Changes.Publish(changeOf("customer", customerID, actor, "forget"))
	return res, nil
}
