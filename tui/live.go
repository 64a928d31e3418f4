package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
)

// Listen forwards every change published on bus (by this process's
// services, or by Watch for other processes) to a console as a changeMsg,
// through send (a tea.Program's Send), until ctx ends. The console gathers
// a burst of them into one reload.
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
			select {
			case <-ctx.Done():
				return
			case c, ok := <-ch:
				if !ok {
					return
				}
				if !c.Own() { // a draft, a lease renewed: nothing another console shows
					send(changeMsg{c})
				}
			}
		}
	}()
}
