package db

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dangol.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d, path
}

func TestOpenSetsPragmasAndSchema(t *testing.T) {
	d, _ := openTemp(t)
	ctx := context.Background()
	if !d.Created {
		t.Error("a new file should report Created")
	}
	var mode string
	var fk, busy, version int
	if err := d.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || busy != int(BusyTimeout.Milliseconds()) {
		t.Errorf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, busy)
	}
	if version != SchemaVersion() || version < 1 {
		t.Errorf("user_version=%d, want %d", version, SchemaVersion())
	}
	for _, table := range []string{"agents", "customers", "phones", "emails", "tiers", "loyalty_ledger",
		"purchases", "complaints", "interactions", "callbacks", "dispositions", "audit_log", "drafts"} {
		var n int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing (n=%d, err=%v)", table, n, err)
		}
	}
}

// A new database holds personal data: it and its log files are its
// owner's alone, whatever the umask.
func TestANewFileIsPrivate(t *testing.T) {
	d, path := openTemp(t)
	if _, err := d.Exec(`INSERT INTO meta(key, value) VALUES ('probe', '1')`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
}

func TestReopenDoesNotRecreate(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('marker', 'kept')`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if d2.Created {
		t.Error("an existing file must not report Created")
	}
	var v string
	if err := d2.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='marker'`).Scan(&v); err != nil || v != "kept" {
		t.Errorf("marker = %q, %v", v, err)
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	d, _ := openTemp(t)
	_, err := d.ExecContext(context.Background(),
		`INSERT INTO phones(customer_id, e164, raw, created_at) VALUES (999, '+821000000000', 'x', 0)`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("insert with a dangling customer: err = %v, want a FOREIGN KEY failure", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	_, err := Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer dangol") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want a newer-schema refusal naming the file", err)
	}
}

func TestOlderFileUpgraded(t *testing.T) {
	// A file at schema 1 (the first release) opens under this binary, which
	// applies the later migrations and keeps the data.
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", dsn(path, time.Second, SyncFull))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := raw.ExecContext(ctx, ms[0].sql); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `PRAGMA user_version = 1; PRAGMA application_id = 1684106855;
		INSERT INTO agents(name, display_name, role, created_at) VALUES ('old', 'Old', 'agent', 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open old file: %v", err)
	}
	defer d.Close()
	var version, agents int
	d.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version)
	d.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE name='old'`).Scan(&agents)
	if version != len(ms) || agents != 1 || d.Created {
		t.Errorf("after upgrade: version=%d (want %d) agents=%d created=%v", version, len(ms), agents, d.Created)
	}
}

func TestBadFilesGiveOneLineErrors(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()

	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, []byte(strings.Repeat("this is not sqlite\n", 400)), 0o644)

	foreign := filepath.Join(dir, "foreign.db")
	f, _ := sql.Open("sqlite3", foreign)
	f.Exec(`CREATE TABLE notes(x)`)
	f.Close()

	readonlyDir := filepath.Join(dir, "ro")
	os.Mkdir(readonlyDir, 0o755)
	readonly := filepath.Join(readonlyDir, "ro.db")
	os.WriteFile(readonly, nil, 0o444)
	os.Chmod(readonlyDir, 0o555)
	t.Cleanup(func() { os.Chmod(readonlyDir, 0o755) })

	cases := []struct {
		name, path, want string
	}{
		{"missing directory", filepath.Join(dir, "nope", "x.db"), "does not exist"},
		{"corrupt", corrupt, "not a database"},
		{"another program's database", foreign, "not a dangol database"},
		{"a directory", dir, "is a directory"},
		{"read-only", readonly, "read-only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "read-only" && os.Geteuid() == 0 {
				t.Skip("root ignores file permissions")
			}
			d, err := Open(ctx, c.path)
			if err == nil {
				d.Close()
				t.Fatalf("Open(%s) succeeded", c.path)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, c.path) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming the file and saying %q", msg, c.want)
			}
		})
	}
}

func TestReadOnlyFileViaQueryOnly(t *testing.T) {
	// Root can write any file, so read-only is also checked through SQLite's
	// own refusal: a write on a query_only connection.
	d, _ := openTemp(t)
	ctx := context.Background()
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.ExecContext(ctx, `PRAGMA query_only = 1`)
	_, err = conn.ExecContext(ctx, `INSERT INTO meta VALUES ('a', 'b')`)
	err = d.Describe(err)
	if err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), d.Path) {
		t.Errorf("err = %v, want a read-only message naming the file", err)
	}
}

func TestLockedDatabaseMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	ctx := context.Background()
	holder, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	tx, err := holder.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()

	other, err := OpenWith(ctx, path, Options{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("readers are not blocked in WAL mode, but Open failed: %v", err)
	}
	defer other.Close()
	err = other.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta VALUES ('k', 'v')`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "locked") || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want a locked message naming the file", err)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	d, _ := openTemp(t)
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta VALUES ('half', 'written')`); err != nil {
			return err
		}
		return os.ErrInvalid
	})
	if err != os.ErrInvalid {
		t.Fatalf("Tx returned %v, want fn's error", err)
	}
	var n int
	d.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key='half'`).Scan(&n)
	if n != 0 {
		t.Error("a failed transaction left its row behind")
	}
}

// TestWritersTakeTurnsInOrder: writes that wait for the write connection
// get it in the order they asked, the agents' own before background ones,
// so a claim is never passed over by the writes that came after it, nor by
// a hundred consoles' presence.
func TestWritersTakeTurnsInOrder(t *testing.T) {
	d, err := Open(context.Background(), filepath.Join(t.TempDir(), "turns.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `CREATE TABLE turns(seq INTEGER PRIMARY KEY, writer INTEGER)`); err != nil {
		t.Fatal(err)
	}
	hold, held := make(chan struct{}), make(chan struct{})
	go d.Tx(ctx, func(tx *Tx) error {
		close(held)
		<-hold
		return nil
	})
	<-held
	// Writers 0..19 are agents' own, asked for in that order; 20..29 are
	// background writes asked for among them (every third ask): the agents'
	// go first, in their order, then the background ones in theirs.
	const n = 30
	var asks []int
	for fg, bg := 0, 20; len(asks) < n; {
		if len(asks)%3 == 2 {
			asks = append(asks, bg)
			bg++
		} else {
			asks = append(asks, fg)
			fg++
		}
	}
	var wg sync.WaitGroup
	for asked, i := range asks {
		wctx := ctx
		if i >= 20 {
			wctx = Background(ctx)
		}
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = d.Tx(wctx, func(tx *Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO turns(writer) VALUES (?)`, i)
					return err
				})
			} else { // a lone statement waits in the same line
				_, err = d.ExecContext(wctx, `INSERT INTO turns(writer) VALUES (?)`, i)
			}
			if err != nil {
				t.Error(err)
			}
		})
		for d.turns.waiting() != asked+1 { // the next asks only once this one waits
			runtime.Gosched()
		}
	}
	// one that gives up waiting leaves the line without holding it up
	gone, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- d.Tx(gone, func(*Tx) error { return nil }) }()
	for d.turns.waiting() != n+1 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a write whose context ended: %v", err)
	}
	close(hold)
	wg.Wait()
	rows, err := d.Read.Query(`SELECT writer FROM turns ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var order []int
	for rows.Next() {
		var w int
		rows.Scan(&w)
		order = append(order, w)
	}
	if len(order) != n {
		t.Fatalf("%d of %d writes stored", len(order), n)
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("writes ran in the order %v, want the order they asked in", order)
		}
	}
	if d.turns.waiting() != 0 {
		t.Errorf("%d writers still waiting", d.turns.waiting())
	}
}

// TxUnchecked writes without foreign key checks for its one transaction;
// the write connection checks again afterwards, after a failed
// transaction too.
func TestTxUncheckedChecksAgainAfterwards(t *testing.T) {
	d, _ := openTemp(t)
	ctx := context.Background()
	orphan := func(tx *Tx, id int) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO emails(customer_id, address, created_at) VALUES (?, 'x@example.com', 0)`, id)
		return err
	}
	if err := d.TxUnchecked(ctx, func(tx *Tx) error { return orphan(tx, 999999) }); err != nil {
		t.Fatalf("unchecked: %v", err)
	}
	if err := d.Tx(ctx, func(tx *Tx) error { return orphan(tx, 999998) }); err == nil {
		t.Error("a transaction after TxUnchecked wrote a row without its customer")
	}
	failed := errors.New("stop")
	if err := d.TxUnchecked(ctx, func(tx *Tx) error { orphan(tx, 999997); return failed }); !errors.Is(err, failed) {
		t.Fatalf("a failed unchecked transaction: %v", err)
	}
	if err := d.Tx(ctx, func(tx *Tx) error { return orphan(tx, 999996) }); err == nil {
		t.Error("a transaction after a failed TxUnchecked wrote a row without its customer")
	}
	var n int
	d.QueryRowContext(ctx, `SELECT count(*) FROM emails WHERE customer_id > 999990`).Scan(&n)
	if n != 1 {
		t.Errorf("%d orphan rows, want the one written unchecked", n)
	}
}

func TestGiveBackClosesTheReadConnectionsACrowdOpened(t *testing.T) {
	d, _ := openTemp(t)
	ctx := context.Background()
	// Twenty reads at once, each holding its connection until all have one.
	var held []*sql.Conn
	for range 20 {
		c, err := d.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, `SELECT count(*) FROM callbacks`); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		c.Close()
	}
	if idle := d.Read.Stats().Idle; idle != 20 {
		t.Fatalf("%d idle read connections after the crowd, want 20 kept", idle)
	}
	d.GiveBack(3)
	if s := d.Read.Stats(); s.Idle != 3 || s.OpenConnections != 3 {
		t.Fatalf("after GiveBack(3): %d open, %d idle; want 3 and 3", s.OpenConnections, s.Idle)
	}
	// Reads go on, and a later crowd's connections are kept again.
	held = held[:0]
	for range 10 {
		c, err := d.Read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		c.Close()
	}
	if idle := d.Read.Stats().Idle; idle != 10 {
		t.Errorf("%d idle read connections after a later crowd, want 10 kept", idle)
	}
}
