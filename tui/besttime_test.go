package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"
)

// plantEvenings gives a customer twelve calls over the autumn, the eight
// at 18–20 their time answered and the four at 10–12 not.
func plantEvenings(t *testing.T, c *kit.Common, customerID int64) {
	t.Helper()
	ctx := context.Background()
	day := time.Date(2026, 9, 1, 0, 0, 0, 0, kst)
	var cb int64
	if err := c.CRM.DB.QueryRowContext(ctx, `INSERT INTO callbacks(customer_id, kind, due_at, state, created_at, updated_at)
		VALUES (?, 'service', ?, 'done', ?, ?) RETURNING id`, customerID, day.Unix(), day.Unix(), day.Unix()).Scan(&cb); err != nil {
		t.Fatal(err)
	}
	for k := range 12 {
		at, answered := day.AddDate(0, 0, 3*k).Add(18*time.Hour+time.Duration(7*k)*time.Minute), true
		if k%3 == 2 {
			at, answered = at.Add(-8*time.Hour), false
		}
		if _, err := c.CRM.DB.ExecContext(ctx, `INSERT INTO call_outcomes(callback_id, customer_id, kind, disposition, reached,
			attempt, due_at, claimed_at, done_at) VALUES (?, ?, 'service', ?, ?, ?, ?, ?, ?)`,
			cb, customerID, map[bool]string{true: "resolved", false: "no_answer"}[answered], answered, k+1, at.Unix(), at.Unix(), at.Unix()+60); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTheWrapupOffersTheBestTime(t *testing.T) {
	// minji's call ends with a follow-up. The customer answers in the
	// evening: the time prompt says so, and ctrl+b books the next
	// evening slot (today 18:00; it is 14:00).
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	run(t, a, press("N"))
	cb, err := c.Queue.Get(context.Background(), a.work.Customer.CallbackID)
	if err != nil {
		t.Fatal(err)
	}
	plantEvenings(t, c, cb.CustomerID)
	run(t, a, press("w"))
	run(t, a, press("2")) // follow-up: asks for the time
	w, ok := open[*desk.WrapupPane](a)
	if !ok || w.Phrase == nil {
		t.Fatalf("follow-up should ask for the next time:\n%s", shown(a))
	}
	wantShown(t, a, `ctrl+b or "best time": the next slot of 18–20`, "the time prompt should offer the best time")
	run(t, a, press("ctrl+b"))
	wantShown(t, a, "2026-11-23 18:00", "ctrl+b should fill the next best slot")
	run(t, a, press("enter"))
	if a.top() != nil {
		t.Fatalf("the picker should close once stored:\n%s", shown(a))
	}
	got, _ := c.Queue.Get(context.Background(), cb.ID)
	if want := time.Date(2026, 11, 23, 18, 0, 0, 0, kst); got.State != queue.Scheduled || !got.Due.Equal(want) || got.Disposition != "follow_up" {
		t.Errorf("after the follow-up: %s due %s (%s), want scheduled at %s", got.State, got.Due.In(kst), got.Disposition, want)
	}
}

func TestTheWrapupWithoutABestTimeSaysSo(t *testing.T) {
	// A customer with no history: ctrl+b leaves the field as it was and
	// says why, in Korean.
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 32)
	run(t, a, press("N"))
	cb, err := c.Queue.Get(context.Background(), a.work.Customer.CallbackID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CRM.DB.Exec(`DELETE FROM call_outcomes WHERE customer_id = ?`, cb.CustomerID); err != nil {
		t.Fatal(err)
	}
	run(t, a, press("w"))
	run(t, a, press("2"))
	run(t, a, press("ctrl+b"))
	wantShown(t, a, "통화 잘 되는 시간은 아직 모릅니다", "ctrl+b without a best time")
	if s := shown(a); strings.Contains(s, "잘 받는 ") {
		t.Errorf("a best time offered for a customer with no calls:\n%s", s)
	}
	if w, ok := open[*desk.WrapupPane](a); !ok || w.Phrase == nil {
		t.Fatalf("the prompt should stay open:\n%s", shown(a))
	}
}
