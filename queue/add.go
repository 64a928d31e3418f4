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

// DefaultMaxAttempts is how many calls a callback gets before it fails.
const DefaultMaxAttempts = 5

// NewCallback is a call promised to a customer.
type NewCallback struct {
	CustomerID  int64
	PhoneID     int64 // 0: the customer's best number (valid, then primary)
	Kind        string
	Reason      string
	Priority    int       // 1 (most urgent) to 5; 0 means 3
	Due         time.Time // when to call
	OwnerID     int64     // 0: the team pool
	MaxAttempts int       // 0 means DefaultMaxAttempts
}

// Add schedules a callback, created by actor, and audits it.
func (s *Service) Add(ctx context.Context, actor crm.Agent, n NewCallback) (Callback, error) {
	now := s.now()
	// An agent books callbacks for themselves or the pool; for another
	// agent, a supervisor books them (the refusal is audited).
	if n.OwnerID != 0 && n.OwnerID != actor.ID {
		if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "book a callback for another agent"); err != nil {
			return Callback{}, err
		}
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := checkConsent(ctx, tx, n); err != nil {
			return err
		}
		var err error
		id, err = s.insertCallback(ctx, tx, actor, n, now)
		return err
	})
	if err != nil {
		return Callback{}, s.DB.Describe(err)
	}
	s.publish(id, actor, "create")
	return s.Get(ctx, id)
}

func (s *Service) insertCallback(ctx context.Context, tx *db.Tx, actor crm.Agent, n NewCallback, now time.Time) (int64, error) {
	if n.Kind == "" {
		n.Kind = "service"
	}
	if n.Priority == 0 {
		n.Priority = 3
	}
	if n.Priority < 1 || n.Priority > 5 {
		return 0, problem.New("priority_range", "priority %d: use 1 (most urgent) to 5", n.Priority)
	}
	if n.MaxAttempts <= 0 {
		n.MaxAttempts = s.Policy().MaxAttempts
	}
	if n.Due.IsZero() {
		return 0, problem.New("callback_no_due", "a callback needs a due time")
	}
	n.Reason = strings.TrimSpace(n.Reason)
	var exists, dnc bool
	err := tx.QueryRowContext(ctx, `SELECT 1, dnc FROM customers WHERE id = ?`, n.CustomerID).Scan(&exists, &dnc)
	if err == sql.ErrNoRows {
		return 0, fmt.Errorf("customer %d: %w", n.CustomerID, crm.ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	if dnc {
		return 0, problem.New("callback_dnc", "customer %d is on the do-not-call list; no callback can be scheduled", n.CustomerID)
	}
	if n.PhoneID == 0 {
		// The customer's best number now: valid first, then primary.
		err := tx.QueryRowContext(ctx, `SELECT id FROM phones WHERE customer_id = ?
			ORDER BY invalid, is_primary DESC, id LIMIT 1`, n.CustomerID).Scan(&n.PhoneID)
		if err == sql.ErrNoRows {
			return 0, problem.New("callback_no_phone", "customer %d has no phone number to call back", n.CustomerID)
		}
		if err != nil {
			return 0, err
		}
	} else {
		var ok bool
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM phones WHERE id = ? AND customer_id = ?`, n.PhoneID, n.CustomerID).Scan(&ok)
		if err == sql.ErrNoRows {
			return 0, fmt.Errorf("phone %d is not a number of customer %d", n.PhoneID, n.CustomerID)
		}
		if err != nil {
			return 0, err
		}
	}
	var kindOK bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*) > 0 FROM call_windows WHERE kind = ?`, n.Kind).Scan(&kindOK); err != nil {
		return 0, err
	}
	if !kindOK {
		return 0, problem.New("kind_unknown", "kind %q: use service, complaint, sales or marketing", n.Kind)
	}
	var owner, phone any
	if n.OwnerID != 0 {
		owner = n.OwnerID
		if err := s.checkCap(ctx, tx, n.OwnerID, 0); err != nil {
			return 0, err
		}
	}
	if n.PhoneID != 0 {
		phone = n.PhoneID
	}
	var actorID any
	if actor.ID != 0 {
		actorID = actor.ID
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id,
		state, max_attempts, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?) RETURNING id`,
		n.CustomerID, phone, n.Kind, n.Reason, n.Priority, n.Due.Unix(), owner, n.MaxAttempts,
		now.Unix(), actorID, now.Unix(), actorID).Scan(&id)
	if err != nil {
		if db.IsForeignKey(err) {
			return 0, fmt.Errorf("agent %d: %w", n.OwnerID, crm.ErrNotFound)
		}
		return 0, err
	}
	return id, crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "callback", EntityID: id,
		Action: "create", To: string(Scheduled), Reason: fmt.Sprintf("due %s, %s", n.Due.Format(time.RFC3339), ownerText(owner))})
}

func ownerText(owner any) string {
	if owner == nil {
		return "team pool"
	}
	return fmt.Sprintf("agent %v", owner)
}

// checkConsent refuses, up front, a callback of a kind that needs the
// customer's consent (marketing: 정보통신망법 §50) for a customer who has
// not given it, as a claim would refuse the call, instead of letting it
// wait blocked in the queue. (A consent withdrawn after the booking still
// blocks the call: the demo has one.)
func checkConsent(ctx context.Context, tx *db.Tx, n NewCallback) error {
	if n.Kind == "" {
		return nil // service: no consent needed
	}
	var consent string
	err := tx.QueryRowContext(ctx, `SELECT consent FROM call_windows WHERE kind = ?`, n.Kind).Scan(&consent)
	if errors.Is(err, sql.ErrNoRows) || consent == "" {
		return nil // an unknown kind is refused by insertCallback
	}
	if err != nil {
		return err
	}
	var given bool
	err = tx.QueryRowContext(ctx, `SELECT CASE ? WHEN 'marketing' THEN consent_marketing WHEN 'sms' THEN consent_sms
		WHEN 'email' THEN consent_email ELSE 1 END FROM customers WHERE id = ?`, consent, n.CustomerID).Scan(&given)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // an unknown customer is refused by insertCallback
	}
	if err != nil {
		return err
	}
	if !given {
		return problem.New("callback_no_consent", "customer %d has not consented to %s contact; no %s callback can be scheduled",
			n.CustomerID, consent, n.Kind)
	}
	return nil
}
