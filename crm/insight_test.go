package crm

import (
	"testing"
	"time"
)

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func buys(now time.Time, amounts map[int]int64) []Purchase {
	var ps []Purchase
	for ago, amt := range amounts {
		ps = append(ps, Purchase{Amount: amt, At: now.Add(-days(ago))})
	}
	return ps
}

func TestRFMSegments(t *testing.T) {
	now := demoNow
	cases := []struct {
		name      string
		purchases map[int]int64
		joined    int // days ago
		want      string
		r, f, m   int
	}{
		{"champion", map[int]int64{5: 900_000, 40: 800_000, 80: 700_000, 120: 600_000, 200: 500_000}, 900, SegmentChampion, 5, 4, 5},
		{"loyal", map[int]int64{100: 50_000, 130: 50_000, 160: 50_000, 190: 50_000, 220: 50_000}, 900, SegmentLoyal, 3, 4, 2},
		{"new, no purchase", nil, 30, SegmentNew, 1, 1, 1},
		{"never bought", nil, 400, SegmentNone, 1, 1, 1},
		{"at risk", map[int]int64{200: 2_000_000, 250: 500_000, 300: 200_000}, 900, SegmentAtRisk, 2, 3, 4},
		{"hibernating", map[int]int64{500: 30_000}, 900, SegmentHibernating, 1, 1, 1},
		{"promising", map[int]int64{10: 60_000}, 400, SegmentPromising, 5, 1, 1},
		{"refunds count against spend", map[int]int64{10: 200_000, 9: -200_000}, 400, SegmentPromising, 5, 1, 1},
	}
	for _, c := range cases {
		r := ComputeRFM(buys(now, c.purchases), now.Add(-days(c.joined)), now)
		if r.Segment != c.want || r.R != c.r || r.F != c.f || r.M != c.m {
			t.Errorf("%s: %s R%d F%d M%d (recency %d, freq %d, money %d); want %s R%d F%d M%d",
				c.name, r.Segment, r.R, r.F, r.M, r.RecencyDays, r.Frequency, r.Monetary, c.want, c.r, c.f, c.m)
		}
	}
}

func TestChurnRules(t *testing.T) {
	now := demoNow
	monthly := map[int]int64{}
	for i := 0; i < 10; i++ {
		monthly[100+30*i] = 80_000 // bought every 30 days until 100 days ago
	}
	c := ComputeChurn(buys(now, monthly), nil, now)
	if !c.AtRisk || c.Reasons[0].Code != "silence" || c.Reasons[0].SilentDays != 100 || c.Reasons[0].UsualDays != 30 {
		t.Errorf("long silence for a monthly buyer: %+v", c)
	}
	weekly := map[int]int64{1: 50_000, 8: 50_000, 15: 50_000}
	if c := ComputeChurn(buys(now, weekly), nil, now); c.AtRisk {
		t.Errorf("a regular buyer is not at risk: %+v", c)
	}
	open := []Complaint{{Subject: "불량품 수령", Status: "open", OpenedAt: now.Add(-days(3))}}
	if c := ComputeChurn(buys(now, weekly), open, now); !c.AtRisk || c.Reasons[0].Code != "complaint" || c.Reasons[0].Subject != "불량품 수령" {
		t.Errorf("recent open complaint: %+v", c)
	}
	old := []Complaint{{Subject: "x", Status: "open", OpenedAt: now.Add(-days(60))}}
	if c := ComputeChurn(buys(now, weekly), old, now); c.AtRisk {
		t.Errorf("a complaint older than 30 days does not count by this rule: %+v", c)
	}
	falling := map[int]int64{20: 40_000, 200: 300_000, 250: 200_000}
	c = ComputeChurn(buys(now, falling), nil, now)
	if !c.AtRisk || c.Reasons[len(c.Reasons)-1].Code != "falling_spend" || c.Reasons[len(c.Reasons)-1].Recent != 40_000 {
		t.Errorf("falling spend: %+v", c)
	}
}
