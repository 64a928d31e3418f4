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

// Subscribers is how many subscriptions are open: the consoles of this
// process, and whatever else listens.
func (c *Changes) Subscribers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs)
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

// Watch publishes a Change when another process committed. On PostgreSQL
// it listens to the other nodes' notices (see watchPostgres); on SQLite,
// every interval
// until ctx ends it reads SQLite's data_version on the write connection,
// in a background turn (see Background). That connection is the only one
// this process writes with, so its data_version moves only for other
// processes' commits (the command line, a local console beside a server);
// this process's own commits are published as they are made (committed).
// A Change from Watch has the Action External.
func (d *DB) Watch(ctx context.Context, every time.Duration) error {
	if d.pg != nil {
		return d.watchPostgres(ctx)
	}
	last, err := d.writerVersion(ctx)
	if err != nil {
		return d.Describe(err)
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			v, err := d.writerVersion(Background(ctx))
			if err != nil || v == last {
				continue
			}
			last = v
			d.gen.Add(1)
			d.Changes.Publish(Change{Action: External})
		}
	}()
	return nil
}

// writerVersion reads data_version on the write connection, in its turn.
func (d *DB) writerVersion(ctx context.Context) (int64, error) {
	if err := d.turns.take(ctx); err != nil {
		return 0, err
	}
	defer d.turns.give()
	conn, err := d.DB.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return DataVersion(ctx, conn)
}

// committed tells this process's consoles that a write of theirs was
// committed, saying what it was about when the writer said so (see
// About). Other processes' commits are found by Watch.
func (d *DB) committed(ctx context.Context) {
	entity, _ := ctx.Value(aboutKey{}).(string)
	switch entity {
	case Presence, Draft, Delivered, Tally: // their own tables, which no cached query reads, or a sum kept the same
	default:
		d.gen.Add(1)
		d.localGen.Add(1)
	}
	d.Changes.Publish(Change{Entity: entity, Action: "commit"})
	if d.pg != nil && !(Change{Entity: entity}).Own() {
		d.notify(ctx, entity)
	}
}

// Generation counts the commits that may change what a query shows: each
// commit of this process (except presence, drafts and delivered reminders,
// which only their own tables hold) and each time Watch saw other
// processes commit. A result read at one generation is current while the
// generation is the same; another process's commit counts from the moment
// Watch sees it.
func (d *DB) Generation() uint64 { return d.gen.Load() }

// LocalGeneration is Generation without other processes' commits: a
// result read at one local generation has every commit of this process in
// it while the local generation is the same.
func (d *DB) LocalGeneration() uint64 { return d.localGen.Load() }

type aboutKey struct{}

// About marks the writes made with ctx as touching only entity, so the
// change they publish says so and a console reloads only what shows it:
// Presence (who is on which customer), or one of the Own entities that no
// other console shows. Unmarked writes make every console reload.
func About(ctx context.Context, entity string) context.Context {
	return context.WithValue(ctx, aboutKey{}, entity)
}

// External is the Action of a Change Watch publishes: another process
// committed, what is not known.
const External = "external"

// What a write may be About.
const (
	// Presence: an agent's console opened a customer, or closed.
	Presence = "presence"
	// Draft: an agent's unsaved note, theirs alone.
	Draft = "draft"
	// Lease: an agent's claims renewed; nothing another console shows
	// changes until the lease ends.
	Lease = "lease"
	// Delivered: reminders marked shown to the agent they were for.
	Delivered = "delivered"
	// Tally: the queue's tallies folded; every sum stays what it was.
	Tally = "tally"
)

// Own reports that a change concerns only the console that made it
// (a draft, a lease renewed, reminders delivered, tallies folded): others need
// not reload.
func (c Change) Own() bool {
	switch c.Entity {
	case Draft, Lease, Delivered, Tally:
		return true
	}
	return false
}
