package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// OpenReadOnly opens an existing dangol database for commands that only
// read (export, check, backup). It never creates, migrates or writes the
// file: a missing, empty or foreign file is refused with one line, and so
// is a file of another schema version than this binary's, whose columns
// it could misread.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	d, version, err := openROVersion(ctx, path)
	if err != nil {
		return nil, err
	}
	switch want := SchemaVersion(); {
	case version > want:
		d.Close()
		return nil, &FileError{Path: path, Err: fmt.Errorf(
			"written by a newer dangol (schema %d, this binary knows up to %d); upgrade dangol to read it", version, want)}
	case version < want:
		d.Close()
		return nil, &FileError{Path: path, Err: fmt.Errorf(
			"written by an older dangol (schema %d of %d); open it once with the console or a queue command to upgrade it", version, want)}
	}
	return d, nil
}

// openROVersion is openRO with the schema version of the database.
func openROVersion(ctx context.Context, path string) (*DB, int, error) {
	if IsServer(path) {
		return openPostgresRO(ctx, path)
	}
	d, err := openRO(ctx, path)
	if err != nil {
		return nil, 0, err
	}
	var version int
	if err := d.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		d.Close()
		return nil, 0, d.Describe(err)
	}
	return d, version, nil
}

// openRO opens path read-only and checks it is a dangol file, whatever its
// schema version. Both pools are the one read-only pool, so a stray write
// fails loudly.
func openRO(ctx context.Context, path string) (*DB, error) {
	return openROWith(ctx, path, map[string]string{"mode": "ro", "_query_only": "1"})
}

// openROWith is openRO with the connection settings given.
func openROWith(ctx context.Context, path string, settings map[string]string) (*DB, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &FileError{Path: path, Err: errors.New("no such database file")}
	case err != nil:
		return nil, &FileError{Path: path, Err: err}
	case st.IsDir():
		return nil, &FileError{Path: path, Err: errors.New("is a directory, not a database file")}
	case st.Size() == 0:
		return nil, &FileError{Path: path, Err: errors.New("is an empty file, not a dangol database")}
	}
	ro, err := sql.Open(driverName, connString(path, BusyTimeout, settings))
	if err != nil {
		return nil, describe(path, BusyTimeout, err)
	}
	pool := &Pool{DB: ro, engine: SQLite{}, trace: &tracer{}}
	d := &DB{Pool: pool, Read: pool, Path: path, busy: BusyTimeout, Changes: &Changes{}}
	var appID int
	if err := ro.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		ro.Close()
		return nil, d.Describe(err)
	}
	if appID != applicationID {
		ro.Close()
		return nil, &FileError{Path: path, Err: errors.New("not a dangol database")}
	}
	return d, nil
}

// damagedSuffix names the file left beside a database that reported
// damage, so every later writer refuses it until a check passes.
const damagedSuffix = "-damaged"

// markDamaged records that SQLite found path damaged. It is best effort:
// the error that caused it is reported either way.
func markDamaged(path string, cause error) {
	note := fmt.Sprintf("%s\t%s\n", time.Now().Format(time.RFC3339), cause)
	_ = os.WriteFile(path+damagedSuffix, []byte(note), 0o644)
}

// refuseDamaged stops a writer from opening a file that reported damage:
// writing to a damaged file spreads the damage.
func refuseDamaged(path string) error {
	b, err := os.ReadFile(path + damagedSuffix)
	if err != nil {
		return nil
	}
	when, why, _ := strings.Cut(strings.TrimSpace(string(b)), "\t")
	return &FileError{Path: path, Err: fmt.Errorf(
		"reported damage at %s (%s); it is not opened for writing until `dangol check --db %s` passes; restore a backup if it does not",
		when, why, path)}
}

// CheckProgress is told which table is being checked, i of n.
type CheckProgress func(table string, i, n int)

// Check runs SQLite's integrity check on every table of a dangol file,
// table by table so progress can be shown, and returns what it found
// wrong (nothing for a sound file). A sound file loses its damage mark; a
// damaged one gets it.
func Check(ctx context.Context, path string, progress CheckProgress) ([]string, error) {
	if IsServer(path) {
		return checkPostgres(ctx, path, progress)
	}
	d, err := openRO(ctx, path)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var tables []string
	rows, err := d.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, d.Describe(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, d.Describe(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, d.Describe(err)
	}
	var problems []string
	for i, table := range tables {
		if progress != nil {
			progress(table, i+1, len(tables))
		}
		found, err := integrity(ctx, d, table)
		if err != nil {
			problems = append(problems, table+": "+err.Error())
			continue
		}
		problems = append(problems, found...)
	}
	if len(problems) > 0 {
		markDamaged(path, errors.New(problems[0]))
		return problems, nil
	}
	if err := os.Remove(path + damagedSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, &FileError{Path: path, Err: err}
	}
	return nil, nil
}

// integrity checks one table and its indexes.
func integrity(ctx context.Context, d *DB, table string) ([]string, error) {
	rows, err := d.QueryContext(ctx, `PRAGMA integrity_check("`+strings.ReplaceAll(table, `"`, `""`)+`")`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	return out, rows.Err()
}

// Backup writes a consistent copy of the database at src to dst, which
// must not exist, while consoles go on working (one read snapshot; no
// writer waits for it), then checks the copy.
func Backup(ctx context.Context, src, dst string) error {
	if IsServer(src) {
		return backupPostgres(ctx, src, dst)
	}
	// The copy is made new, readable by its owner only (VACUUM INTO fills
	// an empty file); one that exists is never overwritten.
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return &FileError{Path: dst, Err: errors.New("already exists; a backup never overwrites a file")}
	}
	if err != nil {
		return &FileError{Path: dst, Err: err}
	}
	f.Close()
	// mode=ro without query_only: VACUUM INTO reads this file and writes
	// only the new one, which query_only would refuse.
	d, err := openROWith(ctx, src, map[string]string{"mode": "ro"})
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
		return d.Describe(err)
	}
	copyDB, err := openRO(ctx, dst)
	if err != nil {
		return err
	}
	defer copyDB.Close()
	var res string
	if err := copyDB.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil || res != "ok" {
		return &FileError{Path: dst, Err: fmt.Errorf("the copy does not check out (%v %s)", err, res)}
	}
	return nil
}

// PeekMeta reads meta rows of an existing dangol database whatever its
// schema version, without migrating or writing it: what a file is (a
// bench database, half-built or whole) is known before it is opened for
// writing. A key that has no row is left out of the answer.
func PeekMeta(ctx context.Context, path string, keys ...string) (map[string]string, error) {
	d, _, err := openROVersion(ctx, path)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out := map[string]string{}
	for _, k := range keys {
		var v string
		err := d.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, k).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, d.Describe(err)
		}
		out[k] = v
	}
	return out, nil
}

// CheckExisting says why the file at path is not an existing dangol
// database (missing, empty, a directory, another program's file), or nil,
// without writing it: a command that must not make a database checks
// before it opens one, so a mistyped or empty --db stays as it was.
func CheckExisting(ctx context.Context, path string) error {
	d, _, err := openROVersion(ctx, path)
	if err != nil {
		return err
	}
	return d.Close()
}
