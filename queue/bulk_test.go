package queue

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// seenAll reads the team table as sora sees it.
func seenAll(t *testing.T, f *fixture, ids ...int64) []Seen {
	t.Helper()
	var out []Seen
	for _, id := range ids {
		cb, err := f.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, SeenOf(cb))
	}
	return out
}

func TestBulkSkipsWhatChangedAndUndoes(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		ids = append(ids, f.addDue(t, f.callableCustomer(t, i), -40*time.Minute, f.minji.ID, 3).ID)
	}
	seen := seenAll(t, f, ids...)
	if _, err := f.LastBulk(ctx, f.sora); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("before any bulk action, LastBulk: %v, want ErrNothingToUndo", err)
	}
	// Meanwhile minji claims one and another supervisor moves one.
	if _, err := f.Claim(ctx, f.minji, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Reassign(ctx, f.yuna, []int64{ids[1]}, 0); err != nil {
		t.Fatal(err)
	}
	res, err := f.Bulk(ctx, f.sora, BulkOp{Action: BulkReassign, To: f.junho.ID}, seen)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Done) != 3 || len(res.Skipped) != 2 || res.To != "junho" {
		t.Fatalf("bulk: %+v", res)
	}
	p, err := f.LastBulk(ctx, f.sora)
	if err != nil || p.Action != BulkReassign || p.Count != 3 || !slices.Equal(p.Now, []string{"이준호"}) ||
		!slices.Equal(p.Back, []string{"김민지"}) || !p.Undoable {
		t.Errorf("what an undo would take back: %+v, %v", p, err)
	}
	for _, sk := range res.Skipped {
		if sk.Why != SkipChanged {
			t.Errorf("skipped %d as %s, want changed (it was seen before the change)", sk.ID, sk.Why)
		}
	}
	if got, _ := f.Get(ctx, ids[0]); got.ClaimedBy != "minji" || got.Owner != "minji" {
		t.Errorf("minji's claim was overwritten: %+v", got)
	}
	if got, _ := f.Get(ctx, ids[1]); got.Owner != "" {
		t.Errorf("yuna's move was overwritten: owner %q", got.Owner)
	}
	for _, id := range res.Done {
		trail, _ := f.CRM.AuditTrail(ctx, "callback", id)
		last := trail[len(trail)-1]
		if last.Action != "reassign" || last.Actor.Name != "sora" || last.From != "minji" || last.To != "junho" ||
			!strings.Contains(last.Reason, "bulk #") {
			t.Errorf("audit of %d = %+v", id, last)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'bulk' AND entity_id = ? AND actor = 'sora'`, res.Bulk); n != 1 {
		t.Errorf("the bulk action itself should be one audit row, found %d", n)
	}

	// junho claims one of his new callbacks; undo leaves that one alone.
	if _, err := f.Claim(ctx, f.junho, res.Done[0]); err != nil {
		t.Fatal(err)
	}
	undo, err := f.Undo(ctx, f.sora)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Done) != 2 || len(undo.Skipped) != 1 || undo.Skipped[0].ID != res.Done[0] {
		t.Fatalf("undo: %+v", undo)
	}
	for _, id := range undo.Done {
		got, _ := f.Get(ctx, id)
		if got.Owner != "minji" || got.State != Scheduled {
			t.Errorf("after undo %d: owner %q state %s", id, got.Owner, got.State)
		}
		trail, _ := f.CRM.AuditTrail(ctx, "callback", id)
		if last := trail[len(trail)-1]; last.Action != "undo" || last.Actor.Name != "sora" {
			t.Errorf("undo audit of %d = %+v", id, last)
		}
	}
	if got, _ := f.Get(ctx, res.Done[0]); got.ClaimedBy != "junho" {
		t.Error("undo overwrote junho's claim")
	}
	if _, err := f.Undo(ctx, f.sora); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("a second undo: %v", err)
	}
}

func TestBulkActions(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	a := f.addDue(t, f.callableCustomer(t, 0), time.Hour, f.minji.ID, 3)
	b := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, 0, 3)
	c := f.addDue(t, f.callableCustomer(t, 2), time.Hour, 0, 3)
	if _, err := f.Claim(ctx, f.minji, b.ID); err != nil {
		t.Fatal(err)
	}

	res, err := f.Bulk(ctx, f.sora, BulkOp{Action: BulkPriority, Priority: 1}, seenAll(t, f, a.ID, b.ID))
	if err != nil || len(res.Done) != 2 {
		t.Fatalf("priority: %+v %v", res, err)
	}
	if got, _ := f.Get(ctx, b.ID); got.Priority != 1 || got.ClaimedBy != "minji" {
		t.Errorf("a priority change keeps the claim: %+v", got)
	}
	if _, err := f.Bulk(ctx, f.sora, BulkOp{Action: BulkPriority, Priority: 9}, seenAll(t, f, a.ID)); err == nil {
		t.Error("priority 9 accepted")
	}

	due := testNow.Add(26 * time.Hour)
	res, err = f.Bulk(ctx, f.sora, BulkOp{Action: BulkDue, Due: due}, seenAll(t, f, a.ID, b.ID))
	if err != nil || len(res.Done) != 1 || len(res.Skipped) != 1 || res.Skipped[0].Why != SkipClaimed {
		t.Fatalf("due: %+v %v", res, err)
	}
	if got, _ := f.Get(ctx, a.ID); !got.Due.Equal(due) {
		t.Errorf("due = %s", got.Due)
	}

	if _, err := f.Bulk(ctx, f.sora, BulkOp{Action: BulkCancel}, seenAll(t, f, c.ID)); err == nil {
		t.Error("cancel without a reason accepted")
	}
	res, err = f.Bulk(ctx, f.sora, BulkOp{Action: BulkCancel, Reason: "고객 요청으로 취소"}, seenAll(t, f, c.ID))
	if err != nil || len(res.Done) != 1 {
		t.Fatalf("cancel: %+v %v", res, err)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", c.ID)
	if last := trail[len(trail)-1]; last.Action != "cancel" || !strings.Contains(last.Reason, "고객 요청으로 취소") {
		t.Errorf("cancel audit = %+v", last)
	}
	if _, err := f.Undo(ctx, f.sora); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(ctx, c.ID); got.State != Scheduled {
		t.Errorf("undo of a cancel: %s", got.State)
	}

	res, err = f.Bulk(ctx, f.sora, BulkOp{Action: BulkRelease, Reason: "minji went home"}, seenAll(t, f, b.ID, a.ID))
	if err != nil || len(res.Done) != 1 || res.Skipped[0].Why != SkipNotClaimed {
		t.Fatalf("force release: %+v %v", res, err)
	}
	if got, _ := f.Get(ctx, b.ID); got.State != Scheduled || got.ClaimedBy != "" {
		t.Errorf("after force release: %+v", got)
	}
	trail, _ = f.CRM.AuditTrail(ctx, "callback", b.ID)
	if last := trail[len(trail)-1]; last.Action != "force_release" || last.From != "minji" || last.Actor.Name != "sora" {
		t.Errorf("force release audit = %+v", last)
	}
	var be BulkError
	if _, err := f.Undo(ctx, f.sora); !errors.As(err, &be) || be.What != "release_undo" {
		t.Errorf("undo of a force release: %v", err)
	}
}

func TestOnlySupervisorsMoveTheTeamsWork(t *testing.T) {
	f := newFixture(t, 40, true)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), time.Hour, f.junho.ID, 3)
	var fe crm.ForbiddenError
	checks := []struct {
		name string
		err  error
	}{
		{"team list", func() error { _, err := f.Count(ctx, f.minji, Listing{Team: true}); return err }()},
		{"bulk reassign", func() error {
			_, err := f.Bulk(ctx, f.minji, BulkOp{Action: BulkReassign, To: f.minji.ID}, seenAll(t, f, cb.ID))
			return err
		}()},
		{"force release", func() error {
			_, err := f.Bulk(ctx, f.junho, BulkOp{Action: BulkRelease}, seenAll(t, f, cb.ID))
			return err
		}()},
		{"undo", func() error { _, err := f.Undo(ctx, f.minji); return err }()},
		{"everything of an agent", func() error { _, err := f.SeenOfAgent(ctx, f.minji, "junho", false); return err }()},
		{"deactivate", f.Deactivate(ctx, f.sora, "junho")},
	}
	for _, c := range checks {
		if !errors.As(c.err, &fe) {
			t.Errorf("%s: %v, want a ForbiddenError", c.name, c.err)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'permission' AND action = 'refused'`); n != len(checks) {
		t.Errorf("%d refusals audited, want %d", n, len(checks))
	}
	if got, _ := f.Get(ctx, cb.ID); got.Owner != "junho" {
		t.Error("a refused action changed the callback")
	}
	if c, err := f.Count(ctx, f.sora, Listing{Team: true}); err != nil || c.Total < 40 {
		t.Errorf("sora's team list: %d, %v", c.Total, err)
	}
}

func TestTeamFilterAndSort(t *testing.T) {
	now := testNow
	mk := func(id int64, owner string, state State, kind string, due time.Duration, prio int, reason, tier string) Callback {
		return Callback{ID: id, Owner: owner, State: state, Kind: kind, Due: now.Add(due), Priority: prio, Reason: reason,
			CustomerName: "고객" + reason, Tier: tier, Phone: crm.Phone{ID: id, E164: "+8210"}, CustomerTZ: "Asia/Seoul",
			Window: Window{StartMin: 480, EndMin: 1260}}
	}
	cbs := []Callback{
		mk(1, "minji", Scheduled, "service", -time.Hour, 3, "배송 지연", "gold"),
		mk(2, "", Scheduled, "marketing", time.Hour, 2, "VIP 행사", "vip"),
		mk(3, "junho", Claimed, "complaint", 30*time.Minute, 1, "불만 처리", "basic"),
		mk(4, "minji", Scheduled, "service", 26*time.Hour, 5, "Refund", "silver"),
	}
	cbs[3].DNC = true
	cases := []struct {
		name string
		f    TeamFilter
		want []int64
	}{
		{"all", TeamFilter{}, []int64{1, 2, 3, 4}},
		{"minji's", TeamFilter{Owner: "minji"}, []int64{1, 4}},
		{"pool", TeamFilter{Pool: true}, []int64{2}},
		{"claimed", TeamFilter{State: Claimed}, []int64{3}},
		{"overdue", TeamFilter{Overdue: true}, []int64{1}},
		{"marketing", TeamFilter{Kind: "marketing"}, []int64{2}},
		{"text in reason, any case", TeamFilter{Text: "refund"}, []int64{4}},
		{"text in name", TeamFilter{Text: "고객불만"}, []int64{3}},
		{"due today", TeamFilter{DueFrom: now.Add(-2 * time.Hour), DueTo: now.Add(2 * time.Hour)}, []int64{1, 2, 3}},
		{"vip", TeamFilter{Tier: "vip"}, []int64{2}},
		{"blocked: do not call", TeamFilter{Blocked: BlockDNC}, []int64{4}},
		{"any block", TeamFilter{AnyBlock: true}, []int64{4}},
		{"minji's overdue", TeamFilter{Owner: "minji", Overdue: true}, []int64{1}},
	}
	for _, c := range cases {
		var got []int64
		for _, cb := range cbs {
			if c.f.Match(cb, now) {
				got = append(got, cb.ID)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func idsOf(cbs []Callback) []int64 {
	out := make([]int64, len(cbs))
	for i, cb := range cbs {
		out[i] = cb.ID
	}
	return out
}

func TestBoard(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	a := f.addDue(t, f.callableCustomer(t, 0), -40*time.Minute, f.minji.ID, 3) // overdue, today
	f.addDue(t, f.callableCustomer(t, 1), 2*time.Hour, f.minji.ID, 3)          // today
	f.addDue(t, f.callableCustomer(t, 2), 30*time.Hour, f.minji.ID, 3)         // tomorrow
	b := f.addDue(t, f.callableCustomer(t, 3), -5*time.Minute, 0, 3)           // the pool's
	if _, err := f.Claim(ctx, f.junho, b.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(4 * time.Minute)
	if _, err := f.Done(ctx, f.junho, b.ID, Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Claim(ctx, f.junho, b.ID); err != nil {
		t.Fatal(err)
	}
	f.CRM.Touch(ctx, f.junho, a.CustomerID)
	if _, err := f.Board(ctx, f.minji, f.clock.t, kst); err == nil {
		t.Error("an agent read the board")
	}
	rows, err := f.Board(ctx, f.sora, f.clock.t, kst)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]BoardRow{}
	for _, r := range rows {
		by[r.Agent.Name] = r
	}
	m, j, pool := by["minji"], by["junho"], by[""]
	if m.Open != 3 || m.DueToday != 2 || m.Overdue != 1 || m.Claimed != 0 || m.Online {
		t.Errorf("minji: %+v", m)
	}
	if j.Claimed != 1 || j.DoneToday != 1 || j.Reached != 0 || j.ReachRate() != 0 || j.Handling != 4*time.Minute ||
		!j.Online || j.OnCustomer == "" {
		t.Errorf("junho: %+v", j)
	}
	if !pool.Pool() || pool.Open != 1 || rows[len(rows)-1].Agent.ID != 0 {
		t.Errorf("pool row: %+v (last row %+v)", pool, rows[len(rows)-1])
	}
}
