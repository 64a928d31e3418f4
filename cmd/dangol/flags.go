package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dangol/dangol/db"
)

// The command line's flags, usage errors and --help.

// usageError is a mistake in how dangol was called; it exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// newFlags makes a flag set that reports errors as one-line usage errors
// instead of printing its defaults and exiting.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// helpError is --help given to a command: run prints that command's
// lines of the usage and its flags.
type helpError struct{ fs *flag.FlagSet }

func (helpError) Error() string { return "help requested" }

func (helpError) Is(target error) bool { return target == flag.ErrHelp }

// commandHelp is the usage's lines for fs's command (all of them for the
// console's), then every flag it takes with its meaning and default.
func commandHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	label := "dangol " + fs.Name()
	if fs.Name() == "dangol" {
		label = "dangol (the console)"
		b.WriteString(usage)
	} else {
		word := "  dangol " + strings.Fields(fs.Name())[0] + " "
		keep := false
		for _, line := range strings.Split(usage, "\n") {
			switch {
			case strings.HasPrefix(line, word):
				keep = true
			case strings.HasPrefix(line, "  dangol ") || !strings.HasPrefix(line, "   "):
				keep = false
			}
			if keep {
				b.WriteString(line + "\n")
			}
		}
	}
	fmt.Fprintf(&b, "\nflags of %s:\n", label)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

// parse parses flags, allowing positional arguments before and after them.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpError{fs}
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// dbFlag adds --db with its default from $DANGOL_DB or ./dangol.db.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("DANGOL_DB")
	if def == "" {
		def = "dangol.db"
	}
	return fs.String("db", def, "SQLite database `file`, or a PostgreSQL URL postgres://… (env DANGOL_DB)")
}

// beside is where a file that goes with the database lives (its log, a
// server's host key): in the SQLite file's directory, or in the working
// directory for a PostgreSQL server.
func beside(dbPath, name string) string {
	if db.IsServer(dbPath) {
		return name
	}
	return filepath.Join(filepath.Dir(dbPath), name)
}

// asFlag adds --as NAME: who is acting. Without it the command acts as
// the operating-system user with admin rights (whoever runs dangol on the
// machine that holds the file already has the file).
func asFlag(fs *flag.FlagSet) *string {
	return fs.String("as", "", "act as this agent, with their role (default: the machine's user, as admin)")
}

// agentFlag adds --agent: the agent working their own queue.
func agentFlag(fs *flag.FlagSet) *string {
	return fs.String("agent", "", "the agent doing it (or, for add, the owner)")
}

// parseNone is parse for a command that takes flags only: an argument
// left over is refused.
func parseNone(fs *flag.FlagSet, args []string) error {
	rest, err := parse(fs, args)
	if err == nil && len(rest) > 0 {
		err = usagef("unexpected argument %q", rest[0])
	}
	return err
}

// checkFormat refuses a --format that is none of choices ("unknown
// format "xml": choose text, json or csv").
func checkFormat(format string, choices ...string) error {
	if slices.Contains(choices, format) {
		return nil
	}
	list := choices[len(choices)-1]
	if len(choices) > 1 {
		list = strings.Join(choices[:len(choices)-1], ", ") + " or " + list
	}
	return usagef("unknown format %q: choose %s", format, list)
}

// parseIDs reads callback ids.
func parseIDs(args []string) ([]int64, error) {
	var out []int64
	for _, a := range args {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, usagef("callback ID %q is not a number", a)
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, usagef("give at least one callback ID")
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
