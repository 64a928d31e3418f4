package queue

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
)

// ranStmt is a statement a call ran, with its arguments.
type ranStmt struct {
	query string
	args  []any
}

// tracing records what the database runs until the test ends.
func tracing(t *testing.T, d *db.DB) func() []ranStmt {
	var mu sync.Mutex
	var ran []ranStmt
	d.Trace(func(q string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, ranStmt{q, slices.Clone(args)})
	})
	t.Cleanup(func() { d.Trace(nil) })
	return func() []ranStmt {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(ran)
	}
}

// planRule is what a hot statement's plan must show: the statements whose
// text holds match use every index in want and sort nothing an index
// gives in order.
type planRule struct {
	name, match string
	want        []string
}

// checkPlans plans every statement ran and checks each against the first
// rule it matches; every rule must have matched a statement.
func checkPlans(t *testing.T, d *db.DB, ran []ranStmt, rules []planRule) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]int{}
	for _, s := range ran {
		for _, r := range rules {
			if !strings.Contains(s.query, r.match) {
				continue
			}
			seen[r.name]++
			p, err := db.Plan(ctx, d.Read, s.query, s.args...)
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			for _, w := range r.want {
				if !strings.Contains(p, w) {
					t.Errorf("%s does not use %s:\n%s\n%s", r.name, w, s.query, p)
				}
			}
			if strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN cb") {
				t.Errorf("%s sorts or scans:\n%s\n%s", r.name, s.query, p)
			}
			break
		}
	}
	for _, r := range rules {
		if seen[r.name] == 0 {
			t.Errorf("no statement ran for %s (%q)", r.name, r.match)
		}
	}
}

// TestTheHotQueriesReadTheirIndexes: each statement of a hot path (the
// claims, the refresh before them, the queue's and the team's windows and
// counts, the sweep) is planned on the index meant for it, and none sorts
// or scans callbacks: their cost follows what they return, not the table.
func TestTheHotQueriesReadTheirIndexes(t *testing.T) {
	f := newFixture(t, 300, true)
	ctx := context.Background()
	ran := tracing(t, f.DB)
	if _, err := f.ClaimNext(ctx, f.minji); err != nil {
		t.Fatal(err)
	}
	mine, err := listAll(f, f.junho)
	if err != nil || len(mine) == 0 {
		t.Fatalf("junho's queue: %d, %v", len(mine), err)
	}
	if _, err := f.Claim(ctx, f.junho, mine[len(mine)-1].ID); err != nil {
		t.Logf("a claim refused is planned too: %v", err)
	}
	for _, a := range []struct {
		who  string
		team bool
	}{{"minji", false}, {"sora", true}} {
		agent := f.minji
		if a.team {
			agent = f.sora
		}
		if _, err := f.Window(ctx, agent, Listing{Team: a.team, AsOf: testNow}, nil, 0, 20); err != nil {
			t.Fatalf("%s's window: %v", a.who, err)
		}
	}
	f.clock.Add(3 * time.Hour)
	if _, err := f.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	checkPlans(t, f.DB, ran(), []planRule{
		{"claim next", "ORDER BY cb.priority, cb.due_at", []string{"callbacks_ready (state=? AND ready=?)"}},
		{"claim one", "WHERE id = ? AND state = 'scheduled'", []string{"INTEGER PRIMARY KEY"}},
		{"the refresh before a claim", "WHERE state = 'scheduled' AND flip_at <= ?", []string{"callbacks_flip"}},
		{"a window's run", "ORDER BY cb.due_at, (cb.owner_id IS NULL), cb.id LIMIT ?", []string{"callbacks_window (priority=? AND due_at"}},
		{"a list's counts", "SELECT count(*), coalesce(sum(CASE WHEN cb.due_at <= ?", nil},
		{"the sweep's check", "SELECT\n\t\tEXISTS", []string{"callbacks_owner_due (owner_id=? AND state=? AND due_at<?)"}},
		{"the sweep's moves", "CROSS JOIN callbacks cb\n\t\t\tWHERE cb.owner_id = a.id", []string{"callbacks_owner_due (owner_id=? AND state=?)"}},
	})
}
