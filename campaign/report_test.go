package campaign

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// plant gives each member of a group a purchase in the measured days with
// probability p (from seed), after clearing what an earlier planting left.
func (f *fixture) plant(t testing.TB, campaign int64, grp string, p float64, seed uint64) {
	t.Helper()
	ctx := context.Background()
	ids := f.ids(t, `SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND grp = ? ORDER BY customer_id`, campaign, grp)
	r := rand.New(rand.NewPCG(seed, uint64(len(grp))))
	var vals []string
	var args []any
	for _, id := range ids {
		if r.Float64() < p {
			at := testNow.Add(time.Duration(1+r.IntN(28*24)) * time.Hour).Unix()
			vals = append(vals, "(?, 'planted', 50000, 'store', ?, ?)")
			args = append(args, id, at, at)
		}
	}
	err := f.DB.Tx(ctx, func(tx *db.Tx) error {
		// Cleared to nothing rather than deleted: a delete checks every
		// points row for a reference to it.
		if _, err := tx.ExecContext(ctx, `UPDATE purchases SET amount = 0, item = 'cleared' WHERE item = 'planted' AND customer_id IN
			(SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND grp = ?)`, campaign, grp); err != nil {
			return err
		}
		for vals, args := vals, args; len(vals) > 0; vals, args = vals[min(200, len(vals)):], args[3*min(200, len(vals)):] {
			n := min(200, len(vals))
			if _, err := tx.ExecContext(ctx, `INSERT INTO purchases(customer_id, item, amount, channel, purchased_at, created_at) VALUES `+
				strings.Join(vals[:n], ", "), args[:3*n]...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReportTellsTheTruthOnPlantedData(t *testing.T) {
	f := newFixture(t, 1500)
	ctx := context.Background()
	out, err := f.Create(ctx, f.sora, Spec{Name: "planted", Segment: "points>=0", Kind: "service", ControlPct: 30, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d called, %d held out", out.Contact, out.Control)

	// Before the measured days are over: too early, whatever the data.
	f.plant(t, out.ID, "contact", 0.40, 1)
	f.plant(t, out.ID, "control", 0.20, 2)
	f.clock.t = testNow.AddDate(0, 0, 10)
	r, err := f.Report(ctx, f.sora, "planted")
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != VerdictTooEarly || !strings.Contains(r.Words, "too early") {
		t.Errorf("day 10: %s (%s), want too early", r.Verdict, r.Words)
	}

	// A real effect (20 % → 40 %) is reported, with an interval around it.
	f.clock.t = testNow.AddDate(0, 0, 31)
	r, err = f.Report(ctx, f.sora, "planted")
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != VerdictRaised || !strings.Contains(r.Words, "calls raised repeat purchases by") || r.Effect.Lo > 20 || r.Effect.Hi < 20 {
		t.Errorf("a planted 20-point effect: %s, %+v (%s)", r.Verdict, r.Effect, r.Words)
	}
	if r.Contact.Size != out.Contact || r.Control.Size != out.Control || r.Contact.Spend != int64(r.Contact.Bought.Num)*50000 {
		t.Errorf("groups %d/%d, spend %d for %d buyers", r.Contact.Size, r.Control.Size, r.Contact.Spend, r.Contact.Bought.Num)
	}
	t.Logf("effect: %s", r.Words)

	// No effect, many seeds: an "effect" verdict at most about as often as
	// the interval's 5 % allows.
	runs := 100
	if pgtest.Engine() != "sqlite" {
		runs = 40 // each planting is a durable server round trip per statement
	}
	false_ := 0
	var took time.Duration
	for seed := range runs {
		f.plant(t, out.ID, "contact", 0.25, uint64(1000+seed))
		f.plant(t, out.ID, "control", 0.25, uint64(5000+seed))
		start := time.Now()
		r, err := f.Report(ctx, f.sora, "planted")
		if err != nil {
			t.Fatal(err)
		}
		took += time.Since(start)
		switch r.Verdict {
		case VerdictRaised, VerdictLowered:
			false_++
		case VerdictNone:
			if !strings.HasPrefix(r.Words, "no measurable effect on repeat purchases") {
				t.Fatalf("words %q", r.Words)
			}
		default:
			t.Fatalf("verdict %s", r.Verdict)
		}
	}
	if limit := runs/20 + 4; false_ > limit {
		t.Errorf("%d false effects in %d runs without one, want at most %d", false_, runs, limit)
	}
	t.Logf("no effect: %d false verdicts in %d runs (reports took %v)", false_, runs, took)
}
