package db

import (
	"context"
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
	stopA()
	stopA() // twice is harmless
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
		if got.Action != "external" {
			t.Errorf("got %+v", got)
		}
	case <-time.After(time.Second):
		t.Fatal("the watcher did not notice the other writer within a second")
	}
}
