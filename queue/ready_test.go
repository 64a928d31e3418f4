package queue

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
)

func TestNeverIsTheSameInSQLAndGo(t *testing.T) {
	if neverSQL != strconv.FormatInt(db.Never, 10) {
		t.Errorf("neverSQL = %s, db.Never = %d", neverSQL, db.Never)
	}
}

// TestClaimNextFollowsWindowsAndRules: a callback whose window is closed is
// passed by, becomes claimable when the window opens (recomputed before the
// claim, nothing else running), and a change of the rules (do not call,
// then allowed again) is seen at the next claim.
func TestClaimNextFollowsWindowsAndRules(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: testNow.Add(-time.Hour), Priority: 1})
	if err != nil {
		t.Fatal(err)
	}
	// a window of 09:00-10:00 in the customer's zone; it is 14:00 there
	if _, err := f.DB.Exec(`UPDATE callbacks SET window_start_min = 540, window_end_min = 600 WHERE id = ?`, cb.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Fatalf("claimed outside the window: %v", err)
	}
	f.clock.t = time.Date(2026, 11, 24, 9, 30, 0, 0, kst) // the next morning, inside it
	if _, err := f.DB.Exec(`UPDATE customers SET dnc = 1 WHERE id = ?`, cust); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Fatalf("claimed a do-not-call customer: %v", err)
	}
	if _, err := f.DB.Exec(`UPDATE customers SET dnc = 0 WHERE id = ?`, cust); err != nil {
		t.Fatal(err)
	}
	cl, err := f.ClaimNext(ctx, f.minji)
	if err != nil || cl.ID != cb.ID {
		t.Fatalf("inside the window, allowed again: claimed %d, %v; want %d", cl.ID, err, cb.ID)
	}
	if err := f.Release(ctx, f.minji, cb.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.t = time.Date(2026, 11, 24, 10, 0, 0, 0, kst) // the window has just closed
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Fatalf("claimed at 10:00, when the window closed: %v", err)
	}
}

func TestWindowFlip(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata")
	}
	cases := []struct {
		tz         string
		now        time.Time
		start, end int64
		want       time.Time
	}{
		{"Asia/Seoul", time.Date(2026, 11, 24, 14, 0, 0, 0, kst), 480, 1260, time.Date(2026, 11, 24, 21, 0, 0, 0, kst)},
		{"Asia/Seoul", time.Date(2026, 11, 24, 22, 0, 0, 0, kst), 480, 1260, time.Date(2026, 11, 25, 8, 0, 0, 0, kst)},
		{"Asia/Seoul", time.Date(2026, 11, 24, 7, 0, 0, 0, kst), 480, 1260, time.Date(2026, 11, 24, 8, 0, 0, 0, kst)},
		{"Asia/Seoul", time.Date(2026, 11, 24, 8, 0, 0, 0, kst), 480, 1260, time.Date(2026, 11, 24, 21, 0, 0, 0, kst)},
		// the night the clocks go forward in Los Angeles
		{"America/Los_Angeles", time.Date(2026, 3, 7, 22, 0, 0, 0, la), 480, 1260, time.Date(2026, 3, 8, 8, 0, 0, 0, la)},
	}
	for _, c := range cases {
		if got := db.WindowFlip(c.tz, c.start, c.end, c.now.Unix()); got != c.want.Unix() {
			t.Errorf("WindowFlip(%s, %d, %d, %s) = %s, want %s", c.tz, c.start, c.end, c.now, time.Unix(got, 0).In(c.now.Location()), c.want)
		}
	}
	if got := db.WindowFlip("Asia/Seoul", 0, 0, testNow.Unix()); got != db.Never {
		t.Errorf("an always-open window flips at %d", got)
	}
}
