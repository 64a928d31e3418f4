package tui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
)

// TestFrameMemosDrawWhatTheyWouldWithout: frames drawn with the last
// frame's lines remembered are the frames drawn without, whatever changed
// between them (lines, widths, the box floated over them and where).
func TestFrameMemosDrawWhatTheyWouldWithout(t *testing.T) {
	var m kit.FrameMemos
	rows := []string{"김민준 010-1234-5678 \x1b[1mP1\x1b[m", "a plain line that is rather long for a narrow pane", "세 글자", ""}
	for frame := range 40 {
		w := 20 + frame%3*7
		var lines []string
		for i := range 8 {
			lines = append(lines, fmt.Sprintf("%s %d", rows[(i+frame/4)%len(rows)], i%(1+frame%2)))
		}
		screen := strings.Join(lines, "\n")
		want := kit.ClipLines(screen, w, 6)
		if got := m.ClipLines(screen, w, 6); got != want {
			t.Fatalf("frame %d: clipped\n%q\nwant\n%q", frame, got, want)
		}
		box := fmt.Sprintf("╭─%d─╮\n│ 곧 │\n╰───╯", frame%2)
		x, y := frame%5, frame%3
		wantSpliced := splice(strings.Split(want, "\n"), box, x, y, w)
		if got := spliceMemo(&m.Splice, strings.Split(want, "\n"), box, x, y, w); strings.Join(got, "\n") != strings.Join(wantSpliced, "\n") {
			t.Fatalf("frame %d: spliced\n%q\nwant\n%q", frame, got, wantSpliced)
		}
		m.FrameDone()
	}
	if m.Clip.Kept() > 6 || m.Splice.Kept() > 3 {
		t.Errorf("the memos keep more than the last frame's lines: %d clipped, %d spliced", m.Clip.Kept(), m.Splice.Kept())
	}
}

// TestAQuietMessageDrawsTheLastFrameAgain: after a message that changes
// nothing on screen (a change elsewhere, a timer asking for a reading) the
// console gives its last frame again, and that frame is what drawing anew
// would give; after any other message it draws anew.
func TestAQuietMessageDrawsTheLastFrameAgain(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 100, 30)
	run(t, a, press("enter")) // a customer open in the 360
	for _, m := range []tea.Msg{kit.ChangeMsg{}, kit.ChangeMsg{Change: db.Change{Entity: db.Presence}}, kit.PresenceReloadMsg{}, desk.ReminderTickMsg{}} {
		before := a.View().Content
		a.Update(m) // the message alone: what it asks for is not run
		if !a.frameOK {
			t.Errorf("%T: the frame is drawn anew", m)
		}
		if got, fresh := a.View().Content, a.draw().Content; got != before || got != fresh {
			t.Errorf("%T: the frame given differs from the last one or from a fresh one:\n%s\n---\n%s", m, got, fresh)
		}
	}
	before := a.View().Content
	run(t, a, press("tab")) // the focus goes back to the queue
	if got := a.View().Content; got == before || got != a.draw().Content {
		t.Errorf("after a key the frame is not drawn anew:\n%s", got)
	}
}

// The help line is drawn again only when what it lists changes; after
// every kind of change it is what a fresh drawing gives.
func TestTheHelpLineIsNeverStale(t *testing.T) {
	a := NewApp(newTestCommon(t, kit.Korean))
	run(t, a, tea.WindowSizeMsg{Width: 120, Height: 40})
	run(t, a, a.work.Queue.Load()())
	seen := map[string]bool{}
	for _, step := range []tea.Msg{nil, press("j"), press("/"), press("esc"), tea.BackgroundColorMsg{Color: color.White},
		tea.WindowSizeMsg{Width: 80, Height: 24}, press("?"), press("esc")} {
		if step != nil {
			run(t, a, step)
		}
		got, fresh := a.helpLine(), a.help.ShortHelpView(a.shortHelp())
		if got != fresh {
			t.Fatalf("after %v the help line is\n%q\na fresh drawing\n%q", step, got, fresh)
		}
		seen[got] = true
	}
	if len(seen) < 4 {
		t.Errorf("the steps showed %d help lines: they do not change what it lists", len(seen))
	}
}
