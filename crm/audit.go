package crm

import (
	"context"
	"database/sql"
	"strings"
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
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, id)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	return scanAudits(rows)
}

// AuditFilter picks rows of the audit log; the zero value takes every row.
type AuditFilter struct {
	Actor      string // who: a login name, or os:user
	CustomerID int64  // about this customer: the customer, their callbacks, notes and complaints
	CallbackID int64
	Action     string
	From, To   time.Time // at in [From, To); zero: no bound
}

// where is the filter as SQL conditions on audit_log.
func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Actor != "" {
		conds, args = append(conds, "actor = ?"), append(args, f.Actor)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	if f.CallbackID != 0 {
		conds, args = append(conds, "entity = 'callback' AND entity_id = ?"), append(args, f.CallbackID)
	}
	if f.CustomerID != 0 {
		conds = append(conds, `((entity = 'customer' AND entity_id = ?)
			OR (entity = 'callback' AND entity_id IN (SELECT id FROM callbacks WHERE customer_id = ?))
			OR (entity = 'interaction' AND entity_id IN (SELECT id FROM interactions WHERE customer_id = ?))
			OR (entity = 'complaint' AND entity_id IN (SELECT id FROM complaints WHERE customer_id = ?)))`)
		args = append(args, f.CustomerID, f.CustomerID, f.CustomerID, f.CustomerID)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, f.To.Unix())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditLog reads the audit log newest first: up to limit rows matching f
// with an id below before (0: from the newest). Supervisors and admins may.
func (s *Service) AuditLog(ctx context.Context, actor Agent, f AuditFilter, before int64, limit int) ([]Audit, error) {
	if err := s.Require(ctx, actor, PermTeamWork, "audit"); err != nil {
		return nil, err
	}
	where, args := f.where()
	if before > 0 {
		if where == "" {
			where = " WHERE id < ?"
		} else {
			where += " AND id < ?"
		}
		args = append(args, before)
	}
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	out, err := scanAudits(rows)
	return out, s.DB.Describe(err)
}

// LatestAudit returns, for each of ids of an entity, its newest audit row.
func (s *Service) LatestAudit(ctx context.Context, entity string, ids []int64) (map[int64]Audit, error) {
	out := map[int64]Audit{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := strings.Repeat("?,", len(ids))
	args := []any{entity}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id IN (SELECT max(id) FROM audit_log
		WHERE entity = ? AND entity_id IN (`+marks[:len(marks)-1]+`) GROUP BY entity_id)`, args...)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	list, err := scanAudits(rows)
	for _, a := range list {
		out[a.EntityID] = a
	}
	return out, err
}

// auditColumns are what scanAudits reads, in order.
const auditColumns = `id, at, coalesce(actor_id, 0), actor, entity, entity_id, action, from_value, to_value, reason`

// scanAudits reads audit rows selected with auditColumns and closes them.
func scanAudits(rows *sql.Rows) ([]Audit, error) {
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

// AuditMark is the id of the newest audit row (0 for none): a console
// that reads the log as it grows starts after it.
func (s *Service) AuditMark(ctx context.Context) (int64, error) {
	var id int64
	err := s.DB.Read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&id)
	return id, s.DB.Describe(err)
}

// AuditAfter returns the audit rows of entity after the row after, oldest
// first, looking at no more than limit rows of the log, and the id to go on
// from next time. What it reads follows what happened since, never the
// size of the log.
func (s *Service) AuditAfter(ctx context.Context, entity string, after int64, limit int) ([]Audit, int64, error) {
	mark, err := s.AuditMark(ctx)
	if err != nil {
		return nil, after, err
	}
	upto := min(mark, after+int64(limit))
	// A range of the log by id, the entity picked here: "entity = ?" in
	// the query made SQLite walk the entity index instead, which holds
	// nearly every row of the log under 'callback'.
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id > ? AND id <= ? ORDER BY id`,
		after, upto)
	if err != nil {
		return nil, after, s.DB.Describe(err)
	}
	all, err := scanAudits(rows)
	if err != nil {
		return nil, after, s.DB.Describe(err)
	}
	out := all[:0]
	for _, a := range all {
		if a.Entity == entity {
			out = append(out, a)
		}
	}
	return out, upto, nil
}

// AuditWriter appends many audit rows through one prepared statement, for
// an action on thousands of rows at once (a bulk action over all that
// match, its undo) in the transaction that makes it.
type AuditWriter struct{ stmt *db.Stmt }

// NewAuditWriter prepares the rows' statement on tx; Close it after.
func NewAuditWriter(ctx context.Context, tx *db.Tx) (*AuditWriter, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_log(at, actor_id, actor, entity, entity_id, action, from_value,
		to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	return &AuditWriter{stmt: stmt}, err
}

// Write appends a, as WriteAudit does.
func (w *AuditWriter) Write(ctx context.Context, a Audit) error {
	var actorID any
	if a.Actor.ID != 0 {
		actorID = a.Actor.ID
	}
	_, err := w.stmt.ExecContext(ctx, a.At.Unix(), actorID, a.Actor.Name, a.Entity, a.EntityID, a.Action, a.From, a.To, a.Reason)
	return err
}

// Close lets the statement go.
func (w *AuditWriter) Close() error { return w.stmt.Close() }

// WriteAuditSet appends one row like a for each id the query ids selects
// (one column, named id), in one statement: the audit of many rows created at
// once (a campaign's calls) costs what the rows did.
func WriteAuditSet(ctx context.Context, q db.Querier, a Audit, ids string, args ...any) error {
	var actorID any
	if a.Actor.ID != 0 {
		actorID = a.Actor.ID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log(at, actor_id, actor, entity, entity_id, action, from_value, to_value, reason)
		SELECT ?, ?, ?, ?, set_ids.id, ?, ?, ?, ? FROM (`+ids+`) set_ids ORDER BY set_ids.id`,
		append([]any{a.At.Unix(), actorID, a.Actor.Name, a.Entity, a.Action, a.From, a.To, a.Reason}, args...)...)
	return err
}
