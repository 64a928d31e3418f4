package queue

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/problem"
)

// The tests of this file run each read-then-write transaction of
// docs/engine.md ("Transactions without a single writer") from many
// goroutines at once and check what must hold whoever wins. On SQLite the
// writers take turns on the database's lock; on an engine with row locks
// the locks, conditions and unique keys of that table keep the same.

// atOnce runs fn from n goroutines released together and returns their
// errors, by goroutine.
func atOnce(n int, fn func(i int) error) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// wins counts the calls that succeeded; every other must have been refused
// with one of the problem codes losers, else the test fails.
func wins(t *testing.T, what string, errs []error, losers ...string) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		if err == nil {
			n++
			continue
		}
		var p problem.Error
		ok := errors.As(err, &p)
		allowed := false
		for _, l := range losers {
			allowed = allowed || ok && p.Code == l
		}
		if !allowed {
			t.Errorf("%s: %v", what, err)
		}
	}
	return n
}

func TestPointsAreNeverLostToAnotherWriter(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	c := f.callableCustomer(t, 0)
	start := f.count(t, `SELECT points FROM customers WHERE id = ?`, c)
	before := f.count(t, `SELECT coalesce(max(id), 0) FROM loyalty_ledger`)
	errs := atOnce(16, func(i int) error {
		if i%4 == 0 {
			return f.CRM.AddPurchase(ctx, f.minji, c, "우산", 10000, "phone")
		}
		_, err := f.CRM.ChangePoints(ctx, f.junho, c, crm.PointsChange{Kind: "earn", Points: 10, Reason: "사과"})
		return err
	})
	if n := wins(t, "points", errs); n != 16 {
		t.Fatalf("%d of 16 changes went through", n)
	}
	earned := f.count(t, `SELECT coalesce(sum(delta), 0) FROM loyalty_ledger WHERE customer_id = ? AND id > ?`, c, before)
	got := f.count(t, `SELECT points FROM customers WHERE id = ?`, c)
	if got != start+earned || earned < 12*10 {
		t.Errorf("points %d, from %d and %d earned in the ledger", got, start, earned)
	}
	// Each change saw the balance the one before it left.
	if n := f.count(t, `SELECT count(DISTINCT balance_after) FROM loyalty_ledger WHERE customer_id = ?`, c); n != f.count(t,
		`SELECT count(*) FROM loyalty_ledger WHERE customer_id = ?`, c) {
		t.Errorf("two ledger rows left the same balance: %d distinct", n)
	}
}

func TestOneWinnerWhereOnlyOneCan(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	a, b := f.callableCustomer(t, 1), f.callableCustomer(t, 2)

	errs := atOnce(8, func(int) error { return f.CRM.AddReferral(ctx, f.minji, a, b) })
	if n := wins(t, "referral", errs, "referral_already"); n != 1 {
		t.Errorf("a referral was recorded %d times", n)
	}

	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	sp, _ := ssh.NewPublicKey(pub)
	line := string(ssh.MarshalAuthorizedKey(sp))
	errs = atOnce(8, func(i int) error {
		_, err := f.CRM.AddKey(ctx, f.yuna, []string{"minji", "junho"}[i%2], line)
		return err
	})
	if n := wins(t, "key", errs, "key_taken"); n != 1 {
		t.Errorf("one key was given to %d agents", n)
	}

	errs = atOnce(6, func(int) error {
		_, err := f.CRM.AddAgent(ctx, f.yuna, crm.Agent{Name: "hana", DisplayName: "한하나", Role: crm.RoleAgent})
		return err
	})
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !errors.Is(err, crm.ErrAgentExists) {
			t.Errorf("agent: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("one name made %d agents", won)
	}

	complaint, err := f.CRM.OpenComplaint(ctx, f.minji, a, "배송 지연", "")
	if err != nil {
		t.Fatal(err)
	}
	errs = atOnce(8, func(int) error { return f.CRM.ResolveComplaint(ctx, f.junho, complaint, "환불 완료") })
	if n := wins(t, "resolve", errs, "complaint_resolved"); n != 1 {
		t.Errorf("a complaint was resolved %d times", n)
	}
}

func TestDoNotCallCancelsOnceWhoeverAsks(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	c := f.callableCustomer(t, 3)
	for i := range 2 {
		if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: c, Due: testNow.Add(time.Duration(i+1) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	results := make([]crm.DNCResult, 6)
	errs := atOnce(6, func(i int) error {
		var err error
		results[i], err = f.CRM.ImportDNC(ctx, f.sora, []crm.DNCEntry{{Line: 1, Value: strconv.FormatInt(c, 10)}}, "KR")
		return err
	})
	wins(t, "dnc", errs)
	set, cancelled := 0, 0
	for _, r := range results {
		set += len(r.Set)
		cancelled += r.Cancelled
	}
	audits := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'callback' AND action = 'cancel'
		AND entity_id IN (SELECT id FROM callbacks WHERE customer_id = ?)`, c)
	if set != 1 || cancelled != 2 || audits != 2 {
		t.Errorf("put on the list %d times, %d callbacks said cancelled, %d cancellations audited; want 1, 2, 2", set, cancelled, audits)
	}
}

func TestACapHoldsAgainstManyAtOnce(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	active := f.count(t, `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state IN ('scheduled', 'claimed')`, f.minji.ID)
	limit := active + 3
	if err := f.CRM.SetAgent(ctx, f.yuna, "minji", crm.AgentChange{MaxActive: &limit}); err != nil {
		t.Fatal(err)
	}
	errs := atOnce(10, func(i int) error {
		_, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, i), OwnerID: f.minji.ID, Due: testNow.Add(time.Hour)})
		return err
	})
	if n := wins(t, "add", errs, "agent_at_cap"); n != 3 {
		t.Errorf("%d callbacks were added under a cap with room for 3", n)
	}
	if got := f.count(t, `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state IN ('scheduled', 'claimed')`, f.minji.ID); got != limit {
		t.Errorf("minji has %d active callbacks; her cap is %d", got, limit)
	}
}

func TestOneClaimIsWrappedUpReleasedAndUndoneOnce(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	claimed := func() Callback {
		t.Helper()
		cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 4), Due: testNow.Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.Get(ctx, cb.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	cb := claimed()
	errs := atOnce(8, func(int) error {
		_, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "no_answer"})
		return err
	})
	if n := wins(t, "wrap-up", errs, "claim_first"); n != 1 {
		t.Errorf("one claim was wrapped up %d times", n)
	}
	if n := f.count(t, `SELECT count(*) FROM call_outcomes WHERE callback_id = ?`, cb.ID); n != 1 {
		t.Errorf("%d outcomes for one call", n)
	}

	cb = claimed()
	errs = atOnce(8, func(int) error { return f.Release(ctx, f.minji, cb.ID) })
	if n := wins(t, "release", errs, "not_claimed"); n != 1 {
		t.Errorf("one claim was released %d times", n)
	}

	cb = claimed()
	if _, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "resolved"}); err != nil {
		t.Fatal(err)
	}
	errs = atOnce(6, func(int) error {
		_, err := f.UndoWrapup(ctx, f.minji, cb)
		return err
	})
	if n := wins(t, "undo", errs, "undo_none"); n != 1 {
		t.Errorf("one wrap-up was undone %d times", n)
	}
}

func TestSweepsAtOnceExpireEachLeaseOnce(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	var ids []int64
	for i := range 3 {
		cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 5+i), Due: testNow.Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Claim(ctx, f.junho, cb.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cb.ID)
	}
	f.clock.Add(f.Policy().Lease + time.Minute)
	wins(t, "sweep", atOnce(8, func(int) error { _, err := f.Sweep(ctx); return err }))
	for _, id := range ids {
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'callback' AND entity_id = ? AND action = 'lease_expired'`, id); n != 1 {
			t.Errorf("callback %d: its lease expired %d times", id, n)
		}
	}
}

func TestBulkMovesAtOnceMoveEachCallbackOnce(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	var seen []Seen
	for i := range 5 {
		cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 10+i), Due: testNow.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, Seen{ID: cb.ID, State: cb.State, Owner: cb.Owner, ClaimedBy: cb.ClaimedBy, Due: cb.Due, Priority: cb.Priority})
	}
	results := make([]BulkResult, 4)
	errs := atOnce(4, func(i int) error {
		var err error
		to := []int64{f.junho.ID, f.minji.ID}[i%2]
		results[i], err = f.Bulk(ctx, f.sora, BulkOp{Action: BulkReassign, To: to, Reason: "근무 조정"}, seen)
		return err
	})
	wins(t, "bulk", errs)
	done := map[int64]int{}
	for _, r := range results {
		for _, id := range r.Done {
			done[id]++
		}
	}
	for _, s := range seen {
		if done[s.ID] != 1 {
			t.Errorf("callback %d was moved %d times by supervisors who saw it in the pool", s.ID, done[s.ID])
		}
	}
}

func TestMergesAtOnceMergeOnce(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	keep, other := f.callableCustomer(t, 20), f.callableCustomer(t, 21)
	errs := atOnce(4, func(int) error { _, err := f.Merge(ctx, f.yuna, keep, other); return err })
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		}
	}
	if won != 1 || f.count(t, `SELECT count(*) FROM merges WHERE keep_id = ? AND other_id = ?`, keep, other) != 1 {
		t.Errorf("two customers were merged %d times: %v", won, errs)
	}
}

func TestSettingsAndAgentsChangedAtOnceAuditWhatChanged(t *testing.T) {
	f := newFixture(t, 20, false)
	ctx := context.Background()
	wins(t, "setting", atOnce(8, func(i int) error {
		return f.SetSetting(ctx, f.yuna, "policy.lease_minutes", fmt.Sprint(11+i))
	}))
	// Each change was audited from the value the one before it left.
	rows, err := f.DB.Query(`SELECT from_value, to_value FROM audit_log WHERE entity = 'policy'
		AND from_value LIKE 'policy.lease_minutes=%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	prev, n := "", 0
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			t.Fatal(err)
		}
		if prev != "" && from != prev {
			t.Errorf("a change audited from %s after one to %s", from, prev)
		}
		prev, n = to, n+1
	}
	rows.Close()
	if n != 8 {
		t.Errorf("8 different values set, %d changes audited", n)
	}

	wins(t, "active", atOnce(8, func(i int) error {
		if i%2 == 0 {
			return f.Deactivate(ctx, f.yuna, "junho")
		}
		return f.CRM.Activate(ctx, f.yuna, "junho")
	}))
	off := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'agent' AND entity_id = ? AND action = 'deactivate'`, f.junho.ID)
	on := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'agent' AND entity_id = ? AND action = 'activate'`, f.junho.ID)
	active := f.count(t, `SELECT active FROM agents WHERE id = ?`, f.junho.ID)
	if off-on != 1-active {
		t.Errorf("junho: %d deactivations and %d activations audited, and active=%d", off, on, active)
	}
}
