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
	"github.com/dangol/dangol/problem"
)

// Disposition is a wrap-up code: what happened on the call and what the
// callback does next. They are rows of the dispositions table, not code.
type Disposition struct {
	Code       string
	LabelKo    string
	LabelEn    string
	Reached    bool          // the customer was spoken to
	Next       State         // done, scheduled or cancelled
	RetryDelay time.Duration // first retry delay; doubles with each attempt
	AsksDue    bool          // the agent gives the next due time
	Effect     string        // "", invalid_phone or dnc
	NeedsNote  bool          // a note of the call is required before this wrap-up
}

// Dispositions lists the wrap-up codes in display order.
func (s *Service) Dispositions(ctx context.Context) ([]Disposition, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT code, label_ko, label_en, reached, next_state, retry_minutes,
		asks_due, effect, needs_note FROM dispositions ORDER BY sort, code`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Disposition
	for rows.Next() {
		d, err := scanDisposition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func scanDisposition(row interface{ Scan(...any) error }) (Disposition, error) {
	var d Disposition
	var mins int
	err := row.Scan(&d.Code, &d.LabelKo, &d.LabelEn, &d.Reached, &d.Next, &mins, &d.AsksDue, &d.Effect, &d.NeedsNote)
	d.RetryDelay = time.Duration(mins) * time.Minute
	return d, err
}

// Wrapup is how a call ended.
type Wrapup struct {
	Disposition string    // code
	Due         time.Time // the next due time: required when the code asks for one, else it overrides the retry delay
	Note        string    // optional note of the call, stored as an interaction
}

// NoteRequiredError refuses a wrap-up whose code needs a note of the call
// when none was written since the claim.
type NoteRequiredError struct{ Code string }

func (e NoteRequiredError) Error() string {
	return fmt.Sprintf("wrap-up %s needs a note of the call: write it first (n), or give --note", e.Code)
}

// Outcome is what a disposition did.
type Outcome struct {
	Callback  Callback // the callback after the wrap-up
	Cancelled int      // other open callbacks of the customer cancelled (do not call)
}

// Done records how agent's call on a claimed callback ended and moves it
// on: done, scheduled again (retry with backoff, or a follow-up the agent
// or customer chose), cancelled, or failed at the last attempt. The
// disposition, its effects, the optional note and the audit rows commit
// together or not at all.
func (s *Service) Done(ctx context.Context, agent crm.Agent, id int64, w Wrapup) (Outcome, error) {
	now := s.now()
	if w.Note != "" {
		if err := crm.ValidateNote(w.Note); err != nil {
			return Outcome{}, err
		}
	}
	var out Outcome
	var cancelled []int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		cancelled = cancelled[:0]
		cb, err := lockCallback(ctx, tx, id)
		if err != nil {
			return err
		}
		if cb.State != Claimed || cb.ClaimedBy != agent.Name {
			if cb.State == Claimed {
				return problem.New("not_your_claim", "callback %d is %s's claim, not yours", id, cb.ClaimedBy)
			}
			return problem.New("claim_first", "callback %d is not claimed by %s (it is %s); claim it first", id, agent.Name, cb.State)
		}
		d, err := dispositionByCode(ctx, tx, w.Disposition)
		if err != nil {
			return err
		}
		if d.NeedsNote && strings.TrimSpace(w.Note) == "" {
			var notes int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE callback_id = ? AND agent_id = ?
				AND created_at >= coalesce((SELECT claimed_at FROM callbacks WHERE id = ?), 0)`, id, agent.ID, id).Scan(&notes); err != nil {
				return err
			}
			if notes == 0 {
				return NoteRequiredError{Code: d.Code}
			}
		}
		next, err := s.nextStep(ctx, tx, agent, cb, d, w, now)
		if err != nil {
			return err
		}
		switch d.Effect {
		case "dnc":
			if cancelled, err = s.setDNC(ctx, tx, agent, cb, now); err != nil {
				return err
			}
		case "invalid_phone":
			if err := markInvalid(ctx, tx, agent, cb, now); err != nil {
				return err
			}
		}
		if err := recordOutcome(ctx, tx, agent, cb, d, now); err != nil {
			return err
		}
		var owner any
		if next.owner != 0 {
			owner = next.owner
		}
		if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = ?, attempts = ?, due_at = ?, owner_id = ?,
			claimed_by = NULL, claimed_at = NULL, lease_until = NULL, disposition = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, next.state, next.attempts, next.due.Unix(), owner, d.Code, now.Unix(), agent.ID, id); err != nil {
			return err
		}
		if w.Note != "" {
			if _, err := crm.AddNoteTx(ctx, tx, agent, crm.NewNote{CustomerID: cb.CustomerID, Body: w.Note, CallbackID: id}, now); err != nil {
				return err
			}
		}
		if err := lastContact(ctx, tx, agent, cb, d, now); err != nil {
			return err
		}
		if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: agent, Entity: "callback", EntityID: id,
			Action: "disposition", From: string(Claimed), To: string(next.state), Reason: next.reason}); err != nil {
			return err
		}
		out.Callback, err = getCallback(ctx, tx, id)
		out.Cancelled = len(cancelled)
		return err
	})
	if err != nil {
		return Outcome{}, s.audited(ctx, agent, id, "wrap up", s.DB.Describe(err))
	}
	s.publish(id, agent, "disposition")
	for _, c := range cancelled {
		s.publish(c, agent, "cancel")
	}
	return out, nil
}

// recordOutcome keeps one row per wrap-up for the board and the figures:
// which attempt it was, when it was due, claimed and done, and whether
// the customer was reached.
func recordOutcome(ctx context.Context, tx *db.Tx, agent crm.Agent, cb Callback, d Disposition, now time.Time) error {
	var claimedAt sql.NullInt64
	var attempt int
	if err := tx.QueryRowContext(ctx, `SELECT claimed_at, (SELECT count(*) FROM call_outcomes WHERE callback_id = ?) + 1
		FROM callbacks WHERE id = ?`, cb.ID, cb.ID).Scan(&claimedAt, &attempt); err != nil {
		return err
	}
	if !claimedAt.Valid {
		claimedAt.Int64 = now.Unix()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO call_outcomes(callback_id, customer_id, agent_id, kind, disposition, reached,
		attempt, due_at, claimed_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		cb.ID, cb.CustomerID, agent.ID, cb.Kind, d.Code, d.Reached, attempt, cb.Due.Unix(), claimedAt.Int64, now.Unix())
	return err
}

// lastContact keeps the customer's last contact after a wrap-up: an
// answered call is one; an unanswered one is an attempt, and the notes
// written during it stop counting as a contact (crm.RecomputeLastContact).
func lastContact(ctx context.Context, tx *db.Tx, agent crm.Agent, cb Callback, d Disposition, now time.Time) error {
	if d.Reached {
		return crm.MoveLastContact(ctx, tx, cb.CustomerID, now, crm.ChannelPhone, agent.ID)
	}
	return crm.RecomputeLastContact(ctx, tx, cb.CustomerID)
}

// step is where a disposition sends a callback.
type step struct {
	state    State
	attempts int
	due      time.Time
	owner    int64 // 0: the pool
	reason   string
}

func (s *Service) nextStep(ctx context.Context, tx *db.Tx, agent crm.Agent, cb Callback, d Disposition, w Wrapup, now time.Time) (step, error) {
	st := step{state: d.Next, attempts: cb.Attempts, due: cb.Due, owner: ownerID(ctx, tx, cb)}
	st.reason = d.Code
	if !d.Reached {
		st.attempts++
	}
	switch d.Next {
	case Done, Cancelled:
		return st, nil
	}
	if d.AsksDue {
		if w.Due.IsZero() {
			return st, problem.New("wrapup_needs_due", "disposition %s needs the next due time", d.Code)
		}
	}
	if !w.Due.IsZero() && !w.Due.After(now) {
		return st, problem.New("wrapup_due_past", "the next due time %s is not in the future", w.Due.Format("2006-01-02 15:04"))
	}
	if d.Reached {
		// The customer was reached and a new call was promised: a fresh
		// start, owned by the agent who made the promise.
		st.attempts = 0
		st.owner = agent.ID
		if err := s.checkCap(ctx, tx, agent.ID, cb.ID); err != nil {
			st.owner = 0
			st.reason += "; to the pool: " + err.Error()
		}
	} else if st.attempts >= cb.MaxAttempts {
		st.state = Failed
		st.reason = fmt.Sprintf("%s; attempt %d of %d: failed", d.Code, st.attempts, cb.MaxAttempts)
		return st, nil
	}
	switch {
	case !w.Due.IsZero():
		st.due = w.Due
	default:
		st.due = now.Add(s.backoff(d.RetryDelay, st.attempts))
	}
	st.reason = fmt.Sprintf("%s; due %s; attempt %d of %d", st.reason, st.due.Format(time.RFC3339), st.attempts, cb.MaxAttempts)
	return st, nil
}

// backoff doubles the retry delay with each attempt, up to the policy's cap.
func (s *Service) backoff(first time.Duration, attempts int) time.Duration {
	d := first
	for i := 1; i < attempts && d < s.Policy().MaxRetryDelay; i++ {
		d *= 2
	}
	return min(d, s.Policy().MaxRetryDelay)
}

func ownerID(ctx context.Context, tx *db.Tx, cb Callback) int64 {
	var id sql.NullInt64
	tx.QueryRowContext(ctx, `SELECT owner_id FROM callbacks WHERE id = ?`, cb.ID).Scan(&id)
	return id.Int64
}

func dispositionByCode(ctx context.Context, tx *db.Tx, code string) (Disposition, error) {
	d, err := scanDisposition(tx.QueryRowContext(ctx, `SELECT code, label_ko, label_en, reached, next_state, retry_minutes,
		asks_due, effect, needs_note FROM dispositions WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		var codes []string
		rows, qerr := tx.QueryContext(ctx, `SELECT code FROM dispositions ORDER BY sort`)
		if qerr == nil {
			for rows.Next() {
				var c string
				rows.Scan(&c)
				codes = append(codes, c)
			}
			rows.Close()
		}
		return d, problem.New("disposition_unknown", "unknown disposition %q (use one of: %s)", code, strings.Join(codes, ", "))
	}
	return d, err
}

// setDNC puts the customer on the do-not-call list (crm's row) and cancels
// every other open callback of theirs (the queue's rows).
func (s *Service) setDNC(ctx context.Context, tx *db.Tx, agent crm.Agent, cb Callback, now time.Time) ([]int64, error) {
	if err := crm.SetDNC(ctx, tx, agent, cb.CustomerID, now, fmt.Sprintf("do-not-call asked on callback %d", cb.ID)); err != nil {
		return nil, err
	}
	return cancelOpen(ctx, tx, agent, cb.CustomerID, cb.ID, now, fmt.Sprintf("customer asked not to be called (callback %d)", cb.ID))
}

// markInvalid marks the number the callback was dialling as wrong.
func markInvalid(ctx context.Context, tx *db.Tx, agent crm.Agent, cb Callback, now time.Time) error {
	if cb.Phone.ID == 0 {
		return nil
	}
	return crm.MarkPhoneInvalid(ctx, tx, agent, cb.CustomerID, cb.Phone.ID, cb.Phone.E164, now,
		fmt.Sprintf("wrong number on callback %d", cb.ID))
}

// cancelOpen cancels every open callback of a customer but except, each
// audited, and returns their ids. A do-not-call request ends all of them.
func cancelOpen(ctx context.Context, q db.Querier, actor crm.Agent, customerID, except int64, now time.Time, reason string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, state FROM callbacks WHERE customer_id = ? AND id <> ?
		AND state IN ('scheduled', 'claimed') ORDER BY id FOR UPDATE`, customerID, except)
	if err != nil {
		return nil, err
	}
	type open struct {
		id    int64
		state string
	}
	var list []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.state); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var actorID any
	if actor.ID != 0 {
		actorID = actor.ID
	}
	var ids []int64
	for _, o := range list {
		if _, err := q.ExecContext(ctx, `UPDATE callbacks SET state = 'cancelled', claimed_by = NULL, claimed_at = NULL,
			lease_until = NULL, updated_at = ?, updated_by = ? WHERE id = ?`, now.Unix(), actorID, o.id); err != nil {
			return nil, err
		}
		if err := crm.WriteAudit(ctx, q, crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: o.id, Action: "cancel",
			From: o.state, To: string(Cancelled), Reason: reason}); err != nil {
			return nil, err
		}
		ids = append(ids, o.id)
	}
	return ids, nil
}

// checkCap refuses a new active personal callback for an agent at their cap.
// except is a callback already counted that is about to be replaced.
func (s *Service) checkCap(ctx context.Context, tx *db.Tx, agentID, except int64) error {
	if err := lockAgent(ctx, tx, agentID); err != nil {
		return err
	}
	var active int
	var cap sql.NullInt64
	var name string
	err := tx.QueryRowContext(ctx, `SELECT a.name, a.max_active, (SELECT count(*) FROM callbacks
		WHERE owner_id = a.id AND state IN ('scheduled', 'claimed') AND id <> ?) FROM agents a WHERE a.id = ?`,
		except, agentID).Scan(&name, &cap, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("agent %d: %w", agentID, crm.ErrNotFound)
	}
	if err != nil {
		return err
	}
	limit := s.Policy().MaxActive
	if cap.Valid {
		limit = int(cap.Int64)
	}
	if limit > 0 && active >= limit {
		return problem.New("agent_at_cap", "%s already has %d active callbacks (the limit is %d)", name, active, limit)
	}
	return nil
}

// UndoWindow is how long after a wrap-up its agent may take it back.
const UndoWindow = 2 * time.Minute

// UndoWrapup takes back agent's last wrap-up of a callback within
// UndoWindow, when nobody has changed the callback since: it is the
// agent's claim again, as before (attempts, due time, owner), and the
// outcome is struck from the figures. The undo is an audit row of its own;
// a note written with the wrap-up stays. Outcomes that act beyond the
// callback (do not call, wrong number) cannot be undone this way.
func (s *Service) UndoWrapup(ctx context.Context, agent crm.Agent, before Callback) (Callback, error) {
	now := s.now()
	var out Callback
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := lockCallback(ctx, tx, before.ID); err != nil {
			return err
		}
		var outcomeID, doneAt int64
		var code string
		err := tx.QueryRowContext(ctx, `SELECT id, done_at, disposition FROM call_outcomes WHERE callback_id = ? AND agent_id = ?
			ORDER BY id DESC LIMIT 1`, before.ID, agent.ID).Scan(&outcomeID, &doneAt, &code)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.New("undo_none", "callback %d has no wrap-up of yours to undo", before.ID)
		}
		if err != nil {
			return err
		}
		if now.Sub(time.Unix(doneAt, 0)) > UndoWindow {
			return problem.New("undo_too_late", "the wrap-up of callback %d is more than %d minutes old", before.ID, int(UndoWindow/time.Minute))
		}
		d, err := dispositionByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if d.Effect != "" {
			return problem.New("undo_final", "%s cannot be undone here: it changed the customer too", code)
		}
		var updatedAt int64
		var updatedBy sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT updated_at, updated_by FROM callbacks WHERE id = ?`, before.ID).Scan(&updatedAt, &updatedBy); err != nil {
			return err
		}
		if updatedAt != doneAt || updatedBy.Int64 != agent.ID {
			return problem.New("undo_changed", "callback %d changed after your wrap-up; it is left as it is", before.ID)
		}
		var owner any
		if before.Owner != "" {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM agents WHERE name = ?`, before.Owner).Scan(&id); err != nil {
				return err
			}
			owner = id
		}
		var disp any
		if before.Disposition != "" {
			disp = before.Disposition
		}
		claimedAt := before.ClaimedAt
		if claimedAt.IsZero() {
			claimedAt = now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = 'claimed', claimed_by = ?, claimed_at = ?, lease_until = ?,
			attempts = ?, due_at = ?, owner_id = ?, disposition = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			agent.ID, claimedAt.Unix(), now.Add(s.Policy().Lease).Unix(), before.Attempts, before.Due.Unix(), owner, disp,
			now.Unix(), agent.ID, before.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM call_outcomes WHERE id = ?`, outcomeID); err != nil {
			return err
		}
		if err := crm.RecomputeLastContact(ctx, tx, before.CustomerID); err != nil {
			return err
		}
		if err := crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: agent, Entity: "callback", EntityID: before.ID,
			Action: "undo_wrapup", From: code, To: string(Claimed), Reason: "taken back by the agent"}); err != nil {
			return err
		}
		out, err = getCallback(ctx, tx, before.ID)
		return err
	})
	if err != nil {
		return Callback{}, s.DB.Describe(err)
	}
	s.publish(before.ID, agent, "undo_wrapup")
	return out, nil
}
