package crm

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"github.com/dangol/dangol/db"
)

// Ratio is a share with what it is made of, so a report can say "12 of 40"
// and a chart can skip a week with nothing to count.
type Ratio struct {
	Num, Den int
}

// Pct is the share in percent; -1 when there is nothing to count.
func (r Ratio) Pct() float64 {
	if r.Den == 0 {
		return -1
	}
	return 100 * float64(r.Num) / float64(r.Den)
}

// SLAFigure is how complaints did against one SLA clock: the median hours
// it took and the share within the SLA, of the complaints it applies to.
type SLAFigure struct {
	MedianHours float64 // -1 when none
	Within      Ratio
}

// CustomerFigures are the figures of customers the seed documents ask for,
// over [From, To). Agent, when set, limits the agent's own work (their
// notes' satisfaction and NPS, points they changed); the customer figures
// (retention, repeat purchases, complaints, referrals) are the team's.
type CustomerFigures struct {
	Retention      Ratio // customers who bought in the period before and again in this one, of those who bought before
	RepeatPurchase Ratio // customers with two or more purchases in the period, of those with one or more
	FirstResponse  SLAFigure
	Resolution     SLAFigure
	Satisfaction   float64 // average 1–5 of the contacts scored in the period; -1 when none
	Scored         int     // contacts with a satisfaction score
	NPS            float64 // promoters (9–10) minus detractors (0–6), in percent of the answers; -1000 when none
	Answers        int     // contacts with a recommend answer
	Referrals      int
	PointsIssued   int64 // earned and positive adjustments
	PointsRedeemed int64 // redeemed, as a positive number
}

// Figures computes the customer figures for [from, to). agentID 0 is the
// team.
func (s *Service) Figures(ctx context.Context, from, to time.Time, agentID int64) (CustomerFigures, error) {
	var f CustomerFigures
	sla := s.SLA(ctx)
	prev := from.Add(-to.Sub(from))
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		q := func(dst []any, query string, args ...any) error {
			return tx.QueryRowContext(ctx, query, args...).Scan(dst...)
		}
		if err := q([]any{&f.Retention.Den, &f.Retention.Num}, `SELECT count(*), coalesce(sum(again), 0) FROM (
			SELECT customer_id, CASE WHEN EXISTS (SELECT 1 FROM purchases p2 WHERE p2.customer_id = p.customer_id
				AND p2.purchased_at >= ? AND p2.purchased_at < ? AND p2.amount > 0) THEN 1 ELSE 0 END AS again
			FROM purchases p WHERE purchased_at >= ? AND purchased_at < ? AND amount > 0 GROUP BY customer_id) buyers`,
			from.Unix(), to.Unix(), prev.Unix(), from.Unix()); err != nil {
			return err
		}
		if err := q([]any{&f.RepeatPurchase.Den, &f.RepeatPurchase.Num}, `SELECT count(*), coalesce(sum(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0) FROM (
			SELECT count(*) AS n FROM purchases WHERE purchased_at >= ? AND purchased_at < ? AND amount > 0 GROUP BY customer_id) buyers`,
			from.Unix(), to.Unix()); err != nil {
			return err
		}
		var err error
		if f.FirstResponse, err = slaFigure(ctx, tx, `first_response_at`, sla.FirstResponse, from, to); err != nil {
			return err
		}
		if f.Resolution, err = slaFigure(ctx, tx, `resolved_at`, sla.Resolution, from, to); err != nil {
			return err
		}
		agentCond, agentArgs := "", []any{}
		if agentID != 0 {
			agentCond, agentArgs = " AND agent_id = ?", []any{agentID}
		}
		var avg sql.NullFloat64
		if err := q([]any{&f.Scored, &avg}, `SELECT count(satisfaction), avg(satisfaction) FROM interactions
			WHERE created_at >= ? AND created_at < ?`+agentCond, append([]any{from.Unix(), to.Unix()}, agentArgs...)...); err != nil {
			return err
		}
		f.Satisfaction = -1
		if avg.Valid {
			f.Satisfaction = avg.Float64
		}
		var promoters, detractors int
		if err := q([]any{&f.Answers, &promoters, &detractors}, `SELECT count(recommend), coalesce(sum(CASE WHEN recommend >= 9 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN recommend <= 6 THEN 1 ELSE 0 END), 0) FROM interactions WHERE created_at >= ? AND created_at < ?`+agentCond,
			append([]any{from.Unix(), to.Unix()}, agentArgs...)...); err != nil {
			return err
		}
		f.NPS = -1000
		if f.Answers > 0 {
			f.NPS = 100 * float64(promoters-detractors) / float64(f.Answers)
		}
		if err := q([]any{&f.Referrals}, `SELECT count(*) FROM referrals WHERE created_at >= ? AND created_at < ?`,
			from.Unix(), to.Unix()); err != nil {
			return err
		}
		byAgent, byArgs := "", []any{}
		if agentID != 0 {
			byAgent, byArgs = " AND created_by = ?", []any{agentID}
		}
		return q([]any{&f.PointsIssued, &f.PointsRedeemed}, `SELECT coalesce(sum(CASE WHEN delta > 0 THEN delta END), 0),
			coalesce(sum(CASE WHEN kind = 'redeem' THEN -delta END), 0) FROM loyalty_ledger
			WHERE created_at >= ? AND created_at < ?`+byAgent, append([]any{from.Unix(), to.Unix()}, byArgs...)...)
	})
	return f, s.DB.Describe(err)
}

// slaFigure measures one SLA clock over the complaints opened in [from,
// to): the median hours to the event (for those that had it), and the
// share that had it within the SLA (an open complaint past its SLA counts
// as missed; one still inside it is not counted yet).
func slaFigure(ctx context.Context, tx *db.Tx, column string, limit time.Duration, from, to time.Time) (SLAFigure, error) {
	rows, err := tx.QueryContext(ctx, `SELECT opened_at, `+column+` FROM complaints WHERE opened_at >= ? AND opened_at < ?`,
		from.Unix(), to.Unix())
	if err != nil {
		return SLAFigure{}, err
	}
	defer rows.Close()
	f := SLAFigure{MedianHours: -1}
	var hours []float64
	for rows.Next() {
		var opened int64
		var at sql.NullInt64
		if err := rows.Scan(&opened, &at); err != nil {
			return f, err
		}
		switch {
		case at.Valid:
			took := time.Duration(at.Int64-opened) * time.Second
			hours = append(hours, took.Hours())
			f.Within.Den++
			if took <= limit {
				f.Within.Num++
			}
		case to.Sub(time.Unix(opened, 0)) > limit:
			f.Within.Den++ // open and past its SLA at the end of the period: missed
		}
	}
	if n := len(hours); n > 0 {
		sort.Float64s(hours)
		f.MedianHours = (hours[(n-1)/2] + hours[n/2]) / 2
	}
	return f, rows.Err()
}

// ChurnBySegment counts the customers at churn risk now, by RFM segment,
// reading every customer's purchases and complaints once, in id order.
func (s *Service) ChurnBySegment(ctx context.Context, now time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		return eachRange(ctx, tx, func(people []History) error {
			for _, p := range people {
				if ComputeChurn(p.Purchases, p.Complaints, now).AtRisk {
					out[p.Segment]++
				}
			}
			return nil
		})
	})
	return out, s.DB.Describe(err)
}

// History is what the bulk figures need of one customer: the segment kept
// on the row, when they joined, their purchases (oldest first) and their
// complaints not resolved.
type History struct {
	ID         int64
	Segment    string
	Joined     time.Time
	Purchases  []Purchase
	Complaints []Complaint
}

// eachRange hands fn the customers (not merged into another), a range of
// ids at a time, in id order.
func eachRange(ctx context.Context, q db.Querier, fn func([]History) error) error {
	for from := int64(0); ; {
		people, err := nextRange(ctx, q, &from)
		if err != nil || len(people) == 0 {
			return err
		}
		if err := fn(people); err != nil {
			return err
		}
	}
}

// historiesIn reads the histories of the customers with ids in [from, to).
// Each query is read to its end before the next: PostgreSQL's connection
// reads one result at a time, and a range keeps the memory small.
func historiesIn(ctx context.Context, q db.Querier, from, to int64) ([]History, error) {
	var people []History
	err := eachRow(ctx, q, `SELECT id, segment, joined_at FROM customers WHERE id >= ? AND id < ? AND merged_into IS NULL ORDER BY id`,
		[]any{from, to}, func(rows *sql.Rows) error {
			var h History
			var joined int64
			if err := rows.Scan(&h.ID, &h.Segment, &joined); err != nil {
				return err
			}
			h.Joined = time.Unix(joined, 0)
			people = append(people, h)
			return nil
		})
	if err != nil || len(people) == 0 {
		return nil, err
	}
	ps, cs, err := churnInputs(ctx, q, `customer_id >= ? AND customer_id < ?`, []any{from, to})
	for i := range people {
		people[i].Purchases, people[i].Complaints = ps[people[i].ID], cs[people[i].ID]
	}
	return people, err
}

// churnInputs reads what the churn rules read, purchases (oldest first)
// and complaints not resolved, of the customers cond picks (a condition on
// customer_id), by customer.
func churnInputs(ctx context.Context, q db.Querier, cond string, args []any) (map[int64][]Purchase, map[int64][]Complaint, error) {
	ps, cs := map[int64][]Purchase{}, map[int64][]Complaint{}
	err := eachRow(ctx, q, `SELECT customer_id, amount, purchased_at FROM purchases WHERE `+cond+`
		ORDER BY customer_id, purchased_at`, args, func(rows *sql.Rows) error {
		var id, when int64
		var p Purchase
		if err := rows.Scan(&id, &p.Amount, &when); err != nil {
			return err
		}
		p.At = time.Unix(when, 0)
		ps[id] = append(ps[id], p)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = eachRow(ctx, q, `SELECT customer_id, status, opened_at, subject FROM complaints
		WHERE `+cond+` AND status <> 'resolved' ORDER BY customer_id, opened_at`, args, func(rows *sql.Rows) error {
		var id, when int64
		var c Complaint
		if err := rows.Scan(&id, &c.Status, &when, &c.Subject); err != nil {
			return err
		}
		c.OpenedAt = time.Unix(when, 0)
		cs[id] = append(cs[id], c)
		return nil
	})
	return ps, cs, err
}

// churnRange is how many customer ids the bulk figures read at a time.
const churnRange = 5000

// eachRow runs a query and hands each row to fn, reading the result to
// its end before it returns.
func eachRow(ctx context.Context, q db.Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
