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

// BandOf is the band an hour falls in; -1 outside the calling day.
func BandOf(hour int) int {
	b := (hour - FirstBand) / BandHours
	if hour < FirstBand || b >= Bands {
		return -1
	}
	return b
}

// cells is how many cells a dimension of the calling week has: the bands
// of the day, or the days of the week.
const cells = 7

// dimension is one way of cutting a customer's calls: each call falls in
// a cell (or none), and each hypothesis is the set of cells a customer
// answers better in.
type dimension struct {
	cell func(time.Time) int
	hyps [][]int
}

// DayGroups are the runs of days (0 is Monday) a customer may answer best
// on: the weekend, and three runs of three working days. The working week
// as a whole is not one: answering on five days of seven is close to
// answering any day, and with it the suggested days' held-out calls were
// answered only 1.38–1.41× as often as the customer's average (planted
// data, crm/besttime_test.go).
var DayGroups = [][2]int{{5, 6}, {0, 2}, {1, 3}, {2, 4}}

var (
	byHour = dimension{cell: func(t time.Time) int { return BandOf(t.Hour()) }, hyps: [][]int{{0}, {1}, {2}, {3}, {4}, {5}, {6}}}
	byDay  = dimension{cell: func(t time.Time) int {
		if BandOf(t.Hour()) < 0 {
			return -1 // outside the calling day: not counted in either
		}
		return dayOf(t.Weekday())
	}, hyps: runs(DayGroups)}
)

// dayOf is a weekday's place in DayGroups' days: 0 is Monday.
func dayOf(w time.Weekday) int { return (int(w) + 6) % 7 }

func runs(groups [][2]int) [][]int {
	out := make([][]int, len(groups))
	for i, g := range groups {
		for d := g[0]; d <= g[1]; d++ {
			out[i] = append(out[i], d)
		}
	}
	return out
}

// tally is one customer's calls and answers by cell.
type tally struct {
	calls, answered [cells]float64
	n, a            float64
}

func tallyOf(d dimension, tries []CallTry) tally {
	var t tally
	for _, c := range tries {
		t.add(d, c.At, c.Answered)
	}
	return t
}

func (t *tally) add(d dimension, at time.Time, answered bool) {
	c := d.cell(at)
	if c < 0 {
		return
	}
	t.calls[c]++
	t.n++
	if answered {
		t.answered[c]++
		t.a++
	}
}

// in is the calls and answers of the tally inside hypothesis h's cells.
func (t tally) in(h []int) (a, n float64) {
	for _, c := range h {
		a, n = a+t.answered[c], n+t.calls[c]
	}
	return a, n
}

// Model is the mixture fitted to many customers, for one dimension.
type Model struct {
	Share           float64 // of customers with a band (or days) of their own
	High, Low, Flat float64 // answer rates: in that band, outside it, and of the others
}

// DefaultModel is used before there are calls to fit: a weak pattern.
var DefaultModel = Model{Share: 0.3, High: 0.5, Low: 0.25, Flat: 0.3}

// posterior is the chance of each hypothesis for one customer: [0] none
// of their own, [1+h] hypothesis h of d.
func (m Model) posterior(d dimension, t tally) []float64 {
	logp := make([]float64, len(d.hyps)+1)
	ll := func(a, n, p float64) float64 { return a*math.Log(p) + (n-a)*math.Log(1-p) }
	logp[0] = math.Log(1-m.Share) + ll(t.a, t.n, m.Flat)
	for h, cells := range d.hyps {
		a, n := t.in(cells)
		logp[1+h] = math.Log(m.Share/float64(len(d.hyps))) + ll(a, n, m.High) + ll(t.a-a, t.n-n, m.Low)
	}
	top := logp[0]
	for _, v := range logp {
		top = max(top, v)
	}
	var sum float64
	for i, v := range logp {
		logp[i] = math.Exp(v - top)
		sum += logp[i]
	}
	for i := range logp {
		logp[i] /= sum
	}
	return logp
}

// Fit fits the bands' mixture to customers' calls by
// expectation-maximisation, starting from DefaultModel; FitDays the days'.
func Fit(customers [][]CallTry) Model     { return fitTries(byHour, customers) }
func FitDays(customers [][]CallTry) Model { return fitTries(byDay, customers) }

func fitTries(d dimension, customers [][]CallTry) Model {
	ts := make([]tally, 0, len(customers))
	for _, c := range customers {
		ts = append(ts, tallyOf(d, c))
	}
	return fit(d, ts)
}

// fit is Fit over tallies. Rates are kept inside [0.01, 0.99].
func fit(d dimension, all []tally) Model {
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
			p := m.posterior(d, t)
			share += 1 - p[0]
			flatA, flatN = flatA+p[0]*t.a, flatN+p[0]*t.n
			for h, cells := range d.hyps {
				w := p[1+h]
				a, n := t.in(cells)
				hiA, hiN = hiA+w*a, hiN+w*n
				loA, loN = loA+w*(t.a-a), loN+w*(t.n-n)
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
	Days     Days    // the days of the week, likewise
}

// Days is the suggestion of the days of the week a customer answers best.
type Days struct {
	Group    int     // the likeliest of DayGroups; -1 with no calls
	Sure     float64 // the chance that it is theirs
	In       int     // of the calls, on those days
	Answered int     // of those, answered
}

// SureEnough is the chance above which a band is offered as the customer's
// best time; below it the suggestion says it cannot tell yet. Chosen on
// planted data (crm/besttime_test.go): with 4–7 calls of history, about 7 %
// of the customers with a band get a suggestion, answered 1.8 times as
// often as their average on calls it did not see, and about 5 % of those
// without a band get one.
const SureEnough = 0.3

// SureDays is the same for the days. Four runs of days share the chance
// that seven bands share, so the bar is higher: at 0.3, 25–32 % of the
// customers without days of their own got some (planted data); at 0.5,
// 4–8 %, and the held-out calls on the suggested days of 12–16 % of those
// with days were answered 1.54–1.56× their average.
const SureDays = 0.5

// From is the band's first hour; To its end.
func (b BestTime) From() int { return FirstBand + b.Band*BandHours }
func (b BestTime) To() int   { return b.From() + BandHours }

// Confident reports whether the band is worth acting on.
func (b BestTime) Confident() bool { return b.Band >= 0 && b.Sure >= SureEnough }

// Confident reports whether the days are worth acting on.
func (d Days) Confident() bool { return d.Group >= 0 && d.Sure >= SureDays }

// Holds reports whether a weekday is one of the days.
func (d Days) Holds(w time.Weekday) bool {
	if d.Group < 0 {
		return false
	}
	day := dayOf(w)
	return DayGroups[d.Group][0] <= day && day <= DayGroups[d.Group][1]
}

// Known reports whether the band or the days are worth acting on.
func (b BestTime) Known() bool { return b.Confident() || b.Days.Confident() }

// dayNames are the days in English, Monday first.
var dayNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// String is the suggestion for a person, in English.
func (b BestTime) String() string {
	switch {
	case b.Band < 0:
		return "no calls yet"
	case !b.Known():
		return fmt.Sprintf("no best time yet · %d calls", b.Calls)
	}
	var days string
	if b.Days.Confident() {
		g := DayGroups[b.Days.Group]
		days = dayNames[g[0]] + "–" + dayNames[g[1]]
	}
	if !b.Confident() {
		return fmt.Sprintf("answers best %s · %d of %d calls on those days", days, b.Days.Answered, b.Days.In)
	}
	if days != "" {
		days += " "
	}
	return fmt.Sprintf("answers best %s%02d–%02d · %d of %d calls there", days, b.From(), b.To(), b.Answered, b.InBand)
}

// suggest is the likeliest hypothesis of d under the model, with its
// chance, and the calls and answers inside it; -1 with no calls.
func (m Model) suggest(d dimension, own []CallTry) (best int, sure float64, t tally, a, n float64) {
	t = tallyOf(d, own)
	if t.n == 0 {
		return -1, 0, t, 0, 0
	}
	p := m.posterior(d, t)
	for h := range d.hyps {
		if p[1+h] > p[1+best] {
			best = h
		}
	}
	a, n = t.in(d.hyps[best])
	return best, p[1+best], t, a, n
}

// Suggest is a customer's best band under the model, from their calls.
func (m Model) Suggest(own []CallTry) BestTime {
	best, sure, t, a, n := m.suggest(byHour, own)
	return BestTime{Band: best, Sure: sure, Calls: int(t.n), InBand: int(n), Answered: int(a), Days: Days{Group: -1}}
}

// SuggestDays is a customer's best days under the model (a days model:
// FitDays), from their calls.
func (m Model) SuggestDays(own []CallTry) Days {
	best, sure, _, a, n := m.suggest(byDay, own)
	return Days{Group: best, Sure: sure, In: int(n), Answered: int(a)}
}
