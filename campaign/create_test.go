package campaign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/problem"
)

func TestCreateHoldsOutAControlGroupAndBooksTheRest(t *testing.T) {
	f := newFixture(t, 400)
	ctx := context.Background()
	out, err := f.Create(ctx, f.sora, Spec{Name: "겨울 감사 전화", Segment: "points>=0", Kind: "service", Seed: 99,
		Reason: "thank you call"})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Campaign
	callable := f.count(t, `SELECT count(*) FROM customers c WHERE merged_into IS NULL AND dnc = 0
		AND EXISTS (SELECT 1 FROM phones p WHERE p.customer_id = c.id AND p.invalid = 0)`)
	if c.Contact+c.Control != callable || out.Matched-out.Excluded != callable {
		t.Fatalf("groups %d+%d, matched %d less %d excluded; want the %d callable customers", c.Contact, c.Control,
			out.Matched, out.Excluded, callable)
	}
	if want := (callable*10 + 50) / 100; c.Control != want {
		t.Errorf("control group %d, want 10 %% of %d = %d", c.Control, callable, want)
	}
	// Every member of the contact group has one call of the campaign, in
	// the pool, at priority 4; nobody of the control group has any.
	if n := f.count(t, `SELECT count(*) FROM callbacks WHERE campaign_id = ? AND state = 'scheduled' AND owner_id IS NULL
		AND priority = 4 AND reason = 'thank you call'`, c.ID); n != c.Contact {
		t.Errorf("%d calls booked, want %d", n, c.Contact)
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks cb JOIN campaign_members m ON m.customer_id = cb.customer_id
		AND m.campaign_id = ? AND m.grp = 'control'`, c.ID); n != 0 {
		t.Errorf("%d calls for the control group", n)
	}
	// Each call and the campaign are audited, with who did it.
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'callback' AND action = 'create' AND actor = 'sora'
		AND entity_id IN (SELECT id FROM callbacks WHERE campaign_id = ?)`, c.ID); n != c.Contact {
		t.Errorf("%d create rows in the audit, want %d", n, c.Contact)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = ? AND actor = 'sora'
		AND to_value LIKE '%seed 99%'`, c.ID); n != 1 {
		t.Errorf("%d audit rows for the campaign, want 1 naming its seed", n)
	}
	// The same members and seed split the same way: the split is recorded.
	control := f.ids(t, `SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND grp = 'control' ORDER BY customer_id`, c.ID)
	all := f.ids(t, `SELECT customer_id FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id`, c.ID)
	if again, _ := Split(all, 10, 99); !equal(again, control) {
		t.Errorf("the stored control group is not Split(members, 10, 99)")
	}

	// A second campaign within 14 days calls nobody of the first: the
	// control group is being measured, the contact group was just called.
	_, err = f.Create(ctx, f.sora, Spec{Name: "again", Segment: "points>=0", Kind: "service"})
	if !isCode(err, "campaign_empty") {
		t.Fatalf("a second campaign over the same customers: %v, want campaign_empty", err)
	}
	// After the cap (14 days) the contact group may be called again, the
	// control group not while it is measured (30 days).
	f.clock.t = testNow.AddDate(0, 0, CapDays+1)
	out2, err := f.Create(ctx, f.sora, Spec{Name: "again", Segment: "points>=0", Kind: "service"})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM campaign_members a JOIN campaign_members b ON a.customer_id = b.customer_id
		WHERE a.campaign_id = ? AND a.grp = 'control' AND b.campaign_id = ?`, c.ID, out2.ID); n != 0 {
		t.Errorf("%d of the first control group are in the second campaign", n)
	}
	if out2.Contact+out2.Control != c.Contact {
		t.Errorf("second campaign has %d members, want the first's %d called", out2.Contact+out2.Control, c.Contact)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func isCode(err error, code string) bool {
	var p problem.Error
	return errors.As(err, &p) && p.Code == code
}

func TestCreateKeepsTheCallingRules(t *testing.T) {
	f := newFixture(t, 300)
	ctx := context.Background()
	// Marketing: only customers who consented; never the do-not-call list.
	out, err := f.Create(ctx, f.sora, Spec{Name: "spring", Segment: "tier!=vip"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Kind != "marketing" {
		t.Errorf("kind %q, want marketing by default", out.Kind)
	}
	if n := f.count(t, `SELECT count(*) FROM campaign_members m JOIN customers c ON c.id = m.customer_id
		WHERE m.campaign_id = ? AND (c.consent_marketing = 0 OR c.dnc = 1 OR c.tier = 'vip')`, out.ID); n != 0 {
		t.Errorf("%d members without consent, on the do-not-call list or VIP", n)
	}
	if out.Excluded == 0 {
		t.Errorf("nobody was excluded; the demo has customers without consent")
	}
	// An agent may not create one; the refusal is audited.
	if _, err := f.Create(ctx, f.minji, Spec{Name: "mine", Segment: "tier=gold"}); !errors.As(err, new(crm.ForbiddenError)) {
		t.Errorf("an agent's campaign: %v, want forbidden", err)
	}
	// Bad specs are one line each and create nothing.
	before := f.count(t, `SELECT count(*) FROM campaigns`)
	for _, c := range []struct {
		sp   Spec
		says string
	}{
		{Spec{Name: "spring", Segment: "tier=gold"}, "exists already"},
		{Spec{Name: "", Segment: "tier=gold"}, "needs a name"},
		{Spec{Name: "x\x1b[2J", Segment: "tier=gold"}, "printable"},
		{Spec{Name: "x", Segment: "tier=gold", ControlPct: 80}, "1% to 50%"},
		{Spec{Name: "x", Segment: "tier=gold", Metric: "happiness"}, "repeat_purchase"},
		{Spec{Name: "x", Segment: "tier=gold", Kind: "telepathy"}, "kind"},
		{Spec{Name: "x", Segment: "tier=gold", Agents: []string{"nobody"}}, "no active agent"},
		{Spec{Name: "x", Segment: "tier=gold", Until: testNow.Add(-time.Hour)}, "already past"},
		{Spec{Name: "x", Segment: "colour=red"}, "unknown key"},
	} {
		_, err := f.Create(ctx, f.sora, c.sp)
		if err == nil || !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: %v, want one line saying %q", c.sp, err, c.says)
		}
	}
	if after := f.count(t, `SELECT count(*) FROM campaigns`); after != before {
		t.Errorf("refused specs left %d campaigns", after-before)
	}
}

func TestCreateSpreadsCallsWithinCaps(t *testing.T) {
	f := newFixture(t, 200)
	ctx := context.Background()
	yuna, err := f.CRM.AgentByName(ctx, "yuna")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CRM.SetAgent(ctx, yuna, "junho", crm.AgentChange{MaxActive: ptr(10)}); err != nil {
		t.Fatal(err)
	}
	out, err := f.Create(ctx, f.sora, Spec{Name: "split", Segment: "points>=0", Kind: "service", Agents: []string{"minji", "junho"}})
	if err != nil {
		t.Fatal(err)
	}
	if out.AgentCalls["junho"] != 10 || out.AgentCalls["minji"] != out.Contact-10-out.ToPool {
		t.Errorf("calls %v, %d to the pool, of %d: want junho at his cap of 10 and minji the rest", out.AgentCalls, out.ToPool, out.Contact)
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks cb JOIN agents a ON a.id = cb.owner_id WHERE a.name = 'junho' AND cb.campaign_id = ?`,
		out.ID); n != 10 {
		t.Errorf("junho owns %d calls, want 10", n)
	}
}

func ptr[T any](v T) *T { return &v }

func TestPauseResumeAndStop(t *testing.T) {
	f := newFixture(t, 200)
	ctx := context.Background()
	out, err := f.Create(ctx, f.sora, Spec{Name: "p", Segment: "points>=0", Kind: "service"})
	if err != nil {
		t.Fatal(err)
	}
	// minji is on one call when the campaign pauses: hers is left alone.
	claim, err := f.Queue.ClaimNext(ctx, f.minji)
	if err != nil {
		t.Fatal(err)
	}
	if cb, err := f.Queue.Get(ctx, claim.ID); err != nil || cb.CampaignID != out.ID {
		t.Fatalf("claimed %+v, %v; want a call of the campaign", cb, err)
	}
	open := func() int {
		return f.count(t, `SELECT count(*) FROM callbacks WHERE campaign_id = ? AND state = 'scheduled'`, out.ID)
	}
	h, err := f.Pause(ctx, f.sora, "p")
	if err != nil {
		t.Fatal(err)
	}
	if h.Changed != out.Contact-1 || open() != 0 || h.State != Paused {
		t.Errorf("paused: %d taken off, %d still open, state %s; want %d, 0, paused", h.Changed, open(), h.State, out.Contact-1)
	}
	if _, err := f.Pause(ctx, f.sora, "p"); !isCode(err, "campaign_already") {
		t.Errorf("pausing twice: %v", err)
	}
	if _, err := f.Resume(ctx, f.sora, "p"); err != nil {
		t.Fatal(err)
	}
	if open() != out.Contact-1 {
		t.Errorf("resumed: %d open, want %d", open(), out.Contact-1)
	}
	// Stop, then take the stop back with the team's undo: the campaign
	// reads as active again.
	if _, err := f.Stop(ctx, f.sora, "p"); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.Get(ctx, "p"); c.State != Stopped || open() != 0 {
		t.Errorf("stopped: state %s, %d open", c.State, open())
	}
	if _, err := f.Queue.Undo(ctx, f.sora); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.Get(ctx, "p"); c.State != Active || open() != out.Contact-1 {
		t.Errorf("stop undone: state %s, %d open; want active, %d", c.State, open(), out.Contact-1)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'campaign' AND actor = 'sora'`); n != 4 {
		t.Errorf("%d campaign rows in the audit, want 4 (create, pause, active, stop)", n)
	}
	// Past its until date, the sweep cancels what is left (minji's lease
	// has run out by then: hers too).
	if _, err := f.DB.Exec(`UPDATE campaigns SET until_at = ? WHERE id = ?`, testNow.Add(time.Hour).Unix(), out.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.t = testNow.Add(2 * time.Hour)
	res, err := f.Queue.Sweep(ctx)
	if err != nil || res.LeasesExpired != 1 || res.Ended != out.Contact || open() != 0 {
		t.Errorf("sweep after the end: %+v, %v, %d open", res, err, open())
	}
	if c, _ := f.Get(ctx, "p"); c.State != Ended {
		t.Errorf("state %s after until, want ended", c.State)
	}
}

func TestCampaignsCreatedAtOnceShareNoCustomer(t *testing.T) {
	// Four supervisors' campaigns over the same customers at once: the
	// cap (one campaign call per 14 days) and the measured control groups
	// hold across them, so no customer is in two.
	f := newFixture(t, 300)
	ctx := context.Background()
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := f.Create(ctx, f.sora, Spec{Name: fmt.Sprintf("at once %d", i), Segment: "points>=0", Kind: "service"})
			errs <- err
		}()
	}
	made := 0
	for range 4 {
		switch err := <-errs; {
		case err == nil:
			made++
		case !isCode(err, "campaign_empty"):
			t.Fatal(err)
		}
	}
	if made != 1 {
		t.Errorf("%d campaigns made over the same customers, want 1 (the others find nobody left)", made)
	}
	if n := f.count(t, `SELECT count(*) FROM (SELECT customer_id FROM campaign_members GROUP BY customer_id HAVING count(*) > 1) twice`); n != 0 {
		t.Errorf("%d customers in two campaigns", n)
	}
	if n := f.count(t, `SELECT count(*) FROM (SELECT customer_id FROM callbacks WHERE campaign_id IS NOT NULL GROUP BY customer_id HAVING count(*) > 1) twice`); n != 0 {
		t.Errorf("%d customers with two campaign calls", n)
	}
}

func TestASegmentOfScoresScoresOncePerDay(t *testing.T) {
	f := newFixture(t, 200)
	ctx := context.Background()
	if at, err := f.CRM.ScoresAt(ctx); err != nil || !at.IsZero() {
		t.Fatalf("scores at %v, %v before any scoring", at, err)
	}
	first, err := f.Create(ctx, f.sora, Spec{Name: "one", Segment: "churn=yes", Kind: "service"})
	if err != nil {
		t.Fatal(err)
	}
	if first.Scored == 0 || !first.ScoresAt.Equal(testNow) {
		t.Errorf("first campaign: scored %d, scores of %v; want everyone scored now", first.Scored, first.ScoresAt)
	}
	f.clock.t = testNow.Add(2 * time.Hour)
	second, err := f.Create(ctx, f.sora, Spec{Name: "two", Segment: "churn=no", Kind: "service"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Scored != 0 || !second.ScoresAt.Equal(testNow) {
		t.Errorf("two hours later: scored %d, scores of %v; want the first scoring used", second.Scored, second.ScoresAt)
	}
	f.clock.t = testNow.Add(ScoresMaxAge + time.Hour)
	third, err := f.Create(ctx, f.sora, Spec{Name: "three", Segment: "segment!=none", Kind: "service"})
	if err != nil && !isCode(err, "campaign_empty") {
		t.Fatal(err)
	}
	if at, _ := f.CRM.ScoresAt(ctx); !at.Equal(f.clock.t) {
		t.Errorf("a day later the scores are of %v, want a new scoring (%+v)", at, third)
	}
}
