package db

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/db/pgtest"
)

// The PostgreSQL engine, on a database of the test server (pgtest).

func openPG(t *testing.T) (*DB, string) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	d, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, url
}

func TestPostgresIsMigratedOnceAndReopened(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	// Four nodes start at once on a new database: the advisory lock lets
	// one make the schema; the others find it made.
	var wg sync.WaitGroup
	dbs := make([]*DB, 4)
	errs := make([]error, 4)
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = Open(ctx, url)
		}()
	}
	wg.Wait()
	created := 0
	for i, d := range dbs {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		defer d.Close()
		if d.Created {
			created++
		}
		if d.Engine().Name() != "postgres" {
			t.Fatalf("engine %s", d.Engine().Name())
		}
	}
	if created != 1 {
		t.Fatalf("%d nodes made the schema, want 1", created)
	}
	var version, tiers int
	if err := dbs[0].QueryRow(`SELECT version FROM dangol_schema`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() {
		t.Fatalf("schema %d, want %d", version, SchemaVersion())
	}
	if err := dbs[0].QueryRow(`SELECT count(*) FROM tiers WHERE rank >= ?`, 0).Scan(&tiers); err != nil || tiers != 4 {
		t.Fatalf("tiers %d, %v", tiers, err)
	}
	again, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Created {
		t.Fatal("a reopened database was made again")
	}
}

func TestBothEnginesEndAtTheSameSchemaVersion(t *testing.T) {
	pg, err := loadMigrationsFor(Postgres{})
	if err != nil {
		t.Fatal(err)
	}
	if last := pg[len(pg)-1].version; last != SchemaVersion() {
		t.Fatalf("PostgreSQL's migrations end at %d, SQLite's at %d: each step needs a file for both", last, SchemaVersion())
	}
}

func TestPostgresRefusesAnotherApplicationsAndANewerSchema(t *testing.T) {
	ctx := context.Background()
	foreign := pgtest.NewDatabase(t)
	other, err := Open(ctx, foreign) // made, then turned into another application's
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(`DROP TABLE dangol_schema`); err != nil {
		t.Fatal(err)
	}
	other.Close()
	_, err = Open(ctx, foreign)
	if err == nil || !strings.Contains(err.Error(), "another application's tables") {
		t.Fatalf("foreign database: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("not one line: %q", err)
	}

	d, url := openPG(t)
	if _, err := d.Exec(`UPDATE dangol_schema SET version = ?`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, url); err == nil || !strings.Contains(err.Error(), "newer dangol") {
		t.Fatalf("newer schema: %v", err)
	}
	if _, err := OpenReadOnly(ctx, url); err == nil || !strings.Contains(err.Error(), "newer dangol") {
		t.Fatalf("newer schema, read only: %v", err)
	}
}

func TestPostgresBadTargetsGiveOneLine(t *testing.T) {
	ctx := context.Background()
	base := pgtest.Server(t)
	cases := []struct{ url, want string }{
		{"postgres://dangol@127.0.0.1:1/x?connect_timeout=2", "cannot reach the PostgreSQL server"},
		{strings.Replace(base, "/postgres?", "/no_such_db?", 1), "no such database"},
		{"postgres://%zz", "not a PostgreSQL URL"},
	}
	for _, c := range cases {
		_, err := Open(ctx, c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", c.url, err, c.want)
		}
	}
	if _, err := Open(ctx, "postgres://u:secret@127.0.0.1:1/x?connect_timeout=1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("the password shows: %v", err)
	}
}

// TestPostgresRefusedUsersGiveOneLine opens a database as a user the
// server refuses (a wrong password), then as one it lets in without the
// right to make the schema: each is one line that says what to do, and
// shows no password.
func TestPostgresRefusedUsersGiveOneLine(t *testing.T) {
	pgtest.Owned(t)
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	admin, err := Open(ctx, pgtest.Server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE ROLE guest LOGIN PASSWORD 'right-one'`); err != nil && pgCode(err) != "42710" {
		t.Fatal(err)
	}
	as := func(password string) string {
		return strings.Replace(url, "postgres://dangol@", "postgres://guest:"+password+"@", 1)
	}
	_, err = Open(ctx, as("wrong-one"))
	if err == nil || !strings.Contains(err.Error(), "refused the user or password") ||
		strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "wrong-one") {
		t.Errorf("a wrong password: %v, want one line saying so, without the password", err)
	}
	_, err = Open(ctx, as("right-one"))
	if err == nil || !strings.Contains(err.Error(), "may not do this") ||
		strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "right-one") {
		t.Errorf("a user without the right to make the schema: %v, want one line saying so", err)
	}
}

func TestPostgresClassifiesItsErrors(t *testing.T) {
	d, _ := openPG(t)
	ctx := context.Background()
	_, err := d.Exec(`INSERT INTO meta(key, value) VALUES ('lock.import', 'x')`)
	if !IsUnique(err) {
		t.Fatalf("unique: %v", err)
	}
	_, err = d.Exec(`INSERT INTO phones(customer_id, e164, raw, created_at) VALUES (999, '', '', 0)`)
	if !IsForeignKey(err) {
		t.Fatalf("foreign key: %v", err)
	}
	_, err = d.Read.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('x', 'y')`)
	if ClassOf(err) != ReadOnly {
		t.Fatalf("the read pool wrote: %v", err)
	}
	// A row held by one transaction past the lock wait: Busy, one line.
	hold := make(chan struct{})
	held := make(chan struct{})
	go func() {
		_ = d.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.Exec(`UPDATE meta SET value = 'a' WHERE key = 'lock.import'`); err != nil {
				return err
			}
			close(held)
			<-hold
			return nil
		})
	}()
	<-held
	short, err := OpenWith(ctx, d.pg.config.ConnString(), Options{BusyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	err = short.Tx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE meta SET value = 'b' WHERE key = 'lock.import'`)
		return err
	})
	close(hold)
	var fe *FileError
	if ClassOf(err) != Busy || !errors.As(err, &fe) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("a held row: %v", err)
	}
}

func TestPostgresSQLFunctionsAgreeWithGo(t *testing.T) {
	d, _ := openPG(t)
	zones := []string{"Asia/Seoul", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "Bad/Zone", ""}
	for _, tz := range zones {
		for _, at := range []int64{-86_459, 0, 1_700_000_000, 1_700_000_059, 1_711_846_800, 1_730_595_600, 1_800_000_123} {
			var minute, flip int64
			if err := d.QueryRow(`SELECT local_minute(?, ?), window_flip(?, 480, 1260, ?)`, tz, at, tz, at).Scan(&minute, &flip); err != nil {
				t.Fatal(err)
			}
			if want := LocalMinute(tz, at); minute != want {
				t.Errorf("local_minute(%q, %d) = %d, Go says %d", tz, at, minute, want)
			}
			if want := WindowFlip(tz, 480, 1260, at); flip != want {
				t.Errorf("window_flip(%q, %d) = %d, Go says %d", tz, at, flip, want)
			}
		}
	}
	var never int64
	if err := d.QueryRow(`SELECT window_flip('Asia/Seoul', 0, 0, 5)`).Scan(&never); err != nil || never != Never {
		t.Fatalf("an always-open window flips at %d (%v)", never, err)
	}
}

// Two nodes on one database: what one commits reaches the other's
// consoles as a Change saying what it was about, its own notices do not
// come back to it, and a node whose listening connection is cut connects
// again and makes its consoles reload.
func TestPostgresNodesHearEachOther(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, url := openPG(t)
	b, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ch, stop := b.Changes.Subscribe()
	defer stop()
	if err := b.Watch(ctx, time.Hour); err != nil { // the interval is SQLite's; PostgreSQL listens
		t.Fatal(err)
	}
	next := func(what string) Change {
		t.Helper()
		select {
		case c := <-ch:
			return c
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: node b heard nothing", what)
		}
		return Change{}
	}

	// b's own commit reaches its consoles once, as its own (not External).
	if _, err := b.ExecContext(About(ctx, "customer"), `INSERT INTO meta VALUES ('b', '1')`); err != nil {
		t.Fatal(err)
	}
	if c := next("b's own commit"); c.Action == External {
		t.Fatalf("b heard its own notice as another node's: %+v", c)
	}
	gen := b.Generation()
	if _, err := a.ExecContext(About(ctx, Presence), `INSERT INTO meta VALUES ('a', '1')`); err != nil {
		t.Fatal(err)
	}
	if c := next("a's presence"); c.Action != External || c.Entity != Presence {
		t.Fatalf("a's presence reached b as %+v", c)
	}
	if b.Generation() != gen {
		t.Fatal("presence moved the generation: every cached query would be read again")
	}
	if err := a.Tx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE meta SET value = '2' WHERE key = 'a'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if c := next("a's transaction"); c.Action != External || c.Entity != "" {
		t.Fatalf("a's transaction reached b as %+v", c)
	}
	if b.Generation() == gen {
		t.Fatal("another node's commit did not move the generation")
	}
	select {
	case c := <-ch:
		t.Fatalf("one transaction, two notices: %+v", c)
	case <-time.After(100 * time.Millisecond):
	}

	// The listening connection is cut (a server restart does this to
	// every connection): b reconnects and tells its consoles to reload.
	if _, err := a.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	if c := next("the cut"); c.Action != External || c.Entity != "" {
		t.Fatalf("after the cut b said %+v", c)
	}
	// Listening again: the next commit of a is heard.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := a.Exec(`UPDATE meta SET value = value || 'x' WHERE key = 'a'`); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-ch:
			if c.Action == External {
				return
			}
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("b did not listen again after the cut")
		}
	}
}

func TestPostgresCheckAndBackup(t *testing.T) {
	ctx := context.Background()
	d, url := openPG(t)
	if _, err := d.Exec(`INSERT INTO agents(name, display_name, role, created_at) VALUES ('minji', '김민지', 'agent', 0)`); err != nil {
		t.Fatal(err)
	}
	var tables []string
	problems, err := Check(ctx, url, func(table string, i, n int) { tables = append(tables, table) })
	if err != nil || len(problems) != 0 {
		t.Fatalf("a sound database: %v %v", problems, err)
	}
	if len(tables) < 20 {
		t.Fatalf("checked %d tables", len(tables))
	}
	// A reference to nothing, as a load with the checks off leaves it.
	if err := d.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`ALTER TABLE phones DISABLE TRIGGER ALL`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO phones(customer_id, e164, raw, created_at) VALUES (999, '', '', 0)`); err != nil {
			return err
		}
		_, err := tx.Exec(`ALTER TABLE phones ENABLE TRIGGER ALL`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	problems, err = Check(ctx, url, nil)
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "phones: 1 rows whose customer_id names no row of customers") {
		t.Fatalf("an orphan phone: %q %v", problems, err)
	}

	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed")
	}
	dst := filepath.Join(t.TempDir(), "floor.dump")
	if err := Backup(ctx, url, dst); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dst); err != nil || st.Size() == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("the dump: %v %v", st, err)
	}
	if err := Backup(ctx, url, dst); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Fatalf("a second backup onto the first: %v", err)
	}
}

// The server restarts under a running node: the pooled connections were
// cut, and the next writes and reads work without reopening; the node's
// listener connects again and asks its consoles to reload.
func TestPostgresSurvivesAServerRestart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, _ := openPG(t)
	ch, stop := d.Changes.Subscribe()
	defer stop()
	if err := d.Watch(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`INSERT INTO meta VALUES ('before', '1')`); err != nil {
		t.Fatal(err)
	}
	<-ch // its own commit
	pgtest.Restart(t)
	deadline := time.After(20 * time.Second)
	for reloaded := false; !reloaded; {
		select {
		case c := <-ch:
			reloaded = c.Action == External && c.Entity == ""
		case <-deadline:
			t.Fatal("the node did not listen again after the restart")
		}
	}
	// The pool's connections died with the server: a statement outside a
	// transaction (a claim's way) finds them cut and runs on a new one.
	gen := d.Generation()
	var key string
	if err := d.Autocommit(ctx, func(q Querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO meta VALUES ('autocommit', '1') RETURNING key`).Scan(&key)
	}); err != nil || key != "autocommit" {
		t.Fatalf("a statement after the restart: %q, %v", key, err)
	}
	if d.Generation() == gen {
		t.Fatal("a statement's commit did not move the generation")
	}
	if err := d.Tx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO meta VALUES ('after', '1')`)
		return err
	}); err != nil {
		t.Fatalf("a write after the restart: %v", err)
	}
	var n int
	if err := d.ReadTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(`SELECT count(*) FROM meta WHERE key IN ('before', 'autocommit', 'after')`).Scan(&n)
	}); err != nil || n != 3 {
		t.Fatalf("a read after the restart: %d rows, %v", n, err)
	}
}

// TestPostgresReadsStayWithinTheirPool holds every read connection a node
// may open, has one more read wait for one, then lets them go: the node
// never opened more than ReadPoolSize, and keeps them all for the next
// burst (a hundred SSH sessions once opened more than the server's
// max_connections, and a pool that kept fewer opened and closed them all
// the while).
func TestPostgresReadsStayWithinTheirPool(t *testing.T) {
	ctx := context.Background()
	d, _ := openPG(t)
	in, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	for range ReadPoolSize {
		wg.Go(func() {
			if err := d.ReadTx(ctx, func(tx *Tx) error {
				var one int
				if err := tx.QueryRow(`SELECT 1`).Scan(&one); err != nil {
					return err
				}
				in <- struct{}{}
				<-release
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
	}
	for range ReadPoolSize {
		<-in
	}
	extra := make(chan error, 1)
	go func() {
		var one int
		extra <- d.Read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
	}()
	for d.Read.Stats().WaitCount == 0 {
		select {
		case err := <-extra:
			t.Fatalf("a read beyond the pool's %d connections did not wait (%v): %d open", ReadPoolSize, err, d.Read.Stats().OpenConnections)
		default:
			runtime.Gosched()
		}
	}
	close(release)
	wg.Wait()
	if err := <-extra; err != nil {
		t.Fatal(err)
	}
	st := d.Read.Stats()
	if st.MaxOpenConnections != ReadPoolSize || st.OpenConnections != ReadPoolSize || st.Idle != ReadPoolSize {
		t.Fatalf("after the burst: %d open (at most %d), %d kept idle; want %d of each", st.OpenConnections,
			st.MaxOpenConnections, st.Idle, ReadPoolSize)
	}
}
