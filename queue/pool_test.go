package queue

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// sameQueue fails the test unless every agent's console queue (the pool
// shared, see Queue) is the one query's answer.
func sameQueue(t *testing.T, f *fixture, when string, agents ...crm.Agent) {
	t.Helper()
	ctx := context.Background()
	for _, a := range agents {
		got, err := f.Queue(ctx, a, -1)
		if err != nil {
			t.Fatalf("%s: %s's queue: %v", when, a.Name, err)
		}
		want, err := f.queueQuery(ctx, a, -1)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %s's queue with the shared pool differs from the one query:\n%v\nwant\n%v", when, a.Name, got, want)
		}
	}
}

// TestThePoolIsSharedAndAlwaysCurrent: the console's queue, read as the
// agent's own callbacks and a pool shared by every console of the
// process, is after every kind of change the one query's answer, in the
// same order with the same counts; and the consoles asking in one second
// with nothing changed read the pool once.
func TestThePoolIsSharedAndAlwaysCurrent(t *testing.T) {
	f := newFixture(t, 60, true)
	ctx := context.Background()
	agents := []crm.Agent{f.minji, f.junho, f.sora}
	sameQueue(t, f, "the demo queue", agents...)

	reads := f.pool.reads
	for range 5 {
		for _, a := range agents {
			if _, err := f.Queue(ctx, a, -1); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := f.pool.reads - reads; n != 0 {
		t.Errorf("15 queues read in the same second with nothing changed read the pool %d more times, want none", n)
	}

	// Same priority and due time, one pool and one personal: the agent's
	// own comes first, as in the query.
	pool := f.addDue(t, f.callableCustomer(t, 1), -2*time.Minute, 0, 2)
	own := f.addDue(t, f.callableCustomer(t, 2), -2*time.Minute, f.minji.ID, 2)
	sameQueue(t, f, "after two adds", agents...)
	if _, err := f.Claim(ctx, f.junho, pool.ID); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, f, "after junho claimed from the pool", agents...)
	if _, err := f.Claim(ctx, f.minji, own.ID); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, f, "after minji claimed her own", agents...)
	if _, err := f.Done(ctx, f.junho, pool.ID, Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, f, "after a wrap-up", agents...)
	if err := f.Release(ctx, f.minji, own.ID); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, f, "after a release", agents...)
	if _, err := f.Reassign(ctx, f.sora, []int64{pool.ID}, f.sora.ID); err != nil {
		t.Fatal(err)
	}
	sameQueue(t, f, "after the pool's callback went to sora", agents...)
	f.clock.Add(90 * time.Minute) // what is overdue moves
	sameQueue(t, f, "an hour and a half later", agents...)

	// Another process's change counts once Watch has seen it, which it
	// announces on the bus.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	seen, unsubscribe := f.DB.Changes.Subscribe()
	defer unsubscribe()
	if err := f.DB.Watch(ctx, 5*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	other, err := db.Open(ctx, f.DB.Path) // its own connections, as another process has
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	gen := f.DB.Generation()
	if _, err := other.Exec(`UPDATE callbacks SET priority = 1 WHERE owner_id IS NULL AND state = 'scheduled'`); err != nil {
		t.Fatal(err)
	}
	timeout := time.After(10 * time.Second)
	for external := false; !external; {
		select {
		case c := <-seen:
			external = c.Action == db.External
		case <-timeout:
			t.Fatal("Watch did not see the other process's commit in 10 s")
		}
	}
	if f.DB.Generation() == gen {
		t.Fatal("Watch announced the other process's commit without moving the generation")
	}
	sameQueue(t, f, "after another process changed the pool", agents...)
}

// TestThePoolUnderManyConsoles: consoles read their queues at once while
// an agent claims and releases; none sees a torn list, and when the
// writes stop every queue is the one query's answer.
func TestThePoolUnderManyConsoles(t *testing.T) {
	f := newFixture(t, 60, true)
	ctx := context.Background()
	agents := []crm.Agent{f.minji, f.junho, f.sora}
	cb := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, 0, 1)
	done := make(chan struct{})
	errs := make(chan error, 64)
	for i := range 8 {
		go func() {
			a := agents[i%len(agents)]
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				q, err := f.Queue(ctx, a, -1)
				if err == nil && q.Total != len(q.Items) {
					err = fmt.Errorf("%s: %d items, total %d", a.Name, len(q.Items), q.Total)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 20 {
		if _, err := f.Claim(ctx, f.junho, cb.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.Release(ctx, f.junho, cb.ID); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	sameQueue(t, f, "after the writes stopped", agents...)
}
