package queue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// fillPool schedules n callable pool callbacks, all due, in one transaction,
// spread over the seeded customers, with mixed priorities and due times.
func fillPool(t testing.TB, f *fixture, n int) []int64 {
	t.Helper()
	var customers []int64
	var phones []int64
	rows, err := f.DB.Query(`SELECT c.id, min(p.id) FROM customers c JOIN phones p ON p.customer_id = c.id AND p.invalid = 0
		WHERE c.dnc = 0 AND c.tz = 'Asia/Seoul' GROUP BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, phone int64
		rows.Scan(&id, &phone)
		customers = append(customers, id)
		phones = append(phones, phone)
	}
	rows.Close()
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]int64, 0, n)
	now := f.clock.t.Unix()
	tx, err := f.DB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, _ := tx.Prepare(`INSERT INTO callbacks(customer_id, phone_id, kind, priority, due_at, state, max_attempts, created_at, updated_at)
		VALUES (?, ?, 'service', ?, ?, 'scheduled', 5, ?, ?) RETURNING id`)
	for i := 0; i < n; i++ {
		var id int64
		k := i % len(customers)
		if err := stmt.QueryRow(customers[k], phones[k], 1+r.IntN(5), now-int64(r.IntN(3600)), now, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestConcurrentClaimsNeverDoubleUp has 64 goroutines claim from one file
// until nothing is left. They share 8 database handles, so claims race both
// inside a process (one write connection per handle) and between
// connections (SQLite's own locking). Run it with -race.
func TestConcurrentClaimsNeverDoubleUp(t *testing.T) {
	claimAllAtOnce(t, false)
}

// The best time's tie-break looks at fifty callbacks per claim (and, on
// PostgreSQL, locks them while it chooses): still one claim each.
func TestConcurrentClaimsBestTimeFirstNeverDoubleUp(t *testing.T) {
	claimAllAtOnce(t, true)
}

// claimAllAtOnce has 64 claimers on 8 connections empty a pool of 600;
// bestFirst turns the best time's tie-break on, with half the customers
// in their best band now.
func claimAllAtOnce(t *testing.T, bestFirst bool) {
	f := newFixture(t, 120, false)
	ids := fillPool(t, f, 600)
	agents := []crm.Agent{f.minji, f.junho, f.sora}
	if bestFirst {
		if _, err := f.DB.Exec(`INSERT INTO customer_scores(customer_id, segment, churn, recency_days, frequency, monetary, best_from, scored_at)
			SELECT id, 'loyal', 0, 1, 1, 1, CASE WHEN id % 2 = 0 THEN 840 ELSE 1080 END, 0 FROM customers`); err != nil {
			t.Fatal(err)
		}
	}

	services := make([]*Service, 8)
	for i := range services {
		d, err := db.Open(context.Background(), f.DB.Target)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		c := crm.New(d)
		c.Now = f.clock.Now
		services[i] = New(d, c)
		services[i].Now = f.clock.Now
		p := services[i].Policy()
		p.BestTimeFirst = bestFirst
		services[i].SetPolicy(p)
	}

	var mu sync.Mutex
	claimedBy := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			svc, agent := services[g%len(services)], agents[g%len(agents)]
			for {
				cb, err := svc.ClaimNext(context.Background(), agent)
				if errors.Is(err, ErrNothingCallable) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				claimedBy[cb.ID]++
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("claim failed: %v", err)
	}
	for _, id := range ids {
		if n := claimedBy[id]; n != 1 {
			t.Errorf("callback %d claimed %d times", id, n)
		}
	}
	if len(claimedBy) != len(ids) {
		t.Errorf("%d callbacks claimed, %d in the pool", len(claimedBy), len(ids))
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks WHERE state = 'scheduled'`); n != 0 {
		t.Errorf("%d callbacks left unclaimed", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'claim'`); n != len(ids) {
		t.Errorf("%d claim audit rows for %d claims", n, len(ids))
	}
}

// BenchmarkClaimNextVsRaw measures claim-next (the calling rules, the
// next-best order, the audit row, reading the claimed callback back) beside
// a raw single-row UPDATE … RETURNING loop on the same file, in the same
// run, in 10 alternating rounds so a busy machine slows both alike, and
// reports both rates and their ratio.
func BenchmarkClaimNextVsRaw(b *testing.B) {
	f := newFixture(b, 300, false)
	n := max(b.N, 100)
	per := max(n/10, 1)
	raw := fillPool(b, f, per*10)
	f.clock.t = f.clock.t.Add(time.Hour) // everything filled is due
	// the raw loop's rows are not due, so claim-next leaves them to it
	if _, err := f.DB.Exec(`UPDATE callbacks SET due_at = due_at + 86400 WHERE id IN (SELECT id FROM callbacks WHERE state = 'scheduled')`); err != nil {
		b.Fatal(err)
	}
	fillPool(b, f, per*10)
	ctx := context.Background()
	now := f.clock.t.Unix()
	var rawTime, oursTime time.Duration
	b.ResetTimer()
	for r := range 10 {
		start := time.Now()
		for _, id := range raw[r*per : (r+1)*per] {
			var got int64
			if err := f.DB.QueryRowContext(ctx, `UPDATE callbacks SET state = 'claimed', claimed_by = ?, claimed_at = ?,
				lease_until = ?, updated_at = ? WHERE id = ? AND state = 'scheduled' RETURNING id`,
				f.junho.ID, now, now+600, now, id).Scan(&got); err != nil {
				b.Fatal(err)
			}
		}
		rawTime += time.Since(start)
		start = time.Now()
		for range per {
			if _, err := f.ClaimNext(ctx, f.minji); err != nil {
				b.Fatal(err)
			}
		}
		oursTime += time.Since(start)
	}
	b.StopTimer()
	rawRate, ours := float64(per*10)/rawTime.Seconds(), float64(per*10)/oursTime.Seconds()
	b.ReportMetric(ours, "claims/s")
	b.ReportMetric(rawRate, "raw-updates/s")
	b.ReportMetric(ours/rawRate, "ratio")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWriteDurability measures claims and notes per second with
// durable commits (synchronous=FULL, the default) and with the faster
// choice a site may make in writing (meta durability=normal):
//
//	go test ./queue -run X -bench WriteDurability -benchtime 2000x
func BenchmarkWriteDurability(b *testing.B) {
	for _, sync := range []string{db.SyncFull, db.SyncNormal} {
		b.Run("claim/"+sync, func(b *testing.B) {
			f := newFixture(b, 300, false)
			setSync(b, f, sync)
			fillPool(b, f, b.N)
			f.clock.t = f.clock.t.Add(time.Hour)
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				if _, err := f.ClaimNext(ctx, f.minji); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
		})
		b.Run("note/"+sync, func(b *testing.B) {
			f := newFixture(b, 300, false)
			setSync(b, f, sync)
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				if _, err := f.CRM.AddNote(ctx, f.minji, crm.NewNote{CustomerID: int64(1 + i%300), Body: "통화 메모: 배송 일정 안내"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
		})
	}
}

// setSync sets the write connection's durability (the pool has one).
func setSync(b *testing.B, f *fixture, level string) {
	b.Helper()
	if _, err := f.DB.Exec(`PRAGMA synchronous = ` + level); err != nil {
		b.Fatal(err)
	}
}

// TestConcurrentClaimsFindWhatIsWaiting has 64 claimers ask for 640
// callbacks with 700 waiting, none of them looked at yet (their windows
// not worked out): every claim finds one. On PostgreSQL the window
// refresh once ran inside the claim's transaction and held its rows, so
// the others' SKIP LOCKED passed them by: 26 of 640 claims found nothing.
func TestConcurrentClaimsFindWhatIsWaiting(t *testing.T) {
	f := newFixture(t, 200, false)
	fillPool(t, f, 700)
	var mu sync.Mutex
	left, got := 640, map[int64]bool{}
	var failures []error
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for {
				mu.Lock()
				if left == 0 {
					mu.Unlock()
					return
				}
				left--
				mu.Unlock()
				cl, err := f.ClaimNext(context.Background(), f.minji)
				mu.Lock()
				if err != nil {
					failures = append(failures, err)
				} else if got[cl.ID] {
					failures = append(failures, fmt.Errorf("callback %d claimed twice", cl.ID))
				}
				got[cl.ID] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of 640 claims failed, the first: %v", len(failures), failures[0])
	}
}
