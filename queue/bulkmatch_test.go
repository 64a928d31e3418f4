package queue

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// snapshot is every callback's movable values, by id.
func snapshot(t *testing.T, f *fixture) map[int64]string {
	t.Helper()
	rows, err := f.DB.Query(`SELECT id, state, coalesce(owner_id, 0), due_at, priority, coalesce(claimed_by, 0) FROM callbacks`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id, owner, due, prio, claimant int64
		var state string
		if err := rows.Scan(&id, &state, &owner, &due, &prio, &claimant); err != nil {
			t.Fatal(err)
		}
		out[id] = fmt.Sprint(state, owner, due, prio, claimant)
	}
	return out
}

func TestBulkOverAllThatMatchAndItsUndo(t *testing.T) {
	f := windowFixture(t)
	ctx := context.Background()
	l := Listing{Filter: TeamFilter{Owner: "minji"}}
	held := 0
	for _, id := range idsWhere(t, f, `owner_id = ? AND state = 'scheduled' AND blocked = 0`, f.minji.ID) {
		if _, err := f.Claim(ctx, f.minji, id); err == nil {
			if held++; held == 2 {
				break
			}
		}
	}
	matching, err := f.Count(ctx, f.sora, Listing{Team: true, Filter: l.Filter})
	if err != nil {
		t.Fatal(err)
	}
	claimed := f.count(t, `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state = 'claimed'`, f.minji.ID)
	if matching.Total < 50 || claimed == 0 {
		t.Fatalf("the fixture should give minji many callbacks, some held: %d, %d claimed", matching.Total, claimed)
	}
	before := snapshot(t, f)
	audits := f.count(t, `SELECT count(*) FROM audit_log`)

	res, err := f.BulkMatching(ctx, f.sora, BulkOp{Action: BulkReassign, To: 0, Reason: "minji is off"}, l)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != matching.Total-claimed || res.Passed != claimed || len(res.Skipped) == 0 || res.Skipped[0].Why != SkipClaimed {
		t.Fatalf("moved %d, passed %d (%+v); want %d and the %d held", res.Changed, res.Passed, res.Skipped, matching.Total-claimed, claimed)
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks WHERE owner_id = ? AND state = 'scheduled'`, f.minji.ID); n != 0 {
		t.Errorf("%d of minji's scheduled callbacks were not moved", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log`) - audits; n != res.Changed+1 {
		t.Errorf("%d audit rows for %d moved callbacks and the bulk row", n, res.Changed)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'reassign' AND from_value = 'minji' AND to_value = 'pool'`); n != res.Changed {
		t.Errorf("%d reassign rows say minji → pool, want %d", n, res.Changed)
	}

	// Meanwhile junho claims one of the moved callbacks: the undo leaves it.
	taken, err := f.ClaimNext(ctx, f.junho)
	if err != nil {
		t.Fatal(err)
	}
	undo, err := f.Undo(ctx, f.sora)
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, f)
	changedByUndo := 0
	for id, was := range before {
		if id == taken.ID {
			continue
		}
		if after[id] != was {
			t.Errorf("callback %d is %s after the undo, was %s", id, after[id], was)
		}
		changedByUndo++
	}
	movedByJunho := f.count(t, `SELECT count(*) FROM bulk_items WHERE bulk_id = ? AND callback_id = ?`, res.Bulk, taken.ID)
	if undo.Changed != res.Changed-movedByJunho || undo.Passed != movedByJunho {
		t.Errorf("undo restored %d and passed %d; the action moved %d and junho took %d of them", undo.Changed, undo.Passed,
			res.Changed, movedByJunho)
	}
}

func TestBulkOverAllThatMatchKeepsTheCap(t *testing.T) {
	f := windowFixture(t)
	ctx := context.Background()
	if _, err := f.DB.Exec(`UPDATE agents SET max_active = 5 + (SELECT count(*) FROM callbacks
		WHERE owner_id = agents.id AND state IN ('scheduled', 'claimed')) WHERE id = ?`, f.junho.ID); err != nil {
		t.Fatal(err)
	}
	res, err := f.BulkMatching(ctx, f.sora, BulkOp{Action: BulkReassign, To: f.junho.ID}, Listing{Filter: TeamFilter{Pool: true}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 5 || res.Passed == 0 {
		t.Fatalf("junho had room for 5: moved %d, passed %d", res.Changed, res.Passed)
	}
	for _, sk := range res.Skipped {
		if sk.Why != SkipAtCap && sk.Why != SkipClaimed {
			t.Errorf("skipped %d as %s", sk.ID, sk.Why)
		}
	}
	// The five most urgent went.
	var worst int64
	f.DB.QueryRow(`SELECT max(CASE WHEN due_at <= ? THEN 0 ELSE 1 END * 10 + priority) FROM callbacks cb
		JOIN bulk_items bi ON bi.callback_id = cb.id WHERE bi.bulk_id = ?`, f.clock.t.Unix(), res.Bulk).Scan(&worst)
	var better int
	f.DB.QueryRow(`SELECT count(*) FROM callbacks WHERE owner_id IS NULL AND state = 'scheduled'
		AND CASE WHEN due_at <= ? THEN 0 ELSE 1 END * 10 + priority < ?`, f.clock.t.Unix(), worst).Scan(&better)
	if better > 0 {
		t.Errorf("%d pool callbacks more urgent than the ones moved stayed", better)
	}
	if _, err := f.BulkMatching(ctx, f.minji, BulkOp{Action: BulkCancel, Reason: "x"}, Listing{}); err == nil {
		t.Error("an agent cancelled all that match")
	}
	if _, err := f.BulkMatching(ctx, f.sora, BulkOp{Action: BulkDue, Due: f.clock.t.Add(-time.Hour)}, Listing{}); err == nil {
		t.Error("a due time in the past was taken")
	}
}

func idsWhere(t *testing.T, f *fixture, cond string, args ...any) []int64 {
	t.Helper()
	ids, err := queryIDs(context.Background(), f.DB, `SELECT id FROM callbacks WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
