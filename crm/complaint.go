package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// SLA is how fast complaints must be answered and resolved.
type SLA struct {
	FirstResponse time.Duration
	Resolution    time.Duration
}

// DefaultSLA is 24 hours to the first response and 72 to resolution; a
// database may set meta rows sla.first_response_hours and
// sla.resolution_hours.
var DefaultSLA = SLA{FirstResponse: 24 * time.Hour, Resolution: 72 * time.Hour}

// SLA reads the complaint SLA of the database.
func (s *Service) SLA(ctx context.Context) SLA {
	sla := DefaultSLA
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'sla.%'`)
	if err != nil {
		return sla
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		rows.Scan(&k, &v)
		h, err := strconv.Atoi(v)
		if err != nil || h <= 0 {
			continue
		}
		switch k {
		case "sla.first_response_hours":
			sla.FirstResponse = time.Duration(h) * time.Hour
		case "sla.resolution_hours":
			sla.Resolution = time.Duration(h) * time.Hour
		}
	}
	return sla
}

// SLAState is where a complaint stands against its SLA.
type SLAState int

// A complaint is within its SLA, at risk (three quarters of the time gone),
// or breached.
const (
	SLAOK SLAState = iota
	SLAAtRisk
	SLABreached
)

// SLAStatus says which clock runs for a complaint, when it ends and how it stands.
type SLAStatus struct {
	State SLAState
	Clock string    // first_response or resolution; empty once resolved
	Due   time.Time // when the running clock ends
}

// Against applies the SLA to a complaint at now: an open complaint runs the
// first-response clock, a responded one the resolution clock.
func (c Complaint) Against(sla SLA, now time.Time) SLAStatus {
	var st SLAStatus
	switch c.Status {
	case "open":
		st.Clock, st.Due = "first_response", c.OpenedAt.Add(sla.FirstResponse)
	case "responded":
		st.Clock, st.Due = "resolution", c.OpenedAt.Add(sla.Resolution)
	default:
		return st
	}
	total := st.Due.Sub(c.OpenedAt)
	used := now.Sub(c.OpenedAt)
	switch {
	case used >= total:
		st.State = SLABreached
	case used*4 >= total*3:
		st.State = SLAAtRisk
	}
	return st
}

// OpenComplaint records a complaint with the note of the contact that
// raised it.
func (s *Service) OpenComplaint(ctx context.Context, actor Agent, customerID int64, subject, note string) (int64, error) {
	subject = strings.TrimSpace(subject)
	if subject == "" {
		return 0, problem.New("complaint_no_subject", "a complaint needs a subject")
	}
	if note == "" {
		note = subject
	}
	if err := ValidateNote(note); err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO complaints(customer_id, subject, status, opened_at, opened_by)
			VALUES (?, ?, 'open', ?, ?) RETURNING id`, customerID, subject, now.Unix(), actorID(actor)).Scan(&id)
		if db.IsForeignKey(err) {
			return fmt.Errorf("customer %d: %w", customerID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := AddNoteTx(ctx, tx, actor, NewNote{CustomerID: customerID, Body: note, ComplaintID: id, Inbound: true}, now); err != nil {
			return err
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "complaint", EntityID: id, Action: "open", To: "open", Reason: subject})
	})
	if err != nil {
		return 0, s.DB.Describe(err)
	}
	s.publishCustomer(customerID, actor, "complaint")
	return id, nil
}

// RespondComplaint records the first (or a further) response to a complaint.
func (s *Service) RespondComplaint(ctx context.Context, actor Agent, id int64, note string) error {
	return s.moveComplaint(ctx, actor, id, note, "responded")
}

// ResolveComplaint closes a complaint with the note of how it was resolved.
func (s *Service) ResolveComplaint(ctx context.Context, actor Agent, id int64, note string) error {
	return s.moveComplaint(ctx, actor, id, note, "resolved")
}

func (s *Service) moveComplaint(ctx context.Context, actor Agent, id int64, note, to string) error {
	if err := ValidateNote(note); err != nil {
		return err
	}
	now := s.now()
	var customerID int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT customer_id, status FROM complaints WHERE id = ? FOR UPDATE`, id).Scan(&customerID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("complaint %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status == "resolved" {
			return problem.New("complaint_resolved", "complaint %d is already resolved", id)
		}
		q := `UPDATE complaints SET status = 'responded', first_response_at = coalesce(first_response_at, ?) WHERE id = ?`
		args := []any{now.Unix(), id}
		if to == "resolved" {
			q = `UPDATE complaints SET status = 'resolved', first_response_at = coalesce(first_response_at, ?),
				resolved_at = ?, resolved_by = ? WHERE id = ?`
			args = []any{now.Unix(), now.Unix(), actorID(actor), id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		if _, err := AddNoteTx(ctx, tx, actor, NewNote{CustomerID: customerID, Body: note, ComplaintID: id}, now); err != nil {
			return err
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "complaint", EntityID: id, Action: to, From: status, To: to})
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.publishCustomer(customerID, actor, "complaint")
	return nil
}

// SetMeta stores one meta row through q, audited as a policy change with
// its old and new value. The queue's policy and crm's SLA are meta rows;
// crm owns the table, the queue asks here.
func SetMeta(ctx context.Context, q *db.Tx, actor Agent, key, value string, now time.Time) error {
	// The row is made (empty reads as missing) so that it can be locked:
	// two admins changing one setting at once each audit what they saw.
	if _, err := q.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, '') ON CONFLICT(key) DO NOTHING`, key); err != nil {
		return err
	}
	var old string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ? FOR UPDATE`, key).Scan(&old); err != nil {
		return err
	}
	if old == value {
		return nil
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return err
	}
	return WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "policy", Action: "edit", From: key + "=" + old, To: key + "=" + value})
}
