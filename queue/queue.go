// Package queue is dangol's callback engine: the queue an agent works,
// claims and their leases, dispositions, rescheduling, reassignment and
// reminders. It is plain Go over SQLite and uses crm for customers, agents
// and the audit log.
package queue

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// State is where a callback is in its lifecycle.
type State string

// The lifecycle of the design.
const (
	Scheduled State = "scheduled"
	Claimed   State = "claimed"
	Done      State = "done"
	Cancelled State = "cancelled"
	Failed    State = "failed"
)

// Open reports whether the callback still needs a call.
func (s State) Open() bool { return s == Scheduled || s == Claimed }

// Callback is one promised call to a customer.
type Callback struct {
	ID           int64
	CustomerID   int64
	CustomerName string
	Phone        crm.Phone // the number to call
	Kind         string    // service, complaint, sales, marketing
	Reason       string
	Priority     int // 1 is most urgent
	Due          time.Time
	Owner        string // login name; empty for the team pool
	State        State
	Attempts     int
	MaxAttempts  int
	ClaimedBy    string
	ClaimedAt    time.Time
	LeaseUntil   time.Time
	Disposition  string
	CreatedAt    time.Time
	CreatedBy    string

	CustomerTZ string // the customer's zone: calling windows are local
	DNC        bool   // the customer is on the do-not-call list
	Window     Window // when the customer may be called
	Tier       string // the customer's tier code: basic, silver, gold, vip
	// NeedsConsent is the consent the kind of call needs ("" none,
	// marketing, sms, email); HasConsent whether the customer gave it.
	NeedsConsent string
	HasConsent   bool
	CampaignID   int64 // the retention campaign that booked it; 0 none
}

// Pool reports whether the callback belongs to the team pool.
func (c Callback) Pool() bool { return c.Owner == "" }

// Overdue reports whether the callback is open and past due at now.
func (c Callback) Overdue(now time.Time) bool { return c.State.Open() && !c.Due.After(now) }

// ClaimedByAgent reports whether the named agent holds the callback's claim.
func (c Callback) ClaimedByAgent(name string) bool { return c.State == Claimed && c.ClaimedBy == name }

// Service holds what every queue operation needs.
type Service struct {
	DB  *db.DB
	CRM *crm.Service
	Now func() time.Time

	policy atomic.Pointer[Policy] // see Policy
	zones  zoneSet                // the customers' zones seen, for listings (see windowOpen)
	counts sharedCounts           // the pool's and the team's counts, shared by the consoles
	fresh  freshness              // this node's refreshes of the calling windows (refreshReady)
}

// New returns a Service on d using the wall clock and the default policy.
// It also lends crm the queue's side of a do-not-call request, so a
// customer edited to do-not-call loses their open callbacks in the same
// transaction while the callbacks table keeps one owner.
func New(d *db.DB, c *crm.Service) *Service {
	s := &Service{DB: d, CRM: c, Now: time.Now}
	s.SetPolicy(DefaultPolicy())
	if c != nil {
		c.DoNotCall = func(ctx context.Context, tx *db.Tx, actor crm.Agent, customerID int64, now time.Time, reason string) (int, error) {
			ids, err := cancelOpen(ctx, tx, actor, customerID, 0, now, reason)
			return len(ids), err
		}
	}
	return s
}

// Policy is the policy in force. A server's consoles share the service,
// and a supervisor may change the policy while agents claim (LoadPolicy),
// so it is swapped whole, never written in place.
func (s *Service) Policy() Policy { return *s.policy.Load() }

// SetPolicy makes p the policy in force.
func (s *Service) SetPolicy(p Policy) { s.policy.Store(&p) }

// publish tells every console of this process that a callback changed.
func (s *Service) publish(id int64, actor crm.Agent, action string) {
	s.DB.Changes.Publish(changeOf("callback", id, actor, action))
}

func changeOf(entity string, id int64, actor crm.Agent, action string) db.Change {
	return db.Change{Entity: entity, ID: id, Actor: actor.Name, Action: action}
}

func (s *Service) now() time.Time { return s.Now().Truncate(time.Second) }
