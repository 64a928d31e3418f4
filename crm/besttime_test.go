package crm

import (
	"math/rand/v2"
	"testing"
	"time"
)

// planted is a customer with a hidden pattern (or none) and their calls.
type planted struct {
	band  int // the band answered with 0.6 (others 0.2); -1: none (all 0.3)
	calls []CallTry
}

// plant makes n customers, share of them with a hidden band, each with
// 8–15 calls at random hours of the calling day (08–21) on random days.
func plant(seed uint64, n int, share float64) []planted {
	r := rand.New(rand.NewPCG(seed, 27))
	kst := time.FixedZone("KST", 9*3600)
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, kst)
	out := make([]planted, n)
	for i := range out {
		p := planted{band: -1}
		if r.Float64() < share {
			p.band = r.IntN(Bands - 1) // a full two-hour band, 08–20
		}
		for range 8 + r.IntN(8) {
			at := start.AddDate(0, 0, r.IntN(180)).Add(time.Duration(8*60+r.IntN(13*60)) * time.Minute)
			prob := 0.3
			if p.band >= 0 {
				prob = 0.2
				if band(at.Hour()) == p.band {
					prob = 0.6
				}
			}
			p.calls = append(p.calls, CallTry{At: at, Answered: r.Float64() < prob})
		}
		out[i] = p
	}
	return out
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

func TestBestTimeHoldsOnHeldOutCalls(t *testing.T) {
	// The planted pattern: 60 % of customers answer one two-hour
	// band with 0.6 and other hours with 0.2; the rest answer 0.3 at any
	// hour. Each has 8–15 calls; every other call is held out, and the
	// model is fitted to, and suggests from, the other half only.
	for _, seed := range []uint64{1, 2, 3} {
		people := plant(seed, 3000, 0.6)
		var trains [][]CallTry
		for _, p := range people {
			train, _ := halves(p.calls)
			trains = append(trains, train)
		}
		model := Fit(trains)
		var inBand, inBandAnswered, all, allAnswered float64 // suggested customers' held-out calls
		var planted, flat, suggested, flatSuggested, right float64
		for _, p := range people {
			train, held := halves(p.calls)
			b := model.Suggest(train)
			if p.band < 0 {
				flat++
				if b.Confident() {
					flatSuggested++
				}
				continue
			}
			planted++
			if !b.Confident() {
				continue
			}
			suggested++
			if b.Band == p.band {
				right++
			}
			for _, c := range held {
				all++
				if c.Answered {
					allAnswered++
				}
				if band(c.At.Hour()) == b.Band {
					inBand++
					if c.Answered {
						inBandAnswered++
					}
				}
			}
		}
		lift := (inBandAnswered / inBand) / (allAnswered / all)
		t.Logf("seed %d (model %.2f share, %.2f/%.2f/%.2f): suggested for %.1f %% of planted (right %.0f %%), %.1f %% of flat; held-out calls in the band answered %.1f %% of %v, all %.1f %%: %.2fx",
			seed, model.Share, model.High, model.Low, model.Flat, 100*suggested/planted, 100*right/suggested, 100*flatSuggested/flat,
			100*inBandAnswered/inBand, inBand, 100*allAnswered/all, lift)
		switch {
		case lift < 1.5:
			t.Errorf("seed %d: suggested bands answered %.2fx the average, want at least 1.5x", seed, lift)
		case suggested/planted < 0.03:
			t.Errorf("seed %d: a suggestion for only %.1f %% of customers with a band", seed, 100*suggested/planted)
		case flatSuggested/flat > 0.10:
			t.Errorf("seed %d: a suggestion for %.1f %% of customers without a band: it claims more than it knows", seed, 100*flatSuggested/flat)
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
