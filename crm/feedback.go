package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// Feedback is what a customer said after a call: satisfaction 1–5 and how
// likely they are to recommend us, 0–10. A nil field was not asked.
type Feedback struct {
	Satisfaction *int
	Recommend    *int
}

// SetFeedback records the feedback of a call on its interaction, audited.
func (s *Service) SetFeedback(ctx context.Context, actor Agent, interactionID int64, f Feedback) error {
	if f.Satisfaction != nil && (*f.Satisfaction < 1 || *f.Satisfaction > 5) {
		return problem.New("satisfaction_range", "satisfaction %d: use 1 to 5", *f.Satisfaction)
	}
	if f.Recommend != nil && (*f.Recommend < 0 || *f.Recommend > 10) {
		return problem.New("recommend_range", "would recommend %d: use 0 to 10", *f.Recommend)
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE interactions SET satisfaction = coalesce(?, satisfaction),
			recommend = coalesce(?, recommend) WHERE id = ?`, f.Satisfaction, f.Recommend, interactionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("interaction %d: %w", interactionID, ErrNotFound)
		}
		var parts []string
		if f.Satisfaction != nil {
			parts = append(parts, fmt.Sprintf("satisfaction=%d", *f.Satisfaction))
		}
		if f.Recommend != nil {
			parts = append(parts, fmt.Sprintf("recommend=%d", *f.Recommend))
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "interaction", EntityID: interactionID,
			Action: "feedback", To: strings.Join(parts, " ")})
	})
	return s.DB.Describe(err)
}

// Referral names a customer on the other end of a referral.
type Referral struct {
	ID   int64
	Name string
}

// AddReferral records that referrer brought referred. A customer is
// referred once, and never by themselves.
func (s *Service) AddReferral(ctx context.Context, actor Agent, referrer, referred int64) error {
	if referrer == referred {
		return problem.New("referral_self", "a customer cannot refer themselves")
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		// Two agents recording a referral of one person at once take
		// turns, and the second sees the first's.
		if err := LockCustomer(ctx, tx, referred); err != nil {
			return err
		}
		var by string
		err := tx.QueryRowContext(ctx, `SELECT c.name FROM referrals r JOIN customers c ON c.id = r.referrer_id
			WHERE r.referred_id = ?`, referred).Scan(&by)
		if err == nil {
			return problem.New("referral_already", "customer %d was already referred by %s", referred, by)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referrals(referrer_id, referred_id, created_at, created_by) VALUES (?, ?, ?, ?)`,
			referrer, referred, now.Unix(), actorID(actor)); err != nil {
			if db.IsForeignKey(err) {
				return fmt.Errorf("customer %d or %d: %w", referrer, referred, ErrNotFound)
			}
			return err
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: referred, Action: "referral",
			To: fmt.Sprintf("referred by %d", referrer)})
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.publishCustomer(referred, actor, "referral")
	return nil
}
