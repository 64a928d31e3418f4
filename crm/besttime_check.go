package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/dangol/dangol/db"
)

// The proof of the best time on planted data: customers whose pattern is
// known, every other call held out; the models are fitted to, and suggest
// from, the other half only. The tests and the bench check it.

// Planting is one customer of planted data: the band they answer best
// (-1: none) and their calls.
type Planting struct {
	Band  int
	Calls []CallTry
}

// HeldOut is what the suggestions from half the calls did on the other half.
type HeldOut struct {
	Model                  Model
	Planted, Flat          int // customers with a band of their own, and without
	Suggested, Right       int // of the planted: a confident suggestion, and the planted band
	FlatSuggested          int // of the flat: a confident suggestion
	InBand, InBandAnswered int // the suggested customers' held-out calls in the suggested band
	Calls, Answered        int // all their held-out calls
}

// Lift is how much more often held-out calls in the suggested band were
// answered than the same customers' held-out calls at any hour.
func (h HeldOut) Lift() float64 {
	if h.InBand == 0 || h.Answered == 0 {
		return 0
	}
	return (float64(h.InBandAnswered) / float64(h.InBand)) / (float64(h.Answered) / float64(h.Calls))
}

// SuggestedShare and FlatShare are the shares of the planted and of the
// flat customers given a suggestion.
func (h HeldOut) SuggestedShare() float64 { return share(h.Suggested, h.Planted) }
func (h HeldOut) FlatShare() float64      { return share(h.FlatSuggested, h.Flat) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// halves splits a customer's calls: every other call is held out.
func halves(calls []CallTry) (train, held []CallTry) {
	for i, c := range calls {
		if i%2 == 0 {
			train = append(train, c)
		} else {
			held = append(held, c)
		}
	}
	return train, held
}

// CheckHeldOut fits a model of the bands to half of each customer's calls,
// suggests from that half, and counts what the other half says of the
// suggestions. CheckHeldOutDays does the same for the days (Planting.Band
// is then the planted one of DayGroups).
func CheckHeldOut(people []Planting) HeldOut     { return checkHeldOut(byHour, people, SureEnough) }
func CheckHeldOutDays(people []Planting) HeldOut { return checkHeldOut(byDay, people, SureDays) }

// checkHeldOut is the check for dimension d, a suggestion made from the
// chance sureAt on.
func checkHeldOut(d dimension, people []Planting, sureAt float64) HeldOut {
	trains := make([][]CallTry, len(people))
	for i, p := range people {
		trains[i], _ = halves(p.Calls)
	}
	h := HeldOut{Model: fitTries(d, trains)}
	for i, p := range people {
		_, held := halves(p.Calls)
		best, sure, _, _, _ := h.Model.suggest(d, trains[i])
		sureEnough := best >= 0 && sure >= sureAt
		if p.Band < 0 {
			h.Flat++
			if sureEnough {
				h.FlatSuggested++
			}
			continue
		}
		h.Planted++
		if !sureEnough {
			continue
		}
		h.Suggested++
		if best == p.Band {
			h.Right++
		}
		for _, c := range held {
			cell := d.cell(c.At)
			if cell < 0 {
				continue
			}
			h.Calls++
			if c.Answered {
				h.Answered++
			}
			if slices.Contains(d.hyps[best], cell) {
				h.InBand++
				if c.Answered {
					h.InBandAnswered++
				}
			}
		}
	}
	return h
}

// The bar the proof must clear (the issue's): held-out calls in suggested
// bands answered at least MinLift times the average, a suggestion for at
// least MinSuggested of the customers with a band and for at most
// MaxFlatSuggested of those without one.
const (
	MinLift          = 1.5
	MinSuggested     = 0.03
	MaxFlatSuggested = 0.10
)

// Shortfall is where the proof falls short of the bar, or "".
func (h HeldOut) Shortfall() string {
	switch {
	case h.Lift() < MinLift:
		return fmt.Sprintf("suggested bands answered %.2fx the average, want at least %.1fx", h.Lift(), MinLift)
	case h.SuggestedShare() < MinSuggested:
		return fmt.Sprintf("a suggestion for only %.1f %% of customers with a band", 100*h.SuggestedShare())
	case h.FlatShare() > MaxFlatSuggested:
		return fmt.Sprintf("a suggestion for %.1f %% of customers without a band: it claims more than it knows", 100*h.FlatShare())
	}
	return ""
}

// String is the proof's figures in a line.
func (h HeldOut) String() string {
	return fmt.Sprintf("model %.2f share, %.2f/%.2f/%.2f: suggested for %.1f %% of %d planted (right %d of %d), %.1f %% of %d flat; held-out calls in the band answered %d of %d, all %d of %d: %.2fx",
		h.Model.Share, h.Model.High, h.Model.Low, h.Model.Flat, 100*h.SuggestedShare(), h.Planted, h.Right, h.Suggested,
		100*h.FlatShare(), h.Flat, h.InBandAnswered, h.InBand, h.Answered, h.Calls, h.Lift())
}

// Plantings reads the calls of customers whose pattern is known (bands:
// customer → band, -1 for none), in each one's zone, oldest first.
func (s *Service) Plantings(ctx context.Context, bands map[int64]int) ([]Planting, error) {
	var out []Planting
	cur := int64(-1)
	err := eachRow(ctx, s.DB.Read, `SELECT o.customer_id, c.tz, o.claimed_at, o.reached FROM call_outcomes o
		JOIN customers c ON c.id = o.customer_id ORDER BY o.customer_id, o.done_at, o.id`, nil, func(rows *sql.Rows) error {
		var id, at int64
		var tz string
		var reached bool
		if err := rows.Scan(&id, &tz, &at, &reached); err != nil {
			return err
		}
		b, ok := bands[id]
		if !ok {
			return nil
		}
		if id != cur {
			cur = id
			out = append(out, Planting{Band: b})
		}
		p := &out[len(out)-1]
		p.Calls = append(p.Calls, CallTry{At: time.Unix(at, 0).In(db.Zone(tz)), Answered: reached})
		return nil
	})
	return out, s.DB.Describe(err)
}
