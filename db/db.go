// Package db opens dangol's SQLite file and keeps its schema current.
//
// Every connection runs in WAL mode with a busy timeout and foreign keys on,
// so several consoles and scripts can share one file. Errors that a person
// will read (locked, read-only, corrupt, missing directory, newer schema) are
// one line that names the file.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// BusyTimeout is how long a writer waits for another writer before giving up
// with "database is locked". Call-center consoles write small rows, so five
// seconds of waiting means something is wrong, not merely busy.
const BusyTimeout = 5 * time.Second

// applicationID marks a SQLite file as dangol's ("dang"), so a console never
// migrates somebody else's database by mistake.
const applicationID = 0x64616e67

// DB is an open dangol database.
type DB struct {
	*Pool // the write pool: one connection
	// Path is the file as the user named it, or the PostgreSQL server's
	// URL without its password; errors quote it.
	Path string
	// Target is what Open was given (a file, or a URL with its password),
	// for opening the same database again.
	Target string
	// Created reports that the file had no dangol schema before Open, so
	// the caller may fill it with demo data exactly once.
	Created bool

	// Read is the pool for queries: many connections, each in query_only
	// mode, so a read never waits for a writer (WAL) and a stray write fails
	// loudly. The embedded pool writes, through one connection, so writers
	// in one process queue in Go instead of spinning on SQLite's busy lock.
	Read *Pool

	// Changes carries change notices to every console of this process.
	Changes *Changes

	// Synchronous is the durability the write pool runs with: FULL unless
	// the site chose NORMAL in writing (the meta row durability).
	Synchronous string

	busy     time.Duration
	pg       *pgState // nil on SQLite
	turns    turns
	gen      atomic.Uint64 // see Generation
	localGen atomic.Uint64 // see LocalGeneration
}

// Options tune Open; the zero value is what the console uses.
type Options struct {
	// BusyTimeout overrides the default BusyTimeout when positive.
	BusyTimeout time.Duration
}

// Open opens (creating if needed) the database file at path, or the
// PostgreSQL database a postgres:// URL names (see IsServer), and applies
// any pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// CheckPath says why a database file could not be at path, or nil: what
// Open checks before it opens (a dry run that opens nothing asks too).
func CheckPath(path string) error {
	if path == "" {
		return errors.New("no database file given (use --db PATH)")
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		return &FileError{Path: path, Err: fmt.Errorf("directory %s does not exist", dir)}
	} else if !st.IsDir() {
		return &FileError{Path: path, Err: fmt.Errorf("%s is not a directory", dir)}
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return &FileError{Path: path, Err: errors.New("is a directory, not a database file")}
	}
	return nil
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = BusyTimeout
	}
	if IsServer(path) {
		return openPostgres(ctx, path, opts)
	}
	if err := CheckPath(path); err != nil {
		return nil, err
	}

	if err := refuseDamaged(path); err != nil {
		return nil, err
	}
	// A new file is readable by its owner only (SQLite gives its log, -wal
	// and -shm, the same mode): it holds the customers.
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}

	sqlDB, err := sql.Open(driverName, dsn(path, opts.BusyTimeout, SyncFull))
	if err != nil {
		return nil, describe(path, opts.BusyTimeout, err)
	}
	sqlDB.SetMaxOpenConns(1)
	d := &DB{Pool: &Pool{DB: sqlDB, engine: SQLite{}, trace: &tracer{}}, Path: path, Target: path, busy: opts.BusyTimeout, Changes: &Changes{}, Synchronous: SyncFull}
	if err := d.check(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	created, err := d.migrate(ctx)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	d.Created = created
	if err := d.applyDurability(ctx); err != nil {
		d.DB.Close()
		return nil, err
	}
	read, err := sql.Open(driverName, readDSN(path, opts.BusyTimeout))
	if err != nil {
		d.DB.Close()
		return nil, describe(path, opts.BusyTimeout, err)
	}
	poolReads(read)
	d.Read = &Pool{DB: read, engine: d.engine, trace: d.Pool.trace}
	return d, nil
}

// idleReads is how many read connections a process keeps open between
// reads. Each is a SQLite connection with its own page and statement
// caches; opening one parses the schema and runs the connection's
// pragmas. database/sql keeps only two idle by default, so a server with a
// hundred consoles reading at once opened and closed connections without
// end (found by the SSH benchmark: hundreds of goroutines in
// sqlite3_open_v2 and every console's command waiting behind them). The
// number open is not bounded (a read inside another read's callback must
// never wait for a connection the outer ones hold); the ones a burst
// opens beyond these go after a minute unused.
const idleReads = 32

func poolReads(r *sql.DB) {
	r.SetMaxIdleConns(idleReads)
	r.SetConnMaxIdleTime(time.Minute)
}

// The two durability levels a site may run with. SyncFull, the default,
// syncs the write-ahead log at every commit: a note reported saved survives
// a power cut. SyncNormal syncs only at checkpoints: faster, and a power cut
// may lose the last commits (never corrupt the file).
const (
	SyncFull   = "FULL"
	SyncNormal = "NORMAL"
)

// DurabilityKey is the meta row a site writes to choose its durability
// ("full" or "normal"); without it commits are durable.
const DurabilityKey = "durability"

// applyDurability reads the site's choice and, when it is not the default,
// reopens the write pool with it (the setting belongs to each connection,
// so it goes in the connection string, which every new connection reads).
func (d *DB) applyDurability(ctx context.Context) error {
	var v string
	err := d.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, DurabilityKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return d.Describe(err)
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "full", "":
		return nil
	case "normal":
	default:
		return &FileError{Path: d.Path, Err: fmt.Errorf("meta row %s is %q; use full or normal", DurabilityKey, v)}
	}
	sqlDB, err := sql.Open(driverName, dsn(d.Path, d.busy, SyncNormal))
	if err != nil {
		return describe(d.Path, d.busy, err)
	}
	sqlDB.SetMaxOpenConns(1)
	d.DB.Close()
	d.DB, d.Synchronous = sqlDB, SyncNormal
	return nil
}

// Close closes both connection pools.
func (d *DB) Close() error {
	if d.pg != nil && d.pg.stop != nil {
		d.pg.closing.Do(func() { close(d.pg.stop) })
		<-d.pg.stopped // what was committed is told before the pool closes
	}
	rerr := d.Read.Close()
	if err := d.DB.Close(); err != nil {
		return err
	}
	return rerr
}

// ReadTx runs fn in a read-only snapshot transaction, so several queries
// see one consistent state without holding the write lock.
func (d *DB) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.pg != nil {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every query, as SQLite's read transaction
	}
	for cut := 0; ; cut++ {
		tx, err := d.Read.BeginTx(ctx, opts)
		if err == nil {
			err = fn(tx)
			_ = tx.Rollback()
		}
		// A read on a connection the server cut (a restart) is read
		// again on another: reading twice changes nothing.
		if err != nil && d.pg != nil && isConnectError(err) && cut < ReadPoolSize && ctx.Err() == nil {
			continue
		}
		return d.Describe(err)
	}
}

// dsn builds the go-sqlite3 connection string of the write pool.
// _txlock=immediate makes every write transaction take the write lock at
// BEGIN, so two writers queue on the busy timeout instead of failing when a
// reader upgrades to a writer. Reads that need a snapshot use ReadTx, whose
// pool begins deferred.
//
// _secure_delete=on overwrites deleted and replaced content with zeros, so
// what was erased (a forgotten customer, a draft saved as a note) is not
// left in free space of the file.
func dsn(path string, busy time.Duration, synchronous string) string {
	return connString(path, busy, map[string]string{"_journal_mode": "WAL", "_synchronous": synchronous, "_txlock": "immediate",
		"_secure_delete": "on"})
}

// readDSN is dsn for the read pool: the file is already in WAL mode (a
// setting of the file), and query_only makes a stray write fail loudly.
func readDSN(path string, busy time.Duration) string {
	return connString(path, busy, map[string]string{"_query_only": "1", "_txlock": "deferred"})
}

func connString(path string, busy time.Duration, extra map[string]string) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	q.Set("_foreign_keys", "on")
	q.Set("_stmt_cache_size", "64") // reuse prepared statements: parsing a query costs more than running it
	q.Set("_cache_size", "-65536")  // 64 MiB of page cache per connection
	for k, v := range extra {
		q.Set(k, v)
	}
	return "file:" + url.PathEscape(path) + "?" + q.Encode()
}

// check makes sure the file is a SQLite database that dangol may use.
func (d *DB) check(ctx context.Context) error {
	var appID, tables int
	if err := d.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return d.Describe(err)
	}
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return d.Describe(err)
	}
	if appID != applicationID && (appID != 0 || tables > 0) {
		return &FileError{Path: d.Path, Err: errors.New("not a dangol database (it is another program's SQLite file)")}
	}
	return nil
}

// Tx runs fn in one write transaction: committed when fn returns nil,
// rolled back otherwise, so nothing is ever half-written. Writers take
// their turn in the order they asked (see turns).
func (d *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	return d.write(ctx, nil, fn)
}

// write runs fn in a write transaction on a connection of its own, in its
// turn; prepare, when given, sets the connection up first and returns what
// puts it back.
func (d *DB) write(ctx context.Context, prepare func(*sql.Conn) (func(), error), fn func(tx *Tx) error) error {
	if d.pg != nil {
		return d.writePostgres(ctx, fn)
	}
	if err := d.turns.take(ctx); err != nil {
		return err
	}
	defer d.turns.give()
	conn, err := d.DB.Conn(ctx)
	if err != nil {
		return d.Describe(err)
	}
	defer conn.Close()
	if prepare != nil {
		undo, err := prepare(conn)
		if err != nil {
			return d.Describe(err)
		}
		defer undo()
	}
	tx, err := d.beginWrite(ctx, conn)
	if err != nil {
		return d.Describe(err)
	}
	return d.finish(ctx, tx, fn)
}

// beginWrite begins a write transaction on conn (BEGIN IMMEDIATE: the
// write lock at once), waiting for another process's writer by polling
// every few hundred microseconds, up to the busy timeout. SQLite's own
// busy handler sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries: behind a
// writer that commits every few milliseconds (a dialer, another server)
// a claim waited 20–40 ms for a lock that was free after 2. Once the lock
// is held, the connection's busy timeout is back for the rest.
func (d *DB) beginWrite(ctx context.Context, conn *sql.Conn) (*Tx, error) {
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		return nil, err
	}
	restore := fmt.Sprintf(`PRAGMA busy_timeout = %d`, d.busy.Milliseconds())
	deadline := time.Now().Add(d.busy)
	wait := 100 * time.Microsecond
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil {
			if _, err := tx.ExecContext(ctx, restore); err != nil {
				_ = tx.Rollback()
				return nil, err
			}
			return &Tx{tx: tx, engine: d.engine, trace: d.trace}, nil
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) || ctx.Err() != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), restore)
			return nil, err
		}
		time.Sleep(wait + time.Duration(rand.Int64N(int64(wait))))
		wait = min(2*wait, 2*time.Millisecond)
	}
}

// finish runs fn in tx and commits, or rolls back when fn fails.
func (d *DB) finish(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return d.Describe(err)
	}
	d.committed(ctx)
	return nil
}

// TxUnchecked is Tx with SQLite's foreign key checks off for the one
// transaction. It is for moving many rows whose references were checked
// when they were written (the search keys an import left waiting), where
// checking each of ten million again is most of the work. The connection
// has its checks back before it writes again, or is closed.
func (d *DB) TxUnchecked(ctx context.Context, fn func(tx *Tx) error) error {
	return d.write(ctx, func(conn *sql.Conn) (func(), error) {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return nil, err
		}
		return func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // database/sql drops it
			}
		}, nil
	}, fn)
}

// ExecContext runs one write statement on the write connection, in its
// turn (see turns).
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if d.pg == nil {
		if err := d.turns.take(ctx); err != nil {
			return nil, err
		}
		defer d.turns.give()
	}
	res, err := d.Pool.ExecContext(ctx, query, args...)
	if err == nil {
		d.committed(ctx)
	}
	return res, err
}

// Exec is ExecContext without a context.
func (d *DB) Exec(query string, args ...any) (sql.Result, error) {
	return d.ExecContext(context.Background(), query, args...)
}

type backgroundKey struct{}

// Background marks the writes made with ctx as ones that can wait: a
// console's presence, lease renewals, sweeps, reminders marked delivered,
// autosaved drafts. Waiting writes take their turn in the order they
// asked, except that what an agent just did (a claim, a note, a wrap-up,
// a draft kept as a session ends) goes before every background write.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// DataVersion returns SQLite's data_version for one pooled connection. It
// changes when another connection commits, which lets a console notice other
// writers cheaply. The caller must keep using the same *sql.Conn.
func DataVersion(ctx context.Context, c *sql.Conn) (int64, error) {
	var v int64
	err := c.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}

// FileError is a database error as a person reads it: the file, what went
// wrong in words, and the driver's own error underneath.
type FileError struct {
	Path string
	What string
	Err  error
}

func (e *FileError) Error() string {
	if e.What == "" {
		return e.Path + ": " + e.Err.Error()
	}
	return e.Path + ": " + e.What + " (" + e.Err.Error() + ")"
}

func (e *FileError) Unwrap() error { return e.Err }

// describe turns a driver error into one line that names the file and says
// what a person can do about it. An error already described passes through.
func describe(path string, busy time.Duration, err error) error {
	var fe *FileError
	if errors.As(err, &fe) {
		return err
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return &FileError{Path: path, Err: err}
	}
	what := ""
	switch ClassOf(err) {
	case Busy:
		what = fmt.Sprintf("database is locked by another program (waited %s); try again", busy)
	case ReadOnly:
		what = "database is read-only; dangol needs write access to the file and its directory"
	case Damaged:
		what = "file is damaged or not a database; run dangol check on it, restore it from a backup or choose another --db"
	case CannotOpen:
		what = "cannot open the database file; check its permissions"
	case Full:
		what = "the disk is full; nothing was saved"
		if se.Code == sqlite3.ErrIoErr {
			what = "the disk refused the write (full, or a file-size limit); nothing was saved"
		}
	}
	return &FileError{Path: path, What: what, Err: err}
}

// Describe gives a SQLite error from a query on d the same one-line,
// file-naming form as Open's errors. Other errors (the caller's own, such as
// a validation failure) pass through unchanged.
func (d *DB) Describe(err error) error {
	if d.pg != nil {
		return describePostgres(d.Path, err)
	}
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	if se.Code == sqlite3.ErrCorrupt {
		markDamaged(d.Path, se)
	}
	return describe(d.Path, d.busy, err)
}

// checkpointEvery is how often a long-lived process moves the
// write-ahead log into the file (see CheckpointInBackground).
const checkpointEvery = 500 * time.Millisecond

// CheckpointInBackground moves the write-ahead log into the database file
// from a connection of its own, every half second while there is
// something to move, until ctx ends, instead of in the commit that
// crosses SQLite's threshold: that commit waited 25–35 ms for the copy
// and its sync, and it was a claim or a wrap-up an agent waited for. For
// the long-lived processes (the console, the server); a command that runs
// a moment keeps SQLite's own.
func (d *DB) CheckpointInBackground(ctx context.Context) error {
	if d.pg != nil {
		return nil // the server checkpoints
	}
	if _, err := d.DB.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		return d.Describe(err)
	}
	cp, err := sql.Open(driverName, connString(d.Path, d.busy, map[string]string{"_synchronous": d.Synchronous}))
	if err != nil {
		return describe(d.Path, d.busy, err)
	}
	cp.SetMaxOpenConns(1)
	go func() {
		defer cp.Close()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			// PASSIVE: never waits for a reader or a writer; what it
			// cannot move now, a later round does.
			var busy, log, moved int
			_ = cp.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &moved)
		}
	}()
	return nil
}
