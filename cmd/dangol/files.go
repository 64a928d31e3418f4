package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dangol/dangol/clean"
)

// Files named on the command line are checked before anything is read or
// written: an input must be a regular text file, a report a new file and
// never one a database is kept in.

// checkInput refuses an input that is not a regular file (a directory, a
// FIFO, a device such as /dev/zero) or that holds NUL bytes (a binary).
func checkInput(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", clean.Line(path), err)
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a directory"
		case st.Mode()&os.ModeNamedPipe != 0:
			what = "a pipe (FIFO)"
		case st.Mode()&os.ModeDevice != 0:
			what = "a device"
		}
		return fmt.Errorf("%s is %s: import reads a CSV or TSV file", clean.Line(path), what)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", clean.Line(path), err)
	}
	defer f.Close()
	head := make([]byte, 64*1024)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", clean.Line(path), err)
	}
	if bytes.IndexByte(head[:n], 0) >= 0 {
		return fmt.Errorf("%s holds NUL bytes: it is a binary file, not a CSV or TSV", clean.Line(path))
	}
	return nil
}

// sameFile reports whether a and b name one file: the same inode when
// both exist, else the same clean absolute path.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// databaseFiles are the files a database at path is kept in.
func databaseFiles(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + "-journal"}
}

// checkReport refuses a report path that names the database (or its
// log), the input, or (when the person gave it, explicit) a file that
// exists: a report is a new file, as a backup is. The default report
// (FILE.report.csv) is that import's own and may be replaced.
func checkReport(report string, explicit bool, dbPath, input string) error {
	for _, f := range databaseFiles(dbPath) {
		if sameFile(report, f) {
			return usagef("--report %s is the database's own file: give a new file", clean.Line(report))
		}
	}
	if sameFile(report, input) {
		return usagef("--report %s is the file being imported: give a new file", clean.Line(report))
	}
	if _, err := os.Lstat(report); err == nil {
		if explicit {
			return usagef("--report %s already exists: give a new file (a report never overwrites one)", clean.Line(report))
		}
		if ok, _ := isDatabase(report); ok {
			return fmt.Errorf("%s is a database: the report is not written over it; give --report a new file", clean.Line(report))
		}
	}
	return nil
}

// isDatabase reports whether the file at path starts as a SQLite file.
func isDatabase(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil {
		return false, nil
	}
	return string(head) == "SQLite format 3\x00", nil
}

// createReport opens the report for writing: a new file when the person
// named it (never one that appeared since it was checked), the default
// one replaced.
func createReport(path string, explicit bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if explicit {
		flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	}
	return os.OpenFile(path, flags, 0o600)
}
