package queue

import (
	"context"
	"errors"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// BlockReason says why a callback may not be offered now.
type BlockReason string

// The calling rules.
const (
	BlockNone         BlockReason = ""
	BlockDNC          BlockReason = "dnc"           // the customer is on the do-not-call list
	BlockInvalidPhone BlockReason = "invalid_phone" // the number is marked wrong
	BlockNoPhone      BlockReason = "no_phone"      // the customer has no number at all
	BlockWindow       BlockReason = "window"        // outside the customer's allowed local time
	BlockConsent      BlockReason = "consent"       // the kind of call needs a consent the customer has not given
)

// Block is the result of the calling rules for one callback at one moment.
type Block struct {
	Reason  BlockReason
	OpensAt time.Time // for BlockWindow: when calling is allowed next
	Need    string    // for BlockConsent: the consent the call needs
}

// Window is a span of the customer's local day in which a call may ring.
type Window struct {
	StartMin, EndMin int  // minutes after local midnight, [start, end)
	Exempt           bool // the customer asked for this call: any hour
}

// Open reports whether the window admits a call at now in zone loc, and if
// not, when it opens next.
func (w Window) Open(now time.Time, loc *time.Location) (bool, time.Time) {
	if w.Exempt || w.StartMin >= w.EndMin {
		return true, time.Time{}
	}
	local := now.In(loc)
	minute := local.Hour()*60 + local.Minute()
	if minute >= w.StartMin && minute < w.EndMin {
		return true, time.Time{}
	}
	day := local
	if minute >= w.EndMin {
		day = local.AddDate(0, 0, 1)
	}
	opens := time.Date(day.Year(), day.Month(), day.Day(), w.StartMin/60, w.StartMin%60, 0, 0, loc)
	return false, opens
}

// Check applies the calling rules to a callback at now: do-not-call, a
// usable number, and the customer's local window.
func Check(c Callback, now time.Time) Block {
	switch {
	case c.DNC:
		return Block{Reason: BlockDNC}
	case c.Phone.ID == 0:
		return Block{Reason: BlockNoPhone}
	case c.Phone.Invalid:
		return Block{Reason: BlockInvalidPhone}
	case c.NeedsConsent != "" && !c.HasConsent:
		return Block{Reason: BlockConsent, Need: c.NeedsConsent}
	}
	if ok, opens := c.Window.Open(now, db.Zone(c.CustomerTZ)); !ok {
		return Block{Reason: BlockWindow, OpensAt: opens}
	}
	return Block{}
}

// callableSQL is Check in SQL, for claims: the same rules, applied inside
// the one statement that takes the callback. It reads only the callback's
// own columns (alias cb), which triggers keep in step with the customer,
// phone and window rows (migration 0004); its one argument is now.
const callableSQL = `cb.blocked = 0
	AND (cb.win_start >= cb.win_end OR local_minute(cb.tz, ?) BETWEEN cb.win_start AND cb.win_end - 1)`

// audited returns err, after recording it in the audit log when it is a
// refusal of ownership (another agent's claim or callback); calling rules
// are ordinary flow and are not recorded.
func (s *Service) audited(ctx context.Context, actor crm.Agent, id int64, tried string, err error) error {
	var p problem.Error
	var ce ClaimError
	switch {
	case errors.As(err, &p) && p.Code == "not_your_claim", errors.As(err, &ce) && ce.Why == OthersCallback:
		if werr := s.CRM.Refused(db.Background(ctx), actor, "callback", id, tried, err); werr != nil {
			return werr
		}
	}
	return err
}
