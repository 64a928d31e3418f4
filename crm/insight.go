package crm

import (
	"sort"
	"time"
)

// Purchase is one purchase (a negative amount is a refund).
type Purchase struct {
	ID     int64
	Item   string
	Amount int64
	At     time.Time
}

// RFM is recency, frequency and monetary value from purchases, each scored
// 1 (low) to 5 (high) against fixed thresholds an agent can read.
type RFM struct {
	RecencyDays  int   // since the last purchase; -1 when none
	Frequency    int   // purchases in the last 12 months
	Monetary     int64 // won spent in the last 12 months
	R, F, M      int   // scores 1–5
	Segment      string
	LifetimeDays int // customer since, in days
}

// Segments, named as the marketing team says them.
const (
	SegmentChampion    = "champion"    // 최우수: bought recently, often, much
	SegmentLoyal       = "loyal"       // 충성: buys often
	SegmentNew         = "new"         // 신규: joined in the last 90 days
	SegmentPromising   = "promising"   // 성장: recent, not yet often
	SegmentAtRisk      = "at_risk"     // 이탈 위험: used to buy much, not lately
	SegmentHibernating = "hibernating" // 휴면: long silent
	SegmentRegular     = "regular"     // 일반
	SegmentNone        = "none"        // 구매 없음
)

// score turns v into 1–5 given the four ascending thresholds of 2, 3, 4 and 5.
func score(v int64, th [4]int64) int {
	s := 1
	for _, t := range th {
		if v >= t {
			s++
		}
	}
	return s
}

// ComputeRFM scores a customer's purchases at now.
func ComputeRFM(purchases []Purchase, joined, now time.Time) RFM {
	r := RFM{RecencyDays: -1, LifetimeDays: int(now.Sub(joined).Hours() / 24)}
	var last time.Time
	for _, p := range purchases {
		if p.At.After(last) {
			last = p.At
		}
		if now.Sub(p.At) <= 365*24*time.Hour {
			r.Monetary += p.Amount
			if p.Amount > 0 {
				r.Frequency++
			}
		}
	}
	if !last.IsZero() {
		r.RecencyDays = int(now.Sub(last).Hours() / 24)
	}
	if r.RecencyDays >= 0 {
		// Fewer days since the last purchase is better: invert.
		r.R = 6 - score(int64(r.RecencyDays), [4]int64{30, 90, 180, 365})
	} else {
		r.R = 1
	}
	r.F = score(int64(r.Frequency), [4]int64{2, 3, 5, 8})
	r.M = score(r.Monetary, [4]int64{100_000, 300_000, 1_000_000, 3_000_000})
	r.Segment = segmentOf(r)
	return r
}

func segmentOf(r RFM) string {
	switch {
	case r.RecencyDays < 0 && r.LifetimeDays <= 90:
		return SegmentNew
	case r.RecencyDays < 0:
		return SegmentNone
	case r.R >= 4 && r.F >= 4 && r.M >= 4:
		return SegmentChampion
	case r.F >= 4 && r.R >= 3:
		return SegmentLoyal
	case r.LifetimeDays <= 90:
		return SegmentNew
	case r.R <= 2 && (r.M >= 3 || r.F >= 3):
		return SegmentAtRisk
	case r.R == 1:
		return SegmentHibernating
	case r.R >= 4:
		return SegmentPromising
	}
	return SegmentRegular
}

// ChurnReason is one explainable reason a customer may be leaving, with the
// numbers behind it so an agent can say it back.
type ChurnReason struct {
	Code       string // silence, complaint, falling_spend
	SilentDays int    // silence: days since the last purchase
	UsualDays  int    // silence: the usual days between purchases
	Subject    string // complaint: what it is about
	Recent     int64  // falling_spend: won in the last 6 months
	Before     int64  // falling_spend: won in the 6 months before
}

// Churn is the churn-risk flag with its reasons; At risk when any applies.
type Churn struct {
	AtRisk  bool
	Reasons []ChurnReason
}

// ComputeChurn applies three explainable rules:
//   - silence: no purchase for more than twice the customer's usual gap
//     between purchases (at least 60 days), for customers who bought at
//     least three times;
//   - complaint: a complaint opened in the last 30 days is still open;
//   - falling spend: the last 6 months spent less than half of the 6
//     months before (which had at least 100,000 won).
func ComputeChurn(purchases []Purchase, complaints []Complaint, now time.Time) Churn {
	var c Churn
	var times []time.Time
	for _, p := range purchases {
		if p.Amount > 0 {
			times = append(times, p.At)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) >= 3 {
		gaps := make([]float64, 0, len(times)-1)
		for i := 1; i < len(times); i++ {
			gaps = append(gaps, times[i].Sub(times[i-1]).Hours()/24)
		}
		sort.Float64s(gaps)
		usual := gaps[len(gaps)/2]
		silent := now.Sub(times[len(times)-1]).Hours() / 24
		if limit := max(60, 2*usual); silent > limit {
			c.Reasons = append(c.Reasons, ChurnReason{Code: "silence", SilentDays: int(silent + 0.5), UsualDays: int(usual + 0.5)})
		}
	}
	for _, cp := range complaints {
		if cp.Status != "resolved" && now.Sub(cp.OpenedAt) <= 30*24*time.Hour {
			c.Reasons = append(c.Reasons, ChurnReason{Code: "complaint", Subject: cp.Subject})
			break
		}
	}
	var recent, before int64
	for _, p := range purchases {
		age := now.Sub(p.At)
		switch {
		case age <= 182*24*time.Hour:
			recent += p.Amount
		case age <= 365*24*time.Hour:
			before += p.Amount
		}
	}
	if before >= 100_000 && recent*2 < before {
		c.Reasons = append(c.Reasons, ChurnReason{Code: "falling_spend", Recent: recent, Before: before})
	}
	c.AtRisk = len(c.Reasons) > 0
	return c
}
