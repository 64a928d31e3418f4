package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/clean"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

func TestSafeShowsOrRemovesEveryControl(t *testing.T) {
	cases := []struct{ in, one, multi string }{
		{"김민준 Kim", "김민준 Kim", "김민준 Kim"},
		{"a\x1b[31mred", "a␛[31mred", "a␛[31mred"},
		{"link\x1b]8;;http://x\x07y", "link␛]8;;http://x␇y", "link␛]8;;http://x␇y"},
		{"c1\u009b2J", "c1\uFFFD2J", "c1\uFFFD2J"},
		{"bidi\u202eevil\u2066x\u2069", "bidievilx", "bidievilx"},
		{"zero\u200bwidth\ufeff", "zerowidth", "zerowidth"},
		{"back\bspace", "back␈space", "back␈space"},
		{"tab\there", "tab here", "tab here"},
		{"two\nlines", "two⏎lines", "two\nlines"},
		{"crlf\r\nline", "crlf⏎line", "crlf\nline"},
		{"over\rwrite", "over␍write", "over␍write"},
		{"del\x7f", "del␡", "del␡"},
		{"bad \xff byte", "bad \uFFFD byte", "bad \uFFFD byte"},
	}
	for _, c := range cases {
		if got := kit.Safe(c.in); got != c.one {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.one)
		}
		if got := kit.SafeText(c.in); got != c.multi {
			t.Errorf("safeText(%q) = %q, want %q", c.in, got, c.multi)
		}
	}
}

// hostile holds every kind of character data must not smuggle onto a
// terminal: an OSC 8 link, colour and screen-clearing codes, a C1 CSI,
// bidi overrides and isolates, zero-width characters, backspace, carriage
// return, tab, newline, bell and invalid bytes.
const hostile = "Evil\x1b]8;;http://evil.example/\x07Click\x1b]8;;\x07 \x1b[31mRed\x1b[2J\u009b31m " +
	"\u202eRTL\u2066iso\u2069 zero\u200bwidth\ufeff back\bspace cr\rret tab\there\nnewline\x07bell \xff"

// hostileText is hostile as a note may hold it: notes must be valid UTF-8.
var hostileText = strings.ToValidUTF8(hostile, "")

// sgr and osc8 are the only escape sequences the console may write: colours
// and styles (CSI … m) and hyperlinks (OSC 8), which must be dangol's own.
var (
	sgr  = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)
	osc8 = regexp.MustCompile(`^\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(\x07|\x1b\\)`)
)

// checkFrame fails when a frame holds anything but text, newlines, SGR
// sequences and tel: links, or does not keep to its w×h box.
func checkFrame(t *testing.T, name string, frame string, w, h int) {
	t.Helper()
	if !utf8.ValidString(frame) {
		t.Errorf("%s: invalid UTF-8 on screen", name)
	}
	for i := 0; i < len(frame); {
		if frame[i] == 0x1b {
			if m := sgr.FindString(frame[i:]); m != "" {
				i += len(m)
				continue
			}
			if m := osc8.FindStringSubmatch(frame[i:]); m != nil {
				if m[1] != "" && !strings.HasPrefix(m[1], "tel:+") {
					t.Errorf("%s: a hyperlink that is not dangol's: %q", name, m[0])
				}
				i += len(m[0])
				continue
			}
			t.Errorf("%s: an escape sequence reached the screen: %q", name, frame[i:min(len(frame), i+16)])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(frame[i:])
		switch {
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r < 0xa0:
			t.Errorf("%s: control character %U on screen", name, r)
		case clean.Invisible(r):
			t.Errorf("%s: invisible character %U on screen", name, r)
		}
		i += size
	}
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("%s: %d lines on a screen %d high", name, len(lines), h)
	}
	for _, l := range lines {
		if lipgloss.Width(l) > w {
			t.Errorf("%s: a line %d wide on a screen %d wide: %q", name, lipgloss.Width(l), w, l)
		}
	}
}

func TestHostileDataNeverActsOnTheTerminal(t *testing.T) {
	ctx := context.Background()
	for _, sz := range [][2]int{{80, 24}, {130, 36}} {
		w, h := sz[0], sz[1]
		c := newTestCommon(t, kit.English)
		id, err := c.CRM.AddCustomer(ctx, c.Agent, crm.NewCustomer{Name: hostile, NameRoman: hostile,
			Phones: []string{"010-5555-0101"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CRM.AddNote(ctx, c.Agent, crm.NewNote{CustomerID: id, Body: hostileText}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CRM.OpenComplaint(ctx, c.Agent, id, hostile, hostileText); err != nil {
			t.Fatal(err)
		}
		if err := c.CRM.AddPurchase(ctx, c.Agent, id, hostile, 10000, "online"); err != nil {
			t.Fatal(err)
		}
		// Overdue and urgent: the top of the queue.
		top, err := c.Queue.Add(ctx, c.Agent, queue.NewCallback{CustomerID: id, Due: testNow.Add(-3 * time.Hour), Priority: 1,
			OwnerID: c.Agent.ID, Reason: hostile, Kind: "complaint"})
		if err != nil {
			t.Fatal(err)
		}

		a := openApp(t, c, w, h)
		frame := func(name string) {
			t.Helper()
			checkFrame(t, name, a.View().Content, w, h)
			if !strings.Contains(shown(a), "Evil") {
				t.Errorf("%s: the hostile data is not on screen, so this frame proves nothing:\n%s", name, shown(a))
			}
		}
		frame("login list")
		run(t, a, press("esc"))
		frame("queue")
		if _, err := c.Queue.Add(ctx, c.Agent, queue.NewCallback{CustomerID: id, Due: testNow.Add(3 * time.Minute),
			OwnerID: c.Agent.ID, Reason: hostile, Kind: "complaint"}); err != nil {
			t.Fatal(err)
		}
		run(t, a, desk.ReminderTickMsg{})
		if len(a.reminders.Toasts) == 0 {
			t.Fatal("no toast for the callback due in three minutes")
		}
		frame("queue with a toast")
		run(t, a, press("x"))
		run(t, a, press("c"))
		if cb, _ := c.Queue.Get(ctx, top.ID); cb.State != queue.Claimed {
			t.Fatalf("the hostile callback was not claimed: %s\n%s", a.banner.Text, shown(a))
		}
		run(t, a, press("enter"))
		frame("customer 360")
		run(t, a, press("G"))
		frame("customer 360, history")
		run(t, a, press("w"))
		frame("wrap-up")
		run(t, a, press("esc"))
		run(t, a, press("a"))
		run(t, a, press("7")) // contact details: the name is in the form
		frame("contact form")
		run(t, a, press("esc"))
		run(t, a, press("n"))
		frame("note editor")
		run(t, a, press("esc"))
		run(t, a, press("/"))
		typeText(t, a, "5555")
		frame("search")
		run(t, a, press("esc"))
		run(t, a, tea.WindowSizeMsg{Width: w, Height: h})
		run(t, a, press("?"))
		checkFrame(t, "help", a.View().Content, w, h)
	}
}
