package campaign

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// Verdicts of a report's primary metric.
const (
	VerdictTooEarly = "too_early" // the measured days are not over
	VerdictRaised   = "raised"
	VerdictLowered  = "lowered"
	VerdictNone     = "no_effect" // the interval holds no difference
)

// Group is one group's figures over the measured days.
type Group struct {
	Size         int
	Primary      crm.Ratio // members for whom the primary metric holds
	Bought       crm.Ratio // members who bought
	Spend        int64     // won, purchases less refunds
	PointsEarned int64
	PointsUsed   int64
	Referrals    int
	AtRisk       crm.Ratio // at churn risk at the end of the measured days (or now)
	Reached      crm.Ratio // contact group: members an agent reached
	CallsMade    int       // contact group: calls with an outcome
	OpenCalls    int       // contact group: calls still to make
	Dispositions map[string]int
}

// Report compares a campaign's contact group with its control group.
type Report struct {
	Campaign
	AsOf     time.Time
	From, To time.Time // the days compared so far
	Complete bool      // the measured days are over
	Contact  Group
	Control  Group
	Effect   Diff   // contact − control on the primary metric, in points
	Verdict  string // Verdict*
	Words    string // the verdict in plain words
	Interval string // how the interval is computed
}

// Report works out a campaign's report at now.
func (s *Service) Report(ctx context.Context, actor crm.Agent, name string) (Report, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "campaign report"); err != nil {
		return Report{}, err
	}
	c, err := s.Get(ctx, name)
	if err != nil {
		return Report{}, err
	}
	now := s.now()
	r := Report{Campaign: c, AsOf: now, From: c.StartsAt, To: c.MeasuredUntil(),
		Interval: "95 % interval: Newcombe's hybrid score interval for a difference of two proportions"}
	if now.Before(r.To) {
		r.To = now
	} else {
		r.Complete = true
	}
	err = s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		for _, g := range []struct {
			grp string
			out *Group
		}{{"contact", &r.Contact}, {"control", &r.Control}} {
			if err := groupFigures(ctx, tx, c, g.grp, r.From, r.To, g.out); err != nil {
				return err
			}
		}
		return callFigures(ctx, tx, c, &r.Contact)
	})
	if err != nil {
		return r, s.DB.Describe(err)
	}
	r.Effect = Newcombe(r.Contact.Primary, r.Control.Primary)
	r.Verdict, r.Words = verdict(r)
	return r, nil
}

// metricSQL is each primary metric as a condition on member m over [?, ?).
var metricSQL = map[string]string{
	MetricRepeat: `EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = m.customer_id AND p.amount > 0
		AND p.purchased_at >= ? AND p.purchased_at < ?)`,
	MetricReferral: `EXISTS (SELECT 1 FROM referrals f WHERE f.referrer_id = m.customer_id AND f.created_at >= ? AND f.created_at < ?)`,
	MetricRedeem: `EXISTS (SELECT 1 FROM loyalty_ledger l WHERE l.customer_id = m.customer_id AND l.kind = 'redeem'
		AND l.created_at >= ? AND l.created_at < ?)`,
}

func groupFigures(ctx context.Context, tx *db.Tx, c Campaign, grp string, from, to time.Time, g *Group) error {
	f, t := from.Unix(), to.Unix()
	err := tx.QueryRowContext(ctx, `SELECT count(*),
		coalesce(sum(CASE WHEN `+metricSQL[c.Metric]+` THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN `+metricSQL[MetricRepeat]+` THEN 1 ELSE 0 END), 0),
		coalesce(sum((SELECT coalesce(sum(p.amount), 0) FROM purchases p WHERE p.customer_id = m.customer_id
			AND p.purchased_at >= ? AND p.purchased_at < ?)), 0),
		coalesce(sum((SELECT coalesce(sum(l.delta), 0) FROM loyalty_ledger l WHERE l.customer_id = m.customer_id
			AND l.kind = 'earn' AND l.created_at >= ? AND l.created_at < ?)), 0),
		coalesce(sum((SELECT coalesce(-sum(l.delta), 0) FROM loyalty_ledger l WHERE l.customer_id = m.customer_id
			AND l.kind = 'redeem' AND l.created_at >= ? AND l.created_at < ?)), 0),
		coalesce(sum((SELECT count(*) FROM referrals f WHERE f.referrer_id = m.customer_id
			AND f.created_at >= ? AND f.created_at < ?)), 0)
		FROM campaign_members m WHERE m.campaign_id = ? AND m.grp = ?`,
		f, t, f, t, f, t, f, t, f, t, f, t, c.ID, grp).
		Scan(&g.Size, &g.Primary.Num, &g.Bought.Num, &g.Spend, &g.PointsEarned, &g.PointsUsed, &g.Referrals)
	if err != nil {
		return err
	}
	g.Primary.Den, g.Bought.Den, g.AtRisk.Den = g.Size, g.Size, g.Size
	ids, err := crm.IDs(ctx, tx, `SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND grp = ? ORDER BY customer_id`, c.ID, grp)
	if err != nil {
		return err
	}
	g.AtRisk.Num, err = crm.AtRiskAmong(ctx, tx, ids, to)
	return err
}

// callFigures are the contact group's calls: who was reached, how the calls
// ended, how many are still to make.
func callFigures(ctx context.Context, tx *db.Tx, c Campaign, g *Group) error {
	g.Reached.Den = g.Size
	if err := tx.QueryRowContext(ctx, `SELECT count(DISTINCT o.customer_id) FROM call_outcomes o
		JOIN callbacks cb ON cb.id = o.callback_id WHERE cb.campaign_id = ? AND o.reached = 1`, c.ID).Scan(&g.Reached.Num); err != nil {
		return err
	}
	g.OpenCalls = c.Open
	g.Dispositions = map[string]int{}
	rows, err := tx.QueryContext(ctx, `SELECT o.disposition, count(*) FROM call_outcomes o JOIN callbacks cb ON cb.id = o.callback_id
		WHERE cb.campaign_id = ? GROUP BY o.disposition ORDER BY o.disposition`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		g.Dispositions[code] = n
		g.CallsMade += n
	}
	return rows.Err()
}

// metricWords names the metrics in a sentence.
var metricWords = map[string]string{
	MetricRepeat: "repeat purchases", MetricReferral: "referrals", MetricRedeem: "points use",
}

// verdict says what the primary metric shows, in plain words.
func verdict(r Report) (string, string) {
	what := metricWords[r.Metric]
	shares := fmt.Sprintf("called %s, control %s", pct(r.Contact.Primary), pct(r.Control.Primary))
	if !r.Complete {
		days := int(r.MeasuredUntil().Sub(r.AsOf).Hours()/24 + 0.999)
		return VerdictTooEarly, fmt.Sprintf("too early: %s is measured until %s (%d %s to go); so far %s",
			what, r.MeasuredUntil().Format("2006-01-02"), days, plural(days, "day", "days"), shares)
	}
	e := r.Effect
	interval := fmt.Sprintf("95 %% interval %s to %s", points(e.Lo), points(e.Hi))
	switch {
	case e.Lo > 0:
		return VerdictRaised, fmt.Sprintf("calls raised %s by %.1f points, %s (%s)", what, e.D, interval, shares)
	case e.Hi < 0:
		return VerdictLowered, fmt.Sprintf("calls lowered %s by %.1f points, %s (%s)", what, -e.D, interval, shares)
	}
	return VerdictNone, fmt.Sprintf("no measurable effect on %s: %s points, %s (%s)", what, points(e.D), interval, shares)
}

func pct(r crm.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f %% of %d", r.Pct(), r.Den)
}

func points(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if s == "-0.0" {
		s = "0.0"
	}
	return strings.Replace(s, "-", "−", 1)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
