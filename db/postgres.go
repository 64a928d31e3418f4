package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL: the engine for a floor that spans several machines. dangol's
// schema lives in the database's current schema (search_path), with a
// version table of its own; everything else is as on SQLite, through the
// same Querier.

// IsServer reports that target names a PostgreSQL server (a libpq URL,
// postgres:// or postgresql://) rather than a SQLite file.
func IsServer(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// PoolSize is how many connections a process writes to PostgreSQL with:
// 8 claimed best on 2 cores (#24: 4.0k claims/s with 8, 2.2–3.1k with
// 64), and a floor of several nodes must stay inside the server's
// max_connections (100 by default).
const PoolSize = 8

// ReadPoolSize is how many connections a process reads from PostgreSQL
// with at most. Unbounded, as on SQLite (idleReads), a `dangol serve` of a
// hundred SSH sessions opened more than the server's max_connections (100
// by default) as the sessions logged in, and logins failed (the SSH
// bench: "cannot reach the PostgreSQL server … timeout"). A bound is safe
// only if no read waits for a second connection while it holds one (a
// query inside another's rows): every test passed on PostgreSQL with one
// read connection. A node holds at most PoolSize + ReadPoolSize + 1 (the
// listener).
const ReadPoolSize = 16

// connectTimeout bounds how long opening waits for a server that does not
// answer, so an unreachable server is one line, not a hang.
const connectTimeout = 10 * time.Second

// Shown is target as errors and screens show it: a PostgreSQL URL loses its
// password; a file path is as given.
func Shown(target string) string {
	if !IsServer(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// pgState is what an open PostgreSQL database keeps beside its pools.
type pgState struct {
	config *pgx.ConnConfig // for the listening connection (see Watch)
	node   string          // this process, in its change notices

	// The notices waiting to be sent (see notify), what each is about.
	mu      sync.Mutex
	pending map[string]bool
	wake    chan struct{}
	stop    chan struct{} // closed by Close; nil when the database is read-only
	stopped chan struct{}
	closing sync.Once
}

func openPostgres(ctx context.Context, target string, opts Options) (*DB, error) {
	shown := Shown(target)
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, &FileError{Path: shown, Err: errors.New("not a PostgreSQL URL (postgres://user@host/database)")}
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > connectTimeout {
		cfg.ConnectTimeout = connectTimeout
	}
	cfg.RuntimeParams["application_name"] = "dangol"
	// A write that waits for a row lock longer than a SQLite writer waits
	// for the file gives up the same way (Busy), instead of hanging.
	cfg.RuntimeParams["lock_timeout"] = fmt.Sprint(opts.BusyTimeout.Milliseconds())
	// A console's statements are short: starting parallel workers costs
	// more than they save (a count of 100,000 open callbacks took 70–135
	// ms with two workers, 40 ms without; G and g's p99 fell from 155–191
	// to 29 ms), and a floor's consoles would take the server's cores.
	cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"

	d := &DB{Path: shown, Target: target, busy: opts.BusyTimeout, Changes: &Changes{}, Synchronous: SyncFull,
		pg: &pgState{config: cfg.Copy(), node: nodeID()}}
	write := stdlib.OpenDB(*cfg)
	write.SetMaxOpenConns(PoolSize)
	write.SetMaxIdleConns(PoolSize)
	d.Pool = &Pool{DB: write, engine: Postgres{}, trace: &tracer{}}
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, d.Describe(err)
	}
	created, err := d.migratePostgres(ctx)
	if err != nil {
		write.Close()
		return nil, err
	}
	d.Created = created
	if err := d.applyDurability(ctx); err != nil {
		write.Close()
		return nil, err
	}
	if d.Synchronous == SyncNormal {
		cfg.RuntimeParams["synchronous_commit"] = "off"
		write.Close()
		write = stdlib.OpenDB(*cfg)
		write.SetMaxOpenConns(PoolSize)
		write.SetMaxIdleConns(PoolSize)
		d.Pool.DB = write
	}
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	read := stdlib.OpenDB(*rcfg)
	// Reads keep what a burst opened, up to ReadPoolSize, for a minute:
	// kept to PoolSize, a hundred SSH sessions' reads closed and opened
	// connections all the while (10–20 ms and the catalog read again each).
	read.SetMaxOpenConns(ReadPoolSize)
	read.SetMaxIdleConns(ReadPoolSize)
	read.SetConnMaxIdleTime(time.Minute)
	d.Read = &Pool{DB: read, engine: d.engine, trace: d.Pool.trace}
	d.pg.pending, d.pg.wake = map[string]bool{}, make(chan struct{}, 1)
	d.pg.stop, d.pg.stopped = make(chan struct{}), make(chan struct{})
	go d.sendNotices()
	return d, nil
}

// nodeID names this process in the change notices it sends, so it can
// tell its own from other nodes'.
func nodeID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// schemaTable records the version of dangol's schema in a PostgreSQL
// database (SQLite keeps it in PRAGMA user_version).
const schemaTable = "dangol_schema"

// migratePostgres brings the schema up to this binary's, holding an
// advisory lock so that two nodes starting at once migrate once: the
// second waits, then finds nothing to do. A database that holds another
// application's tables, or a newer dangol's schema, is refused.
func (d *DB) migratePostgres(ctx context.Context) (created bool, err error) {
	ms, err := loadMigrationsFor(Postgres{})
	if err != nil {
		return false, err
	}
	conn, err := d.DB.Conn(ctx)
	if err != nil {
		return false, d.Describe(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, applicationID); err != nil {
		return false, d.Describe(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, applicationID)

	var hasVersion bool
	if err := conn.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, schemaTable).Scan(&hasVersion); err != nil {
		return false, d.Describe(err)
	}
	current := 0
	if hasVersion {
		if err := conn.QueryRowContext(ctx, `SELECT version FROM `+schemaTable).Scan(&current); err != nil {
			return false, d.Describe(err)
		}
	} else {
		var tables int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = current_schema()`).Scan(&tables); err != nil {
			return false, d.Describe(err)
		}
		if tables > 0 {
			return false, &FileError{Path: d.Path, Err: errors.New(
				"not a dangol database (it holds another application's tables); create an empty database for dangol")}
		}
	}
	last := ms[len(ms)-1].version
	if current > last {
		return false, &FileError{Path: d.Path, Err: fmt.Errorf(
			"written by a newer dangol (schema %d, this binary knows up to %d); upgrade dangol to open it", current, last)}
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if current == 0 && m.version != ms[0].version {
			return false, fmt.Errorf("migration %s: a new database starts at %s", m.name, ms[0].name)
		}
		err := d.Tx(ctx, func(tx *Tx) error {
			if current == 0 {
				if _, err := tx.ExecContext(ctx, `CREATE TABLE `+schemaTable+` (version bigint NOT NULL)`); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO `+schemaTable+`(version) VALUES (0)`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `UPDATE `+schemaTable+` SET version = ?`, m.version)
			return err
		})
		if err != nil {
			return false, d.Describe(err)
		}
		current = m.version
	}
	return !hasVersion, nil
}

// notifyChannel is the channel of the change notices between nodes.
const notifyChannel = "dangol"

// notify tells the other nodes that this one committed, about entity
// (empty: anything). It is sent after the commit, never inside it: a
// NOTIFY in the transaction holds a lock of the whole server at commit
// (#24: claims fell from 2.2k/s to 350/s). Nor does the writer wait for
// it: sendNotices sends what is waiting, one notice per entity however
// many commits asked for it meanwhile (sent by each claim, the notices
// held 64 claimers to 185 claims/s against 290 without). A notice lost
// (the connection dropped just then) is made up for by the listeners,
// which reload whenever they reconnect.
func (d *DB) notify(_ context.Context, entity string) {
	p := d.pg
	if p.stop == nil {
		return
	}
	p.mu.Lock()
	p.pending[entity] = true
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default: // already woken: it will find this one too
	}
}

// sendNotices sends the waiting notices until Close, and those waiting
// then.
func (d *DB) sendNotices() {
	p := d.pg
	defer close(p.stopped)
	for {
		stopping := false
		select {
		case <-p.wake:
		case <-p.stop:
			stopping = true
		}
		p.mu.Lock()
		entities := make([]string, 0, len(p.pending))
		for e := range p.pending {
			entities = append(entities, e)
		}
		clear(p.pending)
		p.mu.Unlock()
		for _, e := range entities {
			_, _ = d.DB.ExecContext(context.Background(), `SELECT pg_notify($1, $2)`, notifyChannel, p.node+" "+e)
		}
		if stopping {
			return
		}
	}
}

// openPostgresRO opens a PostgreSQL database read-only, whatever its
// schema version (0: no dangol schema), without changing it.
func openPostgresRO(ctx context.Context, target string) (*DB, int, error) {
	shown := Shown(target)
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, 0, &FileError{Path: shown, Err: errors.New("not a PostgreSQL URL (postgres://user@host/database)")}
	}
	if cfg.ConnectTimeout == 0 || cfg.ConnectTimeout > connectTimeout {
		cfg.ConnectTimeout = connectTimeout
	}
	cfg.RuntimeParams["application_name"] = "dangol"
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	ro := stdlib.OpenDB(*cfg)
	ro.SetMaxOpenConns(PoolSize)
	pool := &Pool{DB: ro, engine: Postgres{}, trace: &tracer{}}
	d := &DB{Pool: pool, Read: pool, Path: shown, busy: BusyTimeout, Changes: &Changes{}, pg: &pgState{config: cfg, node: nodeID()}}
	var version sql.NullInt64
	err = ro.QueryRowContext(ctx, `SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE 0 END`, schemaTable).Scan(&version)
	if err == nil && version.Valid {
		err = ro.QueryRowContext(ctx, `SELECT version FROM `+schemaTable).Scan(&version)
	}
	if err != nil {
		ro.Close()
		return nil, 0, d.Describe(err)
	}
	if !version.Valid || version.Int64 == 0 {
		ro.Close()
		return nil, 0, &FileError{Path: shown, Err: errors.New("not a dangol database (no dangol schema in it)")}
	}
	return d, int(version.Int64), nil
}

// writeTries is how many times a write transaction runs that lost a
// deadlock or a serialization conflict to another node's: the server
// rolled it back whole, so running it again is safe.
const writeTries = 3

// writePostgres runs fn in a write transaction (READ COMMITTED, the row
// locks each transaction takes say the rest: docs/engine.md), again when
// the server chose it as a deadlock's or a conflict's loser.
func (d *DB) writePostgres(ctx context.Context, fn func(tx *Tx) error) error {
	cut := 0 // connections found cut
	for try := 1; ; try++ {
		sqlTx, err := d.DB.BeginTx(ctx, nil)
		if err != nil {
			if isConnectError(err) && cut < PoolSize && ctx.Err() == nil {
				cut, try = cut+1, try-1
				continue
			}
			return d.Describe(err)
		}
		tx := &Tx{tx: sqlTx, engine: d.engine, trace: d.trace}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			// A connection the server cut (a restart, a failover) is
			// found when it is used, and dropped from the pool: the
			// transaction died with it, so it runs again on another. Each
			// connection the pool held may be found so, one at a time.
			if isConnectError(err) && cut < PoolSize && ctx.Err() == nil {
				cut, try = cut+1, try-1
				continue
			}
			err = d.classify(err, try)
			if err == errAgain {
				continue
			}
			return err
		}
		if err := tx.Commit(); err != nil {
			// Whether a commit the connection lost was made is not
			// known: it is said, never run again.
			return d.Describe(err)
		}
		d.committed(ctx)
		return nil
	}
}

// Autocommit runs fn, whose statements are each whole alone (a claim: one
// UPDATE … RETURNING), as writes that commit as they end:
//   - on SQLite in a write transaction in its turn, as Tx: a statement
//     with RETURNING commits, in autocommit mode, only when it is reset,
//     and the driver's statement cache drops the error of that reset (on a
//     full disk a claim would be reported and not kept);
//   - on PostgreSQL on the pool, each statement a transaction of its own:
//     one round trip where BEGIN, the statement and COMMIT took three.
//
// A statement the server cut (a restart, a failover) before it ran runs
// again on another connection, as writePostgres does; one whose
// connection was lost while it ran may have committed, and is said,
// never run again.
func (d *DB) Autocommit(ctx context.Context, fn func(q Querier) error) error {
	if d.pg == nil {
		return d.Tx(ctx, func(tx *Tx) error { return fn(tx) })
	}
	cut := 0
	for try := 1; ; try++ {
		err := fn(d.Pool)
		if err == nil {
			d.committed(ctx)
			return nil
		}
		if unsent(err) && cut < PoolSize && ctx.Err() == nil {
			cut, try = cut+1, try-1
			continue
		}
		if err = d.classify(err, try); err != errAgain {
			return err
		}
	}
}

// errAgain asks writePostgres to run a transaction again.
var errAgain = errors.New("db: again")

// classify is what writePostgres does with fn's error on its try.
func (d *DB) classify(err error, try int) error {
	switch ClassOf(err) {
	case Serialization:
		if try < writeTries {
			return errAgain
		}
	case Busy, ReadOnly, Full, Damaged, CannotOpen:
		// What SQLite says as the transaction begins (the file is
		// locked, read-only, full), PostgreSQL says at the statement.
		return d.Describe(err)
	}
	return err
}

// describePostgres is describe for a PostgreSQL error: one line that names
// the server and says what a person can do.
func describePostgres(shown string, err error) error {
	var fe *FileError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	what := ""
	switch {
	case isConnectError(err):
		what = "cannot reach the PostgreSQL server; check that it runs and the host, port and user in the URL"
	}
	switch pgCode(err) {
	case "28P01", "28000":
		what = "the server refused the user or password in the URL"
	case "3D000":
		what = "no such database on the server; create it first (createdb)"
	case "42501":
		what = "the user in the URL may not do this; grant it the database"
	}
	switch ClassOf(err) {
	case Busy:
		what = "a row stayed locked by another transaction (waited " + BusyTimeout.String() + "); try again"
	case ReadOnly:
		what = "the server takes no writes (a standby, or read-only); point --db at the primary"
	case Full:
		what = "the server's disk is full; nothing was saved"
	case Damaged:
		what = "the server reports damaged data; run dangol check, and the server's own checks"
	case Other, Unique, ForeignKey, Serialization, CannotOpen:
		if what == "" && !isServerError(err) {
			return err // the caller's own error, not the server's
		}
	}
	return &FileError{Path: shown, What: what, Err: oneLine{err}}
}

// oneLine is an error said on one line: pgx lists each address it tried
// to connect to on a line of its own.
type oneLine struct{ err error }

func (o oneLine) Error() string {
	return strings.Join(strings.Fields(strings.ReplaceAll(o.err.Error(), "\n", "; ")), " ")
}

func (o oneLine) Unwrap() error { return o.err }
