package kit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/guptarohit/asciigraph"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// Figure is one figure of a report in words and numbers, as the figures
// screen and `dangol report` print it.
type Figure struct {
	Key     string // the field name in json and csv
	Label   string
	Ratio   *crm.Ratio // a share, or nil for a number
	Number  float64
	Unit    string
	Integer bool // a count: no decimals
	None    bool // nothing to measure in the period
	charted bool // drawn as a chart over the weeks
	team    bool // the whole team's, whoever the report is for: not on an agent's
}

// Value is the figure for machines: a percent or the number, "" for none.
func (f Figure) Value() string {
	switch {
	case f.None:
		return ""
	case f.Ratio != nil:
		return fmt.Sprintf("%.1f", f.Ratio.Pct())
	}
	return fmt.Sprintf("%.1f", f.Number)
}

// Text is the figure for people: "40.0 % (24 of 60)", "8.3 min", "—".
func (f Figure) Text() string {
	switch {
	case f.None:
		return "—"
	case f.Ratio != nil:
		return fmt.Sprintf("%5.1f %%  (%d/%d)", f.Ratio.Pct(), f.Ratio.Num, f.Ratio.Den)
	case f.Integer:
		return strings.TrimSpace(Thousands(int64(f.Number)) + " " + f.Unit)
	}
	return strings.TrimSpace(fmt.Sprintf("%.1f %s", f.Number, f.Unit))
}

// JSON is the figure in a report's json: {pct, count, of}, a number, or null.
func (f Figure) JSON() any {
	if f.None {
		return nil
	}
	if f.Ratio != nil {
		return map[string]any{"pct": f.Ratio.Pct(), "count": f.Ratio.Num, "of": f.Ratio.Den}
	}
	return f.Number
}

// weekValue is the figure's value for a week's chart, if it has one.
func (f Figure) weekValue() (float64, bool) {
	if f.None {
		return 0, false
	}
	if f.Ratio != nil {
		return f.Ratio.Pct(), true
	}
	return f.Number, true
}

// Figures lists a report's figures in the order they are shown, labelled
// in t's language.
func Figures(f queue.Figures, t Text) []Figure {
	ratio := func(key, label string, r crm.Ratio) Figure {
		return Figure{Key: key, Label: label, Ratio: &r, None: r.Den == 0, charted: true}
	}
	c := f.Customer
	all := []Figure{
		ratio("callbacks_on_time", t.FigOnTime, f.Calls.OnTime),
		{Key: "overdue_now", Label: t.FigOverdueNow, Number: float64(f.Calls.OverdueNow), Integer: true},
		ratio("first_contact_resolution", t.FigFirstContact, f.Calls.FirstContact),
		ratio("reach_rate", t.FigReach, f.Calls.Reached),
		{Key: "handling_minutes", Label: t.FigHandling, Number: f.Calls.Handling.Minutes(), Unit: t.Minute,
			None: f.Calls.Calls == 0, charted: true},
		team(ratio("retention", t.FigRetention, c.Retention)),
		team(ratio("repeat_purchase", t.FigRepeat, c.RepeatPurchase)),
		team(ratio("complaint_first_response_in_sla", t.FigFirstResponse, c.FirstResponse.Within)),
		team(Figure{Key: "complaint_first_response_median_hours", Label: t.FigFirstResponseHours, Number: c.FirstResponse.MedianHours,
			Unit: t.Hour, None: c.FirstResponse.MedianHours < 0, charted: true}),
		team(ratio("complaint_resolution_in_sla", t.FigResolution, c.Resolution.Within)),
		team(Figure{Key: "complaint_resolution_median_hours", Label: t.FigResolutionHours, Number: c.Resolution.MedianHours,
			Unit: t.Hour, None: c.Resolution.MedianHours < 0, charted: true}),
		{Key: "satisfaction", Label: Sprintf(t.FigSatisfaction, c.Scored), Number: c.Satisfaction, None: c.Scored == 0, charted: true},
		{Key: "nps", Label: Sprintf(t.FigNPS, c.Answers), Number: c.NPS, None: c.Answers == 0, charted: true},
		{Key: "referrals", Label: t.FigReferrals, Number: float64(c.Referrals), Integer: true, charted: true},
		{Key: "points_issued", Label: t.FigPointsIssued, Number: float64(c.PointsIssued), Unit: "P", Integer: true, charted: true},
		{Key: "points_redeemed", Label: t.FigPointsRedeemed, Number: float64(c.PointsRedeemed), Unit: "P", Integer: true, charted: true},
	}
	if f.Agent == "" {
		return all
	}
	// One agent's report: their own figures. Retention, repeat purchases
	// and complaint SLAs are the whole team's, and would read as theirs.
	var own []Figure
	for _, fig := range all {
		if !fig.team {
			own = append(own, fig)
		}
	}
	return own
}

// team marks a figure as the whole team's.
func team(f Figure) Figure {
	f.team = true
	return f
}

// Chart draws the figure named key over the weeks as a small line chart
// (asciigraph), every week in its place (a week with nothing to measure
// as zero) and the weeks' first days on the axis; "" when the figure is
// not charted or no week has a value.
func Chart(weeks []queue.Figures, key string, t Text, width, height int) string {
	vals := make([]float64, len(weeks))
	some := false
	for k, w := range weeks {
		for _, f := range Figures(w, t) {
			if f.Key != key {
				continue
			}
			if !f.charted {
				return ""
			}
			v, ok := f.weekValue()
			vals[k], some = v, some || ok
		}
	}
	if len(weeks) < 2 || !some {
		return ""
	}
	return plot(vals, width, height, func(x float64) string {
		k := min(len(weeks)-1, max(0, int(x+0.5)))
		return weeks[k].From.Format("01-02")
	})
}

// plot draws values as a line chart with height+1 labelled rows. Labels
// are whole numbers unless the values span less than a whole number a row:
// an average handling time between 8.5 and 9.4 minutes was labelled 9, 9
// and 8.
// The axis under it names the first, middle and last weeks (label).
func plot(vals []float64, width, height int, label func(x float64) string) string {
	precision := uint(0)
	if slices.Max(vals)-slices.Min(vals) < float64(height) {
		precision = 1
	}
	return asciigraph.Plot(vals, asciigraph.Height(height), asciigraph.Width(width), asciigraph.Precision(precision),
		asciigraph.XAxisRange(0, float64(len(vals)-1)), asciigraph.XAxisTickCount(3), asciigraph.XAxisValueFormatter(label))
}
