package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// importWaiting brings rows in as `dangol import customers` does, batch by
// batch, leaving their search keys waiting.
func importWaiting(t *testing.T, s *Service, rows []ImportRow, batch int) {
	t.Helper()
	ctx := context.Background()
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := s.ImportPlanned(ctx, tx, System, PrepareImport(part, "KR", demoNow), demoNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func importRowsFor(n int) []ImportRow {
	rows := make([]ImportRow, n)
	for i := range rows {
		rows[i] = ImportRow{Line: i + 2, Name: fmt.Sprintf("%s%s", []string{"허", "탁", "편"}[i%3], []string{"보람", "누리", "한결", "새벽"}[i%4]),
			NameRoman: fmt.Sprintf("Guest %d", i), Phones: []string{fmt.Sprintf("010-7%03d-%04d", i/1000, i%1000)},
			Emails: []string{fmt.Sprintf("guest%d@example.org", i)}}
	}
	return rows
}

// allKeys is the search index, row by row.
func allKeys(t *testing.T, s *Service) []string {
	t.Helper()
	keys, err := strings1(context.Background(), s.DB.Read, `SELECT key || ' ' || customer_id FROM search_keys ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func found(t *testing.T, s *Service, query string, id int64) bool {
	t.Helper()
	got, _, err := s.Search(context.Background(), query, 50)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(got, func(r SearchResult) bool { return r.ID == id })
}

// The keys an import leaves waiting are the keys the customers would have
// had row by row: settled with the index by customer dropped and built
// again in one transaction (most keys new) or kept, a few customers at a
// time (few new), the index ends the same as a full rebuild makes it, and
// the index by customer is back as the schema has it.
func TestSettledKeysAreTheKeysARebuildMakes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		demo    int
		rows    int
		rebuilt bool
	}{{"most keys new", 5, 600, true}, {"few keys new", 300, 40, false}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newDemo(t, tc.demo)
			ctx := context.Background()
			defer func(n int) { settleChunk = n }(settleChunk)
			settleChunk = 7 // the kept index's case in six transactions
			schema := indexDef(t, s, "search_keys_customer")
			importWaiting(t, s, importRowsFor(tc.rows), 250)
			var last int64
			s.DB.Read.QueryRow(`SELECT max(id) FROM customers`).Scan(&last)
			if found(t, s, "guest"+fmt.Sprint(tc.rows-1)+"@example.org", last) {
				t.Fatal("a waiting key should not be found before it is settled")
			}
			waiting := count(t, s, `SELECT count(*) FROM search_keys_pending`)
			customers := count(t, s, `SELECT count(*) FROM customers`)
			if got := waiting > settleRebuildShare*customers; got != tc.rebuilt {
				t.Fatalf("%d keys waiting for %d customers: the case is not %q", waiting, customers, tc.name)
			}
			moved, err := s.SettleSearchKeys(ctx)
			if err != nil || moved != waiting {
				t.Fatalf("settled %d of %d: %v", moved, waiting, err)
			}
			if n := count(t, s, `SELECT count(*) FROM search_keys_pending`); n != 0 {
				t.Errorf("%d keys still waiting", n)
			}
			var cache int // the write connection's, which settling lowers for its sort (SQLite)
			if s.DB.Engine().Name() == "sqlite" {
				s.DB.QueryRow(`PRAGMA cache_size`).Scan(&cache)
			} else {
				cache = -65536
			}
			if cache != -65536 {
				t.Errorf("after settling the write connection's cache_size is %d", cache)
			}
			if !found(t, s, "guest"+fmt.Sprint(tc.rows-1)+"@example.org", last) || !found(t, s, "7"+fmt.Sprintf("%03d", (tc.rows-1)/1000)+fmt.Sprintf("%04d", (tc.rows-1)%1000), last) {
				t.Error("the last imported customer is not found by e-mail or number once settled")
			}
			settled := allKeys(t, s)
			s.DB.Exec(`UPDATE meta SET value = 'old' WHERE key = 'search_version'`)
			if rebuilt, err := s.EnsureSearchIndex(ctx, nil); err != nil || !rebuilt {
				t.Fatalf("rebuild: %v %v", rebuilt, err)
			}
			if rebuilt := allKeys(t, s); !slices.Equal(settled, rebuilt) {
				t.Errorf("settled %d keys, a rebuild makes %d", len(settled), len(rebuilt))
			}
			after := indexDef(t, s, "search_keys_customer")
			if after != schema || schema == "" {
				t.Errorf("the index by customer is %q, was %q", after, schema)
			}
			if moved, err := s.SettleSearchKeys(ctx); moved != 0 || err != nil {
				t.Errorf("nothing waiting, settled %d: %v", moved, err)
			}
		})
	}
}

// A customer whose keys are still waiting and who is edited, merged away
// or forgotten meanwhile keeps no stale key: the waiting ones go with the
// others.
func TestWaitingKeysGoWithTheCustomer(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	importWaiting(t, s, importRowsFor(12), 12)
	ids, err := IDs(ctx, s.DB.Read, `SELECT id FROM customers WHERE name_roman LIKE 'Guest %' ORDER BY id`)
	if err != nil || len(ids) != 12 {
		t.Fatalf("%v %v", ids, err)
	}
	renamed := "나래"
	if err := s.EditContact(ctx, minji, ids[0], ContactEdit{Name: &renamed, Reason: "개명"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.Tx(ctx, func(tx *db.Tx) error { return ForgetIn(ctx, tx, minji, ids[1], demoNow) }); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM search_keys_pending WHERE customer_id IN (?, ?)`, ids[0], ids[1]); n != 0 {
		t.Errorf("%d keys of the edited and the forgotten customer still waiting", n)
	}
	if !found(t, s, "나래", ids[0]) {
		t.Error("an edited customer is found by the new name at once")
	}
	if _, err := s.SettleSearchKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if found(t, s, "허보람", ids[0]) {
		t.Error("the name before the edit still finds the customer")
	}
	if n := count(t, s, `SELECT count(*) FROM search_keys WHERE customer_id = ?`, ids[1]); n != 0 {
		t.Errorf("the forgotten customer has %d search keys", n)
	}
	if !found(t, s, "guest11@example.org", ids[11]) {
		t.Error("the others are found once settled")
	}
}

// An import stopped before it settled leaves its keys waiting; the next
// start of a console or the server (EnsureSearchIndex) settles them.
func TestTheNextStartSettlesAStoppedImport(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	importWaiting(t, s, importRowsFor(30), 10)
	var last int64
	s.DB.Read.QueryRow(`SELECT max(id) FROM customers`).Scan(&last)
	if rebuilt, err := s.EnsureSearchIndex(ctx, nil); err != nil || rebuilt {
		t.Fatalf("a current index is settled, not rebuilt: %v %v", rebuilt, err)
	}
	if !found(t, s, "guest29@example.org", last) {
		t.Error("the stopped import's last customer is not found after the start")
	}
}

// An import that fills the disk stops with the disk's message and keeps
// what it committed, whole batches with their waiting keys; settling on a
// full disk loses no key either, and settles once there is room.
func TestAFullDiskLosesNoImportedRowOrKey(t *testing.T) {
	if pgtest.Engine() != "sqlite" {
		t.Skip("a full disk is made with SQLite's max_page_count; PostgreSQL's disk_full (53100) is classed as Full in db")
	}
	s := newDemo(t, 5)
	ctx := context.Background()
	var pages int
	s.DB.QueryRow(`PRAGMA page_count`).Scan(&pages)
	if _, err := s.DB.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+40)); err != nil {
		t.Fatal(err)
	}
	rows := importRowsFor(5000)
	const batch = 100
	var failed error
	for start := 0; start < len(rows) && failed == nil; start += batch {
		failed = s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := s.ImportPlanned(ctx, tx, System, PrepareImport(rows[start:start+batch], "KR", demoNow), demoNow)
			return err
		})
	}
	if failed = s.DB.Describe(failed); failed == nil || !strings.Contains(failed.Error(), "the disk is full") {
		t.Fatalf("5,000 customers on a disk of 40 more pages: %v", failed)
	}
	imported := count(t, s, `SELECT count(*) FROM customers WHERE name_roman LIKE 'Guest %'`)
	if imported == 0 || imported%batch != 0 {
		t.Fatalf("%d customers after the disk filled: want whole batches of %d", imported, batch)
	}
	keyed := func() int {
		return count(t, s, `SELECT count(DISTINCT customer_id) FROM (SELECT customer_id FROM search_keys_pending
			UNION ALL SELECT customer_id FROM search_keys) k JOIN customers c ON c.id = k.customer_id WHERE c.name_roman LIKE 'Guest %'`)
	}
	if got := keyed(); got != imported {
		t.Fatalf("%d of the %d committed customers have keys, waiting or settled", got, imported)
	}
	// what room the failed batch left, taken too
	s.DB.Exec(`CREATE TABLE ballast(b BLOB)`)
	for _, size := range []int{3000, 500, 50} {
		for {
			if _, err := s.DB.Exec(`INSERT INTO ballast VALUES (randomblob(?))`, size); err != nil {
				break
			}
		}
	}
	if _, err := s.SettleSearchKeys(ctx); err == nil || !strings.Contains(err.Error(), "the disk is full") {
		t.Fatalf("settling on a full disk: %v", err)
	}
	if got := keyed(); got != imported {
		t.Fatalf("after settling on a full disk %d of the %d committed customers have keys", got, imported)
	}
	if _, err := s.DB.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SettleSearchKeys(ctx); err != nil {
		t.Fatal(err)
	}
	last := fmt.Sprintf("guest%d@example.org", imported-1)
	var id int64
	s.DB.QueryRow(`SELECT customer_id FROM emails WHERE address = ?`, last).Scan(&id)
	if n := count(t, s, `SELECT count(*) FROM search_keys_pending`); n != 0 || !found(t, s, last, id) {
		t.Errorf("with room again: %d keys wait, the last committed customer found: %v", n, found(t, s, last, id))
	}
}
