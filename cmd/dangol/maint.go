package main

import (
	"github.com/schollz/progressbar/v3"

	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	xterm "github.com/charmbracelet/x/term"

	"github.com/dangol/dangol/clean"
	"github.com/dangol/dangol/db"
)

// runCheck runs SQLite's integrity check over every table of the file,
// showing progress, and exits 1 when it finds damage.
// shownProblems is how many of a damaged file's problems check prints.
const shownProblems = 5

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check")
	dbPath := dbFlag(fs)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	start := time.Now()
	// One bar on a terminal, the table being read as its label; elsewhere
	// (a log, a pipe) one line to say it started, and the verdict.
	var bar *progressbar.ProgressBar
	progress := func(table string, i, n int) {
		if i > 1 {
			if bar != nil {
				bar.Describe("checking " + table)
				bar.Set(i - 1)
			}
			return
		}
		if isTerminal(stderr) {
			bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("checking "+table),
				progressbar.OptionClearOnFinish(), progressbar.OptionSetWidth(30), progressbar.OptionShowCount())
			return
		}
		fmt.Fprintf(stderr, "dangol: checking %d tables of %s\n", n, db.Shown(*dbPath))
	}
	problems, err := db.Check(ctx, *dbPath, progress)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		// A few lines on the terminal; every one in a file beside the
		// database, named (a damaged file can list thousands).
		all := *dbPath + ".check.txt"
		if db.IsServer(*dbPath) {
			all = beside(*dbPath, "dangol.check.txt")
		}
		werr := os.WriteFile(all, []byte(strings.Join(problems, "\n")+"\n"), 0o600)
		for i, p := range problems {
			if i == shownProblems {
				fmt.Fprintf(stdout, "… and %d more\n", len(problems)-shownProblems)
				break
			}
			fmt.Fprintln(stdout, clean.Line(p))
		}
		if werr != nil {
			return fmt.Errorf("%s is damaged (%d problems; the list could not be written: %v); restore the last backup", db.Shown(*dbPath), len(problems), werr)
		}
		return fmt.Errorf("%s is damaged (%d problems, every one in %s); restore the last backup", db.Shown(*dbPath), len(problems), all)
	}
	_, err = fmt.Fprintf(stdout, "%s: ok (checked in %s)\n", db.Shown(*dbPath), time.Since(start).Round(time.Millisecond))
	return err
}

// runBackup writes a consistent copy of the database to a new file while
// consoles keep working.
func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("backup")
	dbPath := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("backup needs one target FILE (a new file)")
	}
	start := time.Now()
	if err := db.Backup(ctx, *dbPath, rest[0]); err != nil {
		return err
	}
	st, err := os.Stat(rest[0])
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: backed up to %s (%d KiB in %s)\n", db.Shown(*dbPath), rest[0], st.Size()>>10,
		time.Since(start).Round(time.Millisecond))
	return err
}

// isTerminal reports whether w is a terminal, where progress may redraw
// one line; elsewhere (a log, a pipe) it prints one line per step.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && xterm.IsTerminal(f.Fd())
}
