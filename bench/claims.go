package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// claimers is how many claim at once: a floor of agents and dialers.
const claimers = 64

// rounds alternate claim-next and the raw update so a busy machine slows
// both alike.
const rounds = 10

// claimsPer is how many claims each figure makes in all.
func (f *fixture) claimsPer() int { return max(f.o.Samples*4, 640) }

// claims measures claim-next by 64 claimers beside raw updates.
func (f *fixture) claims(ctx context.Context, r *Result) error {
	var err error
	if r.ClaimPerS, r.RawPerS, err = f.claimVsRaw(ctx, r, 0); err != nil || f.d.Engine().Name() != "postgres" {
		return err
	}
	r.ClaimTwoNodesPerS, err = f.claimTwoNodes(ctx, r)
	return err
}

// claimTwoNodes measures claim-next on PostgreSQL from two nodes at once:
// a second opening of the database (its own pools of 8, its own change
// notices, as another `dangol serve` has), the 64 claimers taking turns
// between the two.
func (f *fixture) claimTwoNodes(ctx context.Context, r *Result) (float64, error) {
	other, err := db.Open(ctx, f.o.Path)
	if err != nil {
		return 0, err
	}
	defer other.Close()
	q2 := queue.New(other, crm.New(other))
	if _, err := q2.LoadPolicy(ctx); err != nil {
		return 0, err
	}
	n := f.claimsPer()
	if _, err := f.add(ctx, n+claimers, 1, time.Now().Add(-72*time.Hour).Unix(), anyHour); err != nil {
		return 0, err
	}
	nodes := []*queue.Service{f.q, q2}
	left := int64(n)
	var mu sync.Mutex
	seen := map[int64]bool{}
	took, err := together(func() (bool, error) {
		k := atomic.AddInt64(&left, -1)
		if k < 0 {
			return false, nil
		}
		cl, err := nodes[k%2].ClaimNext(ctx, f.minji)
		if err != nil {
			return false, err
		}
		mu.Lock()
		defer mu.Unlock()
		if seen[cl.ID] {
			r.DoubleClaims++
		}
		seen[cl.ID] = true
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	return float64(n) / took.Seconds(), nil
}

// claimsBlocked is the same with 5,000 callbacks ranked first (priority 1,
// four days overdue) whose calling window is closed now.
func (f *fixture) claimsBlocked(ctx context.Context, r *Result) error {
	var err error
	r.ClaimBlockedPerS, r.RawBlockedPerS, err = f.claimVsRaw(ctx, r, 5000)
	return err
}

// claimsBestFirst is the same with the best time's tie-break on
// (policy.best_time_first): the claims' callbacks are all of one priority
// and due time, so each claim chooses among the first fifty.
func (f *fixture) claimsBestFirst(ctx context.Context, r *Result) error {
	p := f.q.Policy()
	p.BestTimeFirst = true
	f.q.SetPolicy(p)
	defer func() {
		p.BestTimeFirst = false
		f.q.SetPolicy(p)
	}()
	var err error
	r.ClaimBestPerS, r.RawBestPerS, err = f.claimVsRaw(ctx, r, 0)
	return err
}

// claimVsRaw adds the callbacks the claims will take (priority 1, three
// days overdue, so they rank before the fixture's own) and those the raw
// updates will change (due in a month), with blocked closed-window ones
// ranked first, and measures both in alternating rounds.
func (f *fixture) claimVsRaw(ctx context.Context, r *Result, blocked int) (claimRate, rawRate float64, err error) {
	n := f.claimsPer()
	per := n / rounds
	now := time.Now()
	if blocked > 0 {
		start, end := closedWindow(now)
		if _, err := f.add(ctx, blocked, 1, now.Add(-96*time.Hour).Unix(), window{start, end}); err != nil {
			return 0, 0, err
		}
	}
	// Fresh rows to claim, with room to spare, all before the raw ones.
	if _, err := f.add(ctx, n+claimers, 1, now.Add(-72*time.Hour).Unix(), anyHour); err != nil {
		return 0, 0, err
	}
	raw, err := f.add(ctx, n, 5, now.Add(30*24*time.Hour).Unix(), anyHour)
	if err != nil {
		return 0, 0, err
	}
	seen := map[int64]bool{}
	var rawTime, claimTime time.Duration
	for round := range rounds {
		d, err := f.rawRound(ctx, raw[round*per:(round+1)*per])
		if err != nil {
			return 0, 0, err
		}
		rawTime += d
		d, err = f.claimRound(ctx, r, per, seen)
		if err != nil {
			return 0, 0, err
		}
		claimTime += d
	}
	// The audit agrees: one claim row per callback.
	var twice int
	if err := f.d.Read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT entity_id FROM audit_log
		WHERE id > ? AND entity = 'callback' AND action = 'claim' GROUP BY entity_id HAVING count(*) > 1) twice`, f.auditMrk).Scan(&twice); err != nil {
		return 0, 0, f.d.Describe(err)
	}
	r.DoubleClaims = max(r.DoubleClaims, twice)
	total := float64(per * rounds)
	return total / claimTime.Seconds(), total / rawTime.Seconds(), nil
}

// closedWindow is a calling window (local minutes, Seoul) that does not
// hold now: an hour starting two hours ahead, or ending four hours ago.
func closedWindow(now time.Time) (start, end int) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		seoul = time.FixedZone("KST", 9*3600)
	}
	t := now.In(seoul)
	m := t.Hour()*60 + t.Minute()
	if m < 720 {
		return m + 120, m + 180
	}
	return m - 300, m - 240
}

// claimRound has 64 claimers take n callbacks with claim-next, recording
// each id: one handed out twice is a double claim.
func (f *fixture) claimRound(ctx context.Context, r *Result, n int, seen map[int64]bool) (time.Duration, error) {
	left := int64(n)
	var mu sync.Mutex
	return together(func() (bool, error) {
		if atomic.AddInt64(&left, -1) < 0 {
			return false, nil
		}
		cl, err := f.q.ClaimNext(ctx, f.minji)
		if err != nil {
			return false, err
		}
		mu.Lock()
		if seen[cl.ID] {
			r.DoubleClaims++
		}
		seen[cl.ID] = true
		mu.Unlock()
		if cl.ID <= f.cbMark {
			return false, fmt.Errorf("claim-next took callback %d, which the bench did not add", cl.ID)
		}
		return true, nil
	})
}

// rawRound has 64 workers claim the given callbacks by id with a single
// UPDATE … RETURNING each: the least a claim can cost.
func (f *fixture) rawRound(ctx context.Context, ids []int64) (time.Duration, error) {
	if len(ids) == 0 {
		return 0, errors.New("no callbacks to update")
	}
	work := make(chan int64, len(ids))
	for _, id := range ids {
		work <- id
	}
	close(work)
	now := time.Now().Unix()
	return together(func() (bool, error) {
		id, ok := <-work
		if !ok {
			return false, nil
		}
		var got int64
		err := f.d.QueryRowContext(ctx, `UPDATE callbacks SET state = 'claimed', claimed_by = ?, claimed_at = ?,
			lease_until = ?, updated_at = ? WHERE id = ? AND state = 'scheduled' RETURNING id`,
			f.minji.ID, now, now+600, now, id).Scan(&got)
		if err != nil {
			return false, fmt.Errorf("raw update of callback %d: %w", id, f.d.Describe(err))
		}
		return true, nil
	})
}

// together runs step in 64 goroutines, each until step says there is no
// more or fails, and returns how long they took and the first failure.
func together(step func() (more bool, err error)) (time.Duration, error) {
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	start := time.Now()
	for range claimers {
		wg.Go(func() {
			for {
				more, err := step()
				if err != nil {
					once.Do(func() { first = err })
					return
				}
				if !more {
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), first
}
