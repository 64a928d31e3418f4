package queue

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
)

// TeamCallbacks lists every open callback of the team (scheduled and
// claimed, personal and pool) for a supervisor's table, in next-best order
// at now. The table filters and sorts them in memory (TeamFilter,
// SortCallbacks), so a filter change never waits for the database.
func (s *Service) TeamCallbacks(ctx context.Context, actor crm.Agent) ([]Callback, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "team"); err != nil {
		return nil, err
	}
	cbs, err := queryCallbacks(ctx, s.DB.Read, callbackSelect+` WHERE cb.state IN ('scheduled', 'claimed')`+nextBestOrder,
		s.now().Unix())
	return cbs, s.DB.Describe(err)
}

// TeamFilter picks callbacks of the team table; the zero value takes every
// open callback.
type TeamFilter struct {
	Owner   string      // an agent's login name; "" any
	Pool    bool        // only the pool
	State   State       // scheduled or claimed; "" either
	Kind    string      // service, complaint, sales, marketing; "" any
	Text    string      // part of the reason or of the customer's name, any case
	Overdue bool        // only those due before now
	DueFrom time.Time   // due at or after (zero: no bound)
	DueTo   time.Time   // due before (zero: no bound)
	Tier    string      // the customer's tier code; "" any
	Blocked BlockReason // only those a calling rule blocks for this reason
	// AnyBlock takes every blocked callback, whatever the reason.
	AnyBlock bool
}

// Match reports whether cb passes the filter at now.
func (f TeamFilter) Match(cb Callback, now time.Time) bool {
	switch {
	case f.Pool && !cb.Pool(), f.Owner != "" && cb.Owner != f.Owner:
		return false
	case f.State != "" && cb.State != f.State, f.Kind != "" && cb.Kind != f.Kind, f.Tier != "" && cb.Tier != f.Tier:
		return false
	case f.Overdue && !cb.Overdue(now):
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

// SortKey names a column of the team table.
type SortKey string

// The columns the team table sorts by.
const (
	SortNext     SortKey = ""         // next-best order, as loaded
	SortDue      SortKey = "due"      // due time
	SortPriority SortKey = "priority" // 1 first
	SortCustomer SortKey = "customer"
	SortOwner    SortKey = "owner" // the pool first
	SortState    SortKey = "state"
	SortKind     SortKey = "kind"
	SortAttempts SortKey = "attempts"
	SortTier     SortKey = "tier"
	SortReason   SortKey = "reason"
)

// SortKeys lists the sort keys in the order the table cycles them.
var SortKeys = []SortKey{SortNext, SortDue, SortPriority, SortCustomer, SortOwner, SortState, SortKind, SortAttempts, SortTier, SortReason}

// SortCallbacks orders cbs by a column, stably (ties keep next-best
// order), descending when desc.
func SortCallbacks(cbs []Callback, by SortKey, desc bool) {
	if by == SortNext && !desc {
		return
	}
	cmpFn := CompareBy(by)
	if desc {
		slices.SortStableFunc(cbs, func(a, b Callback) int { return -cmpFn(a, b) })
		if by == SortNext {
			slices.Reverse(cbs)
		}
		return
	}
	slices.SortStableFunc(cbs, cmpFn)
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

// tierRank orders tiers from the most valuable.
func tierRank(code string) int {
	switch code {
	case "vip":
		return 0
	case "gold":
		return 1
	case "silver":
		return 2
	}
	return 3
}
