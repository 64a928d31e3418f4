package crm

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dangol/dangol/db"
)

// A customer's last contact is the latest time they were reached: a note
// or an imported interaction, or a call whose wrap-up says the customer
// answered. A call that did not reach them (no answer, busy) is an
// attempt, kept apart (Attempt), and a note written during that call does
// not count as a contact either. The customers row keeps the last contact
// for search and the 360; every writer moves it with MoveLastContact, and
// a change that can move it back (an unanswered wrap-up, an undo) has it
// worked out again with RecomputeLastContact.

// MoveLastContact moves customer's last contact to at, by channel and
// agent (0: nobody), unless it already is at or after at.
func MoveLastContact(ctx context.Context, q db.Querier, customer int64, at time.Time, channel Channel, agent int64) error {
	var agentID any
	if agent != 0 {
		agentID = agent
	}
	_, err := q.ExecContext(ctx, `UPDATE customers SET last_contact_at = ?, last_contact_channel = ?, last_contact_agent_id = ?
		WHERE id = ? AND coalesce(last_contact_at, 0) <= ?`, at.Unix(), string(channel), agentID, customer, at.Unix())
	return err
}

// RecomputeLastContact works customer's last contact out again from what
// happened: the interactions (less those written during a call that did
// not reach them) and the answered calls.
func RecomputeLastContact(ctx context.Context, q db.Querier, customer int64) error {
	var at int64
	var channel string
	var agent sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT t.at, t.channel, t.agent_id FROM (
			SELECT i.created_at AS at, i.channel AS channel, i.agent_id AS agent_id FROM interactions i
			WHERE i.customer_id = ? AND NOT EXISTS (SELECT 1 FROM call_outcomes o WHERE o.callback_id = i.callback_id
				AND o.reached = 0 AND i.created_at BETWEEN o.claimed_at AND o.done_at)
			UNION ALL
			SELECT o.done_at, 'phone', o.agent_id FROM call_outcomes o WHERE o.customer_id = ? AND o.reached = 1
		) t ORDER BY t.at DESC LIMIT 1`, customer, customer).Scan(&at, &channel, &agent)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = q.ExecContext(ctx, `UPDATE customers SET last_contact_at = NULL, last_contact_channel = NULL,
			last_contact_agent_id = NULL WHERE id = ?`, customer)
		return err
	}
	if err != nil {
		return err
	}
	var agentID any
	if agent.Valid {
		agentID = agent.Int64
	}
	_, err = q.ExecContext(ctx, `UPDATE customers SET last_contact_at = ?, last_contact_channel = ?, last_contact_agent_id = ?
		WHERE id = ?`, at, channel, agentID, customer)
	return err
}

// Attempt is the latest call that did not reach the customer.
type Attempt struct {
	At          time.Time
	Disposition string // its code: no_answer, busy, …
	LabelKo     string // the code's label, in Korean and in English
	LabelEn     string
	Agent       string
}

// lastAttempt reads customer's latest unanswered call after since (the
// zero Attempt when there is none).
func lastAttempt(ctx context.Context, tx *db.Tx, customer int64, since time.Time) (Attempt, error) {
	var a Attempt
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT o.done_at, o.disposition, d.label_ko, d.label_en, coalesce(a.name, '')
		FROM call_outcomes o JOIN dispositions d ON d.code = o.disposition LEFT JOIN agents a ON a.id = o.agent_id
		WHERE o.customer_id = ? AND o.done_at > ? AND o.reached = 0 ORDER BY o.done_at DESC LIMIT 1`,
		customer, since.Unix()).Scan(&at, &a.Disposition, &a.LabelKo, &a.LabelEn, &a.Agent)
	if errors.Is(err, sql.ErrNoRows) {
		return Attempt{}, nil
	}
	a.At = time.Unix(at, 0)
	return a, err
}
