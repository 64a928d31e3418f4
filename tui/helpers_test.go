package tui

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

var kst = time.FixedZone("KST", 9*3600)

// testNow is the fixed present of every console test.
var testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, kst)

// newTestCommon opens a fresh demo database in a temp dir with a fixed
// clock, logged in as minji.
func newTestCommon(t testing.TB, lang Lang) *Common {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "tui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	fixed := func() time.Time { return testNow }
	c := crm.New(d)
	c.Now = fixed
	if err := c.Seed(ctx, crm.SeedOptions{Customers: 60, Now: testNow, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	q := queue.New(d, c)
	q.Now = fixed
	if err := q.SeedDemo(ctx, testNow, 7); err != nil {
		t.Fatal(err)
	}
	minji, err := c.AgentByName(ctx, "minji")
	if err != nil {
		t.Fatal(err)
	}
	com := NewCommon(ctx, c, q, minji, lang, nil)
	com.Now = fixed
	com.Timers = false
	return com
}

// run feeds msg to the app and then runs every command it returns, and
// the commands those messages return, until nothing is left: a synchronous
// stand-in for the Bubble Tea runtime. Timers are skipped, not waited for.
func run(t testing.TB, a *App, msg tea.Msg) {
	t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 200 {
			t.Fatal("messages keep producing messages")
		}
		m := queue[0]
		queue = queue[1:]
		_, cmd := a.Update(m)
		queue = append(queue, drain(cmd)...)
	}
}

// drain runs a command (and batches inside it) and collects its messages,
// leaving out ticks and terminal queries that need a real program.
func drain(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(200 * time.Millisecond):
		return nil // a tick or blink: not part of this step
	}
	switch m := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, drain(c)...)
		}
		return out
	case tea.QuitMsg:
		return nil
	}
	// Only the console's own messages; terminal queries and cursor
	// blinks need a real program.
	if reflect.TypeOf(msg).PkgPath() != reflect.TypeOf(tickMsg{}).PkgPath() {
		return nil
	}
	return []tea.Msg{msg}
}

// press turns a key description into a key press: "enter", "ctrl+s", "j".
func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

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
func screen(a *App) string { return ansi.Strip(a.View().Content) }

// newApp opens an app of size w×h with its queue and drafts loaded, and
// the login list of missed reminders closed.
func newApp(t testing.TB, c *Common, w, h int) *App {
	t.Helper()
	a := openApp(t, c, w, h)
	if a.reminders.missed != nil {
		run(t, a, press("esc"))
	}
	return a
}

// openApp is newApp leaving the login list as it came.
func openApp(t testing.TB, c *Common, w, h int) *App {
	t.Helper()
	a := NewApp(c)
	t.Cleanup(a.Close)
	run(t, a, tea.WindowSizeMsg{Width: w, Height: h})
	for _, m := range drain(a.Init()) {
		run(t, a, m)
	}
	return a
}

// open returns the overlay of type T, if that is what is open.
func open[T overlay](a *App) (T, bool) {
	o, ok := a.overlay.(T)
	return o, ok
}
