package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// CampaignCalls are the calls a retention campaign books: one for each
// customer of its contact group (campaign_members, grp 'contact'), given to
// the agent chosen for them there, or to the pool.
type CampaignCalls struct {
	Campaign int64
	Name     string // for the audit
	Kind     string
	Reason   string
	Priority int
	Due      time.Time
}

// BookCampaign writes the campaign's calls in tx, the transaction that
// creates the campaign, with a 'create' audit row each, in a few
// statements however many they are. The members were chosen by the
// calling rules (a number, no do-not-call, the kind's consent): a rule
// that changes later blocks the call as it would any other.
func (s *Service) BookCampaign(ctx context.Context, tx *db.Tx, actor crm.Agent, c CampaignCalls, now time.Time) (int, error) {
	if c.Priority == 0 {
		c.Priority = 3
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id,
		state, max_attempts, created_at, created_by, updated_at, updated_by, campaign_id)
		SELECT m.customer_id, (SELECT id FROM phones WHERE customer_id = m.customer_id ORDER BY invalid, is_primary DESC, id LIMIT 1),
			?, ?, ?, ?, m.agent_id, 'scheduled', ?, ?, ?, ?, ?, ?
		FROM campaign_members m WHERE m.campaign_id = ? AND m.grp = 'contact' ORDER BY m.customer_id`,
		c.Kind, c.Reason, c.Priority, c.Due.Unix(), s.Policy().MaxAttempts, now.Unix(), actorID(actor), now.Unix(), actorID(actor),
		c.Campaign, c.Campaign)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, err
	}
	err = crm.WriteAuditSet(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "callback", Action: "create", To: string(Scheduled),
		Reason: fmt.Sprintf("campaign %s: due %s", c.Name, c.Due.Format(time.RFC3339))},
		`SELECT id FROM callbacks WHERE campaign_id = ?`, c.Campaign)
	return int(n), err
}

// CapRoom is how many more open personal callbacks an agent may take
// (-1: no cap), with the agent locked until tx ends.
func (s *Service) CapRoom(ctx context.Context, tx *db.Tx, agentID int64) (int, error) {
	return s.capRoom(ctx, tx, agentID)
}

// PublishMany tells the consoles that many callbacks changed at once.
func (s *Service) PublishMany(actor crm.Agent, what string) { s.publish(0, actor, what) }
