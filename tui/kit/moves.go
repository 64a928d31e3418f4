package kit

import (
	"fmt"
	"strings"

	"github.com/dangol/dangol/crm"
)

// An agent's console says when someone else moved their work: callbacks
// that became theirs, and callbacks that stopped being theirs (moved to
// another agent or the pool, cancelled, a claim freed by a supervisor, a
// lease that ran out). The queue pane notices the difference between two
// loads; the audit log says who did it.

// MovesMsg carries what happened to the callbacks that came and went.
type MovesMsg struct {
	Gained, Lost []int64
	Audit        map[int64]crm.Audit
	Err          error
}

// MovesText says in one line what others did to the agent's work, or ""
// when the agent did it all themselves.
func MovesText(t Text, me string, m MovesMsg) string {
	type group struct {
		actor, what, to string
		ids             []int64
	}
	var groups []*group
	find := func(actor, what, to string) *group {
		for _, g := range groups {
			if g.actor == actor && g.what == what && g.to == to {
				return g
			}
		}
		g := &group{actor: actor, what: what, to: to}
		groups = append(groups, g)
		return g
	}
	for _, id := range m.Gained {
		a, ok := m.Audit[id]
		if !ok || a.Actor.Name == me {
			continue
		}
		find(a.Actor.Name, "to_you", "").ids = append(find(a.Actor.Name, "to_you", "").ids, id)
	}
	for _, id := range m.Lost {
		a, ok := m.Audit[id]
		if !ok || a.Actor.Name == me || a.Action == "claim" && a.Actor.Name == me {
			continue
		}
		what, to := "changed", ""
		switch a.Action {
		case "reassign":
			what, to = "moved", a.To
		case "force_release":
			what = "freed"
		case "cancel":
			what = "cancelled"
		case "lease_expired":
			what = "expired"
		case "to_pool", "auto_pool":
			what, to = "moved", "pool"
		case "claim":
			continue // a pool callback another agent took
		}
		g := find(a.Actor.Name, what, to)
		g.ids = append(g.ids, id)
	}
	var parts []string
	for _, g := range groups {
		who := Safe(g.actor)
		switch g.what {
		case "to_you":
			parts = append(parts, Sprintf(t.MovedToYou, who, len(g.ids)))
		case "moved":
			to := Safe(g.to)
			if g.to == "pool" {
				to = t.TeamPool
			}
			parts = append(parts, Sprintf(t.MovedAway, who, len(g.ids), to))
		case "freed":
			parts = append(parts, Sprintf(t.FreedYours, who, ids(g.ids)))
		case "cancelled":
			parts = append(parts, Sprintf(t.CancelledYours, who, ids(g.ids)))
		case "expired":
			parts = append(parts, Sprintf(t.ExpiredYours, who, ids(g.ids)))
		default:
			parts = append(parts, Sprintf(t.ChangedYours, who, ids(g.ids)))
		}
	}
	return strings.Join(parts, " · ")
}

// ids writes callback numbers: "#12, #15".
func ids(list []int64) string {
	var parts []string
	for i, id := range list {
		if i == 4 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("#%d", id))
	}
	return strings.Join(parts, ", ")
}
