package queue

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// A customer's last contact moves with every contact: an answered call's
// wrap-up as well as a note. An unanswered call is an attempt, shown
// apart, and the note written during it does not count as a contact; an
// undone wrap-up takes its contact back.
func TestLastContactFollowsEveryContact(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	profile := func() crm.Profile {
		t.Helper()
		p, err := f.CRM.Profile(ctx, cust)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	before := profile().LastContact
	if before.At.IsZero() || !before.At.Before(testNow) {
		t.Fatalf("the seeded customer's last contact is %v, want one before %v", before.At, testNow)
	}
	cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: testNow, OwnerID: f.minji.ID})
	if err != nil {
		t.Fatal(err)
	}
	// work claims the callback, writes the note if any and wraps up; it
	// returns the callback as claimed, for an undo.
	work := func(disposition, note string) Callback {
		t.Helper()
		f.clock.Add(time.Minute)
		if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
			t.Fatal(err)
		}
		claimed, err := f.Get(ctx, cb.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Add(time.Minute)
		if note != "" {
			if _, err := f.CRM.AddNote(ctx, f.minji, crm.NewNote{CustomerID: cust, Body: note, CallbackID: cb.ID}); err != nil {
				t.Fatal(err)
			}
			if got := profile().LastContact.At; !got.Equal(f.clock.t.Truncate(time.Second)) {
				t.Errorf("after a note the last contact is %v, want %v", got, f.clock.t)
			}
		}
		f.clock.Add(time.Minute)
		if _, err := f.Done(ctx, f.minji, cb.ID, Wrapup{Disposition: disposition, Due: f.clock.t.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		return claimed
	}

	// Nobody answered: the note written during the call is not a contact.
	work("no_answer", "신호만 가고 받지 않음")
	p := profile()
	if !p.LastContact.At.Equal(before.At) {
		t.Errorf("after an unanswered call the last contact is %v, want it back at %v", p.LastContact.At, before.At)
	}
	if a := p.LastAttempt; !a.At.Equal(f.clock.t) || a.Disposition != "no_answer" || a.Agent != "minji" {
		t.Errorf("the last attempt is %+v, want minji's no_answer at %v", a, f.clock.t)
	}

	// Answered, without a note: the call itself is the contact.
	f.clock.t = f.clock.t.Add(time.Hour)
	work("follow_up", "")
	p = profile()
	if c := p.LastContact; !c.At.Equal(f.clock.t) || c.Channel != crm.ChannelPhone || c.Agent != "minji" {
		t.Errorf("after an answered call the last contact is %+v, want minji's phone call at %v", c, f.clock.t)
	}
	if !p.LastAttempt.At.IsZero() {
		t.Errorf("an attempt before the last contact is still shown: %+v", p.LastAttempt)
	}

	// The answered wrap-up undone: its contact goes with it.
	answered := p.LastContact.At
	f.clock.Add(time.Hour)
	claimed := work("resolved", "")
	if got := profile().LastContact.At; !got.Equal(f.clock.t) {
		t.Fatalf("after a resolved call the last contact is %v, want %v", got, f.clock.t)
	}
	if _, err := f.UndoWrapup(ctx, f.minji, claimed); err != nil {
		t.Fatal(err)
	}
	if got := profile().LastContact.At; !got.Equal(answered) {
		t.Errorf("after the undo the last contact is %v, want the earlier answered call at %v", got, answered)
	}
}
