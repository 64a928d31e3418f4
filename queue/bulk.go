package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// BulkAction is what a supervisor does to many callbacks at once.
type BulkAction string

// The bulk actions of the team table and `dangol queue reassign|release|cancel`.
const (
	BulkReassign BulkAction = "reassign" // to an agent, or to the pool
	BulkPriority BulkAction = "priority"
	BulkDue      BulkAction = "due"     // a new due time
	BulkCancel   BulkAction = "cancel"  // with a reason
	BulkRelease  BulkAction = "release" // free claims other agents hold
)

// BulkOp is one bulk action with what it needs.
type BulkOp struct {
	Action   BulkAction
	To       int64 // BulkReassign: the agent; 0 is the pool
	Priority int   // BulkPriority: 1–5
	Due      time.Time
	Reason   string // why: required to cancel, kept in the audit for every action
}

// Seen is a callback as the supervisor saw it when choosing it. A
// callback that changed since (another supervisor, an agent's claim, a
// wrap-up) is skipped, never overwritten.
type Seen struct {
	ID        int64
	State     State
	Owner     string
	ClaimedBy string
	Due       time.Time
	Priority  int
}

// SeenOf is what a callback looked like when it was read.
func SeenOf(cb Callback) Seen {
	return Seen{ID: cb.ID, State: cb.State, Owner: cb.Owner, ClaimedBy: cb.ClaimedBy, Due: cb.Due, Priority: cb.Priority}
}

// SkipReason says why a callback was left alone.
type SkipReason string

// Why a bulk action or an undo passes a callback by.
const (
	SkipChanged    SkipReason = "changed"     // someone changed it after it was seen
	SkipClosed     SkipReason = "closed"      // done, cancelled or failed
	SkipClaimed    SkipReason = "claimed"     // an agent is on it (Who)
	SkipNotClaimed SkipReason = "not_claimed" // nothing to release
	SkipAtCap      SkipReason = "at_cap"      // the agent has as many as they may
	SkipSame       SkipReason = "same"        // already so
	SkipMissing    SkipReason = "missing"     // no such callback
)

// Skipped is one callback left alone, and why.
type Skipped struct {
	ID  int64
	Why SkipReason
	Who string // for SkipClaimed: who is on it
}

// BulkResult says what a bulk action (or its undo) did.
type BulkResult struct {
	Bulk    int64 // the action's number, for undo; 0 when nothing was done
	Action  BulkAction
	Done    []int64   // by id (Bulk, Undo): the callbacks changed
	Skipped []Skipped // by id: every one passed by; all that match: a few of them
	To      string    // BulkReassign: the agent's name, or "pool"
	// Changed and Passed count the callbacks changed and passed by.
	Changed, Passed int
}

// ErrNothingToUndo is Undo's answer when the actor has no bulk action
// left to take back.
var ErrNothingToUndo = errors.New("no bulk action to undo")

// BulkError is a bulk action refused as a whole (a bad value), with the
// value's name for the console's words.
type BulkError struct {
	What  string // priority, due, reason, agent, release_undo
	Value string
}

func (e BulkError) Error() string {
	switch e.What {
	case "priority":
		return fmt.Sprintf("priority %s: use 1 (most urgent) to 5", e.Value)
	case "due":
		return fmt.Sprintf("due time %s is not in the future", e.Value)
	case "reason":
		return "cancelling needs a reason"
	case "agent":
		return fmt.Sprintf("agent %s is unknown or deactivated", e.Value)
	case "release_undo":
		return "a freed claim cannot be given back; the agent can claim the callback again"
	}
	return e.What + " " + e.Value
}

// row is a callback's movable values as stored.
type row struct {
	state                  State
	owner, claimedBy       sql.NullInt64
	ownerName, claimedName string
	due, priority          int64
	claimedAt, lease       sql.NullInt64
}

func readRow(ctx context.Context, tx *db.Tx, id int64) (row, error) {
	var r row
	if err := lockRow(ctx, tx, id); err != nil {
		return r, err
	}
	err := tx.QueryRowContext(ctx, `SELECT cb.state, cb.owner_id, coalesce(o.name, ''), cb.claimed_by, coalesce(cl.name, ''),
		cb.due_at, cb.priority, cb.claimed_at, cb.lease_until FROM callbacks cb
		LEFT JOIN agents o ON o.id = cb.owner_id LEFT JOIN agents cl ON cl.id = cb.claimed_by WHERE cb.id = ?`, id).
		Scan(&r.state, &r.owner, &r.ownerName, &r.claimedBy, &r.claimedName, &r.due, &r.priority, &r.claimedAt, &r.lease)
	return r, err
}

// matches reports whether the stored row is what the supervisor saw.
func (r row) matches(s Seen) bool {
	return r.state == s.State && r.ownerName == s.Owner && r.claimedName == s.ClaimedBy &&
		r.due == s.Due.Unix() && int(r.priority) == s.Priority
}

func nullable(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

// Bulk applies one action to the callbacks the supervisor chose, in one
// transaction: each callback that is still as it was seen is changed and
// audited; the others are skipped and listed. The action is recorded so
// Undo can take it back.
func (s *Service) Bulk(ctx context.Context, actor crm.Agent, op BulkOp, seen []Seen) (BulkResult, error) {
	res := BulkResult{Action: op.Action}
	now := s.now()
	if err := s.checkBulk(ctx, actor, op, now); err != nil {
		return res, err
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res = BulkResult{Action: op.Action, To: "pool"}
		if err := bulkTarget(ctx, tx, op, &res); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO bulk_actions(at, actor_id, actor, action, summary) VALUES (?, ?, ?, ?, '')
			RETURNING id`, now.Unix(), actorID(actor), actor.Name, op.Action).Scan(&res.Bulk); err != nil {
			return err
		}
		for _, sn := range seen {
			skip, err := s.bulkOne(ctx, tx, actor, op, sn, res, now)
			if err != nil {
				return err
			}
			if skip != nil {
				res.Skipped = append(res.Skipped, *skip)
			} else {
				res.Done = append(res.Done, sn.ID)
			}
		}
		res.Changed, res.Passed = len(res.Done), len(res.Skipped)
		if len(res.Done) == 0 {
			// Nothing to take back: the action leaves no record to undo.
			_, err := tx.ExecContext(ctx, `DELETE FROM bulk_actions WHERE id = ?`, res.Bulk)
			res.Bulk = 0
			return err
		}
		summary := bulkSummary(op, res)
		if _, err := tx.ExecContext(ctx, `UPDATE bulk_actions SET summary = ? WHERE id = ?`, summary, res.Bulk); err != nil {
			return err
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "bulk", EntityID: res.Bulk,
			Action: string(op.Action), To: summary, Reason: op.Reason})
	})
	if err != nil {
		return BulkResult{Action: op.Action}, s.DB.Describe(err)
	}
	for _, id := range res.Done {
		s.publish(id, actor, string(op.Action))
	}
	return res, nil
}

// bulkOne applies op to one callback, or says why not.
func (s *Service) bulkOne(ctx context.Context, tx *db.Tx, actor crm.Agent, op BulkOp, sn Seen, res BulkResult, now time.Time) (*Skipped, error) {
	r, err := readRow(ctx, tx, sn.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return &Skipped{ID: sn.ID, Why: SkipMissing}, nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case !r.state.Open():
		return &Skipped{ID: sn.ID, Why: SkipClosed}, nil
	case !r.matches(sn):
		return &Skipped{ID: sn.ID, Why: SkipChanged}, nil
	}
	after := r
	audit := crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: sn.ID, Action: string(op.Action),
		Reason: strings.TrimSpace(fmt.Sprintf("bulk #%d %s", res.Bulk, op.Reason))}
	switch op.Action {
	case BulkReassign:
		if r.state == Claimed {
			return &Skipped{ID: sn.ID, Why: SkipClaimed, Who: r.claimedName}, nil
		}
		if (op.To == 0 && !r.owner.Valid) || (r.owner.Valid && r.owner.Int64 == op.To) {
			return &Skipped{ID: sn.ID, Why: SkipSame}, nil
		}
		if op.To != 0 {
			if err := s.checkCap(ctx, tx, op.To, 0); err != nil {
				return &Skipped{ID: sn.ID, Why: SkipAtCap}, nil
			}
		}
		after.owner = sql.NullInt64{Int64: op.To, Valid: op.To != 0}
		audit.From, audit.To = ownerWord(r.ownerName), res.To
	case BulkPriority:
		if int(r.priority) == op.Priority {
			return &Skipped{ID: sn.ID, Why: SkipSame}, nil
		}
		after.priority = int64(op.Priority)
		audit.From, audit.To = fmt.Sprintf("P%d", r.priority), fmt.Sprintf("P%d", op.Priority)
	case BulkDue:
		if r.state == Claimed {
			return &Skipped{ID: sn.ID, Why: SkipClaimed, Who: r.claimedName}, nil
		}
		after.due = op.Due.Unix()
		audit.Action = "reschedule"
		audit.From, audit.To = time.Unix(r.due, 0).Format(time.RFC3339), op.Due.Format(time.RFC3339)
	case BulkCancel:
		if r.state == Claimed {
			return &Skipped{ID: sn.ID, Why: SkipClaimed, Who: r.claimedName}, nil
		}
		after.state = Cancelled
		audit.From, audit.To = string(r.state), string(Cancelled)
	case BulkRelease:
		if r.state != Claimed {
			return &Skipped{ID: sn.ID, Why: SkipNotClaimed}, nil
		}
		after.state, after.claimedBy = Scheduled, sql.NullInt64{}
		audit.Action = "force_release"
		audit.From, audit.To = r.claimedName, string(Scheduled)
	}
	if err := writeRow(ctx, tx, sn.ID, after, actor, now); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO bulk_items(bulk_id, callback_id, b_state, b_owner, b_due, b_priority,
		b_claimed_by, b_claimed_at, b_lease, a_state, a_owner, a_due, a_priority, a_claimed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.Bulk, sn.ID, r.state, nullable(r.owner), r.due, r.priority,
		nullable(r.claimedBy), nullable(r.claimedAt), nullable(r.lease),
		after.state, nullable(after.owner), after.due, after.priority, nullable(after.claimedBy)); err != nil {
		return nil, err
	}
	return nil, crm.WriteAudit(ctx, tx, audit)
}

// writeRow stores a callback's movable values; a callback that is not
// claimed loses its claim columns.
func writeRow(ctx context.Context, tx *db.Tx, id int64, r row, actor crm.Agent, now time.Time) error {
	claimedAt, lease := nullable(r.claimedAt), nullable(r.lease)
	if r.state != Claimed {
		claimedAt, lease = nil, nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = ?, owner_id = ?, due_at = ?, priority = ?, claimed_by = ?,
		claimed_at = ?, lease_until = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		r.state, nullable(r.owner), r.due, r.priority, nullable(r.claimedBy), claimedAt, lease, now.Unix(), actorID(actor), id)
	return err
}

func actorID(a crm.Agent) any {
	if a.ID == 0 {
		return nil
	}
	return a.ID
}

func ownerWord(name string) string {
	if name == "" {
		return "pool"
	}
	return name
}

// bulkSummary says a bulk action in one line for the audit log.
func bulkSummary(op BulkOp, res BulkResult) string {
	var what string
	switch op.Action {
	case BulkReassign:
		what = "to " + res.To
	case BulkPriority:
		what = fmt.Sprintf("to P%d", op.Priority)
	case BulkDue:
		what = "to " + op.Due.Format(time.RFC3339)
	case BulkCancel, BulkRelease:
		what = ""
	}
	return strings.TrimSpace(fmt.Sprintf("%s %d callbacks %s (%d skipped)", op.Action, res.Changed, what, res.Passed))
}

// Undo takes back the actor's last bulk action that is not undone yet:
// each callback still as the action left it gets its values back, audited
// as an undo; one changed since is skipped and listed. A freed claim is
// not given back (the agent claims again).
func (s *Service) Undo(ctx context.Context, actor crm.Agent) (BulkResult, error) {
	return s.undo(ctx, actor, func(tx *db.Tx) *sql.Row {
		return tx.QueryRowContext(ctx, `SELECT id, action FROM bulk_actions WHERE actor = ? AND undone_at IS NULL
			ORDER BY id DESC LIMIT 1 FOR UPDATE`, actor.Name)
	})
}

// UndoBulk takes back one bulk action, whoever did it (a campaign's pause
// taken back by its resume), as Undo does; ErrNothingToUndo when it is
// undone already.
func (s *Service) UndoBulk(ctx context.Context, actor crm.Agent, id int64) (BulkResult, error) {
	return s.undo(ctx, actor, func(tx *db.Tx) *sql.Row {
		return tx.QueryRowContext(ctx, `SELECT id, action FROM bulk_actions WHERE id = ? AND undone_at IS NULL FOR UPDATE`, id)
	})
}

// undo takes back the bulk action pick reads (its id and action).
func (s *Service) undo(ctx context.Context, actor crm.Agent, pick func(tx *db.Tx) *sql.Row) (BulkResult, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "undo"); err != nil {
		return BulkResult{}, err
	}
	now := s.now()
	var res BulkResult
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res = BulkResult{}
		var action string
		err := pick(tx).Scan(&res.Bulk, &action)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNothingToUndo
		}
		if err != nil {
			return err
		}
		res.Action = BulkAction(action)
		if res.Action == BulkRelease {
			return BulkError{What: "release_undo"}
		}
		if err := undoItems(ctx, tx, actor, &res, action, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bulk_actions SET undone_at = ?, undone_by = ? WHERE id = ?`,
			now.Unix(), actor.Name, res.Bulk); err != nil {
			return err
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "bulk", EntityID: res.Bulk, Action: "undo",
			To: fmt.Sprintf("%d restored (%d changed since, left alone)", res.Changed, res.Passed)})
	})
	if err != nil {
		return res, s.DB.Describe(err)
	}
	if len(res.Done) > 100 {
		s.publish(0, actor, "undo") // one notice for a big undo: every console reloads anyway
	} else {
		for _, id := range res.Done {
			s.publish(id, actor, "undo")
		}
	}
	return res, nil
}

// stillAsLeft says a callback (cb) is as its bulk item (bi) left it.
const stillAsLeft = `cb.state = bi.a_state AND (cb.owner_id = bi.a_owner OR cb.owner_id IS NULL AND bi.a_owner IS NULL)
	AND cb.due_at = bi.a_due AND cb.priority = bi.a_priority
	AND (cb.claimed_by = bi.a_claimed_by OR cb.claimed_by IS NULL AND bi.a_claimed_by IS NULL)`

// undoItems gives the callbacks of bulk action res.Bulk that are still as
// it left them their values back, with an audit row each, and counts the
// others: the audit rows a thousand at a time, the change in one
// statement, so an action on 100,000 callbacks is undone as quickly as it
// was done.
func undoItems(ctx context.Context, tx *db.Tx, actor crm.Agent, res *BulkResult, action string, now time.Time) error {
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bulk_items WHERE bulk_id = ?`, res.Bulk).Scan(&total); err != nil {
		return err
	}
	audit, err := crm.NewAuditWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer audit.Close()
	reason := fmt.Sprintf("undo of bulk #%d (%s)", res.Bulk, action)
	type item struct {
		id            int64
		before, after row
	}
	for after := int64(0); ; {
		rows, err := tx.QueryContext(ctx, `SELECT bi.callback_id, bi.b_state, bi.b_owner, bi.b_due, bi.b_priority,
			bi.a_state, bi.a_owner, bi.a_due, bi.a_priority, bi.a_claimed_by
			FROM bulk_items bi JOIN callbacks cb ON cb.id = bi.callback_id
			WHERE bi.bulk_id = ? AND bi.callback_id > ? AND `+stillAsLeft+` ORDER BY bi.callback_id LIMIT 1000 FOR UPDATE OF cb`, res.Bulk, after)
		if err != nil {
			return err
		}
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.id, &it.before.state, &it.before.owner, &it.before.due, &it.before.priority,
				&it.after.state, &it.after.owner, &it.after.due, &it.after.priority, &it.after.claimedBy); err != nil {
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
			break
		}
		for _, it := range items {
			back := it.before
			if back.state == Claimed && it.after.state != Claimed {
				back.state = Scheduled // a freed claim is not given back
			}
			if err := audit.Write(ctx, crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: it.id, Action: "undo",
				From: rowWords(it.after), To: rowWords(back), Reason: reason}); err != nil {
				return err
			}
			res.Done = append(res.Done, it.id)
		}
		after = items[len(items)-1].id
	}
	// The same rows, in one statement: a claim the action kept stays as
	// it is now; any other goes.
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET
		state = CASE WHEN bi.b_state = 'claimed' AND callbacks.state <> 'claimed' THEN 'scheduled' ELSE bi.b_state END,
		owner_id = bi.b_owner, due_at = bi.b_due, priority = bi.b_priority,
		claimed_by = CASE WHEN bi.b_state = 'claimed' AND callbacks.state = 'claimed' THEN callbacks.claimed_by END,
		claimed_at = CASE WHEN bi.b_state = 'claimed' AND callbacks.state = 'claimed' THEN callbacks.claimed_at END,
		lease_until = CASE WHEN bi.b_state = 'claimed' AND callbacks.state = 'claimed' THEN callbacks.lease_until END,
		updated_at = ?, updated_by = ?
		FROM bulk_items bi WHERE bi.bulk_id = ? AND bi.callback_id = callbacks.id AND `+strings.ReplaceAll(stillAsLeft, "cb.", "callbacks."),
		now.Unix(), actorID(actor), res.Bulk); err != nil {
		return err
	}
	res.Changed, res.Passed = len(res.Done), total-len(res.Done)
	if res.Passed == 0 {
		return nil
	}
	changed, err := queryIDs(ctx, tx, `SELECT bi.callback_id FROM bulk_items bi
		WHERE bi.bulk_id = ? AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'callback' AND a.entity_id = bi.callback_id
			AND a.action = 'undo' AND a.reason = ?) ORDER BY bi.callback_id LIMIT 5`, res.Bulk, reason)
	for _, id := range changed {
		res.Skipped = append(res.Skipped, Skipped{ID: id, Why: SkipChanged})
	}
	return err
}

// rowWords writes a callback's movable values for the audit log.
func rowWords(r row) string {
	owner := "pool"
	if r.owner.Valid {
		owner = fmt.Sprintf("agent %d", r.owner.Int64)
	}
	return fmt.Sprintf("%s %s P%d %s", r.state, owner, r.priority, time.Unix(r.due, 0).Format(time.RFC3339))
}

// Reassign moves callbacks to another agent (toAgentID) or to the pool
// (0) as they are now: a bulk action without a view to compare with.
func (s *Service) Reassign(ctx context.Context, actor crm.Agent, ids []int64, toAgentID int64) (BulkResult, error) {
	seen, err := s.SeenNow(ctx, ids)
	if err != nil {
		return BulkResult{}, err
	}
	return s.Bulk(ctx, actor, BulkOp{Action: BulkReassign, To: toAgentID}, seen)
}

// SeenNow reads callbacks as they are, for a bulk action chosen by id
// (the command line) rather than from a table on screen.
func (s *Service) SeenNow(ctx context.Context, ids []int64) ([]Seen, error) {
	out := make([]Seen, 0, len(ids))
	for _, id := range ids {
		cb, err := s.Get(ctx, id)
		if errors.Is(err, crm.ErrNotFound) {
			out = append(out, Seen{ID: id})
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, SeenOf(cb))
	}
	return out, nil
}

// SeenOfAgent reads every open callback an agent owns or holds (only the
// overdue ones when overdue), for "everything of agent X".
func (s *Service) SeenOfAgent(ctx context.Context, actor crm.Agent, name string, overdue bool) ([]Seen, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "team"); err != nil {
		return nil, err
	}
	agent, err := s.CRM.AgentByName(ctx, name)
	if err != nil {
		return nil, err
	}
	q := callbackSelect + ` WHERE cb.state IN ('scheduled', 'claimed') AND (cb.owner_id = ? OR cb.claimed_by = ?)`
	args := []any{agent.ID, agent.ID}
	if overdue {
		q += ` AND cb.due_at < ?`
		args = append(args, s.now().Unix())
	}
	cbs, err := queryCallbacks(ctx, s.DB.Read, q+` ORDER BY cb.id`, args...)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	out := make([]Seen, len(cbs))
	for i, cb := range cbs {
		out[i] = SeenOf(cb)
	}
	return out, nil
}

// Pending is the bulk action Undo would take back, so the question can say
// what it undoes: how many callbacks, and for a move, where they are and
// where they go back to.
type Pending struct {
	Bulk     int64
	Action   BulkAction
	Count    int      // callbacks the action changed
	Now      []string // BulkReassign: where they are (display names; "" is the pool)
	Back     []string // and where they go back to
	Undoable bool     // a release cannot be undone
}

// LastBulk reads actor's latest bulk action not undone yet
// (ErrNothingToUndo when there is none).
func (s *Service) LastBulk(ctx context.Context, actor crm.Agent) (Pending, error) {
	var p Pending
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "undo"); err != nil {
		return p, err
	}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		var action string
		err := tx.QueryRowContext(ctx, `SELECT id, action FROM bulk_actions WHERE actor = ? AND undone_at IS NULL
			ORDER BY id DESC LIMIT 1`, actor.Name).Scan(&p.Bulk, &action)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNothingToUndo
		}
		if err != nil {
			return err
		}
		p.Action, p.Undoable = BulkAction(action), BulkAction(action) != BulkRelease
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bulk_items WHERE bulk_id = ?`, p.Bulk).Scan(&p.Count); err != nil {
			return err
		}
		if p.Action != BulkReassign {
			return nil
		}
		// At most a few names each way: a move from many agents says so.
		names := func(col string) ([]string, error) {
			rows, err := tx.QueryContext(ctx, `SELECT DISTINCT coalesce(nullif(a.display_name, ''), a.name, '') FROM bulk_items i
				LEFT JOIN agents a ON a.id = i.`+col+` WHERE i.bulk_id = ? ORDER BY 1 LIMIT 4`, p.Bulk)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					return nil, err
				}
				out = append(out, n)
			}
			return out, rows.Err()
		}
		if p.Now, err = names("a_owner"); err != nil {
			return err
		}
		p.Back, err = names("b_owner")
		return err
	})
	return p, s.DB.Describe(err)
}
