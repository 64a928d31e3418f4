package kit

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestFitMeasuresDisplayWidth(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		want string
	}{
		{"김민준", 8, "김민준  "},
		{"김민준", 6, "김민준"},
		{"김민준", 5, "김민…"},
		{"Emily Park", 12, "Emily Park  "},
		{"남궁지우", 7, "남궁지…"},
		{"x", 0, ""},
	}
	for _, c := range cases {
		got := Fit(c.in, c.w)
		if got != c.want || (c.w > 0 && lipgloss.Width(got) != c.w) {
			t.Errorf("fit(%q, %d) = %q (width %d), want %q", c.in, c.w, got, lipgloss.Width(got), c.want)
		}
	}
}

func TestClipLines(t *testing.T) {
	got := ClipLines("가나다라마바\nabc\nthird", 5, 2)
	lines := strings.Split(got, "\n")
	if len(lines) != 2 || lipgloss.Width(lines[0]) > 5 || lines[1] != "abc" {
		t.Errorf("clipLines = %q", got)
	}
}

func TestWon(t *testing.T) {
	if got := Won(TextFor(Korean), 1234000); got != "1,234,000원" {
		t.Errorf("won ko = %q", got)
	}
	if got := Won(TextFor(English), 999); got != "₩999" {
		t.Errorf("won en = %q", got)
	}
	if got := Thousands(-1234567); got != "-1,234,567" {
		t.Errorf("thousands = %q", got)
	}
}
