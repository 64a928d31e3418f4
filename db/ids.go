package db

import (
	"context"
	"errors"
)

// Rows whose ids the code picks (an import's new customers, numbered
// before they are written so their phones and keys can name them).

// HoldIDs makes sure nobody else adds a row to table until tx ends, so
// ids after the largest there are free to take. On SQLite the write
// transaction already holds the database; on PostgreSQL it locks the
// table against inserts (reads go on).
func HoldIDs(ctx context.Context, tx *Tx, table string) error {
	if tx.engine.Name() != "postgres" {
		return nil
	}
	if !safeName(table) {
		return errors.New("db: bad table name " + table)
	}
	_, err := tx.ExecContext(ctx, `LOCK TABLE `+table+` IN SHARE ROW EXCLUSIVE MODE`)
	return err
}

// IDsTaken tells the engine that rows with ids of the code's choosing were
// written to table: PostgreSQL's identity moves past them, so its next
// row does not take one of their ids.
func IDsTaken(ctx context.Context, tx *Tx, table string) error {
	if tx.engine.Name() != "postgres" {
		return nil
	}
	if !safeName(table) {
		return errors.New("db: bad table name " + table)
	}
	_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT max(id) FROM `+table+`))`, table)
	return err
}

func safeName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// FlushErased makes erased rows leave the files that held them: SQLite's
// write-ahead log is moved into the database and emptied (with
// secure_delete on, the pages are zeroed). It reports whether that was
// done whole (a reader in the middle of the log keeps it). On PostgreSQL
// the old row versions stay until VACUUM reclaims them, which this runs
// on the tables named.
func (d *DB) FlushErased(ctx context.Context, tables ...string) (bool, error) {
	if d.pg != nil {
		for _, t := range tables {
			if !safeName(t) {
				return false, errors.New("db: bad table name " + t)
			}
			if _, err := d.DB.ExecContext(ctx, `VACUUM `+t); err != nil {
				return false, d.Describe(err)
			}
		}
		return true, nil
	}
	var busy, logged, moved int
	if err := d.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return false, d.Describe(err)
	}
	return busy == 0, nil
}
