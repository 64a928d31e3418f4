package crm

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// Scores are the RFM segment and churn flag of every customer, computed in
// bulk and kept with their date (customer_scores): what a campaign's
// segment expression reads, so a campaign over a million customers does
// not work them out again, and says which scoring it used.

// ScoreProgress is told how many customers are scored so far, of about
// how many.
type ScoreProgress func(done, total int)

// scoresAtKey is the meta row of when the last whole scoring ended (unix
// seconds): one row to read, where max(scored_at) read every score.
const scoresAtKey = "scores.at"

// ScoresAt is when the scores were last computed in full; zero when never
// (or when the last scoring was cut short).
func (s *Service) ScoresAt(ctx context.Context) (time.Time, error) {
	var v string
	err := s.DB.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, scoresAtKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, s.DB.Describe(err)
	}
	at, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, nil // a row written by hand: score again
	}
	return time.Unix(at, 0), nil
}

// ScoreAll computes every customer's RFM segment and churn flag at now
// and stores them, a range of customers per transaction so that agents'
// writes go on meanwhile, each with their best time to call under the
// models fitted first (FitBestTime).
// It returns how many customers it scored.
func (s *Service) ScoreAll(ctx context.Context, now time.Time, progress ScoreProgress) (int, error) {
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE merged_into IS NULL`).Scan(&total); err != nil {
		return 0, s.DB.Describe(err)
	}
	// The best time's models first: each range keeps its customers' best
	// times under them.
	models, err := s.FitBestTime(ctx)
	if err != nil {
		return 0, err
	}
	done := 0
	for from := int64(0); ; {
		var people []History
		var best map[int64]int
		err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
			start := from
			var err error
			if people, err = nextRange(ctx, tx, &from); err != nil || len(people) == 0 {
				return err
			}
			best, err = bestFromIn(ctx, tx, start, from, models)
			return err
		})
		if err != nil {
			return done, s.DB.Describe(err)
		}
		if len(people) == 0 {
			err := s.DB.Tx(ctx, func(tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
					ON CONFLICT(key) DO UPDATE SET value = excluded.value`, scoresAtKey, strconv.FormatInt(now.Unix(), 10))
				return err
			})
			return done, s.DB.Describe(err)
		}
		if err := s.DB.Tx(ctx, func(tx *db.Tx) error { return storeScores(ctx, tx, people, best, now) }); err != nil {
			return done, s.DB.Describe(err)
		}
		done += len(people)
		if progress != nil {
			progress(done, max(total, done))
		}
	}
}

// nextRange reads the next range of customers from *from on, and moves
// *from past it; none when no customer is left.
func nextRange(ctx context.Context, q db.Querier, from *int64) ([]History, error) {
	var next sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT min(id) FROM customers WHERE id >= ? AND merged_into IS NULL`, *from).Scan(&next); err != nil || !next.Valid {
		return nil, err
	}
	*from = next.Int64 + churnRange
	return historiesIn(ctx, q, next.Int64, *from)
}

// storeScores keeps people's scores at now, with their best times (best:
// the first local minute of the band; none when not sure).
func storeScores(ctx context.Context, tx *db.Tx, people []History, best map[int64]int, now time.Time) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO customer_scores(customer_id, segment, churn, recency_days, frequency, monetary, best_from, scored_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET segment = excluded.segment, churn = excluded.churn,
		recency_days = excluded.recency_days, frequency = excluded.frequency, monetary = excluded.monetary,
		best_from = excluded.best_from, scored_at = excluded.scored_at`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, p := range people {
		rfm := ComputeRFM(p.Purchases, p.Joined, now)
		churn := 0
		if ComputeChurn(p.Purchases, p.Complaints, now).AtRisk {
			churn = 1
		}
		var from any
		if m, ok := best[p.ID]; ok {
			from = m
		}
		if _, err := st.ExecContext(ctx, p.ID, rfm.Segment, churn, rfm.RecencyDays, rfm.Frequency, rfm.Monetary, from, now.Unix()); err != nil {
			return err
		}
	}
	return nil
}

// AtRiskAmong counts the customers of ids at churn risk at now, reading
// their purchases and open complaints (churnInputs) a few hundred customers
// at a time.
func AtRiskAmong(ctx context.Context, q db.Querier, ids []int64, now time.Time) (int, error) {
	const batch = 500
	n := 0
	for len(ids) > 0 {
		part := ids[:min(batch, len(ids))]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ") + ")"
		ps, cs, err := churnInputs(ctx, q, `customer_id IN `+marks, args)
		if err != nil {
			return 0, err
		}
		for _, id := range part {
			if ComputeChurn(ps[id], cs[id], now).AtRisk {
				n++
			}
		}
	}
	return n, nil
}
