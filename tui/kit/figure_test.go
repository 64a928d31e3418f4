package kit

import (
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
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
		chart := plot(tc.vals, 20, 2, func(float64) string { return "" })
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

// TestChartsShowEveryWeek: a week with nothing to measure keeps its place
// (as zero) and the axis names the weeks; an agent's figures are theirs,
// without the team's retention.
func TestChartsShowEveryWeek(t *testing.T) {
	en := TextFor(English)
	start := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	var weeks []queue.Figures
	for k := range 8 {
		w := queue.Figures{From: start.AddDate(0, 0, 7*k), To: start.AddDate(0, 0, 7*k+7)}
		if k != 3 && k != 4 { // two quiet weeks in the middle
			w.Calls.Calls = 10
			w.Calls.Reached = crm.Ratio{Num: 8, Den: 10}
		}
		weeks = append(weeks, w)
	}
	chart := Chart(weeks, "reach_rate", en, 24, 2)
	lines := strings.Split(chart, "\n")
	if len(lines) != 5 {
		t.Fatalf("want 3 rows and a 2-line axis:\n%s", chart)
	}
	if !strings.Contains(lines[4], "10-05") || !strings.Contains(lines[4], "11-23") {
		t.Errorf("the axis should name the first and last weeks (10-05, 11-23):\n%s", chart)
	}
	if !strings.Contains(lines[2], " 0 ┤") && !strings.Contains(lines[2], " 0 ┼") {
		t.Errorf("the quiet weeks should be drawn at zero:\n%s", chart)
	}
	if Chart(weeks[3:5], "reach_rate", en, 24, 2) != "" {
		t.Error("weeks with nothing at all should draw no chart")
	}

	mine := queue.Figures{Agent: "minji"}
	for _, f := range Figures(mine, en) {
		if f.Key == "retention" || f.Key == "repeat_purchase" || strings.HasPrefix(f.Key, "complaint_") {
			t.Errorf("an agent's figures include the team's %s", f.Key)
		}
	}
	if n := len(Figures(queue.Figures{}, en)); n != 16 {
		t.Errorf("the team's figures: %d, want 16", n)
	}
}
