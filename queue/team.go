package queue

import (
	"time"
)

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
	Campaign int64 // only those a retention campaign booked; 0 any
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
