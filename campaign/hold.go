package campaign

import (
	"context"
	"errors"
	"fmt"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
	"github.com/dangol/dangol/queue"
)

// Held is what a pause, stop or resume did to a campaign's calls.
type Held struct {
	Campaign
	queue.BulkResult
}

// Pause takes a campaign's calls off the queue until Resume: they are
// cancelled by one bulk action (audited, each), which Resume takes back.
// Calls an agent holds now are left to finish.
func (s *Service) Pause(ctx context.Context, actor crm.Agent, name string) (Held, error) {
	return s.hold(ctx, actor, name, Paused)
}

// Stop ends a campaign: its open calls are cancelled, as by Pause, and it
// reads as stopped. Resume takes the stop back while the calls are as the
// stop left them.
func (s *Service) Stop(ctx context.Context, actor crm.Agent, name string) (Held, error) {
	return s.hold(ctx, actor, name, Stopped)
}

func (s *Service) hold(ctx context.Context, actor crm.Agent, name string, to State) (Held, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, map[State]string{Paused: "pause", Stopped: "stop"}[to]+" a campaign"); err != nil {
		return Held{}, err
	}
	c, err := s.Get(ctx, name)
	if err != nil {
		return Held{}, err
	}
	switch {
	case c.State == to:
		return Held{Campaign: c}, problem.New("campaign_already", "campaign %s is %s already", clip(c.Name), to)
	case c.State == Stopped:
		return Held{Campaign: c}, problem.New("campaign_stopped", "campaign %s is stopped; resume it first", clip(c.Name))
	case c.State == Paused && to == Stopped:
		// Its calls are off the queue already: the stop only marks it.
		return s.mark(ctx, actor, c, Stopped, c.HoldBulk, queue.BulkResult{})
	}
	verb := map[State]string{Paused: "paused", Stopped: "stopped"}[to]
	res, err := s.Queue.BulkMatching(ctx, actor, queue.BulkOp{Action: queue.BulkCancel,
		Reason: fmt.Sprintf("campaign %s %s", c.Name, verb)},
		queue.Listing{Team: true, Filter: queue.TeamFilter{Campaign: c.ID, State: queue.Scheduled}})
	if err != nil {
		return Held{Campaign: c}, err
	}
	return s.mark(ctx, actor, c, to, res.Bulk, res)
}

// mark stores a campaign's new state and the bulk action that holds its
// calls (0: none), audited.
func (s *Service) mark(ctx context.Context, actor crm.Agent, c Campaign, to State, bulk int64, res queue.BulkResult) (Held, error) {
	var hold any // NULL: nothing holds its calls
	if bulk != 0 {
		hold = bulk
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET state = ?, hold_bulk = ? WHERE id = ?`, string(to), hold, c.ID); err != nil {
			return err
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "campaign", EntityID: c.ID, Action: string(to),
			From: string(c.State), To: string(to), Reason: fmt.Sprintf("%s: %d calls taken off the queue, %d left (an agent on them)",
				c.Name, res.Changed, res.Passed)})
	})
	if err != nil {
		return Held{Campaign: c, BulkResult: res}, s.DB.Describe(err)
	}
	c.State = to
	return Held{Campaign: c, BulkResult: res}, nil
}

// Resume puts a paused or stopped campaign's calls back on the queue (those
// still as the pause or stop left them) and makes it active again.
func (s *Service) Resume(ctx context.Context, actor crm.Agent, name string) (Held, error) {
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "resume a campaign"); err != nil {
		return Held{}, err
	}
	c, err := s.Get(ctx, name)
	if err != nil {
		return Held{}, err
	}
	if c.State != Paused && c.State != Stopped {
		return Held{Campaign: c}, problem.New("campaign_not_held", "campaign %s is %s: only a paused or stopped campaign resumes", clip(c.Name), c.State)
	}
	var res queue.BulkResult
	if c.HoldBulk != 0 {
		res, err = s.Queue.UndoBulk(ctx, actor, c.HoldBulk)
		if err != nil && !errors.Is(err, queue.ErrNothingToUndo) {
			return Held{Campaign: c}, err
		}
	}
	return s.mark(ctx, actor, c, Active, 0, res)
}
