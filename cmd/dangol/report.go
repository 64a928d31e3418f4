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

	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui"
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
	d, crmSvc, q, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
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
	t := tui.TextFor(tui.English)
	rows := tui.Figures(f, t)
	switch *format {
	case "json":
		out := map[string]any{"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "agent": *agent}
		figs := map[string]any{}
		for _, r := range rows {
			figs[r.Key] = r.JSON()
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
		fmt.Fprintf(stdout, "%-34s %s\n", r.Label, r.Text())
		if plot := tui.Chart(series, i, t, 3*len(series), 3); plot != "" {
			for _, l := range strings.Split(plot, "\n") {
				fmt.Fprintf(stdout, "%34s %s\n", "", l)
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

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
