package crm

import (
	"context"
	"time"
)

// Tiers lists the membership tiers from lowest to highest rank.
func (s *Service) Tiers(ctx context.Context) ([]Tier, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT code, rank, name_ko, name_en, min_spend, min_tenure_days, earn_pct,
		benefits_ko, benefits_en FROM tiers ORDER BY rank`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Tier
	for rows.Next() {
		var t Tier
		if err := rows.Scan(&t.Code, &t.Rank, &t.NameKo, &t.NameEn, &t.MinSpend, &t.MinTenure, &t.EarnPct,
			&t.BenefitsKo, &t.BenefitsEn); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
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
