package queue

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

var kst = time.FixedZone("KST", 9*3600)

// testNow is 14:00 in Seoul: inside every calling window.
var testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, kst)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }

// fixture is a demo database with a queue service on a settable clock.
type fixture struct {
	*Service
	clock              *clock
	minji, junho, sora crm.Agent
	yuna               crm.Agent // the admin
}

func newFixture(t testing.TB, customers int, withCallbacks bool) *fixture {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, pgtest.Target(t, "queue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	clk := &clock{t: testNow}
	c := crm.New(d)
	c.Now = clk.Now
	if err := c.Seed(ctx, crm.SeedOptions{Customers: customers, Now: testNow, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	s := New(d, c)
	s.Now = clk.Now
	if withCallbacks {
		if err := s.SeedDemo(ctx, testNow, 3); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{Service: s, clock: clk}
	for _, p := range []struct {
		a    *crm.Agent
		name string
	}{{&f.minji, "minji"}, {&f.junho, "junho"}, {&f.sora, "sora"}, {&f.yuna, "yuna"}} {
		if *p.a, err = c.AgentByName(ctx, p.name); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// callableCustomer returns a customer who may be called: not DNC, with a
// valid phone.
func (f *fixture) callableCustomer(t testing.TB, skip int) int64 {
	t.Helper()
	var id int64
	err := f.DB.QueryRow(`SELECT id FROM customers WHERE dnc = 0 AND tz = 'Asia/Seoul' ORDER BY id LIMIT 1 OFFSET ?`, skip).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// listAll is an agent's whole queue in next-best order, as pages would
// give it.
func listAll(f *fixture, a crm.Agent) ([]Callback, error) {
	return f.Page(context.Background(), a, Listing{}, nil, false, 1<<20)
}

// tune changes the service's policy for a test.
func (f *fixture) tune(change func(p *Policy)) {
	p := f.Policy()
	change(&p)
	f.SetPolicy(p)
}
