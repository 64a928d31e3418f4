package queue

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

func TestDemoCallbacks(t *testing.T) {
	f := newFixture(t, 300, true)
	now := testNow.Unix()
	checks := []struct {
		what     string
		query    string
		min, max int
	}{
		{"callbacks", `SELECT count(*) FROM callbacks WHERE state = 'scheduled'`, 40, 100},
		{"minji's", `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state = 'scheduled'`, 8, 30},
		{"junho's", `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state = 'scheduled'`, 8, 30},
		{"pool", `SELECT count(*) FROM callbacks WHERE owner_id IS NULL AND state = 'scheduled'`, 10, 40},
		{"overdue", `SELECT count(*) FROM callbacks WHERE due_at < ? AND state = 'scheduled'`, 5, 30},
		{"due within 10 minutes", `SELECT count(*) FROM callbacks WHERE due_at BETWEEN ? AND ? + 600`, 5, 30},
		{"calls made in the last eight weeks", `SELECT count(*) FROM call_outcomes`, 300, 1000},
		{"closed without an outcome", `SELECT count(*) FROM callbacks cb WHERE state IN ('done', 'cancelled')
			AND NOT EXISTS (SELECT 1 FROM call_outcomes WHERE callback_id = cb.id)`, 0, 0},
		{"for DNC customers", `SELECT count(*) FROM callbacks cb JOIN customers c ON c.id = cb.customer_id WHERE c.dnc = 1`, 0, 0},
		{"audited", `SELECT count(*) FROM callbacks cb WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE entity = 'callback' AND entity_id = cb.id AND action = 'create')`, 0, 0},
	}
	args := map[string][]any{"minji's": {f.minji.ID}, "junho's": {f.junho.ID}, "overdue": {now}, "due within 10 minutes": {now, now}}
	for _, c := range checks {
		if n := f.count(t, c.query, args[c.what]...); n < c.min || n > c.max {
			t.Errorf("%s: %d, want %d..%d", c.what, n, c.min, c.max)
		}
	}
}

func TestListIsMineAndPoolInNextBestOrder(t *testing.T) {
	f := newFixture(t, 300, true)
	items, err := listAll(f, f.minji)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatal("empty queue")
	}
	for i, c := range items {
		if c.Owner != "" && c.Owner != "minji" {
			t.Errorf("junho's callback %d in minji's queue", c.ID)
		}
		if c.CustomerName == "" || c.Phone.E164 == "" {
			t.Errorf("callback %d lacks its customer or phone: %+v", c.ID, c)
		}
		if i == 0 {
			continue
		}
		p := items[i-1]
		po, co := p.Overdue(testNow), c.Overdue(testNow)
		switch {
		case po != co:
			if !po {
				t.Errorf("overdue %d after not-overdue %d", c.ID, p.ID)
			}
		case p.Priority != c.Priority:
			if p.Priority > c.Priority {
				t.Errorf("priority %d (%d) before %d (%d)", p.Priority, p.ID, c.Priority, c.ID)
			}
		case !p.Due.Equal(c.Due):
			if p.Due.After(c.Due) {
				t.Errorf("due %s before %s at the same priority", p.Due, c.Due)
			}
		case p.Pool() && !c.Pool():
			t.Errorf("pool %d before personal %d at the same due time", p.ID, c.ID)
		}
	}
}

func TestAddValidates(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	cust := f.callableCustomer(t, 0)
	var dnc int64
	f.DB.QueryRow(`SELECT id FROM customers WHERE dnc = 1 LIMIT 1`).Scan(&dnc)
	if dnc == 0 {
		f.DB.Exec(`UPDATE customers SET dnc = 1 WHERE id = ?`, f.callableCustomer(t, 1))
		f.DB.QueryRow(`SELECT id FROM customers WHERE dnc = 1 LIMIT 1`).Scan(&dnc)
	}
	var noConsent int64
	f.DB.QueryRow(`SELECT id FROM customers WHERE dnc = 0 AND id <> ? ORDER BY id LIMIT 1`, cust).Scan(&noConsent)
	f.DB.Exec(`UPDATE customers SET consent_marketing = 0 WHERE id = ?`, noConsent)
	f.DB.Exec(`UPDATE customers SET consent_marketing = 1 WHERE id = ?`, cust)
	due := testNow.Add(time.Hour)
	cases := []struct {
		n    NewCallback
		want string
	}{
		{NewCallback{CustomerID: 99999, Due: due}, "not found"},
		{NewCallback{CustomerID: dnc, Due: due}, "do-not-call"},
		{NewCallback{CustomerID: cust}, "due time"},
		{NewCallback{CustomerID: cust, Due: due, Priority: 9}, "priority 9"},
		{NewCallback{CustomerID: cust, Due: due, Kind: "telemarketing"}, `kind "telemarketing"`},
		{NewCallback{CustomerID: noConsent, Due: due, Kind: "marketing"}, "has not consented to marketing"},
		{NewCallback{CustomerID: cust, Due: due, OwnerID: 777}, "not found"},
		{NewCallback{CustomerID: cust, Due: due, PhoneID: 999999}, "not a number of customer"},
	}
	for _, c := range cases {
		if _, err := f.Add(ctx, f.sora, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%+v): %v, want %q", c.n, err, c.want)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks`); n != 0 {
		t.Errorf("%d callbacks written by refused adds", n)
	}
	if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: noConsent, Due: due, Kind: "service"}); err != nil {
		t.Errorf("a service callback needs no consent: %v", err)
	}
	if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: due, Kind: "marketing"}); err != nil {
		t.Errorf("a marketing callback for a customer who consented: %v", err)
	}
	cb, err := f.Add(ctx, f.sora, NewCallback{CustomerID: cust, Due: due, OwnerID: f.minji.ID, Reason: " 배송 확인 "})
	if err != nil {
		t.Fatal(err)
	}
	if cb.State != Scheduled || cb.Owner != "minji" || cb.Priority != 3 || cb.MaxAttempts != DefaultMaxAttempts ||
		cb.Reason != "배송 확인" || cb.CreatedBy != "sora" || !cb.Due.Equal(due) {
		t.Errorf("added callback = %+v", cb)
	}
	trail, _ := f.CRM.AuditTrail(ctx, "callback", cb.ID)
	if len(trail) != 1 || trail[0].Actor.Name != "sora" || trail[0].To != "scheduled" {
		t.Errorf("audit = %+v", trail)
	}
	if _, err := f.Get(ctx, 424242); err == nil || !strings.Contains(err.Error(), crm.ErrNotFound.Error()) {
		t.Errorf("Get(unknown) = %v", err)
	}
}
