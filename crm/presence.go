package crm

import (
	"context"
	"time"

	"github.com/dangol/dangol/db"
)

// PresenceTTL is how long an open customer screen counts as "on it"
// without a refresh; consoles refresh every minute, and a console that
// quits clears its own at once.
const PresenceTTL = 150 * time.Second

// Touch records that agent's console is open now, with customer open
// (0: none), so others see who is online and who is on which customer.
func (s *Service) Touch(ctx context.Context, agent Agent, customerID int64) error {
	var customer any
	if customerID != 0 {
		customer = customerID
	}
	_, err := s.DB.ExecContext(db.About(ctx, db.Presence), `INSERT INTO presence(agent_id, customer_id, seen_at) VALUES (?, ?, ?)
		ON CONFLICT(agent_id) DO UPDATE SET customer_id = excluded.customer_id, seen_at = excluded.seen_at`,
		agent.ID, customer, s.now().Unix())
	return s.DB.Describe(err)
}

// Leave records that agent's console closed: they are offline at once.
func (s *Service) Leave(ctx context.Context, agent Agent) error {
	_, err := s.DB.ExecContext(db.About(ctx, db.Presence), `DELETE FROM presence WHERE agent_id = ?`, agent.ID)
	return s.DB.Describe(err)
}

// Present names the other agents on a customer now: those with the
// customer open, and those holding a claimed callback of theirs.
func (s *Service) Present(ctx context.Context, customerID int64, except Agent) ([]string, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT a.name FROM presence p JOIN agents a ON a.id = p.agent_id
		WHERE p.customer_id = ? AND p.agent_id <> ? AND p.seen_at >= ?
		UNION SELECT a.name FROM callbacks cb JOIN agents a ON a.id = cb.claimed_by
		WHERE cb.customer_id = ? AND cb.state = 'claimed' AND cb.claimed_by <> ?
		ORDER BY 1`, customerID, except.ID, s.now().Add(-PresenceTTL).Unix(), customerID, except.ID)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return names, rows.Err()
}
