package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// check and backup on PostgreSQL.

// pgTables is the dangol tables of a PostgreSQL database, by name.
func pgTables(ctx context.Context, d *DB) ([]string, error) {
	rows, err := d.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// checkPostgres reads every table whole (a damaged page fails the read),
// checks each B-tree index against its table with amcheck when the
// extension is installed (CREATE EXTENSION amcheck, by a superuser), and
// checks that every reference names a row that exists (the foreign keys,
// in case one was turned off to load data). The server's own checks
// (pg_amcheck, checksums) go further; this is what dangol can ask.
func checkPostgres(ctx context.Context, target string, progress CheckProgress) ([]string, error) {
	d, _, err := openPostgresRO(ctx, target)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	tables, err := pgTables(ctx, d)
	if err != nil {
		return nil, d.Describe(err)
	}
	var amcheck bool
	if err := d.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')`).Scan(&amcheck); err != nil {
		return nil, d.Describe(err)
	}
	var problems []string
	for i, table := range tables {
		if progress != nil {
			progress(table, i+1, len(tables))
		}
		found, err := pgCheckTable(ctx, d, table, amcheck)
		if err != nil {
			problems = append(problems, table+": "+oneLine{err}.Error())
			continue
		}
		problems = append(problems, found...)
	}
	return problems, nil
}

// pgCheckTable checks one table: its rows read, its indexes (amcheck),
// its references.
func pgCheckTable(ctx context.Context, d *DB, table string, amcheck bool) ([]string, error) {
	if !safeName(table) {
		return []string{table + ": not a name dangol gives its tables"}, nil
	}
	var rows int64
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT * FROM `+table+`) t`).Scan(&rows); err != nil {
		return nil, err
	}
	var out []string
	if amcheck {
		idx, err := d.QueryContext(ctx, `SELECT i.indexrelid::regclass::text FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
			WHERE i.indrelid = to_regclass(?) AND am.amname = 'btree' ORDER BY 1`, table)
		if err != nil {
			return nil, err
		}
		var names []string
		for idx.Next() {
			var n string
			if err := idx.Scan(&n); err != nil {
				idx.Close()
				return nil, err
			}
			names = append(names, n)
		}
		idx.Close()
		for _, n := range names {
			if _, err := d.ExecContext(ctx, `SELECT bt_index_check(to_regclass(?), true)`, n); err != nil {
				out = append(out, fmt.Sprintf("%s: index %s: %s", table, n, oneLine{err}.Error()))
			}
		}
	}
	fks, err := d.QueryContext(ctx, `SELECT a.attname, f.relname, fa.attname FROM pg_constraint k
		JOIN pg_class f ON f.oid = k.confrelid
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
		JOIN pg_attribute fa ON fa.attrelid = k.confrelid AND fa.attnum = k.confkey[1]
		WHERE k.contype = 'f' AND k.conrelid = to_regclass(?) AND cardinality(k.conkey) = 1 ORDER BY 1`, table)
	if err != nil {
		return nil, err
	}
	type ref struct{ col, to, toCol string }
	var refs []ref
	for fks.Next() {
		var r ref
		if err := fks.Scan(&r.col, &r.to, &r.toCol); err != nil {
			fks.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	fks.Close()
	for _, r := range refs {
		if !safeName(r.col) || !safeName(r.to) || !safeName(r.toCol) {
			continue
		}
		var orphans int64
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` x WHERE x.`+r.col+` IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM `+r.to+` y WHERE y.`+r.toCol+` = x.`+r.col+`)`).Scan(&orphans); err != nil {
			return nil, err
		}
		if orphans > 0 {
			out = append(out, fmt.Sprintf("%s: %d rows whose %s names no row of %s", table, orphans, r.col, r.to))
		}
	}
	return out, nil
}

// backupPostgres runs pg_dump (PostgreSQL's own tool, which takes one
// snapshot while the floor works) into dst, a new file, in its custom
// format (pg_restore reads it).
func backupPostgres(ctx context.Context, src, dst string) error {
	shown := Shown(src)
	dump, err := exec.LookPath("pg_dump")
	if err != nil {
		return &FileError{Path: shown, Err: errors.New(
			"pg_dump is not on PATH: install PostgreSQL's client tools (Debian: postgresql-client), or back up with the server's own tools")}
	}
	d, _, err := openPostgresRO(ctx, src) // a dangol database, of a schema this binary knows
	if err != nil {
		return err
	}
	d.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return &FileError{Path: dst, Err: errors.New("already exists; a backup never overwrites a file")}
	}
	if err != nil {
		return &FileError{Path: dst, Err: err}
	}
	f.Close()
	out, err := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--file", dst, "--dbname", src).CombinedOutput()
	if err != nil {
		os.Remove(dst)
		return &FileError{Path: shown, What: "pg_dump failed", Err: errors.New(strings.TrimSpace(strings.ReplaceAll(string(out), src, shown)))}
	}
	return nil
}
