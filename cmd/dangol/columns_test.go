package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestColumnsAlignKoreanByCells(t *testing.T) {
	var b strings.Builder
	if err := writeColumns(&b, [][]string{{"NAME", "DISPLAY", "ROLE"}, {"minji", "김민지", "agent"}, {"sora", "Sora Park", "supervisor"}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	// ROLE's column starts at the same cell on every line.
	var at []int
	for i, word := range []string{"ROLE", "agent", "supervisor"} {
		j := strings.Index(lines[i], word)
		if j < 0 {
			t.Fatalf("line %d lacks %q: %q", i, word, lines[i])
		}
		at = append(at, ansi.StringWidth(lines[i][:j]))
	}
	if at[0] != at[1] || at[1] != at[2] {
		t.Errorf("ROLE's column starts at cells %v:\n%s", at, b.String())
	}
}
