package db

import (
	"context"
	"database/sql"
	"sync/atomic"
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
	trace  *tracer
}

// tracer hands every statement of a pool, and of the transactions begun
// on it, to a function (see DB.Trace).
type tracer struct {
	fn atomic.Pointer[func(query string, args []any)]
}

// rebind is query for the engine, after the trace has seen it.
func (t *tracer) rebind(e Engine, query string, args []any) string {
	if t != nil {
		if fn := t.fn.Load(); fn != nil {
			(*fn)(query, args)
		}
	}
	return e.Rebind(query)
}

// Engine is the pool's engine.
func (p *Pool) Engine() Engine { return p.engine }

// ExecContext runs a statement.
func (p *Pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.trace.rebind(p.engine, query, args), p.engine.Bind(args)...)
}

// QueryContext runs a query.
func (p *Pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.trace.rebind(p.engine, query, args), p.engine.Bind(args)...)
}

// QueryRowContext runs a query for one row.
func (p *Pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.trace.rebind(p.engine, query, args), p.engine.Bind(args)...)
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
func (p *Pool) PrepareContext(ctx context.Context, query string) (*Stmt, error) {
	st, err := p.DB.PrepareContext(ctx, p.trace.rebind(p.engine, query, nil))
	if err != nil {
		return nil, err
	}
	return &Stmt{stmt: st, engine: p.engine}, nil
}

// Prepare is PrepareContext without a context.
func (p *Pool) Prepare(query string) (*Stmt, error) {
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
	return &Tx{tx: tx, engine: p.engine, trace: p.trace}, nil
}

// Begin is BeginTx without a context or options.
func (p *Pool) Begin() (*Tx, error) { return p.BeginTx(context.Background(), nil) }

// Tx is a transaction that speaks through an engine.
type Tx struct {
	tx     *sql.Tx
	engine Engine
	trace  *tracer
}

// Engine is the transaction's engine.
func (t *Tx) Engine() Engine { return t.engine }

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.trace.rebind(t.engine, query, args), t.engine.Bind(args)...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.trace.rebind(t.engine, query, args), t.engine.Bind(args)...)
}

// QueryRowContext runs a query for one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.trace.rebind(t.engine, query, args), t.engine.Bind(args)...)
}

// Query is QueryContext without a context.
func (t *Tx) Query(query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(context.Background(), query, args...)
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
func (t *Tx) PrepareContext(ctx context.Context, query string) (*Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, t.trace.rebind(t.engine, query, nil))
	if err != nil {
		return nil, err
	}
	return &Stmt{stmt: st, engine: t.engine}, nil
}

// Prepare is PrepareContext without a context.
func (t *Tx) Prepare(query string) (*Stmt, error) {
	return t.PrepareContext(context.Background(), query)
}

// Commit commits the transaction (DB.Tx commits its own).
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback rolls the transaction back.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

// Trace hands every statement the database runs from now on, before it
// is rebound, to fn; nil stops. For tests that read what a call ran (the
// plan tests); a trace costs one atomic load a statement when off.
func (d *DB) Trace(fn func(query string, args []any)) {
	if fn == nil {
		d.trace.fn.Store(nil) // the read pool shares the write pool's tracer
		return
	}
	d.trace.fn.Store(&fn)
}

// Plan is how the engine would run query with args: SQLite's EXPLAIN
// QUERY PLAN, one step a line, each indented under the step it belongs to
// (two spaces a level); PostgreSQL's EXPLAIN without its costs.
func Plan(ctx context.Context, q Querier, query string, args ...any) (string, error) {
	if q.Engine().Name() == "postgres" {
		return planPostgres(ctx, q, query, args)
	}
	rows, err := q.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	depth := map[int]int{}
	var b []byte
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		d := 0
		if parent != 0 {
			d = depth[parent] + 1
		}
		depth[id] = d
		for range d {
			b = append(b, "  "...)
		}
		b = append(b, detail...)
		b = append(b, '\n')
	}
	return string(b), rows.Err()
}

// planPostgres is Plan on PostgreSQL.
func planPostgres(ctx context.Context, q Querier, query string, args []any) (string, error) {
	rows, err := q.QueryContext(ctx, "EXPLAIN (COSTS OFF) "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b []byte
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		b = append(append(b, line...), '\n')
	}
	return string(b), rows.Err()
}

// Stmt is a prepared statement that binds its arguments for its engine.
type Stmt struct {
	stmt   *sql.Stmt
	engine Engine
}

// ExecContext runs the statement.
func (s *Stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.stmt.ExecContext(ctx, s.engine.Bind(args)...)
}

// QueryContext runs the statement as a query.
func (s *Stmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return s.stmt.QueryContext(ctx, s.engine.Bind(args)...)
}

// QueryRowContext runs the statement as a query for one row.
func (s *Stmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.stmt.QueryRowContext(ctx, s.engine.Bind(args)...)
}

// Exec is ExecContext without a context.
func (s *Stmt) Exec(args ...any) (sql.Result, error) {
	return s.ExecContext(context.Background(), args...)
}

// QueryRow is QueryRowContext without a context.
func (s *Stmt) QueryRow(args ...any) *sql.Row {
	return s.QueryRowContext(context.Background(), args...)
}

// Close closes the statement.
func (s *Stmt) Close() error { return s.stmt.Close() }
