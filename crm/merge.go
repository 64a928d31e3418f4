package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// Conflict is a field on which the two customers of a merge disagree, and
// what the kept customer will hold.
type Conflict struct {
	Field  string `json:"field"`
	Keep   string `json:"keep"`
	Other  string `json:"other"`
	Result string `json:"result"`
}

// mergeFlags are the kept customer's fields a merge may change.
type mergeFlags struct {
	Birthday   string `json:"birthday"`
	ExternalID string `json:"-"` // never changed: each row keeps its own
	DNC        bool   `json:"dnc"`
	Marketing  bool   `json:"consent_marketing"`
	SMS        bool   `json:"consent_sms"`
	Email      bool   `json:"consent_email"`
}

type mergeSide struct {
	name   string
	points int64
	merged sql.NullInt64
	mergeFlags
}

func readSide(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (mergeSide, error) {
	var m mergeSide
	err := q.QueryRowContext(ctx, `SELECT name, points, merged_into, coalesce(birthday, ''), coalesce(external_id, ''),
		dnc, consent_marketing, consent_sms, consent_email FROM customers WHERE id = ?`, id).
		Scan(&m.name, &m.points, &m.merged, &m.Birthday, &m.ExternalID, &m.DNC, &m.Marketing, &m.SMS, &m.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	return m, err
}

// mergeResult is what the kept customer holds after a merge: the first
// value that is set, do-not-call if either asked, a consent only if both
// gave it (a consent one of the two rows lacks was never given by the
// person for sure).
func mergeResult(keep, other mergeSide) mergeFlags {
	r := keep.mergeFlags
	if r.Birthday == "" {
		r.Birthday = other.Birthday
	}
	r.DNC = keep.DNC || other.DNC
	r.Marketing = keep.Marketing && other.Marketing
	r.SMS = keep.SMS && other.SMS
	r.Email = keep.Email && other.Email
	return r
}

// MergePreview lists where the two customers disagree and what the merge
// would keep, so a person can confirm it knowing that.
func (s *Service) MergePreview(ctx context.Context, keepID, otherID int64) ([]Conflict, error) {
	if keepID == otherID {
		return nil, problem.New("merge_self", "customer %d cannot be merged with itself", keepID)
	}
	keep, err := readSide(ctx, s.DB.Read, keepID)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	other, err := readSide(ctx, s.DB.Read, otherID)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	if err := mergeable(keepID, otherID, keep, other); err != nil {
		return nil, err
	}
	return conflicts(keep, other), nil
}

// mergeable refuses a row already merged into another, and a forgotten
// (erased) customer: a merge would bring a person back into their row.
func mergeable(keepID, otherID int64, keep, other mergeSide) error {
	for _, side := range []struct {
		id int64
		m  mergeSide
	}{{keepID, keep}, {otherID, other}} {
		if side.m.merged.Valid {
			return problem.New("merge_merged", "customer %d was merged into %d already", side.id, side.m.merged.Int64)
		}
		if side.m.name == ForgottenName {
			return problem.New("merge_forgotten", "customer %d was forgotten (erased on request): there is no one to merge", side.id)
		}
	}
	return nil
}

func conflicts(keep, other mergeSide) []Conflict {
	r := mergeResult(keep, other)
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	var out []Conflict
	add := func(field, k, o, res string) {
		if k != o && k != "" && o != "" {
			out = append(out, Conflict{Field: field, Keep: k, Other: o, Result: res})
		}
	}
	add("name", keep.name, other.name, keep.name)
	add("birthday", keep.Birthday, other.Birthday, r.Birthday)
	add("external_id", keep.ExternalID, other.ExternalID, "both kept: an import by either finds the kept customer")
	add("dnc", yes(keep.DNC), yes(other.DNC), yes(r.DNC))
	add("consent_marketing", yes(keep.Marketing), yes(other.Marketing), yes(r.Marketing))
	add("consent_sms", yes(keep.SMS), yes(other.SMS), yes(r.SMS))
	add("consent_email", yes(keep.Email), yes(other.Email), yes(r.Email))
	return out
}

// movedTables are crm's tables whose rows follow a merged customer.
var movedTables = []string{"phones", "emails", "purchases", "loyalty_ledger", "complaints", "interactions"}

// MergeIn moves everything crm holds about customer otherID to keepID
// through tx, records every moved row for an undo, and returns the
// merge's id. The other row stays, marked merged_into keep, without search
// keys. The queue's Merge calls it and moves the callbacks. It refuses
// while an agent holds a draft about the other customer.
func MergeIn(ctx context.Context, tx *db.Tx, actor Agent, keepID, otherID int64, now time.Time) (int64, []Conflict, error) {
	if keepID == otherID {
		return 0, nil, problem.New("merge_self", "customer %d cannot be merged with itself", keepID)
	}
	if err := LockCustomers(ctx, tx, keepID, otherID); err != nil {
		return 0, nil, err
	}
	keep, err := readSide(ctx, tx, keepID)
	if err != nil {
		return 0, nil, err
	}
	other, err := readSide(ctx, tx, otherID)
	if err != nil {
		return 0, nil, err
	}
	if err := mergeable(keepID, otherID, keep, other); err != nil {
		return 0, nil, err
	}
	var drafts int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM drafts WHERE customer_id = ?`, otherID).Scan(&drafts); err != nil {
		return 0, nil, err
	}
	if drafts > 0 {
		return 0, nil, problem.New("merge_draft", "an agent has an unsaved note about customer %d; merge after it is saved", otherID)
	}
	before, _ := json.Marshal(keep.mergeFlags)
	var mergeID int64
	err = tx.QueryRowContext(ctx, `INSERT INTO merges(keep_id, other_id, at, actor_id, actor, keep_points, other_points, keep_before)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, keepID, otherID, now.Unix(), actorID(actor), actor.Name, keep.points, other.points,
		string(before)).Scan(&mergeID)
	if err != nil {
		return 0, nil, err
	}
	for _, t := range movedTables {
		if _, err := tx.ExecContext(ctx, `INSERT INTO merge_moves(merge_id, tbl, row_id) SELECT ?, ?, id FROM `+t+` WHERE customer_id = ?`,
			mergeID, t, otherID); err != nil {
			return 0, nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET customer_id = ? WHERE customer_id = ?`, keepID, otherID); err != nil {
			return 0, nil, err
		}
	}
	// The kept customer's primary number and address stay primary.
	for _, t := range []string{"phones", "emails"} {
		if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET is_primary = 0 WHERE customer_id = ? AND is_primary <> 0
			AND id IN (SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?)
			AND EXISTS (SELECT 1 FROM `+t+` k WHERE k.customer_id = ? AND k.is_primary <> 0
				AND k.id NOT IN (SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?))`,
			keepID, mergeID, t, keepID, mergeID, t); err != nil {
			return 0, nil, err
		}
	}
	// Attributes the kept customer lacks move; the others stay as they are.
	if _, err := tx.ExecContext(ctx, `INSERT INTO merge_moves(merge_id, tbl, row_id, key) SELECT ?, 'customer_attributes', 0, key
		FROM customer_attributes o WHERE o.customer_id = ? AND NOT EXISTS
			(SELECT 1 FROM customer_attributes k WHERE k.customer_id = ? AND k.key = o.key)`, mergeID, otherID, keepID); err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customer_attributes SET customer_id = ? WHERE customer_id = ? AND key IN
		(SELECT key FROM merge_moves WHERE merge_id = ? AND tbl = 'customer_attributes')`, keepID, otherID, mergeID); err != nil {
		return 0, nil, err
	}
	for _, col := range []string{"referrer_id", "referred_id"} {
		cond, args := col+" = ?", []any{mergeID, "referrals." + col, otherID}
		if col == "referred_id" { // one referral in: the kept customer's, if any
			cond += " AND NOT EXISTS (SELECT 1 FROM referrals WHERE referred_id = ?)"
			args = append(args, keepID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO merge_moves(merge_id, tbl, row_id) SELECT ?, ?, id FROM referrals WHERE `+cond,
			args...); err != nil {
			return 0, nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET `+col+` = ? WHERE id IN
			(SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?)`, keepID, mergeID, "referrals."+col); err != nil {
			return 0, nil, err
		}
	}
	r := mergeResult(keep, other)
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET merged_into = ?, points = 0, updated_at = ?, updated_by = ?
		WHERE id = ?`, keepID, now.Unix(), actorID(actor), otherID); err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET points = ?, birthday = nullif(?, ''), dnc = ?,
		consent_marketing = ?, consent_sms = ?, consent_email = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		keep.points+other.points, r.Birthday, r.DNC, r.Marketing, r.SMS, r.Email, now.Unix(), actorID(actor), keepID); err != nil {
		return 0, nil, err
	}
	if err := afterMerge(ctx, tx, actor, keepID, otherID, now); err != nil {
		return 0, nil, err
	}
	c := conflicts(keep, other)
	text, _ := json.Marshal(c)
	return mergeID, c, WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: keepID, Action: "merge",
		From: fmt.Sprintf("customer %d", otherID), To: fmt.Sprintf("merge %d", mergeID), Reason: "conflicts: " + string(text)})
}

// afterMerge puts the search keys, tiers and segments right for both.
func afterMerge(ctx context.Context, tx *db.Tx, actor Agent, keepID, otherID int64, now time.Time) error {
	if err := reindex(ctx, tx, keepID); err != nil {
		return err
	}
	var merged sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT merged_into FROM customers WHERE id = ?`, otherID).Scan(&merged); err != nil {
		return err
	}
	if merged.Valid { // a merged row is found through the kept one only
		if err := dropKeys(ctx, tx, otherID); err != nil {
			return err
		}
	} else if err := reindex(ctx, tx, otherID); err != nil {
		return err
	}
	if err := Recompute(ctx, tx, actor, keepID, now); err != nil {
		return err
	}
	return Recompute(ctx, tx, actor, otherID, now)
}

// MergeMoves are the ids of table's rows a merge moved.
func MergeMoves(ctx context.Context, tx *db.Tx, mergeID int64, table string) ([]int64, error) {
	return IDs(ctx, tx, `SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?`, mergeID, table)
}

// RecordMergeMoves adds rows of another package's table (the queue's
// callbacks) to a merge's record.
func RecordMergeMoves(ctx context.Context, tx *db.Tx, mergeID int64, table string, ids []int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO merge_moves(merge_id, tbl, row_id) VALUES (?, ?, ?)`, mergeID, table, id); err != nil {
			return err
		}
	}
	return nil
}

// UndoMergeIn moves back, through tx, every row the merge moved, restores
// the kept customer's flags and both balances, and returns the two ids.
// Rows added to the kept customer since stay with them. The queue's
// UndoMerge calls it and moves the callbacks back.
func UndoMergeIn(ctx context.Context, tx *db.Tx, actor Agent, mergeID int64, now time.Time) (keepID, otherID int64, err error) {
	var keepPoints, otherPoints int64
	var before string
	var undone sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT keep_id, other_id, keep_points, other_points, keep_before, undone_at FROM merges WHERE id = ? FOR UPDATE`,
		mergeID).Scan(&keepID, &otherID, &keepPoints, &otherPoints, &before, &undone)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("merge %d: %w", mergeID, ErrNotFound)
	}
	if err != nil {
		return 0, 0, err
	}
	if undone.Valid {
		return 0, 0, problem.New("merge_undone", "merge %d was undone already", mergeID)
	}
	for _, t := range movedTables {
		if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET customer_id = ? WHERE customer_id = ? AND id IN
			(SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?)`, otherID, keepID, mergeID, t); err != nil {
			return 0, 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customer_attributes SET customer_id = ? WHERE customer_id = ? AND key IN
		(SELECT key FROM merge_moves WHERE merge_id = ? AND tbl = 'customer_attributes')`, otherID, keepID, mergeID); err != nil {
		return 0, 0, err
	}
	for _, col := range []string{"referrer_id", "referred_id"} {
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET `+col+` = ? WHERE id IN
			(SELECT row_id FROM merge_moves WHERE merge_id = ? AND tbl = ?)`, otherID, mergeID, "referrals."+col); err != nil {
			return 0, 0, err
		}
	}
	var f mergeFlags
	if err := json.Unmarshal([]byte(before), &f); err != nil {
		return 0, 0, fmt.Errorf("merge %d: the kept customer's fields before: %w", mergeID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET points = ?, birthday = nullif(?, ''), dnc = ?,
		consent_marketing = ?, consent_sms = ?, consent_email = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		keepPoints, f.Birthday, f.DNC, f.Marketing, f.SMS, f.Email, now.Unix(), actorID(actor), keepID); err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET merged_into = NULL, points = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		otherPoints, now.Unix(), actorID(actor), otherID); err != nil {
		return 0, 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?`, now.Unix(), actor.Name, mergeID); err != nil {
		return 0, 0, err
	}
	if err := afterMerge(ctx, tx, actor, keepID, otherID, now); err != nil {
		return 0, 0, err
	}
	return keepID, otherID, WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: keepID, Action: "merge_undo",
		From: fmt.Sprintf("merge %d", mergeID), To: fmt.Sprintf("customer %d", otherID)})
}

// Duplicate is another customer row that is likely the same person.
type Duplicate struct {
	ID   int64
	Name string
	Why  string // phone, email or name_birthday
}

// duplicatesOf finds customers that share a number, an address, or the
// name and birthday with customer id (merged rows aside), each once, by
// indexes only.
func duplicatesOf(ctx context.Context, tx *db.Tx, id int64) ([]Duplicate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.name, min(d.why) FROM (
			SELECT p2.customer_id AS other, 'phone' AS why FROM phones p1 JOIN phones p2 ON p2.e164 = p1.e164
				WHERE p1.customer_id = ? AND p1.e164 <> '' AND p2.customer_id <> ?
			UNION ALL SELECT e2.customer_id, 'email' FROM emails e1 JOIN emails e2 ON lower(e2.address) = lower(e1.address)
				WHERE e1.customer_id = ? AND e2.customer_id <> ?
			UNION ALL SELECT c2.id, 'name_birthday' FROM customers c1 JOIN customers c2
				ON c2.name = c1.name AND c2.birthday = c1.birthday
				WHERE c1.id = ? AND c1.birthday IS NOT NULL AND c2.birthday IS NOT NULL AND c2.id <> ?
		) d JOIN customers o ON o.id = d.other WHERE o.merged_into IS NULL GROUP BY o.id ORDER BY o.id LIMIT 5`, id, id, id, id, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Duplicate
	for rows.Next() {
		var d Duplicate
		if err := rows.Scan(&d.ID, &d.Name, &d.Why); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
