package queue

import (
	"context"
	"strconv"
	"time"
)

// Policy holds the call center's rules for the queue. Defaults come from
// DefaultPolicy; a database may override them with meta rows named
// policy.<field> (minutes for durations), which LoadPolicy reads.
type Policy struct {
	AutoPool      time.Duration // a personal callback this overdue moves to the pool; 0 = never
	Lease         time.Duration // how long a claim lasts without renewal
	MaxActive     int           // active personal callbacks per agent (agents.max_active overrides)
	MaxAttempts   int           // unanswered calls before a callback fails
	ReminderLead  time.Duration // how long before the due time the first reminder fires
	MaxRetryDelay time.Duration // the backoff of retries stops growing here
	// DefaultDueHour is the hour of a due date said without a time of day
	// ("12월 1일", "friday"): 10:00 unless the site says otherwise.
	DefaultDueHour int
	// BestTimeFirst makes claim-next prefer, among callbacks of equal
	// priority and due time, a customer now in their best time to call
	// (as the last scoring kept it). Off unless the site turns it on.
	BestTimeFirst bool
}

// DefaultPolicy is the policy of a new database.
func DefaultPolicy() Policy {
	return Policy{
		AutoPool:       30 * time.Minute,
		Lease:          10 * time.Minute,
		MaxActive:      50,
		MaxAttempts:    DefaultMaxAttempts,
		ReminderLead:   5 * time.Minute,
		MaxRetryDelay:  24 * time.Hour,
		DefaultDueHour: 10,
	}
}

// LoadPolicy applies the database's policy.* meta rows over the defaults
// and makes the result the service's policy.
func (s *Service) LoadPolicy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'policy.%'`)
	if err != nil {
		return p, s.DB.Describe(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return p, err
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			continue // a bad row keeps the default rather than stopping the console
		}
		minutes := time.Duration(n) * time.Minute
		switch k {
		case "policy.auto_pool_minutes":
			p.AutoPool = minutes
		case "policy.lease_minutes":
			if n > 0 {
				p.Lease = minutes
			}
		case "policy.max_active":
			p.MaxActive = n
		case "policy.max_attempts":
			if n > 0 {
				p.MaxAttempts = n
			}
		case "policy.reminder_lead_minutes":
			p.ReminderLead = minutes
		case "policy.default_due_hour":
			if n <= 23 {
				p.DefaultDueHour = n
			}
		case "policy.best_time_first":
			p.BestTimeFirst = n == 1
		}
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	s.SetPolicy(p)
	return p, nil
}
