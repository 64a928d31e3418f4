package queue

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

func TestRemindersFireOnceBeforeAndAtDue(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	mine := f.addDue(t, f.callableCustomer(t, 0), 20*time.Minute, f.minji.ID, 3)
	f.addDue(t, f.callableCustomer(t, 1), 20*time.Minute, f.junho.ID, 3) // junho's: not minji's reminder
	pool := f.addDue(t, f.callableCustomer(t, 2), 30*time.Minute, 0, 3)

	at := func(d time.Duration) []Reminder {
		t.Helper()
		rs, err := f.Reminders(ctx, f.minji, testNow.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	if rs := at(14 * time.Minute); len(rs) != 0 {
		t.Fatalf("6 minutes before: %v", rs)
	}
	rs := at(15 * time.Minute)
	if len(rs) != 1 || rs[0].Kind != RemindBefore || rs[0].Callback.ID != mine.ID {
		t.Fatalf("5 minutes before: %v", rs)
	}
	// Not delivered until a console says it showed it.
	if again := at(16 * time.Minute); len(again) != 1 {
		t.Fatalf("an unshown reminder must stay pending: %v", again)
	}
	f.Delivered(ctx, f.minji, rs)
	if rs := at(19 * time.Minute); len(rs) != 0 {
		t.Fatalf("delivered before-reminder came back: %v", rs)
	}
	rs = at(20 * time.Minute)
	if len(rs) != 1 || rs[0].Kind != RemindDue {
		t.Fatalf("at due: %v", rs)
	}
	f.Delivered(ctx, f.minji, rs)
	if rs := at(40 * time.Minute); len(rs) != 0 {
		t.Errorf("delivered due-reminder came back: %v", rs)
	}

	// A pool callback reminds the agent who claimed it.
	f.clock.t = testNow.Add(22 * time.Minute)
	if _, err := f.Claim(ctx, f.minji, pool.ID); err != nil {
		t.Fatal(err)
	}
	if rs := at(30 * time.Minute); len(rs) != 1 || rs[0].Callback.ID != pool.ID || rs[0].Kind != RemindDue {
		t.Errorf("claimed pool callback: %v", rs)
	}
}

func TestMissedRemindersShowOnlyTheLatest(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), 10*time.Minute, f.minji.ID, 3)
	// minji was away for an hour: one reminder, the due one, not two.
	rs, _ := f.Reminders(ctx, f.minji, testNow.Add(time.Hour))
	if len(rs) != 1 || rs[0].Kind != RemindDue || rs[0].Callback.ID != cb.ID {
		t.Fatalf("missed: %v", rs)
	}
	f.Delivered(ctx, f.minji, rs)
	f.clock.Add(5 * time.Minute) // "before" is retired with "due"
	if rs, _ := f.Reminders(ctx, f.minji, testNow.Add(5*time.Minute+time.Second)); len(rs) != 0 {
		t.Errorf("the before-reminder came back after the due one was shown: %v", rs)
	}
}

func TestSnooze(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), 2*time.Minute, f.minji.ID, 3)
	rs, _ := f.Reminders(ctx, f.minji, testNow)
	f.Delivered(ctx, f.minji, rs)
	if err := f.Snooze(ctx, f.minji, cb.ID, testNow.Add(15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.Snooze(ctx, f.minji, cb.ID, testNow.Add(-time.Minute)); err == nil {
		t.Error("a snooze into the past was accepted")
	}
	f.Delivered(ctx, f.minji, mustReminders(t, f, testNow.Add(2*time.Minute))) // the due one
	if rs := mustReminders(t, f, testNow.Add(14*time.Minute)); len(rs) != 0 {
		t.Fatalf("snooze fired early: %v", rs)
	}
	rs = mustReminders(t, f, testNow.Add(15*time.Minute))
	if len(rs) != 1 || rs[0].Kind != RemindSnooze || rs[0].Callback.CustomerName == "" {
		t.Fatalf("snooze: %v", rs)
	}
	f.Delivered(ctx, f.minji, rs)
	if rs := mustReminders(t, f, testNow.Add(20*time.Minute)); len(rs) != 0 {
		t.Errorf("delivered snooze came back: %v", rs)
	}
}

func mustReminders(t *testing.T, f *fixture, at time.Time) []Reminder {
	t.Helper()
	rs, err := f.Reminders(context.Background(), f.minji, at)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// Two nodes on one database (on PostgreSQL two `dangol serve`, on SQLite
// two processes on the file): a reminder shown by a console of one is not
// shown again by the other, whichever node shows it, and a snooze asked
// on one rings on the other.
func TestRemindersAcrossTwoNodes(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	d, err := db.Open(ctx, f.DB.Target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	c := crm.New(d)
	c.Now = f.clock.Now
	other := New(d, c)
	other.Now = f.clock.Now
	nodes := map[string]*Service{"a": f.Service, "b": other}
	at := func(node string, after time.Duration) []Reminder {
		t.Helper()
		rs, err := nodes[node].Reminders(ctx, f.minji, testNow.Add(after))
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	deliver := func(node string, rs []Reminder) {
		t.Helper()
		if err := nodes[node].Delivered(ctx, f.minji, rs); err != nil {
			t.Fatal(err)
		}
	}
	cb := f.addDue(t, f.callableCustomer(t, 0), 20*time.Minute, f.minji.ID, 3)

	// Before it is shown, both nodes have it to show.
	a, b := at("a", 15*time.Minute), at("b", 15*time.Minute)
	if len(a) != 1 || len(b) != 1 || a[0] != b[0] || a[0].Kind != RemindBefore || a[0].Callback.ID != cb.ID {
		t.Fatalf("before it is shown: a %v, b %v", a, b)
	}
	deliver("a", a)
	if rs := at("b", 16*time.Minute); len(rs) != 0 {
		t.Fatalf("shown on a, b shows it again: %v", rs)
	}
	due := at("b", 20*time.Minute)
	if len(due) != 1 || due[0].Kind != RemindDue {
		t.Fatalf("at due, on b: %v", due)
	}
	deliver("b", due)
	if rs := at("a", 21*time.Minute); len(rs) != 0 {
		t.Fatalf("shown on b, a shows it again: %v", rs)
	}

	f.clock.t = testNow.Add(21 * time.Minute)
	if err := nodes["a"].Snooze(ctx, f.minji, cb.ID, testNow.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rs := at("b", 29*time.Minute); len(rs) != 0 {
		t.Fatalf("the snooze rang early on b: %v", rs)
	}
	sn := at("b", 30*time.Minute)
	if len(sn) != 1 || sn[0].Kind != RemindSnooze || sn[0].Callback.ID != cb.ID {
		t.Fatalf("a's snooze on b: %v", sn)
	}
	deliver("b", sn)
	if rs := at("a", 31*time.Minute); len(rs) != 0 {
		t.Errorf("the snooze shown on b, a shows it again: %v", rs)
	}
}
