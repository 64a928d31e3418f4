// Package campaign is retention campaigns: customers chosen by a segment
// expression, split at random into a group that is called and a control
// group that is not, and a report that compares the two.
package campaign

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// State is where a campaign is.
type State string

// The states of a campaign. Ended is not stored: an active campaign past
// its until date.
const (
	Active  State = "active"
	Paused  State = "paused"  // its open calls are off the queue until it resumes
	Stopped State = "stopped" // its open calls are cancelled (resume takes the stop back)
	Ended   State = "ended"
)

// Metrics a campaign may name as its primary one: each is a yes or no per
// customer over the measured days.
const (
	MetricRepeat   = "repeat_purchase" // bought at least once
	MetricReferral = "referral"        // referred a new customer
	MetricRedeem   = "points_redeemed" // used points
)

// Metrics lists the primary metrics, the default first.
var Metrics = []string{MetricRepeat, MetricReferral, MetricRedeem}

// Defaults.
const (
	DefaultControlPct  = 10
	DefaultMeasureDays = 30
	DefaultPriority    = 4  // after ordinary service calls (3)
	CapDays            = 14 // one campaign call per customer per CapDays, across campaigns
	ScoresMaxAge       = 24 * time.Hour
)

// Campaign is one campaign as stored, with its sizes.
type Campaign struct {
	ID          int64
	Name        string
	Segment     string
	Kind        string
	Reason      string
	Metric      string
	ControlPct  int
	Seed        int64
	MeasureDays int
	State       State
	StartsAt    time.Time
	Until       time.Time // zero: no end date
	ScoresAt    time.Time // zero: the segment read no scores
	Pool        bool
	Agents      []string
	HoldBulk    int64 // the pause or stop bulk action, while it holds
	CreatedAt   time.Time
	CreatedBy   string

	Contact, Control int // customers in each group
	Open             int // calls still to make
}

// MeasuredUntil is the end of the days the report compares.
func (c Campaign) MeasuredUntil() time.Time {
	return c.StartsAt.AddDate(0, 0, c.MeasureDays)
}

// Service holds what campaigns need.
type Service struct {
	DB    *db.DB
	CRM   *crm.Service
	Queue *queue.Service
	Now   func() time.Time
}

// New returns a Service over the queue's database and crm.
func New(q *queue.Service) *Service {
	return &Service{DB: q.DB, CRM: q.CRM, Queue: q, Now: q.Now}
}

func (s *Service) now() time.Time { return s.Now().Truncate(time.Second) }

// campaignSelect reads campaigns with their sizes (kept on the row: the
// groups never change) and their calls still open. A hold whose bulk
// action was undone by hand (dangol queue undo) no longer holds: the
// campaign reads as active.
const campaignSelect = `SELECT k.id, k.name, k.segment, k.kind, k.reason, k.metric, k.control_pct, k.seed, k.measure_days,
	CASE WHEN k.hold_bulk IS NOT NULL AND b.undone_at IS NOT NULL THEN 'active' ELSE k.state END,
	k.starts_at, coalesce(k.until_at, 0), coalesce(k.scores_at, 0), k.pool, k.agents,
	CASE WHEN b.undone_at IS NULL THEN coalesce(k.hold_bulk, 0) ELSE 0 END, k.created_at, k.actor,
	k.called, k.held_out,
	(SELECT count(*) FROM callbacks cb WHERE cb.campaign_id = k.id AND cb.state IN ('scheduled', 'claimed'))
	FROM campaigns k LEFT JOIN bulk_actions b ON b.id = k.hold_bulk`

func scanCampaign(row interface{ Scan(...any) error }, now time.Time) (Campaign, error) {
	var c Campaign
	var starts, until, scores, created int64
	var agents string
	err := row.Scan(&c.ID, &c.Name, &c.Segment, &c.Kind, &c.Reason, &c.Metric, &c.ControlPct, &c.Seed, &c.MeasureDays,
		&c.State, &starts, &until, &scores, &c.Pool, &agents, &c.HoldBulk, &created, &c.CreatedBy,
		&c.Contact, &c.Control, &c.Open)
	c.StartsAt, c.CreatedAt = time.Unix(starts, 0), time.Unix(created, 0)
	if until != 0 {
		c.Until = time.Unix(until, 0)
	}
	if scores != 0 {
		c.ScoresAt = time.Unix(scores, 0)
	}
	if agents != "" {
		c.Agents = strings.Split(agents, ",")
	}
	if c.State == Active && !c.Until.IsZero() && !now.Before(c.Until) {
		c.State = Ended
	}
	return c, err
}

// List reads every campaign, newest first.
func (s *Service) List(ctx context.Context) ([]Campaign, error) {
	rows, err := s.DB.Read.QueryContext(ctx, campaignSelect+` ORDER BY k.id DESC`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Campaign
	now := s.now()
	for rows.Next() {
		c, err := scanCampaign(rows, now)
		if err != nil {
			return nil, s.DB.Describe(err)
		}
		out = append(out, c)
	}
	return out, s.DB.Describe(rows.Err())
}

// Get reads one campaign by name; crm.ErrNotFound when there is none.
func (s *Service) Get(ctx context.Context, name string) (Campaign, error) {
	c, err := scanCampaign(s.DB.Read.QueryRowContext(ctx, campaignSelect+` WHERE k.name = ?`, name), s.now())
	if err == sql.ErrNoRows {
		return c, notFound(name)
	}
	return c, s.DB.Describe(err)
}
