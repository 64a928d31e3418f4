package campaign

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
	"github.com/dangol/dangol/queue"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var kst = time.FixedZone("KST", 9*3600)

// testNow is 14:00 in Seoul: inside every calling window.
var testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, kst)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// fixture is a demo database (customers, no callbacks) with campaigns on
// a settable clock.
type fixture struct {
	*Service
	clock       *clock
	sora, minji crm.Agent // a supervisor, an agent
	junho       crm.Agent
}

func newFixture(t testing.TB, customers int) *fixture {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, pgtest.Target(t, "campaign.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	clk := &clock{t: testNow}
	c := crm.New(d)
	c.Now = clk.Now
	if err := c.Seed(ctx, crm.SeedOptions{Customers: customers, Now: testNow, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	q := queue.New(d, c)
	q.Now = clk.Now
	f := &fixture{Service: New(q), clock: clk}
	f.Now = clk.Now
	for _, p := range []struct {
		a    *crm.Agent
		name string
	}{{&f.sora, "sora"}, {&f.minji, "minji"}, {&f.junho, "junho"}} {
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

func (f *fixture) ids(t testing.TB, query string, args ...any) []int64 {
	t.Helper()
	ids, err := crm.IDs(context.Background(), f.DB, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return ids
}
