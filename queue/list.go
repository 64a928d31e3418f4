package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// callbackSelect reads a callback with its customer, number and people.
// The number is the callback's own phone, else the customer's primary.
// The people's names are subqueries, not joins: with three more joins
// PostgreSQL took 3–5 ms to plan the window's rows (a console's every
// reload), against 0.4–0.9 ms.
const callbackSelect = `SELECT cb.id, cb.customer_id, c.name,
	coalesce(p.id, 0), coalesce(p.e164, ''), coalesce(p.raw, ''), coalesce(p.kind, ''), coalesce(p.invalid, 0),
	cb.kind, cb.reason, cb.priority, cb.due_at, coalesce((SELECT name FROM agents WHERE id = cb.owner_id), ''),
	cb.state, cb.attempts, cb.max_attempts, coalesce((SELECT name FROM agents WHERE id = cb.claimed_by), ''),
	cb.lease_until, coalesce(cb.disposition, ''), cb.created_at, coalesce((SELECT name FROM agents WHERE id = cb.created_by), ''),
	c.tz, c.dnc, coalesce(cb.window_start_min, cw.start_min), coalesce(cb.window_end_min, cw.end_min), cw.exempt,
	c.tier, coalesce(cb.claimed_at, 0), cw.consent,
	CASE cw.consent WHEN 'marketing' THEN c.consent_marketing WHEN 'sms' THEN c.consent_sms
		WHEN 'email' THEN c.consent_email ELSE 1 END, coalesce(cb.campaign_id, 0)
	FROM callbacks cb
	JOIN customers c ON c.id = cb.customer_id
	JOIN call_windows cw ON cw.kind = cb.kind
	LEFT JOIN phones p ON p.id = coalesce(cb.phone_id,
		(SELECT id FROM phones WHERE customer_id = cb.customer_id ORDER BY invalid, is_primary DESC, id LIMIT 1))`

func scanCallback(row interface{ Scan(...any) error }) (Callback, error) {
	var c Callback
	var due, created int64
	var lease *int64
	var claimedAt int64
	err := row.Scan(&c.ID, &c.CustomerID, &c.CustomerName,
		&c.Phone.ID, &c.Phone.E164, &c.Phone.Raw, &c.Phone.Kind, &c.Phone.Invalid,
		&c.Kind, &c.Reason, &c.Priority, &due, &c.Owner, &c.State, &c.Attempts, &c.MaxAttempts,
		&c.ClaimedBy, &lease, &c.Disposition, &created, &c.CreatedBy,
		&c.CustomerTZ, &c.DNC, &c.Window.StartMin, &c.Window.EndMin, &c.Window.Exempt, &c.Tier, &claimedAt,
		&c.NeedsConsent, &c.HasConsent, &c.CampaignID)
	c.Due, c.CreatedAt = time.Unix(due, 0), time.Unix(created, 0)
	if claimedAt != 0 {
		c.ClaimedAt = time.Unix(claimedAt, 0)
	}
	c.Phone.Local = crm.FormatPhone(c.Phone.E164)
	if lease != nil {
		c.LeaseUntil = time.Unix(*lease, 0)
	}
	return c, err
}

// openStates is the condition of a callback that is still to be worked.
const openStates = ` cb.state IN ('scheduled', 'claimed')`

// deactivated is crm.ErrDeactivated when the agent was deactivated: their
// console shows nothing more. An agent not found reads as active (the
// queries that follow say what is wrong).
func deactivated(ctx context.Context, q db.Querier, agent crm.Agent) error {
	var active bool
	if err := q.QueryRowContext(ctx, `SELECT active FROM agents WHERE id = ?`, agent.ID).Scan(&active); err == nil && !active {
		return crm.ErrDeactivated
	}
	return nil
}

// OpenFor lists a customer's open callbacks, soonest first, for the 360.
func (s *Service) OpenFor(ctx context.Context, customerID int64) ([]Callback, error) {
	cbs, err := queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE cb.customer_id = ? AND`+openStates+`
		ORDER BY cb.due_at, cb.id`, customerID)
	return cbs, s.DB.Describe(err)
}

// Get reads one callback.
func (s *Service) Get(ctx context.Context, id int64) (Callback, error) {
	c, err := getCallback(ctx, s.DB.Read, id)
	return c, s.DB.Describe(err)
}

func getCallback(ctx context.Context, q db.Querier, id int64) (Callback, error) {
	c, err := scanCallback(q.QueryRowContext(ctx, callbackSelect+` WHERE cb.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Callback{}, fmt.Errorf("callback %d: %w", id, crm.ErrNotFound)
	}
	return c, err
}

// lockRow locks callback id alone, before it is read with its joins.
// Locked in the same statement as the joins, PostgreSQL would give the
// callback as the writer before left it, but its joined rows (the owner's
// name) as the statement first found them: a supervisor's bulk move saw a
// callback already moved to junho still "in the pool" and moved it again
// (TestBulkMovesAtOnceMoveEachCallbackOnce on PostgreSQL). A missing
// callback is no error here; the read after says so.
func lockRow(ctx context.Context, tx *db.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM callbacks WHERE id = ? FOR UPDATE`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) || tx.Engine().Name() == "sqlite" {
		return nil
	}
	return err
}

// lockCallback reads callback id for a change, under its row lock: two
// writers of one callback take turns, and the second reads what the
// first wrote. (SQLite's write transaction already holds the database:
// see db.SQLite.)
func lockCallback(ctx context.Context, tx *db.Tx, id int64) (Callback, error) {
	if err := lockRow(ctx, tx, id); err != nil {
		return Callback{}, err
	}
	c, err := scanCallback(tx.QueryRowContext(ctx, callbackSelect+` WHERE cb.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Callback{}, fmt.Errorf("callback %d: %w", id, crm.ErrNotFound)
	}
	return c, err
}

// lockAgent takes an agent's row lock before their callbacks are counted
// against their cap: every path that gives an agent a personal callback
// counts under it, so two at once cannot both find the last place free.
// An agent that does not exist is crm.ErrNotFound.
func lockAgent(ctx context.Context, tx *db.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM agents WHERE id = ? FOR UPDATE`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("agent %d: %w", id, crm.ErrNotFound)
	}
	return err
}

func queryCallbacks(ctx context.Context, q db.Querier, query string, args ...any) ([]Callback, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Callback
	for rows.Next() {
		c, err := scanCallback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
