package main

import (
	"context"
	"database/sql"
	be "encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dangol/dangol/db"
)

// damageLeaf overwrites one leaf page in the middle of a table's b-tree:
// the root's middle child, found by reading the root page itself.
func damageLeaf(t *testing.T, path, table string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	err = raw.QueryRow(`SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = ?`, table).
		Scan(&root, &pageSize)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, pageSize)
	if _, err := f.ReadAt(page, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	if page[0] != 0x05 {
		t.Fatalf("%s's root page is not an interior page (%#x): the table is too small", table, page[0])
	}
	cells := int(be.BigEndian.Uint16(page[3:5]))
	ptr := be.BigEndian.Uint16(page[12+2*(cells/2):])
	child := int64(be.BigEndian.Uint32(page[ptr:]))
	junk := make([]byte, pageSize)
	for i := range junk {
		junk[i] = 0xA5
	}
	if _, err := f.WriteAt(junk, (child-1)*pageSize); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedFileExportsWholeRowsAndRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "damaged.db")
	if code, _, stderr := dangol(t, "seed", "--db", path, "--customers", "300"); code != 0 {
		t.Fatal(stderr)
	}
	_, all, _ := dangol(t, "export", "interactions", "--db", path)
	total := strings.Count(all, "\n")
	damageLeaf(t, path, "interactions")

	code, out, stderr := dangol(t, "export", "interactions", "--db", path, "--format", "jsonl")
	if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "damaged") || !strings.Contains(stderr, path) {
		t.Fatalf("export of a damaged file: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("jsonl output ends inside a row: %q", out[max(0, len(out)-80):])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("a partial row: %q", l)
		}
	}
	if len(lines) == 0 || len(lines) >= total {
		t.Errorf("%d of %d rows before the damage: want some, not all", len(lines), total)
	}
	code, out, _ = dangol(t, "export", "interactions", "--db", path, "--format", "csv")
	if code != 1 || !strings.HasSuffix(out, "\n") {
		t.Errorf("csv export of a damaged file: exit %d, ends %q", code, out[max(0, len(out)-40):])
	}

	// Having reported damage, the file is refused for writing.
	code, _, stderr = dangol(t, "queue", "next", "--db", path, "--agent", "minji")
	if code != 1 || !strings.Contains(stderr, "dangol check") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("queue next on a damaged file: exit %d, %q", code, stderr)
	}
	code, out, stderr = dangol(t, "check", "--db", path)
	if code != 1 || !strings.Contains(stderr, "is damaged") || !strings.Contains(out, "interactions") {
		t.Errorf("check: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A few lines on the terminal, every one in the file it names.
	listed, err := os.ReadFile(path + ".check.txt")
	if err != nil || !strings.Contains(stderr, path+".check.txt") {
		t.Fatalf("check should name the file with every problem: %v, %q", err, stderr)
	}
	if n := strings.Count(out, "\n"); n > shownProblems+1 || strings.Count(string(listed), "\n") < min(n, shownProblems) {
		t.Errorf("check printed %d lines; the file holds %d", n, strings.Count(string(listed), "\n"))
	}
}

func TestCheckAndBackupOfASoundFile(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "check", "--db", path)
	// Not on a terminal: one line to say it started, not one per table.
	if code != 0 || !strings.Contains(out, ": ok") || !regexp.MustCompile(`checking \d+ tables`).MatchString(stderr) || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("check: exit %d, %q, %q", code, out, stderr)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if code, out, stderr := dangol(t, "backup", "--db", path, copyPath); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d, %q, %q", code, out, stderr)
	}
	_, a, _ := dangol(t, "export", "callbacks", "--db", path)
	_, b, _ := dangol(t, "export", "callbacks", "--db", copyPath)
	if a != b || a == "" {
		t.Error("the backup does not hold the same callbacks")
	}
	if code, _, stderr := dangol(t, "backup", "--db", path, copyPath); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over a file: exit %d, %q", code, stderr)
	}
	if code, _, _ := dangol(t, "backup", "--db", path); code != 2 {
		t.Errorf("backup without a target: exit %d, want 2", code)
	}
}

func TestReadingCommandsNeverWrite(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	code, out, stderr := dangol(t, "export", "customers", "--db", empty)
	if code != 1 || out != "" || !strings.Contains(stderr, "not a dangol database") {
		t.Errorf("export of an empty file: exit %d, out %q, err %q", code, out, stderr)
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Errorf("export wrote %d bytes into an empty file", st.Size())
	}

	path := seeded(t)
	audits := func() int {
		d, err := db.OpenReadOnly(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var n int
		d.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n)
		return n
	}
	before := audits()
	if code, _, stderr := dangol(t, "queue", "next", "--db", path, "--agent", "nobody"); code != 2 || !strings.Contains(stderr, "unknown agent") {
		t.Errorf("queue next --agent nobody: exit %d, %q", code, stderr)
	}
	if after := audits(); after != before {
		t.Errorf("a refused command wrote %d audit rows", after-before)
	}

	typo := filepath.Join(dir, "typo.db")
	if code, _, stderr := dangol(t, "--db", typo, "--agent", "nobody"); code != 2 || !strings.Contains(stderr, "demo agents") {
		t.Errorf("console on a new file with an unknown agent: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Error("a refused console made a database file")
	}
	if code, _, stderr := dangol(t, "seed", "--db", filepath.Join(dir, "huge.db"), "--customers", "99999999999"); code != 2 ||
		!strings.Contains(stderr, "between 1 and") {
		t.Errorf("seed with no bound: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "huge.db")); !os.IsNotExist(err) {
		t.Error("a refused seed made a database file")
	}
}
