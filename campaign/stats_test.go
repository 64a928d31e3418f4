package campaign

import (
	"math/rand/v2"
	"testing"

	"github.com/dangol/dangol/crm"
)

// draw is how many of n succeed at rate p.
func draw(r *rand.Rand, n int, p float64) int {
	k := 0
	for range n {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

func TestNewcombeKeepsItsStatedRate(t *testing.T) {
	// Groups the size of a campaign's (90 % called, 10 % held out), no
	// effect at all: an interval that leaves out zero is a false verdict.
	// At 95 %, at most about 5 in 100 may be; allow the spread of 2,000
	// draws (sd 0.5 points).
	for _, c := range []struct {
		n1, n2 int
		p      float64
	}{{900, 100, 0.2}, {1800, 200, 0.05}, {90, 10, 0.3}, {5000, 500, 0.5}} {
		r := rand.New(rand.NewPCG(7, uint64(c.n1)))
		const runs = 2000
		false_ := 0
		for range runs {
			d := Newcombe(crm.Ratio{Num: draw(r, c.n1, c.p), Den: c.n1}, crm.Ratio{Num: draw(r, c.n2, c.p), Den: c.n2})
			if d.Significant() {
				false_++
			}
		}
		if rate := float64(false_) / runs; rate > 0.065 {
			t.Errorf("%d vs %d at %.2f: %.1f %% false effects, want at most about 5 %%", c.n1, c.n2, c.p, 100*rate)
		} else {
			t.Logf("%d vs %d at %.2f: %.1f %% false effects", c.n1, c.n2, c.p, 100*rate)
		}
	}
}

func TestNewcombeFindsARealEffect(t *testing.T) {
	// 20 % → 30 % over 1,800 called and 200 held out: found most times (its
	// power there is about 85 %), and the interval holds the true 10 points
	// about 95 times in 100.
	r := rand.New(rand.NewPCG(11, 12))
	const runs = 1000
	found, covered := 0, 0
	for range runs {
		d := Newcombe(crm.Ratio{Num: draw(r, 1800, 0.3), Den: 1800}, crm.Ratio{Num: draw(r, 200, 0.2), Den: 200})
		if d.Lo > 0 {
			found++
		}
		if d.Lo <= 10 && 10 <= d.Hi {
			covered++
		}
	}
	if found < 800 {
		t.Errorf("a 10-point effect found %d times in %d, want at least 800", found, runs)
	}
	if covered < 930 || covered > 975 {
		t.Errorf("the interval held the true effect %d times in %d, want about 950", covered, runs)
	}
	t.Logf("found %d, covered %d of %d", found, covered, runs)
}

func TestNewcombeAtTheEdges(t *testing.T) {
	for _, c := range []struct{ a, b crm.Ratio }{
		{crm.Ratio{Num: 0, Den: 50}, crm.Ratio{Num: 0, Den: 5}},
		{crm.Ratio{Num: 50, Den: 50}, crm.Ratio{Num: 5, Den: 5}},
		{crm.Ratio{Num: 0, Den: 0}, crm.Ratio{Num: 0, Den: 0}},
	} {
		d := Newcombe(c.a, c.b)
		if d.Significant() || d.Lo < -100 || d.Hi > 100 || d.Lo > d.D || d.D > d.Hi {
			t.Errorf("%v vs %v: %+v, want an interval around 0 inside ±100", c.a, c.b, d)
		}
	}
}
