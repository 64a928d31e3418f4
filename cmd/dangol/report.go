package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/kit"
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
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json", "csv"); err != nil {
		return err
	}
	if *weeks < 0 || *weeks > 52 {
		return usagef("--weeks must be between 0 and 52")
	}
	d, crmSvc, q, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	loc := crmSvc.SiteZone(ctx)
	p, err := reportPeriod(*fromFlag, *toFlag, time.Now().In(loc))
	if err != nil {
		return err
	}
	actor, err := resolveActor(ctx, crmSvc, *as)
	if err != nil {
		return err
	}
	f, err := q.Report(ctx, actor, p.from, p.to, *agent, *agent == "")
	if err != nil {
		return err
	}
	t := kit.TextFor(kit.English)
	rows := kit.Figures(f, t)
	switch *format {
	case "json":
		return reportJSON(stdout, p, *agent, f, rows)
	case "csv":
		return reportCSV(stdout, f, rows)
	}
	var series []queue.Figures
	if *weeks > 0 {
		if series, err = q.Weekly(ctx, actor, p.to, *weeks, *agent); err != nil {
			return err
		}
	}
	return reportText(stdout, p, *agent, f, rows, series, t)
}

// period is a report's days: [from, to), lastDay the last one shown.
type period struct{ from, to, lastDay time.Time }

// reportPeriod reads --from and --to (days in now's zone); by default the
// seven days up to today.
func reportPeriod(fromText, toText string, now time.Time) (period, error) {
	loc := now.Location()
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
	var p period
	var err error
	if p.lastDay, err = day(toText, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)); err != nil {
		return p, err
	}
	p.to = p.lastDay.AddDate(0, 0, 1)
	if p.from, err = day(fromText, p.to.AddDate(0, 0, -7)); err != nil {
		return p, err
	}
	if !p.from.Before(p.to) {
		return p, usagef("--from must be on or before --to")
	}
	return p, nil
}

func reportJSON(w io.Writer, p period, agent string, f queue.Figures, rows []kit.Figure) error {
	out := map[string]any{"from": p.from.Format(time.RFC3339), "to": p.to.Format(time.RFC3339), "agent": agent}
	figs := map[string]any{}
	for _, r := range rows {
		figs[r.Key] = r.JSON()
	}
	if f.ChurnBySegment != nil {
		figs["churn_risk_by_segment"] = f.ChurnBySegment
	}
	out["figures"] = figs
	return jsonOut(w, out)
}

func reportCSV(out io.Writer, f queue.Figures, rows []kit.Figure) error {
	w := csv.NewWriter(out)
	w.Write([]string{"figure", "value", "count", "of"})
	for _, r := range rows {
		count, of := "", ""
		if r.Ratio != nil {
			count, of = fmt.Sprint(r.Ratio.Num), fmt.Sprint(r.Ratio.Den)
		}
		w.Write([]string{r.Key, r.Value(), count, of})
	}
	for _, seg := range sortedKeys(f.ChurnBySegment) {
		w.Write([]string{"churn_risk." + seg, fmt.Sprint(f.ChurnBySegment[seg]), "", ""})
	}
	w.Flush()
	return w.Error()
}

// reportText is the report for a person: each figure with its chart over
// the weeks (series), then churn risk by segment.
func reportText(w io.Writer, p period, agent string, f queue.Figures, rows []kit.Figure, series []queue.Figures, t kit.Text) error {
	who := "team"
	if agent != "" {
		who = agent
	}
	fmt.Fprintf(w, "dangol report · %s · %s – %s (%s)\n\n", who, p.from.Format("2006-01-02"),
		p.lastDay.Format("2006-01-02"), p.from.Location())
	for _, r := range rows {
		fmt.Fprintf(w, "%-34s %s\n", r.Label, r.Text())
		if plot := kit.Chart(series, r.Key, t, 3*len(series), 3); plot != "" {
			for _, l := range strings.Split(plot, "\n") {
				fmt.Fprintf(w, "%34s %s\n", "", l)
			}
		}
	}
	if f.ChurnBySegment != nil {
		fmt.Fprintf(w, "\n%-34s", "churn risk by segment (now)")
		for _, seg := range sortedKeys(f.ChurnBySegment) {
			fmt.Fprintf(w, " %s %d", seg, f.ChurnBySegment[seg])
		}
		fmt.Fprintln(w)
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
