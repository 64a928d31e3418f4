package crm

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
)

// twoMinjuns adds two customers named 김민준 and a few neighbours with
// known numbers and addresses to a demo database.
func twoMinjuns(t *testing.T) (*Service, map[string]int64) {
	s := newDemo(t, 200)
	ctx := context.Background()
	sora := agent(t, s, "sora")
	ids := map[string]int64{}
	for key, c := range map[string]NewCustomer{
		"minjun1": {Name: "김민준", NameRoman: "Kim Minjun", Phones: []string{"010-2468-1357"}, Emails: []string{"minjun.kim@example.kr"}},
		"minjun2": {Name: "김민준", NameRoman: "Kim Min-jun", Phones: []string{"+82 10 9753 1357", "02-555-0199"}},
		"namgung": {Name: "남궁지우", NameRoman: "Namgung Jiwoo", Phones: []string{"01033334444"}},
		"emily":   {Name: "Emily Park", Phones: []string{"+1 415 555 2671"}, Emails: []string{"emily.park@gmail.com"}},
		"emilyko": {Name: "Emily 박", Phones: []string{"010-7777-1212"}},
	} {
		id, err := s.AddCustomer(ctx, sora, c)
		if err != nil {
			t.Fatal(err)
		}
		ids[key] = id
	}
	return s, ids
}

func TestSearchEveryKind(t *testing.T) {
	s, ids := twoMinjuns(t)
	ctx := context.Background()
	cases := []struct {
		query string
		kind  QueryKind
		want  []string // every one of these must be found
	}{
		{"김민준", QueryName, []string{"minjun1", "minjun2"}},
		{"민준", QueryName, []string{"minjun1", "minjun2"}},
		{"궁지", QueryName, []string{"namgung"}},
		{"ㄱㅁㅈ", QueryInitials, []string{"minjun1", "minjun2"}},
		{"김ㅁ", QueryInitials, []string{"minjun1", "minjun2"}},
		{"김ㅁㅈ", QueryInitials, []string{"minjun1", "minjun2"}},
		{"ㄱ민ㅈ", QueryInitials, []string{"minjun1", "minjun2"}},
		{"민ㅈ", QueryInitials, []string{"minjun1", "minjun2"}},
		{"ㄴㄱㅈㅇ", QueryInitials, []string{"namgung"}},
		{"minjun", QueryLatin, []string{"minjun1"}},
		{"kim min", QueryLatin, []string{"minjun1", "minjun2"}},
		{"namgung", QueryLatin, []string{"namgung"}},
		{"emily", QueryLatin, []string{"emily", "emilyko"}},
		{"minjun kim", QueryLatin, []string{"minjun1", "minjun2"}},
		{"min-jun", QueryLatin, []string{"minjun1", "minjun2"}},
		{"park emily", QueryLatin, []string{"emily"}},
		{"emily 박", QueryLatin, []string{"emilyko"}},
		{"Emily 박", QueryLatin, []string{"emilyko"}},
		{"010-2468-1357", QueryPhone, []string{"minjun1"}},
		{"01024681357", QueryPhone, []string{"minjun1"}},
		{"+82 10 2468 1357", QueryPhone, []string{"minjun1"}},
		{"1357", QueryLast4, []string{"minjun1", "minjun2"}},
		{"3333-4444", QueryPhone, []string{"namgung"}},
		{"02 555 0199", QueryPhone, []string{"minjun2"}},
		{"(415) 555-2671", QueryPhone, []string{"emily"}},
		{"minjun.kim@example.kr", QueryEmail, []string{"minjun1"}},
		{"emily.park@", QueryEmail, []string{"emily"}},
		{"EMILY.PARK@GMAIL.COM", QueryEmail, []string{"emily"}},
	}
	for _, c := range cases {
		got, kind, err := s.Search(ctx, c.query, 20)
		if err != nil {
			t.Fatalf("%q: %v", c.query, err)
		}
		if kind != c.kind {
			t.Errorf("%q read as %s, want %s", c.query, kind, c.kind)
		}
		found := map[int64]bool{}
		for _, r := range got {
			found[r.ID] = true
		}
		for _, w := range c.want {
			if !found[ids[w]] {
				t.Errorf("%q did not find %s (got %d results)", c.query, w, len(got))
			}
		}
	}
}

func TestSearchResultsTellNamesakesApart(t *testing.T) {
	s, ids := twoMinjuns(t)
	got, _, _ := s.Search(context.Background(), "김민준", 20)
	var mine []SearchResult
	for _, r := range got {
		if r.ID == ids["minjun1"] || r.ID == ids["minjun2"] {
			mine = append(mine, r)
		}
	}
	if len(mine) != 2 || mine[0].Phone == mine[1].Phone || mine[0].Phone == "" {
		t.Errorf("two 김민준 should come with their own numbers: %+v", mine)
	}
	for _, r := range got[:2] {
		if r.Name != "김민준" {
			t.Errorf("exact name matches should come first, got %q", r.Name)
		}
	}
}

func TestSearchNoMatchesAndNonsense(t *testing.T) {
	s, _ := twoMinjuns(t)
	for _, q := range []string{"", "  ", "힣힣힣", "ㅋㅋㅋㅋ", "zzzzqq", "12", "@", "a", "%", "_"} {
		got, _, err := s.Search(context.Background(), q, 20)
		if err != nil || len(got) != 0 {
			t.Errorf("%q: %d results, %v", q, len(got), err)
		}
	}
}

func TestSearchKeysFollowEdits(t *testing.T) {
	s, ids := twoMinjuns(t)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	name := "박서준"
	if err := s.EditContact(ctx, minji, ids["minjun1"], ContactEdit{Name: &name, AddPhone: "010-1111-2222", Reason: "개명"}); err != nil {
		t.Fatal(err)
	}
	found := func(q string) bool {
		got, _, _ := s.Search(ctx, q, 50)
		for _, r := range got {
			if r.ID == ids["minjun1"] {
				return true
			}
		}
		return false
	}
	if !found("박서준") || !found("ㅂㅅㅈ") || !found("2222") {
		t.Error("the new name and number should be searchable at once")
	}
	if found("ㄱㅁㅈ") {
		t.Error("the old name should no longer find the customer")
	}
	trail, _ := s.AuditTrail(ctx, "customer", ids["minjun1"])
	var edits []string
	for _, a := range trail {
		edits = append(edits, a.From+"→"+a.To)
	}
	if !strings.Contains(strings.Join(edits, " "), "name=김민준→name=박서준") || !strings.Contains(strings.Join(edits, " "), "phone=→phone=+821011112222") {
		t.Errorf("edits are not audited: %v", edits)
	}
}

func TestLikeSearchBaselineAgrees(t *testing.T) {
	s, ids := twoMinjuns(t)
	got, err := s.LikeSearch(context.Background(), "민준", 1000)
	if err != nil {
		t.Fatal(err)
	}
	keyed, _, _ := s.Search(context.Background(), "민준", 1000)
	if len(got) != len(keyed) {
		t.Errorf("LIKE finds %d, the key index %d", len(got), len(keyed))
	}
	_ = ids
}

func TestEnsureSearchIndexRebuilds(t *testing.T) {
	s, ids := twoMinjuns(t)
	ctx := context.Background()
	s.DB.Exec(`DELETE FROM search_keys`)
	s.DB.Exec(`UPDATE meta SET value = 'old' WHERE key = 'search_version'`)
	var reports []int
	rebuilt, err := s.EnsureSearchIndex(ctx, func(done, total int) { reports = append(reports, done, total) })
	if err != nil || !rebuilt {
		t.Fatalf("rebuild: %v %v", rebuilt, err)
	}
	if n := len(reports); n < 2 || reports[n-2] != reports[n-1] || reports[n-1] != 205 {
		t.Errorf("progress = %v, want to end at 205 of 205", reports)
	}
	got, _, _ := s.Search(ctx, "ㄴㄱㅈㅇ", 20)
	found := false
	for _, r := range got {
		found = found || r.ID == ids["namgung"]
	}
	if !found {
		t.Errorf("after rebuild: %+v", got)
	}
	if again, _ := s.EnsureSearchIndex(ctx, nil); again {
		t.Error("a current index should not be rebuilt")
	}
}

// TestAnInterruptedRebuildKeepsTheOldIndex: a rebuild is one transaction.
// Stopped after its first batch, it leaves every old key in place (search
// still finds) and the old version, so the next open starts over. Run to
// its end, it makes exactly the keys the derivation gives, with nothing
// left waiting and the index by customer built again.
func TestAnInterruptedRebuildKeepsTheOldIndex(t *testing.T) {
	s, ids := twoMinjuns(t)
	old := rebuildBatch
	rebuildBatch = 50 // 205 customers: five batches
	t.Cleanup(func() { rebuildBatch = old })
	want := allKeys(t, s) // as written when the customers were added
	s.DB.Exec(`UPDATE meta SET value = 'old' WHERE key = 'search_version'`)
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	rebuilt, err := s.EnsureSearchIndex(ctx, func(done, total int) { batches++; cancel() })
	if err == nil || rebuilt || batches != 1 {
		t.Fatalf("a rebuild cancelled after its first batch: rebuilt=%v err=%v after %d batches", rebuilt, err, batches)
	}
	if got := allKeys(t, s); !slices.Equal(got, want) {
		t.Errorf("an interrupted rebuild left %d keys of %d", len(got), len(want))
	}
	var version string
	s.DB.QueryRow(`SELECT value FROM meta WHERE key = 'search_version'`).Scan(&version)
	if n := count(t, s, `SELECT count(*) FROM search_keys_pending`); version != "old" || n != 0 {
		t.Errorf("after the interruption: version %q, %d keys waiting", version, n)
	}
	if !found(t, s, "ㄴㄱㅈㅇ", ids["namgung"]) {
		t.Error("search lost a customer while the rebuild was interrupted")
	}

	var reports []int
	if rebuilt, err := s.EnsureSearchIndex(context.Background(), func(done, total int) { reports = append(reports, done) }); err != nil || !rebuilt {
		t.Fatalf("rebuild: %v %v", rebuilt, err)
	}
	if got := allKeys(t, s); !slices.Equal(got, want) {
		t.Errorf("the rebuild made %d keys, the derivation %d", len(got), len(want))
	}
	if !slices.Equal(reports, []int{49, 99, 149, 199, 205}) {
		t.Errorf("progress %v, want a report a batch", reports)
	}
	if n := count(t, s, `SELECT count(*) FROM search_keys_pending`); n != 0 {
		t.Errorf("%d keys still wait after the rebuild", n)
	}
	if indexDef(t, s, "search_keys_customer") == "" {
		t.Error("the index by customer is not back after the rebuild")
	}
}

func FuzzSearch(f *testing.F) {
	s := newDemo(f, 30)
	for _, q := range []string{"김민준", "ㄱㅁ", "김ㅁ", "010-1234", "1234", "a@b", "kim min", "(02) 555"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, _, err := s.Search(context.Background(), q, 10)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if len(got) > 10 {
			t.Fatalf("%q: %d results over the limit", q, len(got))
		}
	})
}

// TestSearchKeysAreFewAndFindEveryPart: a customer's keys are whole runs,
// words, numbers and addresses (a dozen, not every prefix), and the key of
// every kind of query that should find them is a prefix of one of them.
func TestSearchKeysAreFewAndFindEveryPart(t *testing.T) {
	keys := searchKeys("김민준", "Kim Minjun", []string{"+821024681357"}, []string{"Minjun.Kim@example.kr"})
	want := []string{"s:김민준", "s:민준", "s:준", "i:ㄱㅁㅈ", "i:ㅁㅈ", "i:ㅈ", "x:김ㅁㅈ", "x:민ㅈ",
		"w:kim", "w:minjun", "w:kimminjun", "p:75318642", "m:minjun.kim@example.kr"}
	sort.Strings(keys)
	sort.Strings(want)
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("keys:\n%v\nwant\n%v", keys, want)
	}
	for _, q := range []string{"김민준", "민준", "준", "ㄱㅁㅈ", "ㅁㅈ", "김ㅁ", "민ㅈ", "kim", "minj", "kimmin", "Kim Minjun",
		"1357", "010-2468-1357", "+82 10 2468 1357", "minjun.k", "minjun.kim@", "MINJUN.KIM@EXAMPLE.KR"} {
		p, ok := planFor(q)
		found := false
		for _, k := range keys {
			found = found || strings.HasPrefix(k, p.key)
		}
		if !ok || !found {
			t.Errorf("%q: its key %q starts none of the customer's keys", q, p.key)
		}
	}
}

// TestACustomerWithTwoKeysInARangeIsFoundOnce: 김민김 has s:김민김 and s:김,
// both in the range of 김.
func TestACustomerWithTwoKeysInARangeIsFoundOnce(t *testing.T) {
	s := newDemo(t, 50)
	ctx := context.Background()
	id, err := s.AddCustomer(ctx, agent(t, s, "sora"), NewCustomer{Name: "김민김", Phones: []string{"010-1212-3434"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Search(ctx, "김", 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range got {
		if r.ID == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("김민김 found %d times for 김", n)
	}
}

// A customer's number from the system they were imported from (고객번호)
// finds them first, however the query would otherwise be read (digits
// look like a phone number's end); a merged customer's number finds the
// one they were merged into; the 360 shows it with their attributes.
func TestSearchFindsTheCustomerNumber(t *testing.T) {
	s, ids := twoMinjuns(t)
	ctx := context.Background()
	for id, ext := range map[int64]string{ids["minjun1"]: "C-20931", ids["namgung"]: "1357", ids["emilyko"]: "E7"} {
		if _, err := s.DB.Exec(`UPDATE customers SET external_id = ? WHERE id = ?`, ext, id); err != nil {
			t.Fatal(err)
		}
	}
	s.DB.Exec(`UPDATE customers SET merged_into = ? WHERE id = ?`, ids["emily"], ids["emilyko"])
	for _, c := range []struct {
		query string
		want  int64
		kind  QueryKind
	}{{"C-20931", ids["minjun1"], QueryNumber}, {" C-20931 ", ids["minjun1"], QueryNumber},
		{"1357", ids["namgung"], QueryNumber}, {"E7", ids["emily"], QueryNumber}, {"c-20931", 0, ""}} {
		got, kind, err := s.Search(ctx, c.query, 10)
		if err != nil {
			t.Fatal(err)
		}
		if c.want == 0 {
			if kind == QueryNumber {
				t.Errorf("%q: a number is matched exactly, not %v", c.query, got)
			}
			continue
		}
		if len(got) == 0 || got[0].ID != c.want || kind != c.kind {
			t.Errorf("%q: got %v (%s), want #%d first", c.query, got, kind, c.want)
		}
	}
	// 1357 is also the end of two numbers: those customers follow.
	got, _, _ := s.Search(ctx, "1357", 10)
	if len(got) < 3 {
		t.Errorf("1357 should find the number's customer and the phones ending in it: %v", got)
	}

	if _, err := s.DB.Exec(`INSERT INTO customer_attributes(customer_id, key, value) VALUES (?, '가입 경로', '홈쇼핑'), (?, 'vip_memo', '주말 통화 선호')`,
		ids["minjun1"], ids["minjun1"]); err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile(ctx, ids["minjun1"])
	if err != nil {
		t.Fatal(err)
	}
	if p.ExternalID != "C-20931" || len(p.Attributes) != 2 || p.Attributes[0] != (Attribute{"vip_memo", "주말 통화 선호"}) {
		t.Errorf("the 360's number and attributes: %q %+v", p.ExternalID, p.Attributes)
	}
}
