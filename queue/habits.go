package queue

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// Planted answering habits: the demo and the bench give some customers a
// past of calls with a hidden pattern, so the best time to call has
// something true to find and its proof has data to be checked on.

// Habits says how many customers get a planted past of calls.
type Habits struct {
	Band float64 // the share answering one two-hour band (08–20) with 0.6, other hours with 0.2
	Flat float64 // the share answering 0.3 at any hour
	Seed uint64
}

// DemoHabits are the demo's and the bench's shares.
var DemoHabits = Habits{Band: 0.3, Flat: 0.2}

// Planted is the hidden pattern of each customer given a past: their band
// (0 is 08–10), or -1 for a flat one. Nothing in the database says it.
type Planted map[int64]int

// habitDays is how far back the planted calls go: they end before the
// demo's eight weeks of history, so the team's figures are the demo's.
const (
	habitDays   = 180
	habitBefore = 60
)

// habitBatch is how many customers' calls one transaction writes.
const habitBatch = 2000

// SeedHabits gives a share of the callable customers 8–15 calls over the
// half year before the demo's history, at random minutes of 08–21 in
// their zone; each call is a closed callback with its outcome and its
// audit, by one of the demo agents. The models of the best time are
// fitted at the end, as a scoring would.
func (s *Service) SeedHabits(ctx context.Context, now time.Time, h Habits) (Planted, error) {
	var agents []crm.Agent
	for _, name := range []string{"minji", "junho"} {
		a, err := s.CRM.AgentByName(ctx, name)
		if err != nil {
			return nil, err
		}
		agents = append(agents, a)
	}
	type customer struct {
		id  int64
		loc *time.Location
	}
	var all []customer
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT id, tz FROM customers WHERE dnc = 0 AND merged_into IS NULL ORDER BY id`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	for rows.Next() {
		var c customer
		var tz string
		if err := rows.Scan(&c.id, &tz); err != nil {
			rows.Close()
			return nil, s.DB.Describe(err)
		}
		c.loc = db.Zone(tz)
		all = append(all, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.DB.Describe(err)
	}
	r := rand.New(rand.NewPCG(h.Seed, 27))
	planted := Planted{}
	for start := 0; start < len(all); start += habitBatch {
		batch := all[start:min(start+habitBatch, len(all))]
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			for _, c := range batch {
				band, prob := -1, 0.3
				switch x := r.Float64(); {
				case x < h.Band:
					band, prob = r.IntN(crm.Bands-1), 0.2
				case x < h.Band+h.Flat:
				default:
					continue
				}
				planted[c.id] = band
				day0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, c.loc).AddDate(0, 0, -habitBefore)
				for range 8 + r.IntN(8) {
					at := day0.AddDate(0, 0, -r.IntN(habitDays)).Add(time.Duration(8*60+r.IntN(13*60)) * time.Minute)
					p := prob
					if band >= 0 && crm.BandOf(at.Hour()) == band {
						p = 0.6
					}
					call := pastCall{customer: c.id, agent: agents[r.IntN(len(agents))], kind: "marketing",
						reason: "지난 안내 전화", code: "resolved", reached: true, state: Done, attempt: 1,
						due: at.Add(-time.Duration(r.IntN(30)) * time.Minute), claimed: at, done: at.Add(time.Duration(1+r.IntN(5)) * time.Minute)}
					if r.Float64() >= p {
						call.code, call.reached = "no_answer", false
					}
					if err := call.write(ctx, tx, "demo habits"); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, s.DB.Describe(err)
		}
	}
	if _, err := s.CRM.FitBestTime(ctx); err != nil {
		return nil, err
	}
	return planted, nil
}

// pastCall is one call already made, as a wrap-up would have left it: a
// closed callback, its audit, the outcome of its call and, when answered,
// the customer's last contact.
type pastCall struct {
	customer           int64
	agent              crm.Agent
	kind, reason, code string
	reached            bool
	state              State
	attempt            int
	due, claimed, done time.Time
}

// write records the call; why is the create audit's reason.
func (c pastCall) write(ctx context.Context, tx *db.Tx, why string) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO callbacks(customer_id, kind, reason, priority, due_at, owner_id, state,
		attempts, disposition, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.customer, c.kind, c.reason, c.due.Unix(), c.agent.ID, c.state,
		c.attempt-1, c.code, c.due.Add(-24*time.Hour).Unix(), c.agent.ID, c.done.Unix(), c.agent.ID).Scan(&id); err != nil {
		return err
	}
	for _, au := range []crm.Audit{
		{At: c.due.Add(-24 * time.Hour), Actor: c.agent, Entity: "callback", EntityID: id, Action: "create", To: string(Scheduled), Reason: why},
		{At: c.done, Actor: c.agent, Entity: "callback", EntityID: id, Action: "disposition", From: string(Claimed), To: string(c.state), Reason: c.code},
	} {
		if err := crm.WriteAudit(ctx, tx, au); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO call_outcomes(callback_id, customer_id, agent_id, kind, disposition,
		reached, attempt, due_at, claimed_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.customer, c.agent.ID, c.kind, c.code, c.reached, c.attempt, c.due.Unix(), c.claimed.Unix(), c.done.Unix()); err != nil {
		return err
	}
	if !c.reached {
		return nil
	}
	// An answered call is a contact, as the wrap-up keeps it (the 360's
	// "last contact" said "never" beside answered calls).
	return crm.MoveLastContact(ctx, tx, c.customer, c.done, crm.ChannelPhone, c.agent.ID)
}
