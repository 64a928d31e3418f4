package queue

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// TestReportOnAKnownDataset builds a small call center by hand, at set
// times, and checks every figure against the answer worked out on paper.
// The period is the week [Nov 16, Nov 23) 2026 in Seoul; the week before
// is [Nov 9, Nov 16).
func TestReportOnAKnownDataset(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "report.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, kst)}
	c := crm.New(d)
	c.Now = clk.Now
	q := New(d, c)
	q.Now = clk.Now
	at := func(day, hour, minute int) { clk.t = time.Date(2026, 11, day, hour, minute, 0, 0, kst) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := crm.OSActor()
	minji, err := c.AddAgent(ctx, admin, crm.Agent{Name: "minji", Role: crm.RoleAgent})
	must(err)
	sora, err := c.AddAgent(ctx, admin, crm.Agent{Name: "sora", Role: crm.RoleSupervisor})
	must(err)
	cust := map[string]int64{}
	for i, n := range []string{"A", "B", "C", "D", "E"} {
		id, err := c.AddCustomer(ctx, minji, crm.NewCustomer{Name: "고객" + n, Phones: []string{"010-1000-000" + string(rune('1'+i))}})
		must(err)
		cust[n] = id
	}
	buy := func(who string, day int) {
		at(day, 12, 0)
		must(c.AddPurchase(ctx, minji, cust[who], "상품", 10000, "store"))
	}
	// Before: A, B, D bought. This week: A twice, C once, D once.
	buy("A", 10)
	buy("B", 11)
	buy("D", 12)
	buy("A", 17)
	buy("A", 20)
	buy("C", 18)
	buy("D", 22)
	at(19, 9, 0)
	_, err = c.ChangePoints(ctx, minji, cust["B"], crm.PointsChange{Kind: "earn", Points: 500, Reason: "사과"})
	must(err)
	_, err = c.ChangePoints(ctx, minji, cust["A"], crm.PointsChange{Kind: "redeem", Points: 300, Reason: "사용"})
	must(err)
	at(19, 11, 0)
	must(c.AddReferral(ctx, minji, cust["A"], cust["E"]))

	// Complaints: K1 answered in 10 h, resolved in 48 h; K2 answered in 48
	// h, resolved in 98 h; K3 opened on the 21st and never answered.
	at(17, 10, 0)
	k1, err := c.OpenComplaint(ctx, minji, cust["A"], "배송", "")
	must(err)
	at(17, 20, 0)
	must(c.RespondComplaint(ctx, minji, k1, "연락함"))
	at(19, 10, 0)
	must(c.ResolveComplaint(ctx, minji, k1, "해결"))
	at(18, 10, 0)
	k2, err := c.OpenComplaint(ctx, minji, cust["B"], "환불", "")
	must(err)
	at(20, 10, 0)
	must(c.RespondComplaint(ctx, minji, k2, "연락함"))
	at(22, 12, 0)
	must(c.ResolveComplaint(ctx, minji, k2, "해결"))
	at(21, 10, 0)
	_, err = c.OpenComplaint(ctx, minji, cust["C"], "품질", "")
	must(err)

	// Scored contacts: 5/10, 3/6, 4/9 and one without scores.
	for i, sc := range [][2]int{{5, 10}, {3, 6}, {4, 9}, {0, -1}} {
		at(20, 13, i)
		in, err := c.AddNote(ctx, minji, crm.NewNote{CustomerID: cust["D"], Body: "통화"})
		must(err)
		if sc[0] > 0 {
			sat, rec := sc[0], sc[1]
			must(c.SetFeedback(ctx, minji, in.ID, crm.Feedback{Satisfaction: &sat, Recommend: &rec}))
		}
	}

	// Calls: cb1 due 17th 10:00, claimed 10:05, resolved 10:15. cb2 due
	// 18th 10:00, claimed 10:30 (late), no answer at 10:32 (retry 11:02),
	// claimed 11:05, resolved 11:10.
	at(16, 9, 0)
	cb1, err := q.Add(ctx, minji, NewCallback{CustomerID: cust["A"], Kind: "complaint", Due: time.Date(2026, 11, 17, 10, 0, 0, 0, kst), OwnerID: minji.ID})
	must(err)
	cb2, err := q.Add(ctx, minji, NewCallback{CustomerID: cust["B"], Kind: "complaint", Due: time.Date(2026, 11, 18, 10, 0, 0, 0, kst), OwnerID: minji.ID})
	must(err)
	call := func(id int64, claimDay, claimH, claimM, doneH, doneM int, code string) {
		t.Helper()
		at(claimDay, claimH, claimM)
		_, err := q.Claim(ctx, minji, id)
		must(err)
		at(claimDay, doneH, doneM)
		_, err = q.Done(ctx, minji, id, Wrapup{Disposition: code})
		must(err)
	}
	call(cb1.ID, 17, 10, 5, 10, 15, "resolved")
	call(cb2.ID, 18, 10, 30, 10, 32, "no_answer")
	call(cb2.ID, 18, 11, 5, 11, 10, "resolved")
	// An open callback overdue at the end of the week.
	_, err = q.Add(ctx, minji, NewCallback{CustomerID: cust["C"], Kind: "complaint", Due: time.Date(2026, 11, 22, 15, 0, 0, 0, kst), OwnerID: minji.ID})
	must(err)

	from, to := time.Date(2026, 11, 16, 0, 0, 0, 0, kst), time.Date(2026, 11, 23, 0, 0, 0, 0, kst)
	if _, err := q.Report(ctx, minji, from, to, "", true); err == nil {
		t.Error("an agent read the team's figures")
	}
	f, err := q.Report(ctx, sora, from, to, "", true)
	must(err)
	ratio := func(name string, got crm.Ratio, num, den int) {
		t.Helper()
		if got.Num != num || got.Den != den {
			t.Errorf("%s = %d of %d, want %d of %d", name, got.Num, got.Den, num, den)
		}
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.01 {
			t.Errorf("%s = %.3f, want %.3f", name, got, want)
		}
	}
	ratio("retention", f.Customer.Retention, 2, 3)
	ratio("repeat purchase", f.Customer.RepeatPurchase, 1, 3)
	ratio("first response within SLA", f.Customer.FirstResponse.Within, 1, 3)
	near("first response median hours", f.Customer.FirstResponse.MedianHours, 29)
	ratio("resolution within SLA", f.Customer.Resolution.Within, 1, 2)
	near("resolution median hours", f.Customer.Resolution.MedianHours, 73)
	near("satisfaction", f.Customer.Satisfaction, 4)
	if f.Customer.Scored != 3 || f.Customer.Answers != 3 {
		t.Errorf("scored %d, answers %d; want 3 and 3", f.Customer.Scored, f.Customer.Answers)
	}
	near("NPS", f.Customer.NPS, 100.0/3)
	if f.Customer.Referrals != 1 {
		t.Errorf("referrals = %d, want 1", f.Customer.Referrals)
	}
	// Four purchases of 10,000 won at 1 % and 500 by hand: 900 issued.
	if f.Customer.PointsIssued != 900 || f.Customer.PointsRedeemed != 300 {
		t.Errorf("points issued %d, redeemed %d; want 900 and 300", f.Customer.PointsIssued, f.Customer.PointsRedeemed)
	}
	if f.Calls.Calls != 3 {
		t.Errorf("calls = %d, want 3", f.Calls.Calls)
	}
	ratio("on time", f.Calls.OnTime, 2, 3)
	ratio("reached", f.Calls.Reached, 2, 3)
	ratio("first-contact resolution", f.Calls.FirstContact, 1, 2)
	if f.Calls.OverdueNow != 1 {
		t.Errorf("overdue = %d, want 1", f.Calls.OverdueNow)
	}
	if f.Calls.Handling != 340*time.Second {
		t.Errorf("handling = %s, want 5m40s", f.Calls.Handling)
	}
	// C's complaint is open and recent: at risk.
	if f.ChurnBySegment == nil || sum(f.ChurnBySegment) != 1 {
		t.Errorf("churn by segment = %v, want one customer at risk", f.ChurnBySegment)
	}

	// minji's own figures: her calls, her scored contacts, her points.
	mf, err := q.Report(ctx, sora, from, to, "minji", false)
	must(err)
	ratio("minji on time", mf.Calls.OnTime, 2, 3)
	if mf.Customer.PointsIssued != 900 || mf.Calls.OverdueNow != 1 {
		t.Errorf("minji: points %d, overdue %d", mf.Customer.PointsIssued, mf.Calls.OverdueNow)
	}
	sf, err := q.Report(ctx, sora, from, to, "sora", false)
	must(err)
	if sf.Calls.Calls != 0 || sf.Calls.OnTime.Pct() != -1 || sf.Customer.Satisfaction != -1 {
		t.Errorf("sora made no calls: %+v", sf.Calls)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
