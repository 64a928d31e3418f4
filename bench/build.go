package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// The bench database's own rows. Its customers, history and agents are the
// demo's (crm.Seed); its open callbacks are written here in bulk, each with
// a 'create' audit row by "bench". The package writes callbacks, audit rows
// and its two meta rows itself, for its fixture only (db/owners_test.go
// declares it).
const (
	metaBuilt = "bench.built" // "customers=N interactions=M callbacks=K fixture=V"
	metaMark  = "bench.mark"  // "CALLBACK AUDIT": the last ids before a run began
	metaAsOf  = "bench.asof"  // the moment the fixture's due times are counted from (unix)
	// metaBuilding is written first when a file is built, metaBuilt last:
	// a file with the first and not the second was left half-built.
	metaBuilding = "bench.building"
	reason       = "bench"
	seed         = 20261124
	// fixtureVersion changes when what a build puts in the file does: 2
	// planted habits and scores (#27). A file of another version is built
	// again only when asked (--rebuild).
	fixtureVersion = 2
)

// builtWith is what metaBuilt holds for a file of these numbers.
func builtWith(customers, interactions, callbacks int) string {
	return fmt.Sprintf("customers=%d interactions=%d callbacks=%d fixture=%d", customers, interactions, callbacks, fixtureVersion)
}

// fixture is an open bench database.
type fixture struct {
	o        Options
	d        *db.DB
	crm      *crm.Service
	q        *queue.Service
	minji    crm.Agent
	callable []target // customers that may be called: valid phone, not do-not-call, Seoul time
	next     int      // the next of callable to use
	readOnly bool     // a file the bench did not build, opened read-only
	cbMark   int64    // callbacks and audit rows after these ids are this run's
	auditMrk int64
}

// target is a customer and the phone a callback for them rings.
type target struct{ customer, phone int64 }

// open opens the bench database: built when new, or left half-built by a
// run that was stopped (ctrl+c, a full disk); reused when whole. A file
// built with other numbers is measured at its own when the run asked for
// none, and built again only with o.Rebuild. A file the bench did not build is opened
// read-only, for the figures that only read, unless o.Write.
func open(ctx context.Context, o Options) (*fixture, bool, error) {
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	want := builtWith(o.Customers, o.Interactions, o.Callbacks)
	if _, err := os.Stat(o.Path); err == nil || db.IsServer(o.Path) && db.CheckExisting(ctx, o.Path) == nil {
		meta, err := db.PeekMeta(ctx, o.Path, metaBuilt, metaBuilding)
		if err != nil {
			return nil, false, err
		}
		got, built := meta[metaBuilt]
		_, building := meta[metaBuilding]
		switch {
		case built && got == want:
			f, err := openFile(ctx, o)
			if err == nil {
				err = f.ready(ctx)
			}
			if err != nil {
				return nil, false, err
			}
			fmt.Fprintf(o.Progress, "bench: reusing %s (%s)\n", o.Path, got)
			return f, false, nil
		case building && !built:
			fmt.Fprintf(o.Progress, "bench: %s was left half-built by a run that stopped; building it again\n", o.Path)
		case built && !o.Rebuild && !o.Sized:
			// No numbers asked for: the file's own are the run's.
			var c, i, cb int
			if _, err := fmt.Sscanf(got, "customers=%d interactions=%d callbacks=%d", &c, &i, &cb); err != nil {
				return nil, false, fmt.Errorf("%s was built with %q, which this bench does not read: --rebuild builds it again", o.Path, got)
			}
			if builtWith(c, i, cb) != got {
				return nil, false, fmt.Errorf("%s was built by an older bench (%s; this one builds fixture=%d): --rebuild builds it again (the file is replaced)", o.Path, got, fixtureVersion)
			}
			o.Customers, o.Interactions, o.Callbacks = c, i, cb
			return open(ctx, o)
		case built && !o.Rebuild:
			// Hours of building are never thrown away unasked.
			return nil, false, fmt.Errorf("%s was built with %s, not %s: leave out the numbers to measure it as it is, or --rebuild to build it again (the file is replaced)", o.Path, got, want)
		case built:
			fmt.Fprintf(o.Progress, "bench: %s was built with %s; building it again (--rebuild)\n", o.Path, got)
		default:
			return openForeign(ctx, o)
		}
		if db.IsServer(o.Path) {
			return nil, false, fmt.Errorf("%s holds a bench database that must be built again: give an empty PostgreSQL database (dropdb, createdb)", db.Shown(o.Path))
		}
		for _, p := range []string{o.Path, o.Path + "-wal", o.Path + "-shm"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return nil, false, err
			}
		}
	}
	f, err := openFile(ctx, o)
	if err != nil {
		return nil, false, err
	}
	if err := f.build(ctx, want); err != nil {
		f.close()
		return nil, false, err
	}
	return f, true, nil
}

// ReadGroups are the figures that only read: the ones measured on a
// database the bench did not build, unless it may write there.
var ReadGroups = []string{"search", "c360"}

// openForeign opens a database the bench did not build: read-only, for
// ReadGroups, saying so; or, with o.Write, for every figure (the bench adds
// its callbacks and removes them after, as on its own file).
func openForeign(ctx context.Context, o Options) (*fixture, bool, error) {
	if o.Write {
		fmt.Fprintf(o.Progress, "bench: %s was not built by the bench; --write: measuring on it, and removing what the run adds\n", o.Path)
		f, err := openFile(ctx, o)
		if err == nil {
			err = f.ready(ctx)
		}
		return f, false, err
	}
	d, err := db.OpenReadOnly(ctx, o.Path)
	if err != nil {
		return nil, false, err
	}
	var customers, open int
	_ = d.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&customers)
	_ = d.QueryRowContext(ctx, `SELECT count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed')`).Scan(&open)
	fmt.Fprintf(o.Progress, "bench: %s was not built by the bench (%d customers, %d open callbacks): it is opened read-only "+
		"and only what reads is measured (%s); --write lets the bench add its callbacks there and remove them after\n",
		o.Path, customers, open, strings.Join(ReadGroups, ", "))
	c := crm.New(d)
	return &fixture{o: o, d: d, crm: c, q: queue.New(d, c), readOnly: true}, false, nil
}

func openFile(ctx context.Context, o Options) (*fixture, error) {
	d, err := db.Open(ctx, o.Path)
	if err != nil {
		return nil, err
	}
	c := crm.New(d)
	return &fixture{o: o, d: d, crm: c, q: queue.New(d, c)}, nil
}

func (f *fixture) close() { f.d.Close() }

// build fills a new file: the demo's customers and history, a planted past
// of calls for some of them (queue.SeedHabits) and their scores, the policy a
// bench needs, and the open callbacks, due over the coming month so that
// the measured claims take only the callbacks a run adds.
func (f *fixture) build(ctx context.Context, want string) error {
	start := time.Now()
	fmt.Fprintf(f.o.Progress, "bench: building %s: %d customers, %d interactions (a minute per 100,000 customers)\n",
		f.o.Path, f.o.Customers, f.o.Interactions)
	if _, err := f.d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)`, metaBuilding, want); err != nil {
		return f.d.Describe(err)
	}
	if err := f.crm.Seed(ctx, crm.SeedOptions{Customers: f.o.Customers, Interactions: f.o.Interactions, Seed: seed}); err != nil {
		return err
	}
	habits := queue.DemoHabits
	habits.Seed = seed
	planted, err := f.q.SeedHabits(ctx, time.Now(), habits)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.o.Progress, "bench: a past of calls for %d customers (the best time's planted habits); scoring\n", len(planted))
	// Scored, as a site that runs campaigns is: the best time's tie-break
	// reads the scores.
	if _, err := f.crm.ScoreAll(ctx, time.Now(), nil); err != nil {
		return err
	}
	admin, err := f.crm.AgentByName(ctx, "yuna")
	if err != nil {
		return err
	}
	if _, err := f.q.LoadPolicy(ctx); err != nil {
		return err
	}
	// Personal callbacks stay personal however long the file is kept:
	// a console's sweep must not move the fixture's rows between runs.
	if err := f.q.SetSetting(ctx, admin, "policy.auto_pool_minutes", "0"); err != nil {
		return err
	}
	if err := f.ready(ctx); err != nil {
		return err
	}
	fmt.Fprintf(f.o.Progress, "bench: %d open callbacks\n", f.o.Callbacks)
	now := time.Now().Unix()
	err = f.d.Tx(ctx, func(tx *db.Tx) error {
		for i := range f.o.Callbacks {
			owner := any(nil)
			if i%2 == 0 {
				owner = f.minji.ID
			}
			due := now + 3600 + int64(i%30)*86400 + int64(i%480)*60
			if _, err := f.insert(ctx, tx, 2+i%4, due, owner, nil, nil); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaBuilt, want)
		return err
	})
	if err != nil {
		return f.d.Describe(err)
	}
	fmt.Fprintf(f.o.Progress, "bench: built in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// ready loads what every measure needs: the policy, the search index, the
// agent minji and the customers callbacks may be made for.
func (f *fixture) ready(ctx context.Context) error {
	if _, err := f.q.LoadPolicy(ctx); err != nil {
		return err
	}
	if _, err := f.crm.EnsureSearchIndex(ctx, nil); err != nil {
		return err
	}
	var err error
	if f.minji, err = f.crm.AgentByName(ctx, "minji"); err != nil {
		return err
	}
	rows, err := f.d.Read.QueryContext(ctx, `SELECT id, phone FROM (SELECT c.id, (SELECT p.id FROM phones p
		WHERE p.customer_id = c.id AND p.invalid = 0 ORDER BY p.is_primary DESC, p.id LIMIT 1) AS phone FROM customers c
		WHERE c.dnc = 0 AND c.tz = 'Asia/Seoul') callable WHERE phone IS NOT NULL ORDER BY id LIMIT 50000`)
	if err != nil {
		return f.d.Describe(err)
	}
	defer rows.Close()
	f.callable = f.callable[:0]
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.customer, &t.phone); err != nil {
			return err
		}
		f.callable = append(f.callable, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(f.callable) == 0 {
		return errors.New("bench: no customer may be called (all do-not-call or without a valid phone)")
	}
	return nil
}

// insert adds one open service callback for the next callable customer,
// with its creation audited. winStart/winEnd, when not nil, are the
// callback's own calling window in local minutes.
func (f *fixture) insert(ctx context.Context, tx *db.Tx, priority int, due int64, owner, winStart, winEnd any) (int64, error) {
	t := f.callable[f.next%len(f.callable)]
	f.next++
	now := time.Now().Unix()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id,
		state, created_at, updated_at, window_start_min, window_end_min)
		VALUES (?, ?, 'service', ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?) RETURNING id`,
		t.customer, t.phone, reason, priority, due, owner, now, now, winStart, winEnd).Scan(&id); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log(at, actor, entity, entity_id, action, to_value, reason)
		VALUES (?, 'bench', 'callback', ?, 'create', 'scheduled', 'bench fixture')`, now, id)
	return id, err
}

// window is a callback's own calling window in local minutes, [start, end).
type window struct{ start, end int }

// anyHour lets the bench's own callbacks be claimed whatever the hour the
// bench runs at, as a customer's "call me any time" does.
var anyHour = window{0, 24 * 60}

// add inserts n pool callbacks with their own calling window in one
// transaction and returns their ids, in order.
func (f *fixture) add(ctx context.Context, n, priority int, due int64, win window) ([]int64, error) {
	return f.addFor(ctx, nil, n, priority, due, win)
}

// addFor is add for an owner (an agent's id; nil: the pool).
func (f *fixture) addFor(ctx context.Context, owner any, n, priority int, due int64, win window) ([]int64, error) {
	ids := make([]int64, 0, n)
	err := f.d.Tx(ctx, func(tx *db.Tx) error {
		ids = ids[:0]
		for range n {
			id, err := f.insert(ctx, tx, priority, due, owner, win.start, win.end)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, f.d.Describe(err)
	}
	return ids, nil
}

// mark records where this run's rows begin, after removing what a stopped
// run left behind.
func (f *fixture) mark(ctx context.Context) error {
	var left string
	err := f.d.Read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaMark).Scan(&left)
	if err == nil {
		fmt.Fprintln(f.o.Progress, "bench: removing what a stopped run left")
		if _, err := fmt.Sscan(left, &f.cbMark, &f.auditMrk); err != nil {
			return fmt.Errorf("bench: meta %s = %q: %w", metaMark, left, err)
		}
		if err := f.cleanup(ctx); err != nil {
			return err
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return f.d.Describe(err)
	}
	if err := f.renew(ctx); err != nil {
		return err
	}
	return f.d.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM callbacks`).Scan(&f.cbMark); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&f.auditMrk); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaMark, fmt.Sprintf("%d %d", f.cbMark, f.auditMrk))
		return err
	})
}

// renew moves the fixture's open callbacks as far as time has moved since
// they were built or last moved, so every run finds the same queue: due
// from an hour ahead over a month, none overdue, no reminder firing. A
// file reused a day later would otherwise hold a day's work overdue, and
// the console would greet the bench with a hundred reminders. The
// reminders of earlier runs go too.
func (f *fixture) renew(ctx context.Context) error {
	now := time.Now().Unix()
	return f.d.Tx(ctx, func(tx *db.Tx) error {
		var asOf int64
		err := tx.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?`, metaAsOf).Scan(&asOf)
		if errors.Is(err, sql.ErrNoRows) { // built before the fixture moved: its callbacks' creation
			err = tx.QueryRowContext(ctx, `SELECT coalesce(min(created_at), ?) FROM callbacks WHERE reason = ?`, now, reason).Scan(&asOf)
		}
		if err != nil {
			return err
		}
		if now-asOf > 60 {
			if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET due_at = due_at + ?
				WHERE reason = ? AND state IN ('scheduled', 'claimed')`, now-asOf, reason); err != nil {
				return err
			}
			asOf = now
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminders`); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaAsOf, fmt.Sprint(asOf))
		return err
	})
}

// cleanup removes the callbacks and audit rows this run added, and the
// outcomes and reminders of those callbacks (the real console wraps calls
// up and shows reminders; nothing else refers to a bench callback: no
// note, no bulk row), so the deletes run with foreign keys off:
// checked per row, each would read every interaction (its callback_id has
// no index), minutes on a million customers. The integrity check
// (`dangol check`) still covers the file.
func (f *fixture) cleanup(ctx context.Context) error {
	if f.d.Engine().Name() != "sqlite" {
		return f.cleanupChecked(ctx)
	}
	conn, err := f.d.Conn(ctx)
	if err != nil {
		return f.d.Describe(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return f.d.Describe(err)
	}
	defer conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return f.d.Describe(err)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM call_outcomes WHERE callback_id > ?`, f.cbMark)
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM reminders WHERE callback_id > ?`, f.cbMark)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM callbacks WHERE id > ?`, f.cbMark)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id > ?`, f.auditMrk)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaMark)
	}
	if err != nil {
		_ = tx.Rollback()
		return f.d.Describe(err)
	}
	return f.d.Describe(tx.Commit())
}

// cleanupChecked is cleanup on PostgreSQL, whose references stay checked:
// what refers to the bench's callbacks goes first. The tables it wrote are
// then vacuumed: a run leaves some 150,000 dead rows in callbacks, and the
// next run's claims, walking past them before autovacuum came, ran at
// 650/s against 1,050/s after a VACUUM.
func (f *fixture) cleanupChecked(ctx context.Context) error {
	if err := f.deleteChecked(ctx); err != nil {
		return err
	}
	_, err := f.d.ExecContext(ctx, `VACUUM (ANALYZE) callbacks, audit_log, call_outcomes, interactions`)
	return f.d.Describe(err)
}

func (f *fixture) deleteChecked(ctx context.Context) error {
	return f.d.Describe(f.d.Tx(ctx, func(tx *db.Tx) error {
		for _, q := range []string{
			`DELETE FROM call_outcomes WHERE callback_id > ?`,
			`DELETE FROM reminders WHERE callback_id > ?`,
			`DELETE FROM bulk_items WHERE callback_id > ?`,
			`DELETE FROM interactions WHERE callback_id > ?`,
			`DELETE FROM callbacks WHERE id > ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, f.cbMark); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE id > ?`, f.auditMrk); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaMark)
		return err
	}))
}
