package queue

import (
	"context"
	"testing"
	"time"
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
