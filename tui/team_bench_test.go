package tui

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// BenchmarkTeamTable measures the team's callbacks table with 100,000 open
// callbacks: a filter change (filter, sort, draw) and a cursor move
// (Update and draw), each as p50 and p99 over b.N runs:
//
//	go test ./tui -run X -bench TeamTable -benchtime 200x
func BenchmarkTeamTable(b *testing.B) {
	c := newTestCommon(b, Korean)
	sora := as(b, c, "sora")
	s := newTeamScreen(sora)
	s.SetSize(130, 40)
	r := rand.New(rand.NewPCG(1, 2))
	owners := []string{"", "minji", "junho", "", "sora"}
	kinds := []string{"service", "complaint", "sales", "marketing"}
	tiers := []string{"basic", "silver", "gold", "vip"}
	all := make([]queue.Callback, 100_000)
	for i := range all {
		all[i] = queue.Callback{ID: int64(i + 1), CustomerID: int64(i%5000 + 1), CustomerName: fmt.Sprintf("고객%05d", i),
			Phone: crm.Phone{ID: 1, E164: "+821012345678"}, Kind: kinds[r.IntN(4)], Reason: "배송 지연 재안내",
			Priority: 1 + r.IntN(5), Due: testNow.Add(time.Duration(r.IntN(7200)-1200) * time.Minute), Owner: owners[r.IntN(5)],
			State: queue.Scheduled, MaxAttempts: 5, CustomerTZ: "Asia/Seoul", Window: queue.Window{StartMin: 480, EndMin: 1260},
			Tier: tiers[r.IntN(4)]}
	}
	s.Update(teamLoadedMsg{reqID: s.reqID, all: all})
	filters := []queue.TeamFilter{{Owner: "minji"}, {Overdue: true}, {Text: "배송"}, {Kind: "marketing", Tier: "vip"}, {}}
	var filterLat, moveLat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		s.Update(teamFilterMsg{filter: filters[i%len(filters)]})
		s.View()
		filterLat = append(filterLat, time.Since(start))
		start = time.Now()
		s.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
		s.View()
		moveLat = append(moveLat, time.Since(start))
	}
	b.StopTimer()
	report := func(name string, lat []time.Duration) {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, name+"-p99-ms")
	}
	report("filter", filterLat)
	report("cursor", moveLat)
	b.ReportMetric(0, "ns/op")
}

// BenchmarkQueueCursor measures a cursor move (j) in the agent's queue with
// 100,000 callbacks, Update and the whole frame at 120×40, as p50 and p99:
//
//	go test ./tui -run X -bench QueueCursor -benchtime 2000x
func BenchmarkQueueCursor(b *testing.B) {
	c := newTestCommon(b, Korean)
	a := newApp(b, c, 120, 40)
	r := rand.New(rand.NewPCG(3, 4))
	items := make([]queue.Callback, 100_000)
	for i := range items {
		items[i] = queue.Callback{ID: int64(i + 1), CustomerID: int64(i%5000 + 1), CustomerName: fmt.Sprintf("고객%05d", i),
			Phone: crm.Phone{ID: 1, E164: "+821012345678"}, Kind: "service", Reason: "배송 지연 재안내",
			Priority: 1 + r.IntN(5), Due: testNow.Add(time.Duration(r.IntN(7200)-1200) * time.Minute),
			State: queue.Scheduled, MaxAttempts: 5, CustomerTZ: "Asia/Seoul", Window: queue.Window{StartMin: 480, EndMin: 1260}}
	}
	q := a.work.queue
	a.Update(queueLoadedMsg{reqID: q.reqID, items: items, total: len(items)})
	j := tea.KeyPressMsg{Code: 'j', Text: "j"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		a.Update(j)
		a.View()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}
