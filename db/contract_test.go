package db

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSQLAboveDBFollowsTheSeam reads the code of every package above db
// and fails on what only one engine takes, or what skips the engine (see
// Engine and docs/engine.md): a *sql.Tx or *sql.DB of its own, named or
// numbered arguments, LastInsertId, INDEXED BY, a 0xff range bound, a
// CROSS JOIN with ON, an error told by its text.
func TestSQLAboveDBFollowsTheSeam(t *testing.T) {
	banned := []struct {
		re  *regexp.Regexp
		why string
	}{
		{regexp.MustCompile(`\*sql\.(Tx|DB)\b`), "a transaction or pool that skips the engine: take a db.Querier, *db.Tx or *db.Pool"},
		{regexp.MustCompile(`sql\.Named\(`), "named arguments: positional only"},
		{regexp.MustCompile(`\?\d`), "numbered arguments: positional only"},
		{regexp.MustCompile(`LastInsertId\(`), "LastInsertId: use RETURNING"},
		{regexp.MustCompile(`(?i)INDEXED BY`), "INDEXED BY: write the ORDER BY and check the plan"},
		{regexp.MustCompile(`\\xff`), "a 0xff bound is not UTF-8"},
		{regexp.MustCompile(`(?i)CROSS JOIN \w+ \w+ ON`), "CROSS JOIN … ON: put the condition in WHERE"},
		{regexp.MustCompile(`err\.Error\(\), "(UNIQUE|FOREIGN|locked|readonly|full)`), "an error told by its text: use db.ClassOf"},
		{regexp.MustCompile(`go-sqlite3`), "the SQLite driver above db"},
	}
	checked := 0
	for _, pkg := range []string{"crm", "queue", "bench", "cmd/dangol", "serve", "tui", "tui/kit", "tui/desk", "tui/floor", "ingest", "due", "clean"} {
		files, err := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for i, line := range strings.Split(string(src), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "//") {
					continue
				}
				for _, b := range banned {
					if b.re.MatchString(line) {
						t.Errorf("%s:%d: %s\n\t%s", file, i+1, b.why, strings.TrimSpace(line))
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("read only %d files", checked)
	}
}
