package crm

import (
	"fmt"
	"math"
	"time"
)

// The best time to reach a customer: from their calls (answered or not, by
// the customer's local hour), the two-hour band of the calling day in which
// they answer best, with how sure that is.
//
// The estimate is empirical Bayes over a mixture: a customer either has
// one band in which they answer more often (rate High, elsewhere Low), or
// no such band (rate Flat everywhere). The mixture's share and rates are
// fitted to many customers' calls (their segment's, or everyone's: Fit),
// and each customer's own calls then give the chance that each band is
// theirs (Suggest). With few calls of their own the answer stays close to
// the many's: unsure.

// BandHours is the width of a band of the day; bands start at FirstBand.
const (
	BandHours = 2
	FirstBand = 8 // 08–10, 10–12, … 20–22
	Bands     = 7
)

// CallTry is one call: when it rang, in the customer's zone, and whether
// the customer answered.
type CallTry struct {
	At       time.Time // in the customer's zone
	Answered bool
}

// band is the band an hour falls in; -1 outside the calling day.
func band(hour int) int {
	b := (hour - FirstBand) / BandHours
	if hour < FirstBand || b >= Bands {
		return -1
	}
	return b
}

// tally is one customer's calls and answers by band.
type tally struct {
	calls, answered [Bands]float64
	n, a            float64
}

func tallyOf(tries []CallTry) tally {
	var t tally
	for _, c := range tries {
		b := band(c.At.Hour())
		if b < 0 {
			continue
		}
		t.calls[b]++
		t.n++
		if c.Answered {
			t.answered[b]++
			t.a++
		}
	}
	return t
}

// Model is the mixture fitted to many customers.
type Model struct {
	Share           float64 // of customers with a band of their own
	High, Low, Flat float64 // answer rates: in that band, outside it, and of the others
}

// DefaultModel is used before there are calls to fit: a weak pattern.
var DefaultModel = Model{Share: 0.3, High: 0.5, Low: 0.25, Flat: 0.3}

// posterior is the chance of each hypothesis for one customer: [0] no
// band of their own, [1+b] band b.
func (m Model) posterior(t tally) [Bands + 1]float64 {
	var logp [Bands + 1]float64
	ll := func(a, n, p float64) float64 { return a*math.Log(p) + (n-a)*math.Log(1-p) }
	logp[0] = math.Log(1-m.Share) + ll(t.a, t.n, m.Flat)
	for b := range Bands {
		logp[1+b] = math.Log(m.Share/Bands) + ll(t.answered[b], t.calls[b], m.High) + ll(t.a-t.answered[b], t.n-t.calls[b], m.Low)
	}
	top := logp[0]
	for _, v := range logp {
		top = max(top, v)
	}
	var out [Bands + 1]float64
	var sum float64
	for i, v := range logp {
		out[i] = math.Exp(v - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// Fit fits the mixture to customers' calls by expectation-maximisation,
// starting from DefaultModel.
func Fit(customers [][]CallTry) Model {
	ts := make([]tally, 0, len(customers))
	for _, c := range customers {
		ts = append(ts, tallyOf(c))
	}
	return fit(ts)
}

// fit is Fit over tallies. Rates are kept inside [0.01, 0.99].
func fit(all []tally) Model {
	m := DefaultModel
	var ts []tally
	for _, t := range all {
		if t.n > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return m
	}
	clamp := func(v float64) float64 { return min(0.99, max(0.01, v)) }
	for range 50 {
		var share, flatA, flatN, hiA, hiN, loA, loN float64
		for _, t := range ts {
			p := m.posterior(t)
			share += 1 - p[0]
			flatA, flatN = flatA+p[0]*t.a, flatN+p[0]*t.n
			for b := range Bands {
				w := p[1+b]
				hiA, hiN = hiA+w*t.answered[b], hiN+w*t.calls[b]
				loA, loN = loA+w*(t.a-t.answered[b]), loN+w*(t.n-t.calls[b])
			}
		}
		next := Model{Share: clamp(share / float64(len(ts))), High: m.High, Low: m.Low, Flat: m.Flat}
		if hiN > 0 {
			next.High = clamp(hiA / hiN)
		}
		if loN > 0 {
			next.Low = clamp(loA / loN)
		}
		if flatN > 0 {
			next.Flat = clamp(flatA / flatN)
		}
		m = next
	}
	return m
}

// BestTime is the suggestion for one customer.
type BestTime struct {
	Band     int     // the likeliest band of their own (0 is 08–10); -1 with no calls
	Sure     float64 // the chance that it is theirs
	Calls    int     // the customer's own calls in the calling day
	InBand   int     // of those, in the band
	Answered int     // of those, answered
}

// SureEnough is the chance above which a band is offered as the customer's
// best time; below it the suggestion says it cannot tell yet. Chosen on
// planted data (crm/besttime_test.go): with 4–7 calls of history, about 7 %
// of the customers with a band get a suggestion, answered 1.8 times as
// often as their average on calls it did not see, and about 5 % of those
// without a band get one.
const SureEnough = 0.3

// From is the band's first hour; To its end.
func (b BestTime) From() int { return FirstBand + b.Band*BandHours }
func (b BestTime) To() int   { return b.From() + BandHours }

// Confident reports whether the suggestion is worth acting on.
func (b BestTime) Confident() bool { return b.Band >= 0 && b.Sure >= SureEnough }

// String is the suggestion for a person, in English.
func (b BestTime) String() string {
	switch {
	case b.Band < 0:
		return "no calls yet"
	case !b.Confident():
		return fmt.Sprintf("no best time yet · %d calls", b.Calls)
	}
	return fmt.Sprintf("answers best %02d–%02d · %d of %d calls there", b.From(), b.To(), b.Answered, b.InBand)
}

// Suggest is a customer's best band under the model, from their calls.
func (m Model) Suggest(own []CallTry) BestTime {
	t := tallyOf(own)
	out := BestTime{Band: -1, Calls: int(t.n)}
	if t.n == 0 {
		return out
	}
	p := m.posterior(t)
	best := 0
	for b := range Bands {
		if p[1+b] > p[1+best] {
			best = b
		}
	}
	out.Band, out.Sure = best, p[1+best]
	out.InBand, out.Answered = int(t.calls[best]), int(t.answered[best])
	return out
}
