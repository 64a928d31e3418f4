// Package plantest checks, in tests, that the statements a call runs are
// planned on the indexes meant for them: Record gathers what the database
// runs, Check plans each statement and matches it against rules.
package plantest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dangol/dangol/db"
)

// Stmt is a statement a call ran, with its arguments.
type Stmt struct {
	Query string
	Args  []any
}

// Record gathers every statement d runs until the test ends; the function
// it returns gives what ran so far.
func Record(t testing.TB, d *db.DB) func() []Stmt {
	var mu sync.Mutex
	var ran []Stmt
	d.Trace(func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, Stmt{q, slices.Clone(args)})
	})
	t.Cleanup(func() { d.Trace(nil) })
	return func() []Stmt {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(ran)
	}
}

// Rule is what a hot statement's plan must show: the statements whose
// text holds Match use every index named in Want (as SQLite's EXPLAIN
// QUERY PLAN writes it; on PostgreSQL, the index names in PG, or when PG
// is nil, the names that begin Want's entries). Unless Sorts (its rows are
// few by construction, a customer's duplicates), the statement itself
// sorts nothing: what it reads comes in order from an index. A subquery
// for one row may sort that row's few.
type Rule struct {
	Name, Match string
	Want        []string
	PG          []string
	Sorts       bool
	// PGSorts allows a sort on PostgreSQL only: one of a bounded few
	// (the best time's fifty) that SQLite orders without one.
	PGSorts bool
	// Bound, when set, is a column that bounds every index read of the
	// plan, whichever index the planner takes (see bounded): a count up
	// to the present reads what is overdue, not every open callback.
	Bound string
}

// Check plans every statement ran and checks each against the first rule
// it matches; every rule must have matched a statement. No plan may scan
// one of tables (a name or alias), at any depth.
//
// On PostgreSQL a test's few rows make a scan, or a sort of a few rows,
// the planner's right choice, so the tables are analyzed and each
// statement is planned with scans priced out, and sorts unless the rule
// allows them (enable_seqscan and enable_sort off, for that transaction
// only): a scan or a sort left in the plan then means no index can serve
// it, and the index chosen is the one a large table gets (compared on the
// bench's 100,000).
func Check(t testing.TB, d *db.DB, ran []Stmt, rules []Rule, tables ...string) {
	t.Helper()
	pg := d.Engine().Name() == "postgres"
	if pg {
		// The planner reads the tables' statistics, as autovacuum keeps
		// them on a real database.
		if _, err := d.ExecContext(context.Background(), `ANALYZE`); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	for _, s := range ran {
		for _, r := range rules {
			if !strings.Contains(s.Query, r.Match) {
				continue
			}
			seen[r.Name]++
			sorts := r.Sorts || pg && r.PGSorts
			p, err := plan(d, s, pg, sorts)
			if err != nil {
				t.Fatalf("%s: %v", r.Name, err)
			}
			want := r.Want
			if pg {
				want = pgIndexes(r)
			}
			words := strings.ReplaceAll(p, "\n", " \n")
			for _, w := range want {
				if !strings.Contains(words, w) {
					t.Errorf("%s does not use %s:\n%s\n%s", r.Name, w, s.Query, p)
				}
			}
			if r.Bound != "" && !bounded(t, d, p, r.Bound, pg) {
				t.Errorf("%s reads an index without bounding it by %s:\n%s\n%s", r.Name, r.Bound, s.Query, p)
			}
			bad := badSQLite
			if pg {
				bad = badPostgres
			}
			if bad(p, sorts, tables) {
				t.Errorf("%s sorts or scans:\n%s\n%s", r.Name, s.Query, p)
			}
			break
		}
	}
	for _, r := range rules {
		if seen[r.Name] == 0 {
			t.Errorf("no statement ran for %s (%q)", r.Name, r.Match)
		}
	}
}

// plan is the statement's plan on d's engine; on PostgreSQL (pg) with
// scans priced out, and sorts too unless sorts.
func plan(d *db.DB, s Stmt, pg, sorts bool) (string, error) {
	ctx := context.Background()
	if !pg {
		return db.Plan(ctx, d.Read, s.Query, s.Args...)
	}
	var p string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return err
		}
		if !sorts {
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_sort = off`); err != nil {
				return err
			}
		}
		var err error
		p, err = db.Plan(ctx, tx, s.Query, s.Args...)
		if err != nil {
			return err
		}
		return errPlanned
	})
	if !errors.Is(err, errPlanned) {
		return "", err
	}
	return p, nil
}

// errPlanned ends the planning transaction (its setting is not kept).
var errPlanned = errors.New("planned")

// pgIndexes is what r's plan must name on PostgreSQL.
func pgIndexes(r Rule) []string {
	if r.PG != nil {
		return r.PG
	}
	var names []string
	for _, w := range r.Want {
		name, _, _ := strings.Cut(w, " ")
		names = append(names, " "+name+" ")
	}
	return names
}

// bounded says whether every index read of plan p is bounded by col.
// SQLite's SEARCH names only the columns that bound it. PostgreSQL's Index
// Cond names every condition the index checks; col bounds the read when
// each column of the index before it has one with "=".
func bounded(t testing.TB, d *db.DB, p, col string, pg bool) bool {
	index := ""
	for _, l := range strings.Split(p, "\n") {
		l = strings.TrimPrefix(strings.TrimSpace(l), "->  ")
		if !pg {
			if strings.HasPrefix(l, "SEARCH ") && !strings.Contains(l, col) {
				return false
			}
			continue
		}
		if _, after, ok := strings.Cut(l, " using "); ok && strings.Contains(l, "Index") {
			index, _, _ = strings.Cut(after, " ")
		} else if after, ok := strings.CutPrefix(l, "Bitmap Index Scan on "); ok {
			index, _, _ = strings.Cut(after, " ")
		}
		cond, ok := strings.CutPrefix(l, "Index Cond: ")
		if !ok {
			continue
		}
		cols := indexColumns(t, d, index)
		i := slices.Index(cols, col)
		if i < 0 {
			return false
		}
		for _, c := range cols[:i] {
			if !strings.Contains(cond, c+" = ") && !strings.Contains(cond, c+") = ") && !strings.Contains(cond, c+" IS NULL") {
				return false
			}
		}
	}
	return true
}

// indexColumns lists a PostgreSQL index's columns (or expressions).
func indexColumns(t testing.TB, d *db.DB, index string) []string {
	rows, err := d.QueryContext(context.Background(), `SELECT pg_get_indexdef(i.indexrelid, k, true)
		FROM pg_index i, generate_series(1, i.indnatts) k WHERE i.indexrelid = ?::regclass ORDER BY k`, index)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols
}

// badSQLite says whether a SQLite plan sorts (unless sorts) or scans one
// of tables. A sort in a subquery (indented) is one for one row.
func badSQLite(p string, sorts bool, tables []string) bool {
	for _, l := range strings.Split(p, "\n") {
		if !sorts && strings.HasPrefix(l, "USE TEMP B-TREE") {
			return true
		}
		l = strings.TrimSpace(l)
		for _, tb := range tables {
			if l == "SCAN "+tb || strings.HasPrefix(l, "SCAN "+tb+" ") {
				return true
			}
		}
	}
	return false
}

// badPostgres says whether a PostgreSQL plan sorts (unless sorts) or scans
// one of tables. A sort under a SubPlan is one for one row.
func badPostgres(p string, sorts bool, tables []string) bool {
	sub := -1 // the indent of the SubPlan being read
	for _, l := range strings.Split(p, "\n") {
		indent := len(l) - len(strings.TrimLeft(l, " "))
		l = strings.TrimPrefix(strings.TrimSpace(l), "->  ")
		if sub >= 0 && indent <= sub {
			sub = -1
		}
		if sub < 0 && strings.HasPrefix(l, "SubPlan ") {
			sub = indent
		}
		if !sorts && sub < 0 && (strings.HasPrefix(l, "Sort") || strings.HasPrefix(l, "Incremental Sort")) {
			return true
		}
		for _, tb := range tables {
			if l == "Seq Scan on "+tb || strings.HasPrefix(l, "Seq Scan on "+tb+" ") {
				return true
			}
		}
	}
	return false
}
