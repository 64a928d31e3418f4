package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/campaign"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/kit"
)

const campaignUsage = "campaign needs a command: create, list, report, pause, resume, stop or score (see dangol help)"

func runCampaign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef(campaignUsage)
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "create":
		return campaignCreate(ctx, args, stdout, stderr)
	case "list":
		return campaignList(ctx, args, stdout)
	case "report":
		return campaignReport(ctx, args, stdout)
	case "pause", "resume", "stop":
		return campaignHold(ctx, cmd, args, stdout)
	case "score":
		return campaignScore(ctx, args, stdout, stderr)
	}
	return usagef("unknown campaign command %q: use create, list, report, pause, resume, stop or score", cmd)
}

// campaignName is the one NAME a command takes.
func campaignName(cmd string, rest []string) (string, error) {
	if len(rest) != 1 {
		return "", usagef("campaign %s needs one NAME (quote a name with spaces)", cmd)
	}
	return rest[0], nil
}

func campaignCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("campaign create")
	dbPath, as := dbFlag(fs), asFlag(fs)
	segment := fs.String("segment", "", "who: terms joined by commas, e.g. segment=at_risk, tier=gold|vip, churn=yes, last_purchase>90d, points>=1000, consent=marketing")
	control := fs.String("control", "10%", "the share held out as the control group, 1% to 50%")
	kind := fs.String("kind", "marketing", "the kind of call: marketing (consent and calling hours enforced), sales or service")
	reason := fs.String("reason", "", "shown to the agent on every call (default: the campaign's name)")
	metric := fs.String("metric", campaign.MetricRepeat, "the one primary metric: "+strings.Join(campaign.Metrics, ", "))
	days := fs.Int("days", campaign.DefaultMeasureDays, "days after the start the report compares")
	agents := fs.String("agents", "", "who works it: agents' names, comma-separated, each within their cap (the rest to the pool)")
	pool := fs.Bool("pool", false, "the team pool works it (the default without --agents)")
	until := fs.String("until", "", "last day its calls are offered, YYYY-MM-DD (default: no end)")
	priority := fs.Int("priority", campaign.DefaultPriority, "priority of its calls, 1 (most urgent) to 5")
	seed := fs.Int64("seed", 0, "the random split's seed (default: a new one; stored either way)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := campaignName("create", rest)
	if err != nil {
		return err
	}
	if *segment == "" {
		return usagef("campaign create needs --segment EXPR, e.g. --segment segment=at_risk")
	}
	if *agents != "" && *pool {
		return usagef("give --agents or --pool, not both")
	}
	pct, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(*control), "%")))
	if err != nil {
		return usagef("--control %q: a share such as 10%%", *control)
	}
	if pct == 0 {
		return usagef("--control 0%%: without a control group nothing can be measured; use 1%% to 50%%")
	}
	d, crmSvc, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	sp := campaign.Spec{Name: name, Segment: *segment, Kind: *kind, Reason: *reason, Metric: *metric, ControlPct: pct,
		MeasureDays: *days, Priority: *priority, Seed: *seed}
	if *agents != "" {
		for _, a := range strings.Split(*agents, ",") {
			if a = strings.TrimSpace(a); a != "" {
				sp.Agents = append(sp.Agents, a)
			}
		}
	}
	if *until != "" {
		day, err := time.ParseInLocation("2006-01-02", *until, crmSvc.SiteZone(ctx))
		if err != nil {
			return usagef("--until %q: use YYYY-MM-DD", *until)
		}
		sp.Until = day.AddDate(0, 0, 1) // through the whole day
	}
	sp.Progress = scoreProgress(stderr)
	out, err := campaign.New(q).Create(ctx, actor, sp)
	if err != nil {
		return err
	}
	c := out.Campaign
	if out.Scored > 0 {
		fmt.Fprintln(stderr)
	}
	fmt.Fprintf(stdout, "campaign %s: %d customers matched, %d may not be called (rules, consent, other campaigns)\n",
		kit.Safe(c.Name), out.Matched, out.Excluded)
	fmt.Fprintf(stdout, "  %d to call, %d held out as the control group (%d%%, seed %d)\n", c.Contact, c.Control, c.ControlPct, c.Seed)
	if len(out.AgentCalls) > 0 {
		names := make([]string, 0, len(out.AgentCalls))
		for n := range out.AgentCalls {
			names = append(names, n)
		}
		sort.Strings(names)
		var parts []string
		for _, n := range names {
			parts = append(parts, fmt.Sprintf("%s %d", n, out.AgentCalls[n]))
		}
		fmt.Fprintf(stdout, "  calls: %s", strings.Join(parts, ", "))
		if out.ToPool > 0 {
			fmt.Fprintf(stdout, "; %d to the pool (caps full)", out.ToPool)
		}
		fmt.Fprintln(stdout)
	} else {
		fmt.Fprintf(stdout, "  calls: the team pool, priority %d, kind %s\n", *priority, c.Kind)
	}
	fmt.Fprintf(stdout, "  measured: %s over %d days, until %s\n", c.Metric, c.MeasureDays, c.MeasuredUntil().Format("2006-01-02"))
	return nil
}

// scoreProgress tells a terminal how the scoring goes, on one line.
func scoreProgress(w io.Writer) crm.ScoreProgress {
	last := time.Time{}
	return func(done, total int) {
		if time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "\rscoring customers (RFM segment, churn): %d of %d", done, total)
	}
}

func campaignList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("campaign list")
	dbPath, as := dbFlag(fs), asFlag(fs)
	format := fs.String("format", "text", "text or json")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	d, _, q, _, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	list, err := campaign.New(q).List(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		out := make([]map[string]any, 0, len(list))
		for _, c := range list {
			out = append(out, campaignJSON(c))
		}
		return jsonOut(stdout, out)
	}
	if len(list) == 0 {
		_, err := fmt.Fprintln(stdout, "no campaigns yet (dangol campaign create NAME --segment EXPR)")
		return err
	}
	rows := [][]string{{"NAME", "STATE", "SEGMENT", "KIND", "CALLED", "CONTROL", "OPEN", "MEASURED UNTIL"}}
	for _, c := range list {
		rows = append(rows, []string{kit.Safe(c.Name), string(c.State), kit.Safe(c.Segment), c.Kind,
			strconv.Itoa(c.Contact), strconv.Itoa(c.Control), strconv.Itoa(c.Open), c.MeasuredUntil().Format("2006-01-02")})
	}
	return writeColumns(stdout, rows)
}

func campaignJSON(c campaign.Campaign) map[string]any {
	m := map[string]any{"name": c.Name, "state": c.State, "segment": c.Segment, "kind": c.Kind, "reason": c.Reason,
		"metric": c.Metric, "control_pct": c.ControlPct, "seed": c.Seed, "measure_days": c.MeasureDays,
		"starts_at": c.StartsAt.Format(time.RFC3339), "measured_until": c.MeasuredUntil().Format(time.RFC3339),
		"called": c.Contact, "control": c.Control, "open_calls": c.Open, "created_by": c.CreatedBy, "agents": c.Agents}
	if !c.Until.IsZero() {
		m["until"] = c.Until.Format(time.RFC3339)
	}
	if !c.ScoresAt.IsZero() {
		m["scores_at"] = c.ScoresAt.Format(time.RFC3339)
	}
	return m
}

func campaignHold(ctx context.Context, cmd string, args []string, stdout io.Writer) error {
	fs := newFlags("campaign " + cmd)
	dbPath, as := dbFlag(fs), asFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := campaignName(cmd, rest)
	if err != nil {
		return err
	}
	d, _, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	svc := campaign.New(q)
	var h campaign.Held
	switch cmd {
	case "pause":
		h, err = svc.Pause(ctx, actor, name)
	case "stop":
		h, err = svc.Stop(ctx, actor, name)
	default:
		h, err = svc.Resume(ctx, actor, name)
	}
	if err != nil {
		return err
	}
	switch cmd {
	case "resume":
		fmt.Fprintf(stdout, "campaign %s is active: %d calls back on the queue", kit.Safe(h.Name), h.Changed)
	default:
		fmt.Fprintf(stdout, "campaign %s is %s: %d calls taken off the queue", kit.Safe(h.Name), h.State, h.Changed)
	}
	if h.Passed > 0 {
		fmt.Fprintf(stdout, " (%d left: an agent is on them, or they changed since)", h.Passed)
	}
	if cmd == "stop" {
		fmt.Fprintf(stdout, "\n  to take it back: dangol campaign resume %s", shellWord(h.Name))
	}
	_, err = fmt.Fprintln(stdout)
	return err
}

// shellWord quotes a name for a command line when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"\\$`!*?;&|<>()[]{}#~") {
		return kit.Safe(s)
	}
	return "'" + strings.ReplaceAll(kit.Safe(s), "'", `'\''`) + "'"
}

func campaignReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("campaign report")
	dbPath, as := dbFlag(fs), asFlag(fs)
	format := fs.String("format", "text", "text, json or csv")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := campaignName("report", rest)
	if err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json", "csv"); err != nil {
		return err
	}
	d, _, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	r, err := campaign.New(q).Report(ctx, actor, name)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return jsonOut(stdout, campaignReportJSON(r))
	case "csv":
		return campaignReportCSV(stdout, r)
	}
	codes, err := q.Dispositions(ctx)
	if err != nil {
		return err
	}
	en := kit.TextFor(kit.English)
	_, err = io.WriteString(stdout, kit.CampaignReportText(r, en, kit.OutcomeLabels(en, codes)))
	return err
}

func campaignReportJSON(r campaign.Report) map[string]any {
	group := func(g campaign.Group) map[string]any {
		return map[string]any{"size": g.Size, "primary": g.Primary.Num, "bought": g.Bought.Num, "spend": g.Spend,
			"points_earned": g.PointsEarned, "points_used": g.PointsUsed, "referrals": g.Referrals, "at_churn_risk": g.AtRisk.Num}
	}
	called := group(r.Contact)
	called["reached"], called["calls_made"], called["open_calls"], called["outcomes"] =
		r.Contact.Reached.Num, r.Contact.CallsMade, r.Contact.OpenCalls, r.Contact.Dispositions
	return map[string]any{"campaign": campaignJSON(r.Campaign), "as_of": r.AsOf.Format(time.RFC3339),
		"from": r.From.Format(time.RFC3339), "to": r.To.Format(time.RFC3339), "complete": r.Complete,
		"called": called, "control": group(r.Control),
		"effect": map[string]any{"metric": r.Metric, "points": round1(r.Effect.D), "low": round1(r.Effect.Lo), "high": round1(r.Effect.Hi),
			"interval": r.Interval},
		"verdict": r.Verdict, "words": r.Words}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func campaignReportCSV(out io.Writer, r campaign.Report) error {
	w := csv.NewWriter(out)
	w.Write([]string{"figure", "called", "control"})
	row := func(name string, a, b any) { w.Write([]string{name, fmt.Sprint(a), fmt.Sprint(b)}) }
	row("customers", r.Contact.Size, r.Control.Size)
	row(r.Metric, r.Contact.Primary.Num, r.Control.Primary.Num)
	row("bought", r.Contact.Bought.Num, r.Control.Bought.Num)
	row("spend", r.Contact.Spend, r.Control.Spend)
	row("points_earned", r.Contact.PointsEarned, r.Control.PointsEarned)
	row("points_used", r.Contact.PointsUsed, r.Control.PointsUsed)
	row("referrals", r.Contact.Referrals, r.Control.Referrals)
	row("at_churn_risk", r.Contact.AtRisk.Num, r.Control.AtRisk.Num)
	row("reached", r.Contact.Reached.Num, "")
	for _, code := range sortedKeys(r.Contact.Dispositions) {
		row("outcome."+code, r.Contact.Dispositions[code], "")
	}
	row("effect_points", fmt.Sprintf("%.1f", r.Effect.D), "")
	row("effect_low", fmt.Sprintf("%.1f", r.Effect.Lo), "")
	row("effect_high", fmt.Sprintf("%.1f", r.Effect.Hi), "")
	row("verdict", r.Verdict, "")
	w.Flush()
	return w.Error()
}

// campaignScore computes every customer's segment and churn flag, and the
// best time's models, now (what create does when its scores are old).
func campaignScore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("campaign score")
	dbPath := dbFlag(fs)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	d, crmSvc, _, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := crmSvc.ScoreAll(ctx, time.Now(), scoreProgress(stderr))
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "scored %d customers (RFM segment, churn) and fitted the best time to call\n", n)
	return err
}
