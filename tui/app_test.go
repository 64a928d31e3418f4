package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/exp/golden"
)

func TestQueueScreenGolden(t *testing.T) {
	for _, tc := range []struct {
		lang kit.Lang
		w, h int
		file string
	}{
		{kit.Korean, 80, 24, "ko_80x24"},
		{kit.English, 80, 24, "en_80x24"},
		{kit.Korean, 120, 35, "ko_120x35"},
		{kit.English, 120, 35, "en_120x35"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := newApp(t, newTestCommon(t, tc.lang), tc.w, tc.h)
			golden.RequireEqual(t, shown(a))
		})
	}
}

func TestCustomerScreenGolden(t *testing.T) {
	for _, tc := range []struct {
		lang kit.Lang
		w, h int
		file string
	}{
		{kit.Korean, 120, 36, "ko_120x36"},
		{kit.English, 120, 35, "en_120x35"},
		{kit.Korean, 80, 24, "ko_80x24"},
		{kit.English, 80, 24, "en_80x24"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := newApp(t, newTestCommon(t, tc.lang), tc.w, tc.h)
			run(t, a, press("enter"))
			if a.work.Focus != desk.FocusCustomer || a.work.Customer.Profile == nil {
				t.Fatalf("enter should open the customer: focus=%d profile=%v err=%v", a.work.Focus, a.work.Customer.Profile != nil, a.work.Customer.Err)
			}
			golden.RequireEqual(t, shown(a))
		})
	}
}

func TestWriteAndSaveNote(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 100, 30)
	first, _ := a.work.Queue.Selected()
	run(t, a, press("n"))
	if a.work.Focus != desk.FocusNote || a.work.Note.CustomerID != first.CustomerID {
		t.Fatalf("n should open the editor on the selected customer (focus %d)", a.work.Focus)
	}
	// q and j are text in the editor, not quit and down.
	note := "고객과 통화함. 배송은 내일 오전 도착 예정이며 qj 쿠폰 발급을 약속함.\n둘째 줄"
	typeText(t, a, note)
	if got := a.work.Note.Value(); got != note {
		t.Fatalf("editor holds %q", got)
	}
	run(t, a, press("ctrl+s"))
	if a.work.Note.Editing || a.work.Focus != desk.FocusCustomer {
		t.Errorf("after saving, the editor should close (open=%v focus=%d)", a.work.Note.Editing, a.work.Focus)
	}
	recent, err := c.CRM.Interactions(context.Background(), first.CustomerID, 0, 1)
	if err != nil || len(recent) != 1 || recent[0].Body != note || recent[0].Agent != "minji" || recent[0].CallbackID != first.ID {
		t.Fatalf("latest interaction = %+v, %v", recent, err)
	}
	s := shown(a)
	if !strings.Contains(s, "메모를 저장했습니다") || !strings.Contains(s, "고객과 통화함") {
		t.Errorf("screen should confirm and show the note:\n%s", s)
	}
}

func TestEmptyAndHugeNotesAreRefusedAndKept(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 100, 30)
	first, _ := a.work.Queue.Selected()
	run(t, a, press("n"))
	run(t, a, press("ctrl+s"))
	if !a.work.Note.Editing || !strings.Contains(shown(a), "note is empty") {
		t.Errorf("an empty note should be refused with a message:\n%s", shown(a))
	}
	huge := strings.Repeat("가나다라 ", 2100) // 10,500 characters
	run(t, a, tea.PasteMsg{Content: huge})
	run(t, a, press("ctrl+s"))
	if !a.work.Note.Editing || a.work.Note.Value() != huge {
		t.Fatal("a too-long note must stay in the editor, untouched")
	}
	if s := shown(a); !strings.Contains(s, "10500 characters; the limit is 10000") {
		t.Errorf("no length message:\n%s", s)
	}
	if got, _ := c.CRM.Interactions(context.Background(), first.CustomerID, 0, 50); len(got) > 0 && got[0].CreatedAt.Equal(testNow) {
		t.Error("a refused note was stored")
	}
}

func TestEscKeepsDraftAndRestartRestoresIt(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 100, 30)
	first, _ := a.work.Queue.Selected()
	run(t, a, press("n"))
	typeText(t, a, "아직 다 못 쓴 메모")
	run(t, a, press("esc"))
	if a.work.Note.Editing || a.work.Focus != desk.FocusCustomer {
		t.Fatalf("esc should leave the editor (open=%v)", a.work.Note.Editing)
	}
	ds, err := c.CRM.Drafts(context.Background(), c.Agent.ID)
	if err != nil || len(ds) != 1 || ds[0].Body != "아직 다 못 쓴 메모" || ds[0].CustomerID != first.CustomerID {
		t.Fatalf("drafts = %+v, %v", ds, err)
	}
	wantShown(t, a, "임시 저장했습니다", "esc should say the draft was kept")
	// Opening the editor again brings the draft back.
	run(t, a, press("n"))
	if a.work.Note.Value() != "아직 다 못 쓴 메모" {
		t.Errorf("reopened editor holds %q", a.work.Note.Value())
	}

	// A new console for the same agent opens straight into the draft.
	b := newApp(t, c, 100, 30)
	if !b.work.Note.Editing || b.work.Note.Value() != "아직 다 못 쓴 메모" || b.work.Customer.ID != first.CustomerID {
		t.Errorf("restart: editor open=%v text=%q customer=%d", b.work.Note.Editing, b.work.Note.Value(), b.work.Customer.ID)
	}
}

func TestQuitWithDirtyNoteKeepsDraft(t *testing.T) {
	c := newTestCommon(t, kit.English)
	tm, p := startProgram(t, c, 100, 30)
	waitLogin(t, tm, p)
	tm.Send(press("n"))
	waitState(t, tm, p, "the editor open", func(a *App) bool { return a.work.Focus == desk.FocusNote })
	tm.Type("half a note, 반쯤 쓴 메모")
	tm.Send(press("ctrl+c"))
	final := finalApp(t, tm)
	ds, err := c.CRM.Drafts(context.Background(), c.Agent.ID)
	if err != nil || len(ds) != 1 || ds[0].Body != "half a note, 반쯤 쓴 메모" {
		t.Fatalf("quitting with a dirty note: drafts = %+v, %v", ds, err)
	}
	if _, _, ok := final.Unsaved(); ok {
		t.Error("after the draft is stored nothing should be left unsaved")
	}
}

func TestNoteFlowInARealProgram(t *testing.T) {
	c := newTestCommon(t, kit.English)
	tm, p := startProgram(t, c, 110, 32)
	waitLogin(t, tm, p)
	tm.Send(press("j"))
	tm.Send(press("enter"))
	tm.Send(press("n"))
	waitState(t, tm, p, "the editor open", func(a *App) bool { return a.work.Focus == desk.FocusNote })
	tm.Type("Customer confirmed the new delivery date. 감사 인사 전함.")
	tm.Send(press("ctrl+s"))
	// The note is saved and the 360 reloaded after it: last contact is now.
	waitState(t, tm, p, "the note saved and the 360 reloaded", func(a *App) bool {
		tl := a.work.Customer.Timeline
		return !a.work.Note.Editing && a.work.Customer.Profile != nil && a.work.Customer.Profile.LastContact.At.Equal(testNow) &&
			!a.work.Customer.TlBusy && len(tl) > 0 && strings.HasPrefix(tl[0].Body, "Customer confirmed")
	})
	var n int
	c.CRM.DB.QueryRow(`SELECT count(*) FROM interactions WHERE body = ? AND agent_id = ?`,
		"Customer confirmed the new delivery date. 감사 인사 전함.", c.Agent.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("the note is in the database %d times, want once", n)
	}
	tm.Send(press("q"))
	final := finalApp(t, tm)
	s := shown(final)
	if !strings.Contains(s, "Customer confirmed the new delivery") {
		t.Errorf("final screen:\n%s", s)
	}
}

func TestAnySizeDrawsWithoutPanic(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 80, 24)
	run(t, a, press("enter"))
	run(t, a, press("n"))
	typeText(t, a, "크기 바꾸기 시험")
	for _, sz := range [][2]int{{20, 5}, {1, 1}, {0, 0}, {39, 7}, {40, 8}, {41, 9}, {60, 12}, {99, 20}, {100, 20}, {80, 24}, {200, 60}} {
		run(t, a, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		content := shown(a)
		lines := strings.Split(content, "\n")
		if sz[0] > 0 && len(lines) > sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for _, l := range lines {
			if lipgloss.Width(l) > sz[0] {
				t.Errorf("%dx%d: line %q is %d wide", sz[0], sz[1], l, lipgloss.Width(l))
			}
		}
		if sz == [2]int{20, 5} && !strings.Contains(content, "창이 너무 작습니다") {
			t.Errorf("20x5 should say the terminal is too small:\n%s", content)
		}
		if sz == [2]int{200, 60} && (!strings.Contains(content, "크기 바꾸기 시험") || len(lines) != 60) {
			t.Errorf("200x60 should redraw the whole screen with the editor:\n%s", content)
		}
	}
	if a.work.Note.Value() != "크기 바꾸기 시험" {
		t.Error("resizing lost the note")
	}
}

func TestHelpShowsEveryKey(t *testing.T) {
	a := newApp(t, newTestCommon(t, kit.English), 80, 24)
	run(t, a, press("?"))
	s := shown(a)
	for _, want := range []string{"Keys", "Queue", "Customer", "Note", "ctrl+s", "enter", "tab", "quit"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q:\n%s", want, s)
		}
	}
	run(t, a, press("x"))
	if a.showHelp {
		t.Error("any key should close the help")
	}
	if line := strings.Split(shown(a), "\n")[23]; !strings.Contains(line, "? help") || !strings.Contains(line, "q quit") {
		t.Errorf("the short help line should always be visible, got %q", line)
	}
}

// TestAnEditorIsHeldOnlyWhileANoteIs: a console browsing its queue holds no
// text area (a quarter of a megabyte each, a hundred consoles to a
// server); one is made when a note opens and let go once its text is kept
// (saved as a note, or as a draft on esc), or when it is closed empty.
func TestAnEditorIsHeldOnlyWhileANoteIs(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 100, 30)
	held := func(when string, want bool) {
		t.Helper()
		if got := a.work.Note.Editor != nil; got != want {
			t.Fatalf("%s: editor held = %v, want %v", when, got, want)
		}
	}
	held("a console browsing its queue", false)
	run(t, a, press("n"))
	held("a note opened", true)
	run(t, a, press("esc"))
	held("closed with nothing typed", false)

	run(t, a, press("n"))
	typeText(t, a, "다시 걸기로 함")
	run(t, a, press("esc")) // kept as a draft
	held("closed, its text kept as a draft", false)
	run(t, a, press("n"))
	if got := a.work.Note.Value(); got != "다시 걸기로 함" {
		t.Fatalf("the draft came back as %q", got)
	}
	run(t, a, press("ctrl+s"))
	held("the note saved", false)
	if a.work.Note.Editing || !strings.Contains(shown(a), "다시 걸기로 함") {
		t.Fatalf("the saved note should be in the 360 and the editor closed:\n%s", shown(a))
	}
}
