package campaign

import (
	"math"

	"github.com/dangol/dangol/crm"
)

// z95 is the normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// wilson is the Wilson score 95 % interval of x successes in n.
func wilson(x, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p, nf := float64(x)/float64(n), float64(n)
	z2 := z95 * z95
	mid := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z95 / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return max(0, mid-half), min(1, mid+half)
}

// Diff is the difference of two shares, a − b, with its 95 % interval, in
// points (percent of 100).
type Diff struct {
	D, Lo, Hi float64
}

// Newcombe is the difference of two proportions a − b with Newcombe's
// hybrid score interval (method 10 of Newcombe 1998), built from each
// share's Wilson interval: it keeps close to its stated 95 % for small
// groups and shares near 0 or 1, where the plain normal interval does not.
func Newcombe(a, b crm.Ratio) Diff {
	p1, p2 := share(a), share(b)
	l1, u1 := wilson(a.Num, a.Den)
	l2, u2 := wilson(b.Num, b.Den)
	d := p1 - p2
	lo := d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi := d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return Diff{D: 100 * d, Lo: 100 * lo, Hi: 100 * hi}
}

func share(r crm.Ratio) float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Significant reports whether the interval leaves out no difference.
func (d Diff) Significant() bool { return d.Lo > 0 || d.Hi < 0 }
