package queue

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"time"

	"github.com/dangol/dangol/crm"
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
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range plan {
			for _, off := range p.offsets {
				if i >= len(customers) {
					return nil
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
					if _, err := tx.ExecContext(ctx, `UPDATE callbacks SET attempts = ? WHERE id = ?`, 1+r.IntN(2), id); err != nil {
						return err
					}
				}
				i++
			}
		}
		return nil
	})
}

// crmReasons are the demo's reasons to call back, with their calling kind.
var crmReasons = []struct{ reason, kind string }{
	{"배송 지연 재안내", "service"}, {"교환 회수 일정 확인", "service"}, {"환불 처리 결과 안내", "service"},
	{"불만 처리 결과 안내", "complaint"}, {"A/S 완료 안내", "service"}, {"VIP 행사 초대", "marketing"},
	{"멤버십 갱신 안내", "sales"}, {"고객 요청: 상품 재입고 안내", "service"}, {"Follow up on invoice request", "service"},
	{"포인트 이의 처리 결과", "complaint"}, {"렌탈 만기 상담", "sales"},
}
