package crm

import (
	"context"
	"time"
)

// Tiers lists the membership tiers from lowest to highest rank.
func (s *Service) Tiers(ctx context.Context) ([]Tier, error) {
	ts, err := tiersIn(ctx, s.DB.Read)
	return ts, s.DB.Describe(err)
}

// TierFor picks the highest tier whose spend (won in the last 12 months)
// and tenure rules the customer meets. tiers must be sorted by rank and the
// lowest must have no requirements.
func TierFor(tiers []Tier, spend12m int64, tenure time.Duration) Tier {
	best := tiers[0]
	days := int(tenure / (24 * time.Hour))
	for _, t := range tiers {
		if spend12m >= t.MinSpend && days >= t.MinTenure && t.Rank > best.Rank {
			best = t
		}
	}
	return best
}
