package db

import (
	"context"
	"sync"
	"time"
)

// Change says something in the database changed. It is a hint to re-read,
// not a diff: subscribers reload what they show.
type Change struct {
	Entity string // callback, customer, interaction, ...; empty when another process wrote
	ID     int64
	Actor  string // who, when known
	Action string // claim, release, create, ...
}

// Changes is the in-process event bus: services publish after they commit,
// every open console subscribes. One SSH server process with many sessions
// learns of each change at once; other processes are noticed by Watch.
//
// Slow subscribers: each has a small buffer, and Publish never blocks. When
// a subscriber's buffer is full the new change is dropped for it. That is
// safe because a change is only a reason to reload: the changes already
// waiting in the buffer were published after their commits, so the reload
// they cause reads the dropped change too.
type Changes struct {
	mu   sync.Mutex
	subs map[int]chan Change
	next int
}

// subscriberBuffer is how many changes wait for a subscriber before more
// are dropped (see Changes).
const subscriberBuffer = 32

// Subscribe returns a channel of changes and a function that ends the
// subscription and closes the channel.
func (c *Changes) Subscribe() (<-chan Change, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs == nil {
		c.subs = map[int]chan Change{}
	}
	id := c.next
	c.next++
	ch := make(chan Change, subscriberBuffer)
	c.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			c.mu.Lock()
			delete(c.subs, id)
			c.mu.Unlock()
			close(ch)
		})
	}
}

// Publish tells every subscriber, never waiting for any of them.
func (c *Changes) Publish(ch Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.subs {
		select {
		case s <- ch:
		default: // full: see the rule for slow subscribers above
		}
	}
}

// Watch polls SQLite's data_version on its own connection every interval
// until ctx ends, and publishes a Change when any other connection (in
// this process or another) committed. It is how a console learns that a
// script or another console changed the queue.
func (d *DB) Watch(ctx context.Context, every time.Duration) error {
	conn, err := d.Read.Conn(ctx)
	if err != nil {
		return d.Describe(err)
	}
	last, err := DataVersion(ctx, conn)
	if err != nil {
		conn.Close()
		return d.Describe(err)
	}
	go func() {
		defer conn.Close()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			v, err := DataVersion(ctx, conn)
			if err != nil || v == last {
				continue
			}
			last = v
			d.Changes.Publish(Change{Action: "external"})
		}
	}()
	return nil
}
