package tui

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
)

// TestListenGathersTheChangesWaiting: while a console is busy, the changes
// published for it wait; they reach it as one changeMsg, a whole reload
// when any of them asks for one, and a console's own changes (a draft, a
// lease renewed) never reach the others.
func TestListenGathersTheChangesWaiting(t *testing.T) {
	var bus db.Changes
	got := make(chan db.Change)
	// sending says Listen has gathered a change and waits to hand it over.
	sending := make(chan struct{}, 1)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	Listen(ctx, &bus, func(m tea.Msg) {
		sending <- struct{}{}
		got <- m.(kit.ChangeMsg).Change
	})
	wait := func(what string) {
		t.Helper()
		select {
		case <-sending:
		case <-time.After(10 * time.Second):
			t.Fatalf("no change reached the console (%s)", what)
		}
	}
	next := func() db.Change {
		t.Helper()
		wait("next")
		return <-got
	}
	// A console's own change never reaches the others: a draft, then a
	// presence change, arrive as the presence change alone.
	presence := db.Change{Entity: db.Presence, ID: 1, Action: "commit"}
	bus.Publish(db.Change{Entity: db.Draft, Action: "commit"})
	bus.Publish(presence)
	if c := next(); c != presence {
		t.Fatalf("after a draft and a presence change the console got %+v, want the presence change alone", c)
	}

	// A claim is published and the console has not taken it yet (send
	// waits); a presence change, a lease renewal and a note follow. The
	// console gets the claim, then the three as one whole reload.
	claim := db.Change{Entity: "callback", ID: 2, Action: "claim"}
	bus.Publish(claim)
	wait("the claim")
	bus.Publish(db.Change{Entity: db.Presence, ID: 3, Action: "commit"})
	bus.Publish(db.Change{Entity: db.Lease, Action: "commit"})
	bus.Publish(db.Change{Entity: "interaction", ID: 4, Action: "create"})
	if c := <-got; c != claim {
		t.Fatalf("got %+v, want the claim first", c)
	}
	if c := next(); c.Entity == db.Presence || c.Own() {
		t.Errorf("a presence change and a note came as %+v; want one whole reload", c)
	}
	// Nothing else was waiting: the next change to come is the next one
	// published.
	presence.ID = 5
	bus.Publish(presence)
	if c := next(); c != presence {
		t.Errorf("got %+v, want the last presence change alone", c)
	}
}

// TestATimerEndsWithItsSession: a timer still waiting when its session
// ends returns at once, letting its program go (a server keeps nothing of
// an ended session).
func TestATimerEndsWithItsSession(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clock := kit.WallClock{Done: ctx.Done()}
	got := make(chan tea.Msg, 1)
	cmd := clock.After(time.Hour, kit.TickMsg{})
	go func() { got <- cmd() }()
	cancel()
	select {
	case msg := <-got:
		if msg != nil {
			t.Errorf("a timer of an ended session delivered %T", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a timer of an ended session still waits (for its hour)")
	}
	// A session that goes on gets its message.
	fire := kit.WallClock{Done: context.Background().Done()}.After(time.Millisecond, kit.TickMsg{})
	if msg := fire(); msg != (kit.TickMsg{}) {
		t.Errorf("a timer delivered %#v, want tickMsg", msg)
	}
}
