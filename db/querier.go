package db

import (
	"context"
	"database/sql"
)

// Querier is what store functions take: a pool or a transaction of db.
// Both hand each statement to the driver rebound for their engine (see
// Engine). *sql.DB and *sql.Tx do not satisfy it, so no SQL above db can
// skip the engine.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	// Engine is the engine the statements are rebound for.
	Engine() Engine
}

// Both pools and transactions are Queriers, and so is the database (its
// writes take their turn, see DB.ExecContext).
var (
	_ Querier = (*Pool)(nil)
	_ Querier = (*Tx)(nil)
	_ Querier = (*DB)(nil)
)

// Pool is a pool of connections to the database that speaks through an
// engine. What it adds to *sql.DB is the rebinding: its statements are
// dangol's SQL, not the driver's.
type Pool struct {
	*sql.DB
	engine Engine
}

// Engine is the pool's engine.
func (p *Pool) Engine() Engine { return p.engine }

// ExecContext runs a statement.
func (p *Pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.engine.Rebind(query), args...)
}

// QueryContext runs a query.
func (p *Pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.engine.Rebind(query), args...)
}

// QueryRowContext runs a query for one row.
func (p *Pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.engine.Rebind(query), args...)
}

// Exec is ExecContext without a context.
func (p *Pool) Exec(query string, args ...any) (sql.Result, error) {
	return p.ExecContext(context.Background(), query, args...)
}

// Query is QueryContext without a context.
func (p *Pool) Query(query string, args ...any) (*sql.Rows, error) {
	return p.QueryContext(context.Background(), query, args...)
}

// QueryRow is QueryRowContext without a context.
func (p *Pool) QueryRow(query string, args ...any) *sql.Row {
	return p.QueryRowContext(context.Background(), query, args...)
}

// PrepareContext prepares a statement.
func (p *Pool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.DB.PrepareContext(ctx, p.engine.Rebind(query))
}

// Prepare is PrepareContext without a context.
func (p *Pool) Prepare(query string) (*sql.Stmt, error) {
	return p.PrepareContext(context.Background(), query)
}

// BeginTx begins a transaction on the pool, outside the writers' turns:
// for reads, and for work that is rolled back (an import's dry run).
// Writes go through DB.Tx.
func (p *Pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, engine: p.engine}, nil
}

// Tx is a transaction that speaks through an engine.
type Tx struct {
	tx     *sql.Tx
	engine Engine
}

// Engine is the transaction's engine.
func (t *Tx) Engine() Engine { return t.engine }

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.engine.Rebind(query), args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.engine.Rebind(query), args...)
}

// QueryRowContext runs a query for one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.engine.Rebind(query), args...)
}

// Exec is ExecContext without a context.
func (t *Tx) Exec(query string, args ...any) (sql.Result, error) {
	return t.ExecContext(context.Background(), query, args...)
}

// QueryRow is QueryRowContext without a context.
func (t *Tx) QueryRow(query string, args ...any) *sql.Row {
	return t.QueryRowContext(context.Background(), query, args...)
}

// PrepareContext prepares a statement for the transaction.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, t.engine.Rebind(query))
}

// Prepare is PrepareContext without a context.
func (t *Tx) Prepare(query string) (*sql.Stmt, error) {
	return t.PrepareContext(context.Background(), query)
}

// Commit commits the transaction (DB.Tx commits its own).
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback rolls the transaction back.
func (t *Tx) Rollback() error { return t.tx.Rollback() }
