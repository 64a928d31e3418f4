package campaign

import (
	"strings"
	"testing"
	"time"
)

var tierCodes = []string{"basic", "silver", "gold", "vip"}

func TestParseExprReadsWhatSupervisorsWrite(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in, sql string
		scores  bool
	}{
		{"tier=gold", "c.tier IN (?)", false},
		{"tier=gold|vip, segment=at_risk", "c.tier IN (?, ?) AND s.segment IN (?)", true},
		{"churn=yes", "s.churn IN (?)", true},
		{"tier!=basic", "c.tier NOT IN (?)", false},
		{"points>=1000", "c.points >= ?", false},
		{"points!=0", "c.points <> ?", false},
		{"consent=marketing,lang=en", "c.consent_marketing = 1 AND c.lang IN (?)", false},
		{"last_purchase=none", "NOT EXISTS", false},
		{"last_purchase>90d", "NOT EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = c.id AND p.amount > 0 AND p.purchased_at > ?)", false},
	} {
		e, err := ParseExpr(c.in, tierCodes)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		sql, _ := e.where(now)
		if !strings.Contains(sql, c.sql) {
			t.Errorf("%q: SQL %q, want it to hold %q", c.in, sql, c.sql)
		}
		if e.UsesScores() != c.scores {
			t.Errorf("%q: uses scores %v, want %v", c.in, e.UsesScores(), c.scores)
		}
	}
	for _, c := range []struct{ in, says string }{
		{"", "needs a segment"},
		{"tier", "KEY=VALUE"},
		{"colour=red", `unknown key "colour"`},
		{"tier=platinum", `tier takes basic, silver, gold, vip`},
		{"segment=at-risk", "at_risk"},
		{"churn>yes", "churn takes ="},
		{"points>=lots", "points takes 0, 1000"},
		{"last_purchase>90", "last_purchase takes >90d"},
		{"last_purchase=90d", "=none"},
		{"tier=", "tier takes basic"},
		{"tier=gold,,", "KEY=VALUE"},
		{"tier=\x1b[31mgold", "takes basic"},
	} {
		_, err := ParseExpr(c.in, tierCodes)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v, want an error saying %q", c.in, err, c.says)
		}
	}
}

func TestSplitHoldsOutItsShareReproducibly(t *testing.T) {
	ids := make([]int64, 1000)
	for i := range ids {
		ids[i] = int64(3*i + 7)
	}
	control, contact := Split(ids, 10, 42)
	if len(control) != 100 || len(contact) != 900 {
		t.Fatalf("split %d/%d, want 100/900", len(control), len(contact))
	}
	again, _ := Split(ids, 10, 42)
	other, _ := Split(ids, 10, 43)
	same, differ := true, false
	for i := range control {
		same = same && again[i] == control[i]
		differ = differ || other[i] != control[i]
	}
	if !same || !differ {
		t.Errorf("the same seed gave another split (%v), or another seed the same (%v)", !same, !differ)
	}
	seen := map[int64]bool{}
	for _, id := range append(control, contact...) {
		if seen[id] {
			t.Fatalf("customer %d in both groups", id)
		}
		seen[id] = true
	}
	if c, k := Split([]int64{1, 2}, 10, 1); len(c) != 1 || len(k) != 1 {
		t.Errorf("two customers split %v/%v, want one each", c, k)
	}
}
