package queue

import (
	"cmp"
	"strings"
	"time"
)

// The tests' model of a listing, in Go: what the SQL of window.go must
// agree with, row for row.

// Match reports whether cb passes the filter at now.
func (f TeamFilter) Match(cb Callback, now time.Time) bool {
	switch {
	case f.Pool && !cb.Pool(), f.Owner != "" && cb.Owner != f.Owner:
		return false
	case f.State != "" && cb.State != f.State, f.Kind != "" && cb.Kind != f.Kind, f.Tier != "" && cb.Tier != f.Tier:
		return false
	case f.Overdue && !cb.Overdue(now), f.Campaign != 0 && cb.CampaignID != f.Campaign:
		return false
	case !f.DueFrom.IsZero() && cb.Due.Before(f.DueFrom), !f.DueTo.IsZero() && !cb.Due.Before(f.DueTo):
		return false
	}
	if f.Text != "" {
		t := strings.ToLower(f.Text)
		if !strings.Contains(strings.ToLower(cb.Reason), t) && !strings.Contains(strings.ToLower(cb.CustomerName), t) {
			return false
		}
	}
	if f.Blocked != "" || f.AnyBlock {
		b := Check(cb, now).Reason
		if b == BlockNone || (f.Blocked != "" && b != f.Blocked) {
			return false
		}
	}
	return true
}

// CompareBy orders two callbacks by one column (0 for SortNext: the order
// they came in).
func CompareBy(by SortKey) func(a, b Callback) int {
	return func(a, b Callback) int {
		switch by {
		case SortDue:
			return a.Due.Compare(b.Due)
		case SortPriority:
			return cmp.Compare(a.Priority, b.Priority)
		case SortCustomer:
			return strings.Compare(a.CustomerName, b.CustomerName)
		case SortOwner:
			return strings.Compare(a.Owner, b.Owner)
		case SortState:
			return strings.Compare(string(a.State), string(b.State))
		case SortKind:
			return strings.Compare(a.Kind, b.Kind)
		case SortAttempts:
			return cmp.Compare(a.Attempts, b.Attempts)
		case SortTier:
			return cmp.Compare(tierRank(a.Tier), tierRank(b.Tier))
		case SortReason:
			return strings.Compare(a.Reason, b.Reason)
		}
		return 0
	}
}

// nextBest is the next-best order in Go: overdue first, then by priority,
// due time, the agent's own before the pool's, and id.
func nextBest(a, b Callback, now time.Time) bool {
	if ao, bo := !a.Due.After(now), !b.Due.After(now); ao != bo {
		return ao
	}
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	if ap, bp := a.Pool(), b.Pool(); ap != bp {
		return bp
	}
	return a.ID < b.ID
}
