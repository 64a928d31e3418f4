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
// On SQLite, PRAGMA user_version records how many have run; it is part of
// the file, so a newer binary upgrades an older file and an older binary
// refuses a newer. PostgreSQL's files are in migrations/postgres, in the
// same numbering: its first file is the whole schema as SQLite's files up
// to its number leave it (PostgreSQL came later), and each step after it
// has a file of the same number in both directories. A version table
// records how far a PostgreSQL database is (see migratePostgres).
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files and checks that they number 1..n
// without gaps, so a missing file is a build-time mistake, not a silent skip.
func loadMigrations() ([]migration, error) { return loadMigrationsFor(SQLite{}) }

// loadMigrationsFor reads the files of one engine; PostgreSQL's numbers
// start at its first file's.
func loadMigrationsFor(e Engine) ([]migration, error) {
	dir := "migrations"
	if e.Name() == "postgres" {
		dir = "migrations/postgres"
	}
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		body, err := migrations.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	first := 1
	if e.Name() == "postgres" {
		first = ms[0].version
	}
	for i, m := range ms {
		if m.version != first+i {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, first+i)
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
