package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// An agent's console says when someone else moved their work: callbacks
// that became theirs, and callbacks that stopped being theirs (moved to
// another agent or the pool, cancelled, a claim freed by a supervisor, a
// lease that ran out). The queue pane notices the difference between two
// loads; the audit log says who did it.

// mineOf is the callbacks an agent owns or holds, by id.
func mineOf(items []queue.Callback, me string) map[int64]queue.Callback {
	out := map[int64]queue.Callback{}
	for _, cb := range items {
		if cb.Owner == me || cb.ClaimedBy == me {
			out[cb.ID] = cb
		}
	}
	return out
}

// movesMsg carries what happened to the callbacks that came and went.
type movesMsg struct {
	gained, lost []int64
	audit        map[int64]crm.Audit
	err          error
}

// explainMoves asks the audit log who moved the callbacks that came and
// went since the last load.
func explainMoves(c *Common, before, after map[int64]queue.Callback) tea.Cmd {
	var gained, lost []int64
	for id := range after {
		if _, ok := before[id]; !ok {
			gained = append(gained, id)
		}
	}
	for id := range before {
		if _, ok := after[id]; !ok {
			lost = append(lost, id)
		}
	}
	if len(gained)+len(lost) == 0 {
		return nil
	}
	sort.Slice(gained, func(i, j int) bool { return gained[i] < gained[j] })
	sort.Slice(lost, func(i, j int) bool { return lost[i] < lost[j] })
	svc, ctx := c.CRM, c.Ctx
	return func() tea.Msg {
		audit, err := svc.LatestAudit(ctx, "callback", append(append([]int64{}, gained...), lost...))
		return movesMsg{gained: gained, lost: lost, audit: audit, err: err}
	}
}

// movesText says in one line what others did to the agent's work, or ""
// when the agent did it all themselves.
func movesText(t Text, me string, m movesMsg) string {
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
	for _, id := range m.gained {
		a, ok := m.audit[id]
		if !ok || a.Actor.Name == me {
			continue
		}
		find(a.Actor.Name, "to_you", "").ids = append(find(a.Actor.Name, "to_you", "").ids, id)
	}
	for _, id := range m.lost {
		a, ok := m.audit[id]
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
		who := safe(g.actor)
		switch g.what {
		case "to_you":
			parts = append(parts, fmt.Sprintf(t.MovedToYou, who, len(g.ids)))
		case "moved":
			to := safe(g.to)
			if g.to == "pool" {
				to = t.TeamPool
			}
			parts = append(parts, fmt.Sprintf(t.MovedAway, who, len(g.ids), to))
		case "freed":
			parts = append(parts, fmt.Sprintf(t.FreedYours, who, ids(g.ids)))
		case "cancelled":
			parts = append(parts, fmt.Sprintf(t.CancelledYours, who, ids(g.ids)))
		case "expired":
			parts = append(parts, fmt.Sprintf(t.ExpiredYours, who, ids(g.ids)))
		default:
			parts = append(parts, fmt.Sprintf(t.ChangedYours, who, ids(g.ids)))
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
