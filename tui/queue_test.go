package tui

import (
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

func TestQueueRowsAlignWhateverTheScript(t *testing.T) {
	c := newTestCommon(t, Korean)
	mk := func(name, phone string, due time.Duration, owner string) queue.Callback {
		return queue.Callback{CustomerName: name, Phone: crm.Phone{ID: 1, E164: phone}, Priority: 2,
			CustomerTZ: "Asia/Seoul", Window: queue.Window{StartMin: 480, EndMin: 1260},
			Due: testNow.Add(due), Owner: owner, State: queue.Scheduled, Reason: "배송 지연 재안내"}
	}
	rows := []queue.Callback{
		mk("김민준", "+821012345678", -12*time.Minute, "minji"),
		mk("Emily Park", "+14155552671", 5*time.Minute, ""),
		mk("남궁지우", "+8223123456", 3*time.Hour, "junho"),
		mk("이", "+821099998888", 48*time.Hour, ""),
	}
	for _, w := range []int{40, 60, 90, 120} {
		col := -1
		for i, cb := range rows {
			line := ansi.Strip(queueRow(c, cb, testNow, w, rowColumns{true, true}, i == 1, false))
			if got := lipgloss.Width(line); got > w {
				t.Errorf("width %d: row %q is %d cells", w, line, got)
			}
			// The reason column starts at the same cell in every row.
			at := lipgloss.Width(line[:strings.Index(line, "배송")])
			if col >= 0 && at != col {
				t.Errorf("width %d: P2 at cell %d in %q, want %d", w, at, line, col)
			}
			col = at
		}
	}
	overdue := ansi.Strip(queueRow(c, rows[0], testNow, 120, rowColumns{true, true}, false, false))
	if !strings.HasPrefix(overdue, "! 12분 지남") || !strings.Contains(overdue, "010-****-5678") || !strings.Contains(overdue, "개인") {
		t.Errorf("overdue row = %q", overdue)
	}
	pool := ansi.Strip(queueRow(c, rows[1], testNow, 120, rowColumns{true, true}, false, true))
	if !strings.HasPrefix(pool, "✎ 5분 후") || !strings.Contains(pool, " 팀 ") {
		t.Errorf("pool row with a draft = %q", pool)
	}
	other := ansi.Strip(queueRow(c, rows[2], testNow, 120, rowColumns{true, true}, false, false))
	if !strings.Contains(other, "junho") {
		t.Errorf("another agent's callback should name them: %q", other)
	}
}

func TestQueuePaneOrderAndKeys(t *testing.T) {
	c := newTestCommon(t, English)
	a := newApp(t, c, 100, 30)
	items := a.work.queue.items
	if len(items) < 20 {
		t.Fatalf("queue has %d callbacks, want the demo's personal and pool ones", len(items))
	}
	seenFuture := false
	for _, cb := range items {
		if cb.Owner != "" && cb.Owner != "minji" {
			t.Errorf("junho's callback %d is in minji's queue", cb.ID)
		}
		if !cb.Overdue(testNow) {
			seenFuture = true
		} else if seenFuture {
			t.Errorf("overdue callback %d listed after one not yet due", cb.ID)
		}
	}
	run(t, a, press("j"))
	run(t, a, press("j"))
	if sel, _ := a.work.queue.Selected(); sel.ID != items[2].ID {
		t.Errorf("after j j the third callback should be selected, got %d", sel.ID)
	}
	run(t, a, press("G"))
	if a.work.queue.cursor != len(items)-1 {
		t.Errorf("G should go to the last callback, cursor = %d", a.work.queue.cursor)
	}
	run(t, a, press("g"))
	if a.work.queue.cursor != 0 || a.work.queue.offset != 0 {
		t.Errorf("g should go to the top, cursor = %d offset = %d", a.work.queue.cursor, a.work.queue.offset)
	}
	if s := shown(a); !strings.Contains(s, "overdue") || !strings.Contains(s, "Callback queue (") {
		t.Errorf("queue screen lacks its title or overdue marks:\n%s", s)
	}
}
