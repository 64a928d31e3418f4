package queue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/problem"
)

func TestDispositionTransitions(t *testing.T) {
	cases := []struct {
		code         string
		due          time.Duration // 0: none given
		attempts     int           // before the call
		wantState    State
		wantAttempts int
		wantDue      time.Duration // from now; -1: unchanged
		wantOwner    string
	}{
		{"resolved", 0, 1, Done, 1, -1, ""},
		{"follow_up", 26 * time.Hour, 2, Scheduled, 0, 26 * time.Hour, "minji"},
		{"callback_requested", 3 * time.Hour, 0, Scheduled, 0, 3 * time.Hour, "minji"},
		{"no_answer", 0, 0, Scheduled, 1, 30 * time.Minute, ""},
		{"no_answer", 0, 2, Scheduled, 3, 120 * time.Minute, ""}, // backoff: 30, 60, 120
		{"busy", 0, 1, Scheduled, 2, 30 * time.Minute, ""},
		{"voicemail", 0, 0, Scheduled, 1, 120 * time.Minute, ""},
		{"no_answer", 0, 4, Failed, 5, -1, ""}, // the fifth unanswered call
		{"no_answer", 45 * time.Minute, 0, Scheduled, 1, 45 * time.Minute, ""},
		{"wrong_number", 0, 0, Cancelled, 1, -1, ""},
		{"do_not_call", 0, 0, Cancelled, 0, -1, ""},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			f := newFixture(t, 40, false)
			ctx := context.Background()
			cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
			f.DB.Exec(`UPDATE callbacks SET attempts = ? WHERE id = ?`, c.attempts, cb.ID)
			if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
				t.Fatal(err)
			}
			w := Wrapup{Disposition: c.code, Note: "통화 결과: " + c.code}
			if c.due > 0 {
				w.Due = testNow.Add(c.due)
			}
			out, err := f.Done(ctx, f.minji, cb.ID, w)
			if err != nil {
				t.Fatal(err)
			}
			got := out.Callback
			if got.State != c.wantState || got.Attempts != c.wantAttempts || got.Owner != c.wantOwner ||
				got.ClaimedBy != "" || got.Disposition != c.code {
				t.Errorf("after %s: state %s attempts %d owner %q claimed %q disposition %q; want %s %d %q",
					c.code, got.State, got.Attempts, got.Owner, got.ClaimedBy, got.Disposition, c.wantState, c.wantAttempts, c.wantOwner)
			}
			wantDue := cb.Due
			if c.wantDue >= 0 {
				wantDue = testNow.Add(c.wantDue)
			}
			if !got.Due.Equal(wantDue) {
				t.Errorf("due %s, want %s", got.Due, wantDue)
			}
			trail, _ := f.CRM.AuditTrail(ctx, "callback", cb.ID)
			last := trail[len(trail)-1]
			if last.Action != "disposition" || last.Actor.Name != "minji" || last.From != "claimed" ||
				last.To != string(c.wantState) || !strings.HasPrefix(last.Reason, c.code) {
				t.Errorf("audit = %+v", last)
			}
			notes, _ := f.CRM.Interactions(ctx, cb.CustomerID, 0, 1)
			if len(notes) != 1 || notes[0].Body != w.Note || notes[0].CallbackID != cb.ID {
				t.Errorf("the wrap-up note was not stored with the callback: %+v", notes)
			}
		})
	}
}

func TestDoNotCallCancelsEverything(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	cb := f.addDue(t, cust, -time.Minute, 0, 3)
	other := f.addDue(t, cust, 2*time.Hour, f.junho.ID, 3)
	third := f.addDue(t, cust, 3*time.Hour, 0, 3)
	f.Claim(ctx, f.minji, cb.ID)
	out, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "do_not_call"})
	if err != nil || out.Cancelled != 2 {
		t.Fatalf("do not call: %+v, %v", out, err)
	}
	c, _ := f.CRM.Customer(ctx, cust)
	if !c.DNC {
		t.Error("customer should be on the do-not-call list")
	}
	for _, id := range []int64{other.ID, third.ID} {
		got, _ := f.Get(ctx, id)
		trail, _ := f.CRM.AuditTrail(ctx, "callback", id)
		if got.State != Cancelled || trail[len(trail)-1].Action != "cancel" {
			t.Errorf("callback %d: %s, audit %+v", id, got.State, trail[len(trail)-1])
		}
	}
	trail, _ := f.CRM.AuditTrail(ctx, "customer", cust)
	if len(trail) == 0 || trail[len(trail)-1].To != "dnc=1" || trail[len(trail)-1].Actor.Name != "minji" {
		t.Errorf("customer audit = %+v", trail)
	}
	if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: testNow.Add(time.Hour)}); err == nil {
		t.Error("a new callback for a do-not-call customer was accepted")
	}
}

func TestWrongNumberMarksThePhone(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	cb := f.addDue(t, cust, -time.Minute, 0, 3)
	later := f.addDue(t, cust, time.Hour, 0, 3)
	f.Claim(ctx, f.minji, cb.ID)
	if _, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "wrong_number"}); err != nil {
		t.Fatal(err)
	}
	var invalid bool
	f.DB.QueryRow(`SELECT invalid FROM phones WHERE id = ?`, cb.Phone.ID).Scan(&invalid)
	if !invalid {
		t.Error("the number should be marked invalid")
	}
	// The later callback either dials another, valid number of the
	// customer or is blocked: never the wrong one.
	got, _ := f.Get(ctx, later.ID)
	b := Check(got, testNow)
	switch {
	case got.Phone.ID == cb.Phone.ID && (!got.Phone.Invalid || b.Reason != BlockInvalidPhone):
		t.Errorf("later callback would dial the wrong number: %+v, %+v", got.Phone, b)
	case got.Phone.ID != cb.Phone.ID && (got.Phone.Invalid || b.Reason != BlockNone):
		t.Errorf("later callback on another number: %+v, %+v", got.Phone, b)
	}
}

func TestDoneRefusals(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	cases := []struct {
		agent string
		w     Wrapup
		want  string
	}{
		{"minji", Wrapup{Disposition: "resolved"}, "not claimed by minji"},
	}
	for _, c := range cases {
		if _, err := f.Done(ctx, f.minji, cb.ID, c.w); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c.w, err)
		}
	}
	f.Claim(ctx, f.minji, cb.ID)
	for _, c := range []struct {
		w    Wrapup
		want string
	}{
		{Wrapup{Disposition: "hung_up"}, `unknown disposition "hung_up" (use one of: resolved, follow_up`},
		{Wrapup{Disposition: "follow_up"}, "needs the next due time"},
		{Wrapup{Disposition: "follow_up", Due: testNow.Add(-time.Hour)}, "not in the future"},
		{Wrapup{Disposition: "resolved", Note: strings.Repeat("x", 10001)}, "limit is 10000"},
	} {
		if _, err := f.Done(ctx, f.minji, cb.ID, c.w); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.w.Disposition, err, c.want)
		}
	}
	if _, err := f.Done(ctx, f.junho, cb.ID, Wrapup{Disposition: "resolved"}); err == nil || !strings.Contains(err.Error(), "minji's claim") {
		t.Errorf("junho finishing minji's call: %v", err)
	}
	if got, _ := f.Get(ctx, cb.ID); got.State != Claimed || got.ClaimedBy != "minji" {
		t.Errorf("refused wrap-ups changed the callback: %+v", got)
	}
}

func TestFollowUpOverCapGoesToPool(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	f.tune(func(p *Policy) { p.MaxActive = 1 })
	f.addDue(t, f.callableCustomer(t, 1), time.Hour, f.minji.ID, 3)
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	f.Claim(ctx, f.minji, cb.ID)
	out, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "follow_up", Due: testNow.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Callback.Owner != "" || out.Callback.State != Scheduled {
		t.Errorf("a follow-up over the cap should wait in the pool: %+v", out.Callback)
	}
}

func TestUndoWrapup(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, f.minji.ID, 3)
	if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := f.Get(ctx, cb.ID)
	if _, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "resolved"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(30 * time.Second)
	got, err := f.UndoWrapup(ctx, f.minji, before)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != Claimed || got.ClaimedBy != "minji" || got.Owner != "minji" || !got.Due.Equal(before.Due) {
		t.Errorf("after undo: %+v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM call_outcomes WHERE callback_id = ?`, cb.ID); n != 0 {
		t.Errorf("%d outcomes left after the undo", n)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", cb.ID)
	if last := trail[len(trail)-1]; last.Action != "undo_wrapup" || last.Actor.Name != "minji" {
		t.Errorf("audit = %+v", last)
	}
	// Too late, and changed since, are refused.
	if _, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(3 * time.Minute)
	var p problem.Error
	if _, err := f.UndoWrapup(ctx, f.minji, before); !errors.As(err, &p) || p.Code != "undo_too_late" {
		t.Errorf("undo after 3 minutes: %v", err)
	}
	b := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, 0, 3)
	f.Claim(ctx, f.minji, b.ID)
	bBefore, _ := f.Get(ctx, b.ID)
	f.Done(ctx, f.minji, b.ID, Wrapup{Disposition: "busy"})
	f.clock.Add(time.Second)
	f.Reassign(ctx, f.sora, []int64{b.ID}, f.junho.ID)
	if _, err := f.UndoWrapup(ctx, f.minji, bBefore); !errors.As(err, &p) || p.Code != "undo_changed" {
		t.Errorf("undo after sora moved it: %v", err)
	}
}
