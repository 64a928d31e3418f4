package queue

import (
	"context"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// OnTimeGrace is how late a call may start and still count as on time.
const OnTimeGrace = 15 * time.Minute

// CallFigures are the figures of callbacks over [From, To), for the team
// or one agent.
type CallFigures struct {
	Calls        int       // calls wrapped up
	OnTime       crm.Ratio // calls claimed no later than OnTimeGrace after their due time, of the calls
	Reached      crm.Ratio // calls that reached the customer, of the calls
	FirstContact crm.Ratio // callbacks resolved on their first call, of the callbacks resolved
	OverdueNow   int       // open callbacks due at or before To (the agent's own, or all), as Callback.Overdue
	Handling     time.Duration
}

// Figures is a report: the call figures and the customer figures of one
// period, for the team (Agent empty) or one agent.
type Figures struct {
	From, To time.Time
	Agent    string
	Calls    CallFigures
	Customer crm.CustomerFigures
	// ChurnBySegment counts customers at churn risk at To by segment; the
	// team's report only (it reads every customer).
	ChurnBySegment map[string]int
}

// Report computes the figures for [from, to) for the team (agent "") or
// one agent; supervisors and admins may read them. Every definition is in
// the README, and each is tested on a small dataset with known answers.
func (s *Service) Report(ctx context.Context, actor crm.Agent, from, to time.Time, agent string, churn bool) (Figures, error) {
	f := Figures{From: from, To: to, Agent: agent}
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "report"); err != nil {
		return f, err
	}
	var agentID int64
	if agent != "" {
		a, err := s.CRM.AgentByName(ctx, agent)
		if err != nil {
			return f, err
		}
		agentID = a.ID
	}
	var err error
	if f.Calls, err = s.callFigures(ctx, from, to, agentID); err != nil {
		return f, err
	}
	if f.Customer, err = s.CRM.Figures(ctx, from, to, agentID); err != nil {
		return f, err
	}
	if churn && agentID == 0 {
		if f.ChurnBySegment, err = s.CRM.ChurnBySegment(ctx, to); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (s *Service) callFigures(ctx context.Context, from, to time.Time, agentID int64) (CallFigures, error) {
	var f CallFigures
	cond, args := "", []any{from.Unix(), to.Unix()}
	if agentID != 0 {
		cond, args = " AND agent_id = ?", append(args, agentID)
	}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		var avg float64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN claimed_at <= due_at + ? THEN 1 ELSE 0 END), 0), coalesce(sum(reached), 0),
			coalesce(avg(done_at - claimed_at), 0) FROM call_outcomes WHERE done_at >= ? AND done_at < ?`+cond,
			append([]any{int64(OnTimeGrace / time.Second)}, args...)...).Scan(&f.Calls, &f.OnTime.Num, &f.Reached.Num, &avg); err != nil {
			return err
		}
		f.OnTime.Den, f.Reached.Den = f.Calls, f.Calls
		f.Handling = time.Duration(avg * float64(time.Second))
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN attempt = 1 THEN 1 ELSE 0 END), 0) FROM call_outcomes
			WHERE disposition = 'resolved' AND done_at >= ? AND done_at < ?`+cond, args...).Scan(&f.FirstContact.Den, &f.FirstContact.Num); err != nil {
			return err
		}
		overdue := `SELECT count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed') AND due_at <= ?`
		oargs := []any{to.Unix()}
		if agentID != 0 {
			overdue += ` AND (owner_id = ? OR claimed_by = ?)`
			oargs = append(oargs, agentID, agentID)
		}
		return tx.QueryRowContext(ctx, overdue, oargs...).Scan(&f.OverdueNow)
	})
	return f, s.DB.Describe(err)
}

// Weekly is the figures of each of the n weeks ending at end (oldest
// first), for the charts of the figures screen and the report.
func (s *Service) Weekly(ctx context.Context, actor crm.Agent, end time.Time, n int, agent string) ([]Figures, error) {
	out := make([]Figures, 0, n)
	for i := n - 1; i >= 0; i-- {
		to := end.AddDate(0, 0, -7*i)
		f, err := s.Report(ctx, actor, to.AddDate(0, 0, -7), to, agent, false)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
