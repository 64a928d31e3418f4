package crm

import (
	"context"
	"strings"
	"testing"

	"github.com/dangol/dangol/db"
)

// Re-importing a file changes nothing, also when its rows share a phone
// or an e-mail: rows with different customer numbers are different
// customers (a shared number or address is flagged as a possible
// duplicate, for merge to settle); a row without a number is matched by
// phone, then e-mail, as before.
func TestReimportingChangesNothing(t *testing.T) {
	s := newDemo(t, 20)
	ctx := context.Background()
	rows := []ImportRow{
		{Line: 2, ExternalID: "C1", Name: "김하나", Phones: []string{"010-1111-2222"}, Emails: []string{"hana@example.kr"}},
		{Line: 3, ExternalID: "C2", Name: "김두리", Phones: []string{"010-1111-2222"}, Emails: []string{"duri@example.kr"}},
		{Line: 4, ExternalID: "C3", Name: "이세나", Phones: []string{"010-3333-4444"}, Emails: []string{"home@example.kr"}},
		{Line: 5, ExternalID: "C4", Name: "박네오", Phones: []string{"010-5555-6666"}, Emails: []string{"HOME@example.kr"}},
		{Line: 6, Name: "최다섯", Phones: []string{"01011112222"}},
		{Line: 7, Name: "최여섯", Emails: []string{"duri@example.kr"}},
	}
	run := func() ImportResult {
		t.Helper()
		var res ImportResult
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			var err error
			res, err = s.ImportBatch(ctx, tx, System, rows, "KR", demoNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := run()
	if first.Created != 4 || first.Updated != 2 {
		t.Errorf("first import: %d created, %d updated; want 4 customers and the two rows without a number matched", first.Created, first.Updated)
	}
	flagged := map[int]string{}
	for _, f := range first.Flagged {
		flagged[f.Line] = f.Why
	}
	for _, line := range []int{3, 5} {
		if !strings.Contains(flagged[line], "possibly the same person") {
			t.Errorf("line %d shares a number or an address with another customer number: flagged %q", line, flagged[line])
		}
	}
	names := func() map[string]string {
		out := map[string]string{}
		rs, err := s.DB.Query(`SELECT external_id, name FROM customers WHERE external_id IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		for rs.Next() {
			var ext, name string
			rs.Scan(&ext, &name)
			out[ext] = name
		}
		return out
	}
	want := map[string]string{"C1": "김하나", "C2": "김두리", "C3": "이세나", "C4": "박네오"}
	for range 2 {
		again := run()
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != len(rows) {
			t.Errorf("importing the same file again: %d created, %d updated, %d unchanged; want all %d unchanged",
				again.Created, again.Updated, again.Unchanged, len(rows))
		}
		got := names()
		for ext, name := range want {
			if got[ext] != name {
				t.Errorf("customer %s is %q after a re-import, want %q", ext, got[ext], name)
			}
		}
	}
	var hana int64
	s.DB.QueryRow(`SELECT id FROM customers WHERE external_id = 'C1'`).Scan(&hana)
	var kept string
	s.DB.QueryRow(`SELECT value FROM customer_attributes WHERE customer_id = ? AND key = 'name (import)'`, hana).Scan(&kept)
	if kept != "최다섯" {
		t.Errorf("the row without a number matched C1 by phone; its name should be kept beside (%q)", kept)
	}
}
