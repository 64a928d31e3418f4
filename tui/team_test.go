package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dangol/dangol/tui/floor"
	"github.com/dangol/dangol/tui/kit"

	"github.com/dangol/dangol/queue"
)

func TestAgentsHaveNoTeamScreens(t *testing.T) {
	a := newApp(t, newTestCommon(t, kit.English), 120, 32)
	run(t, a, press("2"))
	if a.active != kit.ScreenWork || len(a.defs) != 1 || strings.Contains(shown(a), "Callbacks  ") {
		t.Errorf("an agent switched screens: active %s, %d screens", a.active, len(a.defs))
	}
}

func TestBoardIntoAgentsCallbacksAndBulkMoveWithUndo(t *testing.T) {
	c := newTestCommon(t, kit.English)
	sora := as(t, c, "sora")
	a := newApp(t, sora, 130, 36)
	if !strings.Contains(shown(a), "2 Team") || !strings.Contains(shown(a), "3 Callbacks") {
		t.Fatalf("a supervisor should see the screens' tabs:\n%s", shown(a))
	}
	run(t, a, press("2"))
	board := a.screens[kit.ScreenBoard].(*floor.BoardScreen)
	if len(board.Rows) < 4 {
		t.Fatalf("board rows: %d\n%s", len(board.Rows), shown(a))
	}
	s := shown(a)
	for _, want := range []string{"김민지 minji", "이준호 junho", "Team pool", "AHT", "Reach"} {
		if !strings.Contains(s, want) {
			t.Errorf("board lacks %q:\n%s", want, s)
		}
	}
	// Down to minji's row, then o: her overdue callbacks in the table.
	for board.Rows[board.Tbl.Cursor].Agent.Name != "minji" {
		run(t, a, press("j"))
	}
	run(t, a, press("o"))
	team, ok := a.screens[kit.ScreenTeam].(*floor.TeamScreen)
	if !ok || a.active != kit.ScreenTeam || team.Filter.Owner != "minji" || !team.Filter.Overdue {
		t.Fatalf("o on minji's row should show her overdue callbacks (active %s)", a.active)
	}
	n := team.Win.Counts.Total
	if n == 0 || len(team.Win.Items) != n {
		t.Fatalf("minji has no overdue callbacks:\n%s", shown(a))
	}
	if !strings.Contains(shown(a), "1/"+strconv.Itoa(n)) || !strings.Contains(shown(a), "filter: 김민지 (minji) · overdue") {
		t.Errorf("the table should say its position and filter:\n%s", shown(a))
	}
	run(t, a, press("*"))
	if !team.AllMatch || !strings.Contains(shown(a), "all "+strconv.Itoa(n)+" that match") {
		t.Fatalf("* should select the %d that match:\n%s", n, shown(a))
	}
	run(t, a, press("r"))
	ch, ok := open[*kit.ChoicePane](a)
	if !ok || !strings.Contains(shown(a), "Move "+strconv.Itoa(n)+" callbacks to:") {
		t.Fatalf("r should ask where to, saying how many:\n%s", shown(a))
	}
	for i, it := range ch.Items {
		if strings.Contains(it, "junho") {
			run(t, a, press(strconv.Itoa(i+1)))
		}
	}
	if !strings.Contains(shown(a), strconv.Itoa(n)+" moved to 이준호 (junho)") {
		t.Fatalf("the banner should say what moved:\n%s", shown(a))
	}
	ctx := context.Background()
	left, _ := c.Queue.Count(ctx, sora.Agent, queue.Listing{Team: true, Filter: queue.TeamFilter{Owner: "minji", Overdue: true,
		State: queue.Scheduled}})
	if left.Total != 0 {
		t.Errorf("%d callbacks are still minji's overdue", left.Total)
	}
	if len(team.Selected) != 0 || team.AllMatch || team.Tbl.N != 0 {
		t.Errorf("after the move: %d selected (all: %v), %d shown", len(team.Selected), team.AllMatch, team.Tbl.N)
	}
	// Undo, confirmed.
	run(t, a, press("z"))
	if _, ok := open[*kit.ConfirmPane](a); !ok {
		t.Fatalf("z should ask first:\n%s", shown(a))
	}
	wantShown(t, a, "Move "+strconv.Itoa(n)+" callbacks back from 이준호 to 김민지?", "the question says what the undo does")
	run(t, a, press("y"))
	if !strings.Contains(shown(a), "Undone: "+strconv.Itoa(n)+" restored") || team.Tbl.N != n {
		t.Errorf("undo: %d shown\n%s", team.Tbl.N, shown(a))
	}
}

func TestAgentConsoleSaysWhoMovedItsWork(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 32)
	ctx := context.Background()
	sora := as(t, c, "sora")
	// minji claims her next callback and starts a note.
	run(t, a, press("N"))
	held := a.work.Customer.CallbackID
	run(t, a, press("n"))
	typeText(t, a, "통화 중 메모")
	// sora frees the claim and moves one of minji's callbacks to junho.
	seen, _ := c.Queue.SeenNow(ctx, []int64{held})
	if _, err := c.Queue.Bulk(ctx, sora.Agent, queue.BulkOp{Action: queue.BulkRelease}, seen); err != nil {
		t.Fatal(err)
	}
	var other queue.Callback
	for _, cb := range a.work.Queue.Win.Items {
		if cb.Owner == "minji" && cb.ID != held && cb.State == queue.Scheduled {
			other = cb
			break
		}
	}
	junho, _ := c.CRM.AgentByName(ctx, "junho")
	if _, err := c.Queue.Reassign(ctx, sora.Agent, []int64{other.ID}, junho.ID); err != nil {
		t.Fatal(err)
	}
	changedElsewhere(t, a)
	s := shown(a)
	if !strings.Contains(s, "sora freed your claim on #"+strconv.FormatInt(held, 10)+"; your note is kept") ||
		!strings.Contains(s, "sora moved 1 of your callbacks to junho") {
		t.Errorf("minji's console should say what sora did:\n%s", s)
	}
	if a.work.Note.Value() != "통화 중 메모" || !a.work.Note.Editing {
		t.Error("the note being written must stay")
	}
	// Work moved to her is said too.
	pool, _ := c.Queue.Page(ctx, sora.Agent, queue.Listing{Team: true, Filter: queue.TeamFilter{Pool: true, State: queue.Scheduled}},
		nil, false, 2)
	var ids []int64
	for _, cb := range pool {
		ids = append(ids, cb.ID)
	}
	if _, err := c.Queue.Reassign(ctx, sora.Agent, ids, c.Agent.ID); err != nil {
		t.Fatal(err)
	}
	changedElsewhere(t, a)
	wantShown(t, a, "sora moved 2 callbacks to you", "gained work should be said")
}

func TestDeactivatedAgentsConsoleStops(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 100, 30)
	yuna := as(t, c, "yuna")
	if err := c.Queue.Deactivate(context.Background(), yuna.Agent, "minji"); err != nil {
		t.Fatal(err)
	}
	changedElsewhere(t, a)
	if !a.locked || !strings.Contains(shown(a), "Your account was deactivated") {
		t.Fatalf("the console should say minji is deactivated:\n%s", shown(a))
	}
	run(t, a, press("N"))
	var claims int
	c.CRM.DB.QueryRow(`SELECT count(*) FROM callbacks WHERE claimed_by = ?`, c.Agent.ID).Scan(&claims)
	if claims != 0 {
		t.Error("a deactivated agent claimed a callback")
	}
}

func TestAuditFiguresAgentsAndPolicyScreens(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	yuna := as(t, c, "yuna")
	a := newApp(t, yuna, 130, 40)
	for i, d := range a.defs {
		run(t, a, press(strconv.Itoa(i+1)))
		if a.active != d.id {
			t.Fatalf("%d should show %s", i+1, d.id)
		}
		if s := shown(a); strings.Contains(s, "오류") {
			t.Errorf("%s shows an error:\n%s", d.id, s)
		}
	}
	// Audit: filter by actor sora.
	run(t, a, press("4"))
	audit := a.screens[kit.ScreenAudit].(*floor.AuditScreen)
	if len(audit.Rows) == 0 {
		t.Fatal("the audit log is empty")
	}
	run(t, a, press("f"))
	typeText(t, a, "sora")
	run(t, a, press("ctrl+s"))
	for _, r := range audit.Rows {
		if r.Actor.Name != "sora" {
			t.Fatalf("filter by sora let %s through", r.Actor.Name)
		}
	}
	// Figures: the team's, with a chart.
	run(t, a, press("5"))
	if s := shown(a); !strings.Contains(s, "제때 처리한 콜백") || !strings.Contains(s, "┤") {
		t.Errorf("figures:\n%s", s)
	}
	// Policy: change the lease to 15 minutes.
	run(t, a, press("7"))
	pol := a.screens[kit.ScreenPolicy].(*floor.PolicyScreen)
	if len(pol.Rows) == 0 || pol.Rows[0].Setting == nil || pol.Rows[0].Setting.Key != "policy.lease_minutes" {
		t.Fatalf("policy rows: %+v", pol.Rows)
	}
	run(t, a, press("enter"))
	for range 3 {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "15")
	run(t, a, press("enter"))
	if pol.Rows[0].Setting.Value != 15 || c.Queue.Policy().Lease != 15*time.Minute {
		t.Errorf("lease = %d (policy %s)\n%s", pol.Rows[0].Setting.Value, c.Queue.Policy().Lease, shown(a))
	}
	// Agents: deactivate junho, confirmed.
	run(t, a, press("6"))
	ag := a.screens[kit.ScreenAgents].(*floor.AgentsScreen)
	for ag.Rows[ag.Tbl.Cursor].Name != "junho" {
		run(t, a, press("j"))
	}
	run(t, a, press("d"))
	run(t, a, press("y"))
	if j, _ := c.CRM.AgentByName(context.Background(), "junho"); j.Active {
		t.Errorf("junho is still active:\n%s", shown(a))
	}
}

func TestBoardAndTableInARealProgram(t *testing.T) {
	c := newTestCommon(t, kit.English)
	sora := as(t, c, "sora")
	tm, p := startProgram(t, sora, 130, 36)
	waitState(t, tm, p, "ready", func(a *App) bool { return a.Ready() })
	tm.Send(press("esc")) // closes the login list if there is one; nothing else on the queue
	tm.Send(press("2"))
	waitState(t, tm, p, "the board loaded", func(a *App) bool {
		b, ok := a.screens[kit.ScreenBoard].(*floor.BoardScreen)
		return ok && len(b.Rows) >= 4
	})
	tm.Send(press("enter")) // the first agent's callbacks
	waitState(t, tm, p, "the team table filtered to the first agent", func(a *App) bool {
		s, ok := a.screens[kit.ScreenTeam].(*floor.TeamScreen)
		return ok && a.active == kit.ScreenTeam && s.Win.Loaded && s.Filter.Owner != ""
	})
	tm.Send(press("q"))
	final := finalApp(t, tm)
	team := final.screens[kit.ScreenTeam].(*floor.TeamScreen)
	s := shown(final)
	if !strings.Contains(s, "("+team.Filter.Owner+")") || !strings.Contains(s, "1/") {
		t.Errorf("final screen:\n%s", s)
	}
	for _, cb := range team.Win.Items {
		if cb.Owner != team.Filter.Owner {
			t.Errorf("callback %d of %s in %s's list", cb.ID, cb.Owner, team.Filter.Owner)
		}
	}
}

func TestDueDayRanges(t *testing.T) {
	loc := kst
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, loc) }
	cases := []struct {
		in       string
		from, to time.Time
	}{
		{"today", day(23), day(24)}, {"오늘", day(23), day(24)}, {"tomorrow", day(24), day(25)},
		{"7d", day(23), day(30)}, {"2026-11-25", day(25), day(26)}, {"2026-11-25..2026-11-27", day(25), day(28)},
		{"today..tomorrow", day(23), day(25)},
	}
	for _, c := range cases {
		from, to, err := kit.DayRange(c.in, testNow, loc)
		if err != nil || !from.Equal(c.from) || !to.Equal(c.to) {
			t.Errorf("dayRange(%q) = %s..%s %v, want %s..%s", c.in, from, to, err, c.from, c.to)
		}
	}
	for _, bad := range []string{"yesterday", "2026-11-27..2026-11-25", "0d", "soon"} {
		if _, _, err := kit.DayRange(bad, testNow, loc); err == nil {
			t.Errorf("dayRange(%q) accepted", bad)
		}
	}
}

// addMany gives junho n more open callbacks, due over the coming days.
func addMany(t *testing.T, c *kit.Common, n int) {
	t.Helper()
	junho, _ := c.CRM.AgentByName(context.Background(), "junho")
	_, err := c.CRM.DB.Exec(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
		INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, owner_id, created_at, updated_at)
		SELECT c.id, (SELECT id FROM phones WHERE customer_id = c.id ORDER BY invalid, is_primary DESC, id LIMIT 1),
			'service', 'many ' || k.i, 1 + k.i % 5, ? + k.i * 60, ?, ?, ?
		FROM k JOIN customers c ON c.id = 1 + k.i % 50 WHERE c.dnc = 0`,
		n, testNow.Unix(), junho.ID, testNow.Unix(), testNow.Unix())
	if err != nil {
		t.Fatal(err)
	}
}

func TestAllThatMatchOnManyCallbacks(t *testing.T) {
	c := newTestCommon(t, kit.English)
	addMany(t, c, 3000)
	sora := as(t, c, "sora")
	a := newApp(t, sora, 130, 36)
	run(t, a, press("3"))
	team := a.screens[kit.ScreenTeam].(*floor.TeamScreen)
	run(t, a, floor.TeamFilterMsg{Filter: queue.TeamFilter{Owner: "junho", Text: "many"}})
	n := team.Win.Counts.Total
	if n < 2500 || len(team.Win.Items) > 4*team.Tbl.Rows()+60 {
		t.Fatalf("junho's many callbacks: %d, holding %d rows", n, len(team.Win.Items))
	}
	run(t, a, press("*"))
	run(t, a, press("r"))
	want := "Move " + kit.Thousands(int64(n)) + " callbacks to:"
	if !strings.Contains(shown(a), want) {
		t.Fatalf("r should ask where %s go:\n%s", kit.Thousands(int64(n)), shown(a))
	}
	ch, _ := open[*kit.ChoicePane](a)
	run(t, a, press(strconv.Itoa(len(ch.Items)))) // the team pool is last
	if !strings.Contains(shown(a), kit.Thousands(int64(n))+" moved to Team pool") {
		t.Fatalf("the banner should say all moved:\n%s", shown(a))
	}
	var left int
	c.CRM.DB.QueryRow(`SELECT count(*) FROM callbacks WHERE reason LIKE 'many %' AND owner_id IS NOT NULL`).Scan(&left)
	if left != 0 || team.Tbl.N != 0 {
		t.Errorf("%d of junho's callbacks were not moved; the table shows %d", left, team.Tbl.N)
	}
	run(t, a, press("z"))
	wantShown(t, a, "Move "+kit.Thousands(int64(n))+" callbacks back from the pool to 이준호?", "the question says what the undo does")
	run(t, a, press("y"))
	c.CRM.DB.QueryRow(`SELECT count(*) FROM callbacks WHERE reason LIKE 'many %' AND owner_id IS NOT NULL`).Scan(&left)
	if left != n || !strings.Contains(shown(a), "Undone: "+kit.Thousands(int64(n))+" restored") {
		t.Errorf("undo gave junho back %d of %d:\n%s", left, n, shown(a))
	}
}

// TestEveryTablePageAnswersTheMouse: on each page of the floor a click on
// a row selects it and the wheel moves the cursor, wherever the page puts
// its table.
func TestEveryTablePageAnswersTheMouse(t *testing.T) {
	c := newTestCommon(t, kit.English)
	yuna := as(t, c, "yuna")
	a := newApp(t, yuna, 130, 40)
	tx := yuna.Text
	for _, p := range []struct {
		key    string
		header string
	}{{"2", tx.ColAgent}, {"3", tx.ColDue}, {"4", tx.ColWhen}, {"6", tx.ColAgent}, {"7", tx.ColSetting}} {
		run(t, a, press(p.key))
		var tbl *kit.Table
		switch s := a.screen().(type) {
		case *floor.BoardScreen:
			tbl = &s.Tbl
		case *floor.TeamScreen:
			tbl = &s.Tbl
		case *floor.AuditScreen:
			tbl = &s.Tbl
		case *floor.AgentsScreen:
			tbl = &s.Tbl
		case *floor.PolicyScreen:
			tbl = &s.Tbl
		default:
			t.Fatalf("%s shows %T", p.key, s)
		}
		if tbl.N < 4 {
			t.Fatalf("%s: only %d rows", a.active, tbl.N)
		}
		head := -1
		for y, l := range strings.Split(shown(a), "\n") {
			if strings.HasPrefix(strings.TrimLeft(l, "│ ▌"), p.header+" ") {
				head = y
				break
			}
		}
		if head < 0 {
			t.Fatalf("%s: no header line %q:\n%s", a.active, p.header, shown(a))
		}
		run(t, a, tea.MouseClickMsg{X: 20, Y: head + 3, Button: tea.MouseLeft})
		if tbl.Cursor != 2 {
			t.Errorf("%s: a click on the third row selected row %d", a.active, tbl.Cursor)
		}
		run(t, a, tea.MouseWheelMsg{X: 20, Y: head + 3, Button: tea.MouseWheelDown})
		if tbl.Cursor != 3 {
			t.Errorf("%s: the wheel moved the cursor to row %d", a.active, tbl.Cursor)
		}
		run(t, a, tea.MouseClickMsg{X: 20, Y: head, Button: tea.MouseLeft})
		if tbl.Cursor != 3 {
			t.Errorf("%s: a click on the header moved the cursor to row %d", a.active, tbl.Cursor)
		}
	}
}
