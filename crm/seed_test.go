package crm

import (
	"context"
	"strings"
	"testing"
)

func TestSeedIsBelievable(t *testing.T) {
	s := newDemo(t, 300)
	checks := []struct {
		what     string
		query    string
		min, max int
	}{
		{"customers", `SELECT count(*) FROM customers`, 300, 300},
		{"Korean names", `SELECT count(*) FROM customers WHERE lang = 'ko' AND substr(name, 1, 1) BETWEEN '가' AND '힣'`, 230, 290},
		{"English names", `SELECT count(*) FROM customers WHERE lang = 'en'`, 10, 70},
		{"Korean mobiles", `SELECT count(*) FROM phones WHERE e164 LIKE '+8210%'`, 250, 300},
		{"customers without a phone", `SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM phones WHERE customer_id = c.id)`, 0, 0},
		{"tiers above basic", `SELECT count(*) FROM customers WHERE tier <> 'basic'`, 20, 280},
		{"customers with points", `SELECT count(*) FROM customers WHERE points > 0`, 100, 300},
		{"purchases", `SELECT count(*) FROM purchases`, 600, 3000},
		{"open complaints", `SELECT count(*) FROM complaints WHERE status <> 'resolved'`, 5, 60},
		{"interactions", `SELECT count(*) FROM interactions`, 1500, 1500},
		{"channels used", `SELECT count(DISTINCT channel) FROM interactions`, 6, 6},
		{"last contact kept", `SELECT count(*) FROM customers c WHERE last_contact_at IS DISTINCT FROM (SELECT max(created_at) FROM interactions WHERE customer_id = c.id)`, 0, 0},
		{"ledger matches balance", `SELECT count(*) FROM customers c WHERE points <> coalesce((SELECT sum(delta) FROM loyalty_ledger WHERE customer_id = c.id), 0)`, 0, 0},
	}
	for _, c := range checks {
		if n := count(t, s, c.query); n < c.min || n > c.max {
			t.Errorf("%s: %d, want %d..%d", c.what, n, c.min, c.max)
		}
	}
	agents, err := s.Agents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, a := range agents {
		roles = append(roles, a.Name+":"+string(a.Role))
	}
	if got := strings.Join(roles, " "); got != "junho:agent minji:agent sora:supervisor yuna:admin" {
		t.Errorf("agents = %s", got)
	}
	if demo, _ := s.IsDemo(context.Background()); !demo {
		t.Error("a seeded database should be marked demo")
	}
}

func TestSeedRefusesFilledDatabase(t *testing.T) {
	s := newDemo(t, 5)
	err := s.Seed(context.Background(), SeedOptions{Customers: 5})
	if err == nil || !strings.Contains(err.Error(), "already has 5 customers") {
		t.Fatalf("second seed: %v", err)
	}
	if n := count(t, s, `SELECT count(*) FROM customers`); n != 5 {
		t.Errorf("customers = %d after a refused seed", n)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := newDemo(t, 30), newDemo(t, 30)
	q := `SELECT string_agg(name || points || tier, ',' ORDER BY id) FROM customers`
	var x, y string
	a.DB.QueryRow(q).Scan(&x)
	b.DB.QueryRow(q).Scan(&y)
	if x == "" || x != y {
		t.Errorf("two seeds with the same seed differ:\n%s\n%s", x, y)
	}
}
