package queue

import (
	"context"
	"testing"

	"github.com/dangol/dangol/crm"
)

func TestPlantedHabitsAreFoundOnHeldOutCalls(t *testing.T) {
	// The bench's seed: customers and their planted past of calls, nothing
	// else. Half of each planted customer's calls are held out: the
	// suggestions from the other half must clear the bar.
	f := newFixture(t, 4000, false)
	ctx := context.Background()
	planted, err := f.SeedHabits(ctx, testNow, Habits{Band: DemoHabits.Band, Flat: DemoHabits.Flat, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	var banded int
	for _, b := range planted {
		if b >= 0 {
			banded++
		}
	}
	people, err := f.CRM.Plantings(ctx, planted)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != len(planted) || banded < 1000 {
		t.Fatalf("%d customers planted (%d with a band), %d with calls read back", len(planted), banded, len(people))
	}
	for _, p := range people {
		if n := len(p.Calls); n < 8 || n > 15 {
			t.Fatalf("a planted customer with %d calls, want 8–15", n)
		}
	}
	h := crm.CheckHeldOut(people)
	t.Logf("the bench's seed: %s", h)
	if short := h.Shortfall(); short != "" {
		t.Error(short)
	}
	// No one was given days of their own: the days claim little.
	flat := make([]crm.Planting, len(people))
	for i, p := range people {
		flat[i] = crm.Planting{Band: -1, Calls: p.Calls}
	}
	d := crm.CheckHeldOutDays(flat)
	t.Logf("the days on the same calls: %s", d)
	if d.FlatShare() > crm.MaxFlatSuggested {
		t.Errorf("days suggested for %.1f %% of customers given none", 100*d.FlatShare())
	}
}
