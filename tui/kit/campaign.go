package kit

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/campaign"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// CampaignState names a campaign's state.
func (t Text) CampaignState(s campaign.State) string {
	switch s {
	case campaign.Paused:
		return t.CampaignPaused
	case campaign.Stopped:
		return t.CampaignStopped
	case campaign.Ended:
		return t.CampaignEnded
	}
	return t.CampaignActive
}

// Metric names a campaign's primary metric.
func (t Text) Metric(m string) string {
	switch m {
	case campaign.MetricReferral:
		return t.MetricReferral
	case campaign.MetricRedeem:
		return t.MetricRedeem
	}
	return t.MetricRepeat
}

// CampaignVerdict is the report's verdict on its primary metric, in plain
// words.
func (t Text) CampaignVerdict(r campaign.Report) string {
	what, e := t.Metric(r.Metric), r.Effect
	switch r.Verdict {
	case campaign.VerdictTooEarly:
		return Sprintf(t.VerdictEarly, r.MeasuredUntil().Format("2006-01-02"), what, t.share(r.Contact.Primary), t.share(r.Control.Primary))
	case campaign.VerdictRaised:
		return Sprintf(t.VerdictRaised, what, signed(e.D), signed(e.Lo), signed(e.Hi))
	case campaign.VerdictLowered:
		return Sprintf(t.VerdictLowered, what, signed(-e.D), signed(e.Lo), signed(e.Hi))
	}
	return Sprintf(t.VerdictNone, what, signed(e.D), signed(e.Lo), signed(e.Hi))
}

// signed writes points with one decimal and a real minus sign.
func signed(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if s == "-0.0" {
		s = "0.0"
	}
	return strings.Replace(s, "-", "−", 1)
}

// share is "25.3 % of 1,016".
func (t Text) share(r crm.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	return Sprintf(t.RepOfN, fmt.Sprintf("%.1f %%", r.Pct()), r.Den)
}

// bar draws a share as a bar of width cells.
func bar(r crm.Ratio, width int) string {
	n := 0
	if r.Den > 0 {
		n = (r.Num*width + r.Den/2) / r.Den
	}
	return strings.Repeat("█", n) + strings.Repeat("░", width-n)
}

// perCustomer is a total shared over a group, rounded.
func perCustomer(total int64, n int) int64 {
	if n == 0 {
		return 0
	}
	return (total + int64(n)/2) / int64(n)
}

// CampaignReportText is a campaign's report for people: what it is, the
// primary metric of both groups as bars beside their numbers, the verdict,
// then the secondary figures without verdicts, the outcomes by their
// labels (code → label; a code without one shows as it is). Plain text, up
// to 78 cells wide; every value from data is made safe for the terminal.
func CampaignReportText(r campaign.Report, t Text, labels map[string]string) string {
	var b strings.Builder
	line := func(format string, args ...any) { b.WriteString(Sprintf(format, args...) + "\n") }
	c := r.Campaign
	line(t.RepHead, Safe(c.Name), t.CampaignState(c.State), Safe(c.Segment), t.Kind(c.Kind))
	done := t.RepComplete
	if !r.Complete {
		done = Sprintf(t.RepSoFar, int(c.MeasuredUntil().Sub(r.AsOf).Hours()/24+0.999))
	}
	line(t.RepMeasured, c.StartsAt.Format("2006-01-02"), c.MeasuredUntil().Format("2006-01-02"), done, Safe(c.CreatedBy))
	line(t.RepGroups, c.Contact, c.Control, c.ControlPct, c.Seed)
	b.WriteString("\n")
	line(t.RepPrimary, t.Metric(c.Metric))
	label := max(lipgloss.Width(t.RepCalled), lipgloss.Width(t.RepControlGroup))
	for _, g := range []struct {
		name string
		r    crm.Ratio
	}{{t.RepCalled, r.Contact.Primary}, {t.RepControlGroup, r.Control.Primary}} {
		pad := strings.Repeat(" ", label-lipgloss.Width(g.name))
		b.WriteString("  " + g.name + pad + "  " + bar(g.r, 30) + "  " + t.share(g.r) + "\n")
	}
	b.WriteString("  → " + t.CampaignVerdict(r) + "\n")
	b.WriteString("    " + t.RepInterval + "\n\n")

	b.WriteString(t.RepBeside + "\n")
	rows := [][3]string{
		{t.RepReached, t.share(r.Contact.Reached), "—"},
		{t.RepCalls, Thousands(int64(r.Contact.CallsMade)) + " · " + Thousands(int64(r.Contact.OpenCalls)), "—"},
		{t.RepBought, t.share(r.Contact.Bought), t.share(r.Control.Bought)},
		{t.RepSpend, Won(t, perCustomer(r.Contact.Spend, r.Contact.Size)), Won(t, perCustomer(r.Control.Spend, r.Control.Size))},
		{t.RepPoints, fmt.Sprintf("%s · %s", Thousands(perCustomer(r.Contact.PointsEarned, r.Contact.Size)), Thousands(perCustomer(r.Contact.PointsUsed, r.Contact.Size))),
			fmt.Sprintf("%s · %s", Thousands(perCustomer(r.Control.PointsEarned, r.Control.Size)), Thousands(perCustomer(r.Control.PointsUsed, r.Control.Size)))},
		{t.RepReferrals, Thousands(int64(r.Contact.Referrals)), Thousands(int64(r.Control.Referrals))},
		{t.RepAtRisk, t.share(r.Contact.AtRisk), t.share(r.Control.AtRisk)},
	}
	w0, w1 := 0, lipgloss.Width(t.RepCalled)
	for _, row := range rows {
		w0, w1 = max(w0, lipgloss.Width(row[0])), max(w1, lipgloss.Width(row[1]))
	}
	cell := func(s string, w int) string { return s + strings.Repeat(" ", max(0, w-lipgloss.Width(s))) }
	b.WriteString("  " + cell("", w0) + "  " + cell(t.RepCalled, w1) + "  " + t.RepControlGroup + "\n")
	for _, row := range rows {
		b.WriteString("  " + cell(row[0], w0) + "  " + cell(row[1], w1) + "  " + row[2] + "\n")
	}
	codes := make([]string, 0, len(r.Contact.Dispositions))
	for code := range r.Contact.Dispositions {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	var outs []string
	for _, code := range codes {
		name := code
		if l := labels[code]; l != "" {
			name = l
		}
		outs = append(outs, Safe(name)+" "+Thousands(int64(r.Contact.Dispositions[code])))
	}
	if len(outs) == 0 {
		outs = []string{t.RepNoCalls}
	}
	b.WriteString(t.RepOutcomes + ": " + strings.Join(outs, " · ") + "\n")
	return b.String()
}

// OutcomeLabels are the wrap-up codes' labels in t's language, for
// CampaignReportText.
func OutcomeLabels(t Text, codes []queue.Disposition) map[string]string {
	labels := make(map[string]string, len(codes))
	for _, d := range codes {
		labels[d.Code] = t.DispositionLabel(d)
	}
	return labels
}

// BestTime is a customer's best time to call in words.
func (t Text) BestTime(b crm.BestTime) string {
	switch {
	case b.Band < 0:
		return t.BestTimeNone
	case !b.Known():
		return Sprintf(t.BestTimeUnsure, b.Calls)
	case !b.Confident(): // the days only
		return Sprintf(t.BestDaysIs, t.BestSlot(b), b.Days.Answered, b.Days.In, int(100*b.Days.Sure+0.5))
	}
	return Sprintf(t.BestTimeIs, t.BestSlot(b), b.Answered, b.InBand, int(100*b.Sure+0.5))
}

// BestSlot is what is known of the best time, short: "Tue–Thu 18–20",
// "18–20", "Sat–Sun" ("화–목 18–20시" in Korean).
func (t Text) BestSlot(b crm.BestTime) string {
	var parts []string
	if b.Days.Confident() {
		names := strings.Fields(t.DayNames)
		g := crm.DayGroups[b.Days.Group]
		parts = append(parts, names[g[0]]+"–"+names[g[1]])
	}
	if b.Confident() {
		band := fmt.Sprintf("%02d–%02d", b.From(), b.To())
		if t.Lang == Korean {
			band += "시"
		}
		parts = append(parts, band)
	}
	return strings.Join(parts, " ")
}
