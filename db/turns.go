package db

import (
	"context"
	"sync"
)

// turns hands the one write connection to writers first come, first
// served, background writes after the others (see Background).
// database/sql gives a freed connection to a random waiter, so under a
// burst (a hundred consoles' presence, renewals and drafts) one agent's
// claim could wait behind writes asked for after it, for minutes: the SSH
// benchmark saw claims that never came. The zero value is ready.
type turns struct {
	mu    sync.Mutex
	busy  bool
	lanes [2][]chan struct{} // 0: the agents' own writes, 1: background
}

func (t *turns) take(ctx context.Context) error {
	lane := 0
	if ctx.Value(backgroundKey{}) != nil {
		lane = 1
	}
	t.mu.Lock()
	if !t.busy {
		t.busy = true
		t.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	t.lanes[lane] = append(t.lanes[lane], turn)
	t.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		t.mu.Lock()
		for i, q := range t.lanes[lane] {
			if q == turn {
				t.lanes[lane] = append(t.lanes[lane][:i], t.lanes[lane][i+1:]...)
				t.mu.Unlock()
				return ctx.Err()
			}
		}
		t.mu.Unlock()
		t.give() // the turn came as the context ended: the next one has it
		return ctx.Err()
	}
}

func (t *turns) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for lane := range t.lanes {
		if q := t.lanes[lane]; len(q) > 0 {
			t.lanes[lane] = q[1:]
			close(q[0])
			return
		}
	}
	t.busy = false
}

func (t *turns) waiting() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.lanes[0]) + len(t.lanes[1])
}
