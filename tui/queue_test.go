package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

func TestQueueRowsAlignWhateverTheScript(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	mk := func(id int64, name, phone string, due time.Duration, owner string) queue.Callback {
		return queue.Callback{ID: id, CustomerName: name, Phone: crm.Phone{ID: 1, E164: phone}, Priority: 2,
			CustomerTZ: "Asia/Seoul", Window: queue.Window{StartMin: 480, EndMin: 1260},
			Due: testNow.Add(due), Owner: owner, State: queue.Scheduled, Reason: "배송 지연 재안내", MaxAttempts: 5}
	}
	m := desk.NewQueuePane(c)
	m.Drafts[0] = true
	rows := []queue.Callback{
		mk(1, "김민준", "+821012345678", -12*time.Minute, "minji"),
		mk(2, "Emily Park", "+14155552671", 5*time.Minute, ""),
		mk(3, "남궁지우", "+8223123456", 3*time.Hour, "junho"),
		mk(4, "이", "+821099998888", 48*time.Hour, ""),
	}
	rows[2].Attempts = 2
	for _, w := range []int{40, 60, 90, 120} {
		m.SetSize(w, 10)
		m.Update(loadedWindow(m, rows))
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		if len(lines) != 2+len(rows) {
			t.Fatalf("width %d: %d lines:\n%s", w, len(lines), strings.Join(lines, "\n"))
		}
		col := -1
		for i, line := range lines[2:] {
			if got := lipgloss.Width(line); got != w {
				t.Errorf("width %d: row %d is %d cells: %q", w, i, got, line)
			}
			// The reason starts at the same cell in every row and under its
			// header, whatever the script of the name.
			at := lipgloss.Width(line[:strings.Index(line, "배송")])
			if col >= 0 && at != col {
				t.Errorf("width %d: the reason at cell %d in %q, want %d", w, at, line, col)
			}
			col = at
		}
		if head := lines[1]; lipgloss.Width(head[:strings.Index(head, "사유")]) != col {
			t.Errorf("width %d: the reason's header is not over its column:\n%s\n%s", w, head, lines[2])
		}
	}
	m.SetSize(120, 10)
	m.Update(loadedWindow(m, rows))
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	for _, want := range []string{"! 12분 지남", "010-****-5678", "개인", " 팀 ", "junho", "2/5"} {
		if !strings.Contains(strings.Join(lines, "\n"), want) {
			t.Errorf("the queue lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	for _, h := range []string{"예정", "고객", "상태", "담당", "시도", "사유"} {
		if !strings.Contains(lines[1], h) {
			t.Errorf("header lacks %q: %q", h, lines[1])
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[0]), "콜백 대기열 1/4") {
		t.Errorf("title should say the position: %q", lines[0])
	}
}

func TestQueuePaneOrderAndKeys(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 100, 30)
	items := a.work.Queue.Win.Items
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
	if sel, _ := a.work.Queue.Selected(); sel.ID != items[2].ID {
		t.Errorf("after j j the third callback should be selected, got %d", sel.ID)
	}
	run(t, a, press("G"))
	if a.work.Queue.Tbl.Cursor != len(items)-1 {
		t.Errorf("G should go to the last callback, cursor = %d", a.work.Queue.Tbl.Cursor)
	}
	if !strings.Contains(shown(a), fmt.Sprintf("%d/%d", len(items), len(items))) {
		t.Errorf("the title should say the position at the end:\n%s", shown(a))
	}
	run(t, a, press("g"))
	if a.work.Queue.Tbl.Cursor != 0 || a.work.Queue.Tbl.Offset != 0 {
		t.Errorf("g should go to the top, cursor = %d offset = %d", a.work.Queue.Tbl.Cursor, a.work.Queue.Tbl.Offset)
	}
	if s := shown(a); !strings.Contains(s, "overdue") || !strings.Contains(s, "Callback queue 1/") {
		t.Errorf("queue screen lacks its title or overdue marks:\n%s", s)
	}
}

func TestQueueReachesEveryRowAndHasViewsAndSorts(t *testing.T) {
	c := newTestCommon(t, kit.English)
	ctx := context.Background()
	var customers []int64
	rows, _ := c.CRM.DB.Query(`SELECT id FROM customers WHERE dnc = 0 LIMIT 40`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		customers = append(customers, id)
	}
	rows.Close()
	for i := range 560 { // more than the old 500 cap
		if _, err := c.Queue.Add(ctx, c.Agent, queue.NewCallback{CustomerID: customers[i%len(customers)],
			Due: testNow.Add(time.Duration(i+1) * time.Hour), Reason: fmt.Sprintf("extra %d", i), Kind: "complaint"}); err != nil {
			t.Fatal(err)
		}
	}
	a := newApp(t, c, 120, 32)
	q := a.work.Queue
	if len(q.Win.Items) >= q.Total {
		t.Fatalf("the console read all %d callbacks at start, not a window", q.Total)
	}
	run(t, a, press("G"))
	last, ok := q.Selected()
	if q.Tbl.Cursor != q.Total-1 || q.Total < 560 || !ok || !strings.Contains(shown(a), fmt.Sprintf("%s/%s", kit.Thousands(int64(q.Total)), kit.Thousands(int64(q.Total)))) {
		t.Fatalf("G reached row %d of %d (%v)", q.Tbl.Cursor+1, q.Total, ok)
	}
	if want, _ := c.Queue.Page(ctx, c.Agent, queue.Listing{}, nil, true, 1); len(want) != 1 || want[0].ID != last.ID {
		t.Errorf("G should show the queue's last callback %v, shows %d", want, last.ID)
	}
	// Back up a page at a time: every row is read on the way, in order.
	seen := map[int64]bool{last.ID: true}
	for range q.Total {
		run(t, a, press("k"))
		cb, ok := q.Selected()
		if !ok {
			t.Fatalf("row %d was not read in time", q.Tbl.Cursor)
		}
		seen[cb.ID] = true
		if q.Tbl.Cursor == 0 {
			break
		}
	}
	if len(seen) != q.Total || len(q.Win.Items) > 4*q.Tbl.Rows()+60 {
		t.Errorf("k from the bottom saw %d of %d rows, holding %d", len(seen), q.Total, len(q.Win.Items))
	}
	run(t, a, press("g"))
	for _, v := range []string{"mine", "pool", "overdue", "due today", "blocked", "all"} {
		run(t, a, press("f"))
		if !strings.Contains(shown(a), v+" · order") {
			t.Errorf("f should show %q:\n%s", v, shown(a))
		}
		for _, cb := range q.Win.Items {
			bad := (v == "mine" && cb.Owner != "minji") || (v == "pool" && cb.Owner != "") || (v == "overdue" && !cb.Overdue(testNow))
			if bad {
				t.Errorf("%s view shows %+v", v, cb)
			}
		}
	}
	run(t, a, press("s"))
	run(t, a, press("s"))
	wantShown(t, a, "order: priority", "s twice should sort by priority")
	for i := 1; i < len(q.Win.Items); i++ {
		if q.Win.Items[i-1].Priority > q.Win.Items[i].Priority {
			t.Fatal("not in priority order")
		}
	}
	run(t, a, press("F"))
	typeText(t, a, "extra 55")
	run(t, a, press("enter"))
	for _, cb := range q.Win.Items {
		if !strings.Contains(cb.Reason, "extra 55") {
			t.Errorf("text filter let %q through", cb.Reason)
		}
	}
	if len(q.Win.Items) == 0 || !strings.Contains(shown(a), "“extra 55”") {
		t.Errorf("the text filter should be named:\n%s", shown(a))
	}
}

func TestMouseSelectsOpensAndScrolls(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	q := a.work.Queue
	// Screen line 1 is the queue's top border, 2 its title, 3 the headers:
	// the third callback is on line 6.
	run(t, a, tea.MouseClickMsg{X: 10, Y: 6, Button: tea.MouseLeft})
	if q.Tbl.Cursor != 2 {
		t.Fatalf("a click on the third row selected row %d", q.Tbl.Cursor)
	}
	third, _ := q.Selected()
	run(t, a, tea.MouseClickMsg{X: 10, Y: 6, Button: tea.MouseLeft})
	if a.work.Customer.ID != third.CustomerID {
		t.Errorf("a second click should open the customer %d, shows %d", third.CustomerID, a.work.Customer.ID)
	}
	run(t, a, tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	if q.Tbl.Cursor != 3 {
		t.Errorf("the wheel should move the queue: row %d", q.Tbl.Cursor)
	}
	// A click on a search result opens it.
	run(t, a, press("/"))
	typeText(t, a, "김")
	sp, _ := open[*desk.SearchPane](a)
	if len(sp.Results) < 2 {
		t.Fatalf("search found %d", len(sp.Results))
	}
	want := sp.Results[1].ID
	lines := strings.Split(shown(a), "\n")
	for y, l := range lines {
		if strings.Contains(l, fmt.Sprintf("#%d ", want)) {
			run(t, a, tea.MouseClickMsg{X: 40, Y: y, Button: tea.MouseLeft})
			break
		}
	}
	if a.top() != nil || a.work.Customer.ID != want {
		t.Errorf("a click on a result should open customer %d, shows %d", want, a.work.Customer.ID)
	}
}

// loadedWindow is the answer to m's latest read holding rows: the whole
// list, as a small queue is.
func loadedWindow(m *desk.QueuePane, rows []queue.Callback) kit.WindowMsg {
	m.Win.Counts.Total = len(rows) // as the place read that follows will say
	return kit.WindowMsg{Req: kit.WindowReq{Owner: "queue", ID: m.Win.ReqID, What: kit.ReadAround, Keep: kit.KeepTop, After: len(rows) + 1}, Items: rows}
}
