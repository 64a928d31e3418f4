package tui

import (
	"context"

	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
)

// Listen forwards the changes published on bus (by this process's
// services, or by Watch for other processes) to a console as changeMsgs,
// through send (a tea.Program's Send), until ctx ends. Changes that
// concern only the console that made them (Change.Own) are not forwarded;
// the changes waiting when one is forwarded go with it as one changeMsg
// (a commit is published by the database and again by the service that
// made it; a busy floor commits many times a second), and the console
// gathers what follows into one reload.
//
// Slow consoles: the bus never waits for a subscriber and drops a change
// when its buffer is full (see db.Changes); that is safe because a change
// only asks for a reload, and the changes still buffered ask for it too.
// send itself may wait for the program; it returns once the program ends.
func Listen(ctx context.Context, bus *db.Changes, send func(tea.Msg)) {
	ch, unsubscribe := bus.Subscribe()
	go func() {
		defer unsubscribe()
		for {
			var c db.Change
			var ok bool
			select {
			case <-ctx.Done():
				return
			case c, ok = <-ch:
				if !ok {
					return
				}
			}
			merged, some := merge(db.Change{}, false, c)
			for waiting := true; waiting; {
				select {
				case c, ok = <-ch:
					if !ok {
						return
					}
					merged, some = merge(merged, some, c)
				default:
					waiting = false
				}
			}
			if some {
				send(kit.ChangeMsg{Change: merged})
			}
		}
	}()
}

// merge adds c to the changes gathered so far (some: there is one): a
// console's own change adds nothing, presence alone stays presence, and
// anything else asks for a whole reload.
func merge(so db.Change, some bool, c db.Change) (db.Change, bool) {
	switch {
	case c.Own():
		return so, some
	case !some:
		return c, true
	case so.Entity == db.Presence && c.Entity == db.Presence:
		return so, true
	}
	return db.Change{Action: "merged"}, true
}
