package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// checkTallies compares each owner's tally with its open callbacks
// counted, and the queue's counts with the same counted by hand.
func checkTallies(t *testing.T, f *fixture, when string) {
	t.Helper()
	ctx := context.Background()
	read := func(q string) map[int64]int64 {
		t.Helper()
		rows, err := f.DB.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[int64]int64{}
		for rows.Next() {
			var owner, n int64
			if err := rows.Scan(&owner, &n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				m[owner] = n
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	kept := read(`SELECT owner_id, sum(n) FROM callback_tallies GROUP BY owner_id`)
	counted := read(`SELECT coalesce(owner_id, 0), count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed') GROUP BY 1`)
	if fmt.Sprint(kept) != fmt.Sprint(counted) {
		t.Errorf("%s: tallies %v, open callbacks counted %v", when, kept, counted)
	}
	now := f.clock.Now()
	team, err := f.Count(ctx, f.sora, Listing{Team: true, AsOf: now})
	if err != nil {
		t.Fatal(err)
	}
	wantTeam := Counts{
		Total: f.count(t, `SELECT count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed')`),
		Overdue: f.count(t, `SELECT count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed') AND due_at <= ?`,
			now.Unix()),
	}
	if team != wantTeam {
		t.Errorf("%s: the team's counts %+v, counted by hand %+v", when, team, wantTeam)
	}
	for _, a := range []crm.Agent{f.minji, f.junho} {
		got, err := f.Count(ctx, a, Listing{AsOf: now})
		if err != nil {
			t.Fatal(err)
		}
		mine := `state IN ('scheduled', 'claimed') AND (owner_id IS NULL OR owner_id = ? OR claimed_by = ?)`
		want := Counts{
			Total:   f.count(t, `SELECT count(*) FROM callbacks WHERE `+mine, a.ID, a.ID),
			Overdue: f.count(t, `SELECT count(*) FROM callbacks WHERE `+mine+` AND due_at <= ?`, a.ID, a.ID, now.Unix()),
		}
		if got != want {
			t.Errorf("%s: %s's counts %+v, counted by hand %+v", when, a.Name, got, want)
		}
	}
}

// TestTalliesFollowEveryChange: every way a callback opens, closes,
// moves between owners or goes away keeps its owner's tally equal to
// the open callbacks counted, and the queue's counts read from them
// equal a count by hand (the overdue too).
func TestTalliesFollowEveryChange(t *testing.T) {
	f := newFixture(t, 60, true)
	ctx := context.Background()
	checkTallies(t, f, "after the demo's seed")

	c, err := f.ClaimNext(ctx, f.minji)
	if err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a claim")
	before, err := f.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Done(ctx, f.minji, c.ID, Wrapup{Disposition: "resolved"}); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a wrap-up that closes")
	if _, err := f.UndoWrapup(ctx, f.minji, before); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "its undo")
	if err := f.Release(ctx, f.minji, c.ID); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a release")

	c, err = f.ClaimNext(ctx, f.junho)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Done(ctx, f.junho, c.ID, Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a wrap-up that calls again")

	added, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 2), Kind: "service", Reason: "tally",
		Due: testNow.Add(time.Hour), OwnerID: f.minji.ID})
	if err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a callback added for an agent")
	if _, err := f.Reassign(ctx, f.sora, []int64{added.ID}, f.junho.ID); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a reassignment")
	if _, err := f.Undo(ctx, f.sora); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "the reassignment undone")

	// Overdue, then moved to the pool by the sweep.
	f.clock.Add(30 * 24 * time.Hour)
	checkTallies(t, f, "a month later, most overdue")
	if _, err := f.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "the sweep")

	var other int64
	if err := f.DB.QueryRow(`SELECT customer_id FROM callbacks WHERE state = 'scheduled' AND customer_id <> ? ORDER BY id LIMIT 1`,
		added.CustomerID).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Merge(ctx, f.yuna, added.CustomerID, other); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a merge")
	if _, err := f.Forget(ctx, f.yuna, added.CustomerID); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a customer forgotten")
	if _, err := f.DB.Exec(`DELETE FROM callbacks WHERE id = (SELECT max(id) FROM callbacks WHERE state = 'scheduled')`); err != nil {
		t.Fatal(err)
	}
	checkTallies(t, f, "a callback deleted")
}

// TestTalliesFromManyWritersAndFolds: wrap-ups and reassignments from
// many goroutines, while folds run beside them, leave every tally equal
// to the callbacks counted, and a last fold leaves one row an owner. On
// PostgreSQL each change adds a row, and two folds can take the same
// owner's rows at once.
func TestTalliesFromManyWritersAndFolds(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	fillPool(t, f, 120)
	checkTallies(t, f, "the pool filled")

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	stop := make(chan struct{})
	for _, a := range []crm.Agent{f.minji, f.junho, f.minji, f.junho, f.minji, f.junho} {
		wg.Go(func() {
			for range 10 {
				c, err := f.ClaimNext(ctx, a)
				if errors.Is(err, ErrNothingCallable) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				code := "resolved"
				if c.ID%2 == 0 {
					code = "no_answer"
				}
				if _, err := f.Done(ctx, a, c.ID, Wrapup{Disposition: code}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 10 {
			ids, err := queryIDs(ctx, f.DB, `SELECT id FROM callbacks WHERE state = 'scheduled' ORDER BY id DESC LIMIT 3`)
			if err != nil {
				errs <- err
				return
			}
			to := []int64{f.minji.ID, f.junho.ID}[i%2]
			if _, err := f.Reassign(ctx, f.sora, ids, to); err != nil {
				errs <- err
				return
			}
		}
	})
	folds := sync.WaitGroup{}
	for range 2 {
		folds.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := f.foldTallies(ctx); err != nil {
					errs <- fmt.Errorf("fold: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	folds.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkTallies(t, f, "after the writers and the folds")
	if err := f.foldTallies(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) - count(DISTINCT owner_id) FROM callback_tallies`); n != 0 {
		t.Errorf("after a last fold, %d rows more than owners", n)
	}
	checkTallies(t, f, "after the last fold")
}

// TestACountOverManyRowsThenTheSweepFolds: the pool's tally with many
// rows (on PostgreSQL, a row a change) is read right, and the next sweep
// folds them into one; the counts stay the same.
func TestACountOverManyRowsThenTheSweepFolds(t *testing.T) {
	f := rowsToFold(t, func(*fixture) int64 { return 0 })
	ctx := context.Background()
	want := f.count(t, `SELECT count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed')`)
	got, err := f.Count(ctx, f.sora, Listing{Team: true, AsOf: testNow})
	if err != nil || got.Total != want {
		t.Fatalf("the team's count over %d rows: %+v, %v; want %d", foldAt+10, got, err, want)
	}
	if _, err := f.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM callback_tallies WHERE owner_id = 0`); n != 1 {
		t.Errorf("the pool's tally has %d rows after the fold, want 1", n)
	}
	checkTallies(t, f, "after the fold")
}

// TestTheSweepFoldsWhatNoConsoleReads: an agent whose tally no console
// reads (a dialer's) has its rows folded by the sweep.
func TestTheSweepFoldsWhatNoConsoleReads(t *testing.T) {
	f := rowsToFold(t, func(f *fixture) int64 { return f.junho.ID })
	ctx := context.Background()
	if _, err := f.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM callback_tallies WHERE owner_id = ?`, f.junho.ID); n != 1 {
		t.Errorf("junho's tally has %d rows after the sweep, want 1", n)
	}
	checkTallies(t, f, "after the sweep's fold")
}

// rowsToFold is a fixture whose owner (0: the pool) has many more tally
// rows than one, summing to what they were, as PostgreSQL's triggers add
// them. SQLite keeps one row an owner: there the test is skipped.
func rowsToFold(t *testing.T, owner func(*fixture) int64) *fixture {
	t.Helper()
	f := newFixture(t, 30, true)
	if f.DB.Engine().Name() == "sqlite" {
		t.Skip("SQLite keeps one row an owner: there is nothing to fold")
	}
	for i := range foldAt + 10 {
		if _, err := f.DB.Exec(`INSERT INTO callback_tallies(owner_id, n) VALUES (?, ?)`, owner(f), 1-2*(i%2)); err != nil {
			t.Fatal(err)
		}
	}
	return f
}
