package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// --report never names the database, the input or a file that exists; the
// refusal comes before anything is read or written.
func TestImportReportMustBeANewFile(t *testing.T) {
	db := seeded(t)
	dir := filepath.Dir(db)
	file := writeFile(t, "new.csv", "이름,전화번호\n김새봄,010-4444-1212\n")
	other := filepath.Join(dir, "kept.csv")
	if err := os.WriteFile(other, []byte("someone's work\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	was, otherWas := fileSum(t, db), fileSum(t, other)
	for _, c := range []struct{ report, want string }{
		{db, "is the database's own file"},
		{db + "-wal", "is the database's own file"},
		{filepath.Join(dir, ".", filepath.Base(db)), "is the database's own file"},
		{file, "is the file being imported"},
		{other, "already exists"},
	} {
		code, _, stderr := dangol(t, "import", "customers", file, "--db", db, "--report", c.report)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("--report %s: exit %d, %q; want a refusal saying %q", c.report, code, stderr, c.want)
		}
	}
	if fileSum(t, db) != was || fileSum(t, other) != otherWas {
		t.Error("a refused import changed the database or the existing file")
	}
	if n := count(t, db, `SELECT count(*) FROM customers WHERE name = '김새봄'`); n != 0 {
		t.Errorf("a refused import imported %d rows", n)
	}
	// A report named anew is written, and never twice over.
	bad := writeFile(t, "bad.csv", "이름,전화번호\n김새봄,010-4444-1212\n,010\n")
	report := filepath.Join(dir, "mine.csv")
	if code, _, stderr := dangol(t, "import", "customers", bad, "--db", db, "--report", report); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Stat(report); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the report: %v %v", err, st)
	}
}

// An input that is not a regular text file is refused, and nothing is made.
func TestImportRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(dir, "photo.jpg")
	os.WriteFile(binary, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), 0o600)
	for _, c := range []struct{ input, want string }{
		{"/dev/zero", "is a device"}, {fifo, "is a pipe"}, {dir, "is a directory"}, {binary, "NUL bytes"},
	} {
		code, _, stderr := dangol(t, "import", "customers", c.input, "--db", db, "--new")
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want %q", c.input, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a refused import made the database file")
	}
}

// A refused command never writes: an empty --db stays empty, a missing one
// missing, another program's file as it was.
func TestARefusedCommandWritesNoDatabase(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	missing := filepath.Join(dir, "missing.db")
	foreign := filepath.Join(dir, "foreign.db")
	os.WriteFile(foreign, []byte("SQLite format 3\x00not dangol's"), 0o600)
	file := writeFile(t, "c.csv", "이름,전화번호\n김새봄,010-4444-1212\n")
	for _, db := range []string{empty, missing, foreign} {
		for _, args := range [][]string{
			{"queue", "next", "--agent", "nobody", "--db", db},
			{"agent", "add", "x", "--role", "admin", "--db", db},
			{"import", "customers", file, "--db", db},
			{"report", "--db", db},
			{"serve", "--db", db, "--listen", "127.0.0.1:0"},
		} {
			if code, _, _ := dangol(t, args...); code == 0 {
				t.Errorf("%v succeeded", args)
			}
		}
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("the empty file: %v, %d bytes", err, st.Size())
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("the missing file was made")
	}
	if b, _ := os.ReadFile(foreign); string(b) != "SQLite format 3\x00not dangol's" {
		t.Error("another program's file was changed")
	}
}

// The files dangol makes are its owner's alone: the database, its log and
// a backup.
func TestNewDatabaseFilesAreTheOwners(t *testing.T) {
	db := seeded(t)
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if st, err := os.Stat(f); err == nil && st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %04o, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
	copyPath := filepath.Join(filepath.Dir(db), "copy.db")
	if code, _, stderr := dangol(t, "backup", copyPath, "--db", db); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	if st, _ := os.Stat(copyPath); st.Mode().Perm() != 0o600 {
		t.Errorf("the backup is %04o", st.Mode().Perm())
	}
	code, _, stderr := dangol(t, "backup", copyPath, "--db", db)
	if code == 0 || !strings.Contains(stderr, copyPath+": already exists") {
		t.Errorf("a backup over an existing file: exit %d, %q (it should name the file)", code, stderr)
	}
}
