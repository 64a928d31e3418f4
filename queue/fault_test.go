package queue

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db/pgtest"
)

// writePath is one way the console or the CLI writes: do makes the i-th
// write, landed says whether it is in the database.
type writePath struct {
	name   string
	do     func(i int) error
	landed func(i int) bool
}

// writePaths lists every write an agent or a supervisor can cause, on a
// fixture with n callable pool callbacks (ids) of which the first half
// are claimed by minji (held).
func writePaths(t *testing.T, f *fixture, ids []int64) []writePath {
	ctx := context.Background()
	held := ids[:len(ids)/2]
	free := ids[len(ids)/2:]
	customers := make([]int64, 0, 40)
	rows, err := f.DB.Query(`SELECT id FROM customers ORDER BY id LIMIT 40`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		customers = append(customers, id)
	}
	rows.Close()
	cust := func(i int) int64 { return customers[i%len(customers)] }
	has := func(q string, args ...any) bool { return f.count(t, q, args...) > 0 }
	state := func(id int64) string {
		var s string
		f.DB.QueryRow(`SELECT state FROM callbacks WHERE id = ?`, id).Scan(&s)
		return s
	}
	big := strings.Repeat("메모 ", 300)
	return []writePath{
		{"claim", func(i int) error { _, err := f.Claim(ctx, f.junho, free[i]); return err },
			func(i int) bool { return state(free[i]) == "claimed" }},
		{"release", func(i int) error { return f.Release(ctx, f.minji, held[i]) },
			func(i int) bool { return state(held[i]) == "scheduled" }},
		{"wrap-up", func(i int) error {
			_, err := f.Done(ctx, f.minji, held[i], Wrapup{Disposition: "resolved", Note: fmt.Sprintf("wrap-up note %d %s", i, big)})
			return err
		}, func(i int) bool { return state(held[i]) == "done" }},
		{"note", func(i int) error {
			_, err := f.CRM.AddNote(ctx, f.minji, crm.NewNote{CustomerID: cust(i), Body: fmt.Sprintf("fault note %d %s", i, big)})
			return err
		}, func(i int) bool {
			return has(`SELECT count(*) FROM interactions WHERE body LIKE ?`, fmt.Sprintf("fault note %d %%", i))
		}},
		{"draft autosave", func(i int) error {
			return f.CRM.SaveDraft(ctx, f.minji.ID, cust(i), fmt.Sprintf("draft %d %s", i, big))
		}, func(i int) bool {
			return has(`SELECT count(*) FROM drafts WHERE body LIKE ?`, fmt.Sprintf("draft %d %%", i))
		}},
		{"reminders delivered", func(i int) error {
			// A login list: ten reminders at once.
			cb, err := f.Get(ctx, free[i])
			if err != nil {
				return err
			}
			var rs []Reminder
			for k := range 10 {
				rs = append(rs, Reminder{Kind: RemindSnooze, FireAt: testNow.Add(time.Duration(k) * time.Minute), Callback: cb})
			}
			return f.Delivered(ctx, f.minji, rs)
		}, func(i int) bool {
			return has(`SELECT count(*) FROM reminders WHERE callback_id = ? AND delivered_at IS NOT NULL`, free[i])
		}},
		{"points", func(i int) error {
			_, err := f.CRM.ChangePoints(ctx, f.minji, cust(i), crm.PointsChange{Kind: "earn", Points: 10, Reason: fmt.Sprintf("fault points %d %s", i, big)})
			return err
		}, func(i int) bool {
			return has(`SELECT count(*) FROM loyalty_ledger WHERE reason LIKE ?`, fmt.Sprintf("fault points %d %%", i))
		}},
		{"purchase", func(i int) error {
			return f.CRM.AddPurchase(ctx, f.minji, cust(i), fmt.Sprintf("fault item %d %s", i, big), 1000, "store")
		}, func(i int) bool {
			return has(`SELECT count(*) FROM purchases WHERE item LIKE ?`, fmt.Sprintf("fault item %d %%", i))
		}},
		{"contact edit", func(i int) error {
			return f.CRM.EditContact(ctx, f.minji, cust(i), crm.ContactEdit{AddEmail: fmt.Sprintf("fault%d@example.com", i),
				Reason: big})
		}, func(i int) bool {
			return has(`SELECT count(*) FROM emails WHERE address = ?`, fmt.Sprintf("fault%d@example.com", i))
		}},
		{"reassignment", func(i int) error { _, err := f.Reassign(ctx, f.sora, []int64{free[i]}, f.junho.ID); return err },
			func(i int) bool {
				return has(`SELECT count(*) FROM callbacks WHERE id = ? AND owner_id = ?`, free[i], f.junho.ID)
			}},
		{"new callback", func(i int) error {
			_, err := f.Add(ctx, f.minji, NewCallback{CustomerID: f.callableCustomer(t, i%20), Due: testNow.Add(time.Hour),
				Reason: fmt.Sprintf("fault callback %d %s", i, big), Kind: "complaint"})
			return err
		}, func(i int) bool {
			return has(`SELECT count(*) FROM callbacks WHERE reason LIKE ?`, fmt.Sprintf("fault callback %d %%", i))
		}},
	}
}

// faultFixture is a fixture with n callable pool callbacks, the first half
// claimed by minji.
func faultFixture(t *testing.T, n int) (*fixture, []int64) {
	t.Helper()
	f := newFixture(t, 40, false)
	f.tune(func(p *Policy) { p.MaxActive = 0 })
	ids := fillPool(t, f, n)
	for _, id := range ids[:n/2] {
		if _, err := f.Claim(context.Background(), f.minji, id); err != nil {
			t.Fatal(err)
		}
	}
	return f, ids
}

// fillDisk makes the database unable to grow: it may use no more pages
// than it has, and a ballast table takes every free page, so a write that
// needs a new page fails as on a full disk.
func fillDisk(t *testing.T, f *fixture) {
	t.Helper()
	if f.DB.Engine().Name() == "postgres" {
		pgtest.FillDisk(t, f.DB.Target)
		return
	}
	if _, err := f.DB.Exec(`CREATE TABLE ballast(b BLOB)`); err != nil {
		t.Fatal(err)
	}
	var pages int
	f.DB.QueryRow(`PRAGMA page_count`).Scan(&pages)
	if _, err := f.DB.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{3000, 500, 50} {
		for {
			if _, err := f.DB.Exec(`INSERT INTO ballast VALUES (randomblob(?))`, size); err != nil {
				break
			}
		}
	}
}

func TestEveryWriteOnAFullDiskIsAnError(t *testing.T) {
	for i := range writePaths(t, newFixture(t, 5, false), make([]int64, 2)) {
		f, ids := faultFixture(t, 240)
		p := writePaths(t, f, ids)[i]
		t.Run(p.name, func(t *testing.T) {
			fillDisk(t, f)
			for n := 0; n < 100; n++ {
				err := p.do(n)
				if err == nil {
					if !p.landed(n) {
						t.Fatalf("write %d was reported done and is not in the database", n)
					}
					continue
				}
				if !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), f.DB.Path) {
					t.Errorf("write %d failed with %q; want the full disk named in one line", n, err)
				}
				if p.landed(n) {
					t.Errorf("write %d failed and is in the database all the same", n)
				}
				t.Logf("write %d: %v", n, err)
				return
			}
			t.Error("a database that cannot grow took 100 writes without an error")
		})
	}
}

func TestEveryWriteOnAReadOnlyFileIsAnError(t *testing.T) {
	f, ids := faultFixture(t, 40)
	// The write connection refuses every write, as a read-only file does
	// (root can write any file, so permissions cannot show it here).
	sqliteOnly(t, "PRAGMA query_only is SQLite's; PostgreSQL's read-only class is checked in db")
	if _, err := f.DB.Exec(`PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	for _, p := range writePaths(t, f, ids) {
		err := p.do(0)
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s on a read-only file: %v", p.name, err)
		}
		if p.landed(0) {
			t.Errorf("%s on a read-only file is in the database", p.name)
		}
	}
}
