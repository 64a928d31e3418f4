package queue

import (
	"context"
	"testing"
	"time"
)

// Overdue means open with its due time at or before now, wherever it is
// counted: the queue's header, the board and the figures agree with the
// list's own marks (Callback.Overdue), and a callback due later today is
// not overdue.
func TestOverdueIsOneRuleEverywhere(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	for _, off := range []time.Duration{-time.Hour, 0, 3 * time.Hour, 26 * time.Hour} {
		if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: testNow.Add(off), OwnerID: f.minji.ID}); err != nil {
			t.Fatal(err)
		}
	}
	done, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: testNow.Add(-2 * time.Hour), OwnerID: f.minji.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Claim(ctx, f.minji, done.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Done(ctx, f.minji, done.ID, Wrapup{Disposition: "resolved"}); err != nil {
		t.Fatal(err)
	}

	l := Listing{AsOf: testNow}
	rows, err := f.Page(ctx, f.minji, l, nil, false, 50)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, cb := range rows {
		if cb.Overdue(testNow) {
			marked++
		}
	}
	if marked != 2 {
		t.Fatalf("the list marks %d of %d rows overdue, want 2 (due an hour ago and due now)", marked, len(rows))
	}
	c, err := f.Count(ctx, f.minji, l)
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 4 || c.Overdue != marked {
		t.Errorf("the queue's header counts %+v, want 4 open and %d overdue", c, marked)
	}
	board, err := f.Board(ctx, f.sora, testNow, kst)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range board {
		if r.Agent.Name == "minji" && (r.Open != 4 || r.DueToday != 3 || r.Overdue != marked) {
			t.Errorf("the board's row for minji: %d open, %d due today, %d overdue; want 4, 3, %d", r.Open, r.DueToday, r.Overdue, marked)
		}
	}
	fig, err := f.Report(ctx, f.sora, testNow.Add(-24*time.Hour), testNow, "minji", false)
	if err != nil {
		t.Fatal(err)
	}
	if fig.Calls.OverdueNow != marked {
		t.Errorf("the figures count %d overdue, want %d", fig.Calls.OverdueNow, marked)
	}
}
