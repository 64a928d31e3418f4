package desk

import (
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"github.com/charmbracelet/x/ansi"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// renderHeader is the part of the 360 that never scrolls away: who the
// customer is, what they are worth, whether they may leave, whether they
// may be called, their local time, and who else is on them.
func renderHeader(c *kit.Common, p kit.ShownCustomer, present []string, now time.Time, w int) string {
	t, st := c.Text, c.Styles
	tierName := kit.Safe(p.Tier.NameKo)
	if t.Lang == kit.English {
		tierName = kit.Safe(p.Tier.NameEn)
	}
	// A flag that blocks calling comes first, so no width ever cuts it.
	line1 := ""
	if p.DNC {
		line1 = st.Bad.Render("⛔ "+t.DNC) + "  "
	}
	line1 += st.Name.Render(kit.Safe(p.Name))
	if p.NameRoman != "" && p.NameRoman != p.Name {
		line1 += " " + st.Muted.Render(kit.Safe(p.NameRoman))
	}
	line1 += "  " + st.TierBadge(p.Tier.Code, tierName) + " " + st.Label.Render(t.Segment(p.RFM.Segment))
	if p.Churn.AtRisk {
		line1 += "  " + st.Warn.Render("⚠ "+t.ChurnRisk)
	}
	local := now.In(p.Location())
	line2 := st.Muted.Render(fmt.Sprintf("#%d · %s %s · %s %s", p.ID, t.SinceLabel, p.JoinedAt.In(now.Location()).Format("2006-01-02"),
		t.LocalTime, local.Format("15:04")))
	if _, off := local.Zone(); off != 9*3600 {
		line2 += st.Warn.Render(" (" + kit.Safe(p.TZ) + ")")
	}
	last := t.NeverContacted
	if !p.LastContact.At.IsZero() {
		last = t.Ago(p.LastContact.At, now) + ", " + t.Channel(string(p.LastContact.Channel))
		if p.LastContact.Agent != "" {
			last += ", " + kit.Safe(p.LastContact.Agent)
		}
	}
	line3 := fmt.Sprintf("%s %sP · %s %s", st.Label.Render(t.Points), kit.Thousands(p.Points),
		st.Label.Render(t.Lifetime), kit.Won(t, p.LifetimeValue))
	lines := []string{line1, line2, line3, st.Label.Render(t.LastContact) + " " + last}
	if a := p.LastAttempt; !a.At.IsZero() {
		label := t.DispositionLabel(queue.Disposition{LabelKo: a.LabelKo, LabelEn: a.LabelEn})
		try := t.Ago(a.At, now) + ", " + kit.Safe(label)
		if a.Agent != "" {
			try += ", " + kit.Safe(a.Agent)
		}
		lines = append(lines, st.Label.Render(t.LastAttempt)+" "+st.Warn.Render(try))
	}
	yes := func(ok bool, name string) string {
		if ok {
			return st.Good.Render("✓" + name)
		}
		return st.Muted.Render("✗" + name)
	}
	line4 := st.Label.Render(t.Consent) + " " + strings.Join([]string{yes(p.ConsentMarketing, t.Marketing),
		yes(p.ConsentSMS, t.SMS), yes(p.ConsentEmail, t.EmailC)}, " ")
	lines = append(lines, line4)
	if len(present) > 0 {
		lines = append(lines, st.Soon.Render("👤 "+kit.Sprintf(t.OnCustomer, kit.Safe(strings.Join(present, ", ")))))
	}
	for _, r := range p.Churn.Reasons {
		lines = append(lines, st.Warn.Render("  · "+kit.Safe(t.ChurnReason(r))))
	}
	if len(p.Duplicates) > 0 {
		var ds []string
		for _, d := range p.Duplicates {
			why := map[string]string{"phone": t.DupPhone, "email": t.DupEmail, "name_birthday": t.DupNameBirthday}[d.Why]
			ds = append(ds, fmt.Sprintf("#%d %s (%s)", d.ID, kit.Safe(d.Name), why))
		}
		dup := kit.Sprintf(t.Duplicates, strings.Join(ds, ", "))
		if c.Agent.Can(crm.PermTeamWork) { // only they may merge
			dup += t.MergeThem
		}
		lines = append(lines, st.Soon.Render("⧉ "+dup))
	}
	for i, l := range lines {
		lines[i] = kit.Fit(l, w)
	}
	return strings.Join(lines, "\n")
}

// renderBody is the scrolling part of the 360: numbers (the selected one
// marked, each a tel: link), addresses, tier and value, referrals, open
// complaints against their SLA, and the timeline.
func renderBody(c *kit.Common, p kit.ShownCustomer, selected int, timeline []crm.TimelineItem, filter crm.TimelineKind, now time.Time, w int) string {
	t, st := c.Text, c.Styles
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	label := func(s string) string { return st.Label.Render(kit.Fit(s, labelWidth(t))) }

	for i, ph := range p.Phones {
		l := t.Phones
		if i > 0 {
			l = ""
		}
		mark := "  "
		if i == selected {
			mark = "▸ "
		}
		tags := t.PhoneKind(ph.Kind)
		if ph.IsPrimary {
			tags += ", " + t.PrimaryTag
		}
		num := ansi.SetHyperlink("tel:"+kit.Safe(ph.E164)) + kit.Safe(ph.Display()) + ansi.ResetHyperlink()
		if ph.Invalid {
			num = st.Bad.Render(kit.Safe(ph.Display()) + " ✗")
		}
		add(label(l) + mark + num + " " + st.Muted.Render("("+tags+")"))
	}
	for i, e := range p.Emails {
		l := t.Emails
		if i > 0 {
			l = ""
		}
		add(label(l) + "  " + kit.Safe(e.Address))
	}
	if p.ExternalID != "" {
		add(label(t.CustomerNumber) + "  " + kit.Safe(p.ExternalID))
	}
	if p.Birthday != "" {
		add(label(t.Birthday) + "  " + kit.Safe(p.Birthday))
	}
	for i, a := range p.Attributes {
		l := t.Attributes
		if i > 0 {
			l = ""
		}
		if i == crm.MaxAttributes {
			add(label(l) + "  " + st.Muted.Render(t.MoreAttributes))
			break
		}
		add(label(l) + "  " + st.Muted.Render(kit.Safe(a.Key)+":") + " " + kit.Safe(a.Value))
	}
	benefits := p.Tier.BenefitsKo
	if t.Lang == kit.English {
		benefits = p.Tier.BenefitsEn
	}
	add(label(t.Benefits) + "  " + kit.Safe(benefits))
	rfm := p.RFM
	recency := "-"
	if rfm.RecencyDays >= 0 {
		recency = kit.Sprintf(t.DaysAgo, rfm.RecencyDays)
	}
	add(label("RFM") + "  " + fmt.Sprintf("R%d F%d M%d · %s · %s/%s %s", rfm.R, rfm.F, rfm.M, recency,
		kit.Sprintf(t.Purchases, rfm.Frequency), kit.Won(t, rfm.Monetary), st.Muted.Render(t.Last12Months)))
	if p.BestTime.Known() { // unsure, it says nothing: the 360 has no line to spare
		add(label(t.BestTimeLabel) + "  " + t.BestTime(p.BestTime))
	}
	if p.ReferredBy != nil || p.Referrals > 0 {
		ref := ""
		if p.ReferredBy != nil {
			ref = kit.Sprintf(t.ReferredBy, kit.Safe(p.ReferredBy.Name), p.ReferredBy.ID)
		}
		if p.Referrals > 0 {
			if ref != "" {
				ref += " · "
			}
			ref += kit.Sprintf(t.ReferredCount, p.Referrals)
		}
		add(label(t.Referral) + "  " + ref)
	}

	// The promises: every open callback, when, whose, which try, why.
	add("")
	if len(p.Open) == 0 {
		add(st.Muted.Render(t.NoOpenCallbacks))
	} else {
		add(st.Section.Render(kit.Sprintf(t.OpenCallbacks, len(p.Open))))
		for _, cb := range p.Open {
			owner := t.Pool
			if !cb.Pool() {
				owner = kit.Safe(cb.Owner)
			}
			line := fmt.Sprintf(" #%d %s · %s · %s", cb.ID, t.When(cb.Due, now.In(c.Site()), db.Zone(cb.CustomerTZ)), owner, t.Kind(cb.Kind))
			if cb.Attempts > 0 {
				line += " · " + kit.Sprintf(t.Tries, cb.Attempts, cb.MaxAttempts)
			}
			if cb.State == queue.Claimed {
				line += " · " + kit.Sprintf(t.StatusTaken, kit.Safe(cb.ClaimedBy))
			}
			add(line)
			if cb.Reason != "" {
				add("   " + st.Muted.Render(kit.Safe(cb.Reason)))
			}
		}
	}

	add("")
	if len(p.OpenComplaints) == 0 {
		add(st.Muted.Render(t.NoOpenComplaints))
	} else {
		add(st.Section.Render(fmt.Sprintf("%s (%d)", t.OpenComplaints, len(p.OpenComplaints))))
		for _, cp := range p.OpenComplaints {
			sla := cp.Against(p.SLA, now)
			style := st.Good
			switch sla.State {
			case crm.SLAAtRisk:
				style = st.Warn
			case crm.SLABreached:
				style = st.Bad
			}
			// The SLA line wraps rather than being cut.
			for _, l := range strings.Split(kit.Wrap(fmt.Sprintf(" #%d %s ", cp.ID, kit.Safe(cp.Subject))+"("+t.SLAText(sla, cp.OpenedAt, now)+")", max(1, w-1)), "\n") {
				add(style.Render(l))
			}
		}
	}

	add("")
	add(st.Section.Render(t.Timeline) + "  " + st.Muted.Render(t.TimelineFilter(string(filter))+" · t "+t.KeyFilter))
	if len(timeline) == 0 {
		add(st.Muted.Render(t.NoNotes))
	}
	for _, it := range timeline {
		who := kit.Safe(it.Agent)
		if who == "" {
			who = t.Unattended
		}
		head, body := timelineText(t, it)
		add(st.Muted.Render(fmt.Sprintf("%s  %s  %s", kit.Stamp(it.At, now), head, who)))
		if body != "" {
			for _, l := range strings.Split(kit.Wrap(body, max(1, w-2)), "\n") {
				add("  " + l)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// timelineText is an event in two parts: what it was, and its text.
func timelineText(t kit.Text, it crm.TimelineItem) (string, string) {
	switch it.Kind {
	case crm.KindInteraction:
		return t.Channel(it.Channel), kit.SafeText(strings.TrimSpace(it.Body)) // a note is shown in full, lines and all
	case crm.KindPurchase:
		return t.TimelineHead(it.Kind), kit.Safe(it.Title) + " " + kit.Won(t, it.Amount)
	case crm.KindComplaint:
		return t.TimelineHead(it.Kind), kit.Safe(it.Title) + " (" + t.ComplaintStatus(it.Body) + ")"
	case crm.KindPoints:
		return t.TimelineHead(it.Kind), fmt.Sprintf("%+dP %s", it.Amount, kit.Safe(it.Body))
	case crm.KindOutcome:
		ko, en, _ := strings.Cut(it.Body, "\t")
		label := en
		if t.Lang == kit.Korean {
			label = ko
		}
		return t.TimelineHead(it.Kind), kit.Safe(label) + " · " + kit.Sprintf(t.Attempt, it.Amount) + " — " + kit.Safe(it.Title)
	}
	return t.TimelineHead(it.Kind), kit.Safe(it.Title) + " (" + t.State(it.Channel) + ")"
}

// labelWidth is the label column of the 360, wide enough for the longest
// label of the language.
func labelWidth(t kit.Text) int {
	if t.Lang == kit.Korean {
		return 10
	}
	return 13
}
