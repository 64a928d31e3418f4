package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrations are numbered SQL files (0001_init.sql, 0002_…) applied in order.
// PRAGMA user_version records how many have run; it is part of the file, so
// a newer binary upgrades an older file and an older binary refuses a newer.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files and checks that they number 1..n
// without gaps, so a missing file is a build-time mistake, not a silent skip.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		body, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies every pending migration, each in its own transaction with
// its version bump, and reports whether the file started without a schema.
func (d *DB) migrate(ctx context.Context) (created bool, err error) {
	ms, err := loadMigrations()
	if err != nil {
		return false, err
	}
	var current int
	if err := d.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&current); err != nil {
		return false, d.Describe(err)
	}
	if current > len(ms) {
		return false, &FileError{Path: d.Path, Err: fmt.Errorf(
			"written by a newer dangol (schema %d, this binary knows up to %d); upgrade dangol to open it", current, len(ms))}
	}
	for _, m := range ms[current:] {
		err := d.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, m.version)); err != nil {
				return err
			}
			if m.version == 1 {
				_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID))
				return err
			}
			return nil
		})
		if err != nil {
			return false, d.Describe(err)
		}
	}
	return current == 0, nil
}
