package crm

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
)

// plant makes n customers, share of them with a hidden band, each with
// 8–15 calls at random hours of the calling day (08–21) on random days.
func plant(seed uint64, n int, share float64) []Planting {
	// A full two-hour band, 08–20.
	return plantIn(seed, 27, n, share, Bands-1, func(b int, at time.Time) bool { return BandOf(at.Hour()) == b })
}

// plantIn makes n customers, share of them with one of choices hidden
// patterns (Planting.Band) answered with 0.6 when holds and 0.2 otherwise,
// the rest 0.3 at any time, each with 8–15 calls at random days and hours
// of the calling day (08–21). stream keeps each kind of planting's draws
// its own.
func plantIn(seed, stream uint64, n int, share float64, choices int, holds func(int, time.Time) bool) []Planting {
	r := rand.New(rand.NewPCG(seed, stream))
	kst := time.FixedZone("KST", 9*3600)
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, kst) // a Monday
	out := make([]Planting, n)
	for i := range out {
		p := Planting{Band: -1}
		if r.Float64() < share {
			p.Band = r.IntN(choices)
		}
		for range 8 + r.IntN(8) {
			at := start.AddDate(0, 0, r.IntN(180)).Add(time.Duration(8*60+r.IntN(13*60)) * time.Minute)
			prob := 0.3
			if p.Band >= 0 {
				prob = 0.2
				if holds(p.Band, at) {
					prob = 0.6
				}
			}
			p.Calls = append(p.Calls, CallTry{At: at, Answered: r.Float64() < prob})
		}
		out[i] = p
	}
	return out
}

func TestBestTimeHoldsOnHeldOutCalls(t *testing.T) {
	// The planted pattern: 60 % of customers answer one two-hour
	// band with 0.6 and other hours with 0.2; the rest answer 0.3 at any
	// hour. Each has 8–15 calls; every other call is held out, and the
	// model is fitted to, and suggests from, the other half only.
	for _, seed := range []uint64{1, 2, 3} {
		h := CheckHeldOut(plant(seed, 3000, 0.6))
		t.Logf("seed %d: %s", seed, h)
		if short := h.Shortfall(); short != "" {
			t.Errorf("seed %d: %s", seed, short)
		}
	}
}

// plantDays makes n customers, share of them answering one of DayGroups
// with 0.6 and other days with 0.2 (the rest 0.3 any day).
func plantDays(seed uint64, n int, share float64) []Planting {
	return plantIn(seed, 28, n, share, len(DayGroups), func(g int, at time.Time) bool { return Days{Group: g}.Holds(at.Weekday()) })
}

func TestBestDaysHoldOnHeldOutCalls(t *testing.T) {
	// The bands' proof for the days of the week: 60 % of customers answer
	// one run of days (Sat–Sun, Mon–Wed, Tue–Thu or Wed–Fri) with 0.6
	// and other days with 0.2, the rest 0.3.
	for _, seed := range []uint64{1, 2, 3} {
		h := CheckHeldOutDays(plantDays(seed, 3000, 0.6))
		t.Logf("seed %d: %s", seed, h)
		if short := h.Shortfall(); short != "" {
			t.Errorf("seed %d: %s", seed, short)
		}
	}
}

func TestBestTimeWithNothingToGoOn(t *testing.T) {
	m := Fit(nil)
	if m != DefaultModel {
		t.Errorf("a fit to nothing: %+v", m)
	}
	if b := m.Suggest(nil); b.Band != -1 || b.Confident() || b.String() != "no calls yet" {
		t.Errorf("no calls: %+v %q", b, b.String())
	}
	night := time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC)
	if b := m.Suggest([]CallTry{{At: night, Answered: true}}); b.Band != -1 {
		t.Errorf("a call outside the calling day counted: %+v", b)
	}
	one := time.Date(2026, 6, 1, 18, 30, 0, 0, time.UTC)
	if b := m.Suggest([]CallTry{{At: one, Answered: true}}); b.Confident() {
		t.Errorf("one answered call made a confident suggestion: %+v", b)
	}
}

func TestBestTimeFromTheDatabase(t *testing.T) {
	// A customer who answers at 18–20 their time and not otherwise, twelve
	// calls over the weeks, among customers with a few calls at any hour:
	// the scoring fits the model, and the 360 offers 18–20.
	s := newDemo(t, 30)
	ctx := context.Background()
	ids, err := IDs(ctx, s.DB, `SELECT id FROM customers WHERE tz = 'Asia/Seoul' ORDER BY id LIMIT 30`)
	if err != nil || len(ids) < 10 {
		t.Fatalf("customers: %v %v", ids, err)
	}
	kst := time.FixedZone("KST", 9*3600)
	day := time.Date(2026, 9, 1, 0, 0, 0, 0, kst)
	r := rand.New(rand.NewPCG(4, 4))
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		for i, id := range ids {
			var cb int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO callbacks(customer_id, kind, due_at, state, created_at, updated_at)
				VALUES (?, 'service', ?, 'done', ?, ?) RETURNING id`, id, day.Unix(), day.Unix(), day.Unix()).Scan(&cb); err != nil {
				return err
			}
			for k := range 12 {
				at := day.AddDate(0, 0, 3*k).Add(time.Duration(8*60+r.IntN(13*60)) * time.Minute)
				answered := r.Float64() < 0.3
				if i == 0 { // the one with a band of their own
					at = day.AddDate(0, 0, 3*k).Add(18*time.Hour + time.Duration(r.IntN(110))*time.Minute)
					if k%3 == 2 {
						at = at.Add(-8 * time.Hour) // 10–12: never answered there
					}
					answered = k%3 != 2
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO call_outcomes(callback_id, customer_id, kind, disposition, reached,
					attempt, due_at, claimed_at, done_at) VALUES (?, ?, 'service', ?, ?, ?, ?, ?, ?)`,
					cb, id, map[bool]string{true: "resolved", false: "no_answer"}[answered], answered, k+1, at.Unix(), at.Unix(), at.Unix()+60); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ScoreAll(ctx, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	b, err := s.BestTimeOf(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("best time: %s, %.0f%% sure", b, 100*b.Sure)
	if !b.Confident() || b.From() != 18 || b.InBand != 8 || b.Answered != 8 || b.Calls != 12 {
		t.Errorf("best time %+v (%s), want a confident 18–20 from 8 of 8", b, b)
	}
	p, err := s.Profile(ctx, ids[0])
	if err != nil || p.BestTime != b {
		t.Errorf("the 360's best time %+v, %v; want %+v", p.BestTime, err, b)
	}
	// The customer's export says the same.
	var buf bytes.Buffer
	if err := s.ExportPerson(ctx, &buf, ids[0], kst); err != nil {
		t.Fatal(err)
	}
	var export struct {
		BestTime map[string]any `json:"best_time"`
	}
	if err := json.Unmarshal(buf.Bytes(), &export); err != nil || export.BestTime["from_hour"] != 18.0 || export.BestTime["confident"] != true {
		t.Errorf("export's best time: %v, %v", export.BestTime, err)
	}
	// The days too: the scoring kept their models (none of its own here:
	// too few customers with calls, so the default), and the export says
	// which run of days is likeliest and whether it is sure.
	var daysModel string
	if err := s.DB.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'besttime.days'`).Scan(&daysModel); err != nil || daysModel != "{}" {
		t.Errorf("the days' model: %q, %v", daysModel, err)
	}
	if days, ok := export.BestTime["days"].(map[string]any); !ok || days["confident"] != b.Days.Confident() || days["from"] == "" {
		t.Errorf("export's days: %v (the 360's %+v)", export.BestTime["days"], b.Days)
	}
	// Someone who answers 3 in 10 at any hour gets no confident band.
	unsure := 0
	for _, id := range ids[1:] {
		if b, err := s.BestTimeOf(ctx, id); err != nil || b.Confident() {
			unsure++
		}
	}
	if unsure > len(ids)/5 {
		t.Errorf("%d of %d customers with no band of their own got a confident suggestion", unsure, len(ids)-1)
	}
	// The scoring kept the same best times, for claim-next's tie-break:
	// 18:00 for the one, and a band only for those the 360 is sure of.
	for _, id := range ids {
		var from sql.NullInt64
		if err := s.DB.QueryRowContext(ctx, `SELECT best_from FROM customer_scores WHERE customer_id = ?`, id).Scan(&from); err != nil {
			t.Fatal(err)
		}
		b, _ := s.BestTimeOf(ctx, id)
		want := sql.NullInt64{}
		if b.Confident() {
			want = sql.NullInt64{Int64: int64(b.From() * 60), Valid: true}
		}
		if from != want || id == ids[0] && from.Int64 != 18*60 {
			t.Errorf("customer %d: the scoring kept best_from %v, the 360 says %s (%.2f sure)", id, from, b, b.Sure)
		}
	}
}
