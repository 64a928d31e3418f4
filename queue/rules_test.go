package queue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	seoul := kst
	w := Window{StartMin: 8 * 60, EndMin: 21 * 60}
	cases := []struct {
		at    string
		open  bool
		opens string
	}{
		{"2026-11-23 07:59", false, "2026-11-23 08:00"},
		{"2026-11-23 08:00", true, ""},
		{"2026-11-23 20:59", true, ""},
		{"2026-11-23 21:00", false, "2026-11-24 08:00"},
		{"2026-11-23 23:30", false, "2026-11-24 08:00"},
	}
	for _, c := range cases {
		now, _ := time.ParseInLocation("2006-01-02 15:04", c.at, seoul)
		open, opens := w.Open(now, seoul)
		if open != c.open || (!open && opens.Format("2006-01-02 15:04") != c.opens) {
			t.Errorf("%s: open=%v opens=%s, want %v %s", c.at, open, opens, c.open, c.opens)
		}
	}
	if open, _ := (Window{StartMin: 480, EndMin: 1260, Exempt: true}).Open(time.Date(2026, 1, 1, 3, 0, 0, 0, seoul), seoul); !open {
		t.Error("an exempt window is always open")
	}
}

func TestCallingRulesBlockClaims(t *testing.T) {
	f := newFixture(t, 60, false)
	ctx := context.Background()

	dnc := f.callableCustomer(t, 0)
	dncCB := f.addDue(t, dnc, -time.Minute, 0, 1)
	f.DB.Exec(`UPDATE customers SET dnc = 1 WHERE id = ?`, dnc)

	bad := f.callableCustomer(t, 1)
	badCB := f.addDue(t, bad, -time.Minute, 0, 1)
	f.DB.Exec(`UPDATE phones SET invalid = 1 WHERE customer_id = ?`, bad)

	// 14:00 in Seoul is 21:00 the day before in Los Angeles: too late.
	abroad := f.callableCustomer(t, 2)
	f.DB.Exec(`UPDATE customers SET tz = 'America/Los_Angeles' WHERE id = ?`, abroad)
	lateCB := f.addDue(t, abroad, -time.Minute, 0, 1)

	// A complaint follow-up the customer asked for may ring any hour.
	complaint := f.callableCustomer(t, 3)
	f.DB.Exec(`UPDATE customers SET tz = 'America/Los_Angeles' WHERE id = ?`, complaint)
	exempt, err := f.Add(ctx, f.sora, NewCallback{CustomerID: complaint, Kind: "complaint", Due: testNow.Add(-time.Minute), Priority: 2})
	if err != nil {
		t.Fatal(err)
	}

	// A marketing call is never exempt.
	marketing := f.callableCustomer(t, 4)
	f.DB.Exec(`UPDATE customers SET tz = 'America/New_York' WHERE id = ?`, marketing)
	mktCB, _ := f.Add(ctx, f.sora, NewCallback{CustomerID: marketing, Kind: "marketing", Due: testNow.Add(-time.Minute), Priority: 1})

	items, err := listAll(f, f.minji)
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[int64]Block{}
	for _, cb := range items {
		blocks[cb.ID] = Check(cb, testNow)
	}
	if blocks[dncCB.ID].Reason != BlockDNC || blocks[badCB.ID].Reason != BlockInvalidPhone ||
		blocks[lateCB.ID].Reason != BlockWindow || blocks[exempt.ID].Reason != BlockNone || blocks[mktCB.ID].Reason != BlockWindow {
		t.Errorf("blocks = %+v", blocks)
	}
	la := blocks[lateCB.ID].OpensAt
	if s := la.Format("2006-01-02 15:04 MST"); s != "2026-11-23 08:00 PST" {
		t.Errorf("Los Angeles window opens %s, want 08:00 PST the next morning", s)
	}

	// Claim-next skips every blocked callback and takes the exempt one.
	got, err := f.ClaimNext(ctx, f.minji)
	if err != nil || got.ID != exempt.ID {
		t.Fatalf("claim next: %d, %v; want the exempt complaint %d", got.ID, err, exempt.ID)
	}
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Errorf("only blocked callbacks left: %v", err)
	}
	for id, want := range map[int64]string{dncCB.ID: "do-not-call", badCB.ID: "marked wrong", lateCB.ID: "opens 2026-11-23 08:00 PST"} {
		_, err := f.Claim(ctx, f.minji, id)
		var be BlockedError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), want) {
			t.Errorf("claim %d: %v, want %q", id, err, want)
		}
	}

	// At 08:00 in Los Angeles the window opens and the call may be made.
	f.clock.t = la
	if _, err := f.Claim(ctx, f.minji, lateCB.ID); err != nil {
		t.Errorf("claim when the window opens: %v", err)
	}
}

func TestCustomerOwnWindow(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	cb := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	// "Call me between 4 and 6 pm."
	f.DB.Exec(`UPDATE callbacks SET window_start_min = 960, window_end_min = 1080 WHERE id = ?`, cb.ID)
	if _, err := f.ClaimNext(ctx, f.minji); !errors.Is(err, ErrNothingCallable) {
		t.Errorf("at 14:00 a 16–18 window is closed: %v", err)
	}
	f.clock.Add(2 * time.Hour)
	if got, err := f.ClaimNext(ctx, f.minji); err != nil || got.ID != cb.ID {
		t.Errorf("at 16:00: %v", err)
	}
}
