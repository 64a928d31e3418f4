package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Moving a floor between engines: every dangol table copied, row for row,
// from one database into a new, empty one (`dangol migrate`).

// copyOrder is every table of the schema, each after the tables it refers
// to. customers.merged_into refers to customers: it is copied after the
// rows (see Copy).
var copyOrder = []string{
	"meta", "agents", "agent_keys", "tiers", "customers", "customer_scores", "phones", "emails", "purchases",
	"loyalty_ledger", "complaints", "dispositions", "call_windows", "bulk_actions", "campaigns", "campaign_members",
	"callbacks", "interactions", "referrals", "drafts", "audit_log", "reminders", "search_keys", "search_keys_pending",
	"call_outcomes", "bulk_items", "presence", "customer_attributes", "merges", "merge_moves",
}

// derivedTables are not copied: triggers fill them as the rows they are
// made from are copied (the queue's tallies, migration 23).
var derivedTables = []string{"callback_tallies"}

// seededTables are the tables a new database's migrations fill (the lock
// rows, the tiers, the dispositions, the calling windows): the copy
// replaces them with the source's, which a site may have changed.
var seededTables = []string{"meta", "tiers", "dispositions", "call_windows"}

// CopyProgress is told each table as it is copied, with its rows.
type CopyProgress func(table string, rows int64)

// Copy copies every dangol table of src into dst, which must be empty (no
// agent, customer or audit row), in one transaction of dst: all or nothing. Both
// must be of this binary's schema. The ids stay as they were.
func Copy(ctx context.Context, src, dst *DB, progress CopyProgress) error {
	var used int
	if err := dst.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM customers)
		+ (SELECT count(*) FROM audit_log)`).Scan(&used); err != nil {
		return dst.Describe(err)
	}
	if used > 0 {
		return &FileError{Path: dst.Path, Err: errors.New("already holds agents, customers or an audit; dangol migrate copies into an empty database only")}
	}
	return dst.Tx(ctx, func(tx *Tx) error {
		for _, t := range seededTables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, table := range copyOrder {
			n, err := copyTable(ctx, src, tx, table)
			if err != nil {
				return fmt.Errorf("copying %s: %w", table, err)
			}
			if progress != nil {
				progress(table, n)
			}
		}
		// A merged customer's row names the one kept, which may come after it.
		rows, err := src.Read.QueryContext(ctx, `SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL ORDER BY id`)
		if err != nil {
			return err
		}
		var merged [][2]int64
		for rows.Next() {
			var m [2]int64
			if err := rows.Scan(&m[0], &m[1]); err != nil {
				rows.Close()
				return err
			}
			merged = append(merged, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range merged {
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET merged_into = ? WHERE id = ?`, m[1], m[0]); err != nil {
				return err
			}
		}
		return nil
	})
}

// copyTable copies one table's rows, its columns by name, a batch of rows
// a statement, reading the source as it writes (two databases: two
// connections).
func copyTable(ctx context.Context, src *DB, tx *Tx, table string) (int64, error) {
	if !safeName(table) {
		return 0, errors.New("db: bad table name " + table)
	}
	cols, err := columnsOf(ctx, src, table)
	if err != nil {
		return 0, err
	}
	list := strings.Join(cols, ", ")
	mark := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	rows, err := src.Read.QueryContext(ctx, `SELECT `+list+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	const batch = 500
	var total int64
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := `INSERT INTO ` + table + `(` + list + `) VALUES ` + mark + strings.Repeat(", "+mark, n-1)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		total += int64(n)
		args, n = args[:0], 0
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return total, err
		}
		for i, c := range cols {
			if table == "customers" && c == "merged_into" {
				vals[i] = nil // copied once every row is in (see Copy)
			}
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
		}
		args = append(args, vals...)
		if n++; n == batch {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	if err := flush(); err != nil {
		return total, err
	}
	if hasColumn(cols, "id") {
		if err := IDsTaken(ctx, tx, table); err != nil {
			return total, err
		}
	}
	return total, nil
}

// columnsOf is a table's columns, as the source's schema has them.
func columnsOf(ctx context.Context, d *DB, table string) ([]string, error) {
	rows, err := d.Read.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if !safeName(c) {
			return nil, fmt.Errorf("column %q of %s is not a name dangol gives", c, table)
		}
	}
	return cols, nil
}

func hasColumn(cols []string, name string) bool {
	for _, c := range cols {
		if c == name {
			return true
		}
	}
	return false
}

// Digest is a table's rows and a sum of their hashes (each value as
// text), whatever order the rows come in: two databases hold the same
// table when their digests are equal.
type Digest struct {
	Rows int64
	Sum  [4]uint64
}

// TableDigests reads every dangol table of d whole and digests it.
func TableDigests(ctx context.Context, d *DB) (map[string]Digest, error) {
	out := map[string]Digest{}
	for _, table := range copyOrder {
		cols, err := columnsOf(ctx, d, table)
		if err != nil {
			return nil, err
		}
		sort.Strings(cols) // the engines' schemas list some columns in another order
		rows, err := d.Read.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
		if err != nil {
			return nil, err
		}
		var dg Digest
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			h := sha256.New()
			for i, v := range vals {
				h.Write([]byte(cols[i] + "="))
				if v.Valid {
					h.Write([]byte(strconv.Quote(v.String)))
				} else {
					h.Write([]byte("NULL"))
				}
				h.Write([]byte{0})
			}
			sum := h.Sum(nil)
			for lane := range dg.Sum {
				dg.Sum[lane] += binary.BigEndian.Uint64(sum[8*lane:])
			}
			dg.Rows++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[table] = dg
	}
	return out, nil
}
