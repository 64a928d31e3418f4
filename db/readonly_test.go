package db

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitsAreDurableUnlessTheSiteChoosesSpeed(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	var level int
	if err := d.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil || level != 2 || d.Synchronous != SyncFull {
		t.Fatalf("a new database should run synchronous=FULL (2): got %d (%s), %v", level, d.Synchronous, err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, 'normal')`, DurabilityKey); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if err := d2.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil || level != 1 || d2.Synchronous != SyncNormal {
		t.Errorf("with meta durability=normal: synchronous=%d (%s), %v", level, d2.Synchronous, err)
	}
	if _, err := d2.ExecContext(ctx, `UPDATE meta SET value = 'fast' WHERE key = ?`, DurabilityKey); err != nil {
		t.Fatal(err)
	}
	d2.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "full or normal") {
		t.Errorf("an unknown durability should be refused with the choices: %v", err)
	}
}

func TestReadOnlyOpenNeverChangesAFile(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	foreign := filepath.Join(dir, "foreign.db")
	f, _ := sql.Open("sqlite3", foreign)
	f.Exec(`CREATE TABLE notes(x)`)
	f.Close()
	before, _ := os.ReadFile(foreign)
	for _, c := range []struct{ path, want string }{
		{empty, "empty file"},
		{foreign, "not a dangol database"},
		{filepath.Join(dir, "typo.db"), "no such database file"},
	} {
		d, err := OpenReadOnly(ctx, c.path)
		if err == nil {
			d.Close()
			t.Fatalf("%s opened", c.path)
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("the empty file changed: %v %v", st.Size(), err)
	}
	if after, _ := os.ReadFile(foreign); !bytes.Equal(before, after) {
		t.Error("the foreign file changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !os.IsNotExist(err) {
		t.Error("a read-only open created a file")
	}

	d, path := openTemp(t)
	d.Close()
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.ExecContext(ctx, `INSERT INTO meta VALUES ('x', 'y')`); err == nil {
		t.Error("a read-only database took a write")
	}
}

// damage overwrites the root page of the meta table (filled with enough
// rows to need pages below it), so any read of meta meets the damage.
func damage(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	err = raw.QueryRow(`SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'meta'`).Scan(&root, &pageSize)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := bytes.Repeat([]byte{0xA5}, int(pageSize))
	if _, err := f.WriteAt(junk, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedFileIsCheckedAndRefusedForWriting(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	for i := range 400 {
		if _, err := d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, hex(randomblob(200)))`, i); err != nil {
			t.Fatal(err)
		}
	}
	d.Close() // checkpoints the log into the file

	var steps []string
	problems, err := Check(ctx, path, func(table string, i, n int) { steps = append(steps, table) })
	if err != nil || len(problems) != 0 {
		t.Fatalf("a sound file: problems %v, err %v", problems, err)
	}
	if len(steps) < 10 || !strings.Contains(strings.Join(steps, " "), "customers") {
		t.Errorf("progress should name every table: %v", steps)
	}

	damage(t, path)
	problems, err = Check(ctx, path, nil)
	if err != nil || len(problems) == 0 {
		t.Fatalf("a damaged file: problems %v, err %v", problems, err)
	}
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "dangol check") || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a file that reported damage must be refused for writing in one line: %v", err)
	}
}

func TestReadingADamagedPageMarksTheFile(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	for i := range 400 {
		d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, hex(randomblob(200)))`, i)
	}
	d.Close()
	damage(t, path)
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = ro.Describe(ro.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE value LIKE '%Z%'`).Scan(&n))
	ro.Close()
	if err == nil {
		t.Fatal("reading a damaged page succeeded")
	}
	if _, err := os.Stat(path + damagedSuffix); err != nil {
		t.Fatalf("a read that hit damage (%v) should leave the mark", err)
	}
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("a marked file opened for writing")
	}
	// A restore (here: the mark removed by a passing check on a sound copy)
	// lifts the refusal.
	os.Remove(path + damagedSuffix)
}

func TestBackupIsAWholeCopyTakenWhileWriting(t *testing.T) {
	d, path := openTemp(t)
	ctx := context.Background()
	for i := range 200 {
		d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, 'before')`, i)
	}
	// A writer holds an open transaction while the backup runs: the copy
	// is the last committed state, and the writer is not stopped.
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('during', 'uncommitted')`)
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := Backup(ctx, path, dst); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("the writer failed after the backup: %v", err)
	}
	b, err := OpenReadOnly(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var n, during int
	b.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE value = 'before'`).Scan(&n)
	b.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'during'`).Scan(&during)
	if n != 200 || during != 0 {
		t.Errorf("backup holds %d committed rows (want 200) and %d uncommitted (want 0)", n, during)
	}
	if err := Backup(ctx, path, dst); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an existing file: %v", err)
	}
}
