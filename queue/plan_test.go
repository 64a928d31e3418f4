package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dangol/dangol/db/plantest"
)

// TestTheHotQueriesReadTheirIndexes: each statement of a hot path (the
// claims, the refresh before them, the queue's and the team's windows and
// counts, the sweep) is planned on the index meant for it, and none sorts
// or scans callbacks: their cost follows what they return, not the table.
func TestTheHotQueriesReadTheirIndexes(t *testing.T) {
	f := newFixture(t, 300, true)
	ctx := context.Background()
	ran := plantest.Record(t, f.DB)
	first, err := f.ClaimNext(ctx, f.minji)
	if err != nil {
		t.Fatal(err)
	}
	// A code that needs a note, with none: refused after counting the
	// call's notes; then without that rule, wrapped up.
	f.DB.Exec(`UPDATE dispositions SET needs_note = 1 WHERE code = 'no_answer'`)
	if _, err := f.Done(ctx, f.minji, first.ID, Wrapup{Disposition: "no_answer"}); !errors.As(err, new(NoteRequiredError)) {
		t.Fatalf("a wrap-up without its note: %v", err)
	}
	f.DB.Exec(`UPDATE dispositions SET needs_note = 0 WHERE code = 'no_answer'`)
	if _, err := f.Done(ctx, f.minji, first.ID, Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	f.tune(func(p *Policy) { p.BestTimeFirst = true })
	if _, err := f.ClaimNext(ctx, f.minji); err != nil {
		t.Fatal(err)
	}
	f.tune(func(p *Policy) { p.BestTimeFirst = false })
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
		w, err := f.Window(ctx, agent, Listing{Team: a.team, AsOf: testNow}, nil, 0, 20)
		if err != nil || len(w.Items) == 0 {
			t.Fatalf("%s's window: %d rows, %v", a.who, len(w.Items), err)
		}
		// Where the window's last row stands: the runs before it counted.
		if _, _, err := f.Place(ctx, agent, Listing{Team: a.team, AsOf: testNow}, &w.Items[len(w.Items)-1]); err != nil {
			t.Fatalf("%s's place: %v", a.who, err)
		}
	}
	f.clock.Add(3 * time.Hour)
	if _, err := f.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	growForPlans(t, f)
	plantest.Check(t, f.DB, ran(), []plantest.Rule{
		// The tie-break orders only the first fifty, taken in order
		// from the index.
		{Name: "claim next, best time first", Match: "c.due_at, NOT EXISTS (SELECT 1 FROM customer_scores",
			Want: []string{"callbacks_ready (state=? AND ready=?)", "SEARCH s USING INTEGER PRIMARY KEY", "callbacks_flip"},
			PG:   []string{" callbacks_ready ", " customer_scores_pkey ", " callbacks_flip "}, PGSorts: true},
		// Its gate (refreshGate) asks the first flip of callbacks_flip.
		{Name: "claim next", Match: "ORDER BY cb.priority, cb.due_at", Want: []string{"callbacks_ready (state=? AND ready=?)", "callbacks_flip"}},
		{Name: "claim one", Match: "WHERE id = ? AND state = 'scheduled'", Want: []string{"INTEGER PRIMARY KEY"}, PG: []string{" callbacks_pkey "}},
		// A wrap-up reads the call's own outcomes and notes, never every
		// call's (it once counted them over the whole table).
		{Name: "a wrap-up's attempt", Match: "(SELECT count(*) FROM call_outcomes WHERE callback_id = ?)", Want: []string{"call_outcomes_callback"}},
		{Name: "a wrap-up's note", Match: "SELECT count(*) FROM interactions WHERE callback_id = ?", Want: []string{"interactions_callback"}},
		{Name: "the refresh before a claim", Match: "WHERE state = 'scheduled' AND flip_at <= ?", Want: []string{"callbacks_flip"}},
		{Name: "whether a refresh is due", Match: "SELECT min(flip_at)", Want: []string{"callbacks_flip"}},
		{Name: "a window's run", Match: "ORDER BY cb.due_at, (cb.owner_id IS NULL), cb.id LIMIT ?", Want: []string{"callbacks_window (priority=? AND due_at"}},
		// A window's rows, read by id: one statement for any number of
		// them (PostgreSQL sorts the window's few by id).
		{Name: "a window's rows", Match: "WHERE cb.id IN (SELECT CAST(j.value AS BIGINT)",
			Want: []string{"SEARCH cb USING INTEGER PRIMARY KEY"}, PG: []string{" callbacks_pkey "}, PGSorts: true},
		{Name: "a list's counts", Match: "SELECT count(*), coalesce(sum(CASE WHEN cb.due_at <= ?", Want: nil},
		// A whole list's total is its owners' tallies; its overdue, and a
		// row's place among the overdue, are read up to the present along
		// whichever index, never every open callback.
		{Name: "the team's overdue", Match: "SELECT (SELECT count(*) FROM callbacks cb WHERE cb.priority = 1 AND", Bound: "due_at"},
		{Name: "an owner's overdue", Match: "WHERE cb.owner_id = ? AND cb.state IN ('scheduled', 'claimed') AND cb.due_at <= ?",
			Want: []string{"callbacks_owner_due (owner_id=? AND state=? AND due_at<?)"}},
		{Name: "the pool's overdue", Match: "WHERE cb.owner_id IS NULL AND cb.state IN ('scheduled', 'claimed') AND cb.due_at <= ?",
			Want: []string{"callbacks_owner_due (owner_id=? AND state=? AND due_at<?)"}},
		{Name: "an overdue run counted", Match: "AND cb.due_at <= ? ORDER BY cb.due_at, (cb.owner_id IS NULL), cb.id) x", Bound: "due_at"},
		{Name: "a later run counted", Match: "AND cb.due_at > ? ORDER BY cb.due_at, (cb.owner_id IS NULL), cb.id) x",
			Want: []string{"callbacks_window (priority=? AND due_at>?)"}},
		{Name: "the sweep's check", Match: "SELECT\n\t\tEXISTS", Want: []string{"callbacks_owner_due (owner_id=? AND state=? AND due_at<?)",
			"callbacks_campaign (campaign_id=? AND state=?)"}},
		// The calls of ended campaigns: the campaigns first, then their
		// calls; never every scheduled callback (as it once did).
		{Name: "the sweep's ended campaigns", Match: "cb.campaign_id IN (SELECT id FROM campaigns WHERE until_at <= ?) AND cb.state = 'scheduled' ORDER BY",
			Want: []string{"callbacks_campaign (campaign_id=? AND state=?)"}, Sorts: true},
		// The sweep sorts what it moves by id, the order it locks them in:
		// each is then written and audited, which costs more than its sort.
		{Name: "the sweep's moves", Match: "AND o.active <> 0 AND c.due_at < ?)",
			Want: []string{"callbacks_owner_due (owner_id=? AND state=?)"}, Sorts: true},
	}, "cb", "callbacks", "call_outcomes", "interactions")
}

// growForPlans gives PostgreSQL's planner a floor's proportions before the
// statements are planned: on the fixture's hundred callbacks it rightly
// reads a whole small table, or joins from another side, whatever the
// indexes. Each callback is copied, most as closed calls (the history a
// floor keeps), the rest as open ones of their agent or the pool: about
// 18,500 closed and 18,000 open. With a few thousand open, reading them
// all for an overdue count is cheap and the planner rightly does; the
// plans checked are those of a floor with many open, as the bench's.
// SQLite's plans do not depend on it.
func growForPlans(t *testing.T, f *fixture) {
	t.Helper()
	if f.DB.Engine().Name() != "postgres" {
		return
	}
	for _, q := range []string{
		`INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id, state, created_at, updated_at, campaign_id)
			SELECT customer_id, phone_id, kind, reason, priority, due_at - g * 3600, owner_id, 'done', created_at, updated_at, campaign_id
			FROM callbacks, generate_series(1, 400) g WHERE state = 'scheduled'`,
		`INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id, state, created_at, updated_at, campaign_id)
			SELECT customer_id, phone_id, kind, reason, priority, due_at + g * 3600, owner_id, 'scheduled', created_at, updated_at, campaign_id
			FROM callbacks, generate_series(1, 400) g WHERE state = 'scheduled'`,
	} {
		if _, err := f.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}
