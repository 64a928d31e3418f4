package plantest

import (
	"context"
	"testing"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// TestBoundedReadsTheIndexColumns: a read is bounded by a column when the
// plan says so on SQLite, and on PostgreSQL when every column of the
// index before it is held to one value (or a few), whatever else the
// Index Cond lists.
func TestBoundedReadsTheIndexColumns(t *testing.T) {
	d, err := db.Open(context.Background(), pgtest.Target(t, "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	pg := d.Engine().Name() == "postgres"
	cases := []struct {
		plan string
		want bool
	}{
		{"SEARCH cb USING COVERING INDEX callbacks_ready (state=? AND ready=? AND priority=? AND due_at<?)", true},
		{"SEARCH cb USING COVERING INDEX callbacks_ready (state=?)", false},
		{"SEARCH cb USING INDEX callbacks_owner_due (owner_id=? AND state=? AND due_at<?)\nSEARCH c USING INTEGER PRIMARY KEY (rowid=?)", false},
	}
	if pg {
		cases = []struct {
			plan string
			want bool
		}{
			{"Aggregate\n  ->  Index Only Scan using callbacks_ready on callbacks cb\n        Index Cond: ((state = ANY ('{scheduled,claimed}'::text[])) AND (ready = ANY ('{0,1}'::bigint[])) AND (priority = 3) AND (due_at <= 1796515037))", true},
			// priority, before due_at in the index, is not held: the whole
			// of each (state, ready) is read.
			{"Aggregate\n  ->  Index Only Scan using callbacks_ready on callbacks cb\n        Index Cond: ((state = ANY ('{scheduled,claimed}'::text[])) AND (ready = ANY ('{0,1}'::bigint[])) AND (due_at <= 1796515037) AND (((owner_id IS NULL)) = true))", false},
			{"Aggregate\n  ->  Index Only Scan using callbacks_owner_due on callbacks cb\n        Index Cond: ((owner_id IS NULL) AND (state = ANY ('{scheduled,claimed}'::text[])) AND (due_at <= 1796515037))", true},
			{"Aggregate\n  ->  Bitmap Heap Scan on callbacks cb\n        Recheck Cond: (state = ANY ('{scheduled,claimed}'::text[]))\n        Filter: (due_at <= 1)\n        ->  Bitmap Index Scan on callbacks_flip\n              Index Cond: (state = ANY ('{scheduled,claimed}'::text[]))", false},
			{"Aggregate\n  ->  Index Only Scan using callbacks_window on callbacks cb\n        Index Cond: ((priority = 1) AND (due_at <= 1796515037))", true},
		}
	}
	for _, c := range cases {
		if got := bounded(t, d, c.plan, "due_at", pg); got != c.want {
			t.Errorf("bounded by due_at = %v, want %v:\n%s", got, c.want, c.plan)
		}
	}
}
