package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dangol runs the command line in-process and returns exit code, stdout, stderr.
func dangol(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// seeded makes a small demo database with the seed command.
func seeded(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cli.db")
	if code, _, stderr := dangol(t, "seed", "--db", path, "--customers", "40"); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, stderr)
	}
	return path
}

func TestExportJSONLAndCSV(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "export", "callbacks", "--db", path, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 40 {
		t.Errorf("%d callbacks exported, want the demo's 40 or more", len(lines))
	}
	var cb map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &cb); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"id", "customer_name", "due_at", "owner", "state", "attempts"} {
		if _, ok := cb[field]; !ok {
			t.Errorf("callback line lacks %q: %s", field, lines[0])
		}
	}
	code, out, _ = dangol(t, "export", "--db", path, "customers", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "id,name,name_roman,") || strings.Count(out, "\n") != 41 {
		t.Errorf("csv export: exit %d, %d lines, starts %q", code, strings.Count(out, "\n"), out[:min(40, len(out))])
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	path := seeded(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"export", "secrets", "--db", path}, `unknown table "secrets"`},
		{[]string{"export", "customers", "--db", path, "--format", "xml"}, `unknown format "xml"`},
		{[]string{"export", "--db", path}, "export needs one table"},
		{[]string{"export", "customers", "--bogus"}, "flag provided but not defined"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--db", path, "--lang", "fr"}, `language "fr"`},
		{[]string{"--db", path, "--agent", "nobody"}, `unknown agent "nobody" (known: junho, minji, sora, yuna)`},
	}
	for _, c := range cases {
		code, _, stderr := dangol(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestBadDatabaseIsOneLine(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bytes.Repeat([]byte("garbage!"), 1000), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"export", "customers", "--db", filepath.Join(dir, "missing.db")}, "no such database file"},
		{[]string{"export", "customers", "--db", corrupt}, "damaged or not a database"},
		{[]string{"--db", corrupt}, "damaged or not a database"},
		{[]string{"--db", filepath.Join(dir, "no", "such", "dir.db")}, "does not exist"},
	}
	for _, c := range cases {
		code, _, stderr := dangol(t, c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and one line with %q", c.args, code, stderr, c.want)
		}
	}
	if b, _ := os.ReadFile(corrupt); !bytes.Equal(b, bytes.Repeat([]byte("garbage!"), 1000)) {
		t.Error("a corrupt file must be left as it was")
	}
}

func TestSeedNeverReseeds(t *testing.T) {
	path := seeded(t)
	code, _, stderr := dangol(t, "seed", "--db", path, "--customers", "5")
	if code != 1 || !strings.Contains(stderr, "already has 40 customers") {
		t.Errorf("second seed: exit %d, %q", code, stderr)
	}
}
