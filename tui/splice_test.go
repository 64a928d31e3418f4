package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestSpliceKeepsTheBorderPastAWideCharacter: a Korean character under the
// box's right edge must not push the pane's right border off the line.
func TestSpliceKeepsTheBorderPastAWideCharacter(t *testing.T) {
	base := "│" + strings.Repeat("가", 49) + "│" // 100 cells; 가 starts on odd columns
	for _, x := range []int{3, 4} {
		out := splice([]string{base}, strings.Repeat("x", 10), x, 0, 100)
		if w := lipgloss.Width(out[0]); w != 100 || !strings.HasSuffix(out[0], "│") {
			t.Errorf("box at column %d: the line is %d cells: %q; want 100 ending in the border", x, w, ansi.Strip(out[0]))
		}
	}
}
