package queue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// addDue schedules a callback for customer cust due at offset from now.
func (f *fixture) addDue(t testing.TB, cust int64, offset time.Duration, owner int64, prio int) Callback {
	t.Helper()
	cb, err := f.Add(context.Background(), f.sora, NewCallback{CustomerID: cust, Due: f.clock.t.Add(offset), OwnerID: owner, Priority: prio})
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

func TestClaimNextOrder(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	pool1 := f.addDue(t, f.callableCustomer(t, 0), -5*time.Minute, 0, 3)
	mineP2 := f.addDue(t, f.callableCustomer(t, 1), -1*time.Minute, f.minji.ID, 2)
	urgent := f.addDue(t, f.callableCustomer(t, 2), -2*time.Minute, 0, 1)
	mineSameDue := f.addDue(t, f.callableCustomer(t, 3), -5*time.Minute, f.minji.ID, 3)
	f.addDue(t, f.callableCustomer(t, 4), 10*time.Minute, 0, 1)           // not due yet
	f.addDue(t, f.callableCustomer(t, 5), -30*time.Minute, f.junho.ID, 1) // junho's

	want := []int64{urgent.ID, mineP2.ID, mineSameDue.ID, pool1.ID}
	for i, id := range want {
		cl, err := f.ClaimNext(ctx, f.minji)
		if err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
		cb, err := f.Get(ctx, cl.ID)
		if err != nil || !cl.LeaseUntil.Equal(cb.LeaseUntil) {
			t.Fatalf("claim %d: read back %+v, %v", i, cb, err)
		}
		if cb.ID != id || cb.State != Claimed || cb.ClaimedBy != "minji" || !cb.LeaseUntil.Equal(testNow.Add(10*time.Minute)) {
			t.Errorf("claim %d: got callback %d (%s by %s, lease %s), want %d", i, cb.ID, cb.State, cb.ClaimedBy, cb.LeaseUntil, id)
		}
	}
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Errorf("with nothing due left: %v, want ErrNothingCallable", err)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", urgent.ID)
	if len(trail) != 2 || trail[1].Action != "claim" || trail[1].Actor.Name != "minji" || trail[1].From != "scheduled" || trail[1].To != "claimed" {
		t.Errorf("claim audit = %+v", trail)
	}
}

func TestClaimRefusals(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	junhos := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, f.junho.ID, 3)
	if _, err := f.Claim(ctx, f.junho, cb.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id   int64
		want string
	}{
		{cb.ID, "junho is on it"},
		{junhos.ID, "belongs to junho"},
		{99999, "not found"},
	}
	for _, c := range cases {
		if _, err := f.Claim(ctx, f.minji, c.id); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Claim(%d): %v, want %q", c.id, err, c.want)
		}
	}
	if _, err := f.Claim(ctx, f.junho, cb.ID); err == nil || !strings.Contains(err.Error(), "already yours") {
		t.Errorf("claiming twice: %v", err)
	}
	// A callback not yet due may be claimed on purpose.
	later := f.addDue(t, f.callableCustomer(t, 2), 2*time.Hour, 0, 3)
	if _, err := f.Claim(ctx, f.minji, later.ID); err != nil {
		t.Errorf("claiming early: %v", err)
	}
}

func TestLeaseRenewExpireRelease(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(8 * time.Minute)
	lease, err := f.Renew(ctx, f.minji, cb.ID)
	if err != nil || !lease.Equal(f.clock.t.Add(10*time.Minute)) {
		t.Fatalf("renew: %v, %v", lease, err)
	}
	if _, err := f.Renew(ctx, f.junho, cb.ID); err == nil {
		t.Error("junho renewed minji's lease")
	}
	f.clock.Add(9 * time.Minute) // still inside the renewed lease
	if res, _ := f.Sweep(ctx); res.LeasesExpired != 0 {
		t.Fatal("a renewed lease expired early")
	}
	f.clock.Add(2 * time.Minute) // now past it
	res, err := f.Sweep(ctx)
	if err != nil || res.LeasesExpired != 1 {
		t.Fatalf("sweep: %+v, %v", res, err)
	}
	got, _ := f.Get(ctx, cb.ID)
	if got.State != Scheduled || got.ClaimedBy != "" || !got.LeaseUntil.IsZero() {
		t.Errorf("after expiry: %+v", got)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", cb.ID)
	last := trail[len(trail)-1]
	if last.Action != "lease_expired" || last.Actor.Name != "dangol" || !strings.Contains(last.Reason, "minji") {
		t.Errorf("expiry audit = %+v", last)
	}
	if _, err := f.Renew(ctx, f.minji, cb.ID); err == nil || !strings.Contains(err.Error(), "no longer yours") {
		t.Errorf("renewing an expired lease: %v", err)
	}

	if _, err := f.Claim(ctx, f.junho, cb.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, f.minji, cb.ID); err == nil || !strings.Contains(err.Error(), "junho's claim") {
		t.Errorf("minji released junho's claim: %v", err)
	}
	if err := f.Release(ctx, f.junho, cb.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(ctx, cb.ID); got.State != Scheduled {
		t.Errorf("after release: %s", got.State)
	}
	if err := f.Release(ctx, f.junho, cb.ID); err == nil || !strings.Contains(err.Error(), "not claimed") {
		t.Errorf("releasing twice: %v", err)
	}
}

func TestOverduePersonalMovesToPool(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	late := f.addDue(t, f.callableCustomer(t, 0), -31*time.Minute, f.minji.ID, 3)
	fresh := f.addDue(t, f.callableCustomer(t, 1), -29*time.Minute, f.minji.ID, 3)
	res, err := f.Sweep(ctx)
	if err != nil || res.ToPool != 1 {
		t.Fatalf("sweep: %+v, %v", res, err)
	}
	if got, _ := f.Get(ctx, late.ID); got.Owner != "" {
		t.Errorf("31 minutes overdue should be in the pool, owner %q", got.Owner)
	}
	if got, _ := f.Get(ctx, fresh.ID); got.Owner != "minji" {
		t.Errorf("29 minutes overdue should stay minji's, owner %q", got.Owner)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", late.ID)
	if last := trail[len(trail)-1]; last.Action != "to_pool" || last.From != "minji" || last.To != "pool" {
		t.Errorf("audit = %+v", last)
	}

	f.tune(func(p *Policy) { p.AutoPool = 0 }) // never
	f.clock.Add(10 * time.Hour)
	if res, _ := f.Sweep(ctx); res.ToPool != 0 {
		t.Error("AutoPool = 0 should never move callbacks")
	}
}

func TestDeactivatedAgentsCallbacksGoToPool(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	a := f.addDue(t, f.callableCustomer(t, 0), time.Hour, f.junho.ID, 3)
	b := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, 0, 3)
	if _, err := f.Claim(ctx, f.junho, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.Deactivate(ctx, f.minji, "junho"); err == nil {
		t.Error("an agent deactivated another")
	}
	if err := f.Deactivate(ctx, f.sora, "junho"); err == nil {
		t.Error("a supervisor deactivated an agent: only admins manage agents")
	}
	if err := f.Deactivate(ctx, f.yuna, "junho"); err != nil {
		t.Fatal(err)
	}
	ga, _ := f.Get(ctx, a.ID)
	gb, _ := f.Get(ctx, b.ID)
	if ga.Owner != "" || gb.State != Scheduled || gb.ClaimedBy != "" {
		t.Errorf("after deactivation: a owner %q, b %s by %q", ga.Owner, gb.State, gb.ClaimedBy)
	}
}

func TestPersonalCap(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	f.tune(func(p *Policy) { p.MaxActive = 2 })
	f.addDue(t, f.callableCustomer(t, 0), time.Hour, f.minji.ID, 3)
	f.addDue(t, f.callableCustomer(t, 1), time.Hour, f.minji.ID, 3)
	_, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 2), Due: testNow.Add(time.Hour), OwnerID: f.minji.ID})
	if err == nil || !strings.Contains(err.Error(), "minji already has 2 active callbacks (the limit is 2)") {
		t.Errorf("third personal callback: %v", err)
	}
	pool := f.addDue(t, f.callableCustomer(t, 3), time.Hour, 0, 3)
	if res, err := f.Reassign(ctx, f.sora, []int64{pool.ID}, f.minji.ID); err != nil || len(res.Done) != 0 ||
		len(res.Skipped) != 1 || res.Skipped[0].Why != SkipAtCap {
		t.Errorf("reassign over the cap should skip it: %+v, %v", res, err)
	}
	f.DB.Exec(`UPDATE agents SET max_active = 5 WHERE id = ?`, f.minji.ID)
	if res, err := f.Reassign(ctx, f.sora, []int64{pool.ID}, f.minji.ID); err != nil || len(res.Done) != 1 {
		t.Errorf("a per-agent cap of 5 should allow a third: %+v, %v", res, err)
	}
}

func TestReassign(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	a := f.addDue(t, f.callableCustomer(t, 0), time.Hour, f.minji.ID, 3)
	b := f.addDue(t, f.callableCustomer(t, 1), time.Hour, f.minji.ID, 3)
	var fe crm.ForbiddenError
	if _, err := f.Reassign(ctx, f.junho, []int64{a.ID}, f.junho.ID); !errors.As(err, &fe) {
		t.Errorf("an agent reassigned a callback: %v", err)
	}
	res, err := f.Reassign(ctx, f.sora, []int64{a.ID, b.ID}, f.junho.ID)
	if err != nil || len(res.Done) != 2 || res.Bulk == 0 {
		t.Fatalf("reassign: %+v, %v", res, err)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", a.ID)
	if last := trail[len(trail)-1]; last.Action != "reassign" || last.From != "minji" || last.To != "junho" || last.Actor.Name != "sora" {
		t.Errorf("audit = %+v", last)
	}
	if res, _ := f.Reassign(ctx, f.sora, []int64{a.ID}, 0); len(res.Done) != 1 {
		t.Error("reassign to the pool")
	}
	if got, _ := f.Get(ctx, a.ID); got.Owner != "" {
		t.Errorf("owner %q, want the pool", got.Owner)
	}
	if _, err := f.Claim(ctx, f.junho, b.ID); err != nil {
		t.Fatal(err)
	}
	res, err = f.Reassign(ctx, f.sora, []int64{b.ID}, f.minji.ID)
	if err != nil || len(res.Skipped) != 1 || res.Skipped[0].Why != SkipClaimed || res.Skipped[0].Who != "junho" {
		t.Errorf("reassigning a claimed callback should skip it, naming junho: %+v %v", res, err)
	}
}

// TestClaimNextFollowsTheOrderOnManyCallbacks claims a pool of hundreds of
// mixed callbacks to the end and checks the sequence never goes back in
// the design's order: priority, then due time, then personal before pool.
func TestClaimNextFollowsTheOrderOnManyCallbacks(t *testing.T) {
	f := newFixture(t, 120, false)
	ctx := context.Background()
	fillPool(t, f, 400)
	f.DB.Exec(`UPDATE callbacks SET owner_id = ? WHERE id % 3 = 0`, f.minji.ID)
	f.DB.Exec(`UPDATE callbacks SET due_at = (SELECT due_at FROM callbacks c2 WHERE c2.id = callbacks.id - 1) WHERE id % 5 = 0`)
	type key struct {
		prio int
		due  int64
		pool bool
	}
	var prev *key
	claimed := 0
	for {
		cl, err := f.ClaimNext(ctx, f.minji)
		if errors.Is(err, ErrNothingCallable) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cb, _ := f.Get(ctx, cl.ID)
		k := key{cb.Priority, cb.Due.Unix(), cb.Pool()}
		if prev != nil {
			back := k.prio < prev.prio ||
				(k.prio == prev.prio && k.due < prev.due) ||
				(k.prio == prev.prio && k.due == prev.due && !k.pool && prev.pool)
			if back {
				t.Fatalf("claim %d went back in order: %+v after %+v", claimed, k, *prev)
			}
		}
		prev = &k
		claimed++
	}
	if claimed != 400 {
		t.Errorf("claimed %d of 400", claimed)
	}
}
