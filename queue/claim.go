package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// ErrNothingCallable is returned by ClaimNext when no callback may be
// called now: the queue is empty, nothing is due, or every due callback is
// blocked by a calling rule.
var ErrNothingCallable = errors.New("nothing to call now")

// claimSet is the SET clause that takes a callback for an agent until the
// lease ends; its arguments are claimSetArgs.
const claimSet = `UPDATE callbacks SET state = 'claimed', claimed_by = ?, claimed_at = ?,
	lease_until = ?, updated_at = ?, updated_by = ?`

func claimSetArgs(agent crm.Agent, now, lease time.Time) []any {
	return []any{agent.ID, now.Unix(), lease.Unix(), now.Unix(), agent.ID}
}

// claimNextSQL claims, in one statement, the best callable callback for an
// agent: due now or earlier, theirs or the pool's, in the queue's
// next-best order (priority, due time, personal before pool, id). The
// trigger callbacks_claim_audit writes the audit row in the same
// statement. Arguments: claimSetArgs, then now, the agent, now, then the
// gate's moment (refreshGate).
//
// The ORDER BY is the order of the callbacks_ready index after its two
// equalities (state, ready), so the planner walks the index from the
// first scheduled callback that may be called now (ready, kept by
// refreshReadySQL) and stops at the first due one of this agent or the
// pool, without a sort; blocked callbacks are not in that range, so
// however many there are, they cost nothing. The index holds every column
// the rules read, so no table row is touched until the claim.
// The ORDER BY is not free on SQLite, although its program is the one
// without it (but for a no-op): the statement alone took 33 µs against
// 9 µs, and BenchmarkClaimNextVsRaw gave 0.40–0.48× raw updates against
// 0.51–0.57× without it. Preparing the claim once instead of every time
// did not change that. It stays: the order is the rule, and an engine
// without SQLite's index walk needs it said.
// The two columns after id change no order (id is unique): they are
// callbacks_ready's next ones, and not callbacks_window's, which has the
// same first four. PostgreSQL's planner took callbacks_window, whose range
// holds the claimed callbacks too: each claim walked past all those taken
// before it (the bench's claims fell to 40/s).
// TestTheHotQueriesReadTheirIndexes checks the plan; TestClaimNextOrder
// and TestConcurrentClaimsNeverDoubleUp pin the order and the
// exclusivity. On an engine with row locks the subquery locks the row it
// picks and skips rows another claim holds (SQLite drops the clause: its
// write transaction holds the database).
var claimNextSQL = claimSet + `
	WHERE state = 'scheduled' AND id = (` + claimNextPick("cb.id") + `
		LIMIT 1
		FOR NO KEY UPDATE SKIP LOCKED)
		AND ` + refreshGate + `
	RETURNING id`

// claimNextPick is claim-next's choice of cols, in its order, before its
// LIMIT. Arguments: now, the agent, now.
func claimNextPick(cols string) string {
	return `
		SELECT ` + cols + ` FROM callbacks cb
		WHERE cb.state = 'scheduled' AND cb.ready = 1 AND cb.due_at <= ?
			AND (cb.owner_id IS NULL OR cb.owner_id = ?)
			AND ` + callableSQL + `
		ORDER BY cb.priority, cb.due_at, (cb.owner_id IS NULL), cb.id, cb.owner_id, cb.win_start`
}

// claimNextBestSQL is claimNextSQL with the best time's tie-break
// (Policy.BestTimeFirst): of the first 50 callbacks in the queue's order,
// among those of the first's priority and due time, a customer whose best
// band (as the last scoring kept it, customer_scores.best_from) holds the
// local minute now comes first.
// Arguments: claimSetArgs, then now, the agent, now, then now twice, then
// the gate's moment (refreshGate).
//
// The look is bounded: ordering every callback by the tie-break let
// SQLite take the order from the index only up to the due time and sort
// each run of equal ones; a run is as long as a campaign booked at one
// time, and a claim took 33 ms among 18,000 such; with the look of fifty,
// 0.75 ms, against 0.58 ms without the tie-break.
// The look locks nothing: locking its fifty rows (SKIP LOCKED, as
// claimNextSQL locks its one) made a claim beside it find nothing left in
// a small queue, and 64 claimers on PostgreSQL claimed 600 callbacks in
// 13.7 s against 5.6 s without the tie-break (unlocked: 6.8 s against
// 4.4 s, TestConcurrentClaimsBestTimeFirstNeverDoubleUp). Two claims may
// then pick the same callback. Only the one picked is locked, and it is
// skipped when another claim holds it: waiting for it instead made a
// convoy on PostgreSQL, because a waiting UPDATE that finds the row no
// longer scheduled keeps the lock it took to look (until it commits), so
// the 63 others waited in turn for each one's whole claim, and in CI some
// waited past the 5 s lock timeout. A claim whose pick is held, or was
// claimed since, or whose look found nothing, takes claimNextSQL's pick
// instead (claim).
var claimNextBestSQL = claimSet + `
	WHERE state = 'scheduled' AND id = (SELECT p.id FROM callbacks p WHERE p.id = (
		SELECT c.id FROM (` + claimNextPick("cb.id, cb.priority, cb.due_at, cb.owner_id, cb.customer_id, cb.tz") + `
			LIMIT 50) c
		ORDER BY c.priority, c.due_at, NOT EXISTS (SELECT 1 FROM customer_scores s WHERE s.customer_id = c.customer_id
				AND s.best_from <= local_minute(c.tz, ?) AND local_minute(c.tz, ?) < s.best_from + ` + bandMinutes + `),
			(c.owner_id IS NULL), c.id
		LIMIT 1)
		FOR NO KEY UPDATE SKIP LOCKED)
		AND ` + refreshGate + `
	RETURNING id`

// refreshGate holds claim-next back while a calling window is to be
// worked out (refreshReadySQL): the first flip (refreshDueSQL) is later
// than its argument (now; on a claim's second try, the earliest there is,
// so nothing is held back). It is
// asked once a statement, on callbacks_flip. When a claim finds nothing,
// claim asks refreshDueSQL, refreshes if it is due, and claims again
// without the gate.
const refreshGate = `(` + refreshDueSQL + `) > ?`

// bandMinutes is the width of a best-time band, in minutes, in SQL.
var bandMinutes = strconv.Itoa(crm.BandHours * 60)

// refreshReadySQL recomputes, before a claim, the callbacks whose window
// has opened or closed (or whose rules changed) since they were last
// looked at: usually none, after a window closes on many at once, those.
// Arguments: now, three times.
const refreshReadySQL = `UPDATE callbacks SET
		ready = CAST((blocked = 0 AND (win_start >= win_end OR local_minute(tz, ?) BETWEEN win_start AND win_end - 1)) AS INTEGER),
		flip_at = CASE WHEN blocked <> 0 THEN ` + neverSQL + ` ELSE window_flip(tz, win_start, win_end, ?) END
	WHERE state = 'scheduled' AND flip_at <= ?`

// neverSQL is db.Never in SQL.
const neverSQL = "4611686018427387904"

// claimOneSQL claims one callback for an agent if it is theirs or the
// pool's, still scheduled and callable now. It may be claimed before it is
// due: the agent chose to call early. Arguments: claimSetArgs, then the
// id, the agent, the id, now.
const claimOneSQL = claimSet + `
	WHERE id = ? AND state = 'scheduled' AND (owner_id IS NULL OR owner_id = ?)
		AND EXISTS (SELECT 1 FROM callbacks cb WHERE cb.id = ? AND ` + callableSQL + `)
	RETURNING id`

// Claim is a callback taken by an agent until the lease runs out. Get reads
// the callback with its customer; the claim itself touches only what it must
// while it holds the write lock.
type Claim struct {
	ID         int64
	LeaseUntil time.Time
}

// ClaimNext takes the next best callable callback for agent, with a lease.
// Two consoles or processes never get the same one.
func (s *Service) ClaimNext(ctx context.Context, agent crm.Agent) (Claim, error) {
	return s.claim(ctx, agent, 0)
}

// Claim takes one callback for agent. When it cannot, the error says why:
// someone else has it, it is another agent's, it is closed, or a calling
// rule blocks it.
func (s *Service) Claim(ctx context.Context, agent crm.Agent, id int64) (Claim, error) {
	return s.claim(ctx, agent, id)
}

func (s *Service) claim(ctx context.Context, agent crm.Agent, id int64) (Claim, error) {
	now := s.now()
	policy := s.Policy()
	lease, best := now.Add(policy.Lease), policy.BestTimeFirst
	cl := Claim{LeaseUntil: lease}
	// One statement: the claim, and (by the trigger callbacks_claim_audit)
	// its audit row; claim-next's waits, in the same statement, until no
	// calling window is left to work out (refreshDueSQL). Autocommit: on
	// PostgreSQL one round trip, where a transaction with the refresh's
	// question in it took four.
	// The gate's moment: now, then, on the second try, the earliest there
	// is, so a window that flipped since the refresh is left to the next
	// claim.
	gate := now.Unix()
	claim := func(q db.Querier) error {
		if id != 0 {
			return q.QueryRowContext(ctx, claimOneSQL, append(claimSetArgs(agent, now, lease), id, agent.ID, id, now.Unix())...).Scan(&cl.ID)
		}
		args := append(claimSetArgs(agent, now, lease), now.Unix(), agent.ID, now.Unix())
		if best {
			err := q.QueryRowContext(ctx, claimNextBestSQL, append(args, now.Unix(), now.Unix(), gate)...).Scan(&cl.ID)
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			// Nothing in the look, or another claim took its pick
			// first: the next in the queue's own order.
		}
		return q.QueryRowContext(ctx, claimNextSQL, append(args, gate)...).Scan(&cl.ID)
	}
	err := s.DB.Autocommit(ctx, claim)
	if errors.Is(err, sql.ErrNoRows) && id == 0 {
		// Nothing to call, or the windows are to be worked out first. It
		// claims again either way: another claim's refresh may have
		// committed since the gate was asked, so the refresh found not
		// due now may have held this claim back.
		var next sql.NullInt64
		if err := s.DB.Read.QueryRowContext(ctx, refreshDueSQL).Scan(&next); err != nil {
			return Claim{}, s.DB.Describe(err)
		}
		if next.Valid && next.Int64 <= now.Unix() {
			if err := s.refreshReady(ctx, now); err != nil {
				return Claim{}, s.DB.Describe(err)
			}
		}
		gate = math.MinInt64
		err = s.DB.Autocommit(ctx, claim)
	}
	if errors.Is(err, sql.ErrNoRows) {
		if id == 0 {
			return Claim{}, ErrNothingCallable
		}
		return Claim{}, s.audited(ctx, agent, id, "claim", s.whyNotClaimable(ctx, agent, id, now))
	}
	if err != nil {
		return Claim{}, s.DB.Describe(err)
	}
	s.publish(cl.ID, agent, "claim")
	return cl, nil
}

// refreshDueSQL is the first moment a scheduled callback's window opens or
// closes (refreshReadySQL is due when it has passed): the first entry of
// callbacks_flip. Asked as EXISTS (… flip_at <= ?), PostgreSQL's plan for
// any value scanned the table: 144 ms at 100,000. A claim asks it in its
// own statement (refreshGate), and on the read pool only when it claimed
// nothing: asked on its own before every claim, on a read pool that kept
// fewer connections than its burst opened, 64 claimers on PostgreSQL
// opened and closed a connection each time, and claims ran at 140/s.
const refreshDueSQL = `SELECT min(flip_at) FROM callbacks WHERE state = 'scheduled'`

// refreshReady runs refreshReadySQL. On PostgreSQL the rows an UPDATE
// looks at stay locked until it commits, and claims pass locked rows by
// (SKIP LOCKED), so:
//   - it commits on its own, before the claim: inside the claim's
//     transaction its rows were held while the claim went on (26 of 640
//     claims by 64 claimers found nothing, with 700 waiting);
//   - refreshes take turns on the row lock.refresh (migration 17), so the
//     second one starts after the first committed and finds nothing left:
//     two at once each kept every row locked (the bench's first 64
//     claims all found nothing).
//
// When a window opens on many callbacks at once every claimer finds the
// refresh due. Each then took its turn on lock.refresh, a transaction
// each, one after the other, on a server busy with the claims: in CI the
// last of 64 waited past the 5 s lock timeout and its claim failed. So a
// node refreshes one at a time (fresh), and a claimer that waited while
// another refresh of its node ended has nothing left to do; a refresh
// that gets the lock after another node's finds no row left to change.
// (A clock is not used to tell: a wall clock set back would have skipped
// refreshes until it caught up.) A window that flipped between the two
// refreshes' moments, a few milliseconds, is refreshed by the next claim;
// callableSQL checks the window on every claim meanwhile.
func (s *Service) refreshReady(ctx context.Context, now time.Time) error {
	ended := s.fresh.ended.Load()
	s.fresh.mu.Lock()
	defer s.fresh.mu.Unlock()
	if s.fresh.ended.Load() != ended {
		return nil
	}
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var turn string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lock.refresh' FOR UPDATE`).Scan(&turn); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, refreshReadySQL, now.Unix(), now.Unix(), now.Unix())
		return err
	})
	if err == nil {
		s.fresh.ended.Add(1)
	}
	return err
}

// freshness is how a node's refreshes of the calling windows take turns
// (refreshReady): one at a time, and a count of those that ended.
type freshness struct {
	mu    sync.Mutex
	ended atomic.Int64
}

// whyNotClaimable explains a refused claim in the agent's terms.
func (s *Service) whyNotClaimable(ctx context.Context, agent crm.Agent, id int64, now time.Time) error {
	cb, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case cb.State == Claimed && cb.ClaimedBy == agent.Name:
		return ClaimError{ID: id, Why: AlreadyYours, Who: agent.Name}
	case cb.State == Claimed:
		return ClaimError{ID: id, Why: TakenBy, Who: cb.ClaimedBy}
	case cb.State != Scheduled:
		return ClaimError{ID: id, Why: Closed, State: cb.State}
	case cb.Owner != "" && cb.Owner != agent.Name:
		return ClaimError{ID: id, Why: OthersCallback, Who: cb.Owner}
	}
	return BlockedError{ID: id, Block: Check(cb, now)}
}

// ClaimRefusal says why a callback could not be claimed.
type ClaimRefusal int

// Why a claim is refused, besides a calling rule (BlockedError).
const (
	AlreadyYours   ClaimRefusal = iota // the agent holds it already
	TakenBy                            // another agent holds it
	Closed                             // it is done, cancelled or failed
	OthersCallback                     // it is another agent's personal callback
)

// ClaimError is a refused claim; the console words it in the agent's language.
type ClaimError struct {
	ID    int64
	Why   ClaimRefusal
	Who   string // the holder or owner
	State State  // for Closed
}

func (e ClaimError) Error() string {
	switch e.Why {
	case AlreadyYours:
		return fmt.Sprintf("callback %d is already yours", e.ID)
	case TakenBy:
		return fmt.Sprintf("callback %d is taken: %s is on it", e.ID, e.Who)
	case Closed:
		return fmt.Sprintf("callback %d is %s", e.ID, e.State)
	}
	return fmt.Sprintf("callback %d belongs to %s", e.ID, e.Who)
}

// BlockedError is a claim refused by a calling rule.
type BlockedError struct {
	ID    int64
	Block Block
}

func (e BlockedError) Error() string {
	switch e.Block.Reason {
	case BlockDNC:
		return fmt.Sprintf("callback %d: the customer is on the do-not-call list", e.ID)
	case BlockInvalidPhone:
		return fmt.Sprintf("callback %d: the number is marked wrong", e.ID)
	case BlockNoPhone:
		return fmt.Sprintf("callback %d: the customer has no phone number", e.ID)
	case BlockConsent:
		return fmt.Sprintf("callback %d: a %s call needs the customer's consent, which they have not given", e.ID, e.Block.Need)
	case BlockWindow:
		return fmt.Sprintf("callback %d: outside the customer's calling hours; opens %s", e.ID,
			e.Block.OpensAt.Format("2006-01-02 15:04 MST"))
	}
	return fmt.Sprintf("callback %d cannot be claimed now", e.ID)
}

// Renew extends agent's lease on a callback they hold. It fails when the
// lease already ran out and the callback went back to the queue.
func (s *Service) Renew(ctx context.Context, agent crm.Agent, id int64) (time.Time, error) {
	now := s.now()
	lease := now.Add(s.Policy().Lease)
	res, err := s.DB.ExecContext(db.About(ctx, db.Lease), `UPDATE callbacks SET lease_until = ? WHERE id = ? AND state = 'claimed' AND claimed_by = ?`,
		lease.Unix(), id, agent.ID)
	if err != nil {
		return time.Time{}, s.DB.Describe(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return time.Time{}, problem.New("lease_lost", "callback %d is no longer yours: its lease ran out or it was taken back", id)
	}
	return lease, nil
}

// RenewAll extends the lease of every callback agent holds and says how
// many. A console calls it on its tick, so a claim lives as long as the
// console does and ends one lease after it.
func (s *Service) RenewAll(ctx context.Context, agent crm.Agent) (int, error) {
	lease := s.now().Add(s.Policy().Lease)
	res, err := s.DB.ExecContext(db.About(ctx, db.Lease), `UPDATE callbacks SET lease_until = ? WHERE state = 'claimed' AND claimed_by = ?`,
		lease.Unix(), agent.ID)
	if err != nil {
		return 0, s.DB.Describe(err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Release gives a claimed callback back to the queue untouched.
func (s *Service) Release(ctx context.Context, agent crm.Agent, id int64) error {
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE callbacks SET state = 'scheduled', claimed_by = NULL, claimed_at = NULL,
			lease_until = NULL, updated_at = ?, updated_by = ? WHERE id = ? AND state = 'claimed' AND claimed_by = ?`,
			now.Unix(), agent.ID, id, agent.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			cb, err := getCallback(ctx, tx, id)
			if err != nil {
				return err
			}
			if cb.State == Claimed {
				return problem.New("not_your_claim", "callback %d is %s's claim, not yours", id, cb.ClaimedBy)
			}
			return problem.New("not_claimed", "callback %d is not claimed (it is %s)", id, cb.State)
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: agent, Entity: "callback", EntityID: id,
			Action: "release", From: string(Claimed), To: string(Scheduled), Reason: "released by the agent"})
	})
	if err != nil {
		return s.audited(ctx, agent, id, "release", s.DB.Describe(err))
	}
	s.publish(id, agent, "release")
	return nil
}
