package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	"github.com/dangol/dangol/queue"
)

// readOnly makes every write of the console's database fail, as on a
// read-only file (root can write any file, so SQLite's own switch is used:
// the write pool has one connection), or a PostgreSQL database turned
// read-only under the console: the write pool's next connections see it.
func readOnly(t *testing.T, c *kit.Common) {
	t.Helper()
	d := c.CRM.DB
	if d.Engine().Name() == "sqlite" {
		if _, err := d.Exec(`PRAGMA query_only = 1`); err != nil {
			t.Fatal(err)
		}
		return
	}
	var name string
	if err := d.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(`ALTER DATABASE ` + name + ` SET default_transaction_read_only = on`); err != nil {
		t.Fatal(err)
	}
	d.DB.SetMaxIdleConns(0) // the write pool's open connections go; its next ones are read-only
	d.DB.SetMaxIdleConns(db.PoolSize)
}

func TestFailedWritesAreSaidAndLoseNothing(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	first, _ := a.work.Queue.Selected()
	readOnly(t, c)

	// A claim that could not be stored is not "yours".
	run(t, a, press("N"))
	if s := shown(a); strings.Contains(s, "is yours") || !strings.Contains(s, "read-only") {
		t.Errorf("a failed claim:\n%s", s)
	}
	if n := count(t, c, `SELECT count(*) FROM callbacks WHERE state = 'claimed'`); n != 0 {
		t.Errorf("%d claims stored on a read-only file", n)
	}

	// A note that could not be saved stays in the editor.
	run(t, a, press("n"))
	note := "고객에게 환불 일정 안내함"
	typeText(t, a, note)
	run(t, a, press("ctrl+s"))
	if !a.work.Note.Editing || a.work.Note.Value() != note || !strings.Contains(shown(a), "read-only") {
		t.Fatalf("after a failed save the note must stay on screen (open=%v, %q):\n%s", a.work.Note.Editing, a.work.Note.Value(), shown(a))
	}

	// Closing the editor when the draft cannot be kept brings it back.
	run(t, a, press("esc"))
	if !a.work.Note.Editing || a.work.Focus != desk.FocusNote || a.work.Note.Value() != note {
		t.Errorf("esc with a draft that could not be kept: open=%v focus=%d text=%q", a.work.Note.Editing, a.work.Focus, a.work.Note.Value())
	}

	// Quitting: the first ctrl+c says the draft could not be kept and
	// stays; the second quits with the text still there for main to print.
	run(t, a, press("ctrl+c"))
	if a.quitting || !strings.Contains(shown(a), "Could not keep the draft") {
		t.Errorf("quit with a draft that cannot be kept:\n%s", shown(a))
	}
	if cmd := a.quit(); cmd == nil {
		t.Error("the second quit should end the console")
	}
	if id, body, ok := a.Unsaved(); !ok || body != note || id != first.CustomerID {
		t.Errorf("the note must still be there for main to print: %d %q %v", id, body, ok)
	}

}

func TestFailedQuickActionKeepsItsForm(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	run(t, a, press("enter"))
	readOnly(t, c)
	run(t, a, press("a"))
	run(t, a, press("5")) // points
	run(t, a, press("tab"))
	typeText(t, a, "500")
	run(t, a, press("tab"))
	typeText(t, a, "goodwill")
	run(t, a, press("enter"))
	if _, ok := open[*kit.FormPane](a); !ok || !strings.Contains(shown(a), "read-only") {
		t.Errorf("a failed quick action should keep its form with the reason:\n%s", shown(a))
	}
	if n := count(t, c, `SELECT count(*) FROM loyalty_ledger WHERE reason = 'goodwill'`); n != 0 {
		t.Error("points stored on a read-only file")
	}
}

func TestFailedWrapUpKeepsThePickerOpen(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	run(t, a, press("N"))
	id := a.work.Customer.CallbackID
	readOnly(t, c)
	run(t, a, press("w"))
	run(t, a, press("1"))
	if _, ok := open[*desk.WrapupPane](a); !ok || !strings.Contains(shown(a), "read-only") {
		t.Errorf("a failed wrap-up should keep the picker and say why:\n%s", shown(a))
	}
	if cb, _ := c.Queue.Get(context.Background(), id); cb.State != queue.Claimed {
		t.Errorf("callback is %s after a failed wrap-up", cb.State)
	}
}

func count(t *testing.T, c *kit.Common, q string) int {
	t.Helper()
	var n int
	if err := c.CRM.DB.Read.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
