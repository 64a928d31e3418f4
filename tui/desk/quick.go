package desk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// quickAction is one entry of the 360's action menu.
type quickAction struct {
	label string
	Form  func(c *kit.Common, p kit.ShownCustomer) *kit.FormPane
}

// QuickActions are what this agent may do for a customer from the 360:
// merging is for supervisors (the form refuses it too, should the role
// change while the console is open).
func QuickActions(c *kit.Common) []quickAction {
	t := c.Text
	all := []quickAction{
		{t.ActCallback, callbackForm},
		{t.ActComplaint, complaintForm},
		{t.ActRespond, func(c *kit.Common, p kit.ShownCustomer) *kit.FormPane { return complaintStepForm(c, p, false) }},
		{t.ActResolve, func(c *kit.Common, p kit.ShownCustomer) *kit.FormPane { return complaintStepForm(c, p, true) }},
		{t.ActPoints, pointsForm},
		{t.ActPurchase, purchaseForm},
		{t.ActContact, contactForm},
		{t.ActFeedback, feedbackForm},
		{t.ActReferral, referralForm},
	}
	if c.Agent.Can(crm.PermTeamWork) {
		all = append(all, quickAction{t.ActMerge, MergeForm})
	}
	return all
}

// MergeForm merges another customer row into the one open (supervisors):
// the first enter shows where the two differ, the second merges.
func MergeForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, q, me, keep := com.Text, com.CRM, com.Queue, com.Agent, p.ID
	def := ""
	if len(p.Duplicates) > 0 {
		def = strconv.FormatInt(p.Duplicates[0].ID, 10)
	}
	var shown int64
	return kit.NewForm(com, t.ActMerge+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		if !me.Can(crm.PermTeamWork) {
			return nil, errors.New(t.MergeSupervisor)
		}
		other, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v[0]), "#"), 10, 64)
		if err != nil || other <= 0 {
			return nil, errors.New(t.NeedMergeID)
		}
		if shown != other { // first say what will happen
			conflicts, err := c.MergePreview(com.Ctx, keep, other)
			if err != nil {
				return nil, errors.New(t.Refusal(err, com.Now()))
			}
			shown = other
			if len(conflicts) == 0 {
				o, _ := c.Customer(com.Ctx, other)
				return nil, kit.Errorf(t.MergeNoConflict, other, kit.Safe(o.Name))
			}
			var fields []string
			for _, cf := range conflicts {
				fields = append(fields, fmt.Sprintf("%s %s / %s", cf.Field, kit.Safe(cf.Keep), kit.Safe(cf.Other)))
			}
			return nil, kit.Errorf(t.MergeConflicts, strings.Join(fields, "; "))
		}
		ctx := com.Ctx
		return func() tea.Msg {
			res, err := q.Merge(ctx, me, keep, other)
			return kit.ActionDoneMsg{Text: kit.Sprintf(t.DoneMerge, res.MergeID, res.MergeID), Err: err}
		}, nil
	}).Text(t.FieldMergeWith, def, t.MergeHint)
}

func callbackForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, q, me, id, tz := com.Text, com.Queue, com.Agent, p.ID, p.TZ
	now := com.Now
	warned := false
	return kit.NewForm(com, t.ActCallback+" — "+p.Name, func(v []string, on []bool) (tea.Cmd, error) {
		due, err := q.Policy().ParseDue(v[0], now(), db.Zone(tz))
		if err != nil {
			return nil, errors.New(t.Refusal(err, now()))
		}
		if len(p.Open) > 0 && !warned {
			// A second promise to the same customer is usually a mistake:
			// say so once; enter again means it.
			warned = true
			first := p.Open[0]
			return nil, kit.Errorf(t.SecondCallback, first.ID, t.When(first.Due, now().In(com.Site()), db.Zone(tz)))
		}
		prio, err := strconv.Atoi(v[2])
		if err != nil || prio < 1 || prio > 5 {
			return nil, errors.New(t.BadPriority)
		}
		owner := me.ID
		if on[3] {
			owner = 0
		}
		kind := v[4]
		return kit.RunAction(com, kit.Sprintf(t.DoneCallback, t.When(due, now(), db.Zone(tz))), func(ctx context.Context) error {
			_, err := q.Add(ctx, me, queue.NewCallback{CustomerID: id, Due: due, Reason: v[1], Priority: prio, OwnerID: owner, Kind: kind})
			return err
		}), nil
	}).When(t.FieldWhen, t.DefaultFollowUp, tz, &queue.Window{StartMin: 8 * 60, EndMin: 21 * 60}).Best(p.BestTime).Text(t.FieldReason, "", "").
		Text(t.FieldPriority, "3", "1-5").YesNo(t.FieldToPool, false).Choice(t.FieldKind, bookingKind(p, me), t.KindOptions())
}

// bookingKind is the kind a new callback starts as: that of the call the
// agent holds for the customer (the one being wrapped up), else service.
func bookingKind(p kit.ShownCustomer, me crm.Agent) string {
	for _, cb := range p.Open {
		if cb.ClaimedByAgent(me.Name) {
			return cb.Kind
		}
	}
	return "service"
}

func complaintForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me, id := com.Text, com.CRM, com.Agent, p.ID
	return kit.NewForm(com, t.ActComplaint+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		if v[0] == "" {
			return nil, errors.New(t.NeedSubject)
		}
		return kit.RunAction(com, t.DoneComplaint, func(ctx context.Context) error {
			_, err := c.OpenComplaint(ctx, me, id, v[0], v[1])
			return err
		}), nil
	}).Text(t.FieldSubject, "", "").Text(t.FieldNote, "", "")
}

func complaintStepForm(com *kit.Common, p kit.ShownCustomer, resolve bool) *kit.FormPane {
	t, c, me := com.Text, com.CRM, com.Agent
	title, done := t.ActRespond, t.DoneRespond
	if resolve {
		title, done = t.ActResolve, t.DoneResolve
	}
	first := ""
	if len(p.OpenComplaints) > 0 {
		first = fmt.Sprint(p.OpenComplaints[0].ID)
	}
	return kit.NewForm(com, title+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		id, err := strconv.ParseInt(strings.TrimPrefix(v[0], "#"), 10, 64)
		if err != nil {
			return nil, errors.New(t.NeedComplaint)
		}
		if err := crm.ValidateNote(v[1]); err != nil {
			return nil, err
		}
		return kit.RunAction(com, done, func(ctx context.Context) error {
			if resolve {
				return c.ResolveComplaint(ctx, me, id, v[1])
			}
			return c.RespondComplaint(ctx, me, id, v[1])
		}), nil
	}).Text(t.FieldComplaint, first, "#").Text(t.FieldNote, "", "")
}

func pointsForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me, id := com.Text, com.CRM, com.Agent, p.ID
	return kit.NewForm(com, fmt.Sprintf("%s — %s (%sP)", t.ActPoints, p.Name, kit.Thousands(p.Points)), func(v []string, _ []bool) (tea.Cmd, error) {
		kind, ok := map[string]string{"적립": "earn", "사용": "redeem", "조정": "adjust", "earn": "earn", "redeem": "redeem", "adjust": "adjust"}[strings.ToLower(v[0])]
		if !ok {
			return nil, errors.New(t.BadPointsKind)
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSuffix(strings.ToUpper(v[1]), "P"), ",", ""), 10, 64)
		if err != nil {
			return nil, errors.New(t.BadPoints)
		}
		return kit.RunAction(com, t.DonePoints, func(ctx context.Context) error {
			_, err := c.ChangePoints(ctx, me, id, crm.PointsChange{Kind: kind, Points: n, Reason: v[2]})
			return err
		}), nil
	}).Text(t.FieldPointsKind, t.PointsEarn, t.PointsKinds).Text(t.FieldPoints, "", "1000").Text(t.FieldReason, "", "")
}

func purchaseForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me, id := com.Text, com.CRM, com.Agent, p.ID
	return kit.NewForm(com, t.ActPurchase+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", "원", "", "₩", "").Replace(v[1]), 10, 64)
		if err != nil || n == 0 {
			return nil, errors.New(t.BadAmount)
		}
		return kit.RunAction(com, t.DonePurchase, func(ctx context.Context) error { return c.AddPurchase(ctx, me, id, v[0], n, "phone") }), nil
	}).Text(t.FieldItem, "", "").Text(t.FieldAmount, "", "129000")
}

func contactForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me, id := com.Text, com.CRM, com.Agent, p.ID
	return kit.NewForm(com, t.ActContact+" — "+p.Name, func(v []string, on []bool) (tea.Cmd, error) {
		if v[0] == "" {
			return nil, errors.New(t.NeedName)
		}
		if v[2] != "" {
			if _, err := crm.NormalizePhone(v[2]); err != nil {
				return nil, err
			}
		}
		e := crm.ContactEdit{Name: &v[0], NameRoman: &v[1], AddPhone: v[2], AddEmail: v[3],
			Marketing: &on[4], SMS: &on[5], EmailConsent: &on[6], DNC: &on[7], Reason: v[8]}
		return kit.RunAction(com, t.DoneContact, func(ctx context.Context) error { return c.EditContact(ctx, me, id, e) }), nil
	}).Text(t.FieldName, kit.Safe(p.Name), "").Text(t.FieldRoman, kit.Safe(p.NameRoman), "").Text(t.FieldAddPhone, "", "010-1234-5678").
		Text(t.FieldAddEmail, "", "name@example.com").YesNo(t.Marketing, p.ConsentMarketing).YesNo(t.SMS, p.ConsentSMS).
		YesNo(t.EmailC, p.ConsentEmail).YesNo(t.DNC, p.DNC).Text(t.FieldReason, "", "")
}

func feedbackForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me := com.Text, com.CRM, com.Agent
	var last int64
	for _, in := range p.Recent {
		if in.Agent == me.Name {
			last = in.ID
			break
		}
	}
	return kit.NewForm(com, t.ActFeedback+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		if last == 0 {
			return nil, errors.New(t.NeedCall)
		}
		var f crm.Feedback
		for i, dst := range []**int{&f.Satisfaction, &f.Recommend} {
			if v[i] == "" {
				continue
			}
			n, err := strconv.Atoi(v[i])
			if err != nil {
				return nil, errors.New(t.BadScore)
			}
			*dst = &n
		}
		return kit.RunAction(com, t.DoneFeedback, func(ctx context.Context) error { return c.SetFeedback(ctx, me, last, f) }), nil
	}).Text(t.FieldSatisfaction, "", "1-5").Text(t.FieldRecommend, "", "0-10")
}

func referralForm(com *kit.Common, p kit.ShownCustomer) *kit.FormPane {
	t, c, me, id := com.Text, com.CRM, com.Agent, p.ID
	return kit.NewForm(com, t.ActReferral+" — "+p.Name, func(v []string, _ []bool) (tea.Cmd, error) {
		if v[0] == "" {
			return nil, errors.New(t.NeedReferrer)
		}
		return kit.RunAction(com, t.DoneReferral, func(ctx context.Context) error {
			other, err := strconv.ParseInt(strings.TrimPrefix(v[0], "#"), 10, 64)
			if err != nil {
				found, _, err := c.Search(ctx, v[0], 2)
				if err != nil {
					return err
				}
				if len(found) != 1 {
					return errors.New(t.NeedReferrer)
				}
				other = found[0].ID
			}
			return c.AddReferral(ctx, me, other, id)
		}), nil
	}).Text(t.FieldReferrer, "", t.ReferrerHint)
}

// actionPickedMsg says which quick action the menu picked.
type actionPickedMsg struct{ index int }

// newActionMenu lists the quick actions; a number or enter picks one.
func newActionMenu(c *kit.Common) *kit.ChoicePane {
	var labels []string
	for _, a := range QuickActions(c) {
		labels = append(labels, a.label)
	}
	return kit.NewChoice(c, c.Text.MenuTitle, labels, func(i int) tea.Msg { return actionPickedMsg{index: i} })
}
