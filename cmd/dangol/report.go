package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// runReport prints the figures of a period for the team or one agent.
func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("report")
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	fromFlag := fs.String("from", "", "first day, YYYY-MM-DD (default: 7 days before --to)")
	toFlag := fs.String("to", "", "last day, YYYY-MM-DD (default: today)")
	agent := fs.String("agent", "", "one agent's figures (default: the team)")
	format := fs.String("format", "text", "text, json or csv")
	weeks := fs.Int("weeks", 8, "weeks in the text charts (0: none)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return usagef("unknown format %q: choose text, json or csv", *format)
	}
	if *weeks < 0 || *weeks > 52 {
		return usagef("--weeks must be between 0 and 52")
	}
	d, err := openExisting(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	crmSvc := crm.New(d)
	q := queue.New(d, crmSvc)
	loc := crmSvc.SiteZone(ctx)
	now := time.Now().In(loc)
	day := func(s string, def time.Time) (time.Time, error) {
		if s == "" {
			return def, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return t, usagef("date %q: use YYYY-MM-DD", s)
		}
		return t, nil
	}
	lastDay, err := day(*toFlag, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc))
	if err != nil {
		return err
	}
	to := lastDay.AddDate(0, 0, 1)
	from, err := day(*fromFlag, to.AddDate(0, 0, -7))
	if err != nil {
		return err
	}
	if !from.Before(to) {
		return usagef("--from must be on or before --to")
	}
	actor, err := resolveActor(ctx, crmSvc, *as)
	if err != nil {
		return err
	}
	f, err := q.Report(ctx, actor, from, to, *agent, *agent == "")
	if err != nil {
		return err
	}
	rows := figureRows(f)
	switch *format {
	case "json":
		out := map[string]any{"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "agent": *agent}
		figs := map[string]any{}
		for _, r := range rows {
			figs[r.key] = r.json()
		}
		if f.ChurnBySegment != nil {
			figs["churn_risk_by_segment"] = f.ChurnBySegment
		}
		out["figures"] = figs
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "csv":
		w := csv.NewWriter(stdout)
		w.Write([]string{"figure", "value", "count", "of"})
		for _, r := range rows {
			w.Write([]string{r.key, r.value(), r.countText(), r.ofText()})
		}
		for _, seg := range sortedKeys(f.ChurnBySegment) {
			w.Write([]string{"churn_risk." + seg, fmt.Sprint(f.ChurnBySegment[seg]), "", ""})
		}
		w.Flush()
		return w.Error()
	}
	var series []queue.Figures
	if *weeks > 0 {
		if series, err = q.Weekly(ctx, actor, to, *weeks, *agent); err != nil {
			return err
		}
	}
	who := "team"
	if *agent != "" {
		who = *agent
	}
	fmt.Fprintf(stdout, "dangol report · %s · %s – %s (%s)\n\n", who, from.Format("2006-01-02"),
		lastDay.Format("2006-01-02"), loc)
	for i, r := range rows {
		fmt.Fprintf(stdout, "%-34s %s\n", r.label, r.text())
		if len(series) > 1 && r.weekly != nil {
			vals := make([]float64, 0, len(series))
			for _, wf := range series {
				if v, ok := r.weekly(figureRows(wf)[i]); ok {
					vals = append(vals, v)
				}
			}
			if len(vals) > 1 {
				plot := asciigraph.Plot(vals, asciigraph.Height(3), asciigraph.Width(3*len(vals)), asciigraph.Precision(0))
				for _, l := range strings.Split(plot, "\n") {
					fmt.Fprintf(stdout, "%34s %s\n", "", l)
				}
			}
		}
	}
	if f.ChurnBySegment != nil {
		fmt.Fprintf(stdout, "\n%-34s", "churn risk by segment (now)")
		for _, seg := range sortedKeys(f.ChurnBySegment) {
			fmt.Fprintf(stdout, " %s %d", seg, f.ChurnBySegment[seg])
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// figureRow is one figure of a report in words and numbers.
type figureRow struct {
	key, label string
	ratio      *crm.Ratio
	number     float64
	unit       string
	none       bool // nothing to measure in the period
	integer    bool // a count: no decimals
	// weekly gives the row's value for a week's chart.
	weekly func(figureRow) (float64, bool)
}

func (r figureRow) value() string {
	switch {
	case r.none:
		return ""
	case r.ratio != nil:
		return fmt.Sprintf("%.1f", r.ratio.Pct())
	}
	return fmt.Sprintf("%.1f", r.number)
}

func (r figureRow) countText() string {
	if r.ratio == nil {
		return ""
	}
	return fmt.Sprint(r.ratio.Num)
}

func (r figureRow) ofText() string {
	if r.ratio == nil {
		return ""
	}
	return fmt.Sprint(r.ratio.Den)
}

func (r figureRow) text() string {
	switch {
	case r.none:
		return "—"
	case r.ratio != nil:
		return fmt.Sprintf("%5.1f %%  (%d of %d)", r.ratio.Pct(), r.ratio.Num, r.ratio.Den)
	}
	if r.integer {
		return strings.TrimSpace(fmt.Sprintf("%5d %s", int64(r.number), r.unit))
	}
	return strings.TrimSpace(fmt.Sprintf("%5.1f %s", r.number, r.unit))
}

func (r figureRow) json() any {
	if r.none {
		return nil
	}
	if r.ratio != nil {
		return map[string]any{"pct": r.ratio.Pct(), "count": r.ratio.Num, "of": r.ratio.Den}
	}
	return r.number
}

// figureRows lists a report's figures in the order they are printed.
func figureRows(f queue.Figures) []figureRow {
	pct := func(r figureRow) (float64, bool) { return r.ratio.Pct(), r.ratio.Den > 0 }
	num := func(r figureRow) (float64, bool) { return r.number, !r.none }
	ratio := func(key, label string, r crm.Ratio) figureRow {
		return figureRow{key: key, label: label, ratio: &r, none: r.Den == 0, weekly: pct}
	}
	c := f.Customer
	rows := []figureRow{
		ratio("callbacks_on_time", "callbacks done on time", f.Calls.OnTime),
		{key: "overdue_now", label: "overdue now", number: float64(f.Calls.OverdueNow), integer: true},
		ratio("first_contact_resolution", "first-contact resolution", f.Calls.FirstContact),
		ratio("reach_rate", "reach rate", f.Calls.Reached),
		{key: "handling_minutes", label: "average handling time", number: f.Calls.Handling.Minutes(), unit: "min",
			none: f.Calls.Calls == 0, weekly: num},
		ratio("retention", "retention", c.Retention),
		ratio("repeat_purchase", "repeat purchase", c.RepeatPurchase),
		ratio("complaint_first_response_in_sla", "complaints answered within SLA", c.FirstResponse.Within),
		{key: "complaint_first_response_median_hours", label: "median hours to first response",
			number: c.FirstResponse.MedianHours, unit: "h", none: c.FirstResponse.MedianHours < 0, weekly: num},
		ratio("complaint_resolution_in_sla", "complaints resolved within SLA", c.Resolution.Within),
		{key: "complaint_resolution_median_hours", label: "median hours to resolution",
			number: c.Resolution.MedianHours, unit: "h", none: c.Resolution.MedianHours < 0, weekly: num},
		{key: "satisfaction", label: fmt.Sprintf("satisfaction (1-5, %d scored)", c.Scored), number: c.Satisfaction,
			none: c.Scored == 0, weekly: num},
		{key: "nps", label: fmt.Sprintf("NPS (%d answers)", c.Answers), number: c.NPS, none: c.Answers == 0, weekly: num},
		{key: "referrals", label: "referrals", number: float64(c.Referrals), integer: true, weekly: num},
		{key: "points_issued", label: "points issued", number: float64(c.PointsIssued), unit: "P", integer: true, weekly: num},
		{key: "points_redeemed", label: "points redeemed", number: float64(c.PointsRedeemed), unit: "P", integer: true, weekly: num},
	}
	return rows
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
