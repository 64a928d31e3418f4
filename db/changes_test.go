package db

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestChangesReachEverySubscriber(t *testing.T) {
	var c Changes
	a, stopA := c.Subscribe()
	b, stopB := c.Subscribe()
	defer stopB()
	c.Publish(Change{Entity: "callback", ID: 7, Action: "claim"})
	for _, ch := range []<-chan Change{a, b} {
		select {
		case got := <-ch:
			if got.ID != 7 || got.Action != "claim" {
				t.Errorf("got %+v", got)
			}
		case <-time.After(time.Second):
			t.Fatal("a subscriber missed the change")
		}
	}
	if n := c.Subscribers(); n != 2 {
		t.Errorf("%d subscribers, want 2", n)
	}
	stopA()
	stopA() // twice is harmless
	if n := c.Subscribers(); n != 1 {
		t.Errorf("%d subscribers after one ended, want 1", n)
	}
	if _, ok := <-a; ok {
		t.Error("an ended subscription should be closed")
	}
	// A slow subscriber never blocks Publish; its buffer keeps what fits.
	for i := 0; i < subscriberBuffer*3; i++ {
		c.Publish(Change{ID: int64(i)})
	}
	if len(b) != subscriberBuffer {
		t.Errorf("slow subscriber holds %d, want a full buffer of %d", len(b), subscriberBuffer)
	}
}

func TestWatchSeesOtherProcessesWrites(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "watch.db")
	watcher, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	writer, err := Open(ctx, path) // stands in for another process: its own connections
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	ch, stop := watcher.Changes.Subscribe()
	defer stop()
	if err := watcher.Watch(ctx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	select {
	case got := <-ch:
		t.Fatalf("a change before any write: %+v", got)
	default:
	}
	if _, err := writer.Exec(`INSERT INTO meta VALUES ('x', 'y')`); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-ch:
		if got.Action != External {
			t.Errorf("got %+v", got)
		}
	case <-time.After(time.Second):
		t.Fatal("the watcher did not notice the other writer within a second")
	}
}

func TestOwnCommitsSayWhatTheyWereAbout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "own.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ch, stop := d.Changes.Subscribe()
	defer stop()
	next := func() Change {
		t.Helper()
		select {
		case got := <-ch:
			return got
		case <-time.After(10 * time.Second):
			t.Fatal("no change published for a commit")
			return Change{}
		}
	}

	gen := d.Generation()
	if _, err := d.ExecContext(About(ctx, Presence), `INSERT INTO meta VALUES ('a', '1')`); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.Entity != Presence || got.Action != "commit" || got.Own() {
		t.Errorf("a presence write published %+v (own %v)", got, got.Own())
	}
	if err := d.Tx(About(ctx, Draft), func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO meta VALUES ('b', '1')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.Entity != Draft || !got.Own() {
		t.Errorf("a draft write published %+v (own %v)", got, got.Own())
	}
	// A write rolled back or refused publishes nothing; the next one,
	// unmarked, asks every console to reload.
	_ = d.Tx(ctx, func(tx *Tx) error {
		tx.Exec(`INSERT INTO meta VALUES ('c', '1')`)
		return errors.New("changed my mind")
	})
	if _, err := d.Exec(`INSERT INTO meta VALUES ('a', 'twice')`); err == nil {
		t.Fatal("a duplicate key was accepted")
	}
	if _, err := d.Exec(`INSERT INTO meta VALUES ('d', '1')`); err != nil {
		t.Fatal(err)
	}
	if got := next(); got.Entity != "" || got.Own() {
		t.Errorf("after a rollback and a refusal, the next change is %+v; want the plain write's", got)
	}
	// Presence and drafts are their own tables: only the plain write can
	// change what a cached query shows.
	if g := d.Generation(); g != gen+1 {
		t.Errorf("the generation moved by %d for a presence write, a draft and a plain write; want 1", g-gen)
	}

	// Watch reads data_version where only other processes' commits move
	// it: this process's own writes (published above as they were made)
	// leave it, another connection's commit moves it.
	v0, err := d.writerVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO meta VALUES ('e', '1')`); err != nil {
		t.Fatal(err)
	}
	v1, err := d.writerVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v0 {
		t.Errorf("this process's own commit moved the watched data_version (%d → %d): every console would reload twice", v0, v1)
	}
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`INSERT INTO meta VALUES ('f', '1')`); err != nil {
		t.Fatal(err)
	}
	if v2, err := d.writerVersion(ctx); err != nil || v2 == v1 {
		t.Errorf("another process's commit left the watched data_version at %d (err %v)", v2, err)
	}
}
