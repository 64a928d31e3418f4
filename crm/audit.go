package crm

import (
	"context"
	"time"

	"github.com/dangol/dangol/db"
)

// Audit is one row of the audit log: who did what to which thing, when,
// from which value to which, and why.
type Audit struct {
	ID       int64
	At       time.Time
	Actor    Agent
	Entity   string // callback, customer, interaction, complaint, agent, ...
	EntityID int64
	Action   string // create, claim, release, disposition, edit, ...
	From, To string
	Reason   string
}

// WriteAudit appends a to the log through q, which is normally the
// transaction that made the change, so the change and its record commit together.
func WriteAudit(ctx context.Context, q db.Querier, a Audit) error {
	var actorID any
	if a.Actor.ID != 0 {
		actorID = a.Actor.ID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log(at, actor_id, actor, entity, entity_id, action, from_value, to_value, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.At.Unix(), actorID, a.Actor.Name, a.Entity, a.EntityID, a.Action, a.From, a.To, a.Reason)
	return err
}

// AuditTrail returns the log rows for one entity, oldest first.
func (s *Service) AuditTrail(ctx context.Context, entity string, id int64) ([]Audit, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT id, at, coalesce(actor_id, 0), actor, entity, entity_id, action,
		from_value, to_value, reason FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, id)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		var a Audit
		var at int64
		if err := rows.Scan(&a.ID, &at, &a.Actor.ID, &a.Actor.Name, &a.Entity, &a.EntityID, &a.Action,
			&a.From, &a.To, &a.Reason); err != nil {
			return nil, err
		}
		a.At = time.Unix(at, 0)
		out = append(out, a)
	}
	return out, rows.Err()
}
