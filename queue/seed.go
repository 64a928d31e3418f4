package queue

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// SeedDemo schedules the demo's callbacks on a database that crm.Seed
// filled: some for minji, some for junho, the rest in the team pool, with
// several overdue and several due within the next ten minutes of now.
func (s *Service) SeedDemo(ctx context.Context, now time.Time, seed uint64) error {
	agents := map[string]crm.Agent{}
	for _, name := range []string{"minji", "junho", "sora"} {
		a, err := s.CRM.AgentByName(ctx, name)
		if err != nil {
			return err
		}
		agents[name] = a
	}
	r := rand.New(rand.NewPCG(seed, 7))
	var customers []int64
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT id FROM customers WHERE dnc = 0 ORDER BY id LIMIT 400`)
	if err != nil {
		return s.DB.Describe(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		customers = append(customers, id)
	}
	rows.Close()
	r.Shuffle(len(customers), func(i, j int) { customers[i], customers[j] = customers[j], customers[i] })

	// Offsets from now, in minutes: negative is overdue. Personal callbacks
	// are at most 25 minutes overdue so none has yet moved to the pool.
	plan := []struct {
		owner   string
		offsets []int
	}{
		{"minji", []int{-25, -12, -3, 2, 4, 7, 9, 35, 80, 150, 240, 1440 + 60, 1440 + 300, 2880}},
		{"junho", []int{-18, -6, 1, 6, 8, 45, 120, 300, 1440 + 120, 1440 + 420, 4320}},
		{"", []int{-240, -95, -50, -20, -8, 3, 5, 10, 15, 25, 40, 60, 90, 180, 360, 1440, 1440 + 90, 2880, 2880 + 30, 4320}},
	}
	sora := agents["sora"]
	i := 0
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
	plans:
		for _, p := range plan {
			for _, off := range p.offsets {
				if i >= len(customers) {
					break plans
				}
				reason := crmReasons[r.IntN(len(crmReasons))]
				n := NewCallback{
					CustomerID: customers[i], Kind: reason.kind, Reason: reason.reason,
					Priority: []int{1, 2, 3, 3, 3, 4, 5}[r.IntN(7)],
					Due:      now.Add(time.Duration(off) * time.Minute).Truncate(time.Minute),
					OwnerID:  agents[p.owner].ID,
				}
				id, err := s.insertCallback(ctx, tx, sora, n, now.Add(-time.Duration(1+r.IntN(72))*time.Hour))
				if err != nil {
					return err
				}
				// Some overdue calls were already tried: the demo's history.
				if off < 0 && r.IntN(3) == 0 {
					if err := seedTries(ctx, tx, id, n, agents[p.owner].ID, 1+r.IntN(2), agents["minji"].ID); err != nil {
						return err
					}
				}
				i++
			}
		}
		return seedHistory(ctx, tx, []crm.Agent{agents["minji"], agents["junho"], agents["sora"]}, customers, now, r)
	})
}

// seedTries records that a demo callback was already called tries times
// without an answer, the last call half an hour before it fell due again
// (no answer's retry delay), each as a wrap-up would have left it. A pool
// callback's tries were minji's.
func seedTries(ctx context.Context, tx *db.Tx, id int64, n NewCallback, agent int64, tries int, minji int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET attempts = ?, disposition = 'no_answer' WHERE id = ?`, tries, id); err != nil {
		return err
	}
	if agent == 0 {
		agent = minji
	}
	for k := 1; k <= tries; k++ {
		done := n.Due.Add(-time.Duration(tries-k+1) * 30 * time.Minute)
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_outcomes(callback_id, customer_id, agent_id, kind, disposition,
			reached, attempt, due_at, claimed_at, done_at) VALUES (?, ?, ?, ?, 'no_answer', 0, ?, ?, ?, ?)`,
			id, n.CustomerID, agent, n.Kind, k, done.Add(-5*time.Minute).Unix(), done.Add(-2*time.Minute).Unix(), done.Unix()); err != nil {
			return err
		}
	}
	return nil
}

// seedHistory gives the demo eight weeks of calls already made, so the
// team board and the figures have something to say: each a closed
// callback with the outcome of its call.
func seedHistory(ctx context.Context, tx *db.Tx, agents []crm.Agent, customers []int64, now time.Time, r *rand.Rand) error {
	outcomes := []struct {
		code    string
		reached bool
		state   State
		weight  int
	}{{"resolved", true, Done, 50}, {"no_answer", false, Done, 20}, {"busy", false, Done, 8},
		{"follow_up", true, Done, 12}, {"voicemail", false, Done, 6}, {"wrong_number", false, Cancelled, 2},
		{"callback_requested", true, Done, 2}}
	pick := func() int {
		n := r.IntN(100)
		for i, o := range outcomes {
			if n < o.weight {
				return i
			}
			n -= o.weight
		}
		return 0
	}
	day0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for d := 56; d >= 0; d-- {
		day := day0.AddDate(0, 0, -d)
		if day.Weekday() == time.Sunday {
			continue
		}
		for ai, a := range agents {
			calls := 3 + r.IntN(6)
			if ai == 2 {
				calls = r.IntN(3) // the supervisor calls now and then
			}
			for range calls {
				due := day.Add(time.Duration(9*60+r.IntN(8*60)) * time.Minute)
				claimed := due.Add(time.Duration(r.IntN(45)-5) * time.Minute)
				done := claimed.Add(time.Duration(2+r.IntN(14)) * time.Minute)
				if !done.Before(now) {
					continue
				}
				o := outcomes[pick()]
				cust := customers[r.IntN(len(customers))]
				reason := crmReasons[r.IntN(len(crmReasons))]
				call := pastCall{customer: cust, agent: a, kind: reason.kind, reason: reason.reason,
					code: o.code, reached: o.reached, state: o.state, attempt: 1 + r.IntN(3)/2, due: due, claimed: claimed, done: done}
				if err := call.write(ctx, tx, "demo history"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// crmReasons are the demo's reasons to call back, with their calling kind.
var crmReasons = []struct{ reason, kind string }{
	{"배송 지연 재안내", "service"}, {"교환 회수 일정 확인", "service"}, {"환불 처리 결과 안내", "service"},
	{"불만 처리 결과 안내", "complaint"}, {"A/S 완료 안내", "service"}, {"VIP 행사 초대", "marketing"},
	{"멤버십 갱신 안내", "sales"}, {"고객 요청: 상품 재입고 안내", "service"}, {"Follow up on invoice request", "service"},
	{"포인트 이의 처리 결과", "complaint"}, {"렌탈 만기 상담", "sales"},
}
