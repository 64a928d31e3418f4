package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// ImportCallbacks schedules the callbacks of a file through tx: each row
// names its customer (as crm.HistoryCustomer reads it), when to call, why,
// and optionally the kind, the priority and the agent who owns it (else
// the pool). A callback already held (same customer, due time and reason)
// changes nothing, so a file imports again safely. The rules of Add hold:
// a do-not-call customer, a customer without a number, an unknown kind or
// an agent at their cap is refused, with the line.
func (s *Service) ImportCallbacks(ctx context.Context, tx *db.Tx, actor crm.Agent, rows []crm.HistoryRow, region string,
	now time.Time) (crm.ImportResult, error) {
	var res crm.ImportResult
	for _, r := range rows {
		why, added, err := s.importCallback(ctx, tx, actor, r, region, now)
		if err != nil {
			return res, fmt.Errorf("line %d: %w", r.Line, err)
		}
		switch {
		case why != "":
			res.Rejected = append(res.Rejected, crm.ImportIssue{Line: r.Line, Why: why})
		case added:
			res.Created++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

func (s *Service) importCallback(ctx context.Context, tx *db.Tx, actor crm.Agent, r crm.HistoryRow, region string,
	now time.Time) (why string, added bool, err error) {
	customer, why, err := crm.HistoryCustomer(ctx, tx, r, region)
	if err != nil || why != "" {
		return why, false, err
	}
	due, ok := crm.ReadTime(r.At, s.CRM.SiteZone(ctx))
	if !ok {
		return fmt.Sprintf("the due time %q does not read", r.At), false, nil
	}
	n := NewCallback{CustomerID: customer, Kind: strings.TrimSpace(r.Kind), Reason: strings.TrimSpace(r.Body), Due: due}
	if p := strings.TrimSpace(r.Priority); p != "" {
		if n.Priority, err = strconv.Atoi(p); err != nil {
			return fmt.Sprintf("priority %q: use 1 (most urgent) to 5", p), false, nil
		}
	}
	if name := strings.TrimSpace(r.Agent); name != "" {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM agents WHERE name = ? AND active`, name).Scan(&n.OwnerID); errors.Is(err, sql.ErrNoRows) {
			return fmt.Sprintf("no active agent is called %q", name), false, nil
		} else if err != nil {
			return "", false, err
		}
	}
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM callbacks WHERE customer_id = ? AND due_at = ? AND reason = ?`,
		customer, due.Unix(), n.Reason).Scan(&held); err != nil || held > 0 {
		return "", false, err
	}
	if _, err := s.insertCallback(ctx, tx, actor, n, now); err != nil {
		var p problem.Error
		if errors.As(err, &p) || errors.Is(err, crm.ErrNotFound) {
			return err.Error(), false, nil
		}
		return "", false, err
	}
	return "", true, nil
}
