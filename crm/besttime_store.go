package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/dangol/dangol/db"
)

// Where the best time's model lives, and a customer's calls are read from.

// bestTimeKey and bestDaysKey are the meta rows holding the fitted models
// of the bands and of the days, by RFM segment ("" is everyone's), as JSON.
const (
	bestTimeKey = "besttime.model"
	bestDaysKey = "besttime.days"
)

// fitSample is how many customers with calls a segment's model is fitted
// to at most (in id order): enough to fit four numbers, and the scoring's
// memory stays bounded on a million customers.
const fitSample = 50000

// minFit is how many customers with calls a segment needs for a model of
// its own; with fewer, everyone's is used, and with fewer in all,
// DefaultModel.
const minFit = 200

// triesLimit is how many of a customer's latest calls the suggestion reads.
const triesLimit = 200

// callTriesOf reads a customer's latest calls, in their zone.
func callTriesOf(ctx context.Context, q db.Querier, customerID int64, tz string) ([]CallTry, error) {
	loc := db.Zone(tz)
	var out []CallTry
	err := eachRow(ctx, q, `SELECT claimed_at, reached FROM call_outcomes WHERE customer_id = ? ORDER BY done_at DESC LIMIT ?`,
		[]any{customerID, triesLimit}, func(rows *sql.Rows) error {
			var at int64
			var c CallTry
			if err := rows.Scan(&at, &c.Answered); err != nil {
				return err
			}
			c.At = time.Unix(at, 0).In(loc)
			out = append(out, c)
			return nil
		})
	return out, err
}

// modelsFor are the fitted models of a segment, of the bands and of the
// days (each else everyone's, else DefaultModel), read in one query.
func modelsFor(ctx context.Context, q db.Querier, segment string) (hours, days Model, err error) {
	hours, days = DefaultModel, DefaultModel
	err = eachRow(ctx, q, `SELECT key, value FROM meta WHERE key IN (?, ?)`, []any{bestTimeKey, bestDaysKey}, func(rows *sql.Rows) error {
		var key, text string
		if err := rows.Scan(&key, &text); err != nil {
			return err
		}
		var models map[string]Model
		if json.Unmarshal([]byte(text), &models) != nil {
			return nil // a row written by hand: the default, not a failure
		}
		if key == bestTimeKey {
			hours = pickModel(models, segment)
		} else {
			days = pickModel(models, segment)
		}
		return nil
	})
	return hours, days, err
}

// pickModel is the segment's model among models, else everyone's, else
// DefaultModel.
func pickModel(models map[string]Model, segment string) Model {
	if m, ok := models[segment]; ok {
		return m
	}
	if m, ok := models[""]; ok {
		return m
	}
	return DefaultModel
}

// bestFromIn is the best time of each customer of the ids [from, to) who
// has one the model is sure of, as the first local minute of its band:
// what the scoring keeps (customer_scores.best_from). It reads each
// customer's latest triesLimit calls, as BestTimeOf does.
func bestFromIn(ctx context.Context, q db.Querier, from, to int64, models map[string]Model) (map[int64]int, error) {
	out := map[int64]int{}
	var cur int64 = -1
	var seg string
	var tries []CallTry
	flush := func() {
		if b := pickModel(models, seg).Suggest(tries); b.Confident() {
			out[cur] = b.From() * 60
		}
	}
	err := eachRow(ctx, q, `SELECT o.customer_id, c.tz, c.segment, o.claimed_at, o.reached FROM call_outcomes o
		JOIN customers c ON c.id = o.customer_id WHERE o.customer_id >= ? AND o.customer_id < ?
		ORDER BY o.customer_id, o.done_at DESC`, []any{from, to}, func(rows *sql.Rows) error {
		var id, at int64
		var tz, segment string
		var c CallTry
		if err := rows.Scan(&id, &tz, &segment, &at, &c.Answered); err != nil {
			return err
		}
		if id != cur {
			if cur >= 0 {
				flush()
			}
			cur, seg, tries = id, segment, tries[:0]
		}
		if len(tries) < triesLimit {
			c.At = time.Unix(at, 0).In(db.Zone(tz))
			tries = append(tries, c)
		}
		return nil
	})
	if cur >= 0 {
		flush()
	}
	return out, err
}

// BestTimeOf is a customer's best time to call now.
func (s *Service) BestTimeOf(ctx context.Context, customerID int64) (BestTime, error) {
	var out BestTime
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		var tz, segment string
		if err := tx.QueryRowContext(ctx, `SELECT tz, segment FROM customers WHERE id = ?`, customerID).Scan(&tz, &segment); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		var err error
		out, err = bestTimeIn(ctx, tx, customerID, tz, segment)
		return err
	})
	return out, s.DB.Describe(err)
}

func bestTimeIn(ctx context.Context, q db.Querier, customerID int64, tz, segment string) (BestTime, error) {
	none := BestTime{Band: -1, Days: Days{Group: -1}}
	m, md, err := modelsFor(ctx, q, segment)
	if err != nil {
		return none, err
	}
	tries, err := callTriesOf(ctx, q, customerID, tz)
	if err != nil {
		return none, err
	}
	b := m.Suggest(tries)
	b.Days = md.SuggestDays(tries)
	return b, nil
}

// FitBestTime fits the best time's models, of the bands and of the days,
// to the calls of up to fitSample customers per segment and stores them;
// the scoring runs it. It returns the bands' models.
func (s *Service) FitBestTime(ctx context.Context) (map[string]Model, error) {
	type pair struct{ h, d tally }
	bySeg := map[string][]pair{}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		var cur int64 = -1
		var seg string
		var loc *time.Location
		var t pair
		flush := func() {
			if cur >= 0 && t.h.n > 0 {
				if len(bySeg[seg]) < fitSample {
					bySeg[seg] = append(bySeg[seg], t)
				}
				if len(bySeg[""]) < fitSample {
					bySeg[""] = append(bySeg[""], t)
				}
			}
		}
		err := eachRow(ctx, tx, `SELECT o.customer_id, c.tz, c.segment, o.claimed_at, o.reached FROM call_outcomes o
			JOIN customers c ON c.id = o.customer_id ORDER BY o.customer_id`, nil, func(rows *sql.Rows) error {
			var id, at int64
			var tz, segment string
			var reached bool
			if err := rows.Scan(&id, &tz, &segment, &at, &reached); err != nil {
				return err
			}
			if id != cur {
				flush()
				cur, seg, loc, t = id, segment, db.Zone(tz), pair{}
			}
			when := time.Unix(at, 0).In(loc)
			t.h.add(byHour, when, reached)
			t.d.add(byDay, when, reached)
			return nil
		})
		flush()
		return err
	})
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	bands, weeks := map[string]Model{}, map[string]Model{}
	for seg, ps := range bySeg {
		if len(ps) < minFit { // fewer: DefaultModel, not a fit to a handful
			continue
		}
		hs, ds := make([]tally, len(ps)), make([]tally, len(ps))
		for i, p := range ps {
			hs[i], ds[i] = p.h, p.d
		}
		bands[seg], weeks[seg] = fit(byHour, hs), fit(byDay, ds)
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		for key, models := range map[string]map[string]Model{bestTimeKey: bands, bestDaysKey: weeks} {
			text, err := json.Marshal(models)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
				key, string(text)); err != nil {
				return err
			}
		}
		return nil
	})
	return bands, s.DB.Describe(err)
}
