package kit

import (
	"strings"
	"testing"
)

// TestChartLabelsAreDistinct: each row of a chart has its own label, also
// when the values are close together (an average handling time between 8.5
// and 9.4 minutes was labelled 9, 9 and 8), and whole numbers stay whole.
func TestChartLabelsAreDistinct(t *testing.T) {
	for _, tc := range []struct {
		vals    []float64
		decimal bool
	}{
		{[]float64{8.5, 9.4, 8.9, 9.1}, true},
		{[]float64{10, 38, 24, 31}, false},
		{[]float64{0, 1, 1, 0}, true},
	} {
		chart := plot(tc.vals, 20, 2)
		var labels []string
		for _, line := range strings.Split(chart, "\n") {
			label, _, ok := strings.Cut(line, "┤")
			if l2, _, ok2 := strings.Cut(line, "┼"); ok2 && (!ok || len(l2) < len(label)) {
				label, ok = l2, true
			}
			if ok {
				labels = append(labels, strings.TrimSpace(label))
			}
		}
		if len(labels) != 3 {
			t.Fatalf("%v: %d labelled rows in\n%s", tc.vals, len(labels), chart)
		}
		seen := map[string]bool{}
		for _, l := range labels {
			if seen[l] {
				t.Errorf("%v: the label %q repeats in\n%s", tc.vals, l, chart)
			}
			seen[l] = true
			if strings.Contains(l, ".") != tc.decimal {
				t.Errorf("%v: label %q, decimals wanted: %v", tc.vals, l, tc.decimal)
			}
		}
	}
}
