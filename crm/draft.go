package crm

import (
	"context"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// Draft is a note an agent started and has not saved. It lives in the
// database, so closing the editor, quitting or losing the terminal keeps it.
type Draft struct {
	CustomerID   int64
	CustomerName string
	Body         string
	UpdatedAt    time.Time
}

// SaveDraft keeps body as agent's draft for a customer; an empty body
// removes the draft. A text this agent already saved as a note for the
// customer is kept already, and no draft is written: an autosave that
// waited behind other writes (db.Background) can land after the note it
// was typed for was saved, and would bring it back as a draft.
func (s *Service) SaveDraft(ctx context.Context, agentID, customerID int64, body string) error {
	if strings.TrimSpace(body) == "" {
		return s.DeleteDraft(ctx, agentID, customerID)
	}
	_, err := s.DB.ExecContext(db.About(ctx, db.Draft), `INSERT INTO drafts(agent_id, customer_id, body, updated_at)
		SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM interactions WHERE customer_id = ? AND agent_id = ? AND body = ?)
		ON CONFLICT(agent_id, customer_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
		agentID, customerID, body, s.now().Unix(), customerID, agentID, strings.TrimRight(body, " \t\n")) // as AddNote stores it
	return s.DB.Describe(err)
}

// DeleteDraft forgets agent's draft for a customer.
func (s *Service) DeleteDraft(ctx context.Context, agentID, customerID int64) error {
	_, err := s.DB.ExecContext(db.About(ctx, db.Draft), `DELETE FROM drafts WHERE agent_id = ? AND customer_id = ?`, agentID, customerID)
	return s.DB.Describe(err)
}

// Drafts lists an agent's drafts, most recently edited first.
func (s *Service) Drafts(ctx context.Context, agentID int64) ([]Draft, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT d.customer_id, c.name, d.body, d.updated_at
		FROM drafts d JOIN customers c ON c.id = d.customer_id
		WHERE d.agent_id = ? ORDER BY d.updated_at DESC, d.customer_id`, agentID)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var at int64
		if err := rows.Scan(&d.CustomerID, &d.CustomerName, &d.Body, &at); err != nil {
			return nil, err
		}
		d.UpdatedAt = time.Unix(at, 0)
		out = append(out, d)
	}
	return out, rows.Err()
}
