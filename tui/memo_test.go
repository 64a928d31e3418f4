package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestFrameMemosDrawWhatTheyWouldWithout: frames drawn with the last
// frame's lines remembered are the frames drawn without, whatever changed
// between them (lines, widths, the box floated over them and where).
func TestFrameMemosDrawWhatTheyWouldWithout(t *testing.T) {
	var m frameMemos
	rows := []string{"김민준 010-1234-5678 \x1b[1mP1\x1b[m", "a plain line that is rather long for a narrow pane", "세 글자", ""}
	for frame := range 40 {
		w := 20 + frame%3*7
		var lines []string
		for i := range 8 {
			lines = append(lines, fmt.Sprintf("%s %d", rows[(i+frame/4)%len(rows)], i%(1+frame%2)))
		}
		screen := strings.Join(lines, "\n")
		want := clipLines(screen, w, 6)
		if got := m.clipLines(screen, w, 6); got != want {
			t.Fatalf("frame %d: clipped\n%q\nwant\n%q", frame, got, want)
		}
		box := fmt.Sprintf("╭─%d─╮\n│ 곧 │\n╰───╯", frame%2)
		x, y := frame%5, frame%3
		wantSpliced := splice(strings.Split(want, "\n"), box, x, y, w)
		if got := spliceMemo(&m.splice, strings.Split(want, "\n"), box, x, y, w); strings.Join(got, "\n") != strings.Join(wantSpliced, "\n") {
			t.Fatalf("frame %d: spliced\n%q\nwant\n%q", frame, got, wantSpliced)
		}
		m.frameDone()
	}
	if len(m.clip.last) > 6 || len(m.splice.last) > 3 {
		t.Errorf("the memos keep more than the last frame's lines: %d clipped, %d spliced", len(m.clip.last), len(m.splice.last))
	}
}
