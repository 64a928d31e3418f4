package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/dangol/dangol/db"
)

// LockCustomer takes customer id's row lock for the rest of tx. A change
// to a customer or anything of theirs (contacts, points, purchases,
// referrals, a merge) takes it before it reads what it changes, so two
// writers of one customer take turns on an engine with row locks and the
// second reads what the first wrote. (SQLite's write transaction already
// holds the whole database: see db.SQLite.) A customer that does not exist
// is ErrNotFound.
func LockCustomer(ctx context.Context, tx *db.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM customers WHERE id = ? FOR UPDATE`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	return err
}

// LockCustomers takes the row locks of several customers (a merge's two),
// lowest id first, so two writers that lock the same customers never wait
// for each other in a circle.
func LockCustomers(ctx context.Context, tx *db.Tx, ids ...int64) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := LockCustomer(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// lockImports takes the lock of the imports (see migration 0015): an
// import batch matches its rows against customers that another import
// may be writing, so imports take turns.
func lockImports(ctx context.Context, tx *db.Tx) error {
	var v string
	return tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lock.import' FOR UPDATE`).Scan(&v)
}
