package db

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// owners says which package changes each table. The other package asks
// the owner (a function that takes the caller's transaction), so rules
// about a table live in one place: callbacks, reminders, dispositions and
// calling windows belong to the queue; people, contacts and history to crm.
// meta rows are crm's (the queue reads its policy rows from there).
var owners = map[string]string{
	"meta": "crm", "agents": "crm", "agent_keys": "crm", "tiers": "crm", "customers": "crm",
	"phones": "crm", "emails": "crm", "purchases": "crm", "loyalty_ledger": "crm", "complaints": "crm",
	"interactions": "crm", "referrals": "crm", "drafts": "crm", "audit_log": "crm", "search_keys": "crm", "search_keys_pending": "crm",
	"presence": "crm", "customer_attributes": "crm", "seed_keys": "crm", "merges": "crm", "merge_moves": "crm",
	"callbacks": "queue", "reminders": "queue", "dispositions": "queue", "call_windows": "queue",
	"call_outcomes": "queue", "bulk_actions": "queue", "bulk_items": "queue", "callback_tallies": "queue",
	"customer_scores": "crm", "campaigns": "campaign", "campaign_members": "campaign",
}

// writeSQL finds the table a statement writes: INSERT [OR x] INTO t,
// UPDATE t, DELETE FROM t (not an upsert's DO UPDATE, not a trigger's
// UPDATE OF).
// An upsert's DO UPDATE SET and a trigger's UPDATE OF name no table and are
// skipped by the caller.
var writeSQL = regexp.MustCompile(`(?is)(?:\bINSERT\s+(?:OR\s+\w+\s+)?INTO|\bUPDATE|\bDELETE\s+FROM)\s+([A-Za-z_][A-Za-z_0-9.]*)`)

// tablesWritten lists "table" for every write statement in the Go string
// literals of one package directory (tests excluded).
func tablesWritten(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			s = lockClause.ReplaceAllString(s, "") // FOR NO KEY UPDATE locks, it does not write
			for _, m := range writeSQL.FindAllStringSubmatch(s, -1) {
				table := strings.ToLower(m[1])
				if table == "set" || strings.HasPrefix(table, "temp.") || table == "of" {
					continue
				}
				out[table] = append(out[table], fset.Position(lit.Pos()).String())
			}
			return true
		})
	}
	return out
}

func TestEachTableHasOneOwner(t *testing.T) {
	// Every table of the schema has an owner.
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	create := regexp.MustCompile(`(?i)CREATE TABLE (\w+)`)
	for _, m := range ms {
		for _, c := range create.FindAllStringSubmatch(m.sql, -1) {
			if owners[c[1]] == "" {
				t.Errorf("table %s (migration %s) has no owner in owners", c[1], m.name)
			}
		}
	}
	// Every write in a package is to a table that package owns; the
	// console and the command line write nothing themselves.
	for _, pkg := range []string{"crm", "queue", "campaign", "tui", "cmd/dangol", "serve", "bench"} {
		written := tablesWritten(t, filepath.Join("..", pkg))
		tables := make([]string, 0, len(written))
		for table := range written {
			tables = append(tables, table)
		}
		sort.Strings(tables)
		for _, table := range tables {
			if owner := owners[table]; owner != pkg && !benchFixture(pkg, table) {
				t.Errorf("%s writes %s (owner: %q) at %s", pkg, table, owner, strings.Join(written[table], ", "))
			}
		}
	}
}

func TestEveryTableIsCopied(t *testing.T) {
	// dangol migrate copies every table but those its triggers fill as
	// the rows they count are copied.
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	for _, table := range copyOrder {
		copied[table] = true
	}
	for _, table := range derivedTables {
		if copied[table] {
			t.Errorf("%s is both copied and derived", table)
		}
		copied[table] = true
	}
	create := regexp.MustCompile(`(?i)CREATE TABLE (\w+)`)
	for _, m := range ms {
		for _, c := range create.FindAllStringSubmatch(m.sql, -1) {
			if !copied[c[1]] {
				t.Errorf("table %s (migration %s) is neither copied nor derived", c[1], m.name)
			}
		}
	}
}

// benchFixture is the one exception: `dangol bench` writes its fixture's
// open callbacks in bulk (each with a 'create' audit row) and its own meta
// rows, and removes what a run added; it changes nothing else.
func benchFixture(pkg, table string) bool {
	return pkg == "bench" && (table == "callbacks" || table == "audit_log" || table == "meta" ||
		table == "call_outcomes" || table == "reminders" || // what the real console's wrap-ups and reminders left, removed
		table == "bulk_items" || table == "interactions") // and on PostgreSQL, whose references stay checked, what refers to them

}

func TestOwnershipCheckFindsWrites(t *testing.T) {
	// The check above is only as good as its pattern: it must see each
	// form of write, and not mistake an upsert or a trigger for one.
	dir := t.TempDir()
	src := "package x\nconst a = `INSERT INTO callbacks(x) VALUES (1)`\n" +
		"const b = `UPDATE customers SET x = 1`\nconst c = `DELETE FROM phones WHERE 1`\n" +
		"const d = `INSERT OR IGNORE INTO search_keys(k) VALUES (1) ON CONFLICT(k) DO UPDATE SET k = 1`\n" +
		"const e = \"\\n\\tUPDATE agents SET a = 1\"\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := tablesWritten(t, dir)
	for _, want := range []string{"callbacks", "customers", "phones", "search_keys", "agents"} {
		if len(got[want]) != 1 {
			t.Errorf("%s: found %d writes, want 1 (%v)", want, len(got[want]), got)
		}
	}
	if len(got) != 5 {
		t.Errorf("found writes to %v, want exactly five tables", got)
	}
}
