package queue

import (
	"context"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// TestAClaimWhoseConnectionIsCutIsMadeOnce cuts a claim's connection on
// the server (pg_terminate_backend, as a restart or a failover does) while
// the claim waits for its callback's row, then lets the row go. The claim
// is made once, on another connection: not lost, not doubled, and audited
// once.
func TestAClaimWhoseConnectionIsCutIsMadeOnce(t *testing.T) {
	if pgtest.Engine() != "postgres" {
		t.Skip("a connection cut by the server is PostgreSQL's fault; SQLite has none")
	}
	ctx := context.Background()
	f := newFixture(t, 20, false)
	id := fillPool(t, f, 3)[0]

	held, release, holdDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		holdDone <- f.DB.Tx(ctx, func(tx *db.Tx) error {
			var got int64
			if err := tx.QueryRow(`SELECT id FROM callbacks WHERE id = ? FOR UPDATE`, id).Scan(&got); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held

	type result struct {
		cl  Claim
		err error
	}
	claimed := make(chan result, 1)
	go func() {
		cl, err := f.Claim(ctx, f.minji, id)
		claimed <- result{cl, err}
	}()

	// The claim's backend, waiting for the row.
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; {
		err := f.DB.QueryRowContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE callbacks SET state = ''claimed''%'`).Scan(&pid)
		if err != nil && time.Now().After(deadline) {
			t.Fatalf("the claim never waited for the held row: %v", err)
		}
	}
	var cut bool
	if err := f.DB.QueryRowContext(ctx, `SELECT pg_terminate_backend(?)`, pid).Scan(&cut); err != nil || !cut {
		t.Fatalf("cutting the claim's connection: %v, %v", cut, err)
	}
	close(release)
	if err := <-holdDone; err != nil {
		t.Fatal(err)
	}

	r := <-claimed
	if r.err != nil {
		t.Fatalf("the claim was lost with its connection: %v", r.err)
	}
	if r.cl.ID != id {
		t.Fatalf("claimed %d, want %d", r.cl.ID, id)
	}
	if n := f.count(t, `SELECT count(*) FROM callbacks WHERE id = ? AND state = 'claimed' AND claimed_by = ?`, id, f.minji.ID); n != 1 {
		t.Errorf("the callback is not minji's: %d rows", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'callback' AND entity_id = ? AND action = 'claim'`, id); n != 1 {
		t.Errorf("%d claim audit rows, want 1", n)
	}
}
