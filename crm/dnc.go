package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dangol/dangol/db"
)

// DNCEntry is one line of a do-not-call list.
type DNCEntry struct {
	Line  int
	Value string
}

// DNCResult says what a do-not-call list did.
type DNCResult struct {
	Set       []int64       // customers put on the list
	Already   int           // values whose customers were on it
	NotFound  []ImportIssue // values that are no customer's
	Cancelled int           // open callbacks cancelled (by the queue)
}

// ImportDNC puts the customers a do-not-call list names on the list, in
// one transaction: each value is a customer number (up to 7 digits) or a
// phone number as written (the 080 line's lists); every customer holding
// that number is included. Their open callbacks are cancelled by the
// queue (through DoNotCall), each change audited.
func (s *Service) ImportDNC(ctx context.Context, actor Agent, values []DNCEntry, region string) (DNCResult, error) {
	var res DNCResult
	if s.DoNotCall == nil {
		return res, errors.New("do-not-call needs the callback queue to cancel the customers' callbacks")
	}
	if err := s.Require(ctx, actor, PermTeamWork, "import dnc"); err != nil {
		return res, err
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res = DNCResult{}
		for _, v := range values {
			text := strings.TrimSpace(v.Value)
			var ids []int64
			var err error
			if digits := digitsOf(text); len(digits) > 0 && len(digits) <= 7 && digits == text {
				ids, err = IDs(ctx, tx, `SELECT id FROM customers WHERE id = ?`, digits)
			} else if e164, _, _, perr := ImportPhone(text, region); perr == nil {
				ids, err = IDs(ctx, tx, `SELECT DISTINCT customer_id FROM phones WHERE e164 = ?`, e164)
			} else {
				res.NotFound = append(res.NotFound, ImportIssue{Line: v.Line, Why: fmt.Sprintf("%q is neither a customer number nor a phone number", text)})
				continue
			}
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				res.NotFound = append(res.NotFound, ImportIssue{Line: v.Line, Why: fmt.Sprintf("%q is no customer's", text)})
				continue
			}
			for _, id := range ids {
				var dnc bool
				if err := tx.QueryRowContext(ctx, `SELECT dnc FROM customers WHERE id = ? FOR UPDATE`, id).Scan(&dnc); err != nil {
					return err
				}
				if dnc {
					res.Already++
					continue
				}
				reason := fmt.Sprintf("do-not-call list, line %d", v.Line)
				if err := SetDNC(ctx, tx, actor, id, now, reason); err != nil {
					return err
				}
				n, err := s.DoNotCall(ctx, tx, actor, id, now, reason)
				if err != nil {
					return err
				}
				res.Set = append(res.Set, id)
				res.Cancelled += n
			}
		}
		return nil
	})
	if err != nil {
		return DNCResult{}, s.DB.Describe(err)
	}
	for _, id := range res.Set {
		s.publishCustomer(id, actor, "dnc")
	}
	return res, nil
}
