package crm

import (
	"context"
	"testing"

	"github.com/dangol/dangol/db/plantest"
)

// TestSearchAndThe360ReadTheirIndexes: a search of each kind reads a range
// of search keys in their order, and the 360's duplicates read the
// phone, e-mail and name indexes: none sorts or scans the customers.
func TestSearchAndThe360ReadTheirIndexes(t *testing.T) {
	s := newDemo(t, 300)
	ctx := context.Background()
	ran := plantest.Record(t, s.DB)
	for _, q := range []string{"김", "ㄱㅁ", "kim", "010", "1234", "a@example.com"} {
		if _, _, err := s.Search(ctx, q, 10); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
	}
	if _, err := s.Profile(ctx, 7); err != nil {
		t.Fatal(err)
	}
	plantest.Check(t, s.DB, ran(), []plantest.Rule{
		{Name: "a search's keys", Match: "WHERE k.key >= ? AND k.key < ? ORDER BY k.key", Want: []string{"SEARCH k USING PRIMARY KEY (key>? AND key<?)"},
			PG: []string{" search_keys_pkey "}},
		{Name: "the 360's duplicates", Match: "'name_birthday'", Want: []string{"customers_name_birthday", "phones_e164", "emails_lower"},
			Sorts: true},
	}, "c", "customers", "k", "search_keys")
}
