package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// LedgerEntry is one change to a points balance.
type LedgerEntry struct {
	ID           int64
	Kind         string // earn, redeem, adjust, expire
	Delta        int64
	BalanceAfter int64
	Reason       string
	Agent        string // who; empty when dangol earned it on a purchase
	At           time.Time
}

// PointsChange is a change an agent makes to a balance.
type PointsChange struct {
	Kind   string // earn, redeem or adjust
	Points int64  // positive; redeem takes them away, adjust may be negative
	Reason string // why: required, it is what the customer will ask about
}

// ChangePoints earns, redeems or adjusts a customer's points. The balance
// never goes below zero, and every change names who made it and why.
func (s *Service) ChangePoints(ctx context.Context, actor Agent, customerID int64, c PointsChange) (int64, error) {
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" {
		return 0, problem.New("points_no_reason", "a points change needs a reason")
	}
	delta := c.Points
	switch c.Kind {
	case "earn":
		if c.Points <= 0 {
			return 0, problem.New("points_earn_positive", "earn a positive number of points")
		}
	case "redeem":
		if c.Points <= 0 {
			return 0, problem.New("points_redeem_positive", "redeem a positive number of points")
		}
		delta = -c.Points
	case "adjust":
		if c.Points == 0 {
			return 0, problem.New("points_adjust_zero", "an adjustment of 0 points changes nothing")
		}
	default:
		return 0, problem.New("points_kind", "points change %q: use earn, redeem or adjust", c.Kind)
	}
	now := s.now()
	var balance int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		balance, err = addLedger(ctx, tx, actor, customerID, c.Kind, delta, c.Reason, 0, now)
		return err
	})
	if err != nil {
		return 0, s.DB.Describe(err)
	}
	s.publishCustomer(customerID, actor, "points")
	return balance, nil
}

// BalanceError is a points change that would make the balance negative.
type BalanceError struct{ Balance, Taken int64 }

func (e *BalanceError) Error() string {
	return fmt.Sprintf("the balance is %dP; %dP cannot be taken away", e.Balance, e.Taken)
}

// addLedger writes a ledger row and the new balance, refusing a negative one.
func addLedger(ctx context.Context, tx *db.Tx, actor Agent, customerID int64, kind string, delta int64, reason string,
	purchaseID int64, now time.Time) (int64, error) {
	var balance int64
	err := tx.QueryRowContext(ctx, `SELECT points FROM customers WHERE id = ? FOR UPDATE`, customerID).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("customer %d: %w", customerID, ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	after := balance + delta
	if after < 0 {
		return 0, &BalanceError{Balance: balance, Taken: -delta}
	}
	var pid any
	if purchaseID != 0 {
		pid = purchaseID
	}
	var entry int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO loyalty_ledger(customer_id, kind, delta, balance_after, reason, purchase_id, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, customerID, kind, delta, after, reason, pid, now.Unix(), actorID(actor)).Scan(&entry); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET points = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		after, now.Unix(), actorID(actor), customerID); err != nil {
		return 0, err
	}
	return after, WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customerID, Action: "points",
		From: fmt.Sprint(balance), To: fmt.Sprint(after), Reason: fmt.Sprintf("%s %+d: %s (ledger %d)", kind, delta, reason, entry)})
}

// Ledger lists a customer's points changes, newest first.
func (s *Service) Ledger(ctx context.Context, customerID int64, limit int) ([]LedgerEntry, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT l.id, l.kind, l.delta, l.balance_after, l.reason, coalesce(a.name, ''), l.created_at
		FROM loyalty_ledger l LEFT JOIN agents a ON a.id = l.created_by
		WHERE l.customer_id = ? ORDER BY l.created_at DESC, l.id DESC LIMIT ?`, customerID, limit)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		var e LedgerEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Kind, &e.Delta, &e.BalanceAfter, &e.Reason, &e.Agent, &at); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddPurchase records a purchase (a negative amount is a refund), earns
// the points of the customer's tier (a refund takes back what it earned, as
// far as the balance allows), and recomputes the tier and segment.
func (s *Service) AddPurchase(ctx context.Context, actor Agent, customerID int64, item string, amount int64, channel string) error {
	item = strings.TrimSpace(item)
	if item == "" || amount == 0 {
		return problem.New("purchase_incomplete", "a purchase needs an item and an amount")
	}
	if channel == "" {
		channel = "phone"
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		// The tier, the balance and the purchases it recomputes from are
		// read under the customer's lock.
		if err := LockCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		var earnPct int64
		err := tx.QueryRowContext(ctx, `SELECT t.earn_pct FROM customers c JOIN tiers t ON t.code = c.tier WHERE c.id = ?`, customerID).Scan(&earnPct)
		if err != nil {
			return err
		}
		var pid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO purchases(customer_id, item, amount, channel, purchased_at, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, customerID, item, amount, channel, now.Unix(), now.Unix(), actorID(actor)).Scan(&pid); err != nil {
			return err
		}
		if err := WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customerID, Action: "purchase",
			To: fmt.Sprintf("%s %d", item, amount), Reason: fmt.Sprintf("purchase %d", pid)}); err != nil {
			return err
		}
		points := amount * earnPct / 100
		if points < 0 {
			var balance int64
			if err := tx.QueryRowContext(ctx, `SELECT points FROM customers WHERE id = ?`, customerID).Scan(&balance); err != nil {
				return err
			}
			points = max(points, -balance)
		}
		if points != 0 {
			kind := "earn"
			if points < 0 {
				kind = "adjust"
			}
			if _, err := addLedger(ctx, tx, actor, customerID, kind, points, "구매 적립: "+item, pid, now); err != nil {
				return err
			}
		}
		return Recompute(ctx, tx, actor, customerID, now)
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.publishCustomer(customerID, actor, "purchase")
	return nil
}

// Recompute derives the tier (spend and tenure rules) and the RFM segment
// of a customer from their purchases and stores them when they change, each
// change audited.
func Recompute(ctx context.Context, q db.Querier, actor Agent, customerID int64, now time.Time) error {
	var joined int64
	var tier, segment string
	if err := q.QueryRowContext(ctx, `SELECT joined_at, tier, segment FROM customers WHERE id = ?`, customerID).
		Scan(&joined, &tier, &segment); err != nil {
		return err
	}
	purchases, err := purchasesOf(ctx, q, customerID)
	if err != nil {
		return err
	}
	tiers, err := tiersIn(ctx, q)
	if err != nil {
		return err
	}
	rfm := ComputeRFM(purchases, time.Unix(joined, 0), now)
	newTier := TierFor(tiers, rfm.Monetary, now.Sub(time.Unix(joined, 0))).Code
	for _, ch := range []struct{ column, from, to string }{{"tier", tier, newTier}, {"segment", segment, rfm.Segment}} {
		if ch.from == ch.to {
			continue
		}
		if _, err := q.ExecContext(ctx, `UPDATE customers SET `+ch.column+` = ? WHERE id = ?`, ch.to, customerID); err != nil {
			return err
		}
		if err := WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customerID, Action: "edit",
			From: ch.column + "=" + ch.from, To: ch.column + "=" + ch.to, Reason: "recomputed from purchases"}); err != nil {
			return err
		}
	}
	return nil
}

func purchasesOf(ctx context.Context, q db.Querier, customerID int64) ([]Purchase, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, item, amount, purchased_at FROM purchases WHERE customer_id = ? ORDER BY purchased_at DESC`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Purchase
	for rows.Next() {
		var p Purchase
		var at int64
		if err := rows.Scan(&p.ID, &p.Item, &p.Amount, &at); err != nil {
			return nil, err
		}
		p.At = time.Unix(at, 0)
		out = append(out, p)
	}
	return out, rows.Err()
}

func tiersIn(ctx context.Context, q db.Querier) ([]Tier, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, rank, name_ko, name_en, min_spend, min_tenure_days, earn_pct,
		benefits_ko, benefits_en FROM tiers ORDER BY rank`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tier
	for rows.Next() {
		var t Tier
		if err := rows.Scan(&t.Code, &t.Rank, &t.NameKo, &t.NameEn, &t.MinSpend, &t.MinTenure, &t.EarnPct,
			&t.BenefitsKo, &t.BenefitsEn); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
