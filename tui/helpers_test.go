package tui

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangol/dangol/db/pgtest"
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/drive"
)

var kst = time.FixedZone("KST", 9*3600)

// testNow is the fixed present of every console test.
var testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, kst)

// fakeClock is the console tests' time: it stands still at testNow until
// a test moves it, and its timers fire only then, in order.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
}

type fakeTimer struct {
	at  time.Time
	msg tea.Msg
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After records the timer; it fires when advance passes its time.
func (c *fakeClock) After(d time.Duration, msg tea.Msg) tea.Cmd {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), msg: msg})
	return nil
}

// advance moves the clock by d and returns the messages of the timers now
// due, earliest first.
func (c *fakeClock) advance(d time.Duration) []tea.Msg {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	var due []tea.Msg
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if tm.at.After(c.now) {
			kept = append(kept, tm)
		} else {
			due = append(due, tm.msg)
		}
	}
	c.timers = kept
	return due
}

// frozenClock stands still at one time but runs real timers, for tests of
// a real program whose timers must fire (the live reload).
type frozenClock struct{ t time.Time }

func (c frozenClock) Now() time.Time { return c.t }

func (c frozenClock) After(d time.Duration, msg tea.Msg) tea.Cmd {
	return kit.WallClock{}.After(d, msg)
}

// newTestCommon opens a fresh demo database in a temp dir on a fake clock
// at testNow, logged in as minji.
func newTestCommon(t testing.TB, lang kit.Lang) *kit.Common {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, pgtest.Target(t, "tui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	clk := &fakeClock{now: testNow}
	c := crm.New(d)
	c.Now = clk.Now
	if err := c.Seed(ctx, crm.SeedOptions{Customers: 60, Now: testNow, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	q := queue.New(d, c)
	q.Now = clk.Now
	if err := q.SeedDemo(ctx, testNow, 7); err != nil {
		t.Fatal(err)
	}
	minji, err := c.AgentByName(ctx, "minji")
	if err != nil {
		t.Fatal(err)
	}
	com := kit.NewCommon(ctx, c, q, minji, lang, nil)
	com.Clock = clk
	return com
}

// as is a console for another agent on the same database and clock.
func as(t testing.TB, c *kit.Common, name string) *kit.Common {
	t.Helper()
	a, err := c.CRM.AgentByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	other := kit.NewCommon(c.Ctx, c.CRM, c.Queue, a, c.Text.Lang, nil)
	other.Clock = c.Clock
	return other
}

// clockOf is the fake clock of a test console.
func clockOf(a *App) *fakeClock { return a.c.Clock.(*fakeClock) }

// advance moves a test console's clock by d and runs the timers that fire.
func advance(t testing.TB, a *App, d time.Duration) {
	t.Helper()
	for _, m := range clockOf(a).advance(d) {
		run(t, a, m)
	}
}

// changedElsewhere tells the console another writer changed the database,
// and lets the gathering delay pass so the reload runs.
func changedElsewhere(t testing.TB, a *App) {
	t.Helper()
	run(t, a, kit.ChangeMsg{})
	advance(t, a, reloadDelay+reloadSpread)
}

// run feeds msg to the app and then runs every command it returns, and
// the commands those messages return, until nothing is left: a synchronous
// stand-in for the Bubble Tea runtime. Timers are the fake clock's: they
// wait for advance.
func run(t testing.TB, a *App, msg tea.Msg) {
	t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 200 {
			t.Fatalf("messages keep producing messages: %T %+v", queue[0], queue[0])
		}
		m := queue[0]
		queue = queue[1:]
		_, cmd := a.Update(m)
		queue = append(queue, drain(t, cmd)...)
	}
}

// commandTimeout is how long one command may take before the test fails:
// every command of the console returns promptly (the database is local,
// timers are the fake clock's), so a command still running is a bug.
const commandTimeout = 10 * time.Second

// drain runs a command (and batches inside it) and collects the console's
// own messages. Terminal queries (background colour, clipboard, bell) need
// a real program and are left out.
func drain(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	msgs, err := drive.Collect(cmd, drive.Console, commandTimeout)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// press turns a key description into a key press: "enter", "ctrl+s", "j".
func press(s string) tea.KeyPressMsg { return drive.Key(s) }

// typeText sends each character as a key press.
func typeText(t testing.TB, a *App, s string) {
	for _, r := range s {
		if r == '\n' {
			run(t, a, press("enter"))
			continue
		}
		run(t, a, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// screen is the app's view as plain text.
func shown(a *App) string { return ansi.Strip(a.View().Content) }

// newApp opens an app of size w×h with its queue and drafts loaded, and
// the login list of missed reminders closed.
func newApp(t testing.TB, c *kit.Common, w, h int) *App {
	t.Helper()
	a := openApp(t, c, w, h)
	if a.reminders.Missed != nil {
		run(t, a, press("esc"))
	}
	return a
}

// openApp is newApp leaving the login list as it came.
func openApp(t testing.TB, c *kit.Common, w, h int) *App {
	t.Helper()
	a := NewApp(c)
	t.Cleanup(a.Close)
	run(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	for _, m := range drain(t, a.Init()) {
		run(t, a, m)
	}
	if !a.Ready() {
		t.Fatal("the console is not ready after its first messages")
	}
	return a
}

// probed runs the app in a real program (teatest) and lets the test wait
// for a state of the model rather than for time or for bytes of output:
// after every message the program's own goroutine evaluates the waiting
// conditions, so nothing reads the model from another goroutine.
type probed struct {
	*App
	mu      sync.Mutex
	waiting []probe
}

type probe struct {
	cond func(*App) bool
	done chan struct{}
}

// probeMsg wakes the model so a new condition is evaluated at once.
type probeMsg struct{}

func (p *probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if _, ok := msg.(probeMsg); !ok {
		_, cmd = p.App.Update(msg)
	}
	p.mu.Lock()
	kept := p.waiting[:0]
	for _, w := range p.waiting {
		if w.cond(p.App) {
			close(w.done)
		} else {
			kept = append(kept, w)
		}
	}
	p.waiting = kept
	p.mu.Unlock()
	return p, cmd
}

// startProgram runs a console for c in a teatest program of size w×h.
func startProgram(t *testing.T, c *kit.Common, w, h int) (*teatest.TestModel, *probed) {
	t.Helper()
	p := &probed{App: NewApp(c)}
	t.Cleanup(p.App.Close)
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h))
	return tm, p
}

// waitState waits until cond holds for the running model.
func waitState(t *testing.T, tm *teatest.TestModel, p *probed, what string, cond func(*App) bool) {
	t.Helper()
	done := make(chan struct{})
	p.mu.Lock()
	p.waiting = append(p.waiting, probe{cond: cond, done: done})
	p.mu.Unlock()
	tm.Send(probeMsg{})
	select {
	case <-done:
	case <-time.After(commandTimeout):
		t.Fatalf("the console never reached this state: %s", what)
	}
}

// waitLogin waits for the first complete screen, which for minji lists
// the reminders she missed, and closes that list.
func waitLogin(t *testing.T, tm *teatest.TestModel, p *probed) {
	t.Helper()
	waitState(t, tm, p, "ready with the login list", func(a *App) bool { return a.Ready() && a.reminders.Missed != nil })
	tm.Send(press("esc"))
	waitState(t, tm, p, "the login list closed", func(a *App) bool { return a.reminders.Missed == nil })
}

// finalApp waits for the program to end and returns its app.
func finalApp(t *testing.T, tm *teatest.TestModel) *App {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(commandTimeout)).(*probed).App
}

// open returns the overlay of type T, if that is what is open.
func open[T kit.Overlay](a *App) (T, bool) {
	o, ok := a.top().(T)
	return o, ok
}

// wantShown fails the test, showing the screen, when a's screen lacks
// text; what says which state was expected.
func wantShown(t testing.TB, a *App, text, what string) {
	t.Helper()
	if !strings.Contains(shown(a), text) {
		t.Errorf("%s: %q is not on the screen:\n%s", what, text, shown(a))
	}
}
