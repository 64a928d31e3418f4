package crm

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// demoNow is the fixed present of every test's demo data.
var demoNow = time.Date(2026, 11, 23, 14, 0, 0, 0, time.FixedZone("KST", 9*3600))

// newDemo opens a fresh database file in a temp dir, seeded with n customers.
func newDemo(t testing.TB, n int) *Service {
	t.Helper()
	d, err := db.Open(context.Background(), pgtest.Target(t, "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	s := New(d)
	s.Now = func() time.Time { return demoNow }
	if err := s.Seed(context.Background(), SeedOptions{Customers: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return s
}

func agent(t testing.TB, s *Service, name string) Agent {
	t.Helper()
	a, err := s.AgentByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func count(t testing.TB, s *Service, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
