package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/dangol/dangol/db"
)

// runMigrate copies a floor's database into a new, empty one, of either
// engine (a SQLite file into PostgreSQL, or back), all or nothing, and
// checks that every table came across whole.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate")
	from := dbFlag(fs)
	fs.StringVar(from, "from", *from, "the database to copy (a file or a PostgreSQL URL; default --db)")
	to := fs.String("to", "", "the new database: an empty PostgreSQL database (postgres://…) or a new file")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usagef("migrate needs --to: an empty PostgreSQL database (postgres://…) or a new file")
	}
	if *to == *from {
		return usagef("--from and --to are the same database")
	}
	madeFile := false
	if !db.IsServer(*to) {
		if _, err := os.Stat(*to); err == nil {
			return fmt.Errorf("%s already exists; migrate writes a new file only", *to)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err := db.CheckPath(*to); err != nil {
			return err
		}
		madeFile = true
	}
	src, err := db.OpenReadOnly(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	start := time.Now()
	dst, err := db.Open(ctx, *to)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		dst.Close()
		if madeFile {
			for _, p := range []string{*to, *to + "-wal", *to + "-shm"} {
				os.Remove(p)
			}
		}
		return err
	}
	var rows int64
	err = db.Copy(ctx, src, dst, func(table string, n int64) {
		rows += n
		fmt.Fprintf(stderr, "dangol: copied %s: %d rows\n", table, n)
	})
	if err != nil {
		return fail(err)
	}
	// Every table read back from both and compared, value by value.
	want, err := db.TableDigests(ctx, src)
	if err != nil {
		return fail(src.Describe(err))
	}
	got, err := db.TableDigests(ctx, dst)
	if err != nil {
		return fail(dst.Describe(err))
	}
	var differ []string
	for table, w := range want {
		if got[table] != w {
			differ = append(differ, fmt.Sprintf("%s (%d rows, %d copied)", table, w.Rows, got[table].Rows))
		}
	}
	if len(differ) > 0 {
		sort.Strings(differ)
		return fail(fmt.Errorf("the copy differs from %s in %v; nothing is kept", src.Path, differ))
	}
	if err := dst.Close(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: copied to %s: %d tables, %d rows, each table read back equal (%s)\n",
		src.Path, db.Shown(*to), len(want), rows, time.Since(start).Round(time.Millisecond))
	return err
}
