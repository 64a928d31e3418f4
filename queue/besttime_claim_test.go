package queue

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestClaimNextBestTimeFirst(t *testing.T) {
	// It is 14:00 in Seoul. Among callbacks of equal priority and due
	// time, with the switch on, the customer whose best band (as the
	// scoring kept it) holds 14:00 comes first; priority and due time
	// still come before it, and with the switch off nothing changes.
	for _, on := range []bool{false, true} {
		f := newFixture(t, 40, false)
		ctx := context.Background()
		f.tune(func(p *Policy) { p.BestTimeFirst = on })
		best := func(cust int64, hour int) {
			t.Helper()
			if _, err := f.DB.Exec(`INSERT INTO customer_scores(customer_id, segment, churn, recency_days, frequency, monetary, best_from, scored_at)
				VALUES (?, 'loyal', 0, 10, 3, 100000, ?, ?)`, cust, hour*60, testNow.Unix()); err != nil {
				t.Fatal(err)
			}
		}
		var custs []int64
		for i := range 6 {
			custs = append(custs, f.callableCustomer(t, i))
		}
		best(custs[0], 18)
		evening := f.addDue(t, custs[0], -5*time.Minute, 0, 3)
		best(custs[1], 14)
		now := f.addDue(t, custs[1], -5*time.Minute, 0, 3) // 14–16: now
		unscored := f.addDue(t, custs[2], -5*time.Minute, 0, 3)
		best(custs[3], 18)
		urgent := f.addDue(t, custs[3], -1*time.Minute, 0, 2)
		best(custs[4], 8)
		mine := f.addDue(t, custs[4], -5*time.Minute, f.minji.ID, 3)
		best(custs[5], 12)
		ended := f.addDue(t, custs[5], -5*time.Minute, 0, 3) // 12–14: ended at 14:00
		want := []int64{urgent.ID, mine.ID, evening.ID, now.ID, unscored.ID, ended.ID}
		if on {
			want = []int64{urgent.ID, now.ID, mine.ID, evening.ID, unscored.ID, ended.ID}
		}
		for i, id := range want {
			cl, err := f.ClaimNext(ctx, f.minji)
			if err != nil {
				t.Fatalf("on=%v, claim %d: %v", on, i, err)
			}
			if cl.ID != id {
				t.Errorf("on=%v, claim %d: callback %d, want %d (order %v)", on, i, cl.ID, id, want)
			}
		}
		if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
			t.Errorf("on=%v: with nothing left: %v", on, err)
		}
	}
}

func TestTheBestTimeSwitchIsAPolicySetting(t *testing.T) {
	f := newFixture(t, 10, false)
	ctx := context.Background()
	if f.Policy().BestTimeFirst {
		t.Fatal("the tie-break is on in a new database")
	}
	if err := f.SetSetting(ctx, f.yuna, "policy.best_time_first", "2"); err == nil {
		t.Error("policy.best_time_first = 2 was taken")
	}
	if err := f.SetSetting(ctx, f.yuna, "policy.best_time_first", "1"); err != nil {
		t.Fatal(err)
	}
	if p, err := f.LoadPolicy(ctx); err != nil || !p.BestTimeFirst {
		t.Errorf("after setting it: %+v, %v", p, err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'policy' AND actor = 'yuna' AND to_value = 'policy.best_time_first=1'`); n != 1 {
		t.Errorf("%d audit rows name the change, want 1", n)
	}
}
