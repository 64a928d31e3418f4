package campaign

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/problem"
)

// A segment expression picks customers: terms joined by commas, each
// true for the customer ("tier=gold,last_purchase>90d"). Keys:
//
//	tier=CODE            the membership tier (gold|vip: either)
//	segment=NAME         the RFM segment of the last scoring (at_risk, loyal, …)
//	churn=yes|no         the churn flag of the last scoring
//	last_purchase>90d    days since the last purchase (>, >=, <, <=) of those who bought; =none: never bought
//	points>=1000         the points balance (=, !=, >, >=, <, <=)
//	consent=marketing    a consent given (marketing, sms, email)
//	lang=ko              the customer's language
//
// = and != take alternatives with |.

// term is one condition, parsed.
type term struct {
	key, op string
	values  []string
	n       int64 // a number (points) or days (last_purchase)
}

// Expr is a parsed segment expression.
type Expr struct {
	Text  string
	terms []term
}

// UsesScores reports whether the expression reads the scoring (segment,
// churn), which must then be recent.
func (e Expr) UsesScores() bool {
	return slices.ContainsFunc(e.terms, func(t term) bool { return t.key == "segment" || t.key == "churn" })
}

var termRE = regexp.MustCompile(`^\s*([a-z_]+)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$`)

var segments = []string{crm.SegmentChampion, crm.SegmentLoyal, crm.SegmentNew, crm.SegmentPromising,
	crm.SegmentAtRisk, crm.SegmentHibernating, crm.SegmentRegular, crm.SegmentNone}

// keys are the keys an expression may use, with the operators each takes.
var keys = map[string]string{
	"tier": "= !=", "segment": "= !=", "churn": "=", "last_purchase": "> >= < <= =", "points": "= != > >= < <=",
	"consent": "=", "lang": "= !=",
}

func keyNames() string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// ParseExpr reads a segment expression; tiers are the tier codes that
// exist. A bad term is one line that says which and what would do.
func ParseExpr(text string, tiers []string) (Expr, error) {
	e := Expr{Text: strings.TrimSpace(text)}
	if e.Text == "" {
		return e, problem.New("segment_empty", "a campaign needs a segment, such as segment=at_risk or tier=gold,last_purchase>90d")
	}
	for _, raw := range strings.Split(e.Text, ",") {
		m := termRE.FindStringSubmatch(raw)
		if m == nil {
			return e, problem.New("segment_term", "segment %q: each term is KEY=VALUE, KEY>VALUE …, joined by commas", clip(raw))
		}
		t := term{key: m[1], op: m[2]}
		ops, ok := keys[t.key]
		if !ok {
			return e, problem.New("segment_key", "segment %q: unknown key %q; use %s", clip(raw), clip(t.key), keyNames())
		}
		if !slices.Contains(strings.Fields(ops), t.op) {
			return e, problem.New("segment_op", "segment %q: %s takes %s", clip(raw), t.key, ops)
		}
		if allowed, ok := t.parseValue(m[3], tiers); !ok { // an empty value never is
			return e, problem.New("segment_value", "segment %q: %s takes %s", clip(raw), t.key, allowed)
		}
		e.terms = append(e.terms, t)
	}
	return e, nil
}

// parseValue reads a term's value; when it will not do, it returns what
// would (the values the key takes).
func (t *term) parseValue(v string, tiers []string) (string, bool) {
	oneOf := func(allowed []string) (string, bool) {
		t.values = strings.Split(v, "|")
		for _, x := range t.values {
			if !slices.Contains(allowed, x) {
				return strings.Join(allowed, ", "), false
			}
		}
		return "", true
	}
	switch t.key {
	case "tier":
		return oneOf(tiers)
	case "segment":
		return oneOf(segments)
	case "churn":
		return oneOf([]string{"yes", "no"})
	case "consent":
		return oneOf([]string{"marketing", "sms", "email"})
	case "lang":
		return oneOf([]string{"ko", "en"})
	case "points":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return "0, 1000, …", false
		}
		t.n = n
	case "last_purchase":
		if v == "none" && t.op == "=" {
			t.values = []string{"none"}
			return "", true
		}
		d, ok := strings.CutSuffix(v, "d")
		n, err := strconv.ParseInt(d, 10, 64)
		if !ok || err != nil || n < 0 || n > 36500 || t.op == "=" {
			return ">90d, <=30d, =none", false
		}
		t.n = n
	}
	return "", true
}

// clip keeps what a message quotes of the input short.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// where writes the expression as SQL conditions on customers c and
// customer_scores s, at now.
func (e Expr) where(now time.Time) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, t term, vals []any) {
		not := ""
		if t.op == "!=" {
			not = "NOT "
		}
		conds = append(conds, col+" "+not+"IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		args = append(args, vals...)
	}
	strs := func(vs []string) []any {
		out := make([]any, len(vs))
		for i, v := range vs {
			out[i] = v
		}
		return out
	}
	for _, t := range e.terms {
		switch t.key {
		case "tier":
			in("c.tier", t, strs(t.values))
		case "lang":
			in("c.lang", t, strs(t.values))
		case "segment":
			in("s.segment", t, strs(t.values))
		case "churn":
			var vals []any
			for _, v := range t.values {
				vals = append(vals, map[string]int{"yes": 1, "no": 0}[v])
			}
			in("s.churn", t, vals)
		case "consent":
			for _, v := range t.values {
				conds = append(conds, "c.consent_"+v+" = 1") // v is one of three known words
			}
		case "points":
			op := t.op
			if op == "!=" {
				op = "<>"
			}
			conds, args = append(conds, "c.points "+op+" ?"), append(args, t.n)
		case "last_purchase":
			bought := func(since int64) string {
				args = append(args, since)
				return "EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = c.id AND p.amount > 0 AND p.purchased_at > ?)"
			}
			day := int64(24 * time.Hour / time.Second)
			switch t.op {
			case "=": // none
				conds = append(conds, "NOT "+everBought)
			case ">": // bought once, but not in the last n+1 days
				conds = append(conds, everBought, "NOT "+bought(now.Unix()-(t.n+1)*day))
			case ">=":
				conds = append(conds, everBought, "NOT "+bought(now.Unix()-t.n*day))
			case "<":
				conds = append(conds, bought(now.Unix()-t.n*day))
			case "<=":
				conds = append(conds, bought(now.Unix()-(t.n+1)*day))
			}
		}
	}
	return strings.Join(conds, " AND "), args
}

// everBought is true for a customer who bought at least once.
const everBought = "EXISTS (SELECT 1 FROM purchases p WHERE p.customer_id = c.id AND p.amount > 0)"
