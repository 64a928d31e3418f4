package queue

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
)

// windowFixture is the demo's callbacks and 240 more: every priority,
// due times that tie, personal and pool, some claimed, some blocked.
func windowFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, 300, true)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	owners := []int64{0, f.minji.ID, f.junho.ID}
	kinds := []string{"service", "complaint", "sales", "marketing"}
	for range 240 {
		due := testNow.Add(time.Duration(rng.IntN(12)-6) * 30 * time.Minute) // ties: 12 distinct times
		var owner *int64
		if o := owners[rng.IntN(3)]; o != 0 {
			owner = &o
		}
		_, err := f.DB.ExecContext(ctx, `INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id, created_at, updated_at)
			SELECT c.id, (SELECT id FROM phones WHERE customer_id = c.id ORDER BY invalid, is_primary DESC, id LIMIT 1),
				?, ?, ?, ?, ?, ?, ? FROM customers c WHERE c.id = ? AND c.dnc = 0`, kinds[rng.IntN(4)], fmt.Sprintf("reason %d %%_x", rng.IntN(9)),
			1+rng.IntN(5), due.Unix(), owner, testNow.Unix(), testNow.Unix(), 1+rng.IntN(300))
		if err != nil {
			t.Fatal(err)
		}
	}
	// A few claims, by minji and junho.
	for _, a := range []crm.Agent{f.minji, f.junho} {
		for range 3 {
			if _, err := f.ClaimNext(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// reference lists l the slow way: every open callback, filtered by
// TeamFilter.Match and sorted in Go.
func reference(t *testing.T, f *fixture, actor crm.Agent, l Listing) []Callback {
	t.Helper()
	all, err := queryCallbacks(context.Background(), f.DB.Read, callbackSelect+` WHERE cb.state IN ('scheduled', 'claimed')`)
	if err != nil {
		t.Fatal(err)
	}
	var out []Callback
	for _, cb := range all {
		if !l.Team && !(cb.Owner == actor.Name || cb.Pool() || cb.ClaimedBy == actor.Name) {
			continue
		}
		if l.Filter.Match(cb, l.AsOf) {
			out = append(out, cb)
		}
	}
	slices.SortFunc(out, func(a, b Callback) int {
		var c int
		if l.Order.By == SortNext {
			switch {
			case nextBest(a, b, l.AsOf):
				c = -1
			case nextBest(b, a, l.AsOf):
				c = 1
			}
		} else {
			c = cmp.Or(CompareBy(l.Order.By)(a, b), a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
		}
		if l.Order.Desc {
			return -c
		}
		return c
	})
	return out
}

func TestWindowsFollowTheOrder(t *testing.T) {
	f := windowFixture(t)
	ctx := context.Background()
	day := testNow.Truncate(24 * time.Hour)
	filters := []TeamFilter{{}, {Owner: "minji"}, {Pool: true}, {Overdue: true}, {State: Claimed}, {Kind: "complaint"},
		{Text: "REASON 3"}, {Text: "%_"}, {Tier: "gold"}, {DueFrom: day, DueTo: day.Add(24 * time.Hour)},
		{AnyBlock: true}, {Blocked: BlockWindow}, {Owner: "minji", Overdue: true}}
	rng := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for _, team := range []bool{true, false} {
		actor := f.sora
		if !team {
			actor = f.minji
		}
		for i, flt := range filters {
			sorts := SortKeys
			if i > 1 { // every order on two filters; the others in the orders an index serves and one it does not
				sorts = []SortKey{SortNext, SortDue, SortTier}
			}
			for _, by := range sorts {
				for _, desc := range []bool{false, true} {
					l := Listing{Team: team, Filter: flt, Order: Order{By: by, Desc: desc}, AsOf: testNow}
					name := fmt.Sprintf("team=%v %+v by=%q desc=%v", team, flt, by, desc)
					ref := reference(t, f, actor, l)
					checkListing(t, f, ctx, actor, l, ref, rng, name)
					checked += len(ref)
				}
			}
		}
	}
	if checked < 10000 {
		t.Errorf("the lists held %d rows in all: the fixture is too small to test anything", checked)
	}
}

func checkListing(t *testing.T, f *fixture, ctx context.Context, actor crm.Agent, l Listing, ref []Callback, rng *rand.Rand, name string) {
	t.Helper()
	overdue := 0
	for _, cb := range ref {
		if !cb.Due.After(l.AsOf) {
			overdue++
		}
	}
	c, err := f.Count(ctx, actor, l)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if c.Total != len(ref) || c.Overdue != overdue {
		t.Errorf("%s: counts %+v, want %d and %d overdue", name, c, len(ref), overdue)
	}
	// Paging forward and back from either end gives the whole list.
	for _, back := range []bool{false, true} {
		var got []Callback
		var from *Callback
		for range len(ref) + 2 {
			page, err := f.Page(ctx, actor, l, from, back, 29)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(page) == 0 {
				break
			}
			if back {
				got = append(append([]Callback{}, page...), got...)
				from = &page[0]
			} else {
				got = append(got, page...)
				from = &page[len(page)-1]
			}
		}
		if !slices.Equal(idsOf(got), idsOf(ref)) {
			t.Errorf("%s: paging (back=%v)\n got %v\nwant %v", name, back, idsOf(got), idsOf(ref))
			return
		}
	}
	// The rows around a row, then its place, as a console reads them.
	if len(ref) > 0 {
		k := rng.IntN(len(ref))
		items, back, err := f.Around(ctx, actor, l, &ref[k], 3, 4)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		at, c, err := f.Place(ctx, actor, l, &ref[k])
		lo, hi := max(0, k-3), min(len(ref), k+4)
		if err != nil || at != k || back != k-lo || c.Total != len(ref) || !slices.Equal(idsOf(items), idsOf(ref[lo:hi])) {
			t.Errorf("%s: around %d: %v (%d before), place %d of %d; want %v, %d of %d", name, k, idsOf(items), back, at,
				c.Total, idsOf(ref[lo:hi]), k, len(ref))
		}
	}
	if len(ref) == 0 {
		return
	}
	for range 3 {
		k := rng.IntN(len(ref))
		w, err := f.Window(ctx, actor, l, &ref[k], 4, 6)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lo, hi := max(0, k-4), min(len(ref), k+6)
		if w.Start != lo || w.At != k || !slices.Equal(idsOf(w.Items), idsOf(ref[lo:hi])) {
			t.Errorf("%s: window at %d: start %d %v, want %d %v", name, k, w.Start, idsOf(w.Items), lo, idsOf(ref[lo:hi]))
		}
	}
}

// A row that left the list still marks its place: the window around it
// starts where it was.
func TestWindowAroundARowThatLeft(t *testing.T) {
	f := windowFixture(t)
	ctx := context.Background()
	l := Listing{Order: Order{By: SortNext}, AsOf: testNow}
	ref := reference(t, f, f.minji, l)
	k := len(ref) / 2
	gone := ref[k]
	if _, err := f.DB.ExecContext(ctx, `UPDATE callbacks SET state = 'cancelled' WHERE id = ?`, gone.ID); err != nil {
		t.Fatal(err)
	}
	w, err := f.Window(ctx, f.minji, l, &gone, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]Callback{}, ref[k-2:k]...), ref[k+1:k+4]...)
	if w.Start != k-2 || !slices.Equal(idsOf(w.Items), idsOf(want)) || w.Total != len(ref)-1 {
		t.Errorf("window at a cancelled row: start %d %v total %d, want %d %v %d", w.Start, idsOf(w.Items), w.Total,
			k-2, idsOf(want), len(ref)-1)
	}
}

func TestTeamListingNeedsASupervisor(t *testing.T) {
	f := windowFixture(t)
	if _, err := f.Count(context.Background(), f.minji, Listing{Team: true}); err == nil {
		t.Error("an agent counted the team's callbacks")
	}
	if _, err := f.DB.Exec(`UPDATE agents SET active = 0 WHERE id = ?`, f.junho.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Page(context.Background(), f.junho, Listing{}, nil, false, 5); err == nil {
		t.Error("a deactivated agent read their queue")
	}
}
