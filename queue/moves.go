package queue

import (
	"context"
	"fmt"
	"strings"

	"github.com/dangol/dangol/crm"
)

// Moves are what others did to an agent's work since a point of the audit
// log: callbacks that became theirs, callbacks that stopped being theirs,
// each with the audit row that says who and how.
type Moves struct {
	Gained, Lost []int64
	Audit        map[int64]crm.Audit
	Mark         int64 // the audit row to read on from next time
}

// movesScan is how many audit rows one Moves call looks at, at most; a
// busier log is read on at the next call.
const movesScan = 5000

// MovesSince reads the callback rows of the audit log after mark that
// others wrote about agent's work. It reads what happened since, not the
// agent's callbacks: an agent may own thousands.
func (s *Service) MovesSince(ctx context.Context, agent crm.Agent, mark int64) (Moves, error) {
	rows, next, err := s.CRM.AuditAfter(ctx, "callback", mark, movesScan)
	m := Moves{Audit: map[int64]crm.Audit{}, Mark: next}
	if err != nil {
		return m, err
	}
	me := fmt.Sprintf("agent %d ", agent.ID) // as rowWords writes an owner
	var cancelled []int64
	for _, a := range rows {
		if a.Actor.Name == agent.Name {
			continue
		}
		var gained, lost bool
		switch a.Action {
		case "reassign":
			gained, lost = a.To == agent.Name, a.From == agent.Name
		case "create":
			gained = strings.HasSuffix(a.Reason, ", "+strings.TrimSpace(me)) // as ownerText writes it
		case "to_pool", "force_release":
			lost = a.From == agent.Name
		case "lease_expired":
			lost = a.Reason == "the lease of "+agent.Name+" ran out"
		case "undo":
			gained = strings.Contains(a.To+" ", me) && !strings.Contains(a.From+" ", me)
			lost = strings.Contains(a.From+" ", me) && !strings.Contains(a.To+" ", me)
		case "cancel":
			cancelled = append(cancelled, a.EntityID)
			m.Audit[a.EntityID] = a
			continue
		default:
			continue
		}
		switch {
		case gained:
			m.Gained = append(m.Gained, a.EntityID)
		case lost:
			m.Lost = append(m.Lost, a.EntityID)
		default:
			continue
		}
		m.Audit[a.EntityID] = a
	}
	// A cancel leaves the owner as it was: the agent's, if it was theirs.
	for _, id := range cancelled {
		cb, err := s.Get(ctx, id)
		if err != nil {
			return m, err
		}
		if cb.Owner == agent.Name || cb.ClaimedBy == agent.Name {
			m.Lost = append(m.Lost, id)
		} else {
			delete(m.Audit, id)
		}
	}
	return m, nil
}
