// Package pgtest gives tests a PostgreSQL database of their own: on the
// server DANGOL_TEST_PG names (a libpq URL whose user may create
// databases), or else on a throwaway cluster that the first test to ask
// starts from Debian's binaries (initdb refuses root, so as root it runs
// as the postgres user), with its socket in a short path under /tmp.
//
// Which engine a package's tests run on is DANGOL_TEST_ENGINE's choice:
// sqlite (the default) or postgres (see Target). A package whose tests ask
// for PostgreSQL stops the cluster it started from its TestMain (Main).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Engine is the engine this test run uses: "postgres" when
// DANGOL_TEST_ENGINE says so, else "sqlite".
func Engine() string {
	if strings.EqualFold(os.Getenv("DANGOL_TEST_ENGINE"), "postgres") {
		return "postgres"
	}
	return "sqlite"
}

// Target is where a test's database goes: a new file named name in the
// test's temp dir on SQLite, a new empty database on PostgreSQL (Engine).
func Target(t testing.TB, name string) string {
	t.Helper()
	if Engine() == "postgres" {
		return NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), name)
}

// Main runs a package's tests and stops the cluster they started, if any.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

var (
	once     sync.Once
	server   string // a URL without a database name
	startErr error
	cluster  *exec.Cmd
	dataDir  string
	seq      atomic.Int64
)

// Server is the URL of the test server, without a database; a test is
// skipped when there is none (outside CI, which must have one).
func Server(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if u := os.Getenv("DANGOL_TEST_PG"); u != "" {
			server = u
			return
		}
		server, startErr = start()
	})
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL for the tests: %v", startErr)
		}
		t.Skipf("no PostgreSQL for the tests (%v); install Debian's postgresql or set DANGOL_TEST_PG", startErr)
	}
	return server
}

// NewDatabase makes an empty database on the test server and returns its
// URL; it is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := Server(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), seq.Add(1))
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, withDatabase(base, "postgres"))
	if err != nil {
		t.Fatalf("PostgreSQL for the tests: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		t.Fatalf("PostgreSQL for the tests: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, withDatabase(base, "postgres"))
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return withDatabase(base, name)
}

// withDatabase is base (a URL) naming database name.
func withDatabase(base, name string) string {
	u, q, _ := strings.Cut(base, "?")
	if i := strings.Index(u[len("postgres://"):], "/"); i >= 0 {
		u = u[:len("postgres://")+i]
	}
	u += "/" + name
	if q != "" {
		u += "?" + q
	}
	return u
}

// binDir finds Debian's PostgreSQL binaries (off PATH), newest version
// first, or initdb on PATH.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestV := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if err == nil && v > bestV {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				best, bestV = d, v
			}
		}
	}
	if best != "" {
		return best, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL's initdb was not found")
}

// start makes a cluster in a new directory and starts its server, which
// listens on a unix socket only and dies with this process.
func start() (string, error) {
	bin, err := binDir()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("/tmp", "dpg")
	if err != nil {
		return "", err
	}
	dataDir = dir
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGQUIT} // immediate shutdown if the test binary dies
	if os.Geteuid() == 0 {
		uid, gid, err := postgresUser()
		if err != nil {
			return "", errors.New("initdb refuses root and there is no postgres user")
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", err
		}
		attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-E", "UTF8", "--locale=C.UTF-8",
		"-A", "trust", "-U", "dangol", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: attr.Credential}
	if out, err := initdb.CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v: %s", err, out)
	}
	// dangol (the tests' superuser) is trusted; any other user gives a
	// password, so a test can be refused one (TestPostgresRefusedUsersGiveOneLine).
	hba := "local all dangol trust\nlocal all all scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return "", err
	}
	launch := func() *exec.Cmd {
		c := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir,
			"-c", "listen_addresses=", "-c", "fsync=off", "-c", "full_page_writes=off",
			"-c", "max_connections=400", "-c", "shared_buffers=64MB")
		c.SysProcAttr = attr
		return c
	}
	logf, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		return "", err
	}
	if os.Geteuid() == 0 {
		_ = logf.Chown(int(attr.Credential.Uid), int(attr.Credential.Gid))
	}
	restart = func() error {
		if cluster != nil {
			_ = cluster.Process.Signal(syscall.SIGINT) // fast shutdown: every connection is cut
			_ = cluster.Wait()
		}
		cluster = launch()
		cluster.Stdout, cluster.Stderr = logf, logf
		if err := cluster.Start(); err != nil {
			return err
		}
		return ready("postgres://dangol@/postgres?host="+dir, dir)
	}
	if err := restart(); err != nil {
		return "", err
	}
	return "postgres://dangol@/postgres?host=" + dir, nil
}

// restart stops the cluster this process started, if running, and starts
// it again.
var restart func() error

// Restart stops the test server and starts it again, as a restart of a
// floor's server does: every connection is cut. Only a cluster this
// process started can be restarted (the test is skipped otherwise).
func Restart(t testing.TB) {
	t.Helper()
	Owned(t)
	if err := restart(); err != nil {
		t.Fatal(err)
	}
}

// Owned skips a test that needs the server to be one this process
// started, with its settings (a restart, a user refused its password).
func Owned(t testing.TB) {
	t.Helper()
	Server(t)
	if restart == nil {
		t.Skip("the test server is DANGOL_TEST_PG's, not one this test started")
	}
}

// ready waits until the server takes connections.
func ready(url, dir string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := pgx.Connect(context.Background(), url)
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			return fmt.Errorf("the test server did not start: %v\n%s", err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop stops the cluster this process started and removes it.
func Stop() {
	if cluster == nil || cluster.Process == nil {
		return
	}
	_ = cluster.Process.Signal(syscall.SIGQUIT)
	_ = cluster.Wait()
	_ = os.RemoveAll(dataDir)
}

// FillDisk makes the disk under the database url (one NewDatabase gave)
// full, as a server's disk fills: its tables and indexes move to a
// tablespace on a small tmpfs, and a ballast table takes what is left, so
// a write that needs a new page fails with disk_full (53100) while the
// server runs on. The test's cleanup gives the space back. Mounting takes
// root (CI runs as root), and the server must be the one this process
// started: the test is skipped otherwise.
func FillDisk(t testing.TB, url string) {
	t.Helper()
	Owned(t)
	if os.Geteuid() != 0 {
		t.Skip("a full disk on the server is a small tmpfs, which only root may mount")
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var size int64
	if err := c.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("/tmp", "dpgfull")
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%dk,mode=0700", size/1024+2048)); err != nil {
		os.Remove(dir)
		t.Skipf("a tmpfs for the full disk: %v", err)
	}
	uid, gid, err := postgresUser()
	if err == nil {
		err = os.Chown(dir, uid, gid)
	}
	if err != nil {
		syscall.Unmount(dir, 0)
		os.Remove(dir)
		t.Fatal(err)
	}
	space := "full_" + strings.TrimPrefix(filepath.Base(dir), "dpgfull")
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, url); err == nil {
			for _, q := range []string{`DROP TABLE IF EXISTS ballast`,
				`ALTER TABLE ALL IN TABLESPACE ` + space + ` SET TABLESPACE pg_default`,
				`ALTER INDEX ALL IN TABLESPACE ` + space + ` SET TABLESPACE pg_default`} {
				if _, err := c.Exec(ctx, q); err != nil {
					t.Errorf("giving the disk back: %s: %v", q, err)
				}
			}
			c.Close(ctx)
		}
		if admin, err := pgx.Connect(ctx, withDatabase(url, "postgres")); err == nil {
			_, _ = admin.Exec(ctx, `DROP TABLESPACE IF EXISTS `+space)
			admin.Close(ctx)
		}
		syscall.Unmount(dir, syscall.MNT_DETACH)
		os.Remove(dir)
	})
	for _, q := range []string{`CREATE TABLESPACE ` + space + ` LOCATION '` + dir + `'`,
		`ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE ` + space,
		`ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE ` + space,
		`CREATE TABLE ballast(b bytea) TABLESPACE ` + space,
		`ALTER TABLE ballast ALTER COLUMN b SET STORAGE EXTERNAL`} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, n := range []int{1000, 100, 10, 1} {
		for {
			if _, err := c.Exec(ctx, `INSERT INTO ballast SELECT decode(repeat('ab', 4000), 'hex') FROM generate_series(1, $1)`, n); err != nil {
				break
			}
		}
	}
}

// postgresUser is the user the server runs as when the tests run as root.
func postgresUser() (uid, gid int, err error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, err
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}
