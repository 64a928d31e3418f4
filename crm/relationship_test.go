package crm

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestComplaintSLAStates(t *testing.T) {
	opened := demoNow
	sla := DefaultSLA
	cases := []struct {
		status string
		after  time.Duration
		want   SLAState
		clock  string
	}{
		{"open", 2 * time.Hour, SLAOK, "first_response"},
		{"open", 18 * time.Hour, SLAAtRisk, "first_response"},
		{"open", 25 * time.Hour, SLABreached, "first_response"},
		{"responded", 25 * time.Hour, SLAOK, "resolution"},
		{"responded", 60 * time.Hour, SLAAtRisk, "resolution"},
		{"responded", 73 * time.Hour, SLABreached, "resolution"},
		{"resolved", 500 * time.Hour, SLAOK, ""},
	}
	for _, c := range cases {
		got := Complaint{Status: c.status, OpenedAt: opened}.Against(sla, opened.Add(c.after))
		if got.State != c.want || got.Clock != c.clock {
			t.Errorf("%s after %s: %+v, want state %d clock %q", c.status, c.after, got, c.want, c.clock)
		}
	}
}

func TestComplaintLifecycle(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	s.DB.Exec(`INSERT INTO meta VALUES ('sla.first_response_hours', '4')`)
	if got := s.SLA(ctx); got.FirstResponse != 4*time.Hour || got.Resolution != 72*time.Hour {
		t.Errorf("configured SLA = %+v", got)
	}
	id, err := s.OpenComplaint(ctx, minji, 2, "배송 파손", "상자가 찌그러져 도착했다고 함")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RespondComplaint(ctx, minji, id, "사과드리고 교환 접수함"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveComplaint(ctx, minji, id, "교환품 수령 확인"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveComplaint(ctx, minji, id, "again"); err == nil || !strings.Contains(err.Error(), "already resolved") {
		t.Errorf("resolving twice: %v", err)
	}
	notes := count(t, s, `SELECT count(*) FROM interactions WHERE complaint_id = ?`, id)
	if notes != 3 {
		t.Errorf("each step should be an interaction with its note: %d", notes)
	}
	trail, _ := s.AuditTrail(ctx, "complaint", id)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "open,responded,resolved" {
		t.Errorf("complaint audit = %v", actions)
	}
	if _, err := s.OpenComplaint(ctx, minji, 2, "  ", ""); err == nil {
		t.Error("a complaint without a subject was accepted")
	}
}

func TestPointsLedger(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	s.DB.Exec(`UPDATE customers SET points = 0 WHERE id = 5`)
	s.DB.Exec(`DELETE FROM loyalty_ledger WHERE customer_id = 5`)
	steps := []struct {
		change  PointsChange
		balance int64
		err     string
	}{
		{PointsChange{Kind: "earn", Points: 3000, Reason: "생일 축하 적립"}, 3000, ""},
		{PointsChange{Kind: "redeem", Points: 1000, Reason: "쿠폰 교환"}, 2000, ""},
		{PointsChange{Kind: "redeem", Points: 5000, Reason: "너무 많이"}, 2000, "the balance is 2000P; 5000P cannot be taken away"},
		{PointsChange{Kind: "adjust", Points: -500, Reason: "중복 적립 정정"}, 1500, ""},
		{PointsChange{Kind: "adjust", Points: -1600, Reason: "음수 잔액"}, 1500, "cannot be taken away"},
		{PointsChange{Kind: "earn", Points: 100}, 1500, "needs a reason"},
		{PointsChange{Kind: "gift", Points: 100, Reason: "x"}, 1500, `points change "gift"`},
		{PointsChange{Kind: "redeem", Points: -5, Reason: "x"}, 1500, "positive"},
	}
	for _, st := range steps {
		bal, err := s.ChangePoints(ctx, minji, 5, st.change)
		if st.err != "" {
			if err == nil || !strings.Contains(err.Error(), st.err) {
				t.Errorf("%+v: %v, want %q", st.change, err, st.err)
			}
		} else if err != nil || bal != st.balance {
			t.Errorf("%+v: balance %d, %v; want %d", st.change, bal, err, st.balance)
		}
		c, _ := s.Customer(ctx, 5)
		if c.Points != st.balance {
			t.Errorf("after %+v the stored balance is %d, want %d", st.change, c.Points, st.balance)
		}
	}
	ledger, _ := s.Ledger(ctx, 5, 10)
	if len(ledger) != 3 || ledger[0].BalanceAfter != 1500 || ledger[0].Agent != "minji" || ledger[0].Reason != "중복 적립 정정" {
		t.Errorf("ledger = %+v", ledger)
	}
}

func TestPurchasesMoveTierAndSegment(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	id, _ := s.AddCustomer(ctx, minji, NewCustomer{Name: "신규고객", Phones: []string{"010-5555-6666"}})
	s.DB.Exec(`UPDATE customers SET joined_at = ? WHERE id = ?`, demoNow.AddDate(-3, 0, 0).Unix(), id)
	if err := s.AddPurchase(ctx, minji, id, "공기청정기", 1_200_000, "phone"); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Customer(ctx, id)
	if c.Tier != "gold" || c.Points != 12_000 {
		t.Errorf("after 1,200,000 won over three years: tier %s points %d, want gold and 12000 (1%% earned at basic)", c.Tier, c.Points)
	}
	if err := s.AddPurchase(ctx, minji, id, "공기청정기 반품", -1_200_000, "phone"); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Customer(ctx, id)
	if c.Tier != "basic" || c.Points != 0 {
		t.Errorf("after the refund: tier %s points %d", c.Tier, c.Points)
	}
	trail, _ := s.AuditTrail(ctx, "customer", id)
	joined := ""
	for _, a := range trail {
		joined += a.From + "→" + a.To + ";"
	}
	if !strings.Contains(joined, "tier=basic→tier=gold") || !strings.Contains(joined, "tier=gold→tier=basic") {
		t.Errorf("tier changes are not audited: %s", joined)
	}
}

func TestFeedbackAndReferrals(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	in, _ := s.AddNote(ctx, minji, NewNote{CustomerID: 3, Body: "통화 완료"})
	five, nine, eleven := 5, 9, 11
	if err := s.SetFeedback(ctx, minji, in.ID, Feedback{Satisfaction: &five, Recommend: &nine}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedback(ctx, minji, in.ID, Feedback{Recommend: &eleven}); err == nil {
		t.Error("recommend 11 was accepted")
	}
	got, _ := s.Interactions(ctx, 3, 0, 1)
	if got[0].Satisfaction != 5 || got[0].Recommend != 9 {
		t.Errorf("feedback = %d/%d", got[0].Satisfaction, got[0].Recommend)
	}
	if err := s.AddReferral(ctx, minji, 3, 4); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReferral(ctx, minji, 5, 4); err == nil || !strings.Contains(err.Error(), "already referred") {
		t.Errorf("second referral: %v", err)
	}
	if err := s.AddReferral(ctx, minji, 4, 4); err == nil {
		t.Error("self-referral accepted")
	}
	p, _ := s.Profile(ctx, 4)
	q, _ := s.Profile(ctx, 3)
	if p.ReferredBy == nil || p.ReferredBy.ID != 3 || q.Referrals != 1 {
		t.Errorf("referral not in the 360: %+v %d", p.ReferredBy, q.Referrals)
	}
}

func TestPresence(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji, junho := agent(t, s, "minji"), agent(t, s, "junho")
	s.Touch(ctx, junho, 7)
	if names, _ := s.Present(ctx, 7, minji); len(names) != 1 || names[0] != "junho" {
		t.Errorf("present = %v", names)
	}
	if names, _ := s.Present(ctx, 7, junho); len(names) != 0 {
		t.Errorf("one does not see oneself: %v", names)
	}
	s.Now = func() time.Time { return demoNow.Add(2 * PresenceTTL) }
	if names, _ := s.Present(ctx, 7, minji); len(names) != 0 {
		t.Errorf("a console gone quiet should not count: %v", names)
	}
	s.Touch(ctx, junho, 0)
}

func TestTimelinePagesThroughEverything(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	for i := 0; i < 130; i++ {
		s.Now = func() time.Time { return demoNow.Add(time.Duration(i) * time.Minute) }
		s.AddNote(ctx, minji, NewNote{CustomerID: 2, Body: "메모"})
		if i%10 == 0 {
			s.ChangePoints(ctx, minji, 2, PointsChange{Kind: "earn", Points: 10, Reason: "test"})
		}
	}
	total := count(t, s, `SELECT (SELECT count(*) FROM interactions WHERE customer_id = 2) + (SELECT count(*) FROM purchases WHERE customer_id = 2)
		+ (SELECT count(*) FROM complaints WHERE customer_id = 2) + (SELECT count(*) FROM loyalty_ledger WHERE customer_id = 2)
		+ (SELECT count(*) FROM callbacks WHERE customer_id = 2)`)
	var all []TimelineItem
	var cur Cursor
	for pages := 0; pages < 100; pages++ {
		page, err := s.Timeline(ctx, 2, nil, cur, 25)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < 25 {
			break
		}
		cur = page[len(page)-1].Next()
	}
	if len(all) != total {
		t.Fatalf("paged %d items, the customer has %d", len(all), total)
	}
	seen := map[string]bool{}
	for i, it := range all {
		k := fmt.Sprint(it.Kind, it.ID)
		if seen[k] {
			t.Fatalf("item %v twice", it)
		}
		seen[k] = true
		if i > 0 && it.At.After(all[i-1].At) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	notes, _ := s.Timeline(ctx, 2, []TimelineKind{KindPoints}, Cursor{}, 100)
	for _, it := range notes {
		if it.Kind != KindPoints {
			t.Fatalf("filter let %s through", it.Kind)
		}
	}
	if len(notes) < 13 {
		t.Errorf("points filter found %d", len(notes))
	}
	if _, err := s.Timeline(ctx, 2, []TimelineKind{"gossip"}, Cursor{}, 10); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

func TestTierRules(t *testing.T) {
	s := newDemo(t, 1)
	tiers, err := s.Tiers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	year := 365 * 24 * time.Hour
	cases := []struct {
		spend  int64
		tenure time.Duration
		want   string
	}{
		{0, 0, "basic"},
		{299_999, 10 * year, "basic"},
		{300_000, 89 * 24 * time.Hour, "basic"}, // enough spend, too new
		{300_000, 90 * 24 * time.Hour, "silver"},
		{1_000_000, 364 * 24 * time.Hour, "silver"},
		{1_000_000, year, "gold"},
		{3_000_000, year, "gold"}, // VIP needs two years
		{3_000_000, 2 * year, "vip"},
		{50_000_000, 20 * year, "vip"},
	}
	for _, c := range cases {
		if got := TierFor(tiers, c.spend, c.tenure); got.Code != c.want {
			t.Errorf("spend %d over %s: %s, want %s", c.spend, c.tenure, got.Code, c.want)
		}
	}
}
