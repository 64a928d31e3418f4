package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	"image/color"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

func TestSearchOverlayOpensTheCustomer(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 32)
	id, err := c.CRM.AddCustomer(context.Background(), c.Agent, crm.NewCustomer{Name: "황보민준", NameRoman: "Hwangbo Minjun",
		Phones: []string{"010-8765-4321"}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, a, press("/"))
	if _, ok := open[*desk.SearchPane](a); !ok {
		t.Fatal("/ should open the search")
	}
	typeText(t, a, "ㅎㅂㅁ")
	s := shown(a)
	if !strings.Contains(s, "황보민준") || !strings.Contains(s, "(초성)") || !strings.Contains(s, "010-****-4321") {
		t.Fatalf("search by initials:\n%s", s)
	}
	run(t, a, press("enter"))
	if a.top() != nil || a.work.Customer.ID != id || a.work.Focus != desk.FocusCustomer {
		t.Errorf("enter should open the customer (overlay %T, customer %d)", a.top(), a.work.Customer.ID)
	}
	wantShown(t, a, "Hwangbo Minjun", "360 after search")
}

// TestSearchSaysWhenMoreMatchThanItShows: a common name has thousands of
// customers in a million; the search shows the best few and says there are
// more, never "15 found" for a list that is not complete.
func TestSearchSaysWhenMoreMatchThanItShows(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 40)
	add := func(i int) {
		if _, err := c.CRM.AddCustomer(context.Background(), c.Agent, crm.NewCustomer{Name: "남궁하늘",
			Phones: []string{fmt.Sprintf("010-7000-%04d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	search := func() string {
		t.Helper()
		run(t, a, press("/"))
		typeText(t, a, "ㄴㄱㅎㄴ")
		s := shown(a)
		run(t, a, press("esc"))
		return s
	}
	for i := range desk.SearchLimit {
		add(i)
	}
	if s := search(); !strings.Contains(s, fmt.Sprintf("%d명 (초성)", desk.SearchLimit)) || strings.Contains(s, "더 많은") {
		t.Fatalf("%d matches, all shown:\n%s", desk.SearchLimit, s)
	}
	add(desk.SearchLimit)
	s := search()
	if !strings.Contains(s, fmt.Sprintf("더 많은 고객 중 %d명 (초성): 더 입력해 좁히세요", desk.SearchLimit)) {
		t.Fatalf("%d matches, %d shown:\n%s", desk.SearchLimit+1, desk.SearchLimit, s)
	}
	if n := strings.Count(s, "남궁하늘"); n != desk.SearchLimit {
		t.Errorf("%d results on screen, want %d", n, desk.SearchLimit)
	}
}

// TestNoInputSendsNULsToTheTerminal: Bubbles' text input pads a
// placeholder of wide characters with NUL bytes, which the terminal drew
// as cells: the search's Korean hint wrapped out of its box. No frame of
// the search or of any quick action's form may hold a NUL, or a line wider
// than the terminal.
func TestNoInputSendsNULsToTheTerminal(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 80, 24)
	check := func(what string) {
		t.Helper()
		frame := a.View().Content
		if strings.Contains(frame, "\x00") {
			t.Errorf("%s: the frame holds %d NUL bytes", what, strings.Count(frame, "\x00"))
		}
		for i, l := range strings.Split(frame, "\n") {
			if w := lipgloss.Width(l); w > 80 {
				t.Errorf("%s: line %d is %d cells wide: %q", what, i, w, ansi.Strip(l))
			}
		}
	}
	run(t, a, press("/"))
	check("the search")
	run(t, a, press("esc"))
	run(t, a, press("enter"))
	for i := range desk.QuickActions(c) {
		run(t, a, press("a"))
		for range i {
			run(t, a, press("down"))
		}
		run(t, a, press("enter"))
		check(fmt.Sprintf("quick action %d", i+1))
		for a.top() != nil {
			run(t, a, press("esc"))
		}
	}
}

func TestTimelineFilterAndPaging(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	id := a.work.Customer.ID
	for i := 0; i < 100; i++ {
		c.CRM.AddNote(context.Background(), c.Agent, crm.NewNote{CustomerID: id, Body: "page test"})
	}
	changedElsewhere(t, a)
	if got := len(a.work.Customer.Timeline); got != desk.TimelinePage {
		t.Fatalf("first page has %d events, want %d", got, desk.TimelinePage)
	}
	run(t, a, press("G"))
	run(t, a, press("G"))
	if len(a.work.Customer.Timeline) <= desk.TimelinePage {
		t.Errorf("scrolling to the end should read the next page, have %d", len(a.work.Customer.Timeline))
	}
	before := len(a.work.Customer.Timeline)
	changedElsewhere(t, a) // another console wrote something
	if len(a.work.Customer.Timeline) != before {
		t.Errorf("a reload should keep the %d events shown, has %d", before, len(a.work.Customer.Timeline))
	}
	run(t, a, press("t"))
	run(t, a, press("t")) // purchases
	for _, it := range a.work.Customer.Timeline {
		if it.Kind != crm.KindPurchase {
			t.Fatalf("filter purchases let %s through", it.Kind)
		}
	}
	wantShown(t, a, "purchases · t filter", "the filter should be named")
}

func TestCopyAndDial(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	run(t, a, press("y"))
	wantShown(t, a, "번호를 복사했습니다: 010-", "y")
	run(t, a, press("d")) // nothing here dials: the number is copied, the tel: link named
	if s := shown(a); !strings.Contains(s, "복사함 · 전화기에 붙여 넣거나 번호의 ▸ 링크로 거세요") || !strings.Contains(s, "010-") {
		t.Errorf("d without a dial command:\n%s", s)
	}
	c.DialCmd = "echo no line >&2; exit 7 # {number}"
	run(t, a, press("d"))
	if !strings.Contains(shown(a), "전화 걸기 실패") || !strings.Contains(shown(a), "no line") {
		t.Errorf("a failing dial command must be shown:\n%s", shown(a))
	}
	c.DialCmd = "test {number} = +8210$(echo {number} | cut -c6-)"
	run(t, a, press("d"))
	wantShown(t, a, "전화 걸기 명령이 끝났습니다", "a dial command that gets the E.164 number")
}

func TestPresenceInTheHeader(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	first, _ := a.work.Queue.Selected()
	junho, _ := c.CRM.AgentByName(context.Background(), "junho")
	c.CRM.Touch(context.Background(), junho, first.CustomerID)
	run(t, a, press("enter"))
	wantShown(t, a, "junho 님이 이 고객을 응대 중입니다", "header should say junho is on the customer")
	var mine int64
	c.CRM.DB.QueryRow(`SELECT customer_id FROM presence WHERE agent_id = ?`, c.Agent.ID).Scan(&mine)
	if mine != first.CustomerID {
		t.Errorf("minji's console did not record its presence: %d", mine)
	}
}

func TestSearchAndThe360InARealProgram(t *testing.T) {
	c := newTestCommon(t, kit.English)
	if _, err := c.CRM.AddCustomer(context.Background(), c.Agent, crm.NewCustomer{Name: "Quinn Zephyr",
		Phones: []string{"010-4242-4242"}, Emails: []string{"quinn.zephyr@example.com"}}); err != nil {
		t.Fatal(err)
	}
	tm, p := startProgram(t, c, 130, 36)
	waitLogin(t, tm, p)
	tm.Send(press("/"))
	tm.Type("zeph")
	waitState(t, tm, p, "Quinn Zephyr found", func(a *App) bool {
		sp, ok := open[*desk.SearchPane](a)
		return ok && len(sp.Results) == 1 && sp.Results[0].Name == "Quinn Zephyr"
	})
	tm.Send(press("enter"))
	waitState(t, tm, p, "the 360 of Quinn Zephyr", func(a *App) bool {
		return a.work.Customer.Profile != nil && a.work.Customer.Profile.Name == "Quinn Zephyr" && !a.work.Customer.TlBusy
	})
	tm.Send(press("q"))
	final := finalApp(t, tm)
	if final.work.Customer.Profile == nil || final.work.Customer.Profile.Name != "Quinn Zephyr" {
		t.Errorf("the 360 should show the customer found")
	}
	s := shown(final)
	for _, want := range []string{"Quinn Zephyr", "010-4242-4242", "History", "Consent"} {
		if !strings.Contains(s, want) {
			t.Errorf("360 lacks %q:\n%s", want, s)
		}
	}
}

func TestThe360ShowsThePromisesAndTheirOutcomes(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 130, 40)
	run(t, a, press("N"))
	cb, _ := c.Queue.Get(context.Background(), a.work.Customer.CallbackID)
	run(t, a, press("w"))
	run(t, a, press("3")) // no answer: scheduled again
	run(t, a, press("b"))
	wantShown(t, a, "You are not on a call", "b with no call held")
	run(t, a, press("enter"))
	if s := shown(a); !strings.Contains(s, "Last try just now, No answer, minji") {
		t.Errorf("the 360's header should show the unanswered call apart from the last contact:\n%s", s)
	}
	run(t, a, press("tab"))
	s := shown(a)
	if !strings.Contains(s, "Open callbacks (") || !strings.Contains(s, fmt.Sprintf("#%d ", cb.ID)) {
		t.Errorf("the 360 should list the open callback #%d:\n%s", cb.ID, s)
	}
	for range 30 {
		run(t, a, press("j"))
	}
	if s := shown(a); !strings.Contains(s, "No answer · attempt") {
		t.Errorf("the history should show the outcome of the call:\n%s", s)
	}
}

func TestPresenceShowsBothWaysAtOnce(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter")) // minji opens the customer first
	first, _ := a.work.Queue.Selected()
	if strings.Contains(shown(a), "응대 중입니다") {
		t.Fatalf("nobody else is on the customer yet:\n%s", shown(a))
	}
	// junho opens the same customer in his console: minji's reloads (his
	// presence write is a change) and shows him at once, not a minute later.
	b := newApp(t, as(t, c, "junho"), 120, 36)
	run(t, b, kit.OpenCustomerMsg{CustomerID: first.CustomerID})
	wantShown(t, b, "minji 님이 이 고객을 응대 중입니다", "junho should see minji")
	changedElsewhere(t, a)
	wantShown(t, a, "junho 님이 이 고객을 응대 중입니다", "minji should see junho after the reload his opening caused")
}

// TestAPresenceChangeReadsOnlyPresence: another console opening a
// customer is a presence change; it shows on this console's 360 without
// reading the queue again (a floor of consoles moving through their
// queues would otherwise make every console reload everything, all day).
// Any other change reads the queue too.
func TestAPresenceChangeReadsOnlyPresence(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	first, _ := a.work.Queue.Selected()
	// Behind the console's back: a callback for minji that no change
	// announced, and junho opening the customer she has open.
	if _, err := c.Queue.Add(context.Background(), c.Agent, queue.NewCallback{CustomerID: 9, Due: testNow.Add(time.Hour),
		OwnerID: c.Agent.ID, Reason: "UNANNOUNCED"}); err != nil {
		t.Fatal(err)
	}
	junho := as(t, c, "junho")
	if err := c.CRM.Touch(context.Background(), junho.Agent, first.CustomerID); err != nil {
		t.Fatal(err)
	}
	run(t, a, kit.ChangeMsg{Change: db.Change{Entity: db.Presence, Action: "commit"}})
	if strings.Contains(shown(a), "junho is on this customer") {
		t.Fatalf("presence read before the gathering delay:\n%s", shown(a))
	}
	advance(t, a, reloadDelay+reloadSpread)
	if s := shown(a); !strings.Contains(s, "junho is on this customer") {
		t.Errorf("minji should see junho after his presence change:\n%s", s)
	}
	if s := shown(a); strings.Contains(s, "UNANNOUNCED") {
		t.Errorf("a presence change read the queue again:\n%s", s)
	}
	// A change that is only another console's own (its draft) reads
	// nothing; any other change reads the queue.
	run(t, a, kit.ChangeMsg{Change: db.Change{Entity: db.Draft, Action: "commit"}})
	advance(t, a, reloadDelay+reloadSpread)
	if s := shown(a); strings.Contains(s, "UNANNOUNCED") {
		t.Errorf("another console's draft read the queue again:\n%s", s)
	}
	changedElsewhere(t, a)
	if s := shown(a); !strings.Contains(s, "UNANNOUNCED") {
		t.Errorf("a change did not read the queue:\n%s", s)
	}
}

// TestPresenceWritesOneAtATime: an agent running the cursor down the
// queue opens a customer per row; their presence is written one write at a
// time, and the customer shown when a write lands is the next one written
// (the rows passed over in between never are).
func TestPresenceWritesOneAtATime(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 36)
	m := a.work.Customer
	ids, err := crm.IDs(context.Background(), c.CRM.DB, `SELECT id FROM customers ORDER BY id LIMIT 3`)
	if err != nil || len(ids) != 3 {
		t.Fatalf("three customers: %v %v", ids, err)
	}
	m.ID = ids[0]
	first := m.Touch()
	if first == nil {
		t.Fatal("the first customer's presence is not written")
	}
	for _, id := range ids[1:] {
		m.ID = id
		if m.Touch() != nil {
			t.Fatalf("customer %d's presence went out while the write before was on its way", id)
		}
	}
	next := m.Update(first())
	if next == nil {
		t.Fatal("the customer shown when the write landed was never written")
	}
	msg := next()
	if p, ok := msg.(desk.PresenceMsg); !ok || p.CustomerID != ids[2] {
		t.Fatalf("the next write is for %v, want the customer shown now (%d)", msg, ids[2])
	}
	var written int64
	c.CRM.DB.QueryRow(`SELECT customer_id FROM presence WHERE agent_id = ?`, c.Agent.ID).Scan(&written)
	if written != ids[2] {
		t.Errorf("presence says customer %d, want %d", written, ids[2])
	}
	if m.Update(msg) != nil {
		t.Error("a write with nothing new to say")
	}
}

// TestCustomerFrameIsDrawnAgainWhenItChanges: the 360 keeps its last frame
// while the queue's cursor moves beside it, and draws again when it
// scrolls, when its customer changes, and when the terminal turns light.
func TestCustomerFrameIsDrawnAgainWhenItChanges(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 30)
	run(t, a, press("enter"))
	first := a.work.Customer.View()
	run(t, a, press("esc"))
	run(t, a, press("j"))
	if got := a.work.Customer.View(); got != strings.Replace(first, c.Styles.TitleFocused.Render(c.Text.CustomerTitle), c.Styles.Title.Render(c.Text.CustomerTitle), 1) {
		t.Errorf("the 360 changed when only the queue's cursor moved:\n%s", got)
	}
	run(t, a, press("enter")) // the customer under the cursor now
	second := a.work.Customer.View()
	if second == first {
		t.Error("another customer opened, the same frame shown")
	}
	for range 5 {
		run(t, a, press("j"))
	}
	if a.work.Customer.View() == second {
		t.Error("the 360 scrolled, the same frame shown")
	}
	scrolled := a.work.Customer.View()
	run(t, a, tea.BackgroundColorMsg{Color: color.White})
	if a.work.Customer.View() == scrolled {
		t.Error("the terminal turned light, the same frame shown")
	}
}

// TestDialingFollowsTheCallingRules: d and y refuse, as a claim would, a
// number outside the customer's calling hours (saying when they open), a
// do-not-call customer and a number marked wrong.
func TestDialingFollowsTheCallingRules(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	ctx := context.Background()
	// A Seoul customer's callback, opened from the queue at 14:00, then
	// the clock at 04:00 the next morning.
	for range 40 {
		if cb, ok := a.work.Queue.Selected(); ok && cb.CustomerTZ == "Asia/Seoul" && !cb.DNC && !cb.Phone.Invalid {
			break
		}
		run(t, a, press("j"))
	}
	cb, _ := a.work.Queue.Selected()
	run(t, a, press("enter"))
	if a.work.Customer.ID != cb.CustomerID {
		t.Fatalf("enter opened %d, not %d", a.work.Customer.ID, cb.CustomerID)
	}
	run(t, a, press("y"))
	wantShown(t, a, "번호를 복사했습니다", "inside the window y copies")
	advance(t, a, 14*time.Hour)
	for _, k := range []string{"y", "d"} {
		run(t, a, press(k))
		wantShown(t, a, "지금은 고객 통화 가능 시간이 아닙니다", k+" at 04:00 should be refused")
		wantShown(t, a, "08:00부터 걸 수 있습니다", k+" should say when the window opens")
	}

	// A do-not-call customer, opened from a search, at any hour.
	var dnc int64
	if err := c.CRM.DB.QueryRow(`SELECT c.id FROM customers c JOIN phones p ON p.customer_id = c.id
		WHERE c.dnc = 1 AND p.invalid = 0 ORDER BY c.id LIMIT 1`).Scan(&dnc); err != nil {
		t.Fatal(err)
	}
	run(t, a, kit.OpenCustomerMsg{CustomerID: dnc})
	for _, k := range []string{"y", "d"} {
		run(t, a, press(k))
		wantShown(t, a, "전화하지 않았습니다: 통화 거부(DNC) 고객입니다", k+" for a do-not-call customer")
	}

	// A number marked wrong, on a customer who may be called.
	var wrong int64
	if err := c.CRM.DB.QueryRow(`SELECT c.id FROM customers c WHERE c.dnc = 0 ORDER BY c.id LIMIT 1`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CRM.DB.ExecContext(ctx, `UPDATE phones SET invalid = 1 WHERE customer_id = ?`, wrong); err != nil {
		t.Fatal(err)
	}
	run(t, a, kit.OpenCustomerMsg{CustomerID: wrong})
	run(t, a, press("y"))
	wantShown(t, a, "잘못된 번호로 표시된 번호입니다", "y for a number marked wrong")
}
