package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// A floor's file into PostgreSQL and back: every export is the same, and
// a database that is not empty, or a file that exists, is refused.
func TestMigrateToPostgresAndBack(t *testing.T) {
	file := seeded(t)
	url := pgtest.NewDatabase(t)
	code, out, stderr := dangol(t, "migrate", "--db", file, "--to", url)
	if code != 0 || !strings.Contains(out, "each table read back equal") {
		t.Fatalf("to PostgreSQL: exit %d\n%s%s", code, out, stderr)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	if code, out, stderr := dangol(t, "migrate", "--from", url, "--to", back); code != 0 {
		t.Fatalf("back to a file: exit %d\n%s%s", code, out, stderr)
	}
	for _, what := range []string{"customers", "interactions", "callbacks", "audit"} {
		_, want, _ := dangol(t, "export", what, "--db", file, "--format", "jsonl")
		_, onPG, _ := dangol(t, "export", what, "--db", url, "--format", "jsonl")
		_, got, _ := dangol(t, "export", what, "--db", back, "--format", "jsonl")
		if want == "" || onPG != want || got != want {
			t.Errorf("export %s differs (file %d bytes, PostgreSQL %d, back %d)", what, len(want), len(onPG), len(got))
		}
	}
	// The tallies are not copied but filled by the triggers as the
	// callbacks are: the same on each side.
	want := tallies(t, file)
	if want == "" || tallies(t, url) != want || tallies(t, back) != want {
		t.Errorf("tallies differ: file %q, PostgreSQL %q, back %q", want, tallies(t, url), tallies(t, back))
	}
	// Nothing is copied over a floor's data, nor over a file.
	if code, _, stderr := dangol(t, "migrate", "--db", file, "--to", url); code == 0 || !strings.Contains(stderr, "empty database only") {
		t.Errorf("into a PostgreSQL database with data: exit %d: %s", code, stderr)
	}
	if code, _, stderr := dangol(t, "migrate", "--db", file, "--to", back); code == 0 || !strings.Contains(stderr, "already exists") {
		t.Errorf("onto a file: exit %d: %s", code, stderr)
	}
}

// tallies is each owner's tally of open callbacks in the database at
// target, as text.
func tallies(t *testing.T, target string) string {
	t.Helper()
	d, err := db.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.QueryContext(context.Background(), `SELECT owner_id, sum(n) FROM callback_tallies GROUP BY owner_id ORDER BY owner_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var owner, n int64
		if err := rows.Scan(&owner, &n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d:%d ", owner, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
